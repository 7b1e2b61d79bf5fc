//! The portfolio overview (SPEC 13) as text and Markdown; CSV and JSON go through the
//! overview's table ([`crate::report::portfolio::overview_table`]) and the JSON wrapper.

use std::io::Write;

use crate::render::lang::Lang;
use crate::render::{md_cell, new_text_table, paint, visible, write_text_table};
use crate::report::portfolio::{Overview, PlanFigures, PlanRow};
use crate::report::status::Status;

/// The cells of one row, in words; the plan's name indented under its parent.
pub(crate) fn cells(row: &PlanRow, lang: Lang, color: bool) -> Vec<String> {
    let indent = "  ".repeat(row.depth);
    let name = format!("{indent}{}", row.plan);
    let gone = match (row.ended, row.elapsed_pct) {
        (true, _) => "ended".to_string(),
        (false, Some(pct)) => lang.pct(pct),
        (false, None) => String::new(),
    };
    let check = check_cell(row.errors, row.warnings, color);
    let last = row.last_change.as_ref().map_or_else(String::new, |c| {
        format!("{} {}", lang.date(c.date), c.author)
    });
    let Some(f) = &row.figures else {
        let mut cells = vec![name, gone, "–".to_string()];
        cells.extend(std::iter::repeat_n(String::new(), 5));
        cells.push(check);
        cells.push(visible(&last).into_owned());
        return cells;
    };
    vec![
        name,
        gone,
        mix(f, lang, color),
        f.stale.to_string(),
        f.overdue.to_string(),
        next(f, lang),
        money(f, lang),
        targets(f),
        criteria(f),
        check,
        visible(&last).into_owned(),
    ]
}

fn check_cell(errors: usize, warnings: usize, color: bool) -> String {
    match (errors, warnings) {
        (0, 0) => "ok".to_string(),
        (0, w) => format!("{w} warning{}", if w == 1 { "" } else { "s" }),
        (e, w) => paint(
            &format!(
                "{e} error{}, {w} warning{}",
                if e == 1 { "" } else { "s" },
                if w == 1 { "" } else { "s" }
            ),
            "31",
            color,
        ),
    }
}

/// "8: 4 on-track · 1 at-risk · 1 delayed · 2 active".
fn mix(f: &PlanFigures, lang: Lang, color: bool) -> String {
    let parts: Vec<String> = f
        .initiatives
        .counts()
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| {
            paint(
                &format!("{n} {}", lang.status(*s)),
                crate::render::status::status_color(*s),
                color && *s != Status::Planned,
            )
        })
        .collect();
    if parts.is_empty() {
        return "0".to_string();
    }
    format!("{}: {}", f.initiatives.total(), parts.join(" · "))
}

fn next(f: &PlanFigures, lang: Lang) -> String {
    f.next_milestone.as_ref().map_or_else(String::new, |n| {
        format!(
            "{} ({}) {}",
            visible(&n.title),
            visible(&n.initiative),
            lang.date(n.due)
        )
    })
}

fn money(f: &PlanFigures, lang: Lang) -> String {
    if f.money_total == 0 {
        return "–".to_string();
    }
    let pct = |v: i128| lang.pct(100.0 * v as f64 / f.money_total as f64);
    format!(
        "{} · committed {} · spent {} · plan {}",
        lang.money(f.money_total),
        pct(f.committed),
        pct(f.spent),
        pct(f.plan_by_now)
    )
}

fn targets(f: &PlanFigures) -> String {
    format!(
        "{} / {} / {} / {}",
        f.targets_met, f.targets_missed, f.targets_pending, f.targets_no_data
    )
}

fn criteria(f: &PlanFigures) -> String {
    format!(
        "{} / {} / {}",
        f.criteria_met, f.criteria_open, f.criteria_missed
    )
}

/// The headings of the overview's columns.
pub(crate) const HEADER: [&str; 11] = [
    "Plan",
    "Gone",
    "Initiatives",
    "Stale",
    "Overdue",
    "Next milestone",
    "Money",
    "Targets met/missed/pending/no data",
    "Criteria met/open/missed",
    "Check",
    "Last change",
];

fn heading(o: &Overview, lang: Lang) -> (String, String) {
    let plans = o.plans.len();
    let broken = match o.plans_with_errors {
        0 => String::new(),
        n => format!(" · {n} with errors (left out of the totals)"),
    };
    (
        format!("{} — {}", visible(&o.title), visible(&o.organisation)),
        format!(
            "As of {} · {plans} plan{}{broken}",
            lang.date(o.as_of),
            if plans == 1 { "" } else { "s" }
        ),
    )
}

/// The totals row's cells.
pub(crate) fn totals_cells(o: &Overview, lang: Lang) -> Vec<String> {
    let f = &o.totals;
    vec![
        "Total".to_string(),
        String::new(),
        mix(f, lang, false),
        f.stale.to_string(),
        f.overdue.to_string(),
        next(f, lang),
        money(f, lang),
        targets(f),
        criteria(f),
        check_cell(o.errors, o.warnings, false),
        String::new(),
    ]
}

/// The overview for a terminal: a heading, a row per plan (sub-plans indented), totals.
pub fn write_text(
    out: &mut dyn Write,
    o: &Overview,
    color: bool,
    lang: Lang,
) -> std::io::Result<()> {
    let (title, line) = heading(o, lang);
    writeln!(out, "{title}")?;
    writeln!(out, "{line}")?;
    writeln!(out)?;
    let mut table = new_text_table();
    table.set_header(HEADER);
    for row in &o.plans {
        let mut row_cells = cells(row, lang, color);
        row_cells[0] = visible(&row_cells[0]).into_owned();
        table.add_row(row_cells);
    }
    table.add_row(totals_cells(o, lang));
    write_text_table(out, &table)
}

/// The overview for the minutes: a heading and a GitHub-flavoured table, totals last.
pub fn write_markdown(out: &mut dyn Write, o: &Overview, lang: Lang) -> std::io::Result<()> {
    let (title, line) = heading(o, lang);
    writeln!(out, "# {}", md_cell(&title))?;
    writeln!(out)?;
    writeln!(out, "{}", md_cell(&line))?;
    writeln!(out)?;
    writeln!(out, "| {} |", HEADER.join(" | "))?;
    writeln!(out, "|{}|", vec!["---"; HEADER.len()].join("|"))?;
    for row in &o.plans {
        let mut row_cells = cells(row, lang, false);
        // Markdown collapses leading spaces: indent sub-plans with a visible mark.
        row_cells[0] = format!("{}{}", "↳ ".repeat(row.depth), row.plan);
        let row_cells: Vec<String> = row_cells.iter().map(|c| md_cell(c)).collect();
        writeln!(out, "| {} |", row_cells.join(" | "))?;
    }
    let mut totals: Vec<String> = totals_cells(o, lang).iter().map(|c| md_cell(c)).collect();
    totals[0] = "**Total**".to_string();
    writeln!(out, "| {} |", totals.join(" | "))?;
    Ok(())
}

/// The id of a plan's section on the portfolio's page.
pub fn section_id(plan: &str) -> String {
    format!("plan-{plan}")
}

/// The portfolio's page (SPEC 13): the overview first, each plan's name linking to its
/// section, then a section per plan as `plan report` draws it (a plan with errors: its
/// counts and what to run).
pub fn page(
    o: &Overview,
    plans: &[(String, Option<crate::report::page::PageReport>)],
    lang: Lang,
) -> anyhow::Result<String> {
    use maud::{DOCTYPE, html};
    let l = lang.labels();
    let (title, line) = heading(o, lang);
    let mut sections = Vec::new();
    for (id, page) in plans {
        let section = match page {
            Some(page) => Some(crate::render::html::plan_sections(
                page,
                lang,
                &format!("{}-", section_id(id)),
            )?),
            None => None,
        };
        sections.push((id, section));
    }
    let rows: Vec<(String, usize, Vec<String>)> = o
        .plans
        .iter()
        .map(|r| (r.plan.clone(), r.depth, cells(r, lang, false)))
        .collect();
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            (crate::render::html::head(&title))
            body {
                header #portfolio {
                    h1 { (o.title) }
                    p.meta { (o.organisation) }
                    p.meta { (line) }
                }
                section #overview {
                    table {
                        thead { tr { @for h in HEADER { th { (h) } } } }
                        tbody {
                            @for (id, depth, row) in &rows {
                                tr {
                                    td { ("\u{a0}\u{a0}".repeat(*depth)) a href=(format!("#{}", section_id(id))) { (id) } }
                                    @for cell in row.iter().skip(1) { td { (cell) } }
                                }
                            }
                            tr.total {
                                @for cell in totals_cells(o, lang) { td { strong { (cell) } } }
                            }
                        }
                    }
                }
                @for (id, section) in &sections {
                    section.plan id=(section_id(id)) {
                        @if let Some(section) = section {
                            (section)
                        } @else {
                            h1 { (id) }
                            p { "This plan has errors, so nothing is computed from it: run `plan check` and fix them." }
                        }
                    }
                }
                footer {
                    (l.made_by) " · " (l.as_of) " " (lang.date(o.as_of))
                }
            }
        }
    };
    Ok(markup.into_string())
}
