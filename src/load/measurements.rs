//! Stage 2, load: the measurement files (SPEC 9.1) → the values of measured indicators.
//!
//! Each entry of `measurements` in `plan.toml` is a path or a glob relative to the plan
//! directory (default `measurements.csv`, which may be absent). Every file goes through the
//! shared CSV reader ([`super::csv`]), so the dialects of SPEC 1.5 hold as for the ledger.
//! Like the survey files, these are read after validation: a row is checked against the
//! validated indicators (measured, not surveyed) and their waves. Measurement files are
//! small (a few figures a year), so they are always read whole.

use foldhash::{HashMap, HashSet};
use std::path::PathBuf;

use anyhow::{Context, Result};
use rust_decimal::Decimal;

use super::csv::{self, Dialect, Field, HeaderProblem};
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Date, Indicator, Measurement, Plan, Source};
use crate::source::{FileId, Sources};
use crate::tree::{self, Tree};
use crate::validate::values::{DateLimits, Dated};

/// Columns every measurement file must have.
pub const REQUIRED: [&str; 4] = ["indicator", "wave", "date", "value"];
/// Columns a measurement file may have.
pub const OPTIONAL: [&str; 2] = ["unit", "note"];

/// Read every measurement file the plan names into `plan.measurements`. A plain path that does
/// not exist is skipped: validation has reported a declared one (E013), and the default
/// `measurements.csv` may be absent. `Err` only when a file cannot be read at all.
pub fn load_measurements(
    plan: &mut Plan,
    declared: &HashSet<&str>,
    today: Option<Date>,
    tree: &dyn Tree,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<()> {
    let mut checker = Checker {
        indicators: &plan.indicators,
        limits: DateLimits::new(plan.period.end, today),
        declared,
        seen: HashMap::default(),
        rows: Vec::new(),
    };
    let mut read: HashSet<PathBuf> = HashSet::default();
    for pattern in &plan.measurement_files {
        let paths = match tree::glob(tree, pattern) {
            Ok(paths) => paths,
            Err(why) => {
                diags.push(Diagnostic {
                    code: Code::InvalidValue,
                    file: None,
                    span: None,
                    message: format!("measurements pattern `{pattern}` is not a valid glob: {why}"),
                    label: None,
                    help: Some("write a path or a glob such as `measurements/*.csv`".into()),
                    also: Vec::new(),
                });
                continue;
            }
        };
        for path in paths {
            if !read.insert(tree.identity(&path)) {
                continue;
            }
            let display = tree.display(&path);
            if let Some(escape) = tree.escapes(&path) {
                let file = sources.add(display, String::new());
                diags.push(Diagnostic::in_file(Code::PathOutsidePlan, file, escape));
                continue;
            }
            // Never opened unless a regular file: a named pipe would block for ever.
            let entry = tree
                .entry(&path)
                .with_context(|| format!("cannot read {display}"))?;
            if let Some(what) = entry.not_a_file() {
                let file = sources.add(display.clone(), String::new());
                diags.push(
                    Diagnostic::in_file(
                        Code::NotText,
                        file,
                        format!("`{display}` is {what}, not a file"),
                    )
                    .with_help("measurements must be CSV files"),
                );
                continue;
            }
            let Some(file) =
                super::read_csv_text(tree, &path, "save the measurements as CSV", sources, diags)?
            else {
                continue;
            };
            checker.file(file, &display, &sources.get(file).text, diags);
        }
    }
    plan.measurements = checker.rows;
    Ok(())
}

/// The column indexes of one file.
#[derive(Debug, Clone, Copy)]
struct Columns {
    indicator: usize,
    wave: usize,
    date: usize,
    value: usize,
    unit: Option<usize>,
    note: Option<usize>,
}

/// Checks rows against the indicators and collects the good ones.
struct Checker<'a> {
    indicators: &'a [Indicator],
    /// How far ahead a row's date may lie (W005).
    limits: DateLimits,
    /// Every indicator id plan.toml declares, valid or not: a row for an indicator that failed
    /// validation is skipped, not reported as unknown (its own error says enough).
    declared: &'a HashSet<&'a str>,
    /// (indicator, wave, unit) → where its first row is: file and line.
    seen: HashMap<(String, String, Option<String>), (String, usize)>,
    rows: Vec<Measurement>,
}

impl Checker<'_> {
    fn file(&mut self, file: FileId, display: &str, text: &str, diags: &mut Diagnostics) {
        let Some((header, c)) = header(file, text, diags) else {
            return;
        };
        for record in csv::records(text, &header) {
            match record {
                Err(problem) => diags.push(
                    Diagnostic::at(Code::CsvSyntax, file, problem.span, problem.message)
                        .with_help("each row needs one field per header column; quote a field that contains the delimiter"),
                ),
                Ok(record) => {
                    let field = |i: usize| record.fields.get(i);
                    let (Some(indicator), Some(wave), Some(date), Some(value)) =
                        (field(c.indicator), field(c.wave), field(c.date), field(c.value))
                    else {
                        continue;
                    };
                    let row = Row {
                        line: record.line,
                        indicator,
                        wave,
                        date,
                        value,
                        unit: c.unit.and_then(field),
                        note: c.note.and_then(field),
                    };
                    self.row(file, display, header.dialect, &row, diags);
                }
            }
        }
    }

    fn row(
        &mut self,
        file: FileId,
        display: &str,
        dialect: Dialect,
        row: &Row<'_>,
        diags: &mut Diagnostics,
    ) {
        let id = row.indicator.value.trim();
        if self.declared.contains(id) && !self.indicators.iter().any(|i| i.id == id) {
            return;
        }
        let indicator = find_indicator(self.indicators, file, id, &row.indicator.span, diags);
        let wave = row.wave.value.trim();
        // Any wave may have a value: the indicator's series is every wave that has one
        // (SPEC 12.1), not only its baseline and targets. A blank one names none.
        let wave_ok = !wave.is_empty();
        if !wave_ok {
            diags.push(
                Diagnostic::at(
                    Code::InvalidValue,
                    file,
                    row.wave.span.clone(),
                    "a measurement row needs a wave",
                )
                .with_help("write the wave (usually the year) the value belongs to"),
            );
        }
        let date = match csv::parse_date(&row.date.value) {
            Ok(date) => {
                let span = row.date.span.clone();
                let what = "the measurement's date";
                if let Some(w) = self.limits.warning(file, span, what, date, Dated::Recorded) {
                    diags.push(w);
                }
                Some(date)
            }
            Err(message) => {
                diags.push(Diagnostic::at(
                    Code::InvalidDate,
                    file,
                    row.date.span.clone(),
                    message,
                ));
                None
            }
        };
        let value = match csv::parse_decimal(&row.value.value, dialect) {
            Ok(value) => Some(value),
            Err(message) => {
                diags.push(Diagnostic::at(
                    Code::InvalidNumber,
                    file,
                    row.value.span.clone(),
                    message,
                ));
                None
            }
        };
        let value =
            value.filter(|v| indicator.is_none_or(|ind| on_scale(ind, *v, file, row.value, diags)));
        let (Some(ind), true, Some(date), Some(value)) = (indicator, wave_ok, date, value) else {
            return;
        };
        let text = |f: Option<&Field>| {
            f.map(|f| f.value.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let unit = text(row.unit);
        let key = (ind.id.clone(), wave.to_string(), unit.clone());
        if let Some((first_file, first_line)) = self.seen.get(&key) {
            let whose = match &unit {
                Some(unit) => format!("unit `{unit}`"),
                None => "the whole organisation".to_string(),
            };
            diags.push(
                Diagnostic::at(
                    Code::DuplicateMeasurement,
                    file,
                    row.indicator.span.start..row.value.span.end.max(row.indicator.span.start),
                    format!(
                        "indicator `{}` has a second value for {whose} in wave `{wave}`",
                        ind.id
                    ),
                )
                .with_label(if first_file == display {
                    format!("the first is on line {first_line}")
                } else {
                    format!("the first is in {first_file}, line {first_line}")
                })
                .with_help("keep one value per indicator, wave and unit: correct a figure in place (git keeps the old one)"),
            );
            return;
        }
        self.seen.insert(key, (display.to_string(), row.line));
        self.rows.push(Measurement {
            indicator: ind.id.clone(),
            wave: wave.to_string(),
            date,
            value,
            unit,
            note: text(row.note),
        });
    }
}

/// The measured indicator a row names: E008 when unknown, E305 when it is a survey's.
fn find_indicator<'i>(
    indicators: &'i [Indicator],
    file: FileId,
    id: &str,
    span: &std::ops::Range<usize>,
    diags: &mut Diagnostics,
) -> Option<&'i Indicator> {
    match indicators.iter().find(|i| i.id == id) {
        Some(ind) if ind.source == Source::Measurement => Some(ind),
        Some(_) => {
            diags.push(
                    Diagnostic::at(
                        Code::MeasurementForSurvey,
                        file,
                        span.clone(),
                        format!("indicator `{id}` is a survey indicator; its figures come from its [[survey]] files"),
                    )
                    .with_help("set `source = \"measurement\"` on the indicator if its figures are measured, or remove the row"),
                );
            None
        }
        None => {
            let d = Diagnostic::at(
                Code::UnknownReference,
                file,
                span.clone(),
                format!("indicator `{id}` is not defined in plan.toml"),
            );
            let measured = indicators
                .iter()
                .filter(|i| i.source == Source::Measurement)
                .map(|i| i.id.as_str());
            diags.push(match did_you_mean(id, measured) {
                    Some(near) => d.with_label(format!("did you mean `{near}`?")),
                    None => d.with_help("define an [[indicator]] with `source = \"measurement\"` and this id, or fix the id"),
                });
            None
        }
    }
}

/// E201 when a measured value is off the indicator's (optional) scale.
fn on_scale(
    ind: &Indicator,
    value: Decimal,
    file: FileId,
    field: &Field,
    diags: &mut Diagnostics,
) -> bool {
    let (Some(min), Some(max)) = (ind.scale_min, ind.scale_max) else {
        return true;
    };
    if min <= value && value <= max {
        return true;
    }
    diags.push(
        Diagnostic::at(
            Code::ScoreOutsideScale,
            file,
            field.span.clone(),
            format!(
                "value {value} is outside the scale {min}..{max} of indicator `{}`",
                ind.id
            ),
        )
        .with_help("fix the value, or correct the indicator's `scale`"),
    );
    false
}

/// One data row, its fields with their spans.
struct Row<'a> {
    line: usize,
    indicator: &'a Field,
    wave: &'a Field,
    date: &'a Field,
    value: &'a Field,
    unit: Option<&'a Field>,
    note: Option<&'a Field>,
}

/// The header of a measurement file; problems become diagnostics (E102, W004).
fn header(file: FileId, text: &str, diags: &mut Diagnostics) -> Option<(csv::Header, Columns)> {
    let canonical = REQUIRED
        .iter()
        .chain(&OPTIONAL)
        .copied()
        .collect::<Vec<_>>()
        .join(",");
    let header = match csv::detect_header(text, &REQUIRED) {
        Ok(header) => header,
        Err(HeaderProblem::Empty) => {
            diags.push(
                Diagnostic::in_file(
                    Code::MissingColumn,
                    file,
                    "the measurement file is empty: it has no header line",
                )
                .with_help(format!("start it with the line `{canonical}`")),
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
                    format!(
                        "the measurement file has no column{plural} {}",
                        names.join(", ")
                    ),
                )
                .with_help(format!(
                    "the header needs indicator, wave, date and value: `{canonical}`"
                )),
            );
            return None;
        }
    };
    let mut used: HashSet<usize> = HashSet::default();
    let mut index = |name: &str| {
        let i = header.index_of(name);
        used.extend(i);
        i
    };
    let [indicator, wave, date, value] = REQUIRED.map(&mut index);
    let [unit, note] = OPTIONAL.map(&mut index);
    for (i, column) in header.columns.iter().enumerate() {
        if !used.contains(&i) {
            diags.push(
                Diagnostic::at(
                    Code::ExtraColumn,
                    file,
                    column.span.clone(),
                    format!(
                        "column `{}` is not a measurement column; it is ignored",
                        column.name
                    ),
                )
                .with_help(format!("the columns are `{canonical}`")),
            );
        }
    }
    let columns = Columns {
        indicator: indicator?,
        wave: wave?,
        date: date?,
        value: value?,
        unit,
        note,
    };
    Some((header, columns))
}
