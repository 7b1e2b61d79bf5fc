//! Stage 4, report: the figures of shares of respondents and the response rates of waves
//! (SPEC 12.5). A share's answers are kept as 100 (positive) or 0 when the file is read, so
//! [`crate::figures::scores::combine`] gives its share in % as the "mean" and its valid answers as n;
//! here the interval becomes Wilson's and the test between waves the pooled two-proportion
//! z-test.

pub use crate::figures::scores::{share_figures, wave_respondents};
use crate::model::{Date, Plan};
use crate::stats;

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

/// A response rate with the one decimal of SPEC 7's percentages.
pub fn rate_text(rate: f64) -> String {
    format!("{:.1}", rate)
}
