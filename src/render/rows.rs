//! A table written row by row, as it is computed, in exactly the bytes [`super::write_table`]
//! writes for CSV and JSON (`plan export ledger` streams its rows; issue 19). Each call
//! appends to a byte buffer the caller owns and empties when it likes.

use csv_core::WriteResult;

use super::{Dialect, Format, csv_cell, json_cell};
use crate::model::Date;
use crate::report::Cell;

/// Rows of one table in CSV or JSON, formatted one at a time.
pub struct RowWriter {
    columns: Vec<&'static str>,
    json: bool,
    dialect: Dialect,
    core: csv_core::Writer,
    rows: usize,
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
                let _ = serde_json::to_writer(&mut *buf, &json_cell(cell));
            }
            buf.extend_from_slice(b"\n    }");
        } else {
            let dialect = self.dialect;
            let cells: Vec<String> = row.iter().map(|c| csv_cell(c, dialect)).collect();
            self.csv_record(buf, cells.iter().map(String::as_bytes));
        }
        self.rows += 1;
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

/// Append what `write` writes into a small output.
fn put(buf: &mut Vec<u8>, mut write: impl FnMut(&mut [u8]) -> (WriteResult, usize)) {
    let mut out = [0u8; 8];
    let (_, n) = write(&mut out);
    buf.extend_from_slice(&out[..n]);
}
