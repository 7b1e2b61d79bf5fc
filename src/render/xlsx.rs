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
    let mut workbook = Workbook::new();
    let created = as_of.and_hms_opt(0, 0, 0).unwrap_or_default();
    workbook.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("plan"),
    );
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(sheet.name)?;
        write_sheet(worksheet, sheet.table, lang)?;
    }
    out.write_all(&workbook.save_to_buffer()?)?;
    Ok(())
}

/// The date format of a language, as its tables write dates: `30-06-2014` / `30 Jun 2014`.
fn date_format(lang: Lang) -> &'static str {
    match lang {
        Lang::Da => "dd-mm-yyyy",
        Lang::En => "d mmm yyyy",
    }
}

fn write_sheet(worksheet: &mut Worksheet, table: &Table, lang: Lang) -> anyhow::Result<()> {
    let header = CellFormat::new().set_bold();
    let date = CellFormat::new().set_num_format(date_format(lang));
    let mut formats: std::collections::HashMap<(bool, usize), CellFormat> =
        std::collections::HashMap::new();
    for (col, name) in table.columns.iter().enumerate() {
        worksheet.write_string_with_format(0, column(col)?, *name, &header)?;
    }
    for (index, cells) in table.rows.iter().enumerate() {
        let row = u32::try_from(index + 1)?;
        for (col, (name, cell)) in table.columns.iter().zip(cells).enumerate() {
            let col = column(col)?;
            match cell {
                // Always a string: never a formula, whatever the text starts with.
                Cell::Text(text) => {
                    worksheet.write_string(row, col, text)?;
                }
                Cell::Number(text) => match text.parse::<f64>() {
                    Ok(value) => {
                        let share = is_share(name);
                        // One format per kind and number of decimals: a big ledger has
                        // hundreds of thousands of amounts and a handful of formats.
                        let format = formats.entry((share, decimals(text))).or_insert_with(|| {
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
                    worksheet.write_date_with_format(row, col, day, &date)?;
                }
                Cell::Bool(b) => {
                    worksheet.write_boolean(row, col, *b)?;
                }
                Cell::Blank => {}
            }
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
