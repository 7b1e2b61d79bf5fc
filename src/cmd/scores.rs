//! `plan scores [--by unit]`: indicator targets against survey results (SPEC 5).

use std::io::Write;

use anyhow::Result;

use crate::cli::{ScoresArgs, ScoresBy};
use crate::model::{Date, Plan};
use crate::render::{self, Dialect, Format};
use crate::report::scores::{by_unit, by_unit_table, scores_report, scores_table};
use crate::report::status::{CriterionStatus, criterion_lines};
use crate::{Context, Outcome};

/// Run `plan scores`.
pub fn run(ctx: &Context, args: &ScoresArgs, out: &mut dyn Write) -> Result<Outcome> {
    // SPEC 2: the scores read the plan and the survey files, not the ledger.
    let options = crate::LoadOptions {
        ledger: false,
        ..crate::LoadOptions::default()
    };
    let loaded = crate::load_with(ctx, &options)?;
    let Some(plan) = loaded.valid_plan(ctx)? else {
        return Ok(Outcome::Failed);
    };
    let format = ctx.format.unwrap_or(Format::Table);
    match args.by {
        Some(ScoresBy::Unit) => {
            let lines = by_unit(plan, ctx.as_of);
            match format {
                Format::Table | Format::Github => {
                    render::scores::write_by_unit_text(out, &lines, plan.min_group_size)?
                }
                _ => render::write_table(
                    out,
                    &by_unit_table(&lines),
                    format,
                    Dialect::Standard,
                    ctx.as_of,
                    ctx.json_revision(format)?.as_ref(),
                )?,
            }
        }
        None => {
            let report = scores_report(plan, ctx.as_of);
            match format {
                Format::Table | Format::Github => {
                    render::scores::write_text(out, &report, ctx.color_out, ctx.lang)?
                }
                _ => render::write_table(
                    out,
                    &scores_table(&report),
                    format,
                    Dialect::Standard,
                    ctx.as_of,
                    ctx.json_revision(format)?.as_ref(),
                )?,
            }
        }
    }
    if args.fail_on_missed && any_missed(plan, ctx.as_of) {
        return Ok(Outcome::Missed);
    }
    Ok(Outcome::Success)
}

/// The `--fail-on-missed` gate: a missed target or a missed criterion (SPEC 2, exit 3).
pub fn any_missed(plan: &Plan, as_of: Date) -> bool {
    scores_report(plan, as_of).any_missed()
        || criterion_lines(plan, as_of)
            .iter()
            .any(|c| c.status == CriterionStatus::Missed)
}
