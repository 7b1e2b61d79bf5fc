//! `plan log [ID]` (SPEC 10.3): for each first-parent commit that changed a plan file,
//! newest first, its changes against its first parent as `plan diff` computes them, and the
//! time events between commits. The walk is the history engine's ([`History::log`]).

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::cli::LogArgs;
use crate::history::walk::{Entry, LogOptions};
use crate::history::{History, Options};
use crate::render::{self, Format, paint};
use crate::report::diff::changes_table;
use crate::report::{Cell, Table};
use crate::{Context, Outcome};

/// The heading tables and Markdown give an entry: `1a2b3c4 · 1 May 2022 · Peter Lind ·
/// summary`, or `1 Jan 2023 · time` for a time event.
fn heading(entry: &Entry, lang: crate::render::lang::Lang) -> String {
    if entry.is_time() {
        render::diff::time_heading(&entry.date, lang)
    } else {
        render::diff::commit_heading(
            &entry.short,
            &entry.date,
            &entry.author,
            &entry.summary,
            lang,
        )
    }
}

/// Run `plan log`.
pub fn run(ctx: &Context, args: &LogArgs, out: &mut dyn Write) -> Result<Outcome> {
    let options = Options {
        color_err: ctx.color_err,
    };
    let mut history = History::open(&ctx.plan_dir, options)?;
    let entries = history.log(&LogOptions {
        start: ctx.rev.clone(),
        since: args.since,
        until: args.until,
        id: args.id.clone(),
    })?;
    // Over the whole history an item that ever existed shows at least its `added`: nothing
    // at all means the id names nothing (a typo), which must not read as "no changes".
    if let Some(id) = &args.id
        && entries.is_empty()
        && args.since.is_none()
        && args.until.is_none()
    {
        anyhow::bail!(
            "`{id}` names no initiative, milestone (INITIATIVE/MILESTONE), budget, indicator or criterion in the plan's history"
        );
    }
    write(ctx, out, &entries)?;
    Ok(Outcome::Success)
}

fn write(ctx: &Context, out: &mut dyn Write, entries: &[Entry]) -> Result<()> {
    match ctx.format.unwrap_or(Format::Table) {
        Format::Json => {
            #[derive(Serialize)]
            struct Document<'a> {
                format: u32,
                commits: &'a [Entry],
            }
            serde_json::to_writer_pretty(
                &mut *out,
                &Document {
                    format: 1,
                    commits: entries,
                },
            )?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut columns = vec!["commit", "date", "author"];
            columns.extend(changes_table(&[]).columns);
            let mut table = Table {
                columns,
                rows: Vec::new(),
            };
            for entry in entries {
                for row in changes_table(&entry.changes).rows {
                    let mut full = vec![
                        Cell::Text(entry.commit.clone()),
                        Cell::Text(entry.date.clone()),
                        Cell::Text(entry.author.clone()),
                    ];
                    full.extend(row);
                    table.rows.push(full);
                }
            }
            render::write_csv(out, &table, render::Dialect::Standard)?;
        }
        Format::Markdown => {
            if entries.is_empty() {
                writeln!(out, "{}", render::diff::no_commits(ctx.lang))?;
            }
            for entry in entries {
                let head = heading(entry, ctx.lang);
                writeln!(out, "## {}\n", render::md_cell(&head))?;
                render::diff::write_changes_markdown(out, &entry.changes, ctx.lang)?;
            }
        }
        Format::Table | Format::Github => {
            if entries.is_empty() {
                writeln!(out, "{}", render::diff::no_commits(ctx.lang))?;
            }
            for (i, entry) in entries.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                let head = heading(entry, ctx.lang);
                writeln!(out, "{}", paint(&head, "33", ctx.color_out))?;
                render::diff::write_changes_text(out, &entry.changes, ctx.color_out, ctx.lang)?;
            }
        }
        format @ (Format::Html | Format::Xlsx | Format::Ics) => {
            return Err(render::not_written("plan log", format));
        }
    }
    Ok(())
}
