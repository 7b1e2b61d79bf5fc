//! Baseline and slippage end to end (SPEC 10.4), on the shared history of tests/common/repo.rs:
//! A's M1 is due 2021-06-30 at `vedtaget`, moved in `fixed` (2021-09-30) and in `moved`
//! (2021-12-31); the `broken` commit between cannot be read and is skipped; B arrives through a
//! merge after the baseline.
#![cfg(unix)]

#[path = "common/repo.rs"]
mod repo;

use std::path::Path;
use std::process::Output;

/// The built `plan` in DIR (the helper's runner: no colour, no `PLAN_DIR` or `GIT_DIR`).
use repo::plan_in as plan;

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

/// A repository whose baseline (`vedtaget`) has A's M3 unscheduled; M4, also unscheduled, and
/// M5, due 2021-11-30, are added after it; M3 is scheduled later (not a move).
fn unscheduled_history() -> repo::Repo {
    let r = repo::Repo::new();
    let a = "plan/initiatives/01-a.toml";
    let unscheduled = "\n[[milestone]]\nid = \"M3\"\ntitle = \"Evaluering\"\n";
    r.write("plan/plan.toml", repo::PLAN_TOML)
        .write(a, format!("{}{unscheduled}", repo::INITIATIVE_A))
        .write("plan/ledger.csv", "date,budget,kind,amount,unit,ref,note\n");
    r.commit("2021-01-10", "Planen vedtaget");
    r.tag("vedtaget", "2021-01-10");
    r.append(
        a,
        "\n[[milestone]]\nid = \"M4\"\ntitle = \"Opfølgning\"\n\n[[milestone]]\nid = \"M5\"\ntitle = \"Ekstra leverance\"\ndue = 2021-11-30\n",
    );
    r.commit("2021-03-01", "Nye milepæle M4 og M5");
    r
}

#[test]
fn an_unscheduled_milestone_the_baseline_had_is_not_new() {
    let r = unscheduled_history();
    let root = &r.root;
    let card = stdout(&plan(
        root,
        &[
            "--as-of",
            "2021-08-01",
            "--baseline",
            "vedtaget",
            "initiatives",
            "A",
        ],
    ));
    let line = |id: &str| {
        card.lines()
            .find(|l| l.contains(&format!(" {id} ")) || l.trim_start().starts_with(id))
            .unwrap_or_else(|| panic!("no line for {id}:\n{card}"))
            .trim_end()
            .to_string()
    };
    assert!(!line("M3").ends_with("new"), "{card}");
    assert!(line("M3").ends_with('–'), "{card}");
    assert!(line("M4").ends_with("new"), "{card}");
    assert!(line("M5").ends_with("new"), "{card}");
    assert!(line("M1").ends_with("0 d"), "{card}");

    // The report lists only what moved or is new since the baseline.
    let page = stdout(&plan(
        root,
        &["--as-of", "2021-08-01", "--baseline", "vedtaget", "report"],
    ));
    let doc = scraper::Html::parse_document(&page);
    let rows = scraper::Selector::parse("#timeline table.slips tbody tr").expect("selector");
    let rows: Vec<String> = doc
        .select(&rows)
        .map(|r| r.text().collect::<Vec<_>>().join("|"))
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| !r.contains("Evaluering")), "{rows:?}");
    assert!(rows.iter().all(|r| r.ends_with("new")), "{rows:?}");

    // Scheduling M3 later is not a move, and does not make it new.
    r.replace(
        "plan/initiatives/01-a.toml",
        "title = \"Evaluering\"\n",
        "title = \"Evaluering\"\ndue = 2022-03-31\n",
    );
    r.commit("2021-05-01", "M3 planlagt");
    let rows = stdout(&plan(
        root,
        &[
            "--as-of",
            "2021-08-01",
            "--baseline",
            "vedtaget",
            "export",
            "milestones",
        ],
    ));
    assert!(
        rows.contains("\nA,M3,Evaluering,2022-03-31,,open,,,0\n"),
        "{rows}"
    );
    let card = stdout(&plan(
        root,
        &[
            "--as-of",
            "2021-08-01",
            "--baseline",
            "vedtaget",
            "initiatives",
            "A",
        ],
    ));
    let m3 = card
        .lines()
        .find(|l| l.contains("Evaluering"))
        .expect("M3's line");
    assert!(!m3.contains("new"), "{card}");
}
