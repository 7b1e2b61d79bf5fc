//! `plan codes`: the catalogue of diagnostic codes (`docs/diagnostics.md` is this, as Markdown).

use std::io::Write;

use anyhow::Result;

use crate::diag::{Code, Severity};
use crate::render::{self, Dialect, Format};
use crate::report::{Cell, Table};
use crate::{Context, Outcome};

/// Run `plan codes`.
pub fn run(ctx: &Context, out: &mut dyn Write) -> Result<Outcome> {
    render::write_table(
        out,
        &catalogue(),
        ctx.format.unwrap_or(Format::Table),
        Dialect::Standard,
        ctx.as_of,
        None,
    )?;
    Ok(Outcome::Success)
}

/// One row per code, in catalogue order: `code,severity,summary`.
pub fn catalogue() -> Table {
    Table {
        columns: vec!["code", "severity", "summary"],
        rows: Code::ALL
            .iter()
            .map(|code| {
                let severity = match code.severity() {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                vec![
                    Cell::Text(code.as_str().to_string()),
                    Cell::Text(severity.to_string()),
                    Cell::Text(code.summary().to_string()),
                ]
            })
            .collect(),
    }
}
