//! Shares of respondents and response rates (SPEC 12.5) in the history: `plan diff` and
//! `plan log` show a change of `measure`, `positive` and `invited` as rows of their own, and
//! the targets those changes decide.
#![cfg(unix)]

#[path = "common/repo.rs"]
mod repo;

use std::path::Path;
use std::process::{Command, Output};

use repo::Repo;

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
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

/// The shares test plan committed, then its definitions changed in a second commit.
fn history() -> Repo {
    let repo = Repo::new();
    let from = Path::new(repo::ROOT).join("tests/plans/shares");
    for rel in [
        "plan.toml",
        "surveys/2022-bred.csv",
        "surveys/2024-lang.csv",
        "initiatives/01-trivselsindsats.toml",
    ] {
        let text = std::fs::read(from.join(rel)).expect("read the test plan");
        repo.write(&format!("plan/{rel}"), text);
    }
    repo.commit("2025-01-10", "Trivsel adopted");
    repo.replace("plan/plan.toml", "invited = 70", "invited = 75");
    // Only the best answer counts from now on: ledelse's 2024 share falls below its target.
    let text = repo.read("plan/plan.toml");
    let changed = text.replacen(
        "id = \"ledelse\"\ntitle = \"Andel der oplever god ledelse\"\nmeasure = \"share\"\npositive = [4, 5]",
        "id = \"ledelse\"\ntitle = \"Andel der oplever god ledelse\"\nmeasure = \"share\"\npositive = [5]",
        1,
    );
    assert_ne!(text, changed, "the test plan's ledelse indicator moved");
    repo.write("plan/plan.toml", changed);
    // The mean of tilfreds becomes a share of its own.
    repo.replace(
        "plan/plan.toml",
        "id = \"tilfreds\"\ntitle = \"Tilfredshed med jobbet (gennemsnit)\"",
        "id = \"tilfreds\"\ntitle = \"Tilfredshed med jobbet (gennemsnit)\"\nmeasure = \"mean\"",
    );
    // A note without a status (SPEC 12.6).
    repo.append(
        "plan/initiatives/01-trivselsindsats.toml",
        "\n[[update]]\ndate = 2025-01-19\nnote = \"Ny skala drøftet.\"\n",
    );
    repo.commit("2025-01-20", "Only the best answer counts");
    repo
}

#[test]
fn diff_shows_the_share_fields_and_the_targets_they_decide() {
    let repo = history();
    let csv = stdout(&plan(
        &repo.root,
        &[
            "--plan",
            "plan",
            "--as-of",
            "2025-01-31",
            "--format",
            "csv",
            "diff",
            "HEAD~1",
            "HEAD",
        ],
    ));
    for row in [
        "survey,2024,invited,70,75",
        "indicator,ledelse,positive,\"[4, 5]\",[5]",
        "indicator,tilfreds,measure,,mean",
        "target,ledelse/2024,status,met,missed",
        "update,trivselsindsats,added,,2025-01-19: Ny skala drøftet.",
    ] {
        assert!(
            csv.lines().any(|l| l.starts_with(row)),
            "no `{row}` in\n{csv}"
        );
    }
}

#[test]
fn log_credits_the_share_fields_to_their_commit() {
    let repo = history();
    let csv = stdout(&plan(
        &repo.root,
        &[
            "--plan",
            "plan",
            "--as-of",
            "2025-01-31",
            "--format",
            "csv",
            "log",
            "ledelse",
        ],
    ));
    let of_commit: Vec<&str> = csv
        .lines()
        .filter(|l| l.contains("Only the best answer counts") || l.contains(",2025-01-20,"))
        .collect();
    assert!(
        of_commit
            .iter()
            .any(|l| l.contains("indicator,ledelse,positive")),
        "no change of `positive` credited to its commit in\n{csv}"
    );
    assert!(
        of_commit
            .iter()
            .any(|l| l.contains("target,ledelse/2024,status")),
        "no target change credited to its commit in\n{csv}"
    );
}

/// The report of the shares test plan: a share is said to be one, each wave has its response
/// rate, and the interval beside the actual is Wilson's (24-50 % for 18 of 50).
#[test]
fn report_shows_shares_with_their_response_rates() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let page = dir.path().join("report.html");
    let page_arg = page.to_str().expect("a UTF-8 path");
    let output = plan(
        Path::new(repo::ROOT),
        &[
            "--plan",
            "tests/plans/shares",
            "--as-of",
            "2025-01-31",
            "report",
            "-o",
            page_arg,
        ],
    );
    stdout(&output);
    let html = std::fs::read_to_string(&page).expect("the report");
    let start = html
        .find("data-indicator=\"ledelse\"")
        .expect("the ledelse figure");
    let figure = &html[start..];
    let figure = &figure[..figure.find("</figure>").expect("its end")];
    for expected in [
        "Share of the answers, in %",
        "<th class=\"num\">Response rate</th>",
        "<td class=\"num\">90.0 %</td>",
        "<td class=\"num\">88.6 %</td>",
        "36<br><span class=\"flag\">24–50</span>",
        "56<br><span class=\"flag\">43–67</span>",
        "p = 0.03814: a real change",
    ] {
        assert!(figure.contains(expected), "no `{expected}` in\n{figure}");
    }
    // The mean of the same question has no share words.
    let start = html
        .find("data-indicator=\"tilfreds\"")
        .expect("the tilfreds figure");
    let mean = &html[start..];
    let mean = &mean[..mean.find("</figure>").expect("its end")];
    assert!(!mean.contains("Share of the answers"));
}

/// indicator, wave, actual, n, Wilson's interval (shares), p-value.
type Expected = (
    &'static str,
    &'static str,
    f64,
    &'static str,
    Option<(f64, f64)>,
    Option<f64>,
);

/// Fjordby's wellbeing survey (APV) against `examples/fjordby/surveys/apv.py`, which computes
/// the figures another way: the mean and the share of 4 and 5 of one question, Wilson's
/// interval, the z-test and the response rate (57 of 65 invited in each wave).
#[test]
fn fjordby_wellbeing_matches_the_second_method() {
    let output = plan(
        Path::new(repo::ROOT),
        &[
            "--plan",
            "examples/fjordby",
            "--as-of",
            "2024-01-31",
            "export",
            "scores",
        ],
    );
    let csv = stdout(&output);
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .filter(|l| l.starts_with("trivsel"))
        .map(|l| l.split(',').collect())
        .collect();
    let close = |cell: &str, want: f64| {
        let got: f64 = cell.parse().expect("a number");
        assert!((got - want).abs() < 5e-5, "{got} against {want}");
    };
    // indicator, wave, actual, n, ci_low, ci_high, p_value (columns 0, 1, 6, 7, 9, 10, 12).
    let want: [Expected; 4] = [
        ("trivsel", "2021-apv", 3.6981, "53", None, None),
        ("trivsel", "2023-apv", 3.9259, "54", None, None),
        (
            "trivsel-andel",
            "2021-apv",
            60.3774,
            "53",
            Some((46.94148, 72.41059)),
            None,
        ),
        (
            "trivsel-andel",
            "2023-apv",
            70.3704,
            "54",
            Some((57.17243, 80.86257)),
            Some(0.2772),
        ),
    ];
    assert_eq!(rows.len(), want.len(), "{csv}");
    for (row, (ind, wave, actual, n, ci, p)) in rows.iter().zip(want) {
        assert_eq!((row[0], row[1]), (ind, wave));
        close(row[6], actual);
        assert_eq!(row[7], n);
        if let Some((lo, hi)) = ci {
            close(row[9], lo);
            close(row[10], hi);
            assert_eq!(row[8], "", "a share has no sd");
        }
        if let Some(p) = p {
            close(row[12], p);
        }
        assert_eq!(row[15], "87.7", "57 of 65 answered");
    }
}

/// SPEC 12.6: a measured indicator is never shown in survey words. In the report, the co2
/// figure of the measured test plan has no "Survey closed", interval, n or test, and its
/// values carry the thousands separator of `--lang`.
#[test]
fn report_shows_measured_figures_in_their_own_words() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (lang, known, value, thousand) in [
        ("en", "Known", "<th class=\"num\">Actual</th>", "1,000.0"),
        (
            "da",
            "Kendt fra",
            "<th class=\"num\">Resultat</th>",
            "1.000,0",
        ),
    ] {
        let page = dir.path().join(format!("report-{lang}.html"));
        let page_arg = page.to_str().expect("a UTF-8 path");
        let output = plan(
            Path::new(repo::ROOT),
            &[
                "--plan",
                "tests/plans/kinds",
                "--as-of",
                "2026-04-15",
                "--lang",
                lang,
                "report",
                "-o",
                page_arg,
            ],
        );
        stdout(&output);
        let html = std::fs::read_to_string(&page).expect("the report");
        let start = html.find("data-indicator=\"co2\"").expect("the co2 figure");
        let figure = &html[start..];
        let figure = &figure[..figure.find("</figure>").expect("its end")];
        for expected in [known, value, thousand] {
            assert!(
                figure.contains(expected),
                "{lang}: no `{expected}` in\n{figure}"
            );
        }
        for survey_word in [
            "Survey closed",
            "Måling lukket",
            "95 % interval",
            "<th class=\"num\">n</th>",
        ] {
            assert!(
                !figure.contains(survey_word),
                "{lang}: `{survey_word}` in\n{figure}"
            );
        }
    }
}
