//! `plan budget [--by month|year|unit]`: budget burn (SPEC 4).

use std::io::Write;

use anyhow::Result;

use crate::cli::BudgetArgs;
use crate::render::{self, Dialect, Format};
use crate::report::budget::{breakdown, figures, table};
use crate::{Context, Outcome};

/// Run `plan budget`.
pub fn run(ctx: &Context, args: &BudgetArgs, out: &mut dyn Write) -> Result<Outcome> {
    // SPEC 2: the budget reads the plan, initiatives and ledger, not the survey files.
    let options = crate::LoadOptions {
        surveys: false,
        ..crate::LoadOptions::default()
    };
    let loaded = crate::load_with(ctx, &options)?;
    let Some((plan, ledger)) = loaded.valid(ctx)? else {
        return Ok(Outcome::Failed);
    };
    match (ctx.format.unwrap_or(Format::Table), args.by) {
        (Format::Table | Format::Github, None) => {
            render::budget::write_text(
                out,
                &figures(plan, ledger, ctx.as_of),
                ctx.color_out,
                ctx.lang,
            )?;
        }
        (Format::Table | Format::Github, Some(by)) => {
            render::budget::write_breakdown_text(
                out,
                &breakdown(plan, ledger, ctx.as_of, by),
                ctx.lang,
            )?;
        }
        (format, by) => render::write_table(
            out,
            &table(plan, ledger, ctx.as_of, by),
            format,
            Dialect::Standard,
            ctx.as_of,
            ctx.json_revision(format)?.as_ref(),
        )?,
    }
    Ok(Outcome::Success)
}
