//! History (SPEC 10) on repositories these tests build with the `git` program: `--rev`
//! gives what a checkout gives, the revision every report names, and the failures of
//! history (no repository, a shallow clone, a REV that does not resolve, a plan directory
//! that did not exist).

#[path = "common/repo.rs"]
mod repo;

use repo::{HOLDER, Repo};

/// Dates of the history built by [`fjordby_history`], in commit order.
const ADOPTED: &str = "2021-01-15T09:00:00+01:00";
const README: &str = "2021-03-01T10:00:00+01:00";
const CANCELLED: &str = "2021-06-20T23:30:00+02:00";
const MERGED: &str = "2021-09-01T12:00:00+02:00";
const RENAMED: &str = "2021-10-01T12:00:00+02:00";
const BROKEN: &str = "2021-11-01T12:00:00+01:00";
const FIXED: &str = "2021-12-01T12:00:00+01:00";

/// The fictional Fjordby plan with a history: adopted with half its ledger and the first
/// update of I2; a commit outside the plan folder; I2 cancelled, the whole ledger and a
/// milestone moved; a side branch merged (a new update on I6); I2's file renamed; a commit
/// with a broken initiative file; its fix.
pub fn fjordby_history() -> Repo {
    let repo = Repo::new();
    // A frozen copy of the fictional example plan: the history (and so every commit id in
    // the goldens) must not change when the example does.
    repo.copy_dir("tests/history.in/fjordby", "plan");
    let ledger = repo.read("plan/ledger.csv");
    let i2 = repo.read("plan/initiatives/02-digital-post.toml");
    let i6 = repo.read("plan/initiatives/06-skolenetvaerk.toml");
    let half: Vec<&str> = ledger.lines().take(10).collect();
    repo.write("plan/ledger.csv", &(half.join("\n") + "\n"));
    let first_update = i2
        .split("[[update]]")
        .take(2)
        .collect::<Vec<_>>()
        .join("[[update]]");
    repo.write("plan/initiatives/02-digital-post.toml", &first_update);
    repo.write(
        "plan/initiatives/06-skolenetvaerk.toml",
        i6.replace("due = 2022-12-31", "due = 2022-09-30"),
    );
    repo.write("README.md", "Fjordby\n");
    repo.commit_at(HOLDER, ADOPTED, "Plan adopted");
    repo.git_as(HOLDER, ADOPTED, &["tag", "vedtaget"]);

    repo.write("README.md", "Fjordby Kommune\n");
    repo.commit_at(HOLDER, README, "Readme");

    repo.write("plan/ledger.csv", &ledger);
    repo.write("plan/initiatives/02-digital-post.toml", &i2);
    repo.write("plan/initiatives/06-skolenetvaerk.toml", &i6);
    repo.commit_at(HOLDER, CANCELLED, "Digital Post cancelled; ledger to June");

    repo.git_as(HOLDER, MERGED, &["checkout", "-q", "-b", "side"]);
    repo.write(
        "plan/initiatives/06-skolenetvaerk.toml",
        &(i6.clone()
            + "\n[[update]]\ndate = 2021-08-15\nstatus = \"at-risk\"\nnote = \"Leverancen er forsinket.\"\n"),
    );
    repo.commit_at(HOLDER, "2021-08-15T12:00:00+02:00", "I6 at risk");
    repo.git_as(HOLDER, MERGED, &["checkout", "-q", "main"]);
    repo.git_as(
        HOLDER,
        MERGED,
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge the I6 update",
            "side",
        ],
    );

    repo.git_as(
        HOLDER,
        RENAMED,
        &[
            "mv",
            "plan/initiatives/02-digital-post.toml",
            "plan/initiatives/02-post.toml",
        ],
    );
    repo.commit_at(HOLDER, RENAMED, "Rename I2's file");

    let good = repo.read("plan/initiatives/05-datavarehus.toml");
    repo.write(
        "plan/initiatives/05-datavarehus.toml",
        good.replace("due = 2021-10-31", "due = \"someday\""),
    );
    repo.commit_at(HOLDER, BROKEN, "A broken date");
    repo.write("plan/initiatives/05-datavarehus.toml", &good);
    repo.commit_at(HOLDER, FIXED, "Fix the date");
    repo
}

fn text(output: &std::process::Output) -> (String, String, Option<i32>) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code(),
    )
}

/// The one thing `--rev` and a checkout may print differently: what they read (a commit, or
/// the working tree at that commit with nothing changed), and `SHORTID:` before file names.
fn same_but_revision(s: &str, short: &str) -> String {
    s.replace(&format!("{short}:"), "")
        .replace(",\n    \"dirty\": false", "")
        .replace("Working tree · HEAD ", "Commit ")
        .replace(" · plan files as committed", "")
}

/// Every report and export, in the formats that show something different.
const COMMANDS: &[&[&str]] = &[
    &["status"],
    &["--format", "json", "status"],
    &["--format", "markdown", "status"],
    &["initiatives"],
    &["initiatives", "I2"],
    &["--format", "json", "initiatives", "I6"],
    &["budget"],
    &["budget", "--by", "month"],
    &["--format", "json", "budget", "--by", "unit"],
    &["scores"],
    &["scores", "--by", "unit"],
    &["check"],
    &["--format", "json", "check"],
    &["export", "status"],
    &["export", "milestones"],
    &["export", "criteria"],
    &["export", "budget"],
    &["export", "budget", "--by", "year"],
    &["export", "ledger"],
    &["export", "scores"],
    &["export", "scores", "--by", "unit"],
    &["--format", "json", "export", "ledger"],
    &["report"],
];

#[test]
fn rev_gives_what_a_checkout_gives_for_every_report() {
    let repo = fjordby_history();
    for (rev, date) in [
        ("vedtaget", "2021-01-15"),
        ("HEAD~4", "2021-06-20"),
        ("HEAD~3", "2021-09-01"),
    ] {
        let checkout = repo.clone_at(rev);
        let dir = checkout.path().join("c");
        let short = &repo::git_in(&dir, &["rev-parse", "--short=7", "HEAD"], &[]);
        let short = short.trim();
        for command in COMMANDS {
            for as_of in [None, Some("2022-06-30")] {
                let mut with_rev = vec!["--rev", rev];
                // Without --as-of, --rev takes the commit's date; the checkout is given it.
                let mut in_checkout = vec!["--as-of", as_of.unwrap_or(date)];
                if let Some(as_of) = as_of {
                    with_rev.extend(["--as-of", as_of]);
                }
                with_rev.extend(command.iter());
                in_checkout.extend(command.iter());
                let (out, err, code) = text(&repo.plan(&with_rev));
                let (want_out, want_err, want_code) = text(&repo::plan_in(&dir, &in_checkout));
                assert_eq!(code, want_code, "{with_rev:?}: {err}");
                assert!(matches!(code, Some(0 | 1)), "{with_rev:?} failed: {err}");
                assert_eq!(
                    same_but_revision(&out, short),
                    same_but_revision(&want_out, short),
                    "{with_rev:?}"
                );
                assert_eq!(same_but_revision(&err, short), want_err, "{with_rev:?}");
            }
        }
    }
}

#[test]
fn rev_names_the_commit_and_the_working_tree_says_whether_it_changed() {
    let repo = fjordby_history();
    let json = text(&repo.plan(&[
        "--rev", "vedtaget", "--format", "json", "export", "criteria",
    ]))
    .0;
    let head = repo.git(&["rev-parse", "vedtaget"]);
    assert!(
        json.contains(&format!("\"commit\": \"{}\"", head.trim())),
        "{json}"
    );
    assert!(json.contains("\"date\": \"2021-01-15\""), "{json}");
    assert!(json.contains("\"as_of\": \"2021-01-15\""), "{json}");
    assert!(json.contains("\"summary\": \"Plan adopted\""), "{json}");
    assert!(!json.contains("dirty"), "{json}");
    let json = text(&repo.plan(&[
        "--as-of",
        "2022-06-30",
        "--format",
        "json",
        "export",
        "criteria",
    ]))
    .0;
    assert!(json.contains("\"summary\": \"Fix the date\""), "{json}");
    assert!(json.contains("\"dirty\": false"), "{json}");
    let status = text(&repo.plan(&["--as-of", "2022-06-30", "status"])).0;
    assert!(
        status.contains(" · Fix the date · plan files as committed"),
        "{status}"
    );
    repo.write("README.md", "changed outside the plan\n");
    let json = text(&repo.plan(&["--as-of", "2022-06-30", "--format", "json", "check"])).0;
    assert!(json.contains("\"dirty\": false"), "{json}");
    repo.write(
        "plan/ledger.csv",
        &(repo.read("plan/ledger.csv") + "2022-06-01,platform,expense,1000,,,\n"),
    );
    let json = text(&repo.plan(&["--as-of", "2022-06-30", "--format", "json", "check"])).0;
    assert!(json.contains("\"dirty\": true"), "{json}");
    let status = text(&repo.plan(&["--as-of", "2022-06-30", "status"])).0;
    assert!(status.contains("plan files changed since HEAD"), "{status}");
    let page = text(&repo.plan(&["--as-of", "2022-06-30", "report"])).0;
    assert!(page.contains("plan files changed since HEAD"), "{page}");
    let page = text(&repo.plan(&["--rev", "vedtaget", "report"])).0;
    assert!(
        page.contains("Commit ") && page.contains("Plan adopted"),
        "{page}"
    );
}

#[test]
fn a_date_rev_takes_the_newest_first_parent_commit_of_that_day() {
    let repo = fjordby_history();
    // 23:30 in UTC+02:00 on 2021-06-20 is 21:30 UTC: still the 20th in its own zone.
    let json = text(&repo.plan(&[
        "--rev",
        "2021-06-20",
        "--format",
        "json",
        "export",
        "criteria",
    ]))
    .0;
    assert!(json.contains("Digital Post cancelled"), "{json}");
    assert!(json.contains("\"as_of\": \"2021-06-20\""), "{json}");
    let json = text(&repo.plan(&[
        "--rev",
        "2021-06-19",
        "--format",
        "json",
        "export",
        "criteria",
    ]))
    .0;
    assert!(json.contains("\"summary\": \"Readme\""), "{json}");
    // The side branch's commit (2021-08-15) is not on the first-parent line.
    let json = text(&repo.plan(&[
        "--rev",
        "2021-08-31",
        "--format",
        "json",
        "export",
        "criteria",
    ]))
    .0;
    assert!(json.contains("Digital Post cancelled"), "{json}");
    // The date REV is the as-of date, not the commit's.
    assert!(json.contains("\"as_of\": \"2021-08-31\""), "{json}");
}

#[test]
fn a_broken_commit_names_its_files_by_commit() {
    let repo = fjordby_history();
    let (out, err, code) = text(&repo.plan(&["--rev", "HEAD~1", "check"]));
    assert_eq!(code, Some(1), "{out}{err}");
    let short = repo.git(&["rev-parse", "--short=7", "HEAD~1"]);
    assert!(
        out.contains(&format!(
            "{}:plan/initiatives/05-datavarehus.toml:",
            short.trim()
        )),
        "{out}"
    );
    let (_, err, code) = text(&repo.plan(&["--rev", "HEAD~1", "status"]));
    assert_eq!(code, Some(1));
    assert!(
        err.contains(&format!(
            "{}:plan/initiatives/05-datavarehus.toml",
            short.trim()
        )),
        "{err}"
    );
}

#[test]
fn history_failures_exit_2_saying_what_to_do() {
    let repo = fjordby_history();
    let (_, err, code) = text(&repo.plan(&["--rev", "no-such-tag", "status"]));
    assert_eq!(code, Some(2));
    assert!(err.contains("`no-such-tag` does not resolve"), "{err}");
    let (_, err, code) = text(&repo.plan(&["diff", "vedtaget", "nope"]));
    assert_eq!(code, Some(2));
    assert!(err.contains("`nope` does not resolve"), "{err}");
    let (_, err, code) = text(&repo.plan(&["--rev", "HEAD", "diff"]));
    assert_eq!(code, Some(2));
    assert!(err.contains("give FROM and TO"), "{err}");
    let (_, err, code) = text(&repo.plan(&["--rev", "2019-01-01", "status"]));
    assert_eq!(code, Some(2));
    assert!(
        err.contains("no commit on HEAD's first-parent line"),
        "{err}"
    );
    let (_, err, code) = text(&repo.plan(&["--rev", "vedtaget", "--plan", "other", "status"]));
    assert_eq!(code, Some(2), "{err}");
    repo.write("other/plan.toml", "format = 1\n");
    let (_, err, code) = text(&repo.plan(&["--rev", "vedtaget", "--plan", "other", "status"]));
    assert_eq!(code, Some(2));
    assert!(
        err.contains("the plan directory `other` does not exist in commit"),
        "{err}"
    );

    // Outside any repository.
    let bare = tempfile::tempdir().expect("temp");
    repo::copy_dir("tests/history.in/fjordby", &bare.path().join("plan"));
    let (_, err, code) = text(&repo::plan_in(bare.path(), &["--rev", "HEAD", "status"]));
    assert_eq!(code, Some(2));
    assert!(err.contains("not in a git repository"), "{err}");
    for args in [
        &["diff"][..],
        &["log"],
        &["--format", "json", "diff", "HEAD"],
    ] {
        let (_, err, code) = text(&repo::plan_in(bare.path(), args));
        assert_eq!(code, Some(2), "{args:?}");
        assert!(err.contains("not in a git repository"), "{args:?}: {err}");
    }
    // Outside a repository the revision is null, and the status screen names none.
    let (out, _, _) = text(&repo::plan_in(
        bare.path(),
        &["--format", "json", "export", "criteria"],
    ));
    assert!(out.contains("\"revision\": null"), "{out}");

    // A shallow clone: HEAD reads; history before it says to fetch it.
    let clone = tempfile::tempdir().expect("temp");
    let url = format!("file://{}", repo.path().display());
    repo::git_in(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "c"],
        &[],
    );
    let dir = clone.path().join("c");
    let (_, err, code) = text(&repo::plan_in(
        &dir,
        &["--rev", "HEAD", "--as-of", "2022-06-30", "status"],
    ));
    assert_eq!(code, Some(0), "{err}");
    let (_, err, code) = text(&repo::plan_in(&dir, &["--rev", "HEAD~2", "status"]));
    assert_eq!(code, Some(2));
    assert!(err.contains("fetch-depth: 0"), "{err}");
    let (_, err, code) = text(&repo::plan_in(&dir, &["--rev", "vedtaget", "status"]));
    assert_eq!(code, Some(2));
    assert!(err.contains("fetch-depth: 0"), "{err}");
}

/// Compare with `tests/history/NAME`; `HISTORY_OVERWRITE=1 cargo test --test history`
/// writes the files instead (then read the diff before committing it).
fn golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/history")
        .join(name);
    if std::env::var_os("HISTORY_OVERWRITE").is_some() {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, actual).expect("write");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{name} differs (regenerate with HISTORY_OVERWRITE=1 cargo test --test history, then read the diff):\n{actual}"
    );
}

/// Run `plan` and record stdout, then stderr and the exit code, in one golden file.
fn record(repo: &Repo, name: &str, args: &[&str]) {
    let (out, err, code) = text(&repo.plan(args));
    let mut all = format!("$ plan {}\n", args.join(" "));
    all.push_str(&out);
    if !err.is_empty() {
        all.push_str("--- stderr\n");
        all.push_str(&err);
    }
    all.push_str(&format!("--- exit {}\n", code.unwrap_or(-1)));
    golden(name, &all);
}

#[test]
fn diff_golden() {
    let repo = fjordby_history();
    record(
        &repo,
        "diff-adopted-june.txt",
        &["diff", "vedtaget", "HEAD~4"],
    );
    record(
        &repo,
        "diff-adopted-head.md",
        &["--format", "markdown", "diff", "vedtaget", "HEAD"],
    );
    record(
        &repo,
        "diff-adopted-head.csv",
        &["--format", "csv", "diff", "vedtaget", "HEAD"],
    );
    record(
        &repo,
        "diff-dates.json",
        &["--format", "json", "diff", "2021-01-31", "2021-06-30"],
    );
    // The working tree, as of --as-of, against HEAD (each side as of its own date).
    record(
        &repo,
        "diff-worktree.txt",
        &["--as-of", "2022-06-30", "diff"],
    );
    // The broken commit: its diagnostics named SHORTID:path, exit 1, the data still compared.
    record(&repo, "diff-broken.txt", &["diff", "HEAD~2", "HEAD~1"]);
    // Nothing changed.
    record(&repo, "diff-none.txt", &["diff", "HEAD", "HEAD"]);
    // In Danish: headings, kinds, fields, words, numbers and dates (issue 18).
    record(
        &repo,
        "diff-adopted-head-da.txt",
        &["--lang", "da", "diff", "vedtaget", "HEAD"],
    );
    record(
        &repo,
        "diff-worktree-da.md",
        &[
            "--lang",
            "da",
            "--as-of",
            "2022-06-30",
            "--format",
            "markdown",
            "diff",
        ],
    );
}

#[test]
fn log_golden() {
    let repo = fjordby_history();
    // The README commit is not listed; the merge is, against its first parent; the rename
    // changes no data; the broken commit lists its diagnostics on stderr.
    record(&repo, "log.txt", &["log"]);
    record(&repo, "log.md", &["--format", "markdown", "log", "I6"]);
    record(&repo, "log.csv", &["--format", "csv", "log", "I6/I6-M2"]);
    record(&repo, "log.json", &["--format", "json", "log", "platform"]);
    record(
        &repo,
        "log-since-until.txt",
        &[
            "log",
            "--since",
            "2021-06-01",
            "--until",
            "2021-10-31",
            "I2",
        ],
    );
    record(
        &repo,
        "log-rev.txt",
        &["--rev", "vedtaget", "log", "kompetencepulje"],
    );
    record(&repo, "log-da.txt", &["--lang", "da", "log", "I6"]);
    record(
        &repo,
        "log-da.md",
        &[
            "--lang",
            "da",
            "--format",
            "markdown",
            "log",
            "kompetencepulje",
        ],
    );
}

#[test]
fn log_in_a_shallow_clone_says_to_fetch_the_whole_history() {
    let repo = fjordby_history();
    let clone = tempfile::tempdir().expect("temp");
    let url = format!("file://{}", repo.path().display());
    repo::git_in(
        clone.path(),
        &["clone", "-q", "--depth", "2", &url, "c"],
        &[],
    );
    let (out, err, code) = text(&repo::plan_in(&clone.path().join("c"), &["log"]));
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(err.contains("fetch-depth: 0"), "{err}");
    // What the clone holds still compares (HEAD~1 is the broken commit: exit 1).
    let (out, err, code) = text(&repo::plan_in(
        &clone.path().join("c"),
        &["diff", "HEAD~1", "HEAD"],
    ));
    assert_eq!(code, Some(1), "{err}");
    assert!(out.contains("due: someday → 31 Oct 2021"), "{out}");
}

/// `plan log ID` for an id that never existed is an error naming it, not "no changes".
#[test]
fn log_of_an_unknown_id_names_it() {
    let repo = fjordby_history();
    let (out, err, code) = text(&repo::plan_in(repo.path(), &["log", "I99"]));
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(err.contains("`I99` names no initiative"), "{err}");
}

/// `plan` in the repository with `PLAN_HISTORY_CACHE` set: `0` reads every file of every
/// state again instead of reusing what a file with the same blob id gave.
fn plan_cached(repo: &Repo, cache: &str, args: &[&str]) -> (String, String, Option<i32>) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(args)
        .current_dir(repo.path())
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C")
        .env("PLAN_HISTORY_CACHE", cache)
        .env_remove("PLAN_DIR")
        .env_remove("GIT_DIR")
        .env_remove("GIT_CEILING_DIRECTORIES")
        .output()
        .expect("the plan binary");
    text(&output)
}

/// The outputs of `plan` with each of `args` are the same with the history cache and
/// without it (and not empty).
fn same_with_and_without_cache(repo: &Repo, args: &[&[&str]]) {
    for args in args {
        let cached = plan_cached(repo, "1", args);
        let uncached = plan_cached(repo, "0", args);
        assert!(!cached.0.is_empty(), "{args:?} printed nothing");
        assert_eq!(cached, uncached, "{args:?}");
    }
}

/// What `plan log` and `plan diff` reuse between states (SPEC 10.5) changes no figure: the
/// outputs with the cache are those without it, in every format.
#[test]
fn the_history_cache_changes_no_output() {
    let repo = fjordby_history();
    same_with_and_without_cache(
        &repo,
        &[
            &["log"][..],
            &["--format", "json", "log"],
            &["--format", "csv", "log", "I6"],
            &["--format", "json", "diff", "vedtaget", "HEAD"],
            &["diff", "HEAD~2", "HEAD~1"],
            &["--as-of", "2022-06-30", "diff"],
            &["--baseline", "vedtaget", "export", "milestones"],
        ],
    );
}

/// A ledger that grows by appended rows is read on from the parent's (SPEC 10.5), in UTF-8
/// and in the finance department's Windows-1252 files; every other change to it is read
/// whole: a row dated after the commit, a row with an error and its fix, a row edited in the
/// middle; a budget raised in plan.toml is read on (amounts do not change how rows are
/// checked). The log is the same with and without the cache, and the
/// appended rows are counted as written here.
#[test]
fn a_growing_ledger_is_compared_by_its_new_rows() {
    let repo = Repo::new();
    repo.copy_dir("tests/history.in/fjordby", "plan");
    let finance_path = repo.path().join("plan/okonomi/2021-2022.csv");
    let finance = std::fs::read(&finance_path).expect("the finance file");
    let finance_lines: Vec<&[u8]> = finance.split_inclusive(|&b| b == b'\n').collect();
    let mut finance_now = finance_lines[0].to_vec();
    let mut add_finance = |lines: &[usize]| {
        for &i in lines {
            finance_now.extend_from_slice(finance_lines[i]);
        }
        std::fs::write(&finance_path, &finance_now).expect("write the finance file");
    };
    add_finance(&[]);
    let first = "date,budget,kind,amount,unit,ref,note\n\
                 2020-01-20,platform,grant,150000,Digitalisering og IT,KON-2020-00,Forundersøgelse\n\
                 2020-02-10,platform,expense,140000,Digitalisering og IT,KON-2020-00,Forundersøgelse\n";
    repo.write("plan/ledger.csv", first);
    repo.commit_at(HOLDER, "2021-01-15T09:00:00+01:00", "Plan adopted");
    let append = |rows: &str, message: &str, date: &str| {
        let ledger = repo.read("plan/ledger.csv") + rows;
        repo.write("plan/ledger.csv", &ledger);
        repo.commit_at(HOLDER, date, message);
    };
    append(
        "2021-02-01,kompetencepulje,grant,120000,Skoleområdet,KP-2021-01,Kompetencer\n\
         2021-03-15,kompetencepulje,grant,95000.00,Sundhed og Omsorg,KP-2021-02,E-læring\n",
        "Two grants",
        "2021-04-01T09:00:00+02:00",
    );
    // The finance file's grant of 15-06-2021 and hours of 30-06-2021.
    add_finance(&[1, 7]);
    repo.commit_at(HOLDER, "2021-07-01T09:00:00+02:00", "From finance");
    // Its grant of 01-10-2021, appended before its date.
    add_finance(&[2]);
    repo.commit_at(HOLDER, "2021-07-15T09:00:00+02:00", "A grant to come");
    append(
        "2021-12-31,digitaliseringsteam,hours,100,,DT-2021,Året\n",
        "Hours dated after the commit",
        "2021-08-01T09:00:00+02:00",
    );
    append(
        "2021-04-10,kompetencepulje,expense,40000,Skoleområdet,KP-2021-01,Kursus\n",
        "An expense",
        "2021-09-01T09:00:00+02:00",
    );
    append(
        "2021-06-15,platform,expense,25000,Borgerservice,,Annoncer\n",
        "One more",
        "2022-01-10T09:00:00+01:00",
    );
    append(
        "2021-06-20,byggepulje,expense,5000,,,Forkert budget\n",
        "A row naming no budget",
        "2022-02-01T09:00:00+01:00",
    );
    let fixed = repo
        .read("plan/ledger.csv")
        .replace("byggepulje", "kompetencepulje");
    repo.write("plan/ledger.csv", &fixed);
    repo.commit_at(HOLDER, "2022-03-01T09:00:00+01:00", "Fixed");
    let edited = fixed.replace("140000,", "140500,");
    repo.write("plan/ledger.csv", &edited);
    repo.commit_at(HOLDER, "2022-04-01T09:00:00+02:00", "An amount corrected");
    let plan = repo.read("plan/plan.toml");
    repo.write(
        "plan/plan.toml",
        plan.replace("amount = 2400000", "amount = 2500000"),
    );
    repo.write(
        "plan/ledger.csv",
        &(edited + "2021-07-01,platform,expense,1000,,,Porto\n"),
    );
    repo.commit_at(
        HOLDER,
        "2022-05-01T09:00:00+02:00",
        "Budget raised, a row added",
    );

    same_with_and_without_cache(
        &repo,
        &[
            &["log"][..],
            &["--format", "json", "log"],
            &["--format", "csv", "log", "kompetencepulje"],
            &["--format", "json", "diff", "HEAD~10", "HEAD"],
        ],
    );
    let csv = plan_cached(&repo, "1", &["--format", "csv", "log"]).0;
    let rows = |date: &str| -> Vec<String> {
        csv.lines()
            .filter(|l| l.contains(&format!(",{date},")) && l.contains(",ledger,"))
            .map(|l| l.splitn(4, ',').nth(3).unwrap_or_default().to_string())
            .collect()
    };
    // 120000 + 95000.00.
    assert_eq!(
        rows("2021-04-01"),
        [
            "ledger,kompetencepulje,entries,0,2,",
            "ledger,kompetencepulje,amount,0.00,215000.00,"
        ]
    );
    // 110.000,00 and 805,50 from the Windows-1252 file.
    assert_eq!(
        rows("2021-07-01"),
        [
            "ledger,kompetencepulje,entries,0,1,",
            "ledger,kompetencepulje,amount,0.00,110000.00,",
            "ledger,digitaliseringsteam,entries,0,1,",
            "ledger,digitaliseringsteam,amount,0.00,805.50,"
        ]
    );
    // Rows dated after the commit count once their date has come.
    assert_eq!(rows("2021-07-15"), Vec::<String>::new());
    assert_eq!(rows("2021-08-01"), Vec::<String>::new());
    assert_eq!(
        rows("2021-09-01"),
        [
            "ledger,kompetencepulje,entries,0,1,",
            "ledger,kompetencepulje,amount,0.00,40000.00,"
        ]
    );
    assert_eq!(
        rows("2022-01-10"),
        [
            "ledger,platform,entries,0,1,",
            "ledger,platform,amount,0.00,25000.00,",
            "ledger,kompetencepulje,entries,0,1,",
            "ledger,kompetencepulje,amount,0.00,40000.00,",
            "ledger,digitaliseringsteam,entries,0,1,",
            "ledger,digitaliseringsteam,amount,0.00,100.00,"
        ]
    );
    // A state with an error has no figures; its fix is compared whole.
    assert_eq!(rows("2022-02-01"), Vec::<String>::new());
    // The corrected amount: one row removed, one added.
    assert_eq!(
        rows("2022-04-01"),
        [
            "ledger,platform,entries,1,1,",
            "ledger,platform,amount,140000.00,140500.00,"
        ]
    );
    assert_eq!(
        rows("2022-05-01"),
        [
            "ledger,platform,entries,0,1,",
            "ledger,platform,amount,0.00,1000.00,"
        ]
    );
}

/// An initiative file that grows by `[[update]]` tables appended is read for what was
/// appended (SPEC 10.5); what may read differently, or has something to report, is read
/// whole: an update with a wrong status and its fix, an update dated decades off (W005), a
/// milestone appended. The log is the same with and without the cache, and names each
/// update as written.
#[test]
fn a_growing_initiative_file_is_read_by_its_new_updates() {
    let repo = Repo::new();
    repo.copy_dir("tests/history.in/fjordby", "plan");
    repo.commit_at(HOLDER, "2021-01-15T09:00:00+01:00", "Plan adopted");
    let i3 = "plan/initiatives/03-loenrobotter.toml";
    let append = |text: &str, message: &str, date: &str| {
        let grown = repo.read(i3) + text;
        repo.write(i3, &grown);
        repo.commit_at(HOLDER, date, message);
    };
    let update = |date: &str, status: &str| {
        format!("\n[[update]]\ndate = {date}\nstatus = \"{status}\"\nnote = \"Note {date}\"\n")
    };
    append(
        &update("2021-02-01", "delayed"),
        "Delayed",
        "2021-02-01T09:00:00+01:00",
    );
    append(
        &update("2021-03-01", "late"),
        "A wrong status",
        "2021-03-01T09:00:00+01:00",
    );
    let fixed = repo.read(i3).replace("\"late\"", "\"at-risk\"");
    repo.write(i3, &fixed);
    repo.commit_at(HOLDER, "2021-03-02T09:00:00+01:00", "Fixed");
    append(
        "\n[[update]]\ndate = 2021-04-01\nnote = \"A note\"\n",
        "A note",
        "2021-04-01T09:00:00+02:00",
    );
    append(
        &update("2091-05-01", "on-track"),
        "Decades off",
        "2021-05-01T09:00:00+02:00",
    );
    let far = repo.read(i3).replace("2091-05-01", "2021-05-01");
    repo.write(i3, &far);
    repo.commit_at(HOLDER, "2021-05-02T09:00:00+02:00", "Date fixed");
    append(
        &(update("2021-06-01", "on-track") + &update("2021-06-02", "done")),
        "Two at once",
        "2021-06-02T09:00:00+02:00",
    );
    append(
        "\n[[milestone]]\nid = \"I3-M9\"\ntitle = \"Evaluering\"\ndue = 2021-12-31\n",
        "A milestone",
        "2021-06-03T09:00:00+02:00",
    );
    append(
        &update("2021-07-01", "done"),
        "Once more",
        "2021-07-01T09:00:00+02:00",
    );
    // Keys rewritten: read for the keys alone, or whole when they have an error.
    let rewrite = |from: &str, to: &str, message: &str, date: &str| {
        let text = repo.read(i3);
        assert!(text.contains(from), "{from}");
        repo.write(i3, text.replacen(from, to, 1));
        repo.commit_at(HOLDER, date, message);
    };
    rewrite(
        "summary = \"",
        "summary = \"Kortere. ",
        "Summary",
        "2021-07-02T09:00:00+02:00",
    );
    rewrite(
        "title = \"",
        "why = \"Tid\"\ntitle = \"",
        "Why",
        "2021-07-03T09:00:00+02:00",
    );
    rewrite("Kortere. ", "", "Summary back", "2021-07-04T09:00:00+02:00");
    rewrite(
        "why = \"Tid\"",
        "hvorfor = \"Tid\"",
        "A wrong key",
        "2021-07-05T09:00:00+02:00",
    );
    rewrite(
        "hvorfor = \"Tid\"",
        "why = \"Mere tid\"",
        "Key fixed",
        "2021-07-06T09:00:00+02:00",
    );
    append(
        &update("2021-08-01", "paused"),
        "Paused",
        "2021-08-01T09:00:00+02:00",
    );

    same_with_and_without_cache(
        &repo,
        &[
            &["log"][..],
            &["--format", "json", "log"],
            &["--format", "csv", "log", "I3"],
            &["--format", "json", "diff", "HEAD~8", "HEAD"],
        ],
    );
    let (csv, stderr, _) = plan_cached(&repo, "1", &["--format", "csv", "log", "I3"]);
    assert!(
        stderr.contains("`late`") && stderr.contains("`hvorfor`"),
        "{stderr}"
    );
    assert!(!csv.contains("initiative,I3,removed"), "{csv}");
    assert!(
        csv.contains("I3,summary,Rutineopgaver") && csv.contains(",Kortere. "),
        "{csv}"
    );
    assert!(
        csv.contains("I3,why,,Tid,") && csv.contains("Mere tid"),
        "{csv}"
    );
    for written in [
        "2021-02-01 delayed: Note 2021-02-01",
        "2021-03-01 at-risk: Note 2021-03-01",
        "2021-04-01: A note",
        "2021-05-01 on-track: Note 2021-05-01",
        "2021-06-02 done: Note 2021-06-02",
        "2021-07-01 done: Note 2021-07-01",
        "initiative,I3,status,done,paused",
    ] {
        assert!(csv.contains(written), "{written}\n{csv}");
    }
}

/// A broken state's diagnostics are printed once by `plan log`, however often that state (or
/// the same files at a later commit) is loaded: here the broken files stay through two commits
/// outside the plan folder, and the fix is compared with the last of them.
#[test]
fn plan_log_prints_a_broken_states_errors_once() {
    let repo = Repo::new();
    repo.copy_dir("tests/history.in/fjordby", "plan");
    repo.commit_at(HOLDER, "2021-01-15T09:00:00+01:00", "Plan adopted");
    let i3 = "plan/initiatives/03-loenrobotter.toml";
    let good = repo.read(i3);
    repo.write(i3, format!("{good}\nfarve = \"blå\"\n"));
    repo.commit_at(
        HOLDER,
        "2021-02-01T09:00:00+01:00",
        "A key the format does not have",
    );
    for (n, date) in [
        (1, "2021-02-02T09:00:00+01:00"),
        (2, "2021-02-03T09:00:00+01:00"),
    ] {
        repo.write("README.md", format!("Fjordby {n}\n"));
        repo.commit_at(HOLDER, date, "Readme");
    }
    repo.write(i3, &good);
    repo.commit_at(HOLDER, "2021-02-04T09:00:00+01:00", "Fixed");
    let (stdout, stderr, code) = text(&repo.plan(&["log"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("Fixed"), "{stdout}");
    assert_eq!(stderr.matches("unknown key `farve`").count(), 1, "{stderr}");
}
