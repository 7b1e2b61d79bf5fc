//! `plan export …`: one report as CSV or JSON with stable columns (SPEC 7), an Excel
//! workbook of one or every export, or the calendar of the deadlines (SPEC 14).

use std::io::Write;

use anyhow::{Result, bail};

use crate::cli::{ExportArgs, ExportReport};
use crate::cmd::budget;
use crate::model::{Ledger, Plan};
use crate::render::ics::Deadlines;
use crate::render::xlsx::Sheet;
use crate::render::{self, Format};
use crate::report::budget::{By, ledger_table};
use crate::report::rounds::{rounds, rounds_table};
use crate::report::scores;
use crate::report::status::{criteria_table, milestones_table, status_table};
use crate::report::{Cell, Table};
use crate::{Context, Outcome};

/// The exports `plan export all` writes, one sheet each, in this order.
const ALL: [ExportReport; 7] = [
    ExportReport::Status,
    ExportReport::Milestones,
    ExportReport::Criteria,
    ExportReport::Budget,
    ExportReport::Ledger,
    ExportReport::Scores,
    ExportReport::Rounds,
];

/// Run `plan export`.
pub fn run(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<Outcome> {
    match (args.report, args.by) {
        (_, None) | (ExportReport::Budget, Some(_)) | (ExportReport::Scores, Some(By::Unit)) => {}
        (ExportReport::Scores, Some(_)) => {
            bail!("`plan export scores` breaks down `--by unit` only")
        }
        _ => bail!("--by applies to `plan export budget` and `plan export scores` only"),
    }
    if args.owner.is_some() && args.report != ExportReport::Milestones {
        bail!("--owner applies to `plan export milestones` only");
    }
    let format = ctx.format.unwrap_or(Format::Csv);
    let all = args.report == ExportReport::All;
    if all && format != Format::Xlsx {
        bail!(
            "plan export all writes one workbook with a sheet per export: use -o FILE.xlsx or --format xlsx"
        );
    }
    // Only the ledger export lists every entry; the others need the sums alone. Money
    // exports do not read the survey files, nor the scores the ledger (SPEC 2).
    let money = matches!(args.report, ExportReport::Budget | ExportReport::Ledger);
    // The rounds count initiatives: they need neither the ledger nor the surveys.
    let initiatives_only = args.report == ExportReport::Rounds;
    let options = crate::LoadOptions {
        keep_entries: args.report == ExportReport::Ledger || all,
        ledger: args.report != ExportReport::Scores && !initiatives_only,
        surveys: !money && !initiatives_only,
        // The milestones export ends with the slip since the baseline (SPEC 10.4).
        baseline: matches!(args.report, ExportReport::Milestones | ExportReport::All),
        ..crate::LoadOptions::default()
    };
    let loaded = crate::load_with(ctx, &options)?;
    let Some((plan, ledger)) = loaded.valid(ctx)? else {
        return Ok(Outcome::Failed);
    };
    match format {
        Format::Ics => {
            let which = Deadlines {
                owner: args.owner.as_deref(),
            };
            render::ics::write_calendar(out, plan, ctx.as_of, ctx.lang, which)?;
        }
        Format::Xlsx => {
            let reports: &[ExportReport] = if all { &ALL } else { &[args.report] };
            let tables: Vec<(ExportReport, Table)> = reports
                .iter()
                .map(|&report| (report, table(ctx, plan, ledger, args, report)))
                .collect();
            let sheets: Vec<Sheet<'_>> = tables
                .iter()
                .map(|(report, table)| Sheet {
                    name: ctx.lang.sheet_name(*report),
                    table,
                })
                .collect();
            render::xlsx::write_workbook(out, &sheets, ctx.lang, ctx.as_of)?;
        }
        _ => render::write_table(
            out,
            &table(ctx, plan, ledger, args, args.report),
            format,
            args.dialect,
            ctx.as_of,
            ctx.json_revision(format)?.as_ref(),
        )?,
    }
    Ok(Outcome::Success)
}

/// The rows of one export: the same rows whatever the format, so that what a workbook shows
/// is what the CSV says, the privacy rules included (SPEC 5.4).
fn table(
    ctx: &Context,
    plan: &Plan,
    ledger: &Ledger,
    args: &ExportArgs,
    report: ExportReport,
) -> Table {
    match report {
        ExportReport::Status => status_table(plan, ctx.as_of),
        ExportReport::Milestones => {
            let mut table = milestones_table(plan, ctx.as_of);
            if let Some(owner) = &args.owner {
                keep_owned(&mut table, plan, owner);
            }
            table
        }
        ExportReport::Criteria => criteria_table(plan, ctx.as_of),
        ExportReport::Budget => budget::table(plan, ledger, ctx.as_of, args.by),
        ExportReport::Ledger => ledger_table(plan, ledger, ctx.as_of),
        ExportReport::Scores if args.by.is_some() => {
            scores::by_unit_table(&scores::by_unit(plan, ctx.as_of))
        }
        ExportReport::Scores => scores::scores_table(&scores::scores_report(plan, ctx.as_of)),
        ExportReport::Rounds => rounds_table(&rounds(plan, ctx.as_of)),
        // `all` is a workbook of the others; `output::choose` lets it reach no other format.
        ExportReport::All => Table {
            columns: vec![],
            rows: vec![],
        },
    }
}

/// Keep the milestones of the initiatives `owner` owns (compared without case), as the
/// calendar does.
fn keep_owned(table: &mut Table, plan: &Plan, owner: &str) {
    let owned: Vec<Cell> = plan
        .initiatives
        .iter()
        .filter(|i| i.owned_by(owner))
        .map(|i| Cell::Text(i.id.clone()))
        .collect();
    table
        .rows
        .retain(|row| row.first().is_some_and(|id| owned.contains(id)));
}
