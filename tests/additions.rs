//! The format additions of SPEC 9.5 and 9.6 on the HTML report: the reporting rounds' section
//! (a stacked bar per round, and the counts as a table), the savings table and the funding
//! list, compared with a golden copy in which each SVG is reduced to the texts it shows. Plans
//! that use none of the additions get none of these parts.
//!
//! Regenerate the golden copy after an intended change with
//! `PLAN_OVERWRITE=1 cargo test --test additions`, then read its diff.

use std::path::Path;
use std::process::Command;

use scraper::{Html, Selector};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn report(plan_dir: &str, as_of: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_plan"))
        .current_dir(ROOT)
        .args([
            "--plan", plan_dir, "--as-of", as_of, "--lang", "en", "report",
        ])
        .env_remove("PLAN_DIR")
        .env("LC_ALL", "C")
        .output()
        .expect("run plan");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Each element matching `css`, as HTML, with every `<svg>` replaced by the texts it draws.
fn parts(html: &str, css: &str) -> Vec<String> {
    let page = Html::parse_document(html);
    let selector = Selector::parse(css).expect("selector");
    page.select(&selector)
        .map(|e| {
            let mut text = e.html();
            while let (Some(start), Some(end)) = (text.find("<svg"), text.find("</svg>")) {
                let svg = Html::parse_fragment(&text[start..end + 6]);
                let texts: Vec<String> = svg
                    .select(&Selector::parse("text").expect("selector"))
                    .map(|t| t.text().collect::<String>().trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect();
                text.replace_range(start..end + 6, &format!("[svg: {}]", texts.join(" | ")));
            }
            text
        })
        .collect()
}

#[test]
fn rounds_savings_and_funding_on_the_page() {
    let html = report("tests/plans/additions", "2025-06-30");
    let mut got = String::new();
    for css in [
        "section#rounds",
        "table.savings",
        "ul.funding",
        "section#initiatives td span.status",
    ] {
        for part in parts(&html, css) {
            got.push_str(&part);
            got.push('\n');
        }
    }
    let path = Path::new(ROOT).join("tests/plans/additions/report-parts.html");
    if std::env::var_os("PLAN_OVERWRITE").is_some() {
        std::fs::write(&path, &got).expect("write golden");
    }
    let expected = std::fs::read_to_string(&path).expect("tests/plans/additions/report-parts.html");
    assert!(got == expected, "the report's additions changed:\n{got}");
}

#[test]
fn plans_without_the_additions_have_none_of_their_parts() {
    for (dir, as_of) in [("plan", "2014-06-30"), ("examples/fjordby", "2022-06-30")] {
        let html = report(dir, as_of);
        for css in ["section#rounds", "table.savings", "ul.funding"] {
            assert!(parts(&html, css).is_empty(), "{dir}: {css}");
        }
    }
}
