//! Stage 2, load: a ledger file straight from a finance system (SPEC 9.7), read through the
//! mapping its `ledger` item gives in plan.toml.
//!
//! The mapping is resolved against the file's header once: which column holds each canonical
//! value, and which values are fixed for every row. Each record then becomes an ordinary
//! [`LedgerRow`] (a fixed kind or budget, or a budget looked up from a code, is a field whose
//! span is that of the column it came from, or of the row's date), and goes through the same
//! checks as a row of a canonical ledger. A canonical ledger never comes here, so its reading
//! does not pay for the mapping. Mapped files are read whole: finance exports are per period.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Result;

use super::csv::{self, Field, HeaderProblem};
use super::ledger_rows::{LedgerFile, LedgerRow, read_rows, slashed};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::LedgerMapping;
use crate::source::{FileId, Sources};
use crate::tree::Tree;

/// Where each value of a row comes from, resolved against one file's header.
struct Resolved<'m> {
    date: usize,
    amount: usize,
    kind: Source<'m>,
    budget: Source<'m>,
    unit: Option<usize>,
    reference: Option<usize>,
    note: Option<usize>,
}

/// A value from a column, fixed, or a budget looked up from a column's code.
enum Source<'m> {
    Column(usize),
    Fixed(&'m str),
    Map(usize, &'m [(String, String)]),
}

/// Read one mapped file. `codes` gathers the `budget_from` codes that matched a row (W503).
pub fn read(
    tree: &dyn Tree,
    path: &Path,
    mapping: &LedgerMapping,
    codes: &mut BTreeSet<String>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<LedgerFile>> {
    let Some(file) = super::read_csv_text(
        tree,
        path,
        "commit the finance system's export as CSV",
        sources,
        diags,
    )?
    else {
        return Ok(None);
    };
    let text = sources.get(file).text.as_str();
    Ok(parse(file, slashed(path), text, mapping, codes, diags))
}

/// The file's header names the mapping needs, each with the canonical name it stands for
/// (`budget_from` for the code column).
fn needed(mapping: &LedgerMapping) -> Vec<(&str, &str)> {
    let mut needed = vec![
        (mapping.header_of("date"), "date"),
        (mapping.header_of("amount"), "amount"),
    ];
    if mapping.kind.is_none() {
        needed.push((mapping.header_of("kind"), "kind"));
    }
    match (&mapping.budget, &mapping.budget_from) {
        (Some(_), _) => {}
        (None, Some((column, _))) => needed.push((column.as_str(), "budget_from")),
        (None, None) => needed.push((mapping.header_of("budget"), "budget")),
    }
    needed
}

fn parse(
    file: FileId,
    shown: String,
    text: &str,
    mapping: &LedgerMapping,
    codes: &mut BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Option<LedgerFile> {
    let needed = needed(mapping);
    let names: Vec<&str> = needed.iter().map(|(h, _)| *h).collect();
    // A file whose header is wrong says so; its map's codes are not "unmatched" as well.
    let mut all_codes = || {
        if let Some((_, map)) = &mapping.budget_from {
            codes.extend(map.iter().map(|(c, _)| c.clone()));
        }
    };
    let header = match csv::detect_header(text, &names) {
        Ok(header) => header,
        Err(HeaderProblem::Empty) => {
            all_codes();
            diags.push(
                Diagnostic::in_file(
                    Code::MissingColumn,
                    file,
                    "the file is empty: it has no header line",
                )
                .with_help(format!("it needs the columns {}", quoted(&names))),
            );
            return None;
        }
        Err(HeaderProblem::MissingColumns { header, missing }) => {
            all_codes();
            let start = header.columns.first().map_or(0, |c| c.span.start);
            let end = header.columns.last().map_or(start, |c| c.span.end);
            let present: Vec<&str> = header.columns.iter().map(|c| c.name.as_str()).collect();
            for name in &missing {
                let canonical = needed
                    .iter()
                    .find(|(h, _)| h.eq_ignore_ascii_case(name))
                    .map_or("", |(_, c)| *c);
                let (code, message, help) = if canonical == "budget_from" {
                    (
                        Code::BudgetFromColumn,
                        format!(
                            "the file has no column `{name}`, which `budget_from` takes the budget from"
                        ),
                        format!(
                            "fix `budget_from.column` in plan.toml; the file's columns are {}",
                            quoted(&present)
                        ),
                    )
                } else {
                    (
                        Code::MissingColumn,
                        format!("the file has no column `{name}` (the ledger's `{canonical}`)"),
                        format!(
                            "map `{canonical}` to one of the file's columns with `columns` in plan.toml: {}",
                            quoted(&present)
                        ),
                    )
                };
                diags.push(Diagnostic::at(code, file, start..end, message).with_help(help));
            }
            return None;
        }
    };
    let index = |name: &str| header.index_of(name);
    let optional = |canonical: &str| index(mapping.header_of(canonical));
    // Every needed column was found, or detect_header would have said so.
    let resolved = Resolved {
        date: index(mapping.header_of("date"))?,
        amount: index(mapping.header_of("amount"))?,
        kind: match &mapping.kind {
            Some(kind) => Source::Fixed(kind.word()),
            None => Source::Column(index(mapping.header_of("kind"))?),
        },
        budget: match (&mapping.budget, &mapping.budget_from) {
            (Some(budget), _) => Source::Fixed(budget.as_str()),
            (None, Some((column, map))) => Source::Map(index(column)?, map.as_slice()),
            (None, None) => Source::Column(index(mapping.header_of("budget"))?),
        },
        unit: optional("unit"),
        reference: optional("ref"),
        note: optional("note"),
    };
    Some(read_rows(file, shown, text, &header, diags, |record| {
        let field = |i: usize| record.fields.get(i).cloned();
        let (date, amount) = (field(resolved.date)?, field(resolved.amount)?);
        // A fixed value has no place in the file: it points at the row's date.
        let fixed = |value: &str| Field {
            value: value.to_string(),
            span: date.span.clone(),
        };
        let kind = match resolved.kind {
            Source::Column(i) => field(i),
            Source::Fixed(word) => Some(fixed(word)),
            Source::Map(..) => None,
        };
        let budget = match resolved.budget {
            Source::Column(i) => field(i),
            Source::Fixed(id) => Some(fixed(id)),
            Source::Map(i, map) => {
                let code = field(i)?;
                let code_value = code.value.trim();
                // A row whose code is not in the map belongs to no budget of the plan.
                let (matched, id) = map.iter().find(|(c, _)| c == code_value)?;
                if !codes.contains(matched) {
                    codes.insert(matched.clone());
                }
                Some(Field {
                    value: id.clone(),
                    span: code.span,
                })
            }
        }?;
        Some(LedgerRow {
            line: record.line,
            date,
            budget,
            kind: kind?,
            amount,
            unit: resolved.unit.and_then(field),
            reference: resolved.reference.and_then(field),
            note: resolved.note.and_then(field),
        })
    }))
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
