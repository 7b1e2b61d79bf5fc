//! `plan log` and the passage of time (SPEC 10.3, issue 18): what changes by time alone (a
//! milestone becoming overdue, an initiative becoming stale, a criterion's deadline passing)
//! belongs to no commit. It is listed as dated events of their own (`date`, blank author,
//! summary `time`) between the commits, in every format; a commit is credited with what its
//! own edits changed only.
#![cfg(unix)]

#[path = "common/repo.rs"]
mod repo;

use std::path::Path;

use repo::Repo;

const FINANCE: (&str, &str) = ("Karin Holm", "karin.holm@fjordby.example");

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = repo::plan_in(dir, args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Adopted 2021-01-10 (A: M1 due 2021-06-30; the criterion `pris` due 2022-12-31); the
/// finance officer appends a ledger row on 2021-08-02, after M1's due passed; the
/// coordinator marks M1 done (late) on 2021-09-01.
fn history() -> Repo {
    let r = Repo::new();
    r.write("plan/plan.toml", repo::PLAN_TOML)
        .write("plan/initiatives/01-a.toml", repo::INITIATIVE_A)
        .write(
            "plan/ledger.csv",
            "date,budget,kind,amount,unit,ref,note\n2021-01-05,pulje,grant,40000,Skole,G-1,Bevilling\n",
        );
    r.commit("2021-01-10", "Planen vedtaget");
    r.append(
        "plan/ledger.csv",
        "2021-07-30,pulje,expense,10000,Skole,G-1,Første rate\n",
    );
    r.commit_as(FINANCE, "2021-08-02", "Bogføring juli");
    r.replace(
        "plan/initiatives/01-a.toml",
        "due = 2021-06-30\n",
        "due = 2021-06-30\ndone = 2021-08-20\n",
    );
    r.commit("2021-09-01", "A: M1 leveret");
    r
}

#[test]
fn a_milestone_becoming_overdue_is_a_dated_event_not_the_next_commits() {
    let r = history();
    let root = &r.root;
    let text = ok(root, &["log", "A/M1"]);
    let headings: Vec<&str> = text.lines().filter(|l| l.contains(" · ")).collect();
    assert_eq!(headings.len(), 3, "{text}");
    assert!(
        headings[0].ends_with("· 1 Sep 2021 · Mette Lund · A: M1 leveret"),
        "{text}"
    );
    assert_eq!(headings[1], "1 Jul 2021 · time", "{text}");
    assert!(
        headings[2].ends_with("· 10 Jan 2021 · Mette Lund · Planen vedtaget"),
        "{text}"
    );
    // The finance officer's commit is not blamed for it.
    assert!(!text.contains("Karin Holm"), "{text}");
    let event = text
        .split("1 Jul 2021 · time\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .expect("the event");
    assert!(event.contains("A/M1  state: open → overdue"), "{text}");
    // The commit that marks it done is credited with what its edit decided.
    let done = text.split("\n\n").next().expect("the newest");
    assert!(done.contains("done: – → 20 Aug 2021"), "{text}");
    assert!(done.contains("state: overdue → done late"), "{text}");

    // The whole log: the ledger commit has its ledger rows and figures only.
    let all = ok(root, &["log"]);
    let karin = all
        .split("\n\n")
        .find(|block| block.contains("Karin Holm"))
        .expect("the ledger commit");
    assert!(karin.contains("ledger"), "{all}");
    assert!(!karin.contains("overdue"), "{all}");
    assert!(!karin.contains("status"), "{all}");
    // Time after the newest commit is not history yet: nothing dated after it.
    assert!(
        all.starts_with(&r.git(&["rev-parse", "--short=7", "HEAD"])),
        "{all}"
    );
}

#[test]
fn time_events_are_in_every_format() {
    let r = history();
    let root = &r.root;

    let markdown = ok(root, &["--format", "markdown", "log", "A/M1"]);
    assert!(markdown.contains("## 1 Jul 2021 · time\n"), "{markdown}");
    assert!(!markdown.contains("Karin Holm"), "{markdown}");

    let csv = ok(root, &["--format", "csv", "log", "A/M1"]);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "commit,date,author,kind,id,field,before,after,days"
    );
    assert!(
        rows.contains(&",2021-07-01,,milestone,A/M1,state,open,overdue,"),
        "{csv}"
    );
    assert!(!csv.contains("Karin Holm"), "{csv}");

    let json: serde_json::Value =
        serde_json::from_str(&ok(root, &["--format", "json", "log", "A/M1"])).expect("JSON");
    let commits = json["commits"].as_array().expect("commits");
    assert_eq!(commits.len(), 3, "{json}");
    let event = &commits[1];
    assert_eq!(event["commit"], "", "{json}");
    assert_eq!(event["date"], "2021-07-01", "{json}");
    assert_eq!(event["author"], "", "{json}");
    assert_eq!(event["summary"], "time", "{json}");
    assert_eq!(event["changes"][0]["kind"], "milestone", "{json}");
    assert_eq!(event["changes"][0]["field"], "state", "{json}");
    assert_eq!(event["changes"][0]["after"], "overdue", "{json}");
}

#[test]
fn staleness_and_deadlines_are_dated_on_the_day_they_happened() {
    let r = history();
    // A year later the criterion's deadline (2022-12-31) passes and A goes stale, both in
    // the long quiet span before this commit.
    r.append(
        "plan/ledger.csv",
        "2023-02-01,pulje,expense,500,Skole,G-1,Sidste rate\n",
    );
    r.commit_as(FINANCE, "2023-02-02", "Bogføring januar");
    let all = ok(&r.root, &["log"]);
    let blocks: Vec<&str> = all.split("\n\n").collect();
    let karin = blocks
        .iter()
        .find(|b| b.contains("Bogføring januar"))
        .expect("the ledger commit");
    assert!(!karin.contains("criterion-status"), "{all}");
    assert!(!karin.contains("stale"), "{all}");
    let missed = blocks
        .iter()
        .find(|b| b.contains("pris  status: open → missed"))
        .expect("the deadline passing");
    assert!(missed.starts_with("1 Jan 2023 · time\n"), "{all}");
    // Each event is listed once, between the commits, newest first (the JSON's dates are
    // machine dates; the table's are in words).
    let json: serde_json::Value =
        serde_json::from_str(&ok(&r.root, &["--format", "json", "log"])).expect("JSON");
    let dates: Vec<String> = json["commits"]
        .as_array()
        .expect("commits")
        .iter()
        .map(|c| c["date"].as_str().expect("a date").to_string())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "{all}");
    // `--since` keeps the events on or after it.
    let since = ok(&r.root, &["log", "--since", "2023-01-01"]);
    assert!(since.contains("1 Jan 2023 · time"), "{since}");
    let since = ok(
        &r.root,
        &["--format", "csv", "log", "--since", "2023-01-01"],
    );
    assert!(
        since
            .lines()
            .skip(1)
            .all(|row| row.split(',').nth(1) >= Some("2023-01-01")),
        "{since}"
    );
}

#[test]
fn a_target_year_ending_is_a_dated_event() {
    let r = Repo::new();
    let indicator = "\n[[indicator]]\nid = \"tilfredshed\"\ntitle = \"Tilfredshed\"\nquestion = \"Hvor tilfreds er du?\"\nscale = { min = 1, max = 5 }\nbaseline = { wave = \"2020\", value = 3.4 }\ntarget = [ { wave = \"2021\", value = 4.0 } ]\ndirection = \"increase\"\n";
    r.write("plan/plan.toml", format!("{}{indicator}", repo::PLAN_TOML))
        .write("plan/initiatives/01-a.toml", repo::INITIATIVE_A);
    r.commit("2021-01-10", "Planen vedtaget");
    r.write(
        "plan/ledger.csv",
        "date,budget,kind,amount,unit,ref,note\n2022-02-01,pulje,grant,40000,Skole,G-1,Bevilling\n",
    );
    r.commit_as(FINANCE, "2022-03-01", "Første bevilling");
    let csv = ok(&r.root, &["--format", "csv", "log", "tilfredshed"]);
    assert!(
        csv.lines()
            .any(|l| l == ",2022-01-01,,target,tilfredshed/2021,status,pending,no-data,"),
        "{csv}"
    );
    assert!(!csv.contains("Karin Holm"), "{csv}");
}
