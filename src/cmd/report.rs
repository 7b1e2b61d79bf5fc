//! `plan report`: the HTML report (SPEC 8), to standard output or `-o FILE`.

use std::io::Write;

use anyhow::Result;

use crate::diag::{Severity, located};
use crate::render::html;
use crate::report::page::page_report;
use crate::{Context, Outcome};

/// Run `plan report`. The page is HTML whatever `--format` says: it is the report's only form.
pub fn run(ctx: &Context, out: &mut dyn Write) -> Result<Outcome> {
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
    out.write_all(html::page(&page, ctx.lang)?.as_bytes())?;
    Ok(Outcome::Success)
}
