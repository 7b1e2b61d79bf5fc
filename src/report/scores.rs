//! Indicator targets against survey results (SPEC 5.1, 5.2, 5.4): the `plan scores` report,
//! the scores section of `plan status`, and the `scores` exports of SPEC 7.
//!
//! Pure: the model and the as-of date in, data out. Every figure that could describe fewer
//! than `min_group_size` respondents is dropped here, before any renderer sees it, so no
//! output format can leak it (see docs/scores.md for the choices).

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

pub use crate::figures::scores::{
    Figures, at_precision, combine, file_actual, wave_year_end, years_late,
};
use crate::figures::scores::{figures_of, measured_figures};
use crate::figures::series;
use crate::model::{Date, Direction, Indicator, Plan, RelativeTo, Source, TargetRule, UnitScores};
use crate::report::{Cell, Table};
use crate::stats::{self, Welch};

/// The status of one wave of an indicator (SPEC 5.2; `baseline` for the baseline wave).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetStatus {
    /// The baseline wave's row.
    Baseline,
    /// The actual, rounded to precision, reaches the target.
    Met,
    /// It does not.
    Missed,
    /// The wave has not happened yet as of the date.
    Pending,
    /// The wave's year is over and there is no result to judge (or too few answers to show).
    NoData,
}

impl TargetStatus {
    /// The word printed for it.
    pub fn word(self) -> &'static str {
        match self {
            TargetStatus::Baseline => "baseline",
            TargetStatus::Met => "met",
            TargetStatus::Missed => "missed",
            TargetStatus::Pending => "pending",
            TargetStatus::NoData => "no-data",
        }
    }
}

/// Where a wave stands as of the date.
#[derive(Debug)]
enum WaveState<'a> {
    /// No `[[survey]]` for it.
    Undeclared,
    /// Declared, but its survey closes after the date.
    NotYet(Date),
    /// Its results exist: the survey date and the indicator's units (empty when the file
    /// has no rows for the indicator).
    Present(Date, Vec<&'a UnitScores>),
}

fn wave_state<'a>(plan: &'a Plan, indicator: &str, wave: &str, as_of: Date) -> WaveState<'a> {
    let dates: Vec<Date> = plan
        .surveys
        .iter()
        .filter(|s| s.wave == wave)
        .map(|s| s.date)
        .collect();
    let Some(&first) = dates.iter().min() else {
        return WaveState::Undeclared;
    };
    let Some(&latest) = dates.iter().filter(|d| **d <= as_of).max() else {
        return WaveState::NotYet(first);
    };
    let units = plan
        .scores
        .iter()
        .filter(|s| s.wave == wave && s.indicator == indicator && s.date <= as_of)
        .flat_map(|s| &s.units)
        .collect();
    WaveState::Present(latest, units)
}

/// The wave's survey date as declared (shown even before the survey closes).
fn wave_date(state: &WaveState<'_>) -> Option<Date> {
    match state {
        WaveState::Undeclared => None,
        WaveState::NotYet(d) | WaveState::Present(d, _) => Some(*d),
    }
}

/// The actual figure of a wave, before the privacy rule.
fn wave_figures(state: &WaveState<'_>, ind: &Indicator) -> Option<Figures> {
    match state {
        WaveState::Present(_, units) if !units.is_empty() => figures_of(ind, units),
        _ => None,
    }
}

/// One wave of an indicator: the baseline or a target.
#[derive(Debug, Clone, Serialize)]
pub struct WaveLine {
    /// Wave id.
    pub wave: String,
    /// `baseline` or `target`.
    pub role: &'static str,
    /// The wave's survey date, when a survey is declared.
    pub date: Option<Date>,
    /// The target at the indicator's precision (target rows, when the baseline is known).
    pub target: Option<Decimal>,
    /// The actual figures, when they exist as of the date and may be shown.
    pub actual: Option<Figures>,
    /// The wave has results that were withheld because they come from fewer than
    /// `min_group_size` answers.
    pub suppressed: bool,
    /// actual − baseline.
    pub delta: Option<f64>,
    /// Welch's test of the baseline wave against this wave.
    pub welch: Option<WelchLine>,
    /// Status.
    pub status: TargetStatus,
    /// The ambition of a range target (SPEC 12.3), at the indicator's precision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ambition: Option<Decimal>,
    /// Whether the ambition is met too; blank until the target is judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ambition_met: Option<bool>,
    /// The wave's response rate in % (SPEC 12.5), when its surveys say how many were invited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_rate: Option<f64>,
}

/// The figures of Welch's test that the reports show.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct WelchLine {
    /// t statistic.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom; none for a share's z-test (SPEC 12.5).
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p_value: f64,
    /// p < 0.05.
    pub significant: bool,
}

impl From<Welch> for WelchLine {
    fn from(w: Welch) -> Self {
        WelchLine {
            t: w.t,
            df: Some(w.df),
            p_value: w.p_value,
            significant: w.significant,
        }
    }
}

/// One indicator as its trajectory: the baseline, then each target.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorLine {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Decimals for display and the target test.
    pub precision: u32,
    /// Increase or decrease.
    pub direction: Direction,
    /// Display unit of a measured indicator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Whether the figures are measured values (SPEC 9.1) rather than survey results.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub measured: bool,
    /// Whether the figures are shares of respondents in % (SPEC 12.5) rather than means.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub share: bool,
    /// The baseline used: the baseline wave's actual, or the written value.
    pub baseline: Option<f64>,
    /// The baseline rounded to precision: what targets are built on.
    pub baseline_rounded: Option<Decimal>,
    /// `file` or `value`: where the baseline came from.
    pub baseline_source: Option<&'static str>,
    /// The baseline wave first, then the targets in the order written.
    pub waves: Vec<WaveLine>,
}

impl IndicatorLine {
    /// Whether the indicator has a baseline wave (it may not when every target is a `value`).
    pub fn has_baseline(&self) -> bool {
        self.waves.first().is_some_and(|w| w.role == "baseline")
    }
}

/// `plan scores` as data.
#[derive(Debug, Clone, Serialize)]
pub struct ScoresReport {
    /// Smallest group whose figures are shown.
    pub min_group_size: u64,
    /// Indicators as declared.
    pub indicators: Vec<IndicatorLine>,
    /// Whether some survey says how many were invited: the export then ends with the
    /// response rate (SPEC 12.5), and the export of a plan without is as it was.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub invited: bool,
}

impl ScoresReport {
    /// Whether any target is missed (for `--fail-on-missed`).
    pub fn any_missed(&self) -> bool {
        self.indicators
            .iter()
            .flat_map(|i| &i.waves)
            .any(|w| w.status == TargetStatus::Missed)
    }
}

/// The target of one wave: the base rounded to precision plus delta or changed by a
/// percentage, or the given value, in decimal, rounded to precision (6.8 + 0.25 is exactly
/// 7.05); shown with exactly `precision` decimals.
pub fn target_value(rule: TargetRule, base: Option<Decimal>, precision: u32) -> Option<Decimal> {
    Some(at_precision(rule.target(base, precision)?, precision))
}

/// SPEC 5.2 for a wave with no `[[survey]]`: `no-data` once the year its id begins with has
/// ended, `pending` before (and for ids that name no year). For a measured indicator the
/// year after the wave's (`years_late` = 1): register figures come late (SPEC 9.2).
#[cfg(test)]
fn undeclared_status(wave: &str, as_of: Date) -> TargetStatus {
    undeclared_status_late(wave, as_of, 0)
}

fn undeclared_status_late(wave: &str, as_of: Date, years_late: i32) -> TargetStatus {
    match wave_year_end(wave, years_late) {
        Some(last_day) if as_of > last_day => TargetStatus::NoData,
        _ => TargetStatus::Pending,
    }
}

/// `met` or `missed`: the actual rounded to precision against the target.
fn judge(rounded: Decimal, target: Decimal, direction: Direction) -> TargetStatus {
    let met = match direction {
        Direction::Increase => rounded >= target,
        Direction::Decrease => rounded <= target,
        // A context figure has no targets (E311): nothing to judge.
        Direction::None => return TargetStatus::Pending,
    };
    if met {
        TargetStatus::Met
    } else {
        TargetStatus::Missed
    }
}

/// The two-proportion z-test of the baseline wave against a later one, in the shape the
/// reports show Welch's test in (the z statistic as `t`, no degrees of freedom).
pub fn share_test(before: &Figures, after: &Figures) -> Option<WelchLine> {
    let (n1, n2) = (before.n?, after.n?);
    let test = stats::two_proportion_z(
        (crate::figures::scores::positives(before.mean, n1)?, n1),
        (crate::figures::scores::positives(after.mean, n2)?, n2),
    )?;
    Some(WelchLine {
        t: test.z,
        df: None,
        p_value: test.p_value,
        significant: test.significant,
    })
}

/// Every indicator's trajectory as of `as_of`.
pub fn scores_report(plan: &Plan, as_of: Date) -> ScoresReport {
    ScoresReport {
        invited: super::shares::has_invited(plan),
        min_group_size: plan.min_group_size,
        indicators: plan
            .indicators
            .iter()
            .map(|i| indicator_line(plan, i, as_of))
            .collect(),
    }
}

/// What is known of one wave of an indicator as of the date, whatever its source.
pub(crate) struct Observed {
    /// Survey: no `[[survey]]` for the wave. Measurement: no whole-organisation row, and no
    /// complete split of parts.
    pub(crate) undeclared: bool,
    /// The figure is declared but dated after the as-of date.
    pub(crate) not_yet: bool,
    /// The survey date, or the date the measured value became known (when it exists).
    pub(crate) date: Option<Date>,
    /// The figures that may be shown.
    pub(crate) figures: Option<Figures>,
    /// Results exist but were withheld (SPEC 5.4).
    pub(crate) suppressed: bool,
}

pub(crate) fn observe(plan: &Plan, ind: &Indicator, wave: &str, as_of: Date) -> Observed {
    let p = ind.precision;
    match ind.source {
        Source::Survey => {
            let state = wave_state(plan, &ind.id, wave, as_of);
            let all = wave_figures(&state, ind);
            let suppressed = all
                .as_ref()
                .is_some_and(|f| !f.visible(plan.min_group_size));
            Observed {
                undeclared: matches!(state, WaveState::Undeclared),
                not_yet: matches!(state, WaveState::NotYet(_)),
                date: wave_date(&state),
                figures: all.filter(|f| f.visible(plan.min_group_size)),
                suppressed,
            }
        }
        Source::Measurement => {
            // Its own row, or the sum of its parts (SPEC 12.2): computed in one place.
            let any = series::value(plan, &ind.id, wave, None);
            // A figure dated after the as-of date does not exist yet, nor does its date.
            let known = series::value(plan, &ind.id, wave, Some(as_of));
            Observed {
                undeclared: any.is_none(),
                not_yet: any.is_some() && known.is_none(),
                date: known.map(|k| k.1),
                figures: known.and_then(|k| measured_figures(k.0, p)),
                suppressed: false,
            }
        }
    }
}

/// A figure rounded to precision, as the target test and the bases of SPEC 9.2 use it.
fn rounded(f: &Figures, precision: u32) -> Option<Decimal> {
    f.rounded.or_else(|| stats::round_f64(f.mean, precision))
}

fn indicator_line(plan: &Plan, ind: &Indicator, as_of: Date) -> IndicatorLine {
    let p = ind.precision;
    let late = years_late(ind);
    let base = ind
        .baseline_wave
        .as_ref()
        .map(|wave| (wave, observe(plan, ind, wave, as_of)));
    let base_figures = base.as_ref().and_then(|(_, o)| o.figures.clone());

    // The baseline: the wave's actual, or the written value when the wave has no (showable)
    // result. A suppressed actual is not used: a target built on it would reveal it.
    let (baseline, baseline_rounded, source) = match &base_figures {
        Some(f) => (Some(f.mean), rounded(f, p), Some("file")),
        None => match ind.baseline_value {
            Some(v) => (v.to_f64(), Some(at_precision(v, p)), Some("value")),
            None => (None, None, None),
        },
    };
    let baseline_rounded = baseline_rounded.map(|b| at_precision(b, p));

    let mut waves = Vec::new();
    if let Some((wave, observed)) = &base {
        waves.push(WaveLine {
            wave: (*wave).clone(),
            role: "baseline",
            date: observed.date,
            target: None,
            actual: base_figures.clone(),
            suppressed: observed.suppressed,
            delta: None,
            welch: None,
            status: TargetStatus::Baseline,
            ambition: None,
            ambition_met: None,
            response_rate: rate(plan, ind, wave, as_of),
        });
    }
    let base_summary = base_figures.as_ref().and_then(Figures::summary);

    // The bases of SPEC 9.2, carried from wave to wave: the previous target (the baseline for
    // the first) and the previous wave's actual (the baseline wave's first).
    let mut previous_target = baseline_rounded;
    let mut previous_actual = base_figures.as_ref().and_then(|f| rounded(f, p));
    for t in &ind.targets {
        let observed = observe(plan, ind, &t.wave, as_of);
        let base = match t.relative_to {
            RelativeTo::Baseline => baseline_rounded,
            RelativeTo::PreviousTarget => previous_target,
            RelativeTo::PreviousActual => previous_actual,
            RelativeTo::Projection => ind
                .projection
                .iter()
                .find(|(w, _)| *w == t.wave)
                .map(|(_, v)| at_precision(*v, p)),
            // A wave of the series (SPEC 12.3): its value as of the date, as shown.
            RelativeTo::Wave => t.relative_wave.as_ref().and_then(|wave| {
                let o = observe(plan, ind, wave, as_of);
                o.figures
                    .as_ref()
                    .and_then(|f| rounded(f, p))
                    .map(|r| at_precision(r, p))
            }),
        };
        let target = target_value(t.rule, base, p);
        let ambition = t.ambition.and_then(|a| target_value(a, base, p));
        let actual = observed.figures;
        let status = if observed.undeclared {
            undeclared_status_late(&t.wave, as_of, late)
        } else if observed.not_yet {
            TargetStatus::Pending
        } else {
            match &actual {
                // No rows for the indicator, or too few answers to show: nothing to judge, and
                // a met/missed would reveal which side of the target a hidden mean lies on.
                None => TargetStatus::NoData,
                Some(f) => match (rounded(f, p), target) {
                    (Some(r), Some(t)) => judge(r, t, ind.direction),
                    // A measured figure whose target has no base yet: by the year (SPEC 9.2).
                    _ if ind.source == Source::Measurement => {
                        undeclared_status_late(&t.wave, as_of, late)
                    }
                    _ => TargetStatus::Pending,
                },
            }
        };
        let delta = actual.as_ref().zip(baseline).map(|(f, b)| f.mean - b);
        let welch = if ind.is_share() {
            base_figures
                .as_ref()
                .zip(actual.as_ref())
                .and_then(|(b, a)| share_test(b, a))
        } else {
            base_summary
                .as_ref()
                .zip(actual.as_ref().and_then(Figures::summary))
                .and_then(|(b, a)| stats::welch(b, &a))
                .map(WelchLine::from)
        };
        // The ambition of a range is judged like the target, by the same rounded actual.
        let ambition_met = match (ambition, status) {
            (Some(a), TargetStatus::Met | TargetStatus::Missed) => actual
                .as_ref()
                .and_then(|f| rounded(f, p))
                .map(|r| judge(r, a, ind.direction) == TargetStatus::Met),
            _ => None,
        };
        previous_target = target;
        previous_actual = actual.as_ref().and_then(|f| rounded(f, p));
        waves.push(WaveLine {
            wave: t.wave.clone(),
            role: "target",
            date: observed.date,
            target,
            actual,
            suppressed: observed.suppressed,
            delta,
            welch,
            status,
            ambition,
            ambition_met,
            response_rate: rate(plan, ind, &t.wave, as_of),
        });
    }
    IndicatorLine {
        id: ind.id.clone(),
        title: ind.title.clone(),
        precision: p,
        direction: ind.direction,
        unit: ind.unit.clone(),
        measured: ind.source == Source::Measurement,
        share: ind.is_share(),
        baseline,
        baseline_rounded,
        baseline_source: source,
        waves,
    }
}

/// The response rate of a survey indicator's wave (SPEC 12.5).
fn rate(plan: &Plan, ind: &Indicator, wave: &str, as_of: Date) -> Option<f64> {
    if ind.source != Source::Survey {
        return None;
    }
    super::shares::response_rate(plan, wave, as_of)
}

/// One unit of one indicator in one wave (`--by unit`).
#[derive(Debug, Clone, Serialize)]
pub struct UnitLine {
    /// Indicator id.
    pub indicator: String,
    /// Wave id.
    pub wave: String,
    /// Unit name.
    pub unit: String,
    /// The unit's figures, unless suppressed.
    pub figures: Option<Figures>,
    /// Withheld under SPEC 5.4 (primary or secondary suppression).
    pub suppressed: bool,
    /// The unit's own target for the wave (`unit_targets`, SPEC 12.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Decimal>,
    /// The unit's status against its own target, by the rules of 5.2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TargetStatus>,
    /// The figure is a share of respondents in % (SPEC 12.5), not a mean.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub share: bool,
}

/// The breakdown by unit of every indicator's baseline and target waves that have results as
/// of the date, with the privacy rule applied per breakdown (one indicator in one wave).
pub fn by_unit(plan: &Plan, as_of: Date) -> Vec<UnitLine> {
    let mut lines = Vec::new();
    for ind in &plan.indicators {
        let mut waves: Vec<&str> = ind.baseline_wave.iter().map(String::as_str).collect();
        let unit_waves = ind.unit_targets.iter().map(|u| &u.1);
        for wave in ind.targets.iter().map(|t| &t.wave).chain(unit_waves) {
            if !waves.contains(&wave.as_str()) {
                waves.push(wave);
            }
        }
        let start = lines.len();
        if ind.source == Source::Measurement {
            lines.extend(measured_units(plan, ind, &waves, as_of));
            judge_units(ind, &mut lines[start..]);
            continue;
        }
        for wave in waves {
            let WaveState::Present(_, units) = wave_state(plan, &ind.id, wave, as_of) else {
                continue;
            };
            lines.extend(breakdown(ind, wave, &units, plan.min_group_size));
        }
        judge_units(ind, &mut lines[start..]);
    }
    lines
}

/// Each unit line against the unit's own target, by the rules of 5.2 (SPEC 12.3): a shown
/// figure rounded to precision is met or missed; a withheld one is `no-data`, since a status
/// would tell which side of the target it lies.
fn judge_units(ind: &Indicator, lines: &mut [UnitLine]) {
    for line in lines {
        let Some((_, _, value)) = ind
            .unit_targets
            .iter()
            .find(|(unit, wave, _)| *unit == line.unit && *wave == line.wave)
        else {
            continue;
        };
        let target = at_precision(*value, ind.precision);
        line.target = Some(target);
        line.status = Some(match &line.figures {
            Some(f) => match rounded(f, ind.precision) {
                Some(r) => judge(r, target, ind.direction),
                None => TargetStatus::NoData,
            },
            None => TargetStatus::NoData,
        });
    }
}

/// The named-unit rows of a measured indicator dated on or before the date, wave by wave in
/// the indicator's order, units in file order (SPEC 9.1): shown, never summed. A measured
/// value describes no respondents, so the privacy rule has nothing to withhold.
fn measured_units(plan: &Plan, ind: &Indicator, waves: &[&str], as_of: Date) -> Vec<UnitLine> {
    let mut lines = Vec::new();
    for wave in waves {
        for m in &plan.measurements {
            let Some(unit) = &m.unit else {
                continue;
            };
            if m.indicator != ind.id || m.wave != *wave || m.date > as_of {
                continue;
            }
            lines.push(UnitLine {
                indicator: ind.id.clone(),
                wave: (*wave).to_string(),
                unit: unit.clone(),
                figures: measured_figures(m.value, ind.precision),
                suppressed: false,
                target: None,
                status: None,
                share: false,
            });
        }
    }
    lines
}

/// One breakdown: units of the same name (from several files of a wave) are one unit.
fn breakdown(ind: &Indicator, wave: &str, units: &[&UnitScores], min: u64) -> Vec<UnitLine> {
    let mut names: Vec<&str> = Vec::new();
    for u in units {
        if !names.contains(&u.unit.as_str()) {
            names.push(&u.unit);
        }
    }
    let figures: Vec<Option<Figures>> = names
        .iter()
        .map(|name| {
            let same: Vec<&UnitScores> =
                units.iter().copied().filter(|u| u.unit == *name).collect();
            figures_of(ind, &same)
        })
        .collect();
    // A unit without n is a published organisation-wide figure (the file's only row for the
    // indicator): it cannot be suppressed by size, and it is public anyway.
    let sizes: Vec<(&str, u64)> = names
        .iter()
        .zip(&figures)
        .map(|(name, f)| {
            let n = f.as_ref().map_or(0, |f| f.n.unwrap_or(u64::MAX));
            (*name, n)
        })
        .collect();
    let suppressed = stats::suppressed_units(&sizes, min);
    names
        .into_iter()
        .zip(figures)
        .zip(suppressed)
        .map(|((name, f), hide)| UnitLine {
            indicator: ind.id.clone(),
            wave: wave.to_string(),
            unit: name.to_string(),
            figures: if hide { None } else { f },
            suppressed: hide,
            target: None,
            status: None,
            share: ind.is_share(),
        })
        .collect()
}

/// A statistic with the 4 decimals of SPEC 7 (`-0.0000` written as `0.0000`).
pub fn fixed4(value: f64) -> String {
    let s = format!("{value:.4}");
    if s == "-0.0000" {
        "0.0000".to_string()
    } else {
        s
    }
}

/// A p-value with 4 significant digits, as a plain decimal (`0.003456`); below 10⁻⁶ in
/// scientific form (`1.234e-9`), which spreadsheets and JSON read as a number too.
pub fn p_value_text(p: f64) -> String {
    if !p.is_finite() || p <= 0.0 {
        return "0".to_string();
    }
    if p < 1e-6 {
        return format!("{p:.3e}");
    }
    let exponent = p.log10().floor() as i32;
    let decimals = usize::try_from((3 - exponent).max(0)).unwrap_or(0);
    let text = format!("{p:.decimals$}");
    // Rounding can carry into a new digit (0.099996 → 0.1000): redo with one decimal less.
    let significant = text
        .trim_start_matches(['0', '.'])
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    if significant > 4 && decimals > 0 {
        let decimals = decimals - 1;
        return format!("{p:.decimals$}");
    }
    text
}

fn number(value: Option<f64>) -> Cell {
    value.map_or(Cell::Blank, |v| Cell::Number(fixed4(v)))
}

fn count(n: Option<u64>) -> Cell {
    n.and_then(|n| i64::try_from(n).ok())
        .map_or(Cell::Blank, Cell::Integer)
}

/// `export scores` (SPEC 7).
pub fn scores_table(report: &ScoresReport) -> Table {
    let mut rows = Vec::new();
    for ind in &report.indicators {
        for w in &ind.waves {
            let f = w.actual.as_ref();
            let is_target = w.role == "target";
            rows.push(vec![
                Cell::Text(ind.id.clone()),
                Cell::Text(w.wave.clone()),
                Cell::Text(w.role.to_string()),
                Cell::date(w.date),
                number(ind.baseline),
                w.target
                    .map_or(Cell::Blank, |t| Cell::Number(t.to_string())),
                number(f.map(|f| f.mean)),
                count(f.and_then(|f| f.n)),
                number(f.and_then(|f| f.sd)),
                number(f.and_then(|f| f.ci_low)),
                number(f.and_then(|f| f.ci_high)),
                number(w.delta.filter(|_| is_target)),
                w.welch
                    .map_or(Cell::Blank, |x| Cell::Number(p_value_text(x.p_value))),
                w.welch.map_or(Cell::Blank, |x| Cell::Bool(x.significant)),
                Cell::Text(w.status.word().to_string()),
            ]);
        }
    }
    let ranges = report
        .indicators
        .iter()
        .flat_map(|i| &i.waves)
        .any(|w| w.ambition.is_some());
    let mut table = Table {
        columns: vec![
            "indicator",
            "wave",
            "role",
            "date",
            "baseline",
            "target",
            "actual",
            "n",
            "sd",
            "ci_low",
            "ci_high",
            "delta",
            "p_value",
            "significant",
            "status",
        ],
        rows,
    };
    // A plan with a range target gets its ambition beside each row; one without keeps the
    // columns of SPEC 7.
    if ranges {
        table.columns.extend(["ambition", "ambition_met"]);
        let waves = report.indicators.iter().flat_map(|i| &i.waves);
        for (row, w) in table.rows.iter_mut().zip(waves) {
            row.push(
                w.ambition
                    .map_or(Cell::Blank, |a| Cell::Number(a.to_string())),
            );
            row.push(w.ambition_met.map_or(Cell::Blank, Cell::Bool));
        }
    }
    // A plan whose surveys say how many were invited ends with the response rate (SPEC 12.5).
    if report.invited {
        table.columns.push("response_rate");
        let waves = report.indicators.iter().flat_map(|i| &i.waves);
        for (row, w) in table.rows.iter_mut().zip(waves) {
            row.push(
                w.response_rate
                    .map_or(Cell::Blank, |r| Cell::Number(super::shares::rate_text(r))),
            );
        }
    }
    table
}

/// `export scores --by unit` (SPEC 7).
pub fn by_unit_table(lines: &[UnitLine]) -> Table {
    let rows = lines
        .iter()
        .map(|l| {
            let f = l.figures.as_ref();
            vec![
                Cell::Text(l.indicator.clone()),
                Cell::Text(l.wave.clone()),
                Cell::Text(l.unit.clone()),
                count(f.and_then(|f| f.n)),
                number(f.map(|f| f.mean)),
                number(f.and_then(|f| f.sd)),
                Cell::Bool(l.suppressed),
            ]
        })
        .collect();
    let mut table = Table {
        columns: vec!["indicator", "wave", "unit", "n", "mean", "sd", "suppressed"],
        rows,
    };
    // Units' own targets (SPEC 12.3) add two columns; a plan without keeps those of SPEC 7.
    if lines.iter().any(|l| l.target.is_some()) {
        table.columns.extend(["target", "status"]);
        for (row, l) in table.rows.iter_mut().zip(lines) {
            row.push(
                l.target
                    .map_or(Cell::Blank, |t| Cell::Number(t.to_string())),
            );
            row.push(
                l.status
                    .map_or(Cell::Blank, |s| Cell::Text(s.word().to_string())),
            );
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UnitAnswers;
    use crate::stats::Accumulator;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).expect("test decimal")
    }

    fn d(s: &str) -> Date {
        s.parse().expect("test date")
    }

    #[test]
    fn helsingor_targets_are_exact() {
        let base = Some(at_precision(dec("6.8"), 2));
        assert_eq!(
            target_value(TargetRule::Delta(dec("0.25")), base, 2).map(|t| t.to_string()),
            Some("7.05".into())
        );
        assert_eq!(
            target_value(TargetRule::Delta(dec("0.5")), base, 2).map(|t| t.to_string()),
            Some("7.30".into())
        );
        let base = Some(at_precision(dec("6.6"), 2));
        assert_eq!(
            target_value(TargetRule::Delta(dec("0.25")), base, 2).map(|t| t.to_string()),
            Some("6.85".into())
        );
        assert_eq!(
            target_value(TargetRule::Value(dec("4")), None, 1).map(|t| t.to_string()),
            Some("4.0".into())
        );
        // Baseline rounded first: 3.449 → 3.4, + 0.3 = 3.7.
        assert_eq!(
            target_value(
                TargetRule::Delta(dec("0.3")),
                Some(at_precision(dec("3.449"), 1)),
                1
            ),
            Some(dec("3.7"))
        );
    }

    #[test]
    fn status_by_year_and_direction() {
        assert_eq!(
            undeclared_status("2013", d("2013-12-31")),
            TargetStatus::Pending
        );
        assert_eq!(
            undeclared_status("2013", d("2014-01-01")),
            TargetStatus::NoData
        );
        assert_eq!(
            undeclared_status("2013-efterår", d("2016-01-01")),
            TargetStatus::NoData
        );
        assert_eq!(
            undeclared_status("efterår", d("2030-01-01")),
            TargetStatus::Pending
        );
        assert_eq!(
            judge(dec("7.05"), dec("7.05"), Direction::Increase),
            TargetStatus::Met
        );
        assert_eq!(
            judge(dec("7.04"), dec("7.05"), Direction::Increase),
            TargetStatus::Missed
        );
        assert_eq!(
            judge(dec("2.70"), dec("2.70"), Direction::Decrease),
            TargetStatus::Met
        );
        assert_eq!(
            judge(dec("2.71"), dec("2.70"), Direction::Decrease),
            TargetStatus::Missed
        );
    }

    #[test]
    fn p_values_keep_four_significant_digits() {
        assert_eq!(p_value_text(0.003_456_78), "0.003457");
        assert_eq!(p_value_text(0.234_56), "0.2346");
        assert_eq!(p_value_text(0.999_99), "1.000");
        assert_eq!(p_value_text(0.099_996), "0.1000");
        assert_eq!(p_value_text(1.0), "1.000");
        assert_eq!(p_value_text(1.234_4e-9), "1.234e-9");
        assert_eq!(fixed4(-0.000_01), "0.0000");
        assert_eq!(fixed4(7.123_45), "7.1235");
    }

    fn answers(unit: &str, scores: &[i64]) -> UnitScores {
        let mut acc = Accumulator::new();
        for s in scores {
            acc.add_scaled(s * 10_000);
        }
        UnitScores {
            unit: unit.into(),
            answers: UnitAnswers::Answers(acc),
        }
    }

    #[test]
    fn combine_respondents_exactly() {
        // 1..=5 and 3,3: n 7, mean 21/7 = 3, sd² = (4+1+0+1+4+0+0)/6 = 10/6.
        let a = answers("A", &[1, 2, 3, 4, 5]);
        let b = answers("B", &[3, 3]);
        let f = combine(&[&a, &b], 2).expect("figures");
        assert_eq!(f.n, Some(7));
        assert!((f.mean - 3.0).abs() < 1e-12);
        assert!((f.sd.expect("sd") - (10.0_f64 / 6.0).sqrt()).abs() < 1e-12);
        assert_eq!(f.rounded, Some(dec("3.00")));
        // t(0.975, 6) = 2.446912 (statistical tables); half width 2.446912·1.290994/√7.
        let half = 2.446_912 * (10.0_f64 / 6.0).sqrt() / 7.0_f64.sqrt();
        assert!((f.ci_low.expect("ci") - (3.0 - half)).abs() < 1e-5);
    }

    #[test]
    fn combine_aggregated_rows_pools() {
        let row = |unit: &str, n: Option<u64>, mean: &str, sd: Option<&str>| UnitScores {
            unit: unit.into(),
            answers: UnitAnswers::Aggregate {
                n,
                mean: dec(mean),
                sd: sd.map(dec),
            },
        };
        // Same data as above, as two aggregated rows: A 5, 3, sd √2.5; B 2, 3, sd 0.
        let a = row("A", Some(5), "3", Some("1.58113883008419"));
        let b = row("B", Some(2), "3", Some("0"));
        let f = combine(&[&a, &b], 2).expect("figures");
        assert_eq!(f.n, Some(7));
        assert!((f.sd.expect("sd") - (10.0_f64 / 6.0).sqrt()).abs() < 1e-9);
        // A missing sd blanks the pooled sd.
        let c = row("C", Some(4), "2", None);
        assert_eq!(combine(&[&a, &c], 2).expect("figures").sd, None);
        // A single published row without n: mean only.
        let org = row("Kommunen", None, "6.8", None);
        let f = combine(&[&org], 2).expect("figures");
        assert_eq!((f.n, f.sd, f.ci_low), (None, None, None));
        assert_eq!(f.rounded, Some(dec("6.80")));
        assert!(f.visible(5));
    }

    /// A small deterministic generator (xorshift), so the property test needs no crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn no_suppressed_unit_can_be_recovered_from_the_total() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let ind = Indicator {
            id: "x".into(),
            title: "x".into(),
            question: None,
            source: Source::Survey,
            unit: None,
            scale_min: Some(dec("1")),
            scale_max: Some(dec("5")),
            precision: 2,
            baseline_wave: Some("2020".into()),
            baseline_value: None,
            targets: vec![],
            direction: Direction::Increase,
            parts: vec![],
            breaks: vec![],
            benchmarks: vec![],
            projection: vec![],
            unit_targets: vec![],
            share: None,
        };
        for _ in 0..2_000 {
            let min = 1 + rng.next() % 8;
            let count = 1 + (rng.next() % 7) as usize;
            let units: Vec<UnitScores> = (0..count)
                .map(|i| {
                    let n = (rng.next() % 15) as usize;
                    let scores: Vec<i64> = (0..n).map(|_| 1 + (rng.next() % 5) as i64).collect();
                    answers(&format!("U{i}"), &scores)
                })
                .collect();
            let refs: Vec<&UnitScores> = units.iter().collect();
            let lines = breakdown(&ind, "2020", &refs, min);
            let n_of = |u: &UnitScores| match &u.answers {
                UnitAnswers::Answers(a) => a.n(),
                UnitAnswers::Aggregate { n, .. } => n.unwrap_or(0),
            };
            let hidden: u64 = units
                .iter()
                .zip(&lines)
                .filter(|(_, l)| l.suppressed)
                .map(|(u, _)| n_of(u))
                .sum();
            let any_hidden = lines.iter().any(|l| l.suppressed);
            // Every shown unit has at least `min` answers, and shows its figures.
            for (u, l) in units.iter().zip(&lines) {
                if !l.suppressed {
                    assert!(n_of(u) >= min, "shown unit below min");
                    assert_eq!(l.figures.as_ref().and_then(|f| f.n), Some(n_of(u)));
                } else {
                    assert!(l.figures.is_none());
                }
            }
            // Total minus the shown units gives only the hidden units together: that must be
            // at least `min` answers, or everything is hidden (and then so is the total).
            let all_hidden = lines.iter().all(|l| l.suppressed);
            assert!(
                !any_hidden || hidden >= min || all_hidden,
                "recoverable: hidden {hidden} < {min}"
            );
            if all_hidden && hidden < min {
                let total: u64 = units.iter().map(n_of).sum();
                assert!(!stats::overall_visible(total, min));
            }
        }
    }
}
