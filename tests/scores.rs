//! `plan export scores` on the Fjordby example against figures computed by a second method.
//!
//! Source of the numbers below: `python3 examples/fjordby/surveys/generate.py --check`
//! (Python `statistics` mean/stdev on the answers read back from the survey files, the pooled
//! formula of SPEC 5.1 on the 2020 aggregated file's printed figures, `scipy.stats.t.ppf` for
//! the 95 % interval, `scipy.stats.ttest_ind_from_stats(equal_var=False)` for Welch's p-value;
//! SciPy 1.17.1). They were pasted here and into examples/fjordby/EXPECTED.md, and are never
//! produced by `plan` itself.

use std::process::Command;

use serde_json::Value;

const PLAN: &str = "examples/fjordby";

/// (indicator, wave, actual, n, sd, ci_low, ci_high, delta, p_value), as of 2024-01-31.
#[allow(clippy::type_complexity)]
const SCORES: &[(
    &str,
    &str,
    f64,
    u64,
    f64,
    f64,
    f64,
    Option<f64>,
    Option<f64>,
)] = &[
    (
        "selvbetjening",
        "2020",
        3.363272727272727,
        55,
        0.9111948902107211,
        3.116942243256557,
        3.6096032112888974,
        None,
        None,
    ),
    (
        "selvbetjening",
        "2021",
        3.8545454545454545,
        55,
        0.9313109402020721,
        3.6027768404606255,
        4.106314068630283,
        Some(0.4912727272727273),
        Some(0.006120748684014356),
    ),
    (
        "selvbetjening",
        "2023",
        3.963636363636364,
        55,
        0.9420945215540145,
        3.7089525391586875,
        4.21832018811404,
        Some(0.6003636363636367),
        Some(0.0009546708251301155),
    ),
    (
        "it-hindringer",
        "2020",
        3.104909090909091,
        55,
        1.0309387536632395,
        2.826207306132659,
        3.383610875685523,
        None,
        None,
    ),
    (
        "it-hindringer",
        "2022",
        2.9454545454545453,
        55,
        1.0957524358510005,
        2.649231168013684,
        3.2416779228954065,
        Some(-0.15945454545454574),
        Some(0.4335900452760463),
    ),
    (
        "it-hindringer",
        "2023",
        2.4727272727272727,
        55,
        0.9785579990862869,
        2.2081859894710902,
        2.737268555983455,
        Some(-0.6321818181818184),
        Some(0.001318259191797096),
    ),
];

fn export(args: &[&str], as_of: &str) -> (Vec<serde_json::Map<String, Value>>, Option<i32>) {
    let output = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(["--plan", PLAN, "--as-of", as_of, "--format", "json"])
        .args(args)
        .output()
        .expect("run plan");
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: Value = serde_json::from_slice(&output.stdout).expect("json");
    let rows = doc["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r.as_object().expect("row").clone())
        .collect();
    (rows, output.status.code())
}

/// The rows of the indicators whose files `surveys/generate.py` writes (the wellbeing
/// survey's, from `surveys/apv.py`, are checked in tests/shares.rs).
fn of_generate_py(
    rows: Vec<serde_json::Map<String, Value>>,
) -> Vec<serde_json::Map<String, Value>> {
    rows.into_iter()
        .filter(|r| {
            matches!(
                r["indicator"].as_str(),
                Some("selvbetjening" | "it-hindringer")
            )
        })
        .collect()
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn close(got: Option<f64>, want: Option<f64>, what: &str) {
    match (got, want) {
        (Some(g), Some(w)) => assert!((g - w).abs() <= 1e-4, "{what}: got {g}, want {w}"),
        (None, None) => {}
        _ => panic!("{what}: got {got:?}, want {want:?}"),
    }
}

/// The rows of the Markdown table that follows `heading` in EXPECTED.md.
fn expected_table(heading: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(format!("{PLAN}/EXPECTED.md")).expect("EXPECTED.md");
    let start = text.find(heading).expect("heading");
    text[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn every_figure_matches_the_second_method() {
    let (rows, _) = export(&["export", "scores"], "2024-01-31");
    let rows = of_generate_py(rows);
    assert_eq!(rows.len(), SCORES.len());
    for (row, want) in rows.iter().zip(SCORES) {
        let (ind, wave, actual, n, sd, lo, hi, delta, p) = *want;
        let what = format!("{ind} {wave}");
        assert_eq!(row["indicator"], ind, "{what}");
        assert_eq!(row["wave"], wave, "{what}");
        close(num(&row["actual"]), Some(actual), &format!("{what} actual"));
        assert_eq!(row["n"].as_u64(), Some(n), "{what} n");
        close(num(&row["sd"]), Some(sd), &format!("{what} sd"));
        close(num(&row["ci_low"]), Some(lo), &format!("{what} ci_low"));
        close(num(&row["ci_high"]), Some(hi), &format!("{what} ci_high"));
        close(num(&row["delta"]), delta, &format!("{what} delta"));
        close(num(&row["p_value"]), p, &format!("{what} p_value"));
        if let Some(p) = p {
            assert_eq!(
                row["significant"],
                Value::Bool(p < 0.05),
                "{what} significant"
            );
        }
    }
}

#[test]
fn statuses_and_targets_match_the_hand_table() {
    let table = expected_table("| indicator | precision | direction | baseline (2020)");
    for (as_of, column) in [("2022-06-30", 7), ("2021-01-15", 8), ("2024-01-31", 9)] {
        let (rows, _) = export(&["export", "scores"], as_of);
        for want in &table {
            let row = rows
                .iter()
                .find(|r| r["indicator"] == want[0].as_str() && r["wave"] == want[4].as_str())
                .expect("row");
            let target = want[5].split(' ').next().expect("target");
            // JSON numbers carry no trailing zeros: 2.70 arrives as 2.7.
            close(
                num(&row["target"]),
                target.parse().ok(),
                &format!("{as_of} {want:?}"),
            );
            assert_eq!(row["status"], want[column].as_str(), "{as_of} {want:?}");
        }
    }
}

#[test]
fn suppressed_units_are_exactly_those_the_rule_suppresses() {
    let table = expected_table("| indicator | wave | unit | n | mean | sd | suppressed |");
    let (rows, _) = export(&["export", "scores", "--by", "unit"], "2024-01-31");
    let rows = of_generate_py(rows);
    assert_eq!(rows.len(), table.len());
    for (row, want) in rows.iter().zip(&table) {
        let what = format!("{want:?}");
        assert_eq!(row["indicator"], want[0].as_str(), "{what}");
        assert_eq!(row["wave"], want[1].as_str(), "{what}");
        assert_eq!(row["unit"], want[2].as_str(), "{what}");
        let hidden = want[6] == "true";
        assert_eq!(row["suppressed"], Value::Bool(hidden), "{what}");
        if hidden {
            // No figure at all for a suppressed unit.
            for key in ["n", "mean", "sd"] {
                assert_eq!(row[key], Value::Null, "{what} {key}");
            }
        } else {
            assert_eq!(row["n"].to_string(), want[3], "{what}");
            close(
                num(&row["mean"]),
                want[4].parse().ok(),
                &format!("{what} mean"),
            );
            close(num(&row["sd"]), want[5].parse().ok(), &format!("{what} sd"));
        }
    }
}

#[test]
fn fail_on_missed_exits_3() {
    let (_, code) = export(&["scores", "--fail-on-missed"], "2024-01-31");
    assert_eq!(code, Some(3));
    // Before the 2022 survey closes nothing is missed (the datastrategi criterion is, though,
    // from 2022-04-01: so use a date before it).
    let (_, code) = export(&["scores", "--fail-on-missed"], "2021-01-15");
    assert_eq!(code, Some(0));
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("test setup");
    for entry in std::fs::read_dir(from).expect("test setup") {
        let entry = entry.expect("test setup");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("test setup").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("test setup");
        }
    }
}

fn append(path: &std::path::Path, line: &str) {
    let mut text = std::fs::read_to_string(path).expect("test setup");
    text.push_str(line);
    std::fs::write(path, text).expect("test setup");
}

/// SPEC 2: `scores` reads the plan and the survey files, `budget` the plan and the ledger; a
/// problem in a file a report does not read does not stop it (`check` reads everything).
#[test]
fn each_report_reads_the_files_it_needs() {
    let dir = tempfile::tempdir().expect("test setup");
    let plan = dir.path().join("plan");
    copy_dir(std::path::Path::new(PLAN), &plan);
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_plan"))
            .args([
                "--plan",
                plan.to_str().expect("test setup"),
                "--as-of",
                "2024-01-31",
            ])
            .args(args)
            .output()
            .expect("test setup");
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        (out.status.code(), text)
    };
    let ledger = plan.join("ledger.csv");
    let clean = std::fs::read_to_string(&ledger).expect("test setup");
    append(&ledger, "2021-03-01,ingen-saadan,expense,100,,,\n");
    assert_eq!(run(&["scores"]).0, Some(0));
    assert_eq!(run(&["export", "scores", "--by", "unit"]).0, Some(0));
    let (code, err) = run(&["budget"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("E008"), "{err}");

    std::fs::write(&ledger, clean).expect("test setup");
    append(
        &plan.join("surveys/2022-lang.csv"),
        "9999,Borgerservice,selvbetjening,6\n",
    );
    assert_eq!(run(&["budget", "--by", "month"]).0, Some(0));
    assert_eq!(run(&["export", "budget"]).0, Some(0));
    let (code, err) = run(&["scores"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("E201"), "{err}");
    let (code, err) = run(&["check"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("E201"), "{err}");
}
