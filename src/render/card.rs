//! One initiative's card (`plan initiatives ID`) as text and Markdown, and the list of
//! initiatives (`plan initiatives`) as text, in the language of `--lang`.

use std::io::Write;

use crate::model::When;
use crate::render::lang::Lang;
use crate::render::status::status_cell;
use crate::render::{new_text_table, paint, visible, write_text_table};
use crate::report::initiatives::{BudgetLine, Card};
use crate::report::{Cell, Table};

/// The list of `plan initiatives` as a text table: the columns of
/// [`crate::report::initiatives::list_table`] under headings in words, dates as the language
/// writes them, a status in its words (or the plan's own, `[labels]`).
pub fn write_list_text(out: &mut dyn Write, table: &Table, lang: Lang) -> std::io::Result<()> {
    let mut text = new_text_table();
    text.set_header(list_headings(table, lang));
    for row in list_cells(table, lang) {
        text.add_row(row.iter().map(|cell| visible(cell).into_owned()));
    }
    write_text_table(out, &text)
}

/// The list of `plan initiatives` as Markdown: what the text table shows.
pub fn write_list_markdown(out: &mut dyn Write, table: &Table, lang: Lang) -> std::io::Result<()> {
    let headings = list_headings(table, lang);
    writeln!(out, "| {} |", headings.join(" | "))?;
    writeln!(out, "|{}|", vec!["---"; headings.len()].join("|"))?;
    for row in list_cells(table, lang) {
        let cells: Vec<String> = row.iter().map(|c| super::md_cell(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

/// The list's headings in words.
fn list_headings(table: &Table, lang: Lang) -> Vec<&'static str> {
    let t = lang.labels();
    let heading = |column: &'static str| match column {
        "plan" => "Plan",
        "initiative" => "Id",
        "number" => t.number,
        "title" => t.initiative,
        "focus_area" => t.focus,
        "owner" => t.owner,
        "start" => t.start,
        "end" => t.end,
        "status" => t.status,
        other => other,
    };
    table.columns.iter().map(|c| heading(c)).collect()
}

/// The list's cells in words: dates as the language writes them, a status in its words.
fn list_cells(table: &Table, lang: Lang) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .zip(&table.columns)
                .map(|(cell, column)| match (cell, *column) {
                    (Cell::Date(d), _) => lang.date(*d),
                    (Cell::Text(word), "status") => status_word(word, lang),
                    (cell, _) => cell.display(),
                })
                .collect()
        })
        .collect()
}

/// A status word of the exports in the words of `lang`; any other word (the plan's own
/// label) as it is.
fn status_word(word: &str, lang: Lang) -> String {
    crate::report::rounds::STATUSES
        .into_iter()
        .find(|s| s.word() == word)
        .map_or_else(|| word.to_string(), |s| lang.status(s).to_string())
}

/// One of the implementation plan's five headings (SPEC 1.2, named in Danish by the report)
/// in the words of `lang`.
fn plan_heading(danish: &str, lang: Lang) -> &str {
    match (lang, danish) {
        (Lang::En, "Tidsplan og økonomi") => "Schedule and budget",
        (Lang::En, "Hvorfor") => "Why",
        (Lang::En, "Hvordan") => "How",
        (Lang::En, "Hvem") => "Who",
        (Lang::En, "Kommunikation") => "Communication",
        (_, heading) => heading,
    }
}

fn budget_text(b: &BudgetLine, lang: Lang) -> String {
    let l = lang.labels();
    let head = match (b.amount_ore, &b.fte) {
        (Some(ore), _) => format!("{} ({}): {}", b.title, b.id, lang.money(i128::from(ore))),
        (None, Some(fte)) => format!(
            "{} ({}): {} {} = {}",
            b.title,
            b.id,
            lang.decimal_str(fte),
            match lang {
                Lang::En => "FTE",
                Lang::Da => "årsværk",
            },
            lang.hours(b.burn.total)
        ),
        // Hours per year (SPEC 9.6): the total, with its value when the budget has a rate.
        (None, None) if b.burn.hours => format!(
            "{} ({}): {}",
            b.title,
            b.id,
            crate::render::budget::amount(&b.burn, lang, b.burn.total, b.burn.total_value)
        ),
        _ => format!("{} ({})", b.title, b.id),
    };
    let [_, committed, spent, plan] = crate::render::budget::summary_cells(&b.burn, lang);
    let committed = if b.burn.committed.is_some() {
        format!("{} {committed} · ", l.committed.to_lowercase())
    } else {
        String::new()
    };
    let spent_label = if b.burn.savings { l.realised } else { l.spent };
    format!(
        "{head}\n   {committed}{} {spent} · {} {plan}",
        spent_label.to_lowercase(),
        l.plan_by_now.to_lowercase()
    )
}

fn dates(start: &Option<When>, end: Option<&When>, lang: Lang) -> String {
    // An unknown start (SPEC 12.6) is shown as `?`.
    let start = start
        .as_ref()
        .map_or_else(|| "?".to_string(), |s| lang.when(s));
    match end {
        Some(end) => format!("{start} → {}", lang.when(end)),
        None => format!("{} {start}", lang.labels().from),
    }
}

/// "Part of: 4 Title", "Parts: 4a Title, 4b Title", "Partners: A, B" (SPEC 9.4): the lines
/// that exist.
fn structure_lines(c: &Card, lang: Lang) -> Vec<String> {
    let t = lang.labels();
    let mut lines = Vec::new();
    if let Some((id, title)) = &c.parent {
        lines.push(format!("{}: {id} {title}", t.part_of));
    }
    if !c.children.is_empty() {
        let parts: Vec<String> = c
            .children
            .iter()
            .map(|(id, title)| format!("{id} {title}"))
            .collect();
        lines.push(format!("{}: {}", t.children, parts.join(" · ")));
    }
    if !c.line.partners.is_empty() {
        lines.push(format!("{}: {}", t.partners, c.line.partners.join(" · ")));
    }
    lines
}

/// A milestone's due as written; `–` when it is not scheduled.
fn due(due: Option<&When>, lang: Lang) -> String {
    due.map_or_else(|| "–".to_string(), |d| lang.when(d))
}

/// The card as text.
pub fn write_text(out: &mut dyn Write, c: &Card, color: bool, lang: Lang) -> std::io::Result<()> {
    let t = lang.labels();
    let l = &c.line;
    let number = l.number.map(|n| format!("{n}. ")).unwrap_or_default();
    let title = format!("{number}{} ({})", l.title, l.id);
    writeln!(out, "{}", paint(&visible(&title), "1", color))?;
    writeln!(out, "{}: {}", t.status, status_cell(l, color, lang))?;
    writeln!(
        out,
        "{}: {}",
        t.period,
        dates(&l.start, l.end.as_ref(), lang)
    )?;
    // The plan's own text below is shown, never sent: a control character in it reaches no
    // terminal raw.
    if let Some(focus) = &l.focus_area {
        let title = c.focus_area_title.as_deref().unwrap_or("");
        writeln!(
            out,
            "{}",
            visible(&format!("{}: {focus} {title}{}", t.focus_area, also(l)))
        )?;
    }
    for (id, title) in &c.goals {
        writeln!(out, "{}", visible(&format!("{}: {id} {title}", t.goal)))?;
    }
    if let Some(owner) = &l.owner {
        writeln!(out, "{}", visible(&format!("{}: {owner}", t.owner)))?;
    }
    for line in structure_lines(c, lang) {
        writeln!(out, "{}", visible(&line))?;
    }
    writeln!(out, "\n{}", visible(c.summary.trim()))?;
    for (heading, text) in &c.headings {
        writeln!(
            out,
            "\n{}\n{}",
            paint(plan_heading(heading, lang), "1", color),
            visible(text.trim())
        )?;
    }
    if !c.milestones.is_empty() {
        writeln!(out, "\n{}", t.milestones)?;
        let mut table = new_text_table();
        let mut header = vec![
            "Id".to_string(),
            t.milestone.to_string(),
            t.due.to_string(),
            t.done.to_string(),
            t.state.to_string(),
        ];
        if let Some(baseline) = &c.baseline {
            header.push(lang.since(baseline));
        }
        table.set_header(header);
        for m in &c.milestones {
            let mut row = vec![
                visible(&m.id).into_owned(),
                visible(&m.title).into_owned(),
                due(m.due.as_ref(), lang),
                m.done.map(|d| lang.date(d)).unwrap_or_default(),
                lang.milestone_state(m.state).to_string(),
            ];
            if let Some(slip) = &m.slip {
                row.push(lang.slip_cell(slip));
            }
            table.add_row(row);
        }
        write_text_table(out, &table)?;
    }
    if !c.updates.is_empty() {
        writeln!(out, "\n{}", t.updates)?;
        for u in &c.updates {
            let line = format!(
                " {}  {}  {}",
                lang.date(u.date),
                u.label.as_deref().unwrap_or_else(|| match u.status {
                    Some(s) => lang.update(s),
                    None => lang.labels().note,
                }),
                u.note.as_deref().unwrap_or("").trim()
            );
            writeln!(out, "{}", visible(&line))?;
        }
    }
    if !c.budgets.is_empty() {
        writeln!(out, "\n{}", t.budgets)?;
        for b in &c.budgets {
            writeln!(out, " {}", visible(&budget_text(b, lang)))?;
            writeln!(
                out,
                "   {}",
                crate::render::budget::burn_cell(&b.burn, lang, color)
            )?;
        }
    }
    Ok(())
}

/// The card as Markdown.
pub fn write_markdown(out: &mut dyn Write, c: &Card, lang: Lang) -> std::io::Result<()> {
    let t = lang.labels();
    let l = &c.line;
    let number = l.number.map(|n| format!("{n}. ")).unwrap_or_default();
    writeln!(
        out,
        "# {}\n",
        visible(&format!("{number}{} ({})", l.title, l.id))
    )?;
    writeln!(out, "- {}: {}", t.status, status_cell(l, false, lang))?;
    writeln!(
        out,
        "- {}: {}",
        t.period,
        dates(&l.start, l.end.as_ref(), lang)
    )?;
    if let Some(focus) = &l.focus_area {
        let title = c.focus_area_title.as_deref().unwrap_or("");
        writeln!(
            out,
            "- {}",
            visible(&format!("{}: {focus} {title}{}", t.focus_area, also(l)))
        )?;
    }
    if let Some(owner) = &l.owner {
        writeln!(out, "- {}", visible(&format!("{}: {owner}", t.owner)))?;
    }
    for line in structure_lines(c, lang) {
        writeln!(out, "- {}", visible(&line))?;
    }
    writeln!(out, "\n{}", visible(c.summary.trim()))?;
    for (heading, text) in &c.headings {
        writeln!(
            out,
            "\n## {}\n\n{}",
            plan_heading(heading, lang),
            visible(text.trim())
        )?;
    }
    if !c.milestones.is_empty() {
        let since = c
            .baseline
            .as_ref()
            .map(|b| format!(" {} |", lang.since(b)))
            .unwrap_or_default();
        let rule = if since.is_empty() { "" } else { "---|" };
        writeln!(
            out,
            "\n## {}\n\n| Id | {} | {} | {} | {} |{since}\n|---|---|---|---|---|{rule}",
            t.milestones, t.milestone, t.due, t.done, t.state
        )?;
        for m in &c.milestones {
            let slip = m
                .slip
                .as_ref()
                .map(|s| format!(" {} |", lang.slip_cell(s)))
                .unwrap_or_default();
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |{slip}",
                m.id,
                super::md_cell(&m.title),
                due(m.due.as_ref(), lang),
                m.done.map(|d| lang.date(d)).unwrap_or_default(),
                lang.milestone_state(m.state)
            )?;
        }
    }
    if !c.budgets.is_empty() {
        writeln!(out, "\n## {}\n", t.budgets)?;
        for b in &c.budgets {
            let line = budget_text(b, lang).replace("\n   ", " — ");
            writeln!(out, "- {}", visible(&line))?;
        }
    }
    Ok(())
}

/// The other focus areas that show the initiative, after the one it is listed under
/// (SPEC 12.6): ` (+F3, F4)`, or nothing.
fn also(l: &crate::report::status::InitiativeLine) -> String {
    if l.other_focus_areas.is_empty() {
        String::new()
    } else {
        format!(" (+{})", l.other_focus_areas.join(", "))
    }
}
