//! Every shape of plan the benchmark generates (`examples/gen.rs`, included here as a module)
//! gives the same figures and the same diagnostics whether its large files are streamed or
//! read whole: the generator's own shape, the independent one of issue 11 (tens of thousands
//! of refs, unique and quoted notes, hours rows), few refs, the grants of issue 19 (every
//! expense naming its grant's ref, notes repeated per grant), the Danish dialect in
//! Windows-1252, and respondent files over three waves. Small sizes, the real binary.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

#[allow(dead_code)]
#[path = "../examples/gen.rs"]
mod generator;

/// What `plan` prints for `args`, reading files of at least `stream_above` bytes as a stream.
fn plan(dir: &Path, stream_above: u64, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_plan"))
        .arg("--plan")
        .arg(dir)
        .args(["--as-of", "2030-01-01"])
        .args(args)
        .env("NO_COLOR", "1")
        .env("PLAN_STREAM_ABOVE", stream_above.to_string())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
    (out.status.code(), text)
}

/// Generate a plan with `setup`, then compare the two readers on the reports of issue 11.
fn agree(setup: impl FnOnce(&mut generator::Args)) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut args = generator::Args::new(dir.path().join("plan"));
    args.ledger_rows = 20_000;
    args.seed = 11;
    setup(&mut args);
    generator::generate(&args).unwrap();
    let mut outputs = Vec::new();
    for command in [
        &["budget", "--by", "month"][..],
        &["budget", "--by", "unit"],
        &["scores", "--by", "unit"],
        &["check", "--format", "json"],
    ] {
        let whole = plan(&args.out, u64::MAX, command);
        let streamed = plan(&args.out, 0, command);
        assert_eq!(whole.0, streamed.0, "exit codes of {command:?}");
        // Both ran to the end (0, or 1 for a plan with errors): not the same failure twice.
        assert!(matches!(whole.0, Some(0 | 1)), "{command:?}: {}", whole.1);
        assert!(
            whole.1 == streamed.1,
            "{command:?} differs streamed and whole:\n--- whole\n{}\n--- streamed\n{}",
            whole.1,
            streamed.1
        );
        outputs.push(whole.1);
    }
    outputs
}

#[test]
fn our_shape_agrees() {
    let out = agree(|a| a.respondent_rows = 8_000);
    assert!(out[0].contains("2015-01"), "{}", out[0]);
}

#[test]
fn independent_shape_with_three_waves_agrees() {
    let out = agree(|a| {
        a.shape = generator::Shape::Independent;
        a.respondent_rows = 9_000;
        a.respondent_files = 3;
    });
    assert!(out[0].contains("klima"), "ten money budgets: {}", out[0]);
    assert!(out[2].contains("2020"), "three waves: {}", out[2]);
}

#[test]
fn few_refs_agree() {
    agree(|a| a.shape = generator::Shape::FewRefs);
}

#[test]
fn danish_windows_1252_agrees() {
    let out = agree(|a| {
        a.shape = generator::Shape::Independent;
        a.danish = true;
    });
    assert!(out[3].contains("W003"), "read as Windows-1252: {}", out[3]);
    assert!(out[1].contains("Økonomi"), "decoded units: {}", out[1]);
}

#[test]
fn grants_shape_agrees_and_checks_clean() {
    let out = agree(|a| a.shape = generator::Shape::Grants);
    assert!(
        out[0].contains("2017-01"),
        "three years from 2017: {}",
        out[0]
    );
    // Every expense names its grant's ref and stays within it: no W10x.
    assert!(!out[3].contains("\"W10"), "{}", out[3]);
}

#[test]
fn quoted_notes_read_as_unquoted_ones() {
    // Every note quoted (it holds a comma) gives the sums and checks of the same ledger
    // without the commas: the quotes are read, by the split of simple quotes, not kept.
    let excel = agree(|a| a.shape = generator::Shape::GrantsExcel);
    let plain = agree(|a| a.shape = generator::Shape::Grants);
    assert_eq!(excel[0], plain[0]);
    assert_eq!(excel[1], plain[1]);
    assert!(excel[3].contains("\"errors\": 0,"), "{}", excel[3]);
    assert!(!excel[3].contains("\"W10"), "{}", excel[3]);
}
