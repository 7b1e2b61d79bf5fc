//! Indicator targets against survey results (SPEC 5.1, 5.2, 5.4): the `plan scores` report,
//! the scores section of `plan status`, and the `scores` exports of SPEC 7.
//!
//! Pure: the model and the as-of date in, data out. Every figure that could describe fewer
//! than `min_group_size` respondents is dropped here, before any renderer sees it, so no
//! output format can leak it (see docs/scores.md for the choices).

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::model::{
    Date, Direction, Indicator, Measurement, Plan, RelativeTo, Source, TargetRule, UnitAnswers,
    UnitScores,
};
use crate::report::{Cell, Table};
use crate::stats::{self, Accumulator, Summary, Welch};

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

/// n, mean, sd and interval of one group of answers.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    /// Number of answers; blank for a published organisation-wide figure without n.
    pub n: Option<u64>,
    /// Mean score.
    pub mean: f64,
    /// Sample (or pooled) standard deviation.
    pub sd: Option<f64>,
    /// Lower end of the 95 % interval.
    pub ci_low: Option<f64>,
    /// Upper end of the 95 % interval.
    pub ci_high: Option<f64>,
    /// The mean rounded half away from zero to the indicator's precision, computed from the
    /// exact sums where the data allow it (for the target test).
    pub rounded: Option<Decimal>,
}

impl Figures {
    fn from_summary(s: Summary, rounded: Option<Decimal>) -> Figures {
        let ci = stats::confidence_interval_95(&s);
        Figures {
            n: Some(s.n),
            mean: s.mean,
            sd: s.sd,
            ci_low: ci.map(|c| c.0),
            ci_high: ci.map(|c| c.1),
            rounded,
        }
    }

    fn summary(&self) -> Option<Summary> {
        Some(Summary {
            n: self.n?,
            mean: self.mean,
            sd: self.sd,
        })
    }

    /// Whether the figure may be shown (SPEC 5.4). A published figure without n was already
    /// public, so it is shown.
    pub fn visible(&self, min_group_size: u64) -> bool {
        self.n
            .is_none_or(|n| stats::overall_visible(n, min_group_size))
    }
}

/// Combine units (of one or more files of a wave) into one figure. Respondent and frequency
/// data merge exactly; aggregated rows pool (SPEC 5.1).
pub fn combine(units: &[&UnitScores], precision: u32) -> Option<Figures> {
    let mut acc = Accumulator::new();
    let mut rows: Vec<(Option<u64>, Decimal, Option<Decimal>)> = Vec::new();
    for u in units {
        match &u.answers {
            UnitAnswers::Answers(a) => acc.merge(a),
            UnitAnswers::Aggregate { n, mean, sd } => rows.push((*n, *mean, *sd)),
        }
    }
    if rows.is_empty() {
        let summary = acc.summary()?;
        return Some(Figures::from_summary(summary, acc.mean_rounded(precision)));
    }
    if acc.n() == 0 && rows.len() == 1 && rows.iter().all(|r| r.0.is_none()) {
        // A published organisation-wide mean without n: a mean, nothing to infer from.
        let mean = rows.first()?.1;
        return Some(Figures {
            n: None,
            mean: mean.to_f64()?,
            sd: None,
            ci_low: None,
            ci_high: None,
            rounded: Some(stats::round_half_away(mean, precision)),
        });
    }
    let mut summaries = Vec::new();
    let mut exact = Vec::new();
    for (n, mean, sd) in &rows {
        // Without n a row cannot be weighted against others.
        let n = (*n)?;
        summaries.push(Summary {
            n,
            mean: mean.to_f64()?,
            sd: sd.and_then(|s| s.to_f64()),
        });
        exact.push((n, *mean));
    }
    let only_rows = acc.n() == 0;
    if let Some(s) = acc.summary() {
        summaries.push(s);
    }
    let pooled = stats::pool(&summaries)?;
    let rounded = if only_rows {
        stats::pooled_mean_rounded(&exact, precision)
    } else {
        stats::round_f64(pooled.mean, precision)
    };
    Some(Figures::from_summary(pooled, rounded))
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

/// [`combine`] for an indicator: a share's figures get Wilson's interval (SPEC 12.5).
fn figures_of(ind: &Indicator, units: &[&UnitScores]) -> Option<Figures> {
    let figures = combine(units, ind.precision)?;
    Some(if ind.is_share() {
        super::shares::share_figures(figures)
    } else {
        figures
    })
}

/// The whole-file actual of every declared file of a wave, whatever the date: what the W202
/// check compares a written baseline value with. `None` when no file has the indicator.
pub fn file_actual(plan: &Plan, indicator: &Indicator, wave: &str) -> Option<Figures> {
    if indicator.source == Source::Measurement {
        let row = measurement(plan, &indicator.id, wave)?;
        return measured_figures(row.value, indicator.precision);
    }
    let units: Vec<&UnitScores> = plan
        .scores
        .iter()
        .filter(|s| s.wave == wave && s.indicator == indicator.id)
        .flat_map(|s| &s.units)
        .collect();
    if units.is_empty() {
        return None;
    }
    figures_of(indicator, &units)
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

/// Round half away from zero and show exactly `precision` decimals (6.8 → 6.80).
pub fn at_precision(value: Decimal, precision: u32) -> Decimal {
    let mut d = stats::round_half_away(value, precision);
    d.rescale(precision);
    d
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

/// The last day of the year a wave's id begins with, plus `years_late` years; `None` for an
/// id that names no year.
pub fn wave_year_end(wave: &str, years_late: i32) -> Option<Date> {
    let year = wave
        .get(..4)
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|y| y.parse::<i32>().ok())?;
    Date::from_ymd_opt(year.checked_add(years_late)?, 12, 31)
}

/// How many years after a wave's year its figure may still come: 1 for measured indicators.
pub fn years_late(ind: &Indicator) -> i32 {
    match ind.source {
        Source::Survey => 0,
        Source::Measurement => 1,
    }
}

/// `met` or `missed`: the actual rounded to precision against the target.
fn judge(rounded: Decimal, target: Decimal, direction: Direction) -> TargetStatus {
    let met = match direction {
        Direction::Increase => rounded >= target,
        Direction::Decrease => rounded <= target,
    };
    if met {
        TargetStatus::Met
    } else {
        TargetStatus::Missed
    }
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
struct Observed {
    /// Survey: no `[[survey]]` for the wave. Measurement: no whole-organisation row.
    undeclared: bool,
    /// The figure is declared but dated after the as-of date.
    not_yet: bool,
    /// The survey date, or the date the measured value became known (when it exists).
    date: Option<Date>,
    /// The figures that may be shown.
    figures: Option<Figures>,
    /// Results exist but were withheld (SPEC 5.4).
    suppressed: bool,
}

/// The whole-organisation measurement of an indicator in a wave (at most one: validated).
fn measurement<'a>(plan: &'a Plan, indicator: &str, wave: &str) -> Option<&'a Measurement> {
    plan.measurements
        .iter()
        .find(|m| m.unit.is_none() && m.indicator == indicator && m.wave == wave)
}

/// A measured value as figures: a value, no n, no spread (SPEC 9.1).
fn measured_figures(value: Decimal, precision: u32) -> Option<Figures> {
    Some(Figures {
        n: None,
        mean: value.to_f64()?,
        sd: None,
        ci_low: None,
        ci_high: None,
        rounded: Some(stats::round_half_away(value, precision)),
    })
}

fn observe(plan: &Plan, ind: &Indicator, wave: &str, as_of: Date) -> Observed {
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
            let row = measurement(plan, &ind.id, wave);
            // A figure dated after the as-of date does not exist yet, nor does its date.
            let known = row.filter(|m| m.date <= as_of);
            Observed {
                undeclared: row.is_none(),
                not_yet: row.is_some() && known.is_none(),
                date: known.map(|m| m.date),
                figures: known.and_then(|m| measured_figures(m.value, p)),
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
        };
        let target = target_value(t.rule, base, p);
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
                .and_then(|(b, a)| super::shares::share_test(b, a))
        } else {
            base_summary
                .as_ref()
                .zip(actual.as_ref().and_then(Figures::summary))
                .and_then(|(b, a)| stats::welch(b, &a))
                .map(WelchLine::from)
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
        for t in &ind.targets {
            if !waves.contains(&t.wave.as_str()) {
                waves.push(&t.wave);
            }
        }
        if ind.source == Source::Measurement {
            lines.extend(measured_units(plan, ind, &waves, as_of));
            continue;
        }
        for wave in waves {
            let WaveState::Present(_, units) = wave_state(plan, &ind.id, wave, as_of) else {
                continue;
            };
            lines.extend(breakdown(ind, wave, &units, plan.min_group_size));
        }
    }
    lines
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
            if report.invited
                && let Some(row) = rows.last_mut()
            {
                row.push(
                    w.response_rate
                        .map_or(Cell::Blank, |r| Cell::Number(super::shares::rate_text(r))),
                );
            }
        }
    }
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
    if report.invited {
        table.columns.push("response_rate");
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
    Table {
        columns: vec!["indicator", "wave", "unit", "n", "mean", "sd", "suppressed"],
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
