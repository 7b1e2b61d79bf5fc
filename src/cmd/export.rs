//! `plan export …`: one report as CSV or JSON with stable columns (SPEC 7).

use std::io::Write;

use anyhow::{Result, bail};

use crate::cli::{ExportArgs, ExportReport};
use crate::cmd::budget;
use crate::render::{self, Format};
use crate::report::budget::{By, ledger_table};
use crate::report::rounds::{rounds, rounds_table};
use crate::report::scores;
use crate::report::status::{criteria_table, milestones_table, status_table};
use crate::{Context, Outcome};

/// Run `plan export`.
pub fn run(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<Outcome> {
    match (args.report, args.by) {
        (_, None) | (ExportReport::Budget, Some(_)) | (ExportReport::Scores, Some(By::Unit)) => {}
        (ExportReport::Scores, Some(_)) => {
            bail!("`plan export scores` breaks down `--by unit` only")
        }
        _ => bail!("--by applies to `plan export budget` and `plan export scores` only"),
    }
    // Only the ledger export lists every entry; the others need the sums alone. Money
    // exports do not read the survey files, nor the scores the ledger (SPEC 2).
    let money = matches!(args.report, ExportReport::Budget | ExportReport::Ledger);
    // The rounds count initiatives: they need neither the ledger nor the surveys.
    let initiatives_only = args.report == ExportReport::Rounds;
    let options = crate::LoadOptions {
        keep_entries: args.report == ExportReport::Ledger,
        ledger: args.report != ExportReport::Scores && !initiatives_only,
        surveys: !money && !initiatives_only,
        ..crate::LoadOptions::default()
    };
    let loaded = crate::load_with(ctx, &options)?;
    let Some((plan, ledger)) = loaded.valid(ctx)? else {
        return Ok(Outcome::Failed);
    };
    let table = match args.report {
        ExportReport::Status => status_table(plan, ctx.as_of),
        ExportReport::Milestones => milestones_table(plan, ctx.as_of),
        ExportReport::Criteria => criteria_table(plan, ctx.as_of),
        ExportReport::Budget => budget::table(plan, ledger, ctx.as_of, args.by),
        ExportReport::Ledger => ledger_table(plan, ledger, ctx.as_of),
        ExportReport::Scores if args.by.is_some() => {
            scores::by_unit_table(&scores::by_unit(plan, ctx.as_of))
        }
        ExportReport::Scores => scores::scores_table(&scores::scores_report(plan, ctx.as_of)),
        ExportReport::Rounds => rounds_table(&rounds(plan, ctx.as_of)),
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
