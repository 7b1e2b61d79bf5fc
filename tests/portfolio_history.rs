//! `plan diff` and `plan log` across a portfolio's plans (SPEC 13), on a repository the test
//! builds: grouped by plan, each plan's changes what `plan diff` / `plan log` say of it alone,
//! and a plan added since FROM named as new.

#[path = "common/repo.rs"]
mod repo;

use repo::Repo;
use serde_json::Value;

const PORTFOLIO: &str =
    "format = 1\ntitle = \"Planer\"\norganisation = \"Testby\"\nmembers = [\"planer/*\"]\n";
const HELSINGOR: &str = "helsingor-innovationsplan-2013-2015";
const FJORDBY: &str = "fjordby-digitaliseringsplan-2020-2023";

/// Two plans committed, then one commit that changes both, then one that adds a third plan.
fn history() -> Repo {
    let repo = Repo::new();
    repo.write("handleplaner/portfolio.toml", PORTFOLIO)
        .copy_dir("plan", "handleplaner/planer/a")
        .copy_dir("examples/fjordby", "handleplaner/planer/b");
    repo.commit("2021-01-04", "Two plans");
    repo.replace(
        "handleplaner/planer/a/initiatives/02-investeringspulje.toml",
        "title = \"Investeringspulje til hverdagsinnovation\"",
        "title = \"Investeringspulje til innovation i hverdagen\"",
    )
    .replace(
        "handleplaner/planer/b/initiatives/01-selvbetjening.toml",
        "due = 2021-03-31",
        "due = 2021-06-30",
    );
    repo.commit("2021-02-01", "Both plans change");
    repo.copy_dir("plan", "handleplaner/planer/c");
    repo.replace(
        "handleplaner/planer/c/plan.toml",
        &format!("id = \"{HELSINGOR}\""),
        "id = \"ny-plan\"",
    );
    repo.commit("2021-03-01", "A new plan");
    repo
}

fn json(output: std::process::Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("json")
}

fn plans(doc: &Value) -> Vec<(String, Value)> {
    doc["plans"]
        .as_array()
        .expect("plans")
        .iter()
        .map(|p| (p["plan"].as_str().expect("plan").to_string(), p.clone()))
        .collect()
}

#[test]
fn diff_across_plans_is_each_plans_diff_grouped_by_plan() {
    let repo = history();
    let together = json(repo.plan(&[
        "--plan",
        "handleplaner",
        "--as-of",
        "2021-03-01",
        "diff",
        "HEAD~2",
        "HEAD~1",
        "--format",
        "json",
    ]));
    let plans = plans(&together);
    let ids: Vec<&str> = plans.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, [HELSINGOR, FJORDBY, "ny-plan"]);
    for (id, dir) in [(HELSINGOR, "a"), (FJORDBY, "b")] {
        let alone = json(repo.plan(&[
            "--plan",
            &format!("handleplaner/planer/{dir}"),
            "diff",
            "HEAD~2",
            "HEAD~1",
            "--format",
            "json",
        ]));
        let mine = &plans.iter().find(|(p, _)| p == id).expect(id).1;
        assert_eq!(mine["changes"], alone["changes"], "{id}");
        assert!(
            !mine["changes"].as_array().expect("changes").is_empty(),
            "{id} changed"
        );
    }
    // The third plan did not exist in HEAD~2: named as new, not an error.
    let new = &plans
        .iter()
        .find(|(p, _)| p == "ny-plan")
        .expect("ny-plan")
        .1;
    assert_eq!(new["new"], Value::Bool(true));

    // The table: a heading per plan, each plan's own changes under it.
    let text = repo.plan(&["--plan", "handleplaner", "diff", "HEAD~2", "HEAD~1"]);
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout);
    let a = text
        .find(&format!("== {HELSINGOR} (planer/a)"))
        .expect("a's heading");
    let b = text
        .find(&format!("== {FJORDBY} (planer/b)"))
        .expect("b's heading");
    assert!(a < b);
    let investment = text
        .find("Investeringspulje til innovation i hverdagen")
        .expect("a's change");
    assert!(
        a < investment && investment < b,
        "a's change under a's heading"
    );
}

#[test]
fn log_across_plans_is_each_plans_log_grouped_by_plan() {
    let repo = history();
    let together = json(repo.plan(&[
        "--plan",
        "handleplaner",
        "--as-of",
        "2021-03-01",
        "log",
        "--format",
        "json",
    ]));
    let plans = plans(&together);
    assert_eq!(plans.len(), 3);
    for (id, dir) in [(HELSINGOR, "a"), (FJORDBY, "b"), ("ny-plan", "c")] {
        let alone = json(repo.plan(&[
            "--plan",
            &format!("handleplaner/planer/{dir}"),
            "--as-of",
            "2021-03-01",
            "log",
            "--format",
            "json",
        ]));
        let mine = &plans.iter().find(|(p, _)| p == id).expect(id).1;
        assert_eq!(mine["commits"], alone["commits"], "{id}");
    }
    // The plans changed by two commits have two; the new plan one.
    let summaries = |id: &str| -> Vec<String> {
        plans.iter().find(|(p, _)| p == id).expect(id).1["commits"]
            .as_array()
            .expect("commits")
            .iter()
            .filter(|c| c["summary"] != "time")
            .map(|c| c["summary"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(summaries(HELSINGOR), ["Both plans change", "Two plans"]);
    assert_eq!(summaries("ny-plan"), ["A new plan"]);

    // CSV: one table, first column `plan`, every row of one plan's log under its id.
    let csv = repo.plan(&[
        "--plan",
        "handleplaner",
        "--as-of",
        "2021-03-01",
        "log",
        "--format",
        "csv",
    ]);
    assert!(csv.status.success());
    let text = String::from_utf8_lossy(&csv.stdout);
    assert!(text.starts_with("plan,commit,date,author,"));
}

/// The overview names, per plan, the date and author of the last commit that changed it.
#[test]
fn the_overview_names_each_plans_last_change() {
    let repo = history();
    let doc = json(repo.plan(&[
        "--plan",
        "handleplaner",
        "--as-of",
        "2021-03-01",
        "status",
        "--format",
        "json",
    ]));
    let rows = doc["rows"]["plans"].as_array().expect("plans");
    let last = |id: &str| -> (String, String) {
        let row = rows.iter().find(|r| r["plan"] == id).expect(id);
        (
            row["last_change"]["date"]
                .as_str()
                .expect("date")
                .to_string(),
            row["last_change"]["author"]
                .as_str()
                .expect("author")
                .to_string(),
        )
    };
    let author = repo::COORDINATOR.0.to_string();
    assert_eq!(last(HELSINGOR), ("2021-02-01".to_string(), author.clone()));
    assert_eq!(last(FJORDBY), ("2021-02-01".to_string(), author.clone()));
    assert_eq!(last("ny-plan"), ("2021-03-01".to_string(), author));
}
