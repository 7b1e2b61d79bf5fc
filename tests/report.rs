//! The HTML report (`plan report`, SPEC 8), checked as a page: every section is there, one
//! chart per budget and per indicator, nothing that would make a browser fetch anything, every
//! text from the plan files escaped, and the same bytes on every run. A second test renders it
//! in headless Chromium when `PLAN_CHROMIUM` names the browser (`.ci/run` sets it).

use std::path::Path;
use std::process::{Command, Output};

use scraper::{Html, Selector};

fn plan_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan"))
        .current_dir(dir)
        .args(args)
        .env_remove("PLAN_DIR")
        .env("LC_ALL", "C")
        .output()
        .expect("run plan")
}

fn report(plan_dir: &str, as_of: &str, lang: &str) -> String {
    let output = plan_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "--plan", plan_dir, "--as-of", as_of, "--lang", lang, "report",
        ],
    );
    assert!(
        output.status.success(),
        "plan report failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 page")
}

fn select<'a>(page: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).expect("selector");
    page.select(&selector).collect()
}

/// How many `[[NAME]]` tables a plan.toml declares.
fn declared(plan_dir: &str, table: &str) -> usize {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(plan_dir)
        .join("plan.toml");
    let text = std::fs::read_to_string(path).expect("plan.toml");
    text.lines()
        .filter(|l| l.trim() == format!("[[{table}]]"))
        .count()
}

/// Every section, a timeline, one chart per budget and per indicator.
fn assert_structure(html: &str, plan_dir: &str) {
    let page = Html::parse_document(html);
    for id in [
        "plan",
        "initiatives",
        "timeline",
        "budgets",
        "indicators",
        "criteria",
        "warnings",
    ] {
        assert_eq!(select(&page, &format!("#{id}")).len(), 1, "section #{id}");
    }
    assert_eq!(select(&page, "h1").len(), 1);
    let csp = select(&page, r#"meta[http-equiv="Content-Security-Policy"]"#);
    assert!(
        csp.first()
            .and_then(|m| m.value().attr("content"))
            .is_some_and(|c| c.starts_with("default-src 'none'")),
        "the page forbids itself every fetch"
    );
    assert_eq!(select(&page, "#timeline figure svg").len(), 1, "timeline");
    assert_eq!(
        select(&page, "#budgets figure.budget-chart svg").len(),
        declared(plan_dir, "budget"),
        "one chart per budget"
    );
    assert_eq!(
        select(&page, "#indicators figure.indicator-chart svg").len(),
        declared(plan_dir, "indicator"),
        "one chart per indicator"
    );
    assert_eq!(
        select(&page, "#criteria tbody tr").len(),
        declared(plan_dir, "criterion"),
        "one row per criterion"
    );
    assert_self_contained(&page, html);
}

/// Nothing on the page makes a browser load anything: no script, no external element, no
/// attribute that names a resource, no `url()` or `@import` in the style.
fn assert_self_contained(page: &Html, html: &str) {
    // `url(` in text would be harmless, but no plan here writes it, so any is a style.
    for tag in [
        "script",
        "link",
        "img",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "source",
        "base",
        "image",
        "use",
        "foreignObject",
    ] {
        assert!(select(page, tag).is_empty(), "a <{tag}> element");
    }
    for element in select(page, "*") {
        for (name, value) in element.value().attrs() {
            let name = name.to_ascii_lowercase();
            assert!(
                ![
                    "src",
                    "href",
                    "xlink:href",
                    "srcset",
                    "poster",
                    "action",
                    "data"
                ]
                .contains(&name.as_str()),
                "attribute {name}=\"{value}\" on <{}>",
                element.value().name()
            );
            assert!(!name.starts_with("on"), "event handler {name}");
            if name != "xmlns" {
                assert!(
                    !value.contains("http:") && !value.contains("https:"),
                    "{name}=\"{value}\""
                );
            }
        }
    }
    for style in select(page, "style") {
        let css: String = style.text().collect();
        assert!(!css.contains("url("), "url() in the stylesheet");
        assert!(!css.contains("@import"), "@import in the stylesheet");
    }
    assert!(!html.contains("url("), "url() anywhere on the page");
}

#[test]
fn the_example_plans_have_every_section_and_a_chart_per_budget_and_indicator() {
    for (dir, as_of) in [
        ("examples/fjordby", "2022-06-30"),
        ("plan", "2014-06-30"),
        ("examples/greve/klima", "2025-10-23"),
        ("examples/greve/voksen", "2025-10-20"),
        ("examples/greve/digital", "2025-09-08"),
    ] {
        for lang in ["da", "en"] {
            assert_structure(&report(dir, as_of, lang), dir);
        }
    }
}

#[test]
fn the_page_is_the_same_bytes_on_every_run() {
    let a = report("examples/fjordby", "2022-06-30", "da");
    let b = report("examples/fjordby", "2022-06-30", "da");
    assert!(a == b, "two runs differ");
}

#[test]
fn labels_numbers_and_dates_follow_the_language() {
    let da = report("examples/fjordby", "2022-06-30", "da");
    assert!(da.contains("<html lang=\"da\">"));
    assert!(da.contains("2.400.000 kr."), "Danish money");
    assert!(da.contains("6.095 timer"), "Danish hours");
    assert!(da.contains("30. juni 2022"), "Danish date");
    assert!(da.contains("Budgetter"));
    let en = report("examples/fjordby", "2022-06-30", "en");
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("2,400,000 DKK"), "English money");
    assert!(en.contains("6,095 hours"), "English hours");
    assert!(en.contains("30 June 2022"), "English date");
    // The plan's own text is never translated.
    for page in [&da, &en] {
        assert!(page.contains("Digitaliseringsteamet (1,5 årsværk)"));
    }
}

/// A plan whose texts would break the page if they were not escaped.
fn hostile_plan(dir: &Path) {
    std::fs::write(
        dir.join("plan.toml"),
        r#"format = 1
id = "x"
title = "Plan <b>bold</b> & \"quoted\" 'single'"
subtitle = "</style><script>alert(1)</script>"
organisation = "Kommune <i>"
purpose = "<img src=\"http://example.invalid/x.png\">"
period = { start = 2020-01-01, end = 2020-12-31 }

[[budget]]
id = "b"
title = "Pulje <svg onload=alert(1)> & co"
kind = "money"
amount = 1000

[[indicator]]
id = "i"
title = "Score \"<&>\""
scale = { min = 1, max = 5 }
baseline = { wave = "2020", value = 3 }
target = [ { wave = "2021", delta = 0.5 } ]

[[criterion]]
id = "c"
title = "<a href=\"https://example.invalid\">link</a>"
deadline = 2020-06-30
achieved = { date = 2020-05-01, evidence = "<iframe src=\"https://example.invalid\"></iframe>" }
"#,
    )
    .expect("plan.toml");
    std::fs::write(
        dir.join("ledger.csv"),
        "date,budget,kind,amount,unit,ref,note\n2020-02-01,b,grant,100,<u>,R1,<b>\n",
    )
    .expect("ledger.csv");
    let initiatives = dir.join("initiatives");
    std::fs::create_dir(&initiatives).expect("initiatives/");
    std::fs::write(
        initiatives.join("i1.toml"),
        r#"id = "I1"
number = 1
title = "<script>alert('x')</script> & more"
owner = "\"Owner\" <o@example.invalid>"
start = 2020-01-01
end = 2020-10-01
summary = "…"

[[milestone]]
id = "M1"
title = "Milestone </td></tr></table>"
due = 2020-03-01
"#,
    )
    .expect("initiative");
}

#[test]
fn every_text_from_the_plan_files_is_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    hostile_plan(dir.path());
    let output = plan_in(
        dir.path(),
        &[
            "--plan",
            ".",
            "--as-of",
            "2020-06-30",
            "--lang",
            "en",
            "report",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = String::from_utf8(output.stdout).expect("UTF-8");
    let page = Html::parse_document(&html);
    assert_self_contained(&page, &html);
    // The texts come back as text, exactly as written.
    let h1: String = select(&page, "h1")[0].text().collect();
    assert_eq!(h1, "Plan <b>bold</b> & \"quoted\" 'single'");
    assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; more"));
    assert!(html.contains("Pulje &lt;svg onload=alert(1)&gt; &amp; co"));
    let title: String = select(&page, "title")[0].text().collect();
    assert!(title.starts_with("Plan <b>bold</b>"), "{title}");
    // And no element was smuggled in.
    assert!(select(&page, "b, i, u, a, iframe").is_empty());
    assert_eq!(select(&page, "svg").len(), 3, "timeline, budget, indicator");
}

/// Render the example plan's page in headless Chromium: it must load without a console error,
/// request nothing from the network, show every section in the DOM, and give a real picture.
#[test]
fn the_page_renders_in_headless_chromium() {
    let Some(chromium) = std::env::var_os("PLAN_CHROMIUM") else {
        eprintln!("skipped: set PLAN_CHROMIUM=/usr/bin/chromium to render the page");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("report.html");
    std::fs::write(&page, report("examples/fjordby", "2022-06-30", "da")).expect("page");
    let url = format!("file://{}", page.display());
    let profile = dir.path().join("profile");
    let netlog = dir.path().join("net.json");
    let png = dir.path().join("report.png");
    let chromium_run = |extra: &[String]| {
        Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                // Nothing may leave the machine, the browser's own background requests
                // included: names do not resolve and connections go to a closed local port.
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--proxy-server=http://127.0.0.1:9",
                "--enable-logging=stderr",
                "--v=0",
                "--window-size=1280,2000",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&url)
            .output()
            .expect("run chromium")
    };
    let shot = chromium_run(&[
        format!("--screenshot={}", png.display()),
        format!("--log-net-log={}", netlog.display()),
    ]);
    let log = String::from_utf8_lossy(&shot.stderr);
    assert!(shot.status.success(), "chromium failed: {log}");
    for line in log.lines() {
        assert!(
            !line.contains("CONSOLE") && !line.contains("Uncaught"),
            "console message: {line}"
        );
    }
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(size > 50_000, "screenshot only {size} bytes");

    // The network log has every request the browser made. Its own background requests have
    // no origin ("not an origin"); a request from the page would carry the page's origin,
    // which for a file is opaque ("null") or file://.
    let net = std::fs::read_to_string(&netlog).expect("net log");
    for initiator in ["\"initiator\":\"null\"", "\"initiator\":\"file:"] {
        assert!(
            !net.contains(initiator),
            "the page made a request ({initiator})"
        );
    }

    let dom = chromium_run(&["--dump-dom".to_string()]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    let rendered = Html::parse_document(&dom);
    assert_structure(&dom, "examples/fjordby");
    assert!(!select(&rendered, "#timeline svg rect").is_empty());
}

/// A plan whose baseline wave and first target wave each come from fewer than
/// `min_group_size` answers: neither figure may appear anywhere on the page.
fn small_groups_plan(dir: &Path) {
    std::fs::write(
        dir.join("plan.toml"),
        r#"format = 1
id = "x"
title = "Small groups"
organisation = "Kommune"
period = { start = 2020-01-01, end = 2022-12-31 }

[privacy]
min_group_size = 5

[[indicator]]
id = "trivsel"
title = "Trivsel"
scale = { min = 1, max = 10 }
baseline = { wave = "2020", value = 6.5 }
target = [ { wave = "2021", delta = 0.5 } ]

[[survey]]
wave = "2020"
date = 2020-11-01
file = "surveys/2020.csv"

[[survey]]
wave = "2021"
date = 2021-11-01
file = "surveys/2021.csv"
"#,
    )
    .expect("plan.toml");
    let surveys = dir.join("surveys");
    std::fs::create_dir(&surveys).expect("surveys/");
    std::fs::write(
        surveys.join("2020.csv"),
        "indicator,unit,n,mean,sd\ntrivsel,A,2,6.913,1.377\ntrivsel,B,2,6.913,1.377\n",
    )
    .expect("2020.csv");
    std::fs::write(
        surveys.join("2021.csv"),
        "indicator,unit,n,mean,sd\ntrivsel,A,3,8.417,1.913\n",
    )
    .expect("2021.csv");
    std::fs::create_dir(dir.join("initiatives")).expect("initiatives/");
}

#[test]
fn a_suppressed_result_appears_nowhere_on_the_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    small_groups_plan(dir.path());
    for lang in ["da", "en"] {
        let output = plan_in(
            dir.path(),
            &[
                "--plan",
                ".",
                "--as-of",
                "2022-06-30",
                "--lang",
                lang,
                "report",
            ],
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let html = String::from_utf8(output.stdout).expect("UTF-8");
        // Every way the hidden means and sds could be written: as given, rounded, in either
        // decimal form; inside the SVG (text, titles) as much as in the tables.
        for hidden in [
            "6.913", "6.91", "6,91", "6.9 ", "1.377", "1.38", "8.417", "8.42", "8,42", "8.4",
            "8,4", "1.913", "1.91", "1,91",
        ] {
            assert!(!html.contains(hidden), "{hidden} is on the page ({lang})");
        }
        assert_structure_of_small_plan(&html);
    }
}

fn assert_structure_of_small_plan(html: &str) {
    let page = Html::parse_document(html);
    assert_eq!(select(&page, "figure.indicator-chart svg").len(), 1);
    // The page says why there is no figure.
    assert!(html.contains("n &lt; 5") || html.contains("n < 5"));
}

/// SPEC 9.1-9.4 on the page: the plan's partners in its header, children under their parent
/// (indented) with their partners, a period due date as written, a measured indicator's unit,
/// and every section and chart as for any plan.
#[test]
fn format_additions_are_on_the_page() {
    let html = report("tests/plans/kinds", "2026-04-15", "en");
    assert_structure(&html, "tests/plans/kinds");
    let page = Html::parse_document(&html);
    let meta: String = select(&page, "header p.meta")
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect();
    assert!(
        meta.contains("Partners: Midt- og Vestsjællands Politi, Bo trygt"),
        "{meta}"
    );
    let rows: Vec<String> = select(&page, "#initiatives tbody tr")
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect();
    let position = |needle: &str| {
        rows.iter()
            .position(|r| r.contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle}: {rows:#?}"))
    };
    // 4, then 4a and 4b under it, then 4b1 under 4b.
    assert!(position("Tryghedsindsats") < position("Belysning ved opgangene"));
    assert!(position("Naboer i dialog") < position("Kaffemøder"));
    assert!(rows[position("Kaffemøder")].contains("↳"));
    assert!(rows[position("Naboer i dialog")].contains("Partners: Bo trygt"));
    // A period due in words, as the page writes months (the written form is the tooltip).
    assert!(rows[position("Bedre gadelys")].contains("Mar 2026"));
    assert!(html.contains("t CO₂e"));
}

/// A `<text>` element's own text, without its `<title>` (the tooltip).
fn own_text(e: &scraper::ElementRef) -> String {
    e.children()
        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
        .collect::<String>()
        .trim()
        .to_string()
}

/// The text of a `<text>` element's `<title>`, if it has one.
fn tooltip(e: &scraper::ElementRef) -> Option<String> {
    let title = Selector::parse("title").expect("selector");
    e.select(&title)
        .next()
        .map(|t| t.text().collect::<String>())
}

/// The timeline's initiative labels end at the axis, right-aligned: each must start inside
/// the SVG. Plans whose titles (or ids, for initiatives without a number) are long.
#[test]
fn timeline_labels_start_inside_the_chart() {
    for (plan_dir, as_of) in [
        ("examples/greve/klima", "2025-12-31"),
        ("examples/greve/voksen", "2025-12-31"),
        ("examples/fjordby", "2022-06-30"),
    ] {
        let html = report(plan_dir, as_of, "en");
        let page = Html::parse_document(&html);
        let labels = select(&page, r#"#timeline svg text[text-anchor="end"]"#);
        assert!(labels.len() >= 10, "{plan_dir}: {} labels", labels.len());
        let mut cut = 0;
        for label in &labels {
            let text = own_text(label);
            let attr = |name: &str| -> f64 {
                label
                    .value()
                    .attr(name)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| panic!("{plan_dir}: `{text}` has no {name}"))
            };
            // Half the font size a character is less than any face draws a label in
            // (digits and lowercase letters are about 0.55 em, capitals more).
            let least_width = 0.5 * attr("font-size") * text.chars().count() as f64;
            assert!(
                attr("x") >= least_width,
                "{plan_dir}: `{text}` ends at x = {} and is at least {least_width:.0} wide",
                attr("x")
            );
            // A label cut short has the whole label as its tooltip.
            if let Some(start) = text.strip_suffix('…') {
                cut += 1;
                let whole = tooltip(label).unwrap_or_else(|| panic!("no tooltip on `{text}`"));
                assert!(whole.starts_with(start.trim_end()), "`{text}`: `{whole}`");
            }
        }
        if plan_dir != "examples/fjordby" {
            assert!(cut > 0, "{plan_dir}: no label was cut");
        }
    }
}

/// The rounds' labels under their bars tell the rounds apart, even when their titles begin
/// alike ("Status oktober 2024", "Status oktober 2025 (afrapportering …)"), and each has the
/// round's title as its tooltip.
#[test]
fn round_labels_tell_the_rounds_apart() {
    for (plan_dir, lang, expected) in [
        (
            "examples/greve/klima",
            "en",
            vec!["Oct 2023", "Oct 2024", "Oct 2025"],
        ),
        (
            "examples/greve/klima",
            "da",
            vec!["okt. 2023", "okt. 2024", "okt. 2025"],
        ),
        (
            "examples/greve/voksen",
            "en",
            vec![
                "1/2023", "2/2023", "3/2023", "1/2024", "2/2024", "3/2024", "1/2025", "2/2025",
            ],
        ),
    ] {
        let html = report(plan_dir, "2025-12-31", lang);
        let page = Html::parse_document(&html);
        let titles: Vec<String> = select(&page, "#rounds table.rounds tbody tr td:first-child")
            .iter()
            .map(|td| {
                td.children()
                    .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                    .collect::<String>()
                    .trim()
                    .to_string()
            })
            .collect();
        // The axis labels are in the chart's ink; the counts on the bars are white.
        let labels = select(
            &page,
            r##"#rounds svg text[text-anchor="middle"][fill="#222222"]"##,
        );
        // The two empty segments on the right (the legend's) have empty labels.
        let shown: Vec<String> = labels
            .iter()
            .map(own_text)
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(shown, expected, "{plan_dir} ({lang})");
        let tooltips: Vec<String> = labels.iter().filter_map(tooltip).collect();
        assert_eq!(tooltips, titles, "{plan_dir} ({lang})");
    }
}

/// Whether `s` is four digits: a year.
fn is_year(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_DA: [&str; 12] = [
    "jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.",
];

/// A day as the page writes days: `31 Oct 2026` / `31-10-2026`.
fn is_day(lang: &str, s: &str) -> bool {
    match lang {
        "en" => match s.split(' ').collect::<Vec<_>>()[..] {
            [d, m, y] => {
                (1..=2).contains(&d.len())
                    && d.bytes().all(|b| b.is_ascii_digit())
                    && MONTHS_EN.contains(&m)
                    && is_year(y)
            }
            _ => false,
        },
        _ => {
            let parts: Vec<&str> = s.split('-').collect();
            parts.len() == 3
                && parts[0].len() == 2
                && parts[1].len() == 2
                && is_year(parts[2])
                && s.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        }
    }
}

/// A period in words: `Mar 2026`, `Q1 2026`, `H1 2025`, `2026` / `mar. 2026`, `1. kvt. 2026`,
/// `1. halvår 2025`, `2026`.
fn is_period_in_words(lang: &str, s: &str) -> bool {
    let Some((words, year)) = s.rsplit_once(' ') else {
        return is_year(s);
    };
    let en = ["Q1", "Q2", "Q3", "Q4", "H1", "H2"];
    let da = [
        "1. kvt.",
        "2. kvt.",
        "3. kvt.",
        "4. kvt.",
        "1. halvår",
        "2. halvår",
    ];
    is_year(year)
        && match lang {
            "en" => MONTHS_EN.contains(&words) || en.contains(&words),
            _ => MONTHS_DA.contains(&words) || da.contains(&words),
        }
}

/// The "Due" columns write every due date in one form per language: a day as the page writes
/// days, a period (`2026-03`, `2026-Q1`, `2025-H1`) in words, never as written.
#[test]
fn due_dates_have_one_form_per_language() {
    for (plan_dir, as_of) in [
        ("tests/plans/kinds", "2026-04-15"),
        ("examples/greve/digital", "2025-01-15"),
    ] {
        for lang in ["en", "da"] {
            let html = report(plan_dir, as_of, lang);
            let page = Html::parse_document(&html);
            let cells = select(&page, "#initiatives td.date, #timeline table.slips td.date");
            let (mut days, mut periods) = (0, 0);
            for cell in &cells {
                // The due date, without the slip flag beside it.
                let due = own_text(cell);
                if due.is_empty() {
                    continue;
                }
                if let Some(written) = cell.value().attr("title") {
                    periods += 1;
                    assert!(
                        is_period_in_words(lang, &due),
                        "{plan_dir} ({lang}): `{due}` for `{written}`"
                    );
                } else {
                    days += 1;
                    assert!(is_day(lang, &due), "{plan_dir} ({lang}): `{due}`");
                }
            }
            assert!(periods >= 1, "{plan_dir} ({lang}): no period due shown");
            if plan_dir == "tests/plans/kinds" {
                assert!(days >= 1, "{plan_dir} ({lang}): no day due shown");
            }
        }
    }
    let html = report("tests/plans/kinds", "2026-04-15", "da");
    assert!(
        html.contains(r#"title="2026-03">mar. 2026"#),
        "the written form is the tooltip"
    );
}
