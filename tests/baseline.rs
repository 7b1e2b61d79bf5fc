//! Baseline and slippage end to end (SPEC 10.4), on the shared history of tests/common/repo.rs:
//! A's M1 is due 2021-06-30 at `vedtaget`, moved in `fixed` (2021-09-30) and in `moved`
//! (2021-12-31); the `broken` commit between cannot be read and is skipped; B arrives through a
//! merge after the baseline.
#![cfg(unix)]

#[path = "common/repo.rs"]
mod repo;

use std::path::Path;
use std::process::{Command, Output};

fn plan(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("PLAN_DIR")
        .env_remove("GIT_DIR")
        .output()
        .expect("plan")
}

fn stdout(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The milestones export's rows as `initiative,milestone,…,baseline_due,slip_days,moves`.
fn milestones(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--as-of", "2021-08-01"];
    all.extend_from_slice(args);
    all.extend(["export", "milestones"]);
    stdout(&plan(dir, &all))
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_milestones_export_counts_moves_and_slip_since_the_baseline() {
    let h = repo::history();
    let root = &h.repo.root;
    assert_eq!(
        milestones(root, &["--baseline", "vedtaget"]),
        [
            "initiative,milestone,title,due,done,state,baseline_due,slip_days,moves",
            "A,M1,Første leverance,2021-12-31,,open,2021-06-30,184,2",
            "A,M2,Anden leverance,2022-06-30,2021-06-28,done,2022-06-30,0,0",
            "B,M1,Forstudie,2021-12-31,,open,,,0",
        ]
    );
    // Without a baseline: the same columns, blank.
    assert_eq!(
        milestones(root, &[])[1],
        "A,M1,Første leverance,2021-12-31,,open,,,"
    );
    // At an earlier revision, the moves up to it: one (in `fixed`), the broken commit skipped.
    assert_eq!(
        milestones(
            root,
            &["--rev", "udvalg-2021-07^", "--baseline", "vedtaget"]
        )[1],
        "A,M1,Første leverance,2021-09-30,,open,2021-06-30,92,1"
    );
    // A baseline given as a date: the first-parent commit of that day.
    assert_eq!(
        milestones(root, &["--baseline", "2021-01-31"])[1],
        "A,M1,Første leverance,2021-12-31,,open,2021-06-30,184,2"
    );
    // A later baseline: only the move after it.
    assert_eq!(
        milestones(root, &["--baseline", h.id("merge")])[1],
        "A,M1,Første leverance,2021-12-31,,open,2021-09-30,92,1"
    );
}

#[test]
fn plan_toml_names_the_baseline_and_the_option_overrides_it() {
    let h = repo::history();
    let root = &h.repo.root;
    h.repo.replace(
        "plan/plan.toml",
        "organisation = \"Testby Kommune\"\n",
        "organisation = \"Testby Kommune\"\nbaseline = \"vedtaget\"\n",
    );
    let status = stdout(&plan(root, &["--as-of", "2021-08-01", "status"]));
    let a = status
        .lines()
        .find(|l| l.contains("Alfa"))
        .expect("A's line");
    assert!(a.contains("+184 d since vedtaget"), "{status}");
    let b = status
        .lines()
        .find(|l| l.contains("Beta"))
        .expect("B's line");
    assert!(b.contains("new since vedtaget"), "{status}");

    // --baseline wins over plan.toml.
    assert_eq!(
        milestones(root, &["--baseline", "udvalg-2021-07"])[1],
        "A,M1,Første leverance,2021-12-31,,open,2021-12-31,0,0"
    );

    // The card and the report show it too.
    let card = stdout(&plan(root, &["--as-of", "2021-08-01", "initiatives", "A"]));
    assert!(card.contains("Since vedtaget"), "{card}");
    assert!(card.contains("+184 d · moved 2×"), "{card}");
    let page = stdout(&plan(root, &["--as-of", "2021-08-01", "report"]));
    assert!(page.contains("due at vedtaget"));

    // plan check does not read the history: it passes in a shallow clone too.
    let shallow = h.repo.shallow_clone(1);
    shallow.replace(
        "plan/plan.toml",
        "organisation = \"Testby Kommune\"\n",
        "organisation = \"Testby Kommune\"\nbaseline = \"vedtaget\"\n",
    );
    let check = plan(&shallow.root, &["--as-of", "2021-08-01", "check"]);
    assert_eq!(check.status.code(), Some(0));
    // The reports that show slippage say what to do.
    let status = plan(&shallow.root, &["--as-of", "2021-08-01", "status"]);
    assert_eq!(status.status.code(), Some(2));
    let err = String::from_utf8_lossy(&status.stderr);
    assert!(err.contains("plan.toml's `baseline` `vedtaget`"), "{err}");
    assert!(err.contains("fetch-depth: 0"), "{err}");
}

#[test]
fn a_baseline_that_cannot_be_read_exits_2_saying_why() {
    let h = repo::history();
    let root = &h.repo.root;
    let fails = |dir: &Path, args: &[&str], expected: &[&str]| {
        let output = plan(dir, args);
        let err = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        for text in expected {
            assert!(err.contains(text), "{args:?}: {err}");
        }
    };
    fails(
        root,
        &["--baseline", "nosuch", "status"],
        &["--baseline `nosuch`", "does not resolve"],
    );
    // A commit of the side branch is not on HEAD's first-parent line.
    fails(
        root,
        &["--baseline", h.id("side-b"), "export", "milestones"],
        &["not on the first-parent history"],
    );
    // A baseline newer than the revision shown is not on its line either.
    fails(
        root,
        &[
            "--rev",
            "vedtaget",
            "--baseline",
            "udvalg-2021-07",
            "status",
        ],
        &["not on the first-parent history"],
    );
    // Outside a repository.
    let outside = tempfile::tempdir().expect("temp dir");
    let plan_dir = outside.path().join("plan");
    std::fs::create_dir_all(plan_dir.join("initiatives")).expect("mkdir");
    for file in ["plan.toml", "ledger.csv", "initiatives/01-alfa.toml"] {
        std::fs::copy(root.join("plan").join(file), plan_dir.join(file)).expect("copy");
    }
    fails(
        outside.path(),
        &["--baseline", "vedtaget", "--as-of", "2021-08-01", "status"],
        &["not in a git repository"],
    );
    // Commands that do not show slippage do not read the history.
    let budget = plan(
        outside.path(),
        &["--baseline", "vedtaget", "--as-of", "2021-08-01", "budget"],
    );
    assert_eq!(budget.status.code(), Some(0));
}
