//! A table written row by row, as it is computed, in exactly the bytes [`super::write_table`]
//! writes for CSV and JSON (`plan export ledger` streams its rows; issue 19). Each call
//! appends to a byte buffer the caller owns and empties when it likes.

use csv_core::WriteResult;

use super::{Dialect, Format, csv_cell, json_cell, starts_like_formula};
use crate::figures::{push_digits, push_hundredths};
use crate::model::{Date, EntryRef};
use crate::report::Cell;

/// Rows of one table in CSV or JSON, formatted one at a time.
pub struct RowWriter {
    columns: Vec<&'static str>,
    json: bool,
    dialect: Dialect,
    core: csv_core::Writer,
    rows: usize,
    /// The cells of a ledger entry written as JSON, their memory reused.
    cells: Vec<Cell>,
}

impl RowWriter {
    /// Start a table of `columns` in `format` (CSV or JSON; anything else is refused): the
    /// header, or the JSON document up to its `rows`, goes into `buf`.
    pub fn start(
        buf: &mut Vec<u8>,
        columns: Vec<&'static str>,
        format: Format,
        dialect: Dialect,
        as_of: Date,
        revision: Option<&crate::Revision>,
    ) -> anyhow::Result<RowWriter> {
        let json = match format {
            Format::Csv => false,
            Format::Json => true,
            other => return Err(super::not_written("a streamed table", other)),
        };
        let delimiter = match dialect {
            Dialect::Standard => b',',
            Dialect::ExcelDa => b';',
        };
        let mut writer = RowWriter {
            columns,
            json,
            dialect,
            core: csv_core::WriterBuilder::new().delimiter(delimiter).build(),
            rows: 0,
            cells: Vec::new(),
        };
        if json {
            // The document as `write_json` writes it with no rows, up to its `[]`.
            let mut empty = Vec::new();
            super::write_json(&mut empty, &[] as &[()], as_of, revision)?;
            let cut = empty.len() - "[]\n}\n".len();
            buf.extend_from_slice(&empty[..cut]);
        } else {
            if dialect == Dialect::ExcelDa {
                buf.extend_from_slice("\u{feff}".as_bytes());
            }
            let columns = writer.columns.clone();
            writer.csv_record(buf, columns.iter().map(|c| c.as_bytes()));
        }
        Ok(writer)
    }

    /// One row, as long as the columns.
    pub fn row(&mut self, buf: &mut Vec<u8>, row: &[Cell]) {
        if self.json {
            buf.extend_from_slice(if self.rows == 0 { b"[\n" } else { b",\n" });
            buf.extend_from_slice(b"    {\n");
            for (i, (column, cell)) in self.columns.iter().zip(row).enumerate() {
                if i > 0 {
                    buf.extend_from_slice(b",\n");
                }
                buf.extend_from_slice(b"      ");
                // Writing to a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *buf, column);
                buf.extend_from_slice(b": ");
                json_value(buf, cell);
            }
            buf.extend_from_slice(b"\n    }");
        } else {
            let dialect = self.dialect;
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    put(buf, |out| self.core.delimiter(out));
                }
                // The text `csv_cell` gives, without a String per cell for the usual cells;
                // digits and days need no quotes.
                match cell {
                    Cell::Text(s) if !starts_like_formula(s) => {
                        self.csv_field(buf, s.as_bytes());
                    }
                    Cell::Number(n) if dialect == Dialect::Standard => {
                        self.csv_field(buf, n.as_bytes());
                    }
                    Cell::Blank => {}
                    Cell::Integer(i) => push_integer(buf, *i),
                    Cell::Date(d) if push_day(buf, *d) => {}
                    other => self.csv_field(buf, csv_cell(other, dialect).as_bytes()),
                }
            }
            // A record of one empty field is written `""`, as the csv crate writes it.
            if row.len() == 1 && csv_cell(&row[0], dialect).is_empty() {
                buf.extend_from_slice(b"\"\"");
            }
            put(buf, |out| self.core.terminator(out));
        }
        self.rows += 1;
    }

    /// One row of `plan export ledger` straight from the entry: the bytes of
    /// `row(&report::budget::ledger_cells(e))`, without the cells.
    pub fn ledger_entry(&mut self, buf: &mut Vec<u8>, e: &EntryRef<'_>) {
        if self.json && self.columns == crate::report::budget::LEDGER_COLUMNS {
            return self.json_ledger_entry(buf, e);
        }
        if self.json || self.columns.len() != 9 {
            let mut cells = std::mem::take(&mut self.cells);
            crate::report::budget::ledger_cells_into(&mut cells, e);
            self.row(buf, &cells);
            self.cells = cells;
            return;
        }
        self.csv_text(buf, Some(e.file));
        put(buf, |out| self.core.delimiter(out));
        push_integer(buf, i64::try_from(e.line).unwrap_or(i64::MAX));
        put(buf, |out| self.core.delimiter(out));
        if !push_day(buf, e.date) {
            let day = e.date.to_string();
            self.csv_field(buf, day.as_bytes());
        }
        for text in [e.budget, e.kind.word()] {
            put(buf, |out| self.core.delimiter(out));
            self.csv_text(buf, Some(text));
        }
        put(buf, |out| self.core.delimiter(out));
        let point = match self.dialect {
            Dialect::ExcelDa => b',',
            Dialect::Standard => b'.',
        };
        push_hundredths(buf, e.amount, point);
        for text in [e.unit, e.reference, e.note] {
            put(buf, |out| self.core.delimiter(out));
            self.csv_text(buf, text);
        }
        put(buf, |out| self.core.terminator(out));
        self.rows += 1;
    }

    /// [`RowWriter::ledger_entry`] in JSON.
    fn json_ledger_entry(&mut self, buf: &mut Vec<u8>, e: &EntryRef<'_>) {
        let text = |buf: &mut Vec<u8>, key: &[u8], value: Option<&str>| {
            buf.extend_from_slice(key);
            match value {
                // Writing to a Vec cannot fail.
                Some(s) => drop(serde_json::to_writer(&mut *buf, s)),
                None => buf.extend_from_slice(b"null"),
            }
        };
        buf.extend_from_slice(if self.rows == 0 { b"[\n" } else { b",\n" });
        text(buf, b"    {\n      \"file\": ", Some(e.file));
        buf.extend_from_slice(b",\n      \"line\": ");
        push_integer(buf, i64::try_from(e.line).unwrap_or(i64::MAX));
        buf.extend_from_slice(b",\n      \"date\": \"");
        if !push_day(buf, e.date) {
            buf.extend_from_slice(e.date.to_string().as_bytes());
        }
        buf.push(b'"');
        text(buf, b",\n      \"budget\": ", Some(e.budget));
        text(buf, b",\n      \"kind\": ", Some(e.kind.word()));
        // The amount as `figures::hundredths` writes it, a JSON number as written.
        buf.extend_from_slice(b",\n      \"amount\": ");
        push_hundredths(buf, e.amount, b'.');
        text(buf, b",\n      \"unit\": ", e.unit);
        text(buf, b",\n      \"ref\": ", e.reference);
        text(buf, b",\n      \"note\": ", e.note);
        buf.extend_from_slice(b"\n    }");
        self.rows += 1;
    }

    /// A text cell (or a blank one), guarded as `guard_text_cell` guards it.
    fn csv_text(&mut self, buf: &mut Vec<u8>, text: Option<&str>) {
        match text {
            None => {}
            Some(s) if starts_like_formula(s) => {
                self.csv_field(buf, super::guard_text_cell(s).as_bytes());
            }
            Some(s) => self.csv_field(buf, s.as_bytes()),
        }
    }

    /// The end of the table.
    pub fn finish(self, buf: &mut Vec<u8>) {
        if self.json {
            buf.extend_from_slice(if self.rows == 0 { b"[]" } else { b"\n  ]" });
            buf.extend_from_slice(b"\n}\n");
        }
    }

    /// One CSV record, quoted as the `csv` crate quotes it (both use csv_core's writer).
    fn csv_record<'a>(&mut self, buf: &mut Vec<u8>, fields: impl Iterator<Item = &'a [u8]>) {
        let mut count = 0;
        let mut last_empty = false;
        for (i, field) in fields.enumerate() {
            if i > 0 {
                put(buf, |out| self.core.delimiter(out));
            }
            self.csv_field(buf, field);
            count += 1;
            last_empty = field.is_empty();
        }
        // A record of one empty field is written `""`, as the csv crate writes it.
        if count == 1 && last_empty {
            buf.extend_from_slice(b"\"\"");
        }
        put(buf, |out| self.core.terminator(out));
    }
}

/// `i` in decimal, as `Display` writes it.
fn push_integer(buf: &mut Vec<u8>, i: i64) {
    if i < 0 {
        buf.push(b'-');
    }
    push_digits(buf, i.unsigned_abs());
}

/// A day of the years 0–9999 as `Display` writes it (`YYYY-MM-DD`); `false` (nothing
/// written) for another.
fn push_day(buf: &mut Vec<u8>, day: Date) -> bool {
    use chrono::Datelike;
    let Ok(year) = u32::try_from(day.year()) else {
        return false;
    };
    if year > 9999 {
        return false;
    }
    let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    buf.extend_from_slice(&two(year / 100));
    buf.extend_from_slice(&two(year % 100));
    buf.push(b'-');
    buf.extend_from_slice(&two(day.month()));
    buf.push(b'-');
    buf.extend_from_slice(&two(day.day()));
    true
}

/// A cell as `json_cell` makes it and serde_json writes it, without the `Value` for the
/// usual cells.
fn json_value(buf: &mut Vec<u8>, cell: &Cell) {
    use std::io::Write as _;
    // Writing to a Vec cannot fail.
    let _ = match cell {
        Cell::Text(s) => serde_json::to_writer(&mut *buf, s.as_str()).map_err(std::io::Error::from),
        Cell::Integer(i) => {
            push_integer(buf, *i);
            Ok(())
        }
        // A day is digits and dashes: nothing to escape.
        Cell::Date(d) => {
            buf.push(b'"');
            if !push_day(buf, *d) {
                let _ = write!(buf, "{d}");
            }
            buf.push(b'"');
            Ok(())
        }
        Cell::Bool(b) => write!(buf, "{b}"),
        Cell::Blank => buf.write_all(b"null"),
        Cell::Number(_) => {
            serde_json::to_writer(&mut *buf, &json_cell(cell)).map_err(std::io::Error::from)
        }
    };
}

impl RowWriter {
    /// One CSV field's bytes, quoted when it needs to be.
    fn csv_field(&mut self, buf: &mut Vec<u8>, field: &[u8]) {
        if !self.core.should_quote(field) {
            // As csv_core's `field` copies it (it does nothing else with such a field).
            buf.extend_from_slice(field);
            return;
        }
        let mut input = field;
        loop {
            let at = buf.len();
            buf.resize(at + 2 * input.len() + 8, 0);
            let (result, nin, nout) = self.core.field(input, &mut buf[at..]);
            buf.truncate(at + nout);
            input = &input[nin..];
            if result == WriteResult::InputEmpty {
                break;
            }
        }
    }
}

/// Append what `write` writes into a small output.
fn put(buf: &mut Vec<u8>, mut write: impl FnMut(&mut [u8]) -> (WriteResult, usize)) {
    let mut out = [0u8; 8];
    let (_, n) = write(&mut out);
    buf.extend_from_slice(&out[..n]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Table;

    fn streamed(table: &Table, format: Format, dialect: Dialect) -> Vec<u8> {
        let as_of: Date = "2024-05-01".parse().expect("date");
        let mut buf = Vec::new();
        let mut writer = RowWriter::start(
            &mut buf,
            table.columns.clone(),
            format,
            dialect,
            as_of,
            None,
        )
        .expect("start");
        for row in &table.rows {
            writer.row(&mut buf, row);
        }
        writer.finish(&mut buf);
        buf
    }

    fn whole(table: &Table, format: Format, dialect: Dialect) -> Vec<u8> {
        let mut out = Vec::new();
        let as_of: Date = "2024-05-01".parse().expect("date");
        super::super::write_table(&mut out, table, format, dialect, as_of, None).expect("write");
        out
    }

    #[test]
    fn a_ledger_entry_is_its_cells() {
        let as_of: Date = "2024-05-01".parse().expect("date");
        for (amount, unit, note) in [
            (5, Some("HR"), None),
            (-105, None, Some("=x")),
            (i64::MAX, Some("a,b;c"), Some("")),
            (i64::MIN, None, Some("\"q\"\nline")),
            (123_456_700, Some("Ældre"), Some("-n")),
        ] {
            let e = EntryRef {
                date: "2024-02-29".parse().expect("date"),
                budget: "b",
                kind: crate::model::EntryKind::Expense,
                amount,
                unit,
                reference: unit,
                note,
                file: "ledger/2024.csv",
                line: 7,
            };
            for (format, dialect) in [
                (Format::Csv, Dialect::Standard),
                (Format::Csv, Dialect::ExcelDa),
                (Format::Json, Dialect::Standard),
            ] {
                let columns = crate::report::budget::LEDGER_COLUMNS.to_vec();
                let (mut a, mut b) = (Vec::new(), Vec::new());
                let mut wa =
                    RowWriter::start(&mut a, columns.clone(), format, dialect, as_of, None)
                        .expect("start");
                let mut wb =
                    RowWriter::start(&mut b, columns, format, dialect, as_of, None).expect("start");
                for _ in 0..2 {
                    wa.ledger_entry(&mut a, &e);
                    wb.row(&mut b, &crate::report::budget::ledger_cells(&e));
                }
                wa.finish(&mut a);
                wb.finish(&mut b);
                assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
            }
        }
    }

    #[test]
    fn rows_written_one_by_one_are_the_tables_bytes() {
        let day: Date = "2023-02-03".parse().expect("date");
        let rows = vec![
            vec![
                Cell::Text("a,b".into()),
                Cell::Integer(-7),
                Cell::Date(day),
                Cell::Number("1234.50".into()),
                Cell::Blank,
                Cell::Bool(true),
            ],
            vec![
                Cell::Text("=SUM(A1)".into()),
                Cell::Integer(0),
                Cell::Date(day),
                Cell::Number("-0.05".into()),
                Cell::Text("\"quoted\"\nnew line; semi".into()),
                Cell::Text(String::new()),
            ],
            vec![
                Cell::Text("Ældre ø å \t tab".into()),
                Cell::Integer(i64::MIN),
                Cell::Date("0033-12-31".parse().expect("date")),
                Cell::Number("7".into()),
                Cell::Text(" space ".into()),
                Cell::Bool(false),
            ],
        ];
        let columns = vec!["file", "line", "date", "amount", "note", "flag"];
        for rows in [rows.clone(), Vec::new(), rows[..1].to_vec()] {
            let table = Table {
                columns: columns.clone(),
                rows,
            };
            for (format, dialect) in [
                (Format::Csv, Dialect::Standard),
                (Format::Csv, Dialect::ExcelDa),
                (Format::Json, Dialect::Standard),
            ] {
                assert_eq!(
                    String::from_utf8_lossy(&streamed(&table, format, dialect)),
                    String::from_utf8_lossy(&whole(&table, format, dialect)),
                    "{format:?} {dialect:?}"
                );
            }
        }
    }
}
