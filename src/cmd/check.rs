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
