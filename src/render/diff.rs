//! Render `plan diff` (SPEC 10.2) and `plan log` (10.3): tables grouped under headings the
//! way a coordinator reads the changes aloud, Markdown for the minutes, JSON.

use std::io::Write;

use serde::Serialize;

use crate::Revision;
use crate::render::{md_cell, new_text_table, paint, write_text_table};
use crate::report::diff::{Change, group};

/// `before → after (+92 d)`, `added: title`, `removed: title`.
pub fn change_text(c: &Change) -> String {
    let days = c.days.map_or(String::new(), |d| format!(" ({d:+} d)"));
    if c.kind == "ledger" {
        // Ledger rows: `before` holds the removed rows' figure, `after` the added rows'.
        let (removed, added) = (
            c.before.as_deref().unwrap_or("0"),
            c.after.as_deref().unwrap_or("0"),
        );
        let zero = |s: &str| s.trim_start_matches(['0', '.']).is_empty();
        return match (zero(removed), zero(added)) {
            (true, _) => format!("{}: {added} added", c.field),
            (false, true) => format!("{}: {removed} removed", c.field),
            (false, false) => format!("{}: {added} added, {removed} removed", c.field),
        };
    }
    match c.field.as_str() {
        "added" => format!("added: {}", c.after.as_deref().unwrap_or("")),
        "removed" => format!("removed: {}", c.before.as_deref().unwrap_or("")),
        field => format!(
            "{field}: {} → {}{days}",
            c.before.as_deref().unwrap_or("–"),
            c.after.as_deref().unwrap_or("–")
        ),
    }
}

/// The changes grouped under their headings, in the order the groups first appear.
pub fn grouped(changes: &[Change]) -> Vec<(&'static str, Vec<&Change>)> {
    let mut groups: Vec<(&'static str, Vec<&Change>)> = Vec::new();
    for c in changes {
        let g = group(&c.kind);
        match groups.iter_mut().find(|(name, _)| *name == g) {
            Some((_, list)) => list.push(c),
            None => groups.push((g, vec![c])),
        }
    }
    groups
}

/// The text table: a heading per group, one line per change.
pub fn write_changes_text(
    out: &mut dyn Write,
    changes: &[Change],
    color: bool,
) -> std::io::Result<()> {
    if changes.is_empty() {
        return writeln!(out, "No changes.");
    }
    for (i, (heading, list)) in grouped(changes).into_iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}", paint(heading, "1", color))?;
        let mut table = new_text_table();
        for c in list {
            table.add_row([c.kind.clone(), c.id.clone(), change_text(c)]);
        }
        write_text_table(out, &table)?;
    }
    Ok(())
}

/// `plan diff` as a text table.
pub fn write_text(
    out: &mut dyn Write,
    from: &str,
    to: &str,
    changes: &[Change],
    color: bool,
) -> std::io::Result<()> {
    writeln!(out, "Changes from {from} to {to}")?;
    writeln!(out)?;
    write_changes_text(out, changes, color)
}

/// The changes as Markdown: a `###` heading and a table per group.
pub fn write_changes_markdown(out: &mut dyn Write, changes: &[Change]) -> std::io::Result<()> {
    if changes.is_empty() {
        return writeln!(out, "No changes.\n");
    }
    for (heading, list) in grouped(changes) {
        writeln!(out, "### {heading}\n")?;
        writeln!(out, "| kind | id | change |")?;
        writeln!(out, "|---|---|---|")?;
        for c in list {
            writeln!(
                out,
                "| {} | {} | {} |",
                md_cell(&c.kind),
                md_cell(&c.id),
                md_cell(&change_text(c))
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `plan diff` as Markdown, for the minutes.
pub fn write_markdown(
    out: &mut dyn Write,
    from: &str,
    to: &str,
    changes: &[Change],
) -> std::io::Result<()> {
    writeln!(
        out,
        "## Changes from {} to {}\n",
        md_cell(from),
        md_cell(to)
    )?;
    write_changes_markdown(out, changes)
}

/// `{"format":1,"from":REVISION,"to":REVISION,"changes":[…]}`.
pub fn write_json(
    out: &mut dyn Write,
    from: Option<&Revision>,
    to: Option<&Revision>,
    changes: &[Change],
) -> anyhow::Result<()> {
    #[derive(Serialize)]
    struct Document<'a> {
        format: u32,
        from: Option<&'a Revision>,
        to: Option<&'a Revision>,
        changes: &'a [Change],
    }
    serde_json::to_writer_pretty(
        &mut *out,
        &Document {
            format: 1,
            from,
            to,
            changes,
        },
    )?;
    writeln!(out)?;
    Ok(())
}
