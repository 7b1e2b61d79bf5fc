//! `plan schema plan|initiative`: the JSON Schema of a plan file, for editors and linters.

use std::io::Write;

use anyhow::Result;

use crate::Outcome;
use crate::cli::SchemaArgs;

/// Run `plan schema`.
pub fn run(args: &SchemaArgs, out: &mut dyn Write) -> Result<Outcome> {
    out.write_all(crate::schema::to_json(args.file).as_bytes())?;
    Ok(Outcome::Success)
}
