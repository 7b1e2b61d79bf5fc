//! Series and effects as text (SPEC 12.1, 12.4): the series line and the gap lines that
//! `plan scores` prints under an indicator, and the gap lines of the status screen.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::model::Indicator;
use crate::render::status::spark_values;
use crate::report::scores::at_precision;
use crate::report::series::{EffectLine, Series};

/// What `plan scores` shows beside the targets: every indicator's series and the needed and
/// planned change of its target waves.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// One per indicator, as declared.
    pub series: Vec<Series>,
    /// Target waves with effects.
    pub effects: Vec<EffectLine>,
}

/// A value at the indicator's precision.
fn shown(value: Decimal, precision: u32) -> String {
    at_precision(value, precision).to_string()
}

fn signed(value: Decimal, precision: u32) -> String {
    let s = shown(value, precision);
    if s.starts_with('-') {
        s
    } else {
        format!("+{s}")
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
    let measured = ind.source == crate::model::Source::Measurement;
    s.tracked
        || s.context
        || !ind.parts.is_empty()
        || !ind.breaks.is_empty()
        || !ind.benchmarks.is_empty()
        || (measured && s.points.iter().any(|p| !known(&p.wave)))
}

/// `Series ▇▅▁  2019 800000 · 2021 760000 · 2022 740000 (−20000 since 2021)`: a sparkline,
/// every value with its wave, a break marked `|` before its wave, a benchmark in brackets,
/// and the change since the previous value (never across a break).
pub fn series_line(s: &Series, color: bool) -> String {
    let values: Vec<Option<f64>> = s
        .points
        .iter()
        .map(|p| p.value.and_then(|v| v.to_f64()))
        .collect();
    let mut parts = Vec::new();
    for p in &s.points {
        let mut text = String::new();
        if let Some(note) = &p.break_note {
            text.push_str(&match note {
                Some(note) => format!("| break: {note} | "),
                None => "| break | ".to_string(),
            });
        }
        text.push_str(&p.wave);
        text.push(' ');
        text.push_str(
            &p.value
                .map_or_else(|| "–".to_string(), |v| shown(v, s.precision)),
        );
        if let Some((value, label)) = &p.benchmark {
            let label = label
                .as_deref()
                .map(|l| format!(": {l}"))
                .unwrap_or_default();
            text.push_str(&format!(
                " [benchmark {}{label}]",
                shown(*value, s.precision)
            ));
        }
        parts.push(text);
    }
    let mut line = format!(
        "Series {}  {}",
        spark_values(&values, color),
        parts.join(" · ")
    );
    let latest = s.latest();
    if let Some(change) = latest.and_then(|p| p.change) {
        let since = s
            .points
            .iter()
            .rev()
            .filter(|p| p.value.is_some())
            .nth(1)
            .map(|p| p.wave.as_str())
            .unwrap_or_default();
        line.push_str(&format!(" ({} since {since})", signed(change, s.precision)));
    }
    if s.context {
        line.push_str(" · a context figure, not judged");
    } else if s.tracked {
        line.push_str(" · tracked, no target");
    }
    line
}

/// `2030: needed -300000, planned -220000 (on track -150000, at risk -60000, cancelled
/// -20000 not counted), gap -80000`.
pub fn effect_line(e: &EffectLine, precision: u32) -> String {
    let blank = |d: Option<Decimal>| d.map_or_else(|| "?".to_string(), |d| shown(d, precision));
    let mut detail = vec![
        format!("on track {}", shown(e.on_track, precision)),
        format!("at risk {}", shown(e.at_risk, precision)),
    ];
    if !e.cancelled.is_zero() {
        detail.push(format!(
            "cancelled {} not counted",
            shown(e.cancelled, precision)
        ));
    }
    format!(
        "{}: needed {}, planned {} ({}), gap {}",
        e.wave,
        blank(e.needed),
        shown(e.planned, precision),
        detail.join(", "),
        blank(e.gap)
    )
}
