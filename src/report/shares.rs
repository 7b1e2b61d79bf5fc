//! Stage 4, report: the figures of shares of respondents and the response rates of waves
//! (SPEC 12.5). A share's answers are kept as 100 (positive) or 0 when the file is read, so
//! [`super::scores::combine`] gives its share in % as the "mean" and its valid answers as n;
//! here the interval becomes Wilson's and the test between waves the pooled two-proportion
//! z-test.

use super::scores::{Figures, WelchLine};
use crate::model::{Date, Plan, UnitAnswers};
use crate::stats;

/// The positive answers behind a share of `share` % of `n` answers (exact for respondent
/// data; for a vendor's printed share, the nearest whole number of answers).
fn positives(share: f64, n: u64) -> Option<u64> {
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

/// The two-proportion z-test of the baseline wave against a later one, in the shape the
/// reports show Welch's test in (the z statistic as `t`, no degrees of freedom).
pub fn share_test(before: &Figures, after: &Figures) -> Option<WelchLine> {
    let (n1, n2) = (before.n?, after.n?);
    let test = stats::two_proportion_z(
        (positives(before.mean, n1)?, n1),
        (positives(after.mean, n2)?, n2),
    )?;
    Some(WelchLine {
        t: test.z,
        df: None,
        p_value: test.p_value,
        significant: test.significant,
    })
}

/// Whether any survey says how many were invited: the response rate is shown only then.
pub fn has_invited(plan: &Plan) -> bool {
    plan.surveys.iter().any(|s| s.invited.is_some())
}

/// The response rate of a wave in % as of the date: its respondents ÷ invited (SPEC 12.5).
/// Respondents are the distinct respondents of its files when every file names them,
/// otherwise the largest n of any indicator in the wave. `None` when no survey of the wave
/// gives `invited`, none has closed, or the wave has fewer respondents than the smallest
/// group that may be shown (SPEC 5.4: the rate would tell how few answered).
pub fn response_rate(plan: &Plan, wave: &str, as_of: Date) -> Option<f64> {
    let (invited, respondents) = wave_respondents(plan, wave, as_of)?;
    if !stats::overall_visible(respondents, plan.min_group_size) {
        return None;
    }
    Some(100.0 * respondents as f64 / invited as f64)
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

/// A response rate with the one decimal of SPEC 7's percentages.
pub fn rate_text(rate: f64) -> String {
    format!("{:.1}", rate)
}
