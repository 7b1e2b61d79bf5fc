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

/// [`burn_bar`], coloured when `color` is on (a terminal); plain UTF-8 text otherwise.
pub fn painted_burn_bar(f: &BudgetFigures, color: bool) -> String {
    paint(&burn_bar(f), bar_colour(f), color)
}

fn with_pct(lang: Lang, hours: bool, v: i128, pct: Option<i128>) -> String {
    match pct {
        Some(p) => format!("{} · {}", lang.amount(hours, v), lang.pct_tenths(p)),
        None => lang.amount(hours, v),
    }
}

/// Total, committed, spent and plan by now, as shown in tables, on the card and on the page.
pub fn summary_cells(f: &BudgetFigures, lang: Lang) -> [String; 4] {
    [
        lang.amount(f.hours, f.total),
        f.committed.map_or_else(
            || "–".to_string(),
            |c| with_pct(lang, f.hours, c, f.committed_pct),
        ),
        with_pct(lang, f.hours, f.spent, f.spent_pct),
        with_pct(lang, f.hours, f.to_date, f.plan_pct),
    ]
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
    for f in rows {
        let mut row = vec![f.title.clone()];
        row.extend(summary_cells(f, lang));
        if projected {
            row.push(
                f.projected
                    .map_or_else(|| "–".into(), |p| lang.amount(f.hours, p)),
            );
        }
        row.push(painted_burn_bar(f, color));
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
    writeln!(out, "{}", paint(l.budgets, "1", color))?;
    write_text_table(out, &figures_table(rows, true, color, lang))?;
    writeln!(out, "{}", l.legend)?;
    writeln!(out, "{}", l.budget_note)
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
    table.set_header([l.budget, l.period, l.committed, l.spent, l.cumulative_spent]);
    for r in rows {
        table.add_row([
            r.budget.clone(),
            r.period.clone(),
            r.committed
                .map_or_else(|| "–".into(), |c| lang.amount(r.hours, c)),
            lang.amount(r.hours, r.spent),
            r.cumulative_spent
                .map_or_else(String::new, |c| lang.amount(r.hours, c)),
        ]);
    }
    write_text_table(out, &table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(spent: i128, committed: Option<i128>, plan: i128) -> BudgetFigures {
        BudgetFigures {
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
