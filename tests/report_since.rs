//! `plan report --since REV` (issue 12): a "Changes since …" section with the changes of
//! `plan diff REV` to the state the page shows, grouped under `plan diff`'s headings.
#![cfg(unix)]

#[path = "common/repo.rs"]
mod repo;

use std::process::Output;

use scraper::{Html, Selector};

/// The built `plan` in DIR (the helper's runner: no colour, no `PLAN_DIR` or `GIT_DIR`).
use repo::plan_in as plan;

fn ok(output: Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The section's rows as `kind,id` pairs and its group headings.
fn section(page: &str) -> (Vec<String>, Vec<(String, String)>) {
    let doc = Html::parse_document(page);
    let sel = |s: &str| Selector::parse(s).expect("selector");
    let headings = doc
        .select(&sel("#changes h3"))
        .map(|h| h.text().collect())
        .collect();
    let rows = doc
        .select(&sel("#changes tr"))
        .map(|tr| {
            let cells: Vec<String> = tr
                .select(&sel("td"))
                .map(|td| td.text().collect())
                .collect();
            (cells[0].clone(), cells[1].clone())
        })
        .collect();
    (headings, rows)
}

#[test]
fn the_report_shows_the_changes_since_a_revision_as_plan_diff_does() {
    let h = repo::history();
    let root = &h.repo.root;
    let page = ok(plan(
        root,
        &[
            "--as-of",
            "2021-08-01",
            "report",
            "--since",
            "udvalg-2021-07",
        ],
    ));
    assert!(
        page.contains("<h2>Changes since udvalg-2021-07</h2>"),
        "{page}"
    );
    let (headings, rows) = section(&page);
    assert_eq!(headings, ["Budgets", "Criteria"], "{rows:?}");
    assert!(rows.contains(&("ledger".to_string(), "pulje".to_string())));
    assert!(rows.contains(&("criterion".to_string(), "pris".to_string())));

    // The same items as plan diff from that revision to the working tree, in the same order
    // (the page reads a ledger's rows per kind of entry, as plan diff's table does).
    let csv = ok(plan(
        root,
        &[
            "--as-of",
            "2021-08-01",
            "--format",
            "csv",
            "diff",
            "udvalg-2021-07",
        ],
    ));
    let mut expected: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap_or("").to_string())
        .collect();
    expected.dedup();
    let mut ids: Vec<String> = rows.iter().map(|(_, id)| id.clone()).collect();
    ids.dedup();
    assert_eq!(ids, expected);

    // At a revision: from REV to that revision, in Danish.
    let page = ok(plan(
        root,
        &[
            "--rev",
            "udvalg-2021-07",
            "--lang",
            "da",
            "report",
            "--since",
            "vedtaget",
        ],
    ));
    assert!(page.contains("<h2>Ændringer siden vedtaget</h2>"), "{page}");
    let (headings, rows) = section(&page);
    assert!(
        headings.contains(&"Initiativer".to_string()),
        "{headings:?}"
    );
    assert!(rows.contains(&("milepæl".to_string(), "A/M1".to_string())));
    assert!(rows.contains(&("initiativ".to_string(), "B".to_string())));
    assert!(page.contains("tilføjet: Beta"), "{page}");
    assert!(!page.contains("added: "), "{page}");

    // Without --since there is no such section; a REV that does not resolve is exit 2.
    let page = ok(plan(root, &["--as-of", "2021-08-01", "report"]));
    assert!(!page.contains("id=\"changes\""));
    let bad = plan(root, &["report", "--since", "nosuch"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("`nosuch`"));
}
