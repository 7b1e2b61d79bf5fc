//! One initiative's card (`plan initiatives ID`) as text and Markdown.

use std::io::Write;

use crate::model::Date;
use crate::render::status::status_cell;
use crate::render::{new_text_table, paint, write_text_table};
use crate::report::initiatives::{BudgetLine, Card};

/// Money in whole kroner with Danish thousands separators: `500.000 kr.`
pub fn kroner(ore: impl Into<i128>) -> String {
    let kroner = (ore.into() + 50).div_euclid(100);
    let digits = kroner.abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let sign = if kroner < 0 { "-" } else { "" };
    format!("{sign}{grouped} kr.")
}

fn budget_text(b: &BudgetLine) -> String {
    let head = match (b.amount_ore, &b.fte) {
        (Some(ore), _) => format!("{} ({}): {}", b.title, b.id, kroner(ore)),
        (None, Some(fte)) => format!(
            "{} ({}): {fte} FTE = {}",
            b.title,
            b.id,
            crate::render::budget::timer(b.burn.total)
        ),
        _ => format!("{} ({})", b.title, b.id),
    };
    let [_, committed, spent, plan] = crate::render::budget::summary_cells(&b.burn);
    let committed = if b.burn.committed.is_some() {
        format!("committed {committed} · ")
    } else {
        String::new()
    };
    format!("{head}\n   {committed}spent {spent} · plan by now {plan}")
}

fn dates(start: Date, end: Option<Date>) -> String {
    match end {
        Some(end) => format!("{start} → {end}"),
        None => format!("from {start}"),
    }
}

/// The card as text.
pub fn write_text(out: &mut dyn Write, c: &Card, color: bool) -> std::io::Result<()> {
    let l = &c.line;
    let number = l.number.map(|n| format!("{n}. ")).unwrap_or_default();
    writeln!(
        out,
        "{}",
        paint(&format!("{number}{} ({})", l.title, l.id), "1", color)
    )?;
    writeln!(out, "Status: {}", status_cell(l, color))?;
    writeln!(out, "Period: {}", dates(l.start, l.end))?;
    if let Some(focus) = &l.focus_area {
        let title = c.focus_area_title.as_deref().unwrap_or("");
        writeln!(out, "Focus area: {focus} {title}")?;
    }
    for (id, title) in &c.goals {
        writeln!(out, "Goal: {id} {title}")?;
    }
    if let Some(owner) = &l.owner {
        writeln!(out, "Owner: {owner}")?;
    }
    writeln!(out, "\n{}", c.summary.trim())?;
    for (heading, text) in &c.headings {
        writeln!(out, "\n{}\n{}", paint(heading, "1", color), text.trim())?;
    }
    if !c.milestones.is_empty() {
        writeln!(out, "\nMilestones")?;
        let mut table = new_text_table();
        table.set_header(["Id", "Milestone", "Due", "Done", "State"]);
        for m in &c.milestones {
            table.add_row([
                m.id.clone(),
                m.title.clone(),
                m.due.to_string(),
                m.done.map(|d| d.to_string()).unwrap_or_default(),
                m.state.word().to_string(),
            ]);
        }
        write_text_table(out, &table)?;
    }
    if !c.updates.is_empty() {
        writeln!(out, "\nUpdates")?;
        for u in &c.updates {
            writeln!(
                out,
                " {}  {}  {}",
                u.date,
                u.status.word(),
                u.note.as_deref().unwrap_or("").trim()
            )?;
        }
    }
    if !c.budgets.is_empty() {
        writeln!(out, "\nBudgets")?;
        for b in &c.budgets {
            writeln!(out, " {}", budget_text(b))?;
            writeln!(out, "   {}", crate::render::budget::burn_bar(&b.burn))?;
        }
    }
    Ok(())
}

/// The card as Markdown.
pub fn write_markdown(out: &mut dyn Write, c: &Card) -> std::io::Result<()> {
    let l = &c.line;
    let number = l.number.map(|n| format!("{n}. ")).unwrap_or_default();
    writeln!(out, "# {number}{} ({})\n", l.title, l.id)?;
    writeln!(out, "- Status: {}", status_cell(l, false))?;
    writeln!(out, "- Period: {}", dates(l.start, l.end))?;
    if let Some(focus) = &l.focus_area {
        writeln!(
            out,
            "- Focus area: {focus} {}",
            c.focus_area_title.as_deref().unwrap_or("")
        )?;
    }
    if let Some(owner) = &l.owner {
        writeln!(out, "- Owner: {owner}")?;
    }
    writeln!(out, "\n{}", c.summary.trim())?;
    for (heading, text) in &c.headings {
        writeln!(out, "\n## {heading}\n\n{}", text.trim())?;
    }
    if !c.milestones.is_empty() {
        writeln!(
            out,
            "\n## Milestones\n\n| Id | Milestone | Due | Done | State |\n|---|---|---|---|---|"
        )?;
        for m in &c.milestones {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                m.id,
                m.title.replace('|', "\\|"),
                m.due,
                m.done.map(|d| d.to_string()).unwrap_or_default(),
                m.state.word()
            )?;
        }
    }
    if !c.budgets.is_empty() {
        writeln!(out, "\n## Budgets\n")?;
        for b in &c.budgets {
            writeln!(out, "- {}", budget_text(b).replace("\n   ", " — "))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::kroner;

    #[test]
    fn kroner_are_grouped_the_danish_way() {
        assert_eq!(kroner(50_000_000), "500.000 kr.");
        assert_eq!(kroner(2_000_050), "20.001 kr.");
        assert_eq!(kroner(99), "1 kr.");
        assert_eq!(kroner(0), "0 kr.");
        assert_eq!(kroner(12_345_678_900_i64), "123.456.789 kr.");
    }
}
