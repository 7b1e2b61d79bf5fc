//! `plan report`: the HTML report (SPEC 8), to standard output or `-o FILE`.

use std::io::Write;

use anyhow::Result;

use crate::cli::ReportArgs;
use crate::diag::{Severity, located};
use crate::history::{History, Options};
use crate::render::html;
use crate::report::page::{Since, page_report};
use crate::{Context, Outcome};

/// Run `plan report`. The page is HTML whatever `--format` says: it is the report's only form.
pub fn run(ctx: &Context, args: &ReportArgs, out: &mut dyn Write) -> Result<Outcome> {
    // With a baseline, the history back to it too (SPEC 10.4).
    let options = crate::LoadOptions {
        baseline: true,
        ..crate::LoadOptions::default()
    };
    let loaded = crate::load_with(ctx, &options)?;
    let Some((plan, ledger)) = loaded.valid(ctx)? else {
        return Ok(Outcome::Failed);
    };
    // Only warnings can be left: a plan with errors never reaches a report.
    let warnings = located(&loaded.sources, &loaded.diags)
        .into_iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    let mut page = page_report(plan, ledger, ctx.as_of, warnings);
    page.status.revision = ctx.revision()?;
    let mut since_errors = 0;
    if let Some(since) = &args.since {
        let (section, errors) = changes_since(ctx, since)?;
        page.since = Some(section);
        since_errors = errors;
    }
    out.write_all(html::page(&page, ctx.lang)?.as_bytes())?;
    // As `plan diff REV` (one rule for both): the page is written, and a REV whose plan has
    // errors (its diagnostics on standard error, its computed figures left out of the
    // section) makes the run exit 1.
    if since_errors > 0 {
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Success)
}

/// "Changes since REV" (issue 12): `plan diff REV` to the state the page shows (the `--rev`
/// commit, or the working tree), each side as of its own date, as `plan diff` computes it;
/// with the number of errors of REV's plan.
fn changes_since(ctx: &Context, since: &str) -> Result<(Since, usize)> {
    let options = Options {
        color_err: ctx.color_err,
    };
    let mut history = History::open(&ctx.plan_dir, options)?;
    let from = history.at_rev(since)?;
    let to = match &ctx.rev {
        Some(commit) => history.at_commit(commit.clone(), ctx.as_of)?,
        None => history.working_tree(ctx.as_of)?,
    };
    Ok((
        Since {
            rev: since.to_string(),
            from: from.name(ctx.lang),
            changes: crate::report::diff::diff(&from.side, &to.side),
        },
        from.errors,
    ))
}

/// Run `plan report` on a portfolio (SPEC 13): one page, the overview first, then a section
/// per plan linked from it. A plan with errors keeps its row and a section that says so; its
/// diagnostics go to standard error and the run exits 1.
pub fn run_portfolio(
    ctx: &Context,
    portfolio: &crate::portfolio::Portfolio,
    args: &ReportArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    if args.since.is_some() {
        anyhow::bail!(
            "plan report --since compares one plan with its history: choose the plan with --plan ID"
        );
    }
    let options = crate::LoadOptions {
        baseline: true,
        ..crate::LoadOptions::default()
    };
    let loads = portfolio.load_all(ctx, &options)?;
    let overview = portfolio.overview(ctx, &loads, false)?;
    let plans: Vec<(String, Option<crate::report::page::PageReport>)> = loads
        .iter()
        .map(|load| {
            let page = load.valid().map(|(plan, ledger)| {
                let warnings = located(&load.loaded.sources, &load.loaded.diags)
                    .into_iter()
                    .filter(|d| d.severity == Severity::Warning)
                    .collect();
                page_report(plan, ledger, ctx.as_of, warnings)
            });
            (load.member.id.clone(), page)
        })
        .collect();
    // In the overview's order: sub-plans under their parents.
    let ordered: Vec<(String, Option<crate::report::page::PageReport>)> = overview
        .plans
        .iter()
        .filter_map(|row| plans.iter().find(|(id, _)| *id == row.plan).cloned())
        .collect();
    out.write_all(crate::render::portfolio::page(&overview, &ordered, ctx.lang)?.as_bytes())?;
    if crate::portfolio::report_broken(&loads, ctx.color_err)? {
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Success)
}
