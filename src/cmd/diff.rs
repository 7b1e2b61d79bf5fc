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
