//! SPEC 12.1-12.4 end to end on tests/plans/klima (figures by hand in its EXPECTED.md): the
//! report charts the whole series and, per target, what is needed against what is planned;
//! the status screen and `plan scores` show the gap; a total from its parts is the same in
//! every export.

use std::path::Path;
use std::process::{Command, Output};

use scraper::{Html, Selector};

#[path = "common/repo.rs"]
mod repo;

const KLIMA: &str = "tests/plans/klima";
const AS_OF: &str = "2024-06-30";

fn plan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["--plan", KLIMA, "--as-of", AS_OF])
        .args(args)
        .env_remove("PLAN_DIR")
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
        .output()
        .expect("run plan")
}

fn stdout(args: &[&str]) -> String {
    let out = plan(args);
    assert!(
        out.status.success(),
        "plan {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn select<'a>(page: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).expect("selector");
    page.select(&selector).collect()
}

#[test]
fn the_report_charts_needed_against_planned_per_target() {
    for lang in ["en", "da"] {
        let html = stdout(&["--lang", lang, "report"]);
        let page = Html::parse_document(&html);
        let effects: Vec<String> =
            select(&page, "figure.effects-chart[data-indicator=\"udledning\"]")
                .iter()
                .map(|e| e.text().collect::<String>())
                .collect();
        assert_eq!(
            effects.len(),
            1,
            "{lang}: one needed/planned chart, for 2030"
        );
        let text = &effects[0];
        // Figures with the thousands separator of the page's language (SPEC 12.6).
        let n = |en: &str| {
            if lang == "da" {
                en.replace(',', ".")
            } else {
                en.to_string()
            }
        };
        assert!(text.contains(&n("-300,000")), "{lang}: needed, in {text}");
        assert!(text.contains(&n("-220,000")), "{lang}: planned, in {text}");
        assert!(text.contains(&n("-80,000")), "{lang}: the gap, in {text}");
        // The sectors have no baseline and no projection: nothing is needed of them on
        // their own, so they get no chart.
        let sector = select(&page, "figure.effects-chart[data-indicator=\"udl-energi\"]");
        assert!(
            sector.is_empty(),
            "{lang}: a sector without a need has no chart"
        );
    }
}

#[test]
fn the_report_charts_the_whole_series_with_its_projection_and_benchmark() {
    let html = stdout(&["--lang", "en", "report"]);
    let page = Html::parse_document(&html);
    let svg = |id: &str| -> String {
        select(
            &page,
            &format!("figure.indicator-chart[data-indicator=\"{id}\"] svg"),
        )
        .first()
        .map(|e| e.html())
        .unwrap_or_default()
    };
    let total = svg("udledning");
    assert!(
        total.contains("Series"),
        "the total's series chart: {total}"
    );
    assert!(total.contains("Projection"), "the projection is drawn");
    let context = svg("ansatte");
    assert!(context.contains("Benchmark"), "the benchmark is drawn");
    // A break splits the line: two runs (2021 alone, then 2022-2023) are two blue
    // polylines, and the legend's sample a third; one line across the break would be one.
    let blue = select(
        &page,
        "figure[data-indicator=\"ansatte\"] svg polyline[stroke=\"#1F5FA8\"]",
    )
    .len();
    assert_eq!(blue, 3, "one line per run between breaks: {context}");
}

#[test]
fn the_status_screen_and_scores_show_the_gap() {
    let status = stdout(&["status"]);
    assert!(
        status.contains(
            "Udledning, geografisk · 2030: needed -300,000, planned -220,000 (on track -150,000, at risk -60,000, cancelled -20,000 not counted), gap -80,000"
        ),
        "{status}"
    );
    let scores = stdout(&["scores"]);
    assert!(
        scores.contains(
            "Series █▃▁  2019 800,000 · 2021 760,000 · 2022 740,000 (-20,000 since 2021)"
        ),
        "{scores}"
    );
}

#[test]
fn a_total_from_its_parts_is_the_same_in_every_export() {
    // 2019: 400,000 + 300,000 + 150,000 − 50,000 (the sink) = 800,000, the baseline.
    let series = stdout(&["export", "series"]);
    assert!(series.contains("udledning,2019,2021-03-01,800000,,parts,false,,"));
    // 2020: only two sectors are known: no partial sum, no row.
    assert!(!series.contains("udledning,2020"), "{series}");
    let scores = stdout(&["export", "scores"]);
    assert!(
        scores.contains("udledning,2019,baseline,2021-03-01,800000.0000,,800000.0000"),
        "{scores}"
    );
    assert!(scores.contains("udledning,2030,target,,800000.0000,400000,"));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["--format", "json", "export", "series"])).expect("JSON");
    let row = json["rows"]
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .find(|r| r["indicator"] == "udledning" && r["wave"] == "2021")
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(row["value"], 760000);
    assert_eq!(row["source"], "parts");
}

#[test]
fn diff_gives_an_effect_and_a_part_value_their_own_rows() {
    let repo = repo::Repo::new();
    let klima = Path::new(env!("CARGO_MANIFEST_DIR")).join(KLIMA);
    for rel in ["plan.toml", "measurements.csv"] {
        repo.write(
            &format!("plan/{rel}"),
            std::fs::read(klima.join(rel)).expect("read"),
        );
    }
    for entry in std::fs::read_dir(klima.join("initiatives"))
        .expect("read")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        repo.write(
            &format!("plan/initiatives/{name}"),
            std::fs::read(entry.path()).expect("read"),
        );
    }
    repo.commit("2024-07-01", "Climate plan");
    repo.replace(
        "plan/initiatives/2-elbusser.toml",
        "change = -60000",
        "change = -45000",
    );
    repo.replace(
        "plan/measurements.csv",
        "udl-transport,2021,2023-03-01,280000",
        "udl-transport,2021,2023-03-01,285000",
    );
    repo.commit("2024-08-01", "Revised figures");
    let out = Command::new(env!("CARGO_BIN_EXE_plan"))
        .current_dir(&repo.root)
        .args([
            "--plan", "plan", "--as-of", AS_OF, "--format", "csv", "diff", "HEAD~1", "HEAD",
        ])
        .env_remove("PLAN_DIR")
        .env("LC_ALL", "C")
        .output()
        .expect("run plan");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("effect,2/udl-transport/2030,change,'-60000,'-45000"),
        "{text}"
    );
    // The part's own value, and the total it sums to: 760,000 → 765,000.
    assert!(
        text.contains("value,udl-transport/2021,value,280000,285000"),
        "{text}"
    );
    assert!(
        text.contains("value,udledning/2021,value,760000,765000"),
        "{text}"
    );
}

#[test]
fn the_report_and_exports_say_whether_a_range_s_ambition_is_met() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/series/forms.in/plan");
    let out = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args([
            "--plan",
            &dir.to_string_lossy(),
            "--as-of",
            "2026-06-30",
            "report",
        ])
        .env("LC_ALL", "C")
        .output()
        .expect("run plan");
    assert!(out.status.success());
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let page = Html::parse_document(&html);
    let flags: Vec<String> = select(
        &page,
        "figure[data-indicator=\"udledning\"] span.ambition-met",
    )
    .iter()
    .map(|e| e.text().collect())
    .collect();
    // 10-15 % below the projection of 500,000: 440,000 meets 450,000, not 425,000.
    assert_eq!(flags, ["(ambition not met)"]);
}
