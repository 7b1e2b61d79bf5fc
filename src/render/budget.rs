//! Budget burn as text: whole kroner and whole hours in the language's form, and a bar per
//! budget that sets spent and committed against the straight-line plan.

use std::io::Write;

use comfy_table::Table as TextTable;

use crate::render::lang::Lang;
use crate::render::{new_text_table, paint, write_text_table};
use crate::report::budget::{BreakdownRow, BudgetFigures};

/// Cells in a burn bar; each is 5 %.
const CELLS: usize = 20;

fn cells(tenths_pct: Option<i128>) -> usize {
    // 5 % a cell: tenths / 50, rounded half up, within the bar.
    let t = tenths_pct.unwrap_or(0).clamp(0, 1000);
    usize::try_from((t + 25) / 50).unwrap_or(0)
}

/// `█` spent, `▒` committed but not spent, `░` the rest, `│` where the plan line stands by
/// the date; a trailing `▶` when spent or committed is above the total.
pub fn burn_bar(f: &BudgetFigures) -> String {
    let spent = cells(f.spent_pct);
    let committed = cells(f.committed_pct).max(spent);
    let marker = cells(f.plan_pct);
    let mut bar = String::new();
    for i in 0..=CELLS {
        if i == marker {
            bar.push('│');
        }
        if i < CELLS {
            bar.push(if i < spent {
                '█'
            } else if i < committed {
                '▒'
            } else {
                '░'
            });
        }
    }
    let over = |p: Option<i128>| p.is_some_and(|p| p > 1000);
    if over(f.spent_pct) || over(f.committed_pct) {
        bar.push('▶');
    }
    bar
}

/// The colour of a burn bar on a terminal: red above the total, yellow when spending runs
/// more than ten points ahead of the plan line, else the default colour (the bar's shape says
/// the rest). Every code has two digits, so that comfy-table, which counts the escape bytes as
/// width, sees equally wide cells.
fn bar_colour(f: &BudgetFigures) -> &'static str {
    let spent = f.spent_pct.unwrap_or(0);
    if spent > 1000 || f.committed_pct.unwrap_or(0) > 1000 {
        "31"
    } else if spent > f.plan_pct.unwrap_or(0) + 100 {
        "33"
    } else {
        "39"
    }
}

/// The burn column: the bar, or "not reported" for a money budget no ledger row names yet
/// (SPEC 12.6), rather than an empty bar that would read as nothing spent.
pub fn burn_cell(f: &BudgetFigures, lang: Lang, color: bool) -> String {
    if f.reported {
        painted_burn_bar(f, color)
    } else {
        lang.labels().not_reported.to_string()
    }
}

/// [`burn_bar`], coloured when `color` is on (a terminal); plain UTF-8 text otherwise.
pub fn painted_burn_bar(f: &BudgetFigures, color: bool) -> String {
    paint(&burn_bar(f), bar_colour(f), color)
}

fn with_pct(text: String, lang: Lang, pct: Option<i128>) -> String {
    match pct {
        Some(p) => format!("{text} · {}", lang.pct_tenths(p)),
        None => text,
    }
}

/// An amount of the budget; hours of a budget with a `rate` with their value beside them
/// (`337 hours (128,212 DKK)`, SPEC 9.6).
pub fn amount(f: &BudgetFigures, lang: Lang, v: i128, value: Option<i128>) -> String {
    match value {
        Some(value) if f.hours => format!("{} ({})", lang.amount(true, v), lang.money(value)),
        _ => lang.amount(f.hours, v),
    }
}

/// Total, committed, spent and plan by now, as shown in tables, on the card and on the page.
pub fn summary_cells(f: &BudgetFigures, lang: Lang) -> [String; 4] {
    [
        amount(f, lang, f.total, f.total_value),
        f.committed.map_or_else(
            || "–".to_string(),
            |c| with_pct(lang.amount(f.hours, c), lang, f.committed_pct),
        ),
        if f.reported {
            with_pct(amount(f, lang, f.spent, f.spent_value), lang, f.spent_pct)
        } else {
            lang.labels().not_reported.to_string()
        },
        with_pct(
            amount(f, lang, f.to_date, f.to_date_value),
            lang,
            f.plan_pct,
        ),
    ]
}

/// The savings targets (SPEC 9.6) as a text table: target, plan by now, realised, gap.
pub fn savings_table(rows: &[BudgetFigures], lang: Lang) -> Option<TextTable> {
    let l = lang.labels();
    let savings: Vec<&BudgetFigures> = rows.iter().filter(|f| f.savings).collect();
    if savings.is_empty() {
        return None;
    }
    let mut table = new_text_table();
    table.set_header([l.budget, l.savings_target, l.plan_by_now, l.realised, l.gap]);
    for f in savings {
        let [target, by_now, realised, gap] = savings_cells(f, lang);
        table.add_row([
            crate::render::visible(&f.title).into_owned(),
            target,
            by_now,
            realised,
            gap,
        ]);
    }
    Some(table)
}

/// The figures of one savings target after its title, for the text table and the HTML page:
/// target, plan by now, realised (each with its percentage), gap.
pub fn savings_cells(f: &BudgetFigures, lang: Lang) -> [String; 4] {
    [
        lang.money(f.total),
        with_pct(lang.money(f.to_date), lang, f.plan_pct),
        with_pct(lang.money(f.spent), lang, f.spent_pct),
        f.gap.map_or_else(String::new, |g| lang.money(g)),
    ]
}

/// One line per budget with `funding`: "Funding of Klimapulje: Ekstern pulje 5,200,000 DKK ·
/// Egenfinansiering 2,800,000 DKK (not yet secured)".
pub fn funding_lines(rows: &[BudgetFigures], lang: Lang) -> Vec<String> {
    let l = lang.labels();
    rows.iter()
        .filter(|f| !f.funding.is_empty())
        .map(|f| {
            let sources: Vec<String> = f
                .funding
                .iter()
                .map(|s| {
                    let mut text = format!("{} {}", s.source, lang.money(i128::from(s.amount_ore)));
                    if !s.secured {
                        text.push_str(&format!(" ({})", l.not_secured));
                    }
                    text
                })
                .collect();
            let line = format!("{} · {}: {}", l.funding, f.title, sources.join(" · "));
            crate::render::visible(&line).into_owned()
        })
        .collect()
}

/// The savings table and the funding lines under a budget table, when the plan has them.
pub fn write_extras(
    out: &mut dyn Write,
    rows: &[BudgetFigures],
    color: bool,
    lang: Lang,
) -> std::io::Result<()> {
    if let Some(table) = savings_table(rows, lang) {
        writeln!(out)?;
        writeln!(out, "{}", paint(lang.labels().savings, "1", color))?;
        write_text_table(out, &table)?;
    }
    let funding = funding_lines(rows, lang);
    if !funding.is_empty() {
        writeln!(out)?;
        for line in funding {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// The budgets as a text table; `projected` adds the projection column. The burn bar is
/// coloured only when `color` is on: piped, it stays plain UTF-8 text.
pub fn figures_table(
    rows: &[BudgetFigures],
    projected: bool,
    color: bool,
    lang: Lang,
) -> TextTable {
    let l = lang.labels();
    let mut table = new_text_table();
    let mut header = vec![l.budget, l.total, l.committed, l.spent, l.plan_by_now];
    if projected {
        header.push(l.projected);
    }
    header.push(l.burn);
    table.set_header(header);
    // Savings targets have their own table (`savings_table`).
    for f in rows.iter().filter(|f| !f.savings) {
        let mut row = vec![crate::render::visible(&f.title).into_owned()];
        row.extend(summary_cells(f, lang));
        if projected {
            row.push(
                f.projected
                    .map_or_else(|| "–".into(), |p| lang.amount(f.hours, p)),
            );
        }
        row.push(burn_cell(f, lang, color));
        table.add_row(row);
    }
    table
}

/// `plan budget` as text.
pub fn write_text(
    out: &mut dyn Write,
    rows: &[BudgetFigures],
    color: bool,
    lang: Lang,
) -> std::io::Result<()> {
    let l = lang.labels();
    if rows.is_empty() {
        return writeln!(out, "{}", l.no_budgets);
    }
    if rows.iter().any(|f| !f.savings) {
        writeln!(out, "{}", paint(l.budgets, "1", color))?;
        write_text_table(out, &figures_table(rows, true, color, lang))?;
        writeln!(out, "{}", l.legend)?;
        writeln!(out, "{}", l.budget_note)?;
    }
    write_extras(out, rows, color, lang)
}

/// `plan budget --by …` as text.
pub fn write_breakdown_text(
    out: &mut dyn Write,
    rows: &[BreakdownRow],
    lang: Lang,
) -> std::io::Result<()> {
    let l = lang.labels();
    if rows.is_empty() {
        return writeln!(out, "{}", l.no_breakdown);
    }
    let mut table = new_text_table();
    let allocated = rows.iter().any(|r| r.allocated.is_some());
    let mut header = vec![l.budget, l.period, l.committed, l.spent, l.cumulative_spent];
    if allocated {
        header.push(l.allocated);
    }
    table.set_header(header);
    for r in rows {
        let mut row = vec![
            r.budget.clone(),
            // A unit's name comes from the ledger: shown, not sent to the terminal.
            crate::render::visible(&r.period).into_owned(),
            r.committed
                .map_or_else(|| "–".into(), |c| lang.amount(r.hours, c)),
            lang.amount(r.hours, r.spent),
            r.cumulative_spent
                .map_or_else(String::new, |c| lang.amount(r.hours, c)),
        ];
        if allocated {
            row.push(
                r.allocated
                    .map_or_else(String::new, |a| lang.amount(r.hours, a)),
            );
        }
        table.add_row(row);
    }
    write_text_table(out, &table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(spent: i128, committed: Option<i128>, plan: i128) -> BudgetFigures {
        BudgetFigures {
            reported: true,
            spent_shown: Some(0),
            remaining_shown: Some(0),
            id: "b".into(),
            title: "B".into(),
            initiative: None,
            hours: committed.is_none(),
            total: 1000,
            to_date: 0,
            committed: None,
            spent: 0,
            available: None,
            remaining: 0,
            committed_pct: committed,
            spent_pct: Some(spent),
            elapsed_pct: plan,
            plan_pct: Some(plan),
            projected: None,
            savings: false,
            gap: None,
            total_value: None,
            spent_value: None,
            to_date_value: None,
            funding: Vec::new(),
        }
    }

    #[test]
    fn bars() {
        assert_eq!(
            burn_bar(&figures(310, Some(620), 500)),
            "██████▒▒▒▒│▒▒░░░░░░░░"
        );
        assert_eq!(burn_bar(&figures(0, None, 0)), "│░░░░░░░░░░░░░░░░░░░░");
        assert_eq!(
            burn_bar(&figures(1200, Some(1200), 1000)),
            "████████████████████│▶"
        );
    }

    #[test]
    fn bars_are_plain_text_off_a_terminal() {
        let over = figures(1200, Some(1200), 1000);
        assert_eq!(painted_burn_bar(&over, false), burn_bar(&over));
        assert!(painted_burn_bar(&over, true).starts_with("\u{1b}[31m"));
        let fine = figures(310, Some(620), 500);
        assert!(painted_burn_bar(&fine, true).starts_with("\u{1b}[39m"));
    }
}
