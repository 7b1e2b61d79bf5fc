//! A ledger file's rows as read, before validation: the canonical columns, one file's
//! fields with their spans. Both readers produce them (the canonical one in
//! `load/ledger.rs`, the finance-system one in `load/mapped.rs`) and the ledger checks take
//! them, so they live below all three.

use std::path::Path;

use super::csv::{self, Dialect, Field};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::FileId;

/// Columns every ledger must have.
pub const REQUIRED: [&str; 4] = ["date", "budget", "kind", "amount"];
/// Columns a ledger may have.
pub const OPTIONAL: [&str; 3] = ["unit", "ref", "note"];

/// One ledger file as read.
#[derive(Debug)]
pub struct LedgerFile {
    /// The file in [`Sources`].
    pub file: FileId,
    /// Its path relative to the plan directory, `/`-separated (what `export ledger` shows).
    pub shown: String,
    /// The dialect decided from its header: it decides the number form.
    pub dialect: Dialect,
    /// The data rows that have the right number of fields, in file order.
    pub rows: Vec<LedgerRow>,
}

/// One data row of a ledger file.
#[derive(Debug)]
pub struct LedgerRow {
    /// 1-based line where the row starts.
    pub line: usize,
    /// `date`.
    pub date: Field,
    /// `budget`.
    pub budget: Field,
    /// `kind`.
    pub kind: Field,
    /// `amount`.
    pub amount: Field,
    /// `unit`, when the file has the column.
    pub unit: Option<Field>,
    /// `ref`, when the file has the column.
    pub reference: Option<Field>,
    /// `note`, when the file has the column.
    pub note: Option<Field>,
}

/// A path relative to the plan directory as `export ledger` shows it.
pub fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The canonical header line, without its line break: `date,budget,kind,amount,unit,ref,note`.
pub fn canonical_header() -> String {
    REQUIRED
        .iter()
        .chain(&OPTIONAL)
        .copied()
        .collect::<Vec<_>>()
        .join(",")
}

/// The data rows of one decoded file under its header: each record that parses becomes a row
/// through `row` (`None` skips it); a record that does not is a `CsvSyntax` diagnostic. Both the
/// canonical and the mapped reader read their rows here; they differ only in `row`.
pub fn read_rows(
    file: FileId,
    shown: String,
    text: &str,
    header: &csv::Header,
    diags: &mut Diagnostics,
    mut row: impl FnMut(&csv::Record) -> Option<LedgerRow>,
) -> LedgerFile {
    let mut rows = Vec::new();
    for record in csv::records(text, header) {
        match record {
            Err(problem) => diags.push(
                Diagnostic::at(Code::CsvSyntax, file, problem.span, problem.message)
                    .with_help("each row needs one field per header column; quote a field that contains the delimiter"),
            ),
            Ok(record) => rows.extend(row(&record)),
        }
    }
    LedgerFile {
        file,
        shown,
        dialect: header.dialect,
        rows,
    }
}
