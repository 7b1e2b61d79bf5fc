//! History on repositories as they are found in the field (issue 18): an unreadable baseline,
//! a commit with an odd time zone or a Latin-1 header, a REV that does not resolve for the
//! many reasons a repository gives, an annotated tag's own date, `report --since` on a broken
//! revision. Each repository is built with the `git` program (tests/common/repo.rs).
#![cfg(unix)]

#[path = "common/repo.rs"]
mod repo;

use std::path::Path;
use std::process::Command;

/// The built `plan` in DIR (the helper's runner: no colour, no `PLAN_DIR` or `GIT_DIR`).
use repo::plan_in as plan;

/// Standard output of a run that must exit 0.
fn ok(dir: &Path, args: &[&str]) -> String {
    let output = plan(dir, args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Standard error of a run that must exit CODE.
fn fails(dir: &Path, args: &[&str], code: i32) -> String {
    let output = plan(dir, args);
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "{args:?}: {err}");
    err
}

#[test]
fn a_baseline_whose_plan_cannot_be_read_exits_2_instead_of_calling_every_milestone_new() {
    let h = repo::history();
    let root = &h.repo.root;
    // The `broken` commit's initiative file is not valid TOML.
    let err = fails(
        root,
        &["--as-of", "2021-08-01", "--baseline", "broken", "status"],
        2,
    );
    assert!(err.contains("--baseline `broken`"), "{err}");
    assert!(err.contains("cannot be read"), "{err}");
    // The syntax error alone: an unparsed initiative file's id is not also "undefined".
    assert!(err.contains("1 error(s)"), "{err}");
    assert!(err.contains("`plan --rev broken check`"), "{err}");
    // The same baseline named by plan.toml.
    h.repo.replace(
        "plan/plan.toml",
        "organisation = \"Testby Kommune\"\n",
        "organisation = \"Testby Kommune\"\nbaseline = \"broken\"\n",
    );
    let err = fails(root, &["--as-of", "2021-08-01", "export", "milestones"], 2);
    assert!(err.contains("plan.toml's `baseline` `broken`"), "{err}");
    assert!(err.contains("cannot be read"), "{err}");

    // A baseline from before the plan folder was committed.
    let r = repo::Repo::new();
    r.write("README.md", "Ingen plan endnu\n");
    r.commit("2020-12-01", "Start");
    r.write("plan/plan.toml", repo::PLAN_TOML)
        .write("plan/initiatives/01-a.toml", repo::INITIATIVE_A);
    r.commit("2021-01-10", "Planen vedtaget");
    let err = fails(
        &r.root,
        &["--as-of", "2021-08-01", "--baseline", "HEAD~1", "status"],
        2,
    );
    assert!(
        err.contains("the plan directory `plan` does not exist in the baseline commit"),
        "{err}"
    );
    // The adopted commit itself reads.
    ok(
        &r.root,
        &["--as-of", "2021-08-01", "--baseline", "HEAD", "status"],
    );
}

/// A commit written by a tool with a broken clock setting: `+9959`, which `git log` shows.
fn odd_zone_history() -> repo::History {
    let h = repo::history();
    h.repo.append(
        "plan/ledger.csv",
        "2021-08-20,pulje,expense,1000,Skole,G-1,Tredje rate\n",
    );
    // 1630000000 is 2021-08-26 17:46:40 UTC; 99 h 59 min later it is 2021-08-30 in that zone.
    h.repo.commit_raw(
        b"Mette Lund <mette.lund@fjordby.example> 1630000000 +9959",
        None,
        b"Tredje rate\n",
    );
    h
}

#[test]
fn a_commit_with_an_odd_time_zone_is_read_with_the_offset_git_shows() {
    let h = odd_zone_history();
    let root = &h.repo.root;
    assert_eq!(
        h.repo.git(&["log", "-1", "--format=%cd", "--date=short"]),
        "2021-08-30"
    );
    let log = ok(root, &["log", "--format", "csv"]);
    let first = log.lines().nth(1).expect("a row");
    assert!(
        first.starts_with(&format!("{},2021-08-30,Mette Lund,", h.repo.rev("HEAD"))),
        "{log}"
    );
    // Date revisions walk past it; the baseline walk too.
    let status = ok(root, &["--rev", "2021-08-01", "status", "--format", "json"]);
    assert!(status.contains(h.id("head")), "{status}");
    ok(root, &["--baseline", "vedtaget", "export", "milestones"]);
    let rev = ok(root, &["--rev", "HEAD", "status", "--format", "json"]);
    assert!(rev.contains("\"date\": \"2021-08-30\""), "{rev}");
}

#[test]
fn a_commit_in_latin_1_is_decoded_by_its_encoding_header() {
    let h = repo::history();
    let root = &h.repo.root;
    h.repo.append(
        "plan/ledger.csv",
        "2021-08-20,pulje,expense,1000,Skole,G-1,Tredje rate\n",
    );
    // As an old tool with `i18n.commitEncoding = ISO-8859-1` writes it.
    h.repo.commit_raw(
        b"S\xf8ren Holm <soren@fjordby.example> 1629460800 +0200",
        Some("ISO-8859-1"),
        b"Bel\xf8b for tredje rate\n",
    );
    assert_eq!(
        h.repo.git(&["log", "-1", "--format=%an"]),
        "S\u{f8}ren Holm"
    );
    let log = ok(root, &["log", "--format", "csv"]);
    assert!(
        log.lines()
            .nth(1)
            .is_some_and(|l| l.contains(",S\u{f8}ren Holm,")),
        "{log}"
    );
    let json = ok(root, &["log", "--format", "json"]);
    assert!(
        json.contains("\"summary\": \"Bel\u{f8}b for tredje rate\""),
        "{json}"
    );
    assert!(!json.contains('\u{fffd}'), "{json}");
    let status = ok(root, &["--rev", "HEAD", "status", "--format", "json"]);
    assert!(status.contains("Bel\u{f8}b for tredje rate"), "{status}");
}

#[test]
fn a_rev_that_does_not_resolve_says_why_in_the_users_words() {
    // No commits yet.
    let empty = repo::Repo::new();
    empty
        .write("plan/plan.toml", repo::PLAN_TOML)
        .write("plan/initiatives/01-a.toml", repo::INITIATIVE_A);
    for args in [
        &["--rev", "HEAD", "status"][..],
        &["diff"],
        &["--baseline", "HEAD", "status"],
    ] {
        let err = fails(&empty.root, args, 2);
        assert!(err.contains("no commits yet"), "{args:?}: {err}");
        assert!(!err.contains("rev-spec"), "{args:?}: {err}");
    }

    let h = repo::history();
    let root = &h.repo.root;
    // A typo of a tag: the close names are offered.
    let err = fails(root, &["--rev", "vedtagt", "status"], 2);
    assert!(err.contains("did you mean `vedtaget`?"), "{err}");
    assert!(!err.contains("couldn't parse"), "{err}");
    // A symbolic reference that leads in a circle.
    h.repo
        .git(&["symbolic-ref", "refs/heads/loop1", "refs/heads/loop2"]);
    h.repo
        .git(&["symbolic-ref", "refs/heads/loop2", "refs/heads/loop1"]);
    let err = fails(root, &["--rev", "loop1", "status"], 2);
    assert!(
        err.contains("leads in a circle (loop1 → loop2 → loop1)"),
        "{err}"
    );
    assert!(!err.contains("rev-spec"), "{err}");
    // HEAD itself in the circle: not "no commits yet".
    h.repo.git(&["symbolic-ref", "HEAD", "refs/heads/loop1"]);
    let err = fails(root, &["log"], 2);
    assert!(err.contains("(HEAD → loop1 → loop2 → loop1)"), "{err}");
    h.repo.git(&["symbolic-ref", "HEAD", "refs/heads/main"]);
    std::fs::remove_file(root.join(".git/refs/heads/loop1")).expect("remove");
    std::fs::remove_file(root.join(".git/refs/heads/loop2")).expect("remove");
    // A damaged packed-refs.
    h.repo.git(&["pack-refs", "--all"]);
    let packed = root.join(".git/packed-refs");
    let mut text = std::fs::read_to_string(&packed).expect("packed-refs");
    text.push_str("not a reference line\n");
    std::fs::write(&packed, text).expect("write");
    let err = fails(root, &["--rev", "vedtaget", "status"], 2);
    assert!(err.contains("packed-refs is damaged"), "{err}");
    assert!(!err.contains("couldn't parse"), "{err}");
}

#[test]
fn an_annotated_tag_dates_the_revision_by_its_tagger_date() {
    let r = repo::Repo::new();
    r.write("plan/plan.toml", repo::PLAN_TOML)
        .write("plan/initiatives/01-a.toml", repo::INITIATIVE_A);
    r.commit("2021-06-20", "Statusrapport til udvalget");
    // The committee met two weeks later: the tag records the meeting, after A's M1 was due
    // (2021-06-30).
    r.tag("udvalg-2021-07", "2021-07-05");
    r.git(&["tag", "let", "HEAD"]);
    let json = ok(
        &r.root,
        &["--rev", "udvalg-2021-07", "status", "--format", "json"],
    );
    assert!(json.contains("\"as_of\": \"2021-07-05\""), "{json}");
    // A lightweight tag has no date of its own: the commit's.
    let json = ok(&r.root, &["--rev", "let", "status", "--format", "json"]);
    assert!(json.contains("\"as_of\": \"2021-06-20\""), "{json}");
    // A `plan diff` side named by the annotated tag is computed as of the meeting too: the
    // same files, M1 overdue by then.
    let diff = ok(
        &r.root,
        &["--format", "csv", "diff", "let", "udvalg-2021-07"],
    );
    assert!(
        diff.contains("milestone,A/M1,state,open,overdue,"),
        "{diff}"
    );
}

#[test]
fn report_since_a_revision_with_errors_exits_1_as_plan_diff_does() {
    let h = repo::history();
    let root = &h.repo.root;
    let diff = plan(root, &["--as-of", "2021-08-01", "diff", "broken"]);
    assert_eq!(diff.status.code(), Some(1));
    let report = plan(
        root,
        &["--as-of", "2021-08-01", "report", "--since", "broken"],
    );
    assert_eq!(
        report.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    // The page is written all the same, and the errors are on standard error.
    let page = String::from_utf8_lossy(&report.stdout);
    assert!(page.contains("id=\"changes\""), "{page}");
    let err = String::from_utf8_lossy(&report.stderr);
    assert!(err.contains("01-alfa.toml"), "{err}");
    // A readable REV still exits 0.
    ok(
        root,
        &["--as-of", "2021-08-01", "report", "--since", "vedtaget"],
    );
}

#[test]
fn a_checkout_with_autocrlf_is_compared_as_git_compares_it() {
    let r = repo::Repo::new();
    r.write("plan/plan.toml", repo::PLAN_TOML)
        .write("plan/initiatives/01-a.toml", repo::INITIATIVE_A)
        .write(
            "plan/ledger.csv",
            "date,budget,kind,amount,unit,ref,note\n2021-01-05,pulje,grant,40000,Skole,G-1,\"Første bevilling\n(to linjer)\"\n",
        );
    r.commit("2021-01-10", "Planen vedtaget");
    // A Windows colleague's checkout: CRLF in every text file, the blobs keep LF.
    r.git(&["config", "core.autocrlf", "true"]);
    std::fs::remove_dir_all(r.root.join("plan")).expect("remove");
    // (The test helper's git runs with `core.autocrlf=false`; a later `-c` wins.)
    r.git(&["-c", "core.autocrlf=true", "checkout", "--", "plan"]);
    let ledger = std::fs::read(r.root.join("plan/ledger.csv")).expect("ledger");
    assert!(ledger.windows(2).any(|w| w == b"\r\n"), "a CRLF checkout");
    assert_eq!(
        r.git(&["-c", "core.autocrlf=true", "status", "--porcelain"]),
        "",
        "git says clean"
    );
    let args = ["--as-of", "2021-02-01"];
    let diff = ok(&r.root, &[&args[..], &["diff"]].concat());
    assert!(diff.contains("No changes."), "{diff}");
    let status = ok(
        &r.root,
        &[&args[..], &["status", "--format", "json"]].concat(),
    );
    assert!(status.contains("\"dirty\": false"), "{status}");
    // A real edit is still one.
    r.append(
        "plan/ledger.csv",
        "2021-01-20,pulje,expense,100,Skole,G-1,Rate\r\n",
    );
    let diff = ok(&r.root, &[&args[..], &["--format", "csv", "diff"]].concat());
    assert_eq!(
        diff.lines()
            .filter(|l| l.starts_with("ledger,"))
            .collect::<Vec<_>>(),
        [
            "ledger,pulje,entries,0,1,",
            "ledger,pulje,amount,0.00,100.00,"
        ],
        "{diff}"
    );
    let status = ok(
        &r.root,
        &[&args[..], &["status", "--format", "json"]].concat(),
    );
    assert!(status.contains("\"dirty\": true"), "{status}");
}

#[test]
fn names_that_are_not_utf8_are_read_and_found_in_history() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    // An initiative file named on a Latin-1 system: `01-alfa-\xe6.toml`.
    let r = repo::Repo::new();
    r.write("plan/plan.toml", repo::PLAN_TOML);
    let latin1 = OsStr::from_bytes(b"01-alfa-\xe6.toml");
    std::fs::create_dir_all(r.root.join("plan/initiatives")).expect("mkdir");
    std::fs::write(
        r.root.join("plan/initiatives").join(latin1),
        repo::INITIATIVE_A,
    )
    .expect("write");
    // Read, not "No such file" (exit 2).
    ok(&r.root, &["--as-of", "2021-02-01", "check"]);
    let status = ok(&r.root, &["--as-of", "2021-02-01", "status"]);
    assert!(status.contains("Alfa"), "{status}");
    r.commit("2021-01-10", "Planen vedtaget");
    let json = ok(
        &r.root,
        &["--as-of", "2021-02-01", "status", "--format", "json"],
    );
    assert!(json.contains("\"dirty\": false"), "{json}");
    let rev = ok(&r.root, &["--rev", "HEAD", "status"]);
    assert!(rev.contains("Alfa"), "{rev}");

    // A plan folder named so.
    let r = repo::Repo::new();
    let folder = OsStr::from_bytes(b"pl\xe6n");
    let dir = r.root.join(folder);
    std::fs::create_dir_all(dir.join("initiatives")).expect("mkdir");
    std::fs::write(dir.join("plan.toml"), repo::PLAN_TOML).expect("write");
    std::fs::write(dir.join("initiatives/01-a.toml"), repo::INITIATIVE_A).expect("write");
    r.commit("2021-01-10", "Planen vedtaget");
    let output = Command::new(env!("CARGO_BIN_EXE_plan"))
        .arg("--plan")
        .arg(folder)
        .args(["--format", "csv", "log"])
        .current_dir(&r.root)
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .output()
        .expect("plan");
    let log = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(log.contains(",initiative,A,added,,Alfa,"), "{log}");
}
