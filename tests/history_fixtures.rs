//! The repositories the history tests are built on (tests/common/repo.rs) and the example
//! history (examples/history/make.sh) are what their docs say: each commit a valid plan as of
//! its date (but the one meant to be broken), the merge, the rename, the commit outside the
//! plan folder, the shallow clone; make.sh ends in examples/fjordby, byte for byte.
#![cfg(unix)]

#[path = "common/repo.rs"]
mod repo;

use std::path::Path;
use std::process::{Command, Output};

use repo::{ROOT, Repo};

/// `plan --plan DIR --as-of DAY check` on the plan folder of COMMIT, exported to a temp dir.
fn check_at(repo: &Repo, commit: &str) -> Output {
    let day = repo.git(&["log", "-1", "--format=%cs", commit]);
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("tree.tar");
    repo.git(&[
        "archive",
        "-o",
        &archive.display().to_string(),
        commit,
        "plan",
    ]);
    let status = Command::new("tar")
        .arg("-xf")
        .arg(&archive)
        .current_dir(dir.path())
        .status()
        .expect("tar");
    assert!(status.success());
    let output = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(["--plan", "plan", "--as-of", &day, "check"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("plan");
    drop(dir);
    output
}

fn changed_files(repo: &Repo, commit: &str) -> Vec<String> {
    repo.git(&[
        "diff-tree",
        "--no-commit-id",
        "-r",
        "-M",
        "--name-status",
        &format!("{commit}^"),
        commit,
    ])
    .lines()
    .map(str::to_string)
    .collect()
}

#[test]
fn the_shared_history_has_what_its_doc_promises() {
    let h = repo::history();
    let repo = &h.repo;

    // First-parent line from HEAD: the side branch's commits are not on it.
    let first_parent: Vec<String> = repo
        .git(&["rev-list", "--first-parent", "HEAD"])
        .lines()
        .map(str::to_string)
        .collect();
    for name in [
        "head",
        "moved",
        "merge",
        "main-update",
        "fixed",
        "broken",
        "renamed",
        "outside",
        "update",
        "adopted",
    ] {
        assert!(first_parent.contains(&h.id(name).to_string()), "{name}");
    }
    assert_eq!(first_parent.len(), 10);
    assert!(!first_parent.contains(&h.id("side-b").to_string()));
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), h.id("head"));

    // Tags (annotated) name the commits they should.
    assert_eq!(repo.rev("vedtaget"), h.id("adopted"));
    assert_eq!(repo.rev("broken"), h.id("broken"));
    assert_eq!(repo.rev("udvalg-2021-07"), h.id("moved"));
    assert_eq!(repo.git(&["cat-file", "-t", "vedtaget"]), "tag");

    // The merge has the main line first and the side branch second.
    let parents = repo.git(&["rev-list", "--parents", "-n", "1", h.id("merge")]);
    let parents: Vec<&str> = parents.split_whitespace().skip(1).collect();
    assert_eq!(parents, [h.id("main-update"), h.id("side-ledger")]);

    // The rename is a pure rename; the outside commit touches nothing under plan/.
    assert_eq!(
        changed_files(repo, h.id("renamed")),
        ["R100\tplan/initiatives/01-a.toml\tplan/initiatives/01-alfa.toml"]
    );
    let outside = changed_files(repo, h.id("outside"));
    assert!(!outside.is_empty());
    assert!(outside.iter().all(|l| !l.contains("plan/")), "{outside:?}");

    // Every commit is a valid plan as of its date, but `broken`.
    for (name, id) in &h.commits {
        let output = check_at(repo, id);
        let expected = if *name == "broken" { 1 } else { 0 };
        assert_eq!(
            output.status.code(),
            Some(expected),
            "{name}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    // The same ids on every machine and every run.
    let again = repo::history();
    assert_eq!(again.commits, h.commits);
}

#[test]
fn a_shallow_clone_is_shallow_and_has_the_same_head() {
    let h = repo::history();
    let shallow = h.repo.shallow_clone(2);
    assert_eq!(
        shallow.git(&["rev-parse", "--is-shallow-repository"]),
        "true"
    );
    assert_eq!(shallow.git(&["rev-parse", "HEAD"]), h.id("head"));
    assert_eq!(
        shallow.git(&["rev-list", "--count", "--first-parent", "HEAD"]),
        "2"
    );
    assert_eq!(
        shallow.read("plan/ledger.csv"),
        h.repo.read("plan/ledger.csv")
    );
}

#[test]
fn make_sh_builds_the_example_history_ending_in_examples_fjordby() {
    let repo = repo::example();

    // The work tree is examples/fjordby, byte for byte, and nothing is uncommitted.
    let diff = Command::new("diff")
        .arg("-r")
        .arg(Path::new(ROOT).join("examples/fjordby"))
        .arg(repo.root.join("plan"))
        .output()
        .expect("diff");
    assert!(
        diff.status.success(),
        "{}",
        String::from_utf8_lossy(&diff.stdout)
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    // Adopted and tagged; a tag before every quarterly meeting.
    assert_eq!(
        repo.git(&["log", "-1", "--format=%cs %s", "vedtaget"]),
        "2019-12-10 Vedtaget af Økonomiudvalget 10.12.2019, pkt. 4: budgettet til selvbetjeningsplatformen hævet til 2,4 mio. kr."
    );
    let tags = repo.git(&["tag", "--list", "udvalg-*"]);
    assert_eq!(tags.lines().count(), 16, "{tags}");
    // The plan the committee saw in June 2022 was made before that meeting.
    assert!(
        repo.git(&["log", "-1", "--format=%cs", "udvalg-2022-06"])
            .as_str()
            < "2022-06-14"
    );

    // I6-M2 moved twice: 2021-12-31 as adopted, then 2022-06-30, now 2022-12-31.
    let i6 = "plan/initiatives/06-skolenetvaerk.toml";
    let dues: Vec<String> = ["vedtaget", "udvalg-2021-03", "HEAD"]
        .iter()
        .map(|rev| {
            let text = repo.git(&["show", &format!("{rev}:{i6}")]);
            let m2 = text.split("id = \"I6-M2\"").nth(1).expect("I6-M2");
            m2.lines()
                .find_map(|l| l.strip_prefix("due = "))
                .expect("due")
                .to_string()
        })
        .collect();
    assert_eq!(dues, ["2021-12-31", "2022-06-30", "2022-12-31"]);
    let moves = repo.git(&[
        "log",
        "--first-parent",
        "--format=%h",
        "-G",
        "^due = ",
        "vedtaget..HEAD",
        "--",
        i6,
    ]);
    assert_eq!(moves.lines().count(), 2, "{moves}");

    // Several authors; a commit that touches only README.md; the ledger grows month by month.
    let authors = repo.git(&["log", "--format=%an"]);
    let mut authors: Vec<&str> = authors.lines().collect();
    authors.sort_unstable();
    authors.dedup();
    assert!(authors.len() >= 5, "{authors:?}");
    let readme_only = repo.git(&["log", "--format=%h", "--", "README.md"]);
    assert!(readme_only.lines().any(|c| {
        repo.git(&["diff-tree", "--no-commit-id", "-r", "--name-only", c]) == "README.md"
    }));
    let ledger_commits = repo.git(&["log", "--format=%h", "--", "plan/ledger.csv"]);
    assert!(ledger_commits.lines().count() >= 15, "{ledger_commits}");

    // Every commit is a valid plan as of its date.
    for commit in repo.git(&["rev-list", "HEAD"]).lines() {
        let output = check_at(&repo, commit);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{commit}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn make_sh_refuses_a_non_empty_target() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("x"), "keep me").expect("write");
    let output = Command::new("sh")
        .arg(Path::new(ROOT).join("examples/history/make.sh"))
        .arg(dir.path())
        .output()
        .expect("sh");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not an empty directory"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("x")).expect("read"),
        "keep me"
    );
}
