//! The binary against a second method: `examples/fjordby/EXPECTED.md` holds initiative
//! statuses, milestone states and criteria computed by hand from SPEC 3 and 5.3 for two
//! dates. This test reads those tables and compares them, row by row, with
//! `plan export … --format json` for the same dates.

use std::process::Command;

use serde_json::Value;

const PLAN: &str = "examples/fjordby";

fn export(report: &str, as_of: &str) -> Vec<serde_json::Map<String, Value>> {
    let output = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args([
            "--plan", PLAN, "--as-of", as_of, "--format", "json", "export", report,
        ])
        .output()
        .expect("run plan");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(doc["format"], 1);
    assert_eq!(doc["as_of"], as_of);
    doc["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r.as_object().expect("row").clone())
        .collect()
}

/// The rows of the Markdown table that follows `heading` in EXPECTED.md.
fn expected_table(heading: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(format!("{PLAN}/EXPECTED.md")).expect("EXPECTED.md");
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}`"));
    text[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().replace("**", ""))
                .collect()
        })
        .collect()
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => "—".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn check_initiatives(heading: &str, as_of: &str) {
    let expected = expected_table(heading);
    let rows = export("status", as_of);
    assert_eq!(rows.len(), expected.len(), "{as_of}: number of initiatives");
    for (row, want) in rows.iter().zip(&expected) {
        // | # | id | status | rule | stale | R | last update | overdue | next | next due | done/total |
        let id = &want[1];
        assert_eq!(text(&row["initiative"]), *id);
        assert_eq!(text(&row["status"]), want[2], "{as_of} {id} status");
        assert_eq!(
            row["stale"] == Value::Bool(true),
            want[4] == "yes",
            "{as_of} {id} stale"
        );
        assert_eq!(
            text(&row["last_update"]),
            want[6],
            "{as_of} {id} last_update"
        );
        assert_eq!(text(&row["overdue"]), want[7], "{as_of} {id} overdue");
        assert_eq!(text(&row["next_milestone"]), want[8], "{as_of} {id} next");
        assert_eq!(text(&row["next_due"]), want[9], "{as_of} {id} next_due");
        let done_total = format!("{}/{}", row["milestones_done"], row["milestones_total"]);
        assert_eq!(done_total, want[10], "{as_of} {id} done/total");
    }
}

#[test]
fn initiative_status_matches_hand_computation() {
    check_initiatives("## Initiatives as of 2022-06-30", "2022-06-30");
    check_initiatives("## Initiatives as of 2021-01-15", "2021-01-15");
}

#[test]
fn milestone_states_match_hand_computation() {
    let expected = expected_table("## Milestones");
    for (as_of, column) in [("2022-06-30", 4), ("2021-01-15", 5)] {
        let rows = export("milestones", as_of);
        assert_eq!(rows.len(), expected.len());
        for (row, want) in rows.iter().zip(&expected) {
            assert_eq!(text(&row["milestone"]), want[1]);
            // The hand table adds a remark in parentheses after some states.
            let state = want[column].split(' ').next().unwrap_or_default();
            assert_eq!(text(&row["state"]), state, "{as_of} {}", want[1]);
        }
    }
}

#[test]
fn criteria_match_hand_computation() {
    let expected = expected_table("## Criteria");
    for (as_of, column) in [("2022-06-30", 3), ("2021-01-15", 4)] {
        let rows = export("criteria", as_of);
        assert_eq!(rows.len(), expected.len());
        for (row, want) in rows.iter().zip(&expected) {
            assert_eq!(text(&row["criterion"]), want[0]);
            assert_eq!(text(&row["status"]), want[column], "{as_of} {}", want[0]);
        }
    }
}
