//! W005 (issue 18): a date that records what has happened may not lie after the day the
//! command runs (the wall clock's, never `--as-of`), and no date more than a year after the
//! plan's period ends. The day is passed into validation, so the library is tested with fixed
//! days; the binary with a plan so far ahead that the wall clock cannot reach it.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use plan::LoadOptions;
use plan::diag::Code;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// A plan of `start`..`end` with one initiative (its milestone done and its update on
/// `recorded`) and one ledger row on `recorded`.
fn write_plan(dir: &Path, start: &str, end: &str, recorded: &str) {
    std::fs::create_dir_all(dir.join("initiatives")).expect("create");
    std::fs::write(
        dir.join("plan.toml"),
        format!(
            "format = 1\nid = \"p\"\ntitle = \"P\"\norganisation = \"Testby Kommune\"\n\
             period = {{ start = {start}, end = {end} }}\n\n\
             [[budget]]\nid = \"pulje\"\ntitle = \"Pulje\"\nkind = \"money\"\namount = 100000\n"
        ),
    )
    .expect("write plan.toml");
    std::fs::write(
        dir.join("initiatives/01-a.toml"),
        format!(
            "id = \"I1\"\ntitle = \"Et initiativ\"\nstart = {start}\nsummary = \"Kort.\"\n\n\
             [[milestone]]\nid = \"M1\"\ntitle = \"Første\"\ndue = {end}\ndone = {recorded}\n\n\
             [[update]]\ndate = {recorded}\nstatus = \"on-track\"\n"
        ),
    )
    .expect("write initiative");
    std::fs::write(
        dir.join("ledger.csv"),
        format!("date,budget,kind,amount,unit,ref,note\n{recorded},pulje,grant,5000,,,\n"),
    )
    .expect("write ledger");
}

/// The W005 messages of the plan in `dir` loaded as of `as_of` on `today`.
fn far(dir: &Path, as_of: &str, today: Option<&str>) -> Vec<String> {
    let options = LoadOptions {
        today: today.map(day),
        ..LoadOptions::default()
    };
    let loaded =
        plan::load_tree(&plan::tree::DirTree::new(dir), day(as_of), &options).expect("load");
    loaded
        .diags
        .sorted()
        .into_iter()
        .filter(|d| d.code == Code::FarDate)
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn a_recorded_date_after_today_is_warned_about_whatever_the_as_of_date() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write_plan(dir.path(), "2026-01-01", "2027-12-31", "2026-12-07");
    let expected = [
        "the milestone's `done` 2026-12-07 is after today (2026-12-06)",
        "the update's date 2026-12-07 is after today (2026-12-06)",
        "the entry's date 2026-12-07 is after today (2026-12-06)",
    ];
    // As of a day before the dates, after them, and today itself: only today decides.
    for as_of in ["2026-06-30", "2026-12-06", "2027-06-30"] {
        assert_eq!(
            far(dir.path(), as_of, Some("2026-12-06")),
            expected,
            "{as_of}"
        );
    }
    // The next day, and without a clock, they are fine.
    assert!(far(dir.path(), "2026-06-30", Some("2026-12-07")).is_empty());
    assert!(far(dir.path(), "2026-06-30", None).is_empty());
}

#[test]
fn a_date_more_than_a_year_after_the_period_is_warned_about_on_any_day() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write_plan(dir.path(), "2013-01-01", "2013-12-31", "2015-01-01");
    let expected = [
        "the milestone's `done` 2015-01-01 is more than a year after the plan's period ends (2013-12-31)",
        "the update's date 2015-01-01 is more than a year after the plan's period ends (2013-12-31)",
        "the entry's date 2015-01-01 is more than a year after the plan's period ends (2013-12-31)",
    ];
    for today in [None, Some("2026-12-06")] {
        assert_eq!(far(dir.path(), "2013-06-30", today), expected, "{today:?}");
    }
    // A year after the period's end is still fine.
    write_plan(dir.path(), "2013-01-01", "2013-12-31", "2014-12-31");
    assert!(far(dir.path(), "2013-06-30", None).is_empty());
}

/// The binary reads the wall clock: a plan of the 2090s has every recorded date after today,
/// also as of a day after them.
#[test]
fn the_binary_judges_by_the_wall_clock_not_by_as_of() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let plan_dir = dir.path().join("plan");
    write_plan(&plan_dir, "2090-01-01", "2091-12-31", "2090-05-01");
    let output = Command::new(env!("CARGO_BIN_EXE_plan"))
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env_remove("PLAN_DIR")
        .args(["--plan", "plan", "--as-of", "2090-06-30", "check"])
        .output()
        .expect("run plan");
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Warnings only: exit 0.
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert_eq!(stdout.matches("warning[W005]").count(), 3, "{stdout}");
    assert!(
        stdout.contains("the update's date 2090-05-01 is after today ("),
        "{stdout}"
    );
}
