//! A measured indicator's value from its parts (SPEC 12.2): the one place where a total's value
//! is computed. Validation (the checks of parts and the baseline) and every report read a
//! measured indicator's value through [`value`], so a total is the same sum everywhere.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Date, Plan, Split};

/// Totals nest (a domain made of sources and sinks); a cycle is an error (E309) that stops
/// every report, and this bound keeps a report from looping on one anyway.
const MAX_DEPTH: usize = 32;

/// Where a value of the series comes from (`source` in `export series`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueSource {
    /// A survey wave's result.
    Survey,
    /// A measurement row.
    Measurement,
    /// The sum of a complete split (SPEC 12.2).
    Parts,
}

impl ValueSource {
    /// The word in exports.
    pub fn word(self) -> &'static str {
        match self {
            ValueSource::Survey => "survey",
            ValueSource::Measurement => "measurement",
            ValueSource::Parts => "parts",
        }
    }
}

/// The whole-organisation measurement of an indicator in a wave, dated on or before `as_of`
/// (any date when `None`): its value and date.
pub fn own_value(
    plan: &Plan,
    id: &str,
    wave: &str,
    as_of: Option<Date>,
) -> Option<(Decimal, Date)> {
    plan.measurements
        .iter()
        .find(|m| m.unit.is_none() && m.indicator == id && m.wave == wave)
        .filter(|m| as_of.is_none_or(|d| m.date <= d))
        .map(|m| (m.value, m.date))
}

/// The sum of a split in a wave when every part has a value (SPEC 12.2), with the latest of
/// the parts' dates (the sum is known once its last part is). `None` when a part has none:
/// a partial sum is never a total.
pub fn split_sum(
    plan: &Plan,
    split: &Split,
    wave: &str,
    as_of: Option<Date>,
) -> Option<(Decimal, Date)> {
    split_sum_at(plan, split, wave, as_of, 0)
}

fn split_sum_at(
    plan: &Plan,
    split: &Split,
    wave: &str,
    as_of: Option<Date>,
    depth: usize,
) -> Option<(Decimal, Date)> {
    if split.parts.is_empty() {
        return None;
    }
    let mut sum = Decimal::ZERO;
    let mut date: Option<Date> = None;
    for part in &split.parts {
        let (value, known) = value_at(plan, part, wave, as_of, depth + 1)?;
        sum = sum.checked_add(value)?;
        date = Some(date.map_or(known, |d| d.max(known)));
    }
    Some((sum, date?))
}

/// A measured indicator's value in a wave as of the date (any date when `None`): its own
/// measurement, else the sum of its first complete split (in split-name order), with the
/// date it became known and where it comes from.
pub fn value(
    plan: &Plan,
    id: &str,
    wave: &str,
    as_of: Option<Date>,
) -> Option<(Decimal, Date, ValueSource)> {
    if let Some((v, d)) = own_value(plan, id, wave, as_of) {
        return Some((v, d, ValueSource::Measurement));
    }
    let (v, d) = value_at(plan, id, wave, as_of, 0)?;
    Some((v, d, ValueSource::Parts))
}

fn value_at(
    plan: &Plan,
    id: &str,
    wave: &str,
    as_of: Option<Date>,
    depth: usize,
) -> Option<(Decimal, Date)> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(own) = own_value(plan, id, wave, as_of) {
        return Some(own);
    }
    let ind = plan.indicators.iter().find(|i| i.id == id)?;
    ind.parts
        .iter()
        .find_map(|split| split_sum_at(plan, split, wave, as_of, depth))
}

/// Whether `id` is `total` or one of its parts, at any depth.
pub fn is_within(plan: &Plan, total: &str, id: &str) -> bool {
    descendants(plan, total).contains(id)
}

/// `total` and every indicator below it, through every split.
pub fn descendants<'a>(plan: &'a Plan, total: &'a str) -> HashSet<&'a str> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut todo = vec![total];
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(ind) = plan.indicators.iter().find(|i| i.id == id) {
            todo.extend(ind.parts.iter().flat_map(|s| &s.parts).map(String::as_str));
        }
    }
    seen
}

/// The waves in which an indicator has a whole-organisation measurement, in file order.
pub fn measured_waves(plan: &Plan, id: &str) -> Vec<String> {
    let mut waves: Vec<String> = Vec::new();
    for m in &plan.measurements {
        if m.unit.is_none() && m.indicator == id && !waves.contains(&m.wave) {
            waves.push(m.wave.clone());
        }
    }
    waves
}

/// A number with `,` between thousands, as warnings write it (`840,000`; `-1,250.5`).
pub fn thousands(d: Decimal) -> String {
    let text = d.to_string();
    let (sign, rest) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |r| ("-", r));
    let (whole, fraction) = rest
        .split_once('.')
        .map_or((rest, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Sort waves by the year they begin with, then by id ("1990" before "2019" before "2019b").
pub fn wave_order(a: &str, b: &str) -> std::cmp::Ordering {
    let year = |w: &str| super::scores::wave_year_end(w, 0);
    (year(a).is_none(), year(a), a).cmp(&(year(b).is_none(), year(b), b))
}
