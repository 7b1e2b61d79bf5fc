//! `plan check`: validate every file and report every problem (SPEC 6).

use std::io::Write;

use anyhow::Result;

use crate::cli::CheckArgs;
use crate::diag;
use crate::render::Format;
use crate::{Context, Outcome};

/// Run `plan check`. Diagnostics are the report here, so they go to `out`.
pub fn run(ctx: &Context, args: &CheckArgs, out: &mut dyn Write) -> Result<Outcome> {
    let loaded = crate::load(ctx)?;
    match ctx.format {
        Some(Format::Json) => diag::render_json(
            out,
            &loaded.sources,
            &loaded.diags,
            ctx.revision()?.as_ref(),
        )?,
        Some(Format::Github) => {
            diag::render_github(out, &loaded.sources, &loaded.diags)?;
            writeln!(out, "{}", loaded.summary())?;
        }
        _ => loaded.write_diagnostics(out, ctx.color_out)?,
    }
    let denied = args.deny_warnings && loaded.diags.warnings() > 0;
    if denied && !loaded.diags.has_errors() {
        eprintln!("plan: failing because of warnings (--deny-warnings)");
    }
    if loaded.diags.has_errors() || denied {
        return Ok(Outcome::Failed);
    }
    if args.fail_on_missed
        && let Some(plan) = &loaded.plan
        && crate::report::missed::any_missed(plan, ctx.as_of)
    {
        return Ok(Outcome::Missed);
    }
    Ok(Outcome::Success)
}

/// Run `plan check` on every plan of a portfolio (SPEC 13): each member's diagnostics, paths
/// relative to where the command runs (at the portfolio's folder: relative to it), then one
/// summary. The exit code is the worst: errors anywhere (or warnings under
/// `--deny-warnings`) exit 1; else a missed target under `--fail-on-missed` exits 3.
pub fn run_portfolio(
    ctx: &Context,
    portfolio: &crate::portfolio::Portfolio,
    args: &CheckArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let loads = portfolio.load_all(ctx, &crate::LoadOptions::default())?;
    let errors: usize = loads.iter().map(|l| l.loaded.diags.errors()).sum();
    let warnings: usize = loads.iter().map(|l| l.loaded.diags.warnings()).sum();
    let plural = |n: usize, word: &str| match n {
        1 => format!("{n} {word}"),
        _ => format!("{n} {word}s"),
    };
    let summary = format!(
        "plan: {}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(loads.len(), "plan")
    );
    match ctx.format {
        Some(Format::Json) => {
            let mut diagnostics = Vec::new();
            let mut plans = Vec::new();
            for load in &loads {
                let d = &load.loaded.diags;
                plans.push(serde_json::json!({
                    "plan": load.member.id,
                    "dir": load.member.rel,
                    "errors": d.errors(),
                    "warnings": d.warnings(),
                }));
                for located in diag::located(&load.loaded.sources, d) {
                    let mut value = serde_json::to_value(&located)?;
                    if let Some(object) = value.as_object_mut() {
                        object.insert("plan".into(), load.member.id.clone().into());
                    }
                    diagnostics.push(value);
                }
            }
            let report = serde_json::json!({
                "errors": errors,
                "warnings": warnings,
                "revision": ctx.revision()?,
                "plans": plans,
                "diagnostics": diagnostics,
            });
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
        }
        Some(Format::Github) => {
            for load in &loads {
                diag::render_github(out, &load.loaded.sources, &load.loaded.diags)?;
            }
            writeln!(out, "{summary}")?;
        }
        _ => {
            for load in &loads {
                diag::render_text(out, &load.loaded.sources, &load.loaded.diags, ctx.color_out)?;
            }
            writeln!(out, "{summary}")?;
        }
    }
    let denied = args.deny_warnings && warnings > 0;
    if denied && errors == 0 {
        eprintln!("plan: failing because of warnings (--deny-warnings)");
    }
    if errors > 0 || denied {
        return Ok(Outcome::Failed);
    }
    let missed = loads.iter().any(|l| {
        l.loaded
            .plan
            .as_ref()
            .is_some_and(|plan| crate::report::missed::any_missed(plan, ctx.as_of))
    });
    if args.fail_on_missed && missed {
        return Ok(Outcome::Missed);
    }
    Ok(Outcome::Success)
}
