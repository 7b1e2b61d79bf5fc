//! `plan scores [--by unit]`: indicator targets against survey results (SPEC 5).

use std::io::Write;

use anyhow::Result;

use crate::cli::{ScoresArgs, ScoresBy};
use crate::render::{self, Dialect, Format};
use crate::report::missed::any_missed;
use crate::report::scores::{by_unit, by_unit_table, scores_report, scores_table};
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
        Some(ScoresBy::Part) => {
            let lines = crate::report::series::by_part(plan, ctx.as_of);
            let table = crate::report::series::by_part_table(&lines);
            match format {
                Format::Table | Format::Github => render::series::write_by_part_text(out, &table)?,
                _ => render::write_table(
                    out,
                    &table,
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
                    let extras = render::series::Extras {
                        series: crate::report::series::all_series(plan, ctx.as_of),
                        effects: crate::report::series::effects(plan, &report, ctx.as_of),
                    };
                    render::scores::write_text(
                        out,
                        &report,
                        plan,
                        &extras,
                        ctx.color_out,
                        ctx.lang,
                    )?
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
