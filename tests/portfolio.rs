//! A portfolio's exports are its members' own exports with a first column `plan` (SPEC 13),
//! for every export and format, and a member with errors changes no other member's rows.
//! Each portfolio is built in a temporary folder from the shipped plans.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Reader, Xlsx, open_workbook};
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const AS_OF: &str = "2021-06-30";

const EXPORTS: &[&[&str]] = &[
    &["status"],
    &["milestones"],
    &["criteria"],
    &["budget"],
    &["budget", "--by", "month"],
    &["budget", "--by", "year"],
    &["budget", "--by", "unit"],
    &["ledger"],
    &["scores"],
    &["scores", "--by", "unit"],
    &["rounds"],
];

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A portfolio of the Helsingør plan and the Fjordby plan, and, when `broken`, a third plan
/// with an initiative under a focus area that does not exist.
fn portfolio(broken: bool) -> (tempfile::TempDir, Vec<(String, PathBuf)>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(
        root.join("portfolio.toml"),
        "format = 1\ntitle = \"Test\"\norganisation = \"Test\"\nmembers = [\"planer/*\"]\n",
    )
    .expect("write");
    copy_dir(
        &Path::new(ROOT).join("plan"),
        &root.join("planer/a-helsingor"),
    );
    copy_dir(
        &Path::new(ROOT).join("examples/fjordby"),
        &root.join("planer/b-fjordby"),
    );
    let mut members = vec![
        (
            "helsingor-innovationsplan-2013-2015".to_string(),
            root.join("planer/a-helsingor"),
        ),
        (
            "fjordby-digitaliseringsplan-2020-2023".to_string(),
            root.join("planer/b-fjordby"),
        ),
    ];
    if broken {
        let bad = root.join("planer/c-broken");
        copy_dir(&Path::new(ROOT).join("plan"), &bad);
        let toml = std::fs::read_to_string(bad.join("plan.toml")).expect("read");
        std::fs::write(
            bad.join("plan.toml"),
            toml.replace(
                "id = \"helsingor-innovationsplan-2013-2015\"",
                "id = \"broken\"",
            ),
        )
        .expect("write");
        // An initiative under a focus area that does not exist: every export reads it.
        let initiative = bad.join("initiatives/01-innovationsledelse.toml");
        let text = std::fs::read_to_string(&initiative).expect("read");
        assert!(text.contains("focus_area = \"F1\""));
        std::fs::write(
            &initiative,
            text.replace("focus_area = \"F1\"", "focus_area = \"F99\""),
        )
        .expect("write");
        members.push(("broken".to_string(), bad));
    }
    (dir, members)
}

fn plan(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan"))
        .arg("--plan")
        .arg(dir)
        .args(["--as-of", AS_OF])
        .args(args)
        .env("GIT_CEILING_DIRECTORIES", ROOT)
        .env_remove("PLAN_DIR")
        .output()
        .expect("run plan")
}

type Rows = Vec<Vec<(String, String)>>;

fn csv_rows(bytes: &[u8]) -> Rows {
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn json_rows(bytes: &[u8]) -> Rows {
    let value: Value = serde_json::from_slice(bytes).expect("json");
    value["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            row.as_object()
                .expect("object")
                .iter()
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect()
        })
        .collect()
}

fn xlsx_rows(path: &Path) -> Rows {
    let mut book: Xlsx<_> = open_workbook(path).expect("open");
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).expect("sheet");
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .unwrap_or_default();
    rows.map(|r| {
        header
            .iter()
            .cloned()
            .zip(r.iter().map(|c| c.to_string()))
            .collect()
    })
    .collect()
}

/// The portfolio's rows of one plan, without the `plan` column; a column only other plans
/// have (blank here) is left out too, so that they compare with the plan's own export.
fn rows_of(rows: &Rows, id: &str, own: &Rows) -> Rows {
    let own_columns: BTreeSet<&str> = own
        .iter()
        .flat_map(|r| r.iter().map(|(k, _)| k.as_str()))
        .collect();
    rows.iter()
        .filter(|r| {
            r.first()
                .is_some_and(|(k, v)| k == "plan" && v.trim_matches('"') == id)
        })
        .map(|r| {
            r.iter()
                .skip(1)
                .filter(|(k, _)| own.is_empty() || own_columns.contains(k.as_str()))
                .cloned()
                .collect()
        })
        .collect()
}

fn export(dir: &Path, args: &[&str], format: &str, expect_ok: bool) -> Rows {
    let out_file = dir.join(format!("out.{format}"));
    let mut all: Vec<&str> = vec!["export"];
    all.extend(args);
    let output = match format {
        "xlsx" => plan(
            dir,
            &[all.as_slice(), &["-o", out_file.to_str().expect("utf-8")]].concat(),
        ),
        _ => plan(dir, &[all.as_slice(), &["--format", format]].concat()),
    };
    assert_eq!(
        output.status.success(),
        expect_ok,
        "{args:?} {format} on {}: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    match format {
        "csv" => csv_rows(&output.stdout),
        "json" => json_rows(&output.stdout),
        _ => xlsx_rows(&out_file),
    }
}

/// Every export in every format: the portfolio's rows of each member are that member's own
/// export, row for row; a member with errors has no rows and changes no other's.
#[test]
fn a_portfolio_export_is_its_members_exports_with_a_plan_column() {
    for broken in [false, true] {
        let (dir, members) = portfolio(broken);
        for args in EXPORTS {
            for format in ["csv", "json", "xlsx"] {
                let together = export(dir.path(), args, format, !broken);
                assert!(
                    together
                        .iter()
                        .all(|r| r.first().is_some_and(|(k, _)| k == "plan")),
                    "{args:?} {format}: the first column is `plan`"
                );
                let mut counted = 0;
                for (id, member) in &members {
                    if id == "broken" {
                        assert!(
                            rows_of(&together, id, &Vec::new()).is_empty(),
                            "{args:?} {format}: the broken plan has rows"
                        );
                        continue;
                    }
                    let own = export(member, args, format, true);
                    let mine = rows_of(&together, id, &own);
                    assert_eq!(mine, own, "{args:?} {format}: the rows of {id}");
                    counted += own.len();
                }
                assert_eq!(together.len(), counted, "{args:?} {format}: no other rows");
            }
        }
    }
}

/// The calendar of a portfolio holds every member's events, each under its own UID.
#[test]
fn a_portfolio_calendar_is_its_members_calendars() {
    let (dir, members) = portfolio(false);
    let uids = |output: Output| -> BTreeSet<String> {
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("UID:").map(str::to_string))
            .collect()
    };
    let together = uids(plan(
        dir.path(),
        &["export", "milestones", "--format", "ics"],
    ));
    let mut alone = BTreeSet::new();
    for (_, member) in &members {
        alone.extend(uids(plan(
            member,
            &["export", "milestones", "--format", "ics"],
        )));
    }
    assert!(!together.is_empty());
    assert_eq!(together, alone);
}

/// `plan report` on a portfolio: one page, the overview first, a section per plan that the
/// overview links to, and no id twice (each plan's sections have their own).
#[test]
fn a_portfolio_report_is_one_page_with_a_section_per_plan() {
    let (dir, members) = portfolio(true);
    let page_file = dir.path().join("report.html");
    let output = plan(
        dir.path(),
        &["report", "-o", page_file.to_str().expect("utf-8")],
    );
    // The broken member makes the run exit 1; the page is written all the same.
    assert_eq!(output.status.code(), Some(1));
    let html = std::fs::read_to_string(&page_file).expect("the page");
    let page = scraper::Html::parse_document(&html);
    let select = |s: &str| scraper::Selector::parse(s).expect("selector");
    let ids: Vec<&str> = page
        .select(&select("[id]"))
        .filter_map(|e| e.value().id())
        .collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "an id appears twice");
    let first = page
        .select(&select("body > section"))
        .next()
        .expect("a section");
    assert_eq!(first.value().id(), Some("overview"));
    let links: Vec<&str> = page
        .select(&select("#overview a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(links.len(), members.len());
    for (id, _) in &members {
        let target = format!("plan-{id}");
        assert!(links.contains(&format!("#{target}").as_str()), "{id}");
        assert!(unique.contains(target.as_str()), "no section for {id}");
    }
    assert_eq!(page.select(&select("script")).count(), 0);
}
