//! `plan diff [FROM] [TO]` (SPEC 10.2): what changed between two states of the plan.

use std::io::Write;

use anyhow::{Result, bail};

use crate::cli::DiffArgs;
use crate::history::side::Loaded;
use crate::history::{History, Options};
use crate::render::{self, Dialect, Format};
use crate::report::diff::{changes_table, diff};
use crate::{Context, Outcome, Revision};

/// Run `plan diff`.
pub fn run(ctx: &Context, args: &DiffArgs, out: &mut dyn Write) -> Result<Outcome> {
    if ctx.rev.is_some() {
        bail!("--rev does not apply to `plan diff`: give FROM and TO (`plan diff FROM TO`)");
    }
    let options = Options {
        color_err: ctx.color_err,
    };
    let mut history = History::open(&ctx.plan_dir, options)?;
    let format = ctx.format.unwrap_or(Format::Table);
    let from = history.at_rev(args.from.as_deref().unwrap_or("HEAD"))?;
    let from_revision = revision(ctx, &from, format)?;
    let to = match args.to.as_deref() {
        Some(rev) => history.at_rev(rev)?,
        None => history.working_tree(ctx.as_of)?,
    };
    let to_revision = revision(ctx, &to, format)?;
    let (from_name, to_name) = (from.name(ctx.lang), to.name(ctx.lang));
    let changes = diff(&from.side, &to.side);
    match format {
        Format::Json => {
            render::diff::write_json(out, from_revision.as_ref(), to_revision.as_ref(), &changes)?
        }
        Format::Csv => render::write_csv(out, &changes_table(&changes), Dialect::Standard)?,
        Format::Markdown => {
            render::diff::write_markdown(out, &from_name, &to_name, &changes, ctx.lang)?
        }
        Format::Table | Format::Github => {
            render::diff::write_text(out, &from_name, &to_name, &changes, ctx.color_out, ctx.lang)?
        }
        Format::Html | Format::Xlsx | Format::Ics => {
            return Err(render::not_written("plan diff", format));
        }
    }
    if from.errors + to.errors > 0 {
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Success)
}

/// What a side is, for the JSON output: its commit, or for the working tree HEAD and whether
/// the plan files differ from it (`None` outside a repository, or when the output is not
/// JSON: the working tree's state is worked out only to be shown).
fn revision(ctx: &Context, side: &Loaded, format: Format) -> anyhow::Result<Option<Revision>> {
    match &side.commit {
        Some(commit) => Ok(Some(Revision::of(commit, None))),
        None => ctx.json_revision(format),
    }
}

/// One member's diff, or why it has none.
struct MemberDiff {
    from_name: String,
    to_name: String,
    from: Option<Revision>,
    to: Option<Revision>,
    changes: Vec<crate::report::diff::Change>,
    errors: usize,
}

/// Run `plan diff` on a portfolio (SPEC 13): each member's history compared as `plan diff`
/// compares one plan's, grouped by plan; a plan with no change says so. A member whose
/// folder is not in FROM (a plan added since) is named as new and compared with nothing.
pub fn run_portfolio(
    ctx: &Context,
    portfolio: &crate::portfolio::Portfolio,
    args: &DiffArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    if ctx.rev.is_some() {
        bail!("--rev does not apply to `plan diff`: give FROM and TO (`plan diff FROM TO`)");
    }
    let format = ctx.format.unwrap_or(Format::Table);
    let diffs = portfolio.each(
        ctx,
        |_, ctx| -> Result<std::result::Result<MemberDiff, String>> {
            let options = Options {
                color_err: ctx.color_err,
            };
            let mut history = History::open(&ctx.plan_dir, options)?;
            let from = match history.at_rev(args.from.as_deref().unwrap_or("HEAD")) {
                Ok(from) => from,
                // The plan folder is not in FROM: a plan added since.
                Err(error) => return Ok(Err(format!("{error:#}"))),
            };
            let to = match args.to.as_deref() {
                Some(rev) => history.at_rev(rev)?,
                None => history.working_tree(ctx.as_of)?,
            };
            Ok(Ok(MemberDiff {
                from_name: from.name(ctx.lang),
                to_name: to.name(ctx.lang),
                from: revision(ctx, &from, format)?,
                to: revision(ctx, &to, format)?,
                changes: diff(&from.side, &to.side),
                errors: from.errors + to.errors,
            }))
        },
    )?;
    let members: Vec<(
        &crate::portfolio::Member,
        &std::result::Result<MemberDiff, String>,
    )> = portfolio.members.iter().zip(&diffs).collect();
    match format {
        Format::Json => {
            let plans: Vec<serde_json::Value> = members
                .iter()
                .map(|(member, d)| match d {
                    Ok(d) => serde_json::json!({
                        "plan": member.id,
                        "from": d.from,
                        "to": d.to,
                        "changes": d.changes,
                    }),
                    Err(why) => serde_json::json!({ "plan": member.id, "new": true, "note": why }),
                })
                .collect();
            serde_json::to_writer_pretty(
                &mut *out,
                &serde_json::json!({ "format": 1, "plans": plans }),
            )?;
            writeln!(out)?;
        }
        Format::Csv => {
            let parts: Vec<(String, crate::report::Table)> = members
                .iter()
                .filter_map(|(member, d)| {
                    d.as_ref()
                        .ok()
                        .map(|d| (member.id.clone(), changes_table(&d.changes)))
                })
                .collect();
            let mut table = crate::report::portfolio::concat(&parts);
            if parts.is_empty() {
                table = crate::report::portfolio::with_plan_column(&changes_table(&[]), "");
            }
            render::write_csv(out, &table, Dialect::Standard)?
        }
        Format::Markdown | Format::Table | Format::Github => {
            for (at, (member, d)) in members.iter().enumerate() {
                if at > 0 {
                    writeln!(out)?;
                }
                let markdown = format == Format::Markdown;
                let heading = format!("{} ({})", member.id, member.rel);
                if markdown {
                    writeln!(out, "# {}\n", render::md_cell(&heading))?;
                } else {
                    writeln!(
                        out,
                        "{}",
                        render::paint(&format!("== {heading}"), "1", ctx.color_out)
                    )?;
                }
                match d {
                    Err(_) => writeln!(
                        out,
                        "A new plan: it is not in {}.",
                        args.from.as_deref().unwrap_or("HEAD")
                    )?,
                    Ok(d) if markdown => render::diff::write_markdown(
                        out,
                        &d.from_name,
                        &d.to_name,
                        &d.changes,
                        ctx.lang,
                    )?,
                    Ok(d) => render::diff::write_text(
                        out,
                        &d.from_name,
                        &d.to_name,
                        &d.changes,
                        ctx.color_out,
                        ctx.lang,
                    )?,
                }
            }
        }
        Format::Html | Format::Xlsx | Format::Ics => {
            return Err(render::not_written("plan diff", format));
        }
    }
    if diffs.iter().flatten().any(|d| d.errors > 0) {
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Success)
}
