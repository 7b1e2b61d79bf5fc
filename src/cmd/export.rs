//! `plan export …`: one report as CSV or JSON with stable columns (SPEC 7).

use std::io::Write;

use anyhow::{Result, bail};
use clap::ValueEnum;

use crate::cli::{By, ExportArgs, ExportReport};
use crate::render::{self, Format};
use crate::report::scores;
use crate::report::status::{criteria_table, milestones_table, status_table};
use crate::{Context, Outcome};

/// Run `plan export`.
pub fn run(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<Outcome> {
    let loaded = crate::load(ctx)?;
    let Some(plan) = loaded.valid_plan(ctx)? else {
        return Ok(Outcome::Failed);
    };
    let table = match (args.report, args.by) {
        (ExportReport::Status, None) => status_table(plan, ctx.as_of),
        (ExportReport::Milestones, None) => milestones_table(plan, ctx.as_of),
        (ExportReport::Criteria, None) => criteria_table(plan, ctx.as_of),
        (ExportReport::Scores, None) => {
            scores::scores_table(&scores::scores_report(plan, ctx.as_of))
        }
        (ExportReport::Scores, Some(By::Unit)) => {
            scores::by_unit_table(&scores::by_unit(plan, ctx.as_of))
        }
        (report, Some(_)) => bail!(
            "`--by` does not apply to `export {}`",
            report
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_string())
        ),
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
