//! Golden tests that drive the real `plan` binary on real plan folders.
//!
//! Each `tests/cmd/GROUP/NAME.toml` names the arguments and the expected exit code; the
//! expected output sits beside it in `NAME.stdout` / `NAME.stderr`. A case with a
//! `NAME.in/` folder runs inside it (broken plans live there as `NAME.in/plan/`).
//! Regenerate after an intended change with `TRYCMD=overwrite cargo test --test cli`,
//! then read the diff.

#[test]
fn cli() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        // The default plan directory, set so that a PLAN_DIR in the caller's environment
        // cannot change what the cases read (or what `--help` prints).
        .env("PLAN_DIR", "plan")
        // The language of labels, numbers and dates follows the locale: pin it (LC_ALL wins
        // over LANG), so the goldens are English on every machine.
        .env("LC_ALL", "C")
        // The crate is itself a git repository: a ceiling at its root makes every case run
        // outside any repository, so the goldens do not depend on the current commit (the
        // `revision` of SPEC 10.1 is `null`). History has its own tests on repositories they
        // build (tests/history.rs).
        .env("GIT_CEILING_DIRECTORIES", env!("CARGO_MANIFEST_DIR"))
        .case("tests/cmd/*/*.toml")
        .case("tests/cmd/*/*.trycmd")
        // Below, without PLAN_DIR.
        .skip("tests/cmd/discovery/*.toml");
}

/// Finding the plan or portfolio from the current folder (SPEC 13) happens only without
/// `--plan` and `PLAN_DIR`: these cases run without PLAN_DIR (each case removes it, in case
/// the caller's environment has one).
#[test]
fn discovery() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C")
        .env("GIT_CEILING_DIRECTORIES", env!("CARGO_MANIFEST_DIR"))
        .case("tests/cmd/discovery/*.toml");
}
