//! The HTML report (`plan report`, SPEC 8): one self-contained page — inline CSS and SVG, no
//! script, nothing fetched — with a print stylesheet for A4.
//!
//! The page is written with `maud`, whose templates escape every interpolated string, so a
//! title with `<`, `&` or quotes from the plan files cannot break out of its element. The only
//! text inserted unescaped is the SVG that `plotters` writes (it escapes its own text). The
//! output depends on nothing but the report data and the language: no clock, no random ids.

use anyhow::Result;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::diag::Located;
use crate::render::charts;
use crate::render::lang::Lang;
use crate::report::budget::BudgetFigures;
use crate::report::page::{IndicatorChart, PageReport};
use crate::report::status::{CriterionStatus, InitiativeLine, MilestoneState, Status};

/// The page's stylesheet: screen first, then A4 print. No web fonts, no `url()`.
const CSS: &str = r#"
:root { --ink: #222; --muted: #555; --rule: #ccc; --green: #1b7f3b; --amber: #b36b00; --red: #c01c28; --blue: #1f5fa8; }
* { box-sizing: border-box; }
html { font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
body { margin: 0 auto; padding: 1.5rem 2rem 3rem; max-width: 1200px; line-height: 1.4; font-size: 15px; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
p { margin: .3rem 0; }
.subtitle { font-size: 1.15rem; color: var(--muted); margin-bottom: .6rem; }
.meta { color: var(--muted); }
.elapsed { display: flex; align-items: center; gap: .8rem; margin: .6rem 0; }
.elapsed meter { width: 16rem; height: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .93rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--rule); }
th { border-bottom: 2px solid var(--ink); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.date { white-space: nowrap; }
.status { display: inline-block; padding: 0 .4rem; border: 1px solid currentColor; border-radius: 3px; font-size: .85rem; white-space: nowrap; }
.s-good { color: var(--green); } .s-warn { color: var(--amber); } .s-bad { color: var(--red); font-weight: 600; } .s-none { color: var(--muted); }
.flag { color: var(--muted); font-size: .85rem; }
figure { margin: .6rem 0 1.4rem; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; max-width: 100%; }
figcaption { font-size: .9rem; color: var(--muted); margin-top: .3rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 0 1.6rem; }
.pair { display: flex; flex-wrap: wrap; gap: 0 1.6rem; align-items: flex-start; }
.pair > div { flex: 1 1 460px; max-width: 640px; }
.pair > table { flex: 1 1 420px; width: auto; }
.legend { font-size: .9rem; color: var(--muted); }
.legend span { margin-right: 1.2rem; white-space: nowrap; }
.m-done { color: var(--green); } .m-late { color: var(--amber); } .m-overdue { color: var(--red); } .m-asof { color: var(--blue); } .m-baseline { color: #777; }
.question { font-style: italic; color: var(--muted); }
footer { margin-top: 3rem; font-size: .85rem; color: var(--muted); border-top: 1px solid var(--rule); padding-top: .5rem; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  section { break-before: page; page-break-before: always; }
  h2 { margin-top: 0; }
  .charts { display: block; }
  figure svg { max-height: 120mm; }
  thead { display: table-header-group; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  .status { border-width: 1px; }
  .s-bad { text-decoration: underline; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// The page's Content-Security-Policy: no source of anything but its own inline style.
pub const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// A due date in the page's one form for dates: a day as [`Lang::date`] (`31 May 2022` /
/// `31-05-2022`), a period in words of the same language (`Oct 2025` / `okt. 2025`, `Q1 2026`
/// / `1. kvt. 2026`, `H2 2025` / `2. halvår 2025`, `2026`) instead of as written (`2025-10`),
/// which beside a day would read as another kind of date. The written form is its tooltip.
fn due_text(lang: Lang, w: &crate::model::When) -> String {
    let Some(period) = &w.period else {
        return lang.date(w.date);
    };
    let (year, part) = match period.split_once('-') {
        Some((year, part)) => (year, Some(part)),
        None => (period.as_str(), None),
    };
    let number = |p: &str| p.get(1..).and_then(|n| n.parse::<u32>().ok());
    match (part, lang) {
        (None, _) => year.to_string(),
        (Some(p), Lang::En) if p.starts_with('Q') || p.starts_with('H') => format!("{p} {year}"),
        (Some(p), Lang::Da) if p.starts_with('Q') => match number(p) {
            Some(n) => format!("{n}. kvt. {year}"),
            None => period.clone(),
        },
        (Some(p), Lang::Da) if p.starts_with('H') => match number(p) {
            Some(n) => format!("{n}. halvår {year}"),
            None => period.clone(),
        },
        (Some(p), _) => match p.parse::<u32>() {
            Ok(month) if (1..=12).contains(&month) => {
                format!("{} {year}", lang.month_abbr(month))
            }
            _ => period.clone(),
        },
    }
}

/// The class that colours a status word (the word itself carries the meaning in print).
fn status_class(s: Status) -> &'static str {
    tone_class(crate::render::status::status_tone(s))
}

fn criterion_class(s: CriterionStatus) -> &'static str {
    tone_class(crate::render::status::criterion_tone(s))
}

fn tone_class(tone: crate::render::status::Tone) -> &'static str {
    use crate::render::status::Tone;
    match tone {
        Tone::Good => "status s-good",
        Tone::Warn => "status s-warn",
        Tone::Bad => "status s-bad",
        Tone::Plain => "status s-none",
    }
}

/// The page as a string.
pub fn page(r: &PageReport, lang: Lang) -> Result<String> {
    let l = lang.labels();
    let s = &r.status;
    let sections = plan_sections(r, lang, "")?;
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            (head(&format!("{} — {} {}", s.title, l.as_of, lang.date(s.as_of))))
            body {
                (sections)
                footer {
                    (l.made_by) " · " (l.as_of) " " (lang.date(s.as_of))
                }
            }
        }
    };
    Ok(markup.into_string())
}

/// The page's head: charset, the policy that forbids every fetch and script, the style.
pub fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            // The page forbids itself every fetch and every script: should a browser, a
            // mail client or a later change ever find a reference in it, nothing loads.
            meta http-equiv="Content-Security-Policy" content=(CSP);
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="generator" content="plan";
            title { (title) }
            style { (PreEscaped(CSS)) }
        }
    }
}

/// The plan's sections: what the page's body holds, each section's id prefixed with `p` (a
/// portfolio's page holds several plans, and an id names one element).
pub fn plan_sections(r: &PageReport, lang: Lang, p: &str) -> Result<Markup> {
    let l = lang.labels();
    let s = &r.status;
    let mut who = vec![s.organisation.clone()];
    who.extend(s.adopted_by.clone());
    who.extend(s.case.clone());
    who.extend(
        s.coordinator
            .as_ref()
            .map(|c| format!("{}: {c}", l.coordinator)),
    );
    if !r.partners.is_empty() {
        who.push(format!("{}: {}", l.partners, r.partners.join(", ")));
    }

    let timeline = charts::timeline(&r.timeline, s.period, s.as_of, lang)?;
    let budget_charts = r
        .burn_up
        .iter()
        .map(|b| charts::burn_up(b, lang).map(|svg| (b, svg)))
        .collect::<Result<Vec<_>>>()?;
    let indicator_charts = r
        .indicators
        .iter()
        .map(|i| match &i.series {
            // The whole series instead, when it says more (SPEC 12.1).
            Some(series) => charts::series(i, series, lang).map(|svg| (i, svg)),
            None => charts::indicator(i, r.min_group_size, lang).map(|svg| (i, svg)),
        })
        .collect::<Result<Vec<_>>>()?;
    // Needed against planned change, one chart per target wave (SPEC 12.4).
    let effect_charts = r
        .indicators
        .iter()
        .map(|i| {
            i.effects
                .iter()
                .map(|e| charts::effects(e, i.line.unit.as_deref(), lang).map(|svg| (e, svg)))
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<Vec<_>>>()?;

    Ok(html! {
        header id=(format!("{p}plan")) {
            h1 { (s.title) }
            @if let Some(sub) = &s.subtitle { p.subtitle { (sub) } }
            p.meta { (who.join(" · ")) }
            @if let Some(revision) = &s.revision {
                p.meta.revision { (lang.revision(revision)) }
            }
            div.elapsed {
                strong { (l.as_of) " " (lang.date_long(s.as_of)) }
                span { (lang.date(s.period.start)) " – " (lang.date(s.period.end)) }
                meter min="0" max="100" value=(format!("{:.1}", s.elapsed_pct)) { (lang.pct(s.elapsed_pct)) }
                @if s.ended() {
                    span { (l.plan_ended) " " (lang.date(s.period.end)) }
                } @else {
                    span { (lang.pct(s.elapsed_pct)) " " (l.period_gone) }
                }
            }
            @if let Some(purpose) = &r.purpose {
                h3 { (l.purpose) }
                p { (purpose) }
            }
            @if !r.goals.is_empty() {
                h3 { (l.goals) }
                ul { @for (id, goal) in &r.goals { li { strong { (id) } " " (goal) } } }
            }
        }
        @if let Some(since) = &r.since {
            (since_section(since, lang))
        }
        section id=(format!("{p}initiatives")) {
            h2 { (l.initiatives) " (" (s.initiatives.len()) ")" }
            (initiatives_table(&s.initiatives, s.as_of, s.baseline.as_deref(), lang))
        }
        @if !r.rounds.is_empty() {
            section id=(format!("{p}rounds")) {
                h2 { (l.rounds) }
                (rounds_section(&r.rounds, &s.labels, lang)?)
            }
        }
        section id=(format!("{p}timeline")) {
            h2 { (l.timeline) }
            figure.chart.timeline-chart {
                div role="img" aria-label=(format!("{}: {}", l.chart, l.timeline)) { (PreEscaped(&timeline)) }
                figcaption.legend {
                    span { span.m-done { "●" } " " (lang.milestone_state(MilestoneState::Done)) }
                    span { span.m-late { "▲" } " " (lang.milestone_state(MilestoneState::DoneLate)) }
                    span { span.m-overdue { "✕" } " " (lang.milestone_state(MilestoneState::Overdue)) }
                    span { "○ " (lang.milestone_state(MilestoneState::Open)) }
                    span { "░ " (l.open_ended) }
                    @if let Some(baseline) = &s.baseline {
                        span { span.m-baseline { "◇" } " " (lang.baseline_due(baseline)) }
                    }
                    span { span.m-asof { "┆" } " " (l.today_line) " " (lang.date(s.as_of)) }
                }
            }
            @if let Some(baseline) = &s.baseline {
                (slip_table(&r.timeline, baseline, lang))
            }
        }
        section id=(format!("{p}budgets")) {
            h2 { (l.budgets) }
            @if s.budgets.is_empty() { p { (l.none) } } @else {
                @if s.budgets.iter().any(|f| !f.savings) { (budgets_table(&s.budgets, lang)) }
                (savings_and_funding(&s.budgets, lang))
                div.charts {
                    @for (b, svg) in &budget_charts {
                        figure.chart.budget-chart data-budget=(b.id) {
                            h3 { (b.title) }
                            div role="img" aria-label=(format!("{}: {}", l.chart, b.title)) { (PreEscaped(svg)) }
                        }
                    }
                }
            }
        }
        section id=(format!("{p}indicators")) {
            h2 { (l.indicators) }
            @if r.indicators.is_empty() { p { (l.none) } } @else {
                @for ((ind, svg), effects) in indicator_charts.iter().zip(&effect_charts) {
                    figure.chart.indicator-chart data-indicator=(ind.line.id) {
                        h3 { (ind.line.title) }
                        @if let Some(q) = &ind.question { p.question { (q) } }
                        @if let Some(u) = &ind.line.unit { p.question { (u) } }
                        @else if ind.line.share { p.question { (l.share_unit) } }
                        div.pair {
                            div role="img" aria-label=(format!("{}: {}", l.chart, ind.line.title)) { (PreEscaped(svg)) }
                            (indicator_table(ind, r.min_group_size, lang))
                        }
                    }
                    // Beside the indicator's own chart, not in it: one figure per target
                    // wave whose need is known.
                    @for (e, svg) in effects {
                        figure.chart.effects-chart data-indicator=(ind.line.id) data-wave=(e.wave) {
                            h3 { (ind.line.title) " · " (e.wave) }
                            div.pair {
                                div role="img" aria-label=(format!("{}: {} {}", l.chart, ind.line.title, e.wave)) { (PreEscaped(svg)) }
                                p { (crate::render::series::effect_line_in(e, ind.line.precision, lang)) }
                            }
                        }
                    }
                }
            }
        }
        section id=(format!("{p}criteria")) {
            h2 { (l.criteria) }
            @if s.criteria.is_empty() { p { (l.none) } } @else {
                table {
                    thead { tr { th { (l.criterion) } th { (l.deadline) } th { (l.achieved) } th { (l.status) } th { (l.evidence) } } }
                    tbody {
                        @for (c, e) in s.criteria.iter().zip(&r.evidence) {
                            tr {
                                td { (c.title) }
                                td.date { (lang.date(c.deadline)) }
                                td.date { @if let Some(d) = c.achieved { (lang.date(d)) } @else { "–" } }
                                td { span class=(criterion_class(c.status)) { (lang.criterion(c.status)) } }
                                td { @if let Some(ev) = &e.evidence { (ev) } }
                            }
                        }
                    }
                }
            }
        }
        section id=(format!("{p}warnings")) {
            h2 { (l.warnings) " (" (r.warnings.len()) ")" }
            (warnings_table(&r.warnings, lang))
        }
    })
}

/// "Changes since …" (`plan report --since REV`): the changes of `plan diff`, grouped under the
/// same headings as its table.
fn since_section(since: &crate::report::page::Since, lang: Lang) -> Markup {
    let heading = match lang {
        Lang::Da => format!("Ændringer siden {}", since.rev),
        Lang::En => format!("Changes since {}", since.rev),
    };
    let none = crate::render::diff::no_changes(lang);
    html! {
        section #changes {
            h2 { (heading) }
            p.from { (since.from) }
            @if since.changes.is_empty() { p { (none) } }
            @for (group, list) in crate::render::diff::grouped(&since.changes) {
                h3 { (crate::render::diff::heading_word(group, lang)) }
                table.changes {
                    tbody {
                        @for line in crate::render::diff::lines(&list, lang) {
                            tr {
                                td { (line.kind) }
                                td { (line.id) }
                                td { (line.text) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Every milestone whose due date differs from the baseline's, or that the baseline did not
/// have (SPEC 10.4): due, the due at the baseline, the slip and how often it moved. A milestone
/// unscheduled then and now has not moved and is not new.
fn slip_table(rows: &[crate::report::page::TimelineRow], baseline: &str, lang: Lang) -> Markup {
    let l = lang.labels();
    let moved: Vec<_> = rows
        .iter()
        .flat_map(|r| r.milestones.iter().map(move |m| (r, m)))
        .filter_map(|(r, m)| m.slip.map(|s| (r, m, s)))
        .filter(|(_, m, s)| {
            s.new
                || s.moves > 0
                || s.slip_days.is_some_and(|d| d != 0)
                // Scheduled since the baseline, or no longer scheduled.
                || s.baseline_due.is_some() != m.due.is_some()
        })
        .collect();
    html! {
        @if !moved.is_empty() {
            table.slips {
                caption { (lang.since(baseline)) }
                thead { tr {
                    th { (l.initiative) } th { (l.milestone) } th { (l.due) }
                    th { (lang.baseline_due(baseline)) } th { (lang.since(baseline)) }
                } }
                tbody {
                    @for (r, m, s) in &moved {
                        tr {
                            td { @if let Some(n) = r.number { (n) " " } (r.title) }
                            td { (m.id) " " (m.title) }
                            td.date title=[m.due.as_ref().and_then(|d| d.period.as_deref())] { @if let Some(due) = &m.due { (due_text(lang, due)) } }
                            td.date { @if let Some(d) = s.baseline_due { (lang.date(d)) } }
                            td { (lang.slip_cell(s)) }
                        }
                    }
                }
            }
        }
    }
}

fn initiatives_table(
    lines: &[InitiativeLine],
    as_of: crate::model::Date,
    baseline: Option<&str>,
    lang: Lang,
) -> Markup {
    let l = lang.labels();
    html! {
        table {
            thead { tr {
                th.num { (l.number) } th { (l.initiative) } th { (l.focus) } th { (l.owner) }
                th { (l.status) } th { (l.next_milestone) } th { (l.due) }
            } }
            tbody {
                @for i in lines {
                    tr {
                        td.num { @if let Some(n) = i.number { (n) } @else { (i.id) } }
                        td {
                            @if i.depth > 0 { span.child style=(format!("padding-left: {}rem", i.depth)) { "↳ " } }
                            (i.title)
                            @if !i.partners.is_empty() { br; span.flag { (l.partners) ": " (i.partners.join(" · ")) } }
                        }
                        td { (i.focus_text()) }
                        td { (i.owner.as_deref().unwrap_or("")) }
                        td {
                            span class=(status_class(i.status)) { (i.label.as_deref().unwrap_or(lang.status(i.status))) }
                            @if let Some(days) = i.stale_days { " " span.flag { (lang.stale(days)) } }
                            @if i.overdue > 0 { " " span.flag { (lang.overdue(i.overdue)) } }
                        }
                        @match &i.next_milestone {
                            Some((_, title, due)) => {
                                td { (title) @if due.as_ref().is_some_and(|d| d.date < as_of) { " " span.flag.s-bad { "(" (l.overdue) ")" } } }
                                td.date title=[due.as_ref().and_then(|d| d.period.as_deref())] {
                                    @if let Some(due) = due { (due_text(lang, due)) }
                                    @if let Some(slip) = baseline.zip(i.next_slip.as_ref()).and_then(|(b, s)| lang.slip_since(s, b)) {
                                        " " span.flag.slip { (slip) }
                                    }
                                }
                            }
                            None => { td { "–" } td {} }
                        }
                    }
                }
            }
        }
    }
}

fn budgets_table(rows: &[BudgetFigures], lang: Lang) -> Markup {
    let l = lang.labels();
    html! {
        table {
            thead { tr {
                th { (l.budget) } th.num { (l.total) } th.num { (l.committed) } th.num { (l.spent) }
                th.num { (l.plan_by_now) } th.num { (l.projected) }
            } }
            tbody {
                @for f in rows.iter().filter(|f| !f.savings) {
                    @let [total, committed, spent, plan] = crate::render::budget::summary_cells(f, lang);
                    tr {
                        td { (f.title) }
                        td.num { (total) }
                        td.num { (committed) }
                        td.num { (spent) }
                        td.num { (plan) }
                        td.num { @if let Some(p) = f.projected { (lang.amount(f.hours, p)) } @else { "–" } }
                    }
                }
            }
        }
    }
}

/// The reporting rounds: the stacked bars, and the counts as a table (SPEC 9.5).
fn rounds_section(
    rows: &[crate::report::rounds::RoundRow],
    labels: &crate::model::StatusLabels,
    lang: Lang,
) -> Result<Markup> {
    let l = lang.labels();
    let words: [String; 8] = crate::report::rounds::STATUSES
        .map(|s| crate::render::status::status_word(labels, s, lang));
    let svg = charts::rounds(rows, &words, lang)?;
    Ok(html! {
        figure.chart.rounds-chart {
            div role="img" aria-label=(format!("{}: {}", l.chart, l.rounds)) { (PreEscaped(svg)) }
        }
        table.rounds {
            thead { tr {
                th { (l.round) } th { (l.date) }
                @for w in &words { th.num { (w) } }
                th.num { (l.total) }
            } }
            tbody {
                @for r in rows {
                    tr {
                        td { (r.title) @if r.reported { " " span.flag { "(" (l.reported) ")" } } }
                        td.date { (lang.date(r.date)) }
                        @for n in r.counts { td.num { (n) } }
                        td.num { (r.total()) }
                    }
                }
            }
        }
    })
}

/// The savings targets and the funding of the budgets (SPEC 9.6); nothing when the plan has neither.
fn savings_and_funding(rows: &[BudgetFigures], lang: Lang) -> Markup {
    let l = lang.labels();
    let savings: Vec<&BudgetFigures> = rows.iter().filter(|f| f.savings).collect();
    let funded: Vec<&BudgetFigures> = rows.iter().filter(|f| !f.funding.is_empty()).collect();
    html! {
        @if !savings.is_empty() {
            h3 { (l.savings) }
            table.savings {
                thead { tr {
                    th { (l.budget) } th.num { (l.savings_target) } th.num { (l.plan_by_now) }
                    th.num { (l.realised) } th.num { (l.gap) }
                } }
                tbody {
                    @for f in &savings {
                        tr {
                            td { (f.title) }
                            @for cell in crate::render::budget::savings_cells(f, lang) {
                                td.num { (cell) }
                            }
                        }
                    }
                }
            }
        }
        @if !funded.is_empty() {
            h3 { (l.funding) }
            ul.funding {
                @for f in &funded {
                    li {
                        strong { (f.title) } ": "
                        @for (i, source) in f.funding.iter().enumerate() {
                            @if i > 0 { " · " }
                            (source.source) " " (lang.money(i128::from(source.amount_ore)))
                            @if !source.secured { " " span.flag.s-warn { "(" (l.not_secured) ")" } }
                        }
                    }
                }
            }
        }
    }
}

fn indicator_table(ind: &IndicatorChart, min_group_size: u64, lang: Lang) -> Markup {
    let l = lang.labels();
    let line = &ind.line;
    let precision = usize::try_from(line.precision).unwrap_or(2);
    // A measured value is no survey result: no interval, n or test, and thousands separators
    // (SPEC 12.6).
    let measured = line.measured;
    let number = |d: rust_decimal::Decimal| {
        if measured {
            lang.figure(&d.to_string())
        } else {
            lang.decimal_str(&d.to_string())
        }
    };
    // The response rate, where the plan says how many were invited (SPEC 12.5).
    let rates = line.waves.iter().any(|w| w.response_rate.is_some());
    html! {
        table.waves {
            thead { tr {
                @if measured {
                    th { (l.wave) } th { (l.known) } th.num { (l.target) } th.num { (l.value) }
                    th { (l.status) }
                } @else {
                    th { (l.wave) } th { (l.survey) } th.num { (l.target) } th.num { (l.actual) }
                    th.num { "n" } th { (l.status) } th { (l.change) }
                }
                @if rates { th.num { (l.response_rate) } }
            } }
            tbody {
                @for w in &line.waves {
                    tr {
                        td { (w.wave) }
                        td.date { @if let Some(d) = w.date { (lang.date(d)) } }
                        td.num {
                            @if w.role == "baseline" {
                                @if let Some(b) = line.baseline_rounded { (number(b)) }
                            } @else if let Some(t) = w.target { (number(t)) }
                            // A range's ambition (SPEC 12.3) under its commitment.
                            @if let Some(a) = w.ambition { br; span.flag.ambition { (number(a)) } }
                        }
                        td.num {
                            @if let Some(f) = &w.actual {
                                (f.rounded.map(number).unwrap_or_else(|| lang.float(f.mean, precision)))
                                @if let (Some(lo), Some(hi)) = (f.ci_low, f.ci_high) {
                                    br; span.flag { (lang.float(lo, precision)) "–" (lang.float(hi, precision)) }
                                }
                            }
                        }
                        @if !measured {
                            td.num { @if let Some(n) = w.actual.as_ref().and_then(|f| f.n) { (lang.integer(i128::from(n))) } }
                        }
                        td {
                            span class=(target_class(w.status)) { (lang.target_status(w.status)) }
                            @if w.suppressed { " " span.flag { "(" (lang.suppressed(min_group_size)) ")" } }
                            @if let Some(met) = w.ambition_met {
                                " " span.flag.ambition-met data-met=(met) {
                                    (match (lang, met) {
                                        (Lang::Da, true) => "(ambitionen nået)",
                                        (Lang::Da, false) => "(ambitionen ikke nået)",
                                        (Lang::En, true) => "(ambition met)",
                                        (Lang::En, false) => "(ambition not met)",
                                    })
                                }
                            }
                        }
                        @if !measured {
                            td {
                                @if let Some(x) = w.welch {
                                    (lang.change(&crate::report::scores::p_value_text(x.p_value), x.significant))
                                }
                            }
                        }
                        @if rates { td.num { @if let Some(r) = w.response_rate { (lang.pct(r)) } } }
                    }
                }
            }
        }
    }
}

fn target_class(s: crate::report::scores::TargetStatus) -> &'static str {
    use crate::report::scores::TargetStatus as T;
    match s {
        T::Met => "status s-good",
        T::Missed => "status s-bad",
        T::NoData => "status s-warn",
        T::Pending | T::Baseline => "status s-none",
    }
}

fn warnings_table(warnings: &[Located], lang: Lang) -> Markup {
    let l = lang.labels();
    html! {
        @if warnings.is_empty() { p { (l.no_warnings) } } @else {
            table {
                thead { tr { th { (l.code) } th { (l.location) } th { (l.message) } } }
                tbody {
                    @for w in warnings {
                        tr {
                            td { code { (w.code) } }
                            td {
                                @if let Some(file) = &w.file {
                                    code { (file) @if let Some(line) = w.line { ":" (line) } }
                                }
                            }
                            td { (w.message) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::When;

    fn period(text: &str) -> When {
        When {
            // Only the text matters here; the day is each period's last.
            date: "2026-12-31".parse().expect("date"),
            period: Some(text.to_string()),
        }
    }

    #[test]
    fn due_periods_are_written_in_words_of_the_language() {
        for (written, en, da) in [
            ("2025-10", "Oct 2025", "okt. 2025"),
            ("2026-05", "May 2026", "maj 2026"),
            ("2026-Q1", "Q1 2026", "1. kvt. 2026"),
            ("2025-H2", "H2 2025", "2. halvår 2025"),
            ("2026", "2026", "2026"),
        ] {
            assert_eq!(due_text(Lang::En, &period(written)), en);
            assert_eq!(due_text(Lang::Da, &period(written)), da);
        }
        let day = When::exact("2022-05-31".parse().expect("date"));
        assert_eq!(due_text(Lang::En, &day), "31 May 2022");
        assert_eq!(due_text(Lang::Da, &day), "31-05-2022");
    }
}
