//! Series, parts and effects (SPEC 12.1, 12.2, 12.4): the one place where a total's value is
//! computed from its parts. `plan scores`, the status screen, the report and every export
//! read a measured indicator's value through [`value`], so a total is the same sum
//! everywhere.
//!
//! Pure: the model and the as-of date in, data out.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::figures::status::{Status, initiative_status};
use crate::model::{Date, Direction, Indicator, Plan, Source};
use crate::report::scores::{self, ScoresReport, fixed4};
use crate::report::{Cell, Table};

pub use crate::figures::series::{
    ValueSource, descendants, is_within, measured_waves, own_value, split_sum, thousands, value,
    wave_order,
};

/// One point of an indicator's series.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// Wave id.
    pub wave: String,
    /// When the value became known (the survey's date for a survey wave).
    pub date: Option<Date>,
    /// The value (a survey wave's mean), when there is one to show.
    pub value: Option<Decimal>,
    /// A survey wave's number of answers.
    pub n: Option<u64>,
    /// Where the value comes from.
    pub source: Option<ValueSource>,
    /// The series changes definition at this wave: no change is computed across it.
    pub break_note: Option<Option<String>>,
    /// A comparator value for the wave, and whom it describes.
    pub benchmark: Option<(Decimal, Option<String>)>,
    /// The change since the previous point with a value, unless a break lies between them.
    pub change: Option<Decimal>,
}

/// One indicator's series.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// Indicator id.
    pub indicator: String,
    /// Decimals for display.
    pub precision: u32,
    /// A tracked figure: no baseline and no targets, never judged (SPEC 12.1).
    pub tracked: bool,
    /// `direction = "none"`: a context figure.
    pub context: bool,
    /// The points in wave order.
    pub points: Vec<Point>,
}

impl Series {
    /// The latest point with a value.
    pub fn latest(&self) -> Option<&Point> {
        self.points.iter().rev().find(|p| p.value.is_some())
    }
}

/// Every wave that has (or may have) a value for the indicator: its measurements and its
/// parts' (for a measured indicator), its survey waves (for a survey indicator), and the
/// waves of its baseline, breaks and benchmarks.
fn series_waves(plan: &Plan, ind: &Indicator) -> Vec<String> {
    let mut waves: Vec<String> = Vec::new();
    let mut add = |w: &str| {
        if !waves.iter().any(|x| x == w) {
            waves.push(w.to_string());
        }
    };
    match ind.source {
        Source::Measurement => {
            for id in descendants(plan, &ind.id) {
                for w in measured_waves(plan, id) {
                    add(&w);
                }
            }
        }
        Source::Survey => {
            for s in plan.scores.iter().filter(|s| s.indicator == ind.id) {
                add(&s.wave);
            }
        }
    }
    for w in ind.baseline_wave.iter() {
        add(w);
    }
    for (w, _) in &ind.breaks {
        add(w);
    }
    for b in &ind.benchmarks {
        add(&b.wave);
    }
    waves.sort_by(|a, b| wave_order(a, b));
    waves
}

/// An indicator's series as of the date (SPEC 12.1). A measured total's waves with only some
/// parts known are kept only when another point (a break, a benchmark) needs the row.
pub fn series(plan: &Plan, ind: &Indicator, as_of: Date) -> Series {
    let mut points = Vec::new();
    let mut previous: Option<Decimal> = None;
    for wave in series_waves(plan, ind) {
        let (date, value, n, source) = match ind.source {
            Source::Measurement => match value(plan, &ind.id, &wave, Some(as_of)) {
                Some((v, d, s)) => (Some(d), Some(v), None, Some(s)),
                None => (None, None, None, None),
            },
            Source::Survey => {
                let o = scores::observe(plan, ind, &wave, as_of);
                let f = o.figures.as_ref();
                let value = f.and_then(|f| Decimal::from_f64_retain(f.mean));
                let source = value.map(|_| ValueSource::Survey);
                (o.date, value, f.and_then(|f| f.n), source)
            }
        };
        let break_note = ind
            .breaks
            .iter()
            .find(|(w, _)| *w == wave)
            .map(|(_, note)| note.clone());
        let benchmark = ind
            .benchmarks
            .iter()
            .find(|b| b.wave == wave)
            .map(|b| (b.value, b.label.clone()));
        if value.is_none() && break_note.is_none() && benchmark.is_none() {
            continue;
        }
        if break_note.is_some() {
            previous = None;
        }
        let change = value.zip(previous).and_then(|(v, p)| v.checked_sub(p));
        if value.is_some() {
            previous = value;
        }
        points.push(Point {
            wave,
            date,
            value,
            n,
            source,
            break_note,
            benchmark,
            change,
        });
    }
    Series {
        indicator: ind.id.clone(),
        precision: ind.precision,
        tracked: ind.baseline_wave.is_none() && ind.targets.is_empty(),
        context: ind.direction == Direction::None,
        points,
    }
}

/// Whether the series says more than the trajectory table does: a tracked or context
/// figure, a total of parts, a break or a benchmark, or a measured value for a wave that is
/// neither the baseline nor a target. A survey indicator's other waves are in
/// `export series`; its screen stays the trajectory it was, so plans written before SPEC 12
/// print as before.
pub fn worth_showing(s: &Series, ind: &Indicator) -> bool {
    let known = |w: &str| {
        ind.baseline_wave.as_deref() == Some(w) || ind.targets.iter().any(|t| t.wave == w)
    };
    let measured = ind.source == Source::Measurement;
    s.tracked
        || s.context
        || !ind.parts.is_empty()
        || !ind.breaks.is_empty()
        || !ind.benchmarks.is_empty()
        || (measured && s.points.iter().any(|p| !known(&p.wave)))
}

/// Every indicator's series, as declared.
pub fn all_series(plan: &Plan, as_of: Date) -> Vec<Series> {
    plan.indicators
        .iter()
        .map(|i| series(plan, i, as_of))
        .collect()
}

/// A value as exports write it: a measured value or a sum exactly (so that the parts of a
/// split add up to their total in every export), a survey mean with 4 decimals (SPEC 7).
fn value_cell(p: &Point) -> Cell {
    match (p.value, p.source) {
        (Some(v), Some(ValueSource::Survey)) => {
            v.to_f64().map_or(Cell::Blank, |v| Cell::Number(fixed4(v)))
        }
        (Some(v), _) => Cell::Number(v.to_string()),
        (None, _) => Cell::Blank,
    }
}

/// `export series` (SPEC 12.1): one row per indicator and wave.
pub fn series_table(all: &[Series]) -> Table {
    let mut rows = Vec::new();
    for s in all {
        for p in &s.points {
            rows.push(vec![
                Cell::Text(s.indicator.clone()),
                Cell::Text(p.wave.clone()),
                Cell::date(p.date),
                value_cell(p),
                p.n.and_then(|n| i64::try_from(n).ok())
                    .map_or(Cell::Blank, Cell::Integer),
                p.source
                    .map_or(Cell::Blank, |s| Cell::Text(s.word().to_string())),
                Cell::Bool(p.break_note.is_some()),
                p.benchmark
                    .as_ref()
                    .map_or(Cell::Blank, |(v, _)| Cell::Number(v.to_string())),
                p.benchmark
                    .as_ref()
                    .and_then(|(_, l)| l.clone())
                    .map_or(Cell::Blank, Cell::Text),
            ]);
        }
    }
    Table {
        columns: vec![
            "indicator",
            "wave",
            "date",
            "value",
            "n",
            "source",
            "break",
            "benchmark",
            "benchmark_label",
        ],
        rows,
    }
}

/// One part of one split of a total in one wave (`--by part`, SPEC 12.2).
#[derive(Debug, Clone, Serialize)]
pub struct PartLine {
    /// The total's id.
    pub indicator: String,
    /// Wave id.
    pub wave: String,
    /// The split's name.
    pub split: String,
    /// The part's id.
    pub part: String,
    /// The part's value as of the date, when it has one.
    pub value: Option<Decimal>,
    /// Where the part's value comes from.
    pub source: Option<ValueSource>,
}

/// Every total's splits, wave by wave (the waves of its series), part by part, as of the
/// date. The total's own row is its series (`export series`); these are what it is made of.
pub fn by_part(plan: &Plan, as_of: Date) -> Vec<PartLine> {
    let mut lines = Vec::new();
    for ind in plan.indicators.iter().filter(|i| !i.parts.is_empty()) {
        for wave in series_waves(plan, ind) {
            for split in &ind.parts {
                for part in &split.parts {
                    let v = value(plan, part, &wave, Some(as_of));
                    lines.push(PartLine {
                        indicator: ind.id.clone(),
                        wave: wave.clone(),
                        split: split.name.clone(),
                        part: part.clone(),
                        value: v.map(|v| v.0),
                        source: v.map(|v| v.2),
                    });
                }
            }
        }
    }
    lines
}

/// `scores --by part` as a table: `indicator,wave,split,part,value,source`.
pub fn by_part_table(lines: &[PartLine]) -> Table {
    Table {
        columns: vec!["indicator", "wave", "split", "part", "value", "source"],
        rows: lines
            .iter()
            .map(|l| {
                vec![
                    Cell::Text(l.indicator.clone()),
                    Cell::Text(l.wave.clone()),
                    Cell::Text(l.split.clone()),
                    Cell::Text(l.part.clone()),
                    l.value.map_or(Cell::Blank, |v| Cell::Number(v.to_string())),
                    l.source
                        .map_or(Cell::Blank, |s| Cell::Text(s.word().to_string())),
                ]
            })
            .collect(),
    }
}

/// Needed and planned change of one indicator's target wave (SPEC 12.4).
#[derive(Debug, Clone, Serialize)]
pub struct EffectLine {
    /// Indicator id.
    pub indicator: String,
    /// The target wave.
    pub wave: String,
    /// target − reference (the projection for the wave, else the baseline); blank while the
    /// target or the reference is unknown.
    pub needed: Option<Decimal>,
    /// The effects of the wave on the indicator and its parts, cancelled initiatives' not.
    pub planned: Decimal,
    /// Of `planned`: by initiatives on track or done.
    pub on_track: Decimal,
    /// Of `planned`: by initiatives at risk, delayed or paused.
    pub at_risk: Decimal,
    /// The effects of cancelled initiatives (not in `planned`).
    pub cancelled: Decimal,
    /// needed − planned: the "manglende reduktioner".
    pub gap: Option<Decimal>,
    /// How many distinct initiatives have an effect counted in `planned`.
    pub initiatives: usize,
    /// Each initiative's share: id, status, change (cancelled ones too), in plan order.
    pub by_initiative: Vec<(String, Status, Decimal)>,
}

/// The needed and planned change of every target wave of every indicator that has a target
/// and at least one effect on it or its parts (SPEC 12.4), as of the date.
pub fn effects(plan: &Plan, scores: &ScoresReport, as_of: Date) -> Vec<EffectLine> {
    let mut lines = Vec::new();
    for ind in &plan.indicators {
        let within = descendants(plan, &ind.id);
        let any = plan
            .initiatives
            .iter()
            .flat_map(|i| &i.effects)
            .any(|e| within.contains(e.indicator.as_str()));
        // A projection gives a need even before any initiative states its effect: the whole
        // need is then the gap.
        if !any && ind.projection.is_empty() {
            continue;
        }
        let line = scores.indicators.iter().find(|l| l.id == ind.id);
        for t in &ind.targets {
            let target = line
                .and_then(|l| {
                    l.waves
                        .iter()
                        .find(|w| w.role == "target" && w.wave == t.wave)
                })
                .and_then(|w| w.target);
            let reference = ind
                .projection
                .iter()
                .find(|(w, _)| *w == t.wave)
                .map(|(_, v)| *v)
                .or_else(|| line.and_then(|l| l.baseline_rounded));
            let needed = target.zip(reference).and_then(|(t, r)| t.checked_sub(r));
            let mut planned = Decimal::ZERO;
            let mut on_track = Decimal::ZERO;
            let mut at_risk = Decimal::ZERO;
            let mut cancelled = Decimal::ZERO;
            let mut counted = 0;
            let mut by_initiative = Vec::new();
            for initiative in &plan.initiatives {
                let change: Decimal = initiative
                    .effects
                    .iter()
                    .filter(|e| e.wave == t.wave && within.contains(e.indicator.as_str()))
                    .map(|e| e.change)
                    .sum();
                if !initiative
                    .effects
                    .iter()
                    .any(|e| e.wave == t.wave && within.contains(e.indicator.as_str()))
                {
                    continue;
                }
                let status = initiative_status(initiative, as_of);
                by_initiative.push((initiative.id.clone(), status, change));
                match status {
                    Status::Cancelled => {
                        cancelled += change;
                        continue;
                    }
                    Status::OnTrack | Status::Done => on_track += change,
                    Status::AtRisk | Status::Delayed | Status::Paused => at_risk += change,
                    Status::Planned | Status::Active => {}
                }
                planned += change;
                counted += 1;
            }
            lines.push(EffectLine {
                indicator: ind.id.clone(),
                wave: t.wave.clone(),
                gap: needed.and_then(|n| n.checked_sub(planned)),
                needed,
                planned,
                on_track,
                at_risk,
                cancelled,
                initiatives: counted,
                by_initiative,
            });
        }
    }
    lines
}

/// `export effects` (SPEC 12.4).
pub fn effects_table(lines: &[EffectLine]) -> Table {
    let number = |d: Decimal| Cell::Number(d.normalize().to_string());
    let rows = lines
        .iter()
        .map(|l| {
            vec![
                Cell::Text(l.indicator.clone()),
                Cell::Text(l.wave.clone()),
                l.needed.map_or(Cell::Blank, number),
                number(l.planned),
                number(l.on_track),
                number(l.at_risk),
                number(l.cancelled),
                l.gap.map_or(Cell::Blank, number),
                Cell::Integer(i64::try_from(l.initiatives).unwrap_or(i64::MAX)),
            ]
        })
        .collect();
    Table {
        columns: vec![
            "indicator",
            "wave",
            "needed",
            "planned",
            "on_track",
            "at_risk",
            "cancelled",
            "gap",
            "initiatives",
        ],
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_the_whole_part_only() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        assert_eq!(thousands(d("840000")), "840,000");
        assert_eq!(thousands(d("-1250.5")), "-1,250.5");
        assert_eq!(thousands(d("999")), "999");
    }
}
