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
    let report = overview_of(ctx, portfolio, &loads, args.owner.is_some())?;
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

/// The overview of loaded members, with each one's last change from git. With `owned_only`
/// (`--owner`), only the plans where the person owns an initiative, and those that cannot be
/// read (their errors still count).
pub(crate) fn overview_of(
    ctx: &Context,
    portfolio: &crate::portfolio::Portfolio,
    loads: &[crate::portfolio::MemberLoad<'_>],
    owned_only: bool,
) -> Result<crate::report::portfolio::Overview> {
    use crate::report::portfolio::{MemberInput, overview};
    let changes = portfolio.each(ctx, |member, ctx| {
        Ok(crate::portfolio::last_change(ctx, &member.dir))
    })?;
    let inputs: Vec<MemberInput<'_>> = loads
        .iter()
        .zip(changes)
        .map(|(load, last_change)| MemberInput {
            id: &load.member.id,
            dir: &load.member.rel,
            valid: load.valid(),
            plan: load.loaded.plan.as_ref(),
            errors: load.loaded.diags.errors(),
            warnings: load.loaded.diags.warnings(),
            last_change,
        })
        .filter(|input| {
            !owned_only
                || input.valid.is_none()
                || input
                    .valid
                    .is_some_and(|(plan, _)| !plan.initiatives.is_empty())
        })
        .collect();
    Ok(overview(
        &portfolio.title,
        &portfolio.organisation,
        &inputs,
        ctx.as_of,
    ))
}
