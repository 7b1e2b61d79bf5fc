//! Survey statistics and respondent privacy for indicator targets (SPEC 5.1, 5.2, 5.4).
//!
//! Staff-survey answers arrive either as respondent rows (long or wide), as frequency tables,
//! or as per-unit aggregates `(n, mean, sd)` (SPEC 1.4). This module turns them into the
//! figures SPEC 5.1 asks for — n, mean, sample sd, the 95 % interval and Welch's test
//! between two waves — rounds them for the target test of SPEC 5.2, and decides which units
//! of a breakdown must be hidden to protect respondents (SPEC 5.4).
//!
//! Design choices, and why:
//! - Answers are accumulated exactly in integers (scores scaled by 10⁴), so a mean over ten
//!   million answers is the correctly rounded value of the exact rational mean, independent
//!   of file order, and the `met`/`missed` verdict of SPEC 5.2 cannot flip because of
//!   floating-point drift. [`Accumulator::mean_rounded`] and [`pooled_mean_rounded`] round the
//!   exact rational directly, for the case where a mean sits exactly on a rounding midpoint.
//! - Floating point is used only for the inferential figures (sd, interval, t-test), where
//!   the answer is an estimate anyway.
//! - Nothing here panics on data: impossible inputs (no answers, missing sd, non-finite
//!   numbers, arithmetic overflow) give `None`.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Scores are stored as integers in units of 10⁻⁴ (SPEC scores have at most 4 decimals).
pub const SCORE_SCALE: u32 = 4;

/// 10^[`SCORE_SCALE`], the factor between a score and its scaled integer.
const SCALE_FACTOR: i128 = 10_000;

/// The largest number of decimals a [`Decimal`] can carry; rounding beyond it is meaningless.
const MAX_PRECISION: u32 = 28;

/// n, mean and sample sd of one group of answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Number of answers.
    pub n: u64,
    /// Arithmetic mean of the answers.
    pub mean: f64,
    /// Sample standard deviation (divisor n − 1); `None` when n < 2 or unknown.
    pub sd: Option<f64>,
}

/// Why a score could not be accumulated exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreError {
    /// The score has more than [`SCORE_SCALE`] significant decimals (e.g. `6.12345`).
    TooManyDecimals,
    /// The score times 10⁴ does not fit in an `i64`.
    OutOfRange,
}

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScoreError::TooManyDecimals => {
                write!(f, "score has more than {SCORE_SCALE} decimal places")
            }
            ScoreError::OutOfRange => write!(f, "score is out of range"),
        }
    }
}

impl std::error::Error for ScoreError {}

/// A score as an integer number of 10⁻⁴, the unit [`Accumulator::add_scaled`] takes.
///
/// Trailing zeros do not count as decimals (`7.000000` is fine); a score that needs more
/// than four decimals is refused rather than rounded, because rounding would silently break
/// the promise that the accumulated mean is exact.
pub fn scale_score(score: Decimal) -> Result<i64, ScoreError> {
    let normal = score.normalize();
    let scale = normal.scale();
    if scale > SCORE_SCALE {
        return Err(ScoreError::TooManyDecimals);
    }
    let factor = 10_i128.pow(SCORE_SCALE - scale);
    normal
        .mantissa()
        .checked_mul(factor)
        .and_then(|v| i64::try_from(v).ok())
        .ok_or(ScoreError::OutOfRange)
}

/// Exact accumulator for answers: scores are decimals with at most 4 decimal places, in
/// practice small integers.
///
/// Count, Σx and Σx² are kept exactly in integers (scores scaled by 10⁴, so Σx² is scaled
/// by 10⁸), which makes the result equal to a naive exact computation regardless of the
/// order answers arrive in or how accumulators are merged. [`Accumulator::summary`] converts
/// to floating point once, at the end. Adding an answer is a few integer operations, cheap
/// enough for ten million answers.
///
/// Overflow needs sums beyond ±1.7·10³⁸ (for scores of at most 100, more than 10²⁶
/// answers), so it cannot happen with real surveys; should it happen anyway the accumulator
/// remembers it and [`Accumulator::summary`] returns `None` instead of a wrong figure.
#[derive(Debug, Clone, Default)]
pub struct Accumulator {
    /// Number of answers.
    n: u64,
    /// Σx, in units of 10⁻⁴.
    sum: i128,
    /// Σx², in units of 10⁻⁸.
    sum_sq: i128,
    /// Set once any of the sums overflowed; sticky so that a wrong total is never reported.
    overflow: bool,
}

impl Accumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one answer given as a decimal score.
    ///
    /// Returns an error (and adds nothing) when the score has more than four decimals or is
    /// out of range; see [`scale_score`].
    pub fn add(&mut self, score: Decimal) -> Result<(), ScoreError> {
        let x = scale_score(score)?;
        self.add_scaled(x);
        Ok(())
    }

    /// Adds one answer given as its score times 10⁴ (`7.25` is `72500`). The hot path.
    pub fn add_scaled(&mut self, x: i64) {
        self.add_count(x, 1);
    }

    /// Adds `count` answers of the same score (times 10⁴): one row of a frequency table.
    pub fn add_count(&mut self, x: i64, count: u64) {
        let x = i128::from(x);
        let c = i128::from(count);
        let step = x
            .checked_mul(c)
            .zip(x.checked_mul(x).and_then(|sq| sq.checked_mul(c)))
            .and_then(|(dx, dsq)| self.plus(count, dx, dsq));
        match step {
            Some((n, sum, sum_sq)) => {
                self.n = n;
                self.sum = sum;
                self.sum_sq = sum_sq;
            }
            None => self.overflow = true,
        }
    }

    /// Adds all answers of `o` to `self`, as if they had been added one by one.
    pub fn merge(&mut self, o: &Accumulator) {
        match self.plus(o.n, o.sum, o.sum_sq) {
            Some((n, sum, sum_sq)) if !o.overflow => {
                self.n = n;
                self.sum = sum;
                self.sum_sq = sum_sq;
            }
            _ => self.overflow = true,
        }
    }

    /// The three running totals plus the given increments, or `None` on overflow.
    fn plus(&self, n: u64, sum: i128, sum_sq: i128) -> Option<(u64, i128, i128)> {
        Some((
            self.n.checked_add(n)?,
            self.sum.checked_add(sum)?,
            self.sum_sq.checked_add(sum_sq)?,
        ))
    }

    /// Number of answers added so far.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// True when a sum overflowed; the accumulator then reports no summary.
    pub fn overflowed(&self) -> bool {
        self.overflow
    }

    /// n, mean and sample sd; `None` when there are no answers (or after an overflow).
    ///
    /// The mean is the `f64` nearest to the exact rational Σx / n. The variance is computed
    /// exactly as a rational and rounded once, so the usual catastrophic cancellation of
    /// Σx² − (Σx)²/n cannot occur; the sd then takes one square root and one division.
    pub fn summary(&self) -> Option<Summary> {
        if self.n == 0 || self.overflow {
            return None;
        }
        let n = u128::from(self.n);
        let mean = ratio_to_f64(self.sum, n.checked_mul(SCALE_FACTOR as u128)?);
        let sd = if self.n < 2 {
            None
        } else {
            self.variance_scaled()
                .map(|v| v.sqrt() / SCALE_FACTOR as f64)
        };
        Some(Summary {
            n: self.n,
            mean,
            sd,
        })
    }

    /// The mean rounded half away from zero to `precision` decimals, computed from the exact
    /// rational Σx / n without going through floating point. Use it for the target test of
    /// SPEC 5.2 on respondent data: a mean of exactly 7.045 then rounds to 7.05 for certain.
    /// `None` when there are no answers, after an overflow, or when `precision` > 28.
    pub fn mean_rounded(&self, precision: u32) -> Option<Decimal> {
        if self.n == 0 || self.overflow {
            return None;
        }
        round_ratio(self.sum, i128::from(self.n), SCORE_SCALE, precision)
    }

    /// Sample variance in units of 10⁻⁸, i.e. (Σx² − (Σx)²/n) / (n − 1), rounded once.
    fn variance_scaled(&self) -> Option<f64> {
        let n = i128::from(self.n);
        // Write Σx = q·n + r with 0 ≤ r < n. Then Σx² − (Σx)²/n = A − r²/n with the integer
        // A = Σx² − q·(Σx + r). A is the centred sum of squares up to less than n, so it
        // stays as small as the data allow, where n·Σx² − (Σx)² would be n times larger.
        let q = self.sum.div_euclid(n);
        let r = self.sum.rem_euclid(n);
        let a = self
            .sum_sq
            .checked_sub(q.checked_mul(self.sum.checked_add(r)?)?)?;
        // Exact: variance = (n·A − r²) / (n·(n − 1)).
        let num = n.checked_mul(a).zip(r.checked_mul(r));
        let num = num.and_then(|(na, rr)| na.checked_sub(rr));
        let den = n.checked_mul(n - 1).and_then(|d| u128::try_from(d).ok());
        let exact = num.zip(den).map(|(num, den)| ratio_to_f64(num, den));
        // Out of i128 range (unreachable for survey data), fall back to floating point on the
        // already-centred A, which loses at most a few ulps.
        let var = exact
            .unwrap_or_else(|| (a as f64 - (r as f64) * (r as f64) / n as f64) / (n - 1) as f64);
        // The exact numerator is ≥ 0 by Cauchy–Schwarz; the guard only protects the fallback.
        Some(var.max(0.0))
    }
}

/// The `f64` nearest to `num / den` (ties to even), for any `i128` numerator and positive
/// `u128` denominator. `0.0` when `den` is 0 (callers never pass it).
///
/// Dividing two `f64` conversions would round three times; here long division produces 55
/// significant quotient bits plus a sticky bit, and a single conversion rounds them.
fn ratio_to_f64(num: i128, den: u128) -> f64 {
    if num == 0 || den == 0 {
        return 0.0;
    }
    let a = num.unsigned_abs();
    let mut q = a / den;
    let mut r = a % den;
    let mut shift: i32 = 0;
    // Each step appends one quotient bit; at most 54 + 128 steps since a ≥ 1.
    while q < (1_u128 << 54) {
        // 2r ≥ den, written so that 2r is never formed (it could overflow u128).
        let bit = r >= den - r;
        r = if bit { r - (den - r) } else { r + r };
        q = (q << 1) | u128::from(bit);
        shift += 1;
    }
    if r != 0 {
        // Sticky bit: below the rounding position, it only breaks false ties.
        q |= 1;
    }
    // u128 → f64 rounds to nearest, ties to even; scaling by 2^-shift is exact because
    // shift ≤ 182 keeps the result far from the subnormal range.
    let magnitude = (q as f64) * f64::from_bits(((1023 - shift) as u64) << 52);
    if num < 0 { -magnitude } else { magnitude }
}

/// Rounds `num · 10^-num_scale / den` half away from zero to `precision` decimals, exactly,
/// in integers. `None` when `den` ≤ 0, `precision` > 28 or the result does not fit.
fn round_ratio(num: i128, den: i128, num_scale: u32, precision: u32) -> Option<Decimal> {
    if den <= 0 || precision > MAX_PRECISION {
        return None;
    }
    // value · 10^precision = num · 10^(precision − num_scale) / den
    let (a, b) = if precision >= num_scale {
        let f = 10_i128.checked_pow(precision - num_scale)?;
        (num.checked_mul(f)?, den)
    } else {
        let f = 10_i128.checked_pow(num_scale - precision)?;
        (num, den.checked_mul(f)?)
    };
    let q = div_round_half_away(a, b)?;
    Decimal::try_from_i128_with_scale(q, precision).ok()
}

/// `a / b` rounded half away from zero, for `b` > 0.
fn div_round_half_away(a: i128, b: i128) -> Option<i128> {
    let b = b.unsigned_abs();
    let m = a.unsigned_abs();
    let mut q = m / b;
    let r = m % b;
    // r ≥ b − r is 2r ≥ b without the overflow of 2r.
    if r >= b - r {
        q += 1;
    }
    let q = i128::try_from(q).ok()?;
    Some(if a < 0 { -q } else { q })
}

/// Combine per-unit aggregated rows (n_i, mean_i, sd_i): N = Σn, mean = Σ n_i mean_i / N,
/// pooled sd = sqrt( Σ[(n_i−1) sd_i² + n_i (mean_i − mean)²] / (N−1) ) (SPEC 5.1).
///
/// - `None` when N = 0, or when a row with answers has a non-finite mean or a negative or
///   non-finite sd (such a row is corrupt, and a figure built on it would be too).
/// - Rows with n = 0 are skipped: they hold no answers, and their mean is meaningless.
/// - sd is `None` when N < 2 or when any row with n ≥ 2 lacks an sd. A row with n = 1 has
///   no sample sd by definition but its within-unit sum of squares is exactly 0, so its
///   missing sd does not blank the pooled sd; this keeps pooling identical to the sd of the
///   concatenated answers.
/// - A single non-empty row is returned as it is, so pooling never perturbs a published
///   organisation-wide figure.
pub fn pool(rows: &[Summary]) -> Option<Summary> {
    let rows: Vec<&Summary> = rows.iter().filter(|r| r.n > 0).collect();
    for r in &rows {
        if !r.mean.is_finite() || r.sd.is_some_and(|sd| !sd.is_finite() || sd < 0.0) {
            return None;
        }
    }
    if let [only] = rows.as_slice() {
        return Some(Summary {
            sd: if only.n < 2 { None } else { only.sd },
            ..**only
        });
    }
    let total = rows.iter().try_fold(0_u64, |acc, r| acc.checked_add(r.n))?;
    if total == 0 {
        return None;
    }
    let big_n = total as f64;
    let mean = rows.iter().map(|r| r.n as f64 * r.mean).sum::<f64>() / big_n;
    let sd = if total < 2 {
        None
    } else {
        let mut ss = 0.0;
        let mut complete = true;
        for r in &rows {
            let n = r.n as f64;
            let within = match (r.n, r.sd) {
                (1, _) => 0.0,
                (_, Some(sd)) => (n - 1.0) * sd * sd,
                (_, None) => {
                    complete = false;
                    0.0
                }
            };
            let d = r.mean - mean;
            ss += within + n * d * d;
        }
        complete.then(|| (ss / (big_n - 1.0)).sqrt())
    };
    Some(Summary { n: total, mean, sd })
}

/// The n-weighted mean of aggregated rows `(n_i, mean_i)` rounded half away from zero to
/// `precision`, computed exactly in decimal: the counterpart of
/// [`Accumulator::mean_rounded`] for aggregated files, whose means are decimals as printed
/// by the vendor. `None` when N = 0, on overflow, or when `precision` > 28.
pub fn pooled_mean_rounded(rows: &[(u64, Decimal)], precision: u32) -> Option<Decimal> {
    let mut total: i128 = 0;
    let mut weighted = Decimal::ZERO;
    for &(n, mean) in rows {
        total = total.checked_add(i128::from(n))?;
        weighted = weighted.checked_add(Decimal::from(n).checked_mul(mean)?)?;
    }
    if total == 0 {
        return None;
    }
    round_ratio(weighted.mantissa(), total, weighted.scale(), precision)
}

/// The two-sided 97.5 % quantile of Student's t with `df` degrees of freedom.
fn t_quantile_975(df: f64) -> Option<f64> {
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let t = dist.inverse_cdf(0.975);
    t.is_finite().then_some(t)
}

/// 95 % interval mean ± t_{0.975, n−1} · sd / √n (Student's t), as `(low, high)`.
/// `None` without sd, with n < 2, or with a non-finite mean or sd.
pub fn confidence_interval_95(s: &Summary) -> Option<(f64, f64)> {
    let sd = s.sd?;
    if s.n < 2 || !s.mean.is_finite() || !sd.is_finite() || sd < 0.0 {
        return None;
    }
    let n = s.n as f64;
    let half = t_quantile_975(n - 1.0)? * sd / n.sqrt();
    Some((s.mean - half, s.mean + half))
}

/// Result of Welch's two-sample t-test between two waves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    /// t statistic, positive when the later wave has the higher mean.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// `p_value < 0.05`.
    pub significant: bool,
}

/// Welch's two-sided t-test of two waves: t = (m2 − m1) / sqrt(sd1²/n1 + sd2²/n2),
/// Welch–Satterthwaite df, p = 2·(1 − F_t(|t|; df)).
///
/// `None` when either wave lacks sd or has n < 2, when a figure is not finite, or when both
/// variances are 0. In the last case every answer in each wave was the same, so the data
/// carry no estimate of noise: t would be 0/0 or ±∞, and reporting "p = 0, significant"
/// from, say, 3 + 3 identical answers would claim certainty the data cannot give. A blank
/// is the honest answer, the same as when sd is unknown (SPEC 5.1: blank when a wave lacks
/// n or sd).
pub fn welch(before: &Summary, after: &Summary) -> Option<Welch> {
    let (sd1, sd2) = (before.sd?, after.sd?);
    if before.n < 2 || after.n < 2 {
        return None;
    }
    let finite = [before.mean, after.mean, sd1, sd2]
        .iter()
        .all(|v| v.is_finite());
    if !finite || sd1 < 0.0 || sd2 < 0.0 {
        return None;
    }
    let (n1, n2) = (before.n as f64, after.n as f64);
    let v1 = sd1 * sd1 / n1;
    let v2 = sd2 * sd2 / n2;
    let se2 = v1 + v2;
    if se2 <= 0.0 {
        return None;
    }
    let t = (after.mean - before.mean) / se2.sqrt();
    let df = se2 * se2 / (v1 * v1 / (n1 - 1.0) + v2 * v2 / (n2 - 1.0));
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    // 2·(1 − F(|t|)) evaluated as 2·S(|t|) with the survival function: the same number,
    // without the cancellation that turns small p-values into 0 in 1 − F.
    let p_value = (2.0 * dist.sf(t.abs())).clamp(0.0, 1.0);
    if !t.is_finite() || !p_value.is_finite() {
        return None;
    }
    Some(Welch {
        t,
        df,
        p_value,
        significant: p_value < 0.05,
    })
}

/// Round half away from zero to `precision` decimals, in decimal (6.8 + 0.25 must be
/// exactly 7.05). A value that already has at most `precision` decimals is returned as is.
pub fn round_half_away(value: Decimal, precision: u32) -> Decimal {
    value.round_dp_with_strategy(precision, RoundingStrategy::MidpointAwayFromZero)
}

/// An `f64` mean as a [`Decimal`] rounded half away from zero to `precision` (for the target
/// test: SPEC 5.2 compares the actual rounded to precision with the target).
///
/// The `f64` is first read as its shortest round-trip decimal — the number `plan` would
/// print — and that decimal is rounded. So a mean computed as `7.045` rounds to 7.05 like a
/// reader of the printed figure expects, even though the binary double nearest 7.045 lies
/// just below it. Where the exact rational mean is available prefer
/// [`Accumulator::mean_rounded`] or [`pooled_mean_rounded`].
///
/// `None` for non-finite values, `precision` > 28, or results beyond `Decimal`'s range.
pub fn round_f64(value: f64, precision: u32) -> Option<Decimal> {
    if !value.is_finite() || precision > MAX_PRECISION {
        return None;
    }
    // `{:e}` prints the shortest digits that read back as the same f64, e.g. "-7.045e0".
    let text = format!("{value:e}");
    let (mantissa, exponent) = text.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // At most 17 significant digits, so the digit string fits an i128 comfortably.
    let digits: i128 = format!("{int_part}{frac_part}").parse().ok()?;
    let digits = if negative { -digits } else { digits };
    // value = digits · 10^(exponent − frac_len); bring it to value · 10^precision.
    let frac_len = i32::try_from(frac_part.len()).ok()?;
    let power = exponent - frac_len + i32::try_from(precision).ok()?;
    let scaled = if power >= 0 {
        digits.checked_mul(10_i128.checked_pow(power.unsigned_abs())?)?
    } else if power < -38 {
        // |digits| < 10^17, so the quotient is below 10^-21: rounds to zero.
        0
    } else {
        div_round_half_away(digits, 10_i128.pow(power.unsigned_abs()))?
    };
    Decimal::try_from_i128_with_scale(scaled, precision).ok()
}

/// SPEC 5.4 privacy for ONE breakdown (one indicator in one wave): given `(unit name, n)`
/// pairs, returns which units to suppress, in input order.
///
/// Every unit with n < `min_size` is suppressed. Then, because the total is shown and a
/// hidden unit could otherwise be recovered by subtraction, while at least one unit is
/// suppressed and the suppressed units together hold fewer than `min_size` answers, the
/// smallest remaining unit is suppressed too (ties broken by unit name, ascending, then by
/// input position so the result is deterministic even for duplicate names).
///
/// Edge: if the rule would need more units than there are — every unit is already
/// suppressed and they still hold fewer than `min_size` answers — it stops with all units
/// suppressed. The overall figure then also has n < `min_size` and is hidden by
/// [`overall_visible`], so nothing is left to subtract from.
///
/// Units with n = 0 count like any other: they are below any positive `min_size`, so they
/// are suppressed, and since they add nothing to the suppressed total they trigger
/// secondary suppression of the smallest shown unit. That follows the rule literally and
/// errs on the side of hiding; callers who prefer not to list empty units can drop them
/// before calling.
pub fn suppressed_units(units: &[(&str, u64)], min_size: u64) -> Vec<bool> {
    let mut suppressed: Vec<bool> = units.iter().map(|&(_, n)| n < min_size).collect();
    if !suppressed.contains(&true) {
        return suppressed;
    }
    let mut hidden: u128 = units
        .iter()
        .zip(&suppressed)
        .filter(|(_, s)| **s)
        .map(|(&(_, n), _)| u128::from(n))
        .sum();
    // Remaining units, smallest first: the order in which secondary suppression takes them.
    let mut remaining: Vec<usize> = (0..units.len()).filter(|&i| !suppressed[i]).collect();
    remaining.sort_by(|&a, &b| {
        let (name_a, n_a) = units[a];
        let (name_b, n_b) = units[b];
        n_a.cmp(&n_b).then(name_a.cmp(name_b)).then(a.cmp(&b))
    });
    for i in remaining {
        if hidden >= u128::from(min_size) {
            break;
        }
        suppressed[i] = true;
        hidden += u128::from(units[i].1);
    }
    suppressed
}

/// An overall figure is shown only when its n ≥ `min_size` (SPEC 5.4).
pub fn overall_visible(n: u64, min_size: u64) -> bool {
    n >= min_size
}
