//! `plan status`: the coordinator's screen.

use std::io::Write;

use anyhow::Result;

use crate::cli::StatusArgs;
use crate::render::{self, Dialect, Format};
use crate::report::status::{status_report, status_table};
use crate::{Context, Outcome};

/// Run `plan status`.
pub fn run(ctx: &Context, args: &StatusArgs, out: &mut dyn Write) -> Result<Outcome> {
    // With a baseline, the history back to it too (SPEC 10.4).
    let options = crate::LoadOptions {
        baseline: true,
        owner: args.owner.clone(),
        ..crate::LoadOptions::default()
    };
    let loaded = crate::load_with(ctx, &options)?;
    let Some((plan, ledger)) = loaded.valid(ctx)? else {
        return Ok(Outcome::Failed);
    };
    let mut report = status_report(plan, ledger, ctx.as_of, loaded.diags.warnings());
    let format = ctx.format.unwrap_or(Format::Table);
    if matches!(format, Format::Table | Format::Github | Format::Markdown) {
        report.revision = ctx.revision()?;
    }
    match ctx.format.unwrap_or(Format::Table) {
        Format::Table | Format::Github => {
            render::status::write_text(out, &report, ctx.color_out, ctx.lang)?
        }
        Format::Markdown => render::status::write_markdown(out, &report, ctx.lang)?,
        Format::Json => render::write_json(out, &report, ctx.as_of, ctx.revision()?.as_ref())?,
        Format::Csv => render::write_csv(out, &status_table(plan, ctx.as_of), Dialect::Standard)?,
        Format::Html | Format::Xlsx | Format::Ics => {
            return Err(render::not_written("plan status", format));
        }
    }
    Ok(Outcome::Success)
}

/// Run `plan status` on a portfolio: the overview (SPEC 13). A member with errors keeps its
/// row with its counts; its diagnostics go to standard error and the run exits 1.
pub fn run_portfolio(
    ctx: &Context,
    portfolio: &crate::portfolio::Portfolio,
    args: &StatusArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    use crate::report::portfolio::overview_table;
    let options = crate::LoadOptions {
        owner: args.owner.clone(),
        ..crate::LoadOptions::default()
    };
    let loads = portfolio.load_all(ctx, &options)?;
    let report = portfolio.overview(ctx, &loads, args.owner.is_some())?;
    let format = ctx.format.unwrap_or(Format::Table);
    match format {
        Format::Table | Format::Github => {
            render::portfolio::write_text(out, &report, ctx.color_out, ctx.lang)?
        }
        Format::Markdown => render::portfolio::write_markdown(out, &report, ctx.lang)?,
        Format::Json => render::write_json(out, &report, ctx.as_of, ctx.revision()?.as_ref())?,
        Format::Csv => render::write_csv(out, &overview_table(&report), Dialect::Standard)?,
        Format::Html | Format::Xlsx | Format::Ics => {
            return Err(render::not_written("plan status", format));
        }
    }
    if crate::portfolio::report_broken(&loads, ctx.color_err)? {
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Success)
}
