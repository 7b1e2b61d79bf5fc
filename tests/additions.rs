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

/// The JSON Schema of plan.toml takes the additions and refuses what the loader refuses.
#[test]
fn the_schema_knows_the_additions() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join("schema/plan.schema.json")).expect("schema"),
    )
    .expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let good = r#"
        format = 1
        id = "p"
        title = "A plan"
        organisation = "Kommune"
        period = { start = "2023-01-01", end = "2025-12-31" }
        ledger = [ "ledger.csv",
          { file = "okonomi/*.csv", kind = "expense", sign = "negate",
            budget_from = { column = "Art", map = { "4711" = "b" } } } ]
        [labels]
        on-track = "grøn"
        [[budget]]
        id = "b"
        title = "Pot"
        kind = "savings"
        amounts = { 2023 = 1500000, 2024 = "1500000.50" }
        funding = [ { source = "Staten", amount = 3000000, secured = false } ]
        [[budget]]
        id = "h"
        title = "Hours"
        kind = "hours"
        hours = { 2025 = 337 }
        rate = 380.45
        [[round]]
        id = "2025-1"
        date = "2025-04-30"
        reported = { done = 3, on-track = 8 }
    "#;
    let json = |text: &str| -> serde_json::Value {
        let table: toml::Table = toml::from_str(text).expect("TOML");
        // (Dates are written as strings above, which the loader takes too.)
        let text = serde_json::to_string(&table).expect("JSON");
        serde_json::from_str(&text).expect("JSON")
    };
    let errors = |text: &str| validator.iter_errors(&json(text)).count();
    assert_eq!(
        errors(good),
        0,
        "{:?}",
        validator
            .iter_errors(&json(good))
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    );
    for (what, bad) in [
        (
            "an unknown status label",
            good.replace("on-track = \"grøn\"", "green = \"grøn\""),
        ),
        (
            "an unknown reported status",
            good.replace("done = 3", "finished = 3"),
        ),
        ("a negative count", good.replace("done = 3", "done = -3")),
        (
            "a year that is not a year",
            good.replace("2023 = 1500000", "\"23\" = 1500000"),
        ),
        ("an unknown sign", good.replace("\"negate\"", "\"minus\"")),
        (
            "an unknown key in a ledger table",
            good.replace("sign =", "signs ="),
        ),
        (
            "an unknown budget kind",
            good.replace("\"savings\"", "\"saving\""),
        ),
    ] {
        assert!(errors(&bad) > 0, "accepted {what}");
    }
}
