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
        .case("tests/cmd/*/*.toml")
        .case("tests/cmd/*/*.trycmd");
}
