//! Stage 4, report: pure functions from the model and the as-of date to plain data.
//! No I/O here; renderers in the `render` module (the stage above) turn these into text, CSV, JSON or Markdown.

pub mod budget;
pub mod checks;
pub mod diff;
pub mod initiatives;
pub mod missed;
pub mod page;
pub mod portfolio;
pub mod rounds;
pub mod scores;
pub mod series;

pub mod shares;
pub mod slip;
pub mod status;

use serde::Serialize;

use crate::model::{Date, STATUS_WORDS, StatusLabels};

/// The plan's own word (`[labels]`) for the status written `word`, when it has one: the one
/// lookup the list, the status screen and the page share.
pub fn status_label<'p>(labels: &'p StatusLabels, word: &str) -> Option<&'p str> {
    STATUS_WORDS
        .iter()
        .position(|w| *w == word)
        .and_then(|i| labels.get(i))
}

/// One cell of an export row. The kind decides how each renderer writes it: text is
/// guarded against formula injection in CSV, numbers stay numbers, blanks are empty / null.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// Free text from the plan files or a status word.
    Text(String),
    /// A number already formatted with `.` as decimal point and the export's precision.
    Number(String),
    /// An integer count.
    Integer(i64),
    /// A day.
    Date(Date),
    /// true / false.
    Bool(bool),
    /// A figure that does not exist.
    Blank,
}

impl Cell {
    /// Text, or blank when absent.
    pub fn text(value: Option<&str>) -> Cell {
        value.map_or(Cell::Blank, |s| Cell::Text(s.to_string()))
    }

    /// A date, or blank when absent.
    pub fn date(value: Option<Date>) -> Cell {
        value.map_or(Cell::Blank, Cell::Date)
    }

    /// A date as written (SPEC 9.3): a date cell, or the period's text.
    pub fn when(value: &crate::model::When) -> Cell {
        match &value.period {
            Some(p) => Cell::Text(p.clone()),
            None => Cell::Date(value.date),
        }
    }

    /// The cell as plain text, for tables and Markdown.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Number(s) => s.clone(),
            Cell::Integer(i) => i.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Blank => String::new(),
        }
    }
}

/// A report as rows with stable columns: what every export and machine format writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column names, in order.
    pub columns: Vec<&'static str>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The same rows with only the named columns, in the order named (unknown names are skipped).
    pub fn select(&self, names: &[&'static str]) -> Table {
        let indices: Vec<usize> = names
            .iter()
            .filter_map(|n| self.columns.iter().position(|c| c == n))
            .collect();
        Table {
            columns: indices.iter().map(|&i| self.columns[i]).collect(),
            rows: self
                .rows
                .iter()
                .map(|row| indices.iter().map(|&i| row[i].clone()).collect())
                .collect(),
        }
    }
}
