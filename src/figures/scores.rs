//! An indicator's figures from the survey and measurement files: a wave's whole-file actual
//! (n, mean, sd, interval and the mean at precision), rounding to precision, and the years a
//! wave's figure may still come. The scores reports judge targets with them; the W202 and
//! late-figure checks compare written values and dates with them.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::model::{Date, Indicator, Measurement, Plan, Source, UnitAnswers, UnitScores};
use crate::stats::{self, Accumulator, Summary};

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

    /// The figures as a summary for Welch's test; `None` without n.
    pub fn summary(&self) -> Option<Summary> {
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

/// The positive answers behind a share of `share` % of `n` answers (exact for respondent
/// data; for a vendor's printed share, the nearest whole number of answers).
pub(crate) fn positives(share: f64, n: u64) -> Option<u64> {
    let x = (share * n as f64 / 100.0).round();
    (x.is_finite() && x >= 0.0 && x <= n as f64).then_some(x as u64)
}

/// A share's figures: no sd (a share has none worth showing), Wilson's 95 % interval.
pub fn share_figures(f: Figures) -> Figures {
    let interval =
        f.n.and_then(|n| positives(f.mean, n).map(|x| (x, n)))
            .and_then(|(x, n)| stats::wilson_interval_95(x, n));
    Figures {
        sd: None,
        ci_low: interval.map(|i| i.0),
        ci_high: interval.map(|i| i.1),
        ..f
    }
}

/// A wave's invited and respondents as of the date, before the privacy rule.
pub fn wave_respondents(plan: &Plan, wave: &str, as_of: Date) -> Option<(u64, u64)> {
    let surveys: Vec<_> = plan
        .surveys
        .iter()
        .filter(|s| s.wave == wave && s.date <= as_of)
        .collect();
    let invited: u64 = surveys.iter().filter_map(|s| s.invited).sum();
    if invited == 0 || surveys.is_empty() {
        return None;
    }
    let counted: Option<u64> = surveys.iter().map(|s| s.respondents).sum();
    let respondents = match counted {
        Some(n) => n,
        None => largest_n(plan, wave, as_of)?,
    };
    Some((invited, respondents))
}

/// The largest n of any indicator in a wave (its units' answers together).
fn largest_n(plan: &Plan, wave: &str, as_of: Date) -> Option<u64> {
    let mut per_indicator: Vec<(&str, u64)> = Vec::new();
    for s in plan
        .scores
        .iter()
        .filter(|s| s.wave == wave && s.date <= as_of)
    {
        let n: u64 = s
            .units
            .iter()
            .map(|u| match &u.answers {
                UnitAnswers::Answers(acc) => acc.n(),
                UnitAnswers::Aggregate { n, .. } => n.unwrap_or(0),
            })
            .sum();
        match per_indicator.iter_mut().find(|(id, _)| *id == s.indicator) {
            Some((_, total)) => *total += n,
            None => per_indicator.push((&s.indicator, n)),
        }
    }
    per_indicator.into_iter().map(|(_, n)| n).max()
}

/// [`combine`] for an indicator: a share's figures get Wilson's interval (SPEC 12.5).
pub fn figures_of(ind: &Indicator, units: &[&UnitScores]) -> Option<Figures> {
    let figures = combine(units, ind.precision)?;
    Some(if ind.is_share() {
        share_figures(figures)
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

/// Round half away from zero and show exactly `precision` decimals (6.8 → 6.80).
pub fn at_precision(value: Decimal, precision: u32) -> Decimal {
    let mut d = stats::round_half_away(value, precision);
    d.rescale(precision);
    d
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

/// The whole-organisation measurement of an indicator in a wave (at most one: validated).
pub(crate) fn measurement<'a>(
    plan: &'a Plan,
    indicator: &str,
    wave: &str,
) -> Option<&'a Measurement> {
    plan.measurements
        .iter()
        .find(|m| m.unit.is_none() && m.indicator == indicator && m.wave == wave)
}

/// A measured value as figures: a value, no n, no spread (SPEC 9.1).
pub(crate) fn measured_figures(value: Decimal, precision: u32) -> Option<Figures> {
    Some(Figures {
        n: None,
        mean: value.to_f64()?,
        sd: None,
        ci_low: None,
        ci_high: None,
        rounded: Some(stats::round_half_away(value, precision)),
    })
}
