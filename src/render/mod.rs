//! Stage 5, render: report data → bytes. Printing happens only here and in `main`.

pub mod budget;
pub mod card;
pub mod charts;
pub mod diff;
pub mod html;
pub mod ics;
pub mod lang;
pub mod portfolio;
pub mod rows;
pub mod scores;
pub mod series;
pub mod status;
pub mod xlsx;

use std::io::Write;

use comfy_table::{ContentArrangement, Table as TextTable, presets};
use serde::Serialize;

use crate::model::Date;
use crate::report::{Cell, Table};

/// Output formats (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// Comma-separated values.
    Csv,
    /// JSON.
    Json,
    /// Markdown (GitHub-flavoured tables).
    Markdown,
    /// GitHub workflow annotations (`plan check` only).
    Github,
    /// A self-contained HTML page (`plan report` only).
    Html,
    /// An Excel workbook (`plan export` only).
    Xlsx,
    /// An iCalendar file of deadlines (`plan export milestones` only).
    Ics,
}

/// CSV dialects (`--dialect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Dialect {
    /// `,` delimiter, `.` decimals, UTF-8 without BOM.
    #[default]
    Standard,
    /// Danish Excel: `;` delimiter, decimal comma, UTF-8 with BOM.
    ExcelDa,
}

/// The exports of SPEC 7 that exist so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportReport {
    /// One row per initiative.
    Status,
    /// One row per milestone.
    Milestones,
    /// One row per criterion.
    Criteria,
    /// One row per budget (or per budget and period with `--by`).
    Budget,
    /// The merged ledger, one row per entry.
    Ledger,
    /// One row per indicator and wave: baseline, then each target.
    Scores,
    /// One row per reporting round: initiatives per status (SPEC 9.5).
    Rounds,
    /// One row per indicator and wave of its series: every wave with a value (SPEC 12.1).
    Series,
    /// One row per indicator and target wave: needed and planned change, and the gap
    /// (SPEC 12.4).
    Effects,
    /// Every export above, one sheet each, in one workbook (`-o FILE.xlsx` only; SPEC 14).
    All,
}

/// The error of a command asked for a file format (HTML, xlsx, ics) it does not write.
/// `output::choose` refuses these before a command runs; this is for the library's
/// own callers.
pub fn not_written(command: &str, format: Format) -> anyhow::Error {
    anyhow::anyhow!("{command} does not write {format:?}: choose csv, json, markdown or table")
}

/// Write a table in a machine or text format.
pub fn write_table(
    out: &mut dyn Write,
    table: &Table,
    format: Format,
    dialect: Dialect,
    as_of: Date,
    revision: Option<&crate::Revision>,
) -> anyhow::Result<()> {
    match format {
        Format::Csv => write_csv(out, table, dialect),
        Format::Json => write_json(out, &json_rows(table), as_of, revision),
        Format::Markdown => Ok(write_markdown(out, table)?),
        Format::Table | Format::Github => Ok(write_text_table(out, &text_table(table))?),
        Format::Html | Format::Xlsx | Format::Ics => Err(not_written("a table", format)),
    }
}

/// CSV as SPEC 7 says: header row, blank cell for a missing figure, text cells guarded
/// against formula injection, numbers left as numbers.
pub fn write_csv(out: &mut dyn Write, table: &Table, dialect: Dialect) -> anyhow::Result<()> {
    let delimiter = match dialect {
        Dialect::Standard => b',',
        Dialect::ExcelDa => {
            // Excel reads UTF-8 correctly only when the file starts with a BOM.
            out.write_all("\u{feff}".as_bytes())?;
            b';'
        }
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(out);
    writer.write_record(&table.columns)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|cell| csv_cell(cell, dialect)))?;
    }
    writer.flush()?;
    Ok(())
}

pub(crate) fn csv_cell(cell: &Cell, dialect: Dialect) -> String {
    match (cell, dialect) {
        (Cell::Text(s), _) => guard_text_cell(s),
        (Cell::Number(n), Dialect::ExcelDa) => n.replace('.', ","),
        (other, _) => other.display(),
    }
}

/// Whether a spreadsheet would read text starting like this as a formula (DOMAIN.md,
/// formula injection): `=`, `+`, `-`, `@`, a tab or a carriage return.
pub fn starts_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell that a spreadsheet would run as a formula gets a leading `'` (OWASP; quoting alone does not help).
pub fn guard_text_cell(s: &str) -> String {
    if starts_like_formula(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Rows as JSON objects keyed by column name.
pub fn json_rows(table: &Table) -> Vec<serde_json::Map<String, serde_json::Value>> {
    table
        .rows
        .iter()
        .map(|row| {
            table
                .columns
                .iter()
                .zip(row)
                .map(|(column, cell)| (column.to_string(), json_cell(cell)))
                .collect()
        })
        .collect()
}

pub(crate) fn json_cell(cell: &Cell) -> serde_json::Value {
    use serde_json::Value;
    match cell {
        Cell::Text(s) => Value::String(s.clone()),
        Cell::Number(n) => n
            .parse::<serde_json::Number>()
            .map_or_else(|_| Value::String(n.clone()), Value::Number),
        Cell::Integer(i) => Value::from(*i),
        Cell::Date(d) => Value::String(d.to_string()),
        Cell::Bool(b) => Value::Bool(*b),
        Cell::Blank => Value::Null,
    }
}

/// `{"format":1,"as_of":"…","revision":…,"rows":[…]}` (SPEC 7, 10.1), or any serializable
/// body in the same wrapper. `revision` is `null` outside a repository.
pub fn write_json<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    rows: &T,
    as_of: Date,
    revision: Option<&crate::Revision>,
) -> anyhow::Result<()> {
    #[derive(Serialize)]
    struct Document<'a, T: ?Sized> {
        format: u32,
        as_of: String,
        revision: Option<&'a crate::Revision>,
        rows: &'a T,
    }
    serde_json::to_writer_pretty(
        &mut *out,
        &Document {
            format: 1,
            as_of: as_of.to_string(),
            revision,
            rows,
        },
    )?;
    writeln!(out)?;
    Ok(())
}

pub use crate::source::visible;

/// Text for a Markdown table cell: `|` escaped, line breaks as spaces (a break ends the row),
/// control characters visible ([`visible`]).
pub fn md_cell(s: &str) -> String {
    visible(&s.replace(['\r', '\n'], " ")).replace('|', "\\|")
}

/// A GitHub-flavoured Markdown table; `|` and line breaks in cells are escaped.
pub fn write_markdown(out: &mut dyn Write, table: &Table) -> std::io::Result<()> {
    let escape = |s: String| md_cell(&s);
    writeln!(out, "| {} |", table.columns.join(" | "))?;
    writeln!(
        out,
        "|{}|",
        table
            .columns
            .iter()
            .map(|_| "---")
            .collect::<Vec<_>>()
            .join("|")
    )?;
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| escape(c.display())).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

/// A plain text table that fits the terminal when there is one.
pub fn text_table(table: &Table) -> TextTable {
    let mut text = new_text_table();
    text.set_header(table.columns.iter().copied());
    for row in &table.rows {
        text.add_row(row.iter().map(|c| visible(&c.display()).into_owned()));
    }
    text
}

/// Write a text table without the padding comfy-table leaves at the end of each line.
pub fn write_text_table(out: &mut dyn Write, table: &TextTable) -> std::io::Result<()> {
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Rows written as the house-style text table ([`new_text_table`]) writes them. When nothing
/// can wrap (standard output is not a terminal) and no cell holds a line break, the rows are
/// padded here, byte for byte as comfy-table pads them: comfy-table builds every cell of a
/// table before it writes a line, which was a third of `plan diff` on a history's 10,000
/// added updates. A terminal, or a cell of several lines, gets comfy-table itself.
pub fn write_text_rows<const N: usize>(
    out: &mut dyn Write,
    rows: &[[&str; N]],
) -> std::io::Result<()> {
    // Whether comfy-table wraps is asked of the terminal once a run: `plan log` writes a table
    // per commit, and each question is a system call (3 % of a walk of small commits).
    static WRAPS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let wraps = *WRAPS.get_or_init(|| new_text_table().width().is_some());
    if !wraps && let Some(widths) = padded_widths(rows) {
        return write_padded(out, rows, widths);
    }
    let mut table = new_text_table();
    for row in rows {
        table.add_row(row.iter().copied());
    }
    write_text_table(out, &table)
}

/// The widths of the columns comfy-table gives `rows` when it does not wrap: a column is as
/// wide as its widest cell, and at least 1. `None` when a cell holds a line break, or is too
/// wide for comfy-table's `u16` column widths with the padding (comfy-table then cuts it into
/// lines even off a terminal).
fn padded_widths<const N: usize>(rows: &[[&str; N]]) -> Option<[usize; N]> {
    let mut widths = [1; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            let cell_width = text_width(cell);
            if cell.contains('\n') || cell_width + 2 > usize::from(u16::MAX) {
                return None;
            }
            *width = cell_width.max(*width);
        }
    }
    Some(widths)
}

/// `rows` padded to `widths`, a blank either side of each cell, the blanks at the end of a
/// line left out.
fn write_padded<const N: usize>(
    out: &mut dyn Write,
    rows: &[[&str; N]],
    widths: [usize; N],
) -> std::io::Result<()> {
    // One line buffer for the table, as wide as its widest line (`plan log` writes a table
    // per commit).
    let mut line = String::with_capacity(widths.iter().sum::<usize>() + 2 * N + 1);
    for row in rows {
        line.clear();
        for (cell, width) in row.iter().zip(widths) {
            line.push(' ');
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', width - text_width(cell) + 1));
        }
        line.truncate(line.trim_end().len());
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// The columns a text takes in a terminal, as comfy-table measures it (`unicode-width`):
/// printable ASCII, a column a byte, is not looked up character by character.
fn text_width(text: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    // Folded rather than searched: a loop without an early exit is checked many bytes at a
    // time (every cell of every table of a walk is measured).
    if text
        .bytes()
        .fold(true, |all, b| all & (b' '..=b'~').contains(&b))
    {
        text.len()
    } else {
        text.width()
    }
}

/// The house style of text tables: no borders, wrapped to the terminal's width.
pub fn new_text_table() -> TextTable {
    let mut text = TextTable::new();
    text.load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic);
    text
}

/// Wrap `word` in an ANSI colour when `color` is on.
pub fn paint(word: &str, code: &str, color: bool) -> String {
    if color {
        format!("\u{1b}[{code}m{word}\u{1b}[0m")
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A title with a `|` or a line break stays in its cell and its row, in every Markdown
    /// table (the status screen's and the card's too).
    #[test]
    fn a_markdown_cell_keeps_its_row() {
        assert_eq!(md_cell("Rum | lys\r\nog luft"), "Rum \\| lys  og luft");
    }

    /// ESC, BEL and the other controls reach no terminal raw; line breaks and tabs stay.
    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(visible("Rød\u{1b}[31m tekst\u{7}"), "Rød^[[31m tekst^G");
        assert_eq!(visible("a\r\nb\tc\u{7f}\u{9b}"), "a^M\nb\tc^?\\u{9b}");
        assert!(matches!(
            visible("Plan"),
            std::borrow::Cow::Borrowed("Plan")
        ));
        assert_eq!(md_cell("x\u{1b}]0;title\u{7}"), "x^[]0;title^G");
    }

    /// The rows padded by [`write_text_rows`] are the lines comfy-table writes: wide and
    /// zero-width characters, tabs, controls made visible, empty cells and trailing blanks.
    #[test]
    fn padded_rows_are_comfy_tables() {
        let rows = [
            ["initiative", "I1", "summary: Rød → grøn"],
            ["milestone", "I1/I1-M0", ""],
            ["update", "", "added: 漢字 og 🌍 e\u{301}\tfane"],
            ["", "Ω", "slutter med mellemrum  "],
            ["budget figures", "x^[[31m", "^G"],
            [&"lang ".repeat(30), "", "a"],
        ];
        let widths = padded_widths(&rows).unwrap();
        let mut ours = Vec::new();
        write_padded(&mut ours, &rows, widths).unwrap();
        let mut table = new_text_table();
        table.force_no_tty();
        for row in rows {
            table.add_row(row);
        }
        let mut comfy = Vec::new();
        write_text_table(&mut comfy, &table).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(comfy).unwrap()
        );
        assert_eq!(padded_widths(&[["a\nb"]]), None);
    }

    #[test]
    fn formula_guard() {
        assert_eq!(guard_text_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(guard_text_cell("-x"), "'-x");
        assert_eq!(guard_text_cell("\tx"), "'\tx");
        assert_eq!(guard_text_cell("Plan"), "Plan");
    }

    #[test]
    fn numbers_stay_numbers_and_text_is_guarded() {
        let table = Table {
            columns: vec!["title", "amount"],
            rows: vec![vec![
                Cell::Text("=1+1".into()),
                Cell::Number("-0.25".into()),
            ]],
        };
        let mut plain = Vec::new();
        write_csv(&mut plain, &table, Dialect::Standard).expect("csv");
        assert_eq!(
            String::from_utf8_lossy(&plain),
            "title,amount\n'=1+1,-0.25\n"
        );
        let mut danish = Vec::new();
        write_csv(&mut danish, &table, Dialect::ExcelDa).expect("csv");
        assert_eq!(
            String::from_utf8_lossy(&danish),
            "\u{feff}title;amount\n'=1+1;-0,25\n"
        );
    }
}
