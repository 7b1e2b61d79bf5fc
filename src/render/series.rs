//! Series and effects as text (SPEC 12.1, 12.4): the series line and the gap lines that
//! `plan scores` prints under an indicator, and the gap lines of the status screen.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::render::lang::Lang;
use crate::render::paint;
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

/// `Series ▇▅▁  2019 800,000 · 2021 760,000 · 2022 740,000 (-20,000 since 2021)`: a sparkline,
/// every value with its wave (with the thousands separator of `--lang`, SPEC 12.6), a break marked `|` before its wave, a benchmark in brackets,
/// and the change since the previous value (never across a break).
pub fn series_line(s: &Series, color: bool, lang: Lang) -> String {
    let shown = |v: Decimal, p: u32| lang.figure(&shown(v, p));
    let signed = |v: Decimal, p: u32| lang.figure(&signed(v, p));
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

/// `2030: needed -300,000, planned -220,000 (on track -150,000, at risk -60,000, cancelled
/// -20,000 not counted), gap -80,000`.
pub fn effect_line(e: &EffectLine, precision: u32) -> String {
    effect_line_in(e, precision, Lang::En)
}

/// The words of [`effect_line`] per language: the status screen speaks `--lang`.
struct EffectWords {
    needed: &'static str,
    planned: &'static str,
    on_track: &'static str,
    at_risk: &'static str,
    cancelled: &'static str,
    not_counted: &'static str,
    gap: &'static str,
}

fn effect_words(lang: Lang) -> EffectWords {
    match lang {
        Lang::Da => EffectWords {
            needed: "nødvendig",
            planned: "planlagt",
            on_track: "på sporet",
            at_risk: "i risiko",
            cancelled: "aflyst",
            not_counted: "tæller ikke",
            gap: "mangler",
        },
        Lang::En => EffectWords {
            needed: "needed",
            planned: "planned",
            on_track: "on track",
            at_risk: "at risk",
            cancelled: "cancelled",
            not_counted: "not counted",
            gap: "gap",
        },
    }
}

/// [`effect_line`] in `lang`, numbers with its thousands separator and decimal mark.
pub fn effect_line_in(e: &EffectLine, precision: u32, lang: Lang) -> String {
    let w = effect_words(lang);
    let num = |d: Decimal| lang.figure(&shown(d, precision));
    let blank = |d: Option<Decimal>| d.map_or_else(|| "?".to_string(), num);
    let mut detail = vec![
        format!("{} {}", w.on_track, num(e.on_track)),
        format!("{} {}", w.at_risk, num(e.at_risk)),
    ];
    if !e.cancelled.is_zero() {
        detail.push(format!(
            "{} {} {}",
            w.cancelled,
            num(e.cancelled),
            w.not_counted
        ));
    }
    format!(
        "{}: {} {}, {} {} ({}), {} {}",
        e.wave,
        w.needed,
        blank(e.needed),
        w.planned,
        num(e.planned),
        detail.join(", "),
        w.gap,
        blank(e.gap)
    )
}

/// `plan scores --by part` as text: the table's rows, a blank value shown as `–`.
pub fn write_by_part_text(
    out: &mut dyn std::io::Write,
    table: &crate::report::Table,
) -> std::io::Result<()> {
    use crate::report::Cell;
    if table.rows.is_empty() {
        writeln!(
            out,
            "No totals with parts: give an indicator `parts.NAME = [...]`."
        )?;
        return Ok(());
    }
    let mut text = crate::render::new_text_table();
    text.set_header(["Indicator", "Wave", "Split", "Part", "Value", "Source"]);
    for row in &table.rows {
        text.add_row(row.iter().map(|c| match c {
            Cell::Text(t) => crate::render::visible(t).into_owned(),
            Cell::Number(n) => n.clone(),
            Cell::Blank => "–".to_string(),
            other => format!("{other:?}"),
        }));
    }
    crate::render::write_text_table(out, &text)
}

/// One block character per value of a series (SPEC 12.1), its height between the lowest and
/// the highest value, as `render::status::sparkline` draws a target's waves; `·` where there is no value.
pub fn spark_values(values: &[Option<f64>], color: bool) -> String {
    let known = values.iter().flatten().copied();
    let lo = known.clone().fold(f64::INFINITY, f64::min);
    let hi = known.fold(f64::NEG_INFINITY, f64::max);
    values
        .iter()
        .map(|v| match v {
            Some(v) => paint(&spark_block(*v, lo, hi).to_string(), "36", color),
            None => "·".to_string(),
        })
        .collect()
}

/// The block character of a value between the lowest and the highest of its line: the
/// middle one when they are equal.
pub(crate) fn spark_block(v: f64, lo: f64, hi: f64) -> char {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let level = if hi > lo {
        ((v - lo) / (hi - lo) * 7.0).round().clamp(0.0, 7.0) as usize
    } else {
        3
    };
    BLOCKS[level]
}
