//! Stage 2, load: the ledger files (SPEC 1.3) → raw rows whose fields keep their spans.
//!
//! Each entry of `ledger` in `plan.toml` is a path or a glob relative to the plan directory.
//! Globs are expanded and sorted by name; a file matched twice is read once. Every file goes
//! through the shared CSV reader ([`super::csv`]): its encoding, delimiter and number form are
//! worked out from the file itself. What the values mean is decided in
//! [`crate::validate::ledger`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::csv::{self, Dialect, Field, HeaderProblem, TextEncoding};
use super::paths;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, Sources};

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

/// Read every ledger file that `patterns` name. A plain path that does not exist is skipped:
/// validation has already reported a declared one (E013), and the default `ledger.csv` may be
/// absent (an empty ledger).
pub fn read_ledger(
    dir: &Path,
    patterns: &[String],
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Vec<LedgerFile>> {
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut files = Vec::new();
    for pattern in patterns {
        for path in expand(dir, pattern, diags) {
            let key = path.canonicalize().unwrap_or_else(|_| path.clone());
            if !seen.insert(key) {
                continue;
            }
            if let Some(escape) = paths::escapes(dir, &path) {
                let file = sources.add(&path, String::new());
                diags.push(Diagnostic::in_file(Code::PathOutsidePlan, file, escape));
                continue;
            }
            if let Some(file) = read_file(dir, &path, sources, diags)? {
                files.push(file);
            }
        }
    }
    Ok(files)
}

/// The existing files a `ledger` entry names, sorted by name.
fn expand(dir: &Path, pattern: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
    if !pattern.contains(['*', '?', '[']) {
        let path = dir.join(pattern);
        return if path.exists() {
            vec![path]
        } else {
            Vec::new()
        };
    }
    let base = glob::Pattern::escape(&dir.to_string_lossy());
    let full = format!("{base}/{pattern}");
    match glob::glob(&full) {
        Ok(paths) => {
            let mut found: Vec<PathBuf> = paths.filter_map(|p| p.ok()).collect();
            found.sort();
            found
        }
        Err(e) => {
            diags.push(Diagnostic {
                code: Code::InvalidValue,
                file: None,
                span: None,
                message: format!("ledger pattern `{pattern}` is not a valid glob: {}", e.msg),
                label: None,
                help: Some("write a path or a glob such as `ledger/*.csv`".into()),
            });
            Vec::new()
        }
    }
}

fn read_file(
    dir: &Path,
    path: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<LedgerFile>> {
    let display = crate::source::display_path(path);
    if !path.is_file() {
        let file = sources.add(path, String::new());
        diags.push(Diagnostic::in_file(
            Code::NotText,
            file,
            format!("`{display}` is not a regular file"),
        ));
        return Ok(None);
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {display}"))?;
    let (text, encoding) = csv::decode(&bytes);
    let binary = text.contains('\0');
    let file = sources.add(path, if binary { String::new() } else { text });
    if binary {
        diags.push(
            Diagnostic::in_file(Code::NotText, file, format!("`{display}` is not text"))
                .with_help("save the ledger as CSV"),
        );
        return Ok(None);
    }
    if encoding == TextEncoding::Windows1252 {
        diags.push(
            Diagnostic::in_file(
                Code::DecodedAsWindows1252,
                file,
                format!("`{display}` is not UTF-8; it was read as Windows-1252"),
            )
            .with_help("check its æ, ø and å, or save it from Excel as \"CSV UTF-8\""),
        );
    }
    let shown = path
        .strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    Ok(parse(file, shown, &sources.get(file).text, diags))
}

/// Header and rows of one decoded ledger file; problems become diagnostics.
fn parse(file: FileId, shown: String, text: &str, diags: &mut Diagnostics) -> Option<LedgerFile> {
    let header = match csv::detect_header(text, &REQUIRED) {
        Ok(header) => header,
        Err(HeaderProblem::Empty) => {
            diags.push(
                Diagnostic::in_file(
                    Code::MissingColumn,
                    file,
                    "the ledger is empty: it has no header line",
                )
                .with_help(format!("start it with the line `{}`", canonical_header())),
            );
            return None;
        }
        Err(HeaderProblem::MissingColumns { header, missing }) => {
            let start = header.columns.first().map_or(0, |c| c.span.start);
            let end = header.columns.last().map_or(start, |c| c.span.end);
            let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            let plural = if missing.len() == 1 { "" } else { "s" };
            diags.push(
                Diagnostic::at(
                    Code::MissingColumn,
                    file,
                    start..end,
                    format!("the ledger has no column{plural} {}", names.join(", ")),
                )
                .with_help(format!(
                    "the header needs date, budget, kind and amount: `{}`",
                    canonical_header()
                )),
            );
            return None;
        }
    };

    // Known columns by their first occurrence; everything else is warned about and ignored.
    let mut used: HashSet<usize> = HashSet::new();
    let mut index = |name: &str| {
        let i = header.index_of(name);
        used.extend(i);
        i
    };
    let [date, budget, kind, amount] = REQUIRED.map(&mut index);
    let [unit, reference, note] = OPTIONAL.map(&mut index);
    for (i, column) in header.columns.iter().enumerate() {
        if !used.contains(&i) {
            let known = REQUIRED.iter().chain(&OPTIONAL).any(|k| *k == column.key);
            let message = if known {
                format!(
                    "column `{}` appears twice; the second is ignored",
                    column.name
                )
            } else {
                format!(
                    "column `{}` is not a ledger column; it is ignored",
                    column.name
                )
            };
            diags.push(
                Diagnostic::at(Code::ExtraColumn, file, column.span.clone(), message)
                    .with_help(format!("the ledger's columns are `{}`", canonical_header())),
            );
        }
    }
    // All four were found, or detect_header would have said so.
    let (Some(date), Some(budget), Some(kind), Some(amount)) = (date, budget, kind, amount) else {
        return None;
    };

    let mut rows = Vec::new();
    for record in csv::records(text, &header) {
        match record {
            Err(problem) => diags.push(
                Diagnostic::at(Code::CsvSyntax, file, problem.span, problem.message)
                    .with_help("each row needs one field per header column; quote a field that contains the delimiter"),
            ),
            Ok(record) => {
                let field = |i: usize| record.fields.get(i).cloned();
                let (Some(d), Some(b), Some(k), Some(a)) =
                    (field(date), field(budget), field(kind), field(amount))
                else {
                    continue;
                };
                rows.push(LedgerRow {
                    line: record.line,
                    date: d,
                    budget: b,
                    kind: k,
                    amount: a,
                    unit: unit.and_then(field),
                    reference: reference.and_then(field),
                    note: note.and_then(field),
                });
            }
        }
    }
    Some(LedgerFile {
        file,
        shown,
        dialect: header.dialect,
        rows,
    })
}

fn canonical_header() -> String {
    REQUIRED
        .iter()
        .chain(&OPTIONAL)
        .copied()
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> (Option<LedgerFile>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let file = parse(0, "ledger.csv".into(), text, &mut diags);
        (file, diags)
    }

    #[test]
    fn headers_are_case_insensitive_and_in_any_order() {
        let (file, diags) = parsed("Amount,KIND,budget,Date\n7.5,hours,f,2013-04-20\n");
        let file = file.expect("parsed");
        assert_eq!(diags.errors() + diags.warnings(), 0);
        let row = &file.rows[0];
        assert_eq!(row.amount.value, "7.5");
        assert_eq!(row.date.value, "2013-04-20");
        assert!(row.unit.is_none());
    }

    #[test]
    fn extra_and_duplicate_columns_are_warned() {
        let (file, diags) = parsed("date;budget;kind;amount;bilag;note;Note\n");
        assert!(file.is_some());
        assert_eq!(diags.warnings(), 2);
        assert_eq!(diags.errors(), 0);
    }

    #[test]
    fn missing_column_and_empty_file_are_errors() {
        let (file, diags) = parsed("date,budget,amount\n2013-01-01,x,1\n");
        assert!(file.is_none());
        assert_eq!(diags.sorted()[0].code, Code::MissingColumn);
        assert!(diags.sorted()[0].message.contains("`kind`"));
        let (file, diags) = parsed("");
        assert!(file.is_none());
        assert_eq!(diags.errors(), 1);
    }

    #[test]
    fn wrong_field_count_is_an_error_and_other_rows_stay() {
        let (file, diags) =
            parsed("date,budget,kind,amount\n2013-01-01,x,grant\n2013-01-02,x,grant,5\n");
        assert_eq!(diags.sorted()[0].code, Code::CsvSyntax);
        let file = file.expect("parsed");
        assert_eq!(file.rows.len(), 1);
        assert_eq!(file.rows[0].line, 3);
    }
}
