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
        Format::Csv => render::write_csv(out, &log_table(entries), render::Dialect::Standard)?,
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

/// The rows of `plan log --format csv`: the changes of 10.2 with `commit,date,author` first.
fn log_table(entries: &[Entry]) -> Table {
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
    table
}

/// Run `plan log` on a portfolio (SPEC 13): each member's log, grouped by plan (CSV: one
/// table with a first column `plan`; JSON: `{"format":1,"plans":[{"plan","commits"}]}`).
pub fn run_portfolio(
    ctx: &Context,
    portfolio: &crate::portfolio::Portfolio,
    args: &LogArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let logs = portfolio.each(ctx, |_, ctx| {
        let options = Options {
            color_err: ctx.color_err,
        };
        History::open(&ctx.plan_dir, options)?.log(&LogOptions {
            start: ctx.rev.clone(),
            since: args.since,
            until: args.until,
            id: args.id.clone(),
        })
    })?;
    if let Some(id) = &args.id
        && logs.iter().all(Vec::is_empty)
        && args.since.is_none()
        && args.until.is_none()
    {
        anyhow::bail!(
            "`{id}` names no initiative, milestone (INITIATIVE/MILESTONE), budget, indicator or criterion in the history of any of the portfolio's plans"
        );
    }
    let members: Vec<(&crate::portfolio::Member, &Vec<Entry>)> =
        portfolio.members.iter().zip(&logs).collect();
    match ctx.format.unwrap_or(Format::Table) {
        Format::Json => {
            let plans: Vec<serde_json::Value> = members
                .iter()
                .map(|(member, entries)| serde_json::json!({ "plan": member.id, "commits": entries }))
                .collect();
            serde_json::to_writer_pretty(
                &mut *out,
                &serde_json::json!({ "format": 1, "plans": plans }),
            )?;
            writeln!(out)?;
        }
        Format::Csv => {
            let parts: Vec<(String, Table)> = members
                .iter()
                .map(|(member, entries)| (member.id.clone(), log_table(entries)))
                .collect();
            render::write_csv(
                out,
                &crate::report::portfolio::concat(&parts),
                render::Dialect::Standard,
            )?;
        }
        format => {
            for (at, (member, entries)) in members.iter().enumerate() {
                if at > 0 {
                    writeln!(out)?;
                }
                let heading = format!("{} ({})", member.id, member.rel);
                if format == Format::Markdown {
                    writeln!(out, "# {}\n", render::md_cell(&heading))?;
                } else {
                    writeln!(
                        out,
                        "{}",
                        paint(&format!("== {heading}"), "1", ctx.color_out)
                    )?;
                }
                write(ctx, out, entries)?;
            }
        }
    }
    Ok(Outcome::Success)
}
