//! `plan export …`: one report as CSV or JSON with stable columns (SPEC 7).

use std::io::Write;

use anyhow::Result;

use crate::cli::{ExportArgs, ExportReport};
use crate::render::{self, Format};
use crate::report::status::{criteria_table, milestones_table, status_table};
use crate::{Context, Outcome};

/// Run `plan export`.
pub fn run(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<Outcome> {
    let loaded = crate::load(ctx)?;
    let Some(plan) = loaded.valid_plan(ctx)? else {
        return Ok(Outcome::Failed);
    };
    let table = match args.report {
        ExportReport::Status => status_table(plan, ctx.as_of),
        ExportReport::Milestones => milestones_table(plan, ctx.as_of),
        ExportReport::Criteria => criteria_table(plan, ctx.as_of),
    };
    render::write_table(
        out,
        &table,
        ctx.format.unwrap_or(Format::Csv),
        args.dialect,
        ctx.as_of,
    )?;
    Ok(Outcome::Success)
}
