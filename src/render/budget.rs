//! Budget burn as text: whole kroner and whole hours with Danish thousands separators, and a
//! bar per budget that sets spent and committed against the straight-line plan.

use std::io::Write;

use comfy_table::Table as TextTable;

use crate::render::card::kroner;
use crate::render::{new_text_table, paint, write_text_table};
use crate::report::budget::{BreakdownRow, BudgetFigures, tenths};

/// Cells in a burn bar; each is 5 %.
const CELLS: usize = 20;

/// Hours in whole hours with Danish thousands separators: `1.324 t`.
pub fn timer(hundredths: i128) -> String {
    let kr = kroner(hundredths);
    format!("{} t", kr.trim_end_matches(" kr."))
}

/// A money amount in kroner or an hours amount in hours.
pub fn amount(hours: bool, hundredths: i128) -> String {
    if hours {
        timer(hundredths)
    } else {
        kroner(hundredths)
    }
}

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

fn with_pct(hours: bool, v: i128, pct: Option<i128>) -> String {
    match pct {
        Some(p) => format!("{} · {} %", amount(hours, v), tenths(p)),
        None => amount(hours, v),
    }
}

/// Total, committed, spent and plan by now, as shown in tables and on the card.
pub fn summary_cells(f: &BudgetFigures) -> [String; 4] {
    [
        amount(f.hours, f.total),
        f.committed.map_or_else(
            || "–".to_string(),
            |c| with_pct(f.hours, c, f.committed_pct),
        ),
        with_pct(f.hours, f.spent, f.spent_pct),
        with_pct(f.hours, f.to_date, f.plan_pct),
    ]
}

/// The budgets as a text table; `projected` adds the projection column.
pub fn figures_table(rows: &[BudgetFigures], projected: bool) -> TextTable {
    let mut table = new_text_table();
    let mut header = vec!["Budget", "Total", "Committed", "Spent", "Plan by now"];
    if projected {
        header.push("Projected");
    }
    header.push("Burn");
    table.set_header(header);
    for f in rows {
        let mut row = vec![f.title.clone()];
        row.extend(summary_cells(f));
        if projected {
            row.push(
                f.projected
                    .map_or_else(|| "–".into(), |p| amount(f.hours, p)),
            );
        }
        row.push(burn_bar(f));
        table.add_row(row);
    }
    table
}

/// The legend under a table of burn bars.
pub const LEGEND: &str = "█ spent  ▒ committed  ░ not committed  │ plan by now  ▶ above the total";

/// `plan budget` as text.
pub fn write_text(out: &mut dyn Write, rows: &[BudgetFigures], color: bool) -> std::io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No budgets.");
    }
    writeln!(out, "{}", paint("Budgets", "1", color))?;
    write_text_table(out, &figures_table(rows, true))?;
    writeln!(out, "{LEGEND}")?;
    writeln!(
        out,
        "Plan by now: money prorated by days of the period; hours the capacity to date. \
         Projected: spent at the pace so far, to the period's end."
    )
}

/// `plan budget --by …` as text.
pub fn write_breakdown_text(out: &mut dyn Write, rows: &[BreakdownRow]) -> std::io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No budget figures to show.");
    }
    let mut table = new_text_table();
    table.set_header(["Budget", "Period", "Committed", "Spent", "Cumulative spent"]);
    for r in rows {
        table.add_row([
            r.budget.clone(),
            r.period.clone(),
            r.committed
                .map_or_else(|| "–".into(), |c| amount(r.hours, c)),
            amount(r.hours, r.spent),
            r.cumulative_spent
                .map_or_else(String::new, |c| amount(r.hours, c)),
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
    fn hours_are_whole_and_grouped() {
        assert_eq!(timer(132_440), "1.324 t");
        assert_eq!(timer(50), "1 t");
        assert_eq!(amount(false, 50_000_000), "500.000 kr.");
    }
}
