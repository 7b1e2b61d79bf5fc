//! Stage 5, render: export tables → an Excel workbook (SPEC 14), one sheet per table.
//!
//! Cells keep their kind: a date is a date, money and figures are numbers with as many
//! decimals as the CSV export writes, shares (`*_pct` columns) are percentages, and text is
//! always written as a string, so that a title starting with `=` never becomes a formula. The
//! number formats are Excel's locale-independent codes (`#,##0.00`): Excel shows them with
//! the reader's own separators, `1.234,50` in Danish, `1,234.50` in English. `--lang` names the
//! sheets and chooses how dates are shown; the header keeps the CSV export's column names.

use std::io::Write;

use rust_xlsxwriter::{DocProperties, Format as CellFormat, Workbook, Worksheet};

use crate::model::Date;
use crate::render::lang::Lang;
use crate::report::{Cell, Table};

/// One sheet: its name and its rows.
#[derive(Debug, Clone, Copy)]
pub struct Sheet<'a> {
    /// The sheet's tab name (at most 31 characters).
    pub name: &'a str,
    /// The export's rows, as the CSV export writes them.
    pub table: &'a Table,
}

/// Write a workbook with one sheet per table. `as_of` is the document's date, so that the same
/// plan on the same date gives the same bytes.
pub fn write_workbook(
    out: &mut dyn Write,
    sheets: &[Sheet<'_>],
    lang: Lang,
    as_of: Date,
) -> anyhow::Result<()> {
    let mut book = Book::new(lang, as_of);
    for sheet in sheets {
        book.sheet(*sheet)?;
    }
    book.save(out)
}

/// A workbook made sheet after sheet: sheets of whole tables ([`Book::sheet`]) and sheets
/// written a row at a time ([`Book::rows`], `plan export ledger` as the ledger is read;
/// issue 19), in the order they are added.
pub struct Book {
    workbook: Workbook,
    lang: Lang,
}

impl Book {
    /// An empty workbook dated `as_of` (the same plan on the same date gives the same
    /// cells).
    pub fn new(lang: Lang, as_of: Date) -> Book {
        let mut workbook = Workbook::new();
        let created = as_of.and_hms_opt(0, 0, 0).unwrap_or_default();
        workbook.set_properties(
            &DocProperties::new()
                .set_creation_datetime(&created)
                .set_author("plan"),
        );
        Book { workbook, lang }
    }

    /// Add a sheet of a whole table.
    pub fn sheet(&mut self, sheet: Sheet<'_>) -> anyhow::Result<()> {
        let worksheet = self.workbook.add_worksheet();
        worksheet.set_name(sheet.name)?;
        write_sheet(worksheet, sheet.table, self.lang)
    }

    /// A sheet of `columns` written a row at a time into a temporary file
    /// (rust_xlsxwriter's constant-memory mode), not yet in the workbook: its header is
    /// written; [`Book::push`] adds it once its rows are.
    pub fn rows(&mut self, name: &str, columns: &[&'static str]) -> anyhow::Result<RowSheet> {
        let mut worksheet = self.workbook.new_worksheet_with_constant_memory()?;
        worksheet.set_name(name)?;
        let mut sheet = RowSheet {
            worksheet,
            columns: columns.to_vec(),
            cells: Cells::new(self.lang),
            rows: 0,
            widths: vec![0; columns.len()],
        };
        let header = CellFormat::new().set_bold();
        for (col, name) in columns.iter().enumerate() {
            sheet
                .worksheet
                .write_string_with_format(0, column(col)?, *name, &header)?;
            // As `autofit` measures a header under an autofilter.
            sheet.widths[col] = fitted(text_width(name) + 16);
        }
        Ok(sheet)
    }

    /// Add a sheet made by [`Book::rows`], after the sheets added before.
    pub fn push(&mut self, mut sheet: RowSheet) -> anyhow::Result<()> {
        let worksheet = &mut sheet.worksheet;
        let last_col = column(sheet.columns.len().saturating_sub(1))?;
        worksheet.set_freeze_panes(1, 0)?;
        worksheet.autofilter(0, 0, sheet.rows, last_col)?;
        for (col, width) in sheet.widths.iter().enumerate() {
            if *width > 0 {
                worksheet.set_column_autofit_width(column(col)?, *width)?;
            }
        }
        self.workbook.push_worksheet(sheet.worksheet);
        Ok(())
    }

    /// Write the workbook to `out`. It is put together in an anonymous temporary file (the
    /// zip writer needs an output it can send between threads), then copied: the memory
    /// does not grow with the sheets.
    pub fn save(mut self, out: &mut dyn Write) -> anyhow::Result<()> {
        use std::io::Seek as _;
        let mut file = tempfile::tempfile()?;
        let mut writer = std::io::BufWriter::new(&file);
        self.workbook.save_to_writer(&mut writer)?;
        writer.flush()?;
        drop(writer);
        file.rewind()?;
        std::io::copy(&mut file, out)?;
        Ok(())
    }
}

/// A sheet written a row at a time (see [`Book::rows`]): the cells of each row are those a
/// sheet of the whole table has, and its columns are fitted as `autofit` fits them.
pub struct RowSheet {
    worksheet: Worksheet,
    columns: Vec<&'static str>,
    cells: Cells,
    /// Rows written after the header.
    rows: u32,
    /// Per column, the widest cell so far, in pixels as `autofit` counts them.
    widths: Vec<u32>,
}

impl RowSheet {
    /// Write the next row, as long as the columns.
    pub fn row(&mut self, cells: &[Cell]) -> anyhow::Result<()> {
        let row = self
            .rows
            .checked_add(1)
            .ok_or_else(|| anyhow::anyhow!("too many rows for a sheet"))?;
        for (col, (name, cell)) in self.columns.iter().zip(cells).enumerate() {
            self.cells
                .write(&mut self.worksheet, row, column(col)?, name, cell)?;
            let width = fitted(cell_width(name, cell));
            if width > self.widths[col] {
                self.widths[col] = width;
            }
        }
        self.rows = row;
        Ok(())
    }
}

/// A cell's width in pixels before padding, as `Worksheet::autofit` measures it (without
/// its `enhanced_autofit` feature).
fn cell_width(column: &str, cell: &Cell) -> u32 {
    let number = |value: f64| 7 * u32::try_from(value.to_string().len()).unwrap_or(u32::MAX / 8);
    match cell {
        Cell::Text(text) => text_width(text),
        Cell::Number(text) => match text.parse::<f64>() {
            Ok(value) if is_share(column) => number(value / 100.0),
            Ok(value) => number(value),
            Err(_) => text_width(text),
        },
        // Counts, day differences and ordinals are far below 2^53: exact as f64.
        #[allow(clippy::cast_precision_loss)]
        Cell::Integer(n) => number(*n as f64),
        Cell::Date(_) => 68,
        Cell::Bool(true) => 31,
        Cell::Bool(false) => 36,
        Cell::Blank => 0,
    }
}

/// A text's width in pixels, its widest line, as `autofit` measures it.
fn text_width(text: &str) -> u32 {
    text.lines()
        .map(|line| rust_xlsxwriter::utility::cell_autofit_width(line) - 7)
        .max()
        .unwrap_or(0)
}

/// A measured width with `autofit`'s cell padding, within Excel's limit.
fn fitted(width: u32) -> u32 {
    if width == 0 { 0 } else { (width + 7).min(1790) }
}

/// The date format of a language, as its tables write dates: `30-06-2014` / `30 Jun 2014`.
fn date_format(lang: Lang) -> &'static str {
    match lang {
        Lang::Da => "dd-mm-yyyy",
        Lang::En => "d mmm yyyy",
    }
}

/// Writes cells with their kind and format (the formats made once each).
struct Cells {
    date: CellFormat,
    /// One format per kind and number of decimals: a big ledger has hundreds of thousands
    /// of amounts and a handful of formats.
    formats: std::collections::HashMap<(bool, usize), CellFormat>,
}

impl Cells {
    fn new(lang: Lang) -> Cells {
        Cells {
            date: CellFormat::new().set_num_format(date_format(lang)),
            formats: std::collections::HashMap::new(),
        }
    }

    /// One cell of the column `name`.
    fn write(
        &mut self,
        worksheet: &mut Worksheet,
        row: u32,
        col: u16,
        name: &str,
        cell: &Cell,
    ) -> anyhow::Result<()> {
        match cell {
            // Always a string: never a formula, whatever the text starts with.
            Cell::Text(text) => {
                worksheet.write_string(row, col, text)?;
            }
            Cell::Number(text) => match text.parse::<f64>() {
                Ok(value) => {
                    let share = is_share(name);
                    let format = self
                        .formats
                        .entry((share, decimals(text)))
                        .or_insert_with(|| {
                            let code = if share {
                                percent_format(text)
                            } else {
                                number_format(text)
                            };
                            CellFormat::new().set_num_format(code)
                        });
                    let value = if share { value / 100.0 } else { value };
                    worksheet.write_number_with_format(row, col, value, format)?;
                }
                // A figure the export could not write as a number stays its text.
                Err(_) => {
                    worksheet.write_string(row, col, text)?;
                }
            },
            Cell::Integer(n) => {
                // Counts, day differences and ordinals are far below 2^53: exact as f64.
                #[allow(clippy::cast_precision_loss)]
                worksheet.write_number(row, col, *n as f64)?;
            }
            Cell::Date(day) => {
                worksheet.write_date_with_format(row, col, day, &self.date)?;
            }
            Cell::Bool(b) => {
                worksheet.write_boolean(row, col, *b)?;
            }
            Cell::Blank => {}
        }
        Ok(())
    }
}

fn write_sheet(worksheet: &mut Worksheet, table: &Table, lang: Lang) -> anyhow::Result<()> {
    let header = CellFormat::new().set_bold();
    let mut cells = Cells::new(lang);
    for (col, name) in table.columns.iter().enumerate() {
        worksheet.write_string_with_format(0, column(col)?, *name, &header)?;
    }
    for (index, row_cells) in table.rows.iter().enumerate() {
        let row = u32::try_from(index + 1)?;
        for (col, (name, cell)) in table.columns.iter().zip(row_cells).enumerate() {
            cells.write(worksheet, row, column(col)?, name, cell)?;
        }
    }
    let last_row = u32::try_from(table.rows.len())?;
    let last_col = column(table.columns.len().saturating_sub(1))?;
    worksheet.set_freeze_panes(1, 0)?;
    worksheet.autofilter(0, 0, last_row, last_col)?;
    worksheet.autofit();
    Ok(())
}

fn column(index: usize) -> anyhow::Result<u16> {
    Ok(u16::try_from(index)?)
}

/// A column of shares written in per cent (`spent_pct`: `83.2` means 83.2 %).
fn is_share(column: &str) -> bool {
    column.ends_with("_pct")
}

/// Decimals of a number as the export wrote it: `500000.00` → 2.
fn decimals(text: &str) -> usize {
    text.split_once('.')
        .map_or(0, |(_, fraction)| fraction.len())
}

/// `#,##0.00` for a number written with two decimals: thousands grouped, the decimals kept.
fn number_format(text: &str) -> String {
    match decimals(text) {
        0 => "#,##0".to_string(),
        n => format!("#,##0.{}", "0".repeat(n)),
    }
}

/// `0.0%` for a share written with one decimal.
fn percent_format(text: &str) -> String {
    match decimals(text) {
        0 => "0%".to_string(),
        n => format!("0.{}%", "0".repeat(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_keep_the_exports_decimals() {
        assert_eq!(number_format("500000.00"), "#,##0.00");
        assert_eq!(number_format("6.8000"), "#,##0.0000");
        assert_eq!(number_format("12"), "#,##0");
        assert_eq!(percent_format("83.2"), "0.0%");
        assert_eq!(percent_format("100"), "0%");
    }
}
