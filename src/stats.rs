//! Survey statistics and respondent privacy for indicator targets (SPEC 5.1, 5.2, 5.4).
//!
//! One job: the arithmetic of answers (exact accumulation, pooling, rounding, Student's t and
//! Welch, which units to hide), with no knowledge of plans, files or reports. It is long
//! because each figure is tested against scipy at both small and large degrees of freedom.
//! What reads the answers is in `load::survey`; what turns these figures into a wave's verdict
//! is in `report::scores`. Series and effects (SPEC 12) are built beside `report::scores` from
//! these functions; they do not belong in this file.
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
//!   the answer is an estimate anyway. statrs supplies Student's t, but its `inverse_cdf`
//!   is wrong (or never returns) and its `sf` drifts at the degrees of freedom a large
//!   organisation reaches, so large df use standard asymptotic forms instead (see
//!   `t_quantile_975` and `t_sf`); the tests check both regimes against scipy.
//! - Nothing here panics on data: impossible inputs (no answers, missing sd, non-finite
//!   numbers, arithmetic overflow) give `None`.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};

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

/// Φ⁻¹(0.975), the normal quantile Student's t tends to as df → ∞.
const Z_975: f64 = 1.959_963_984_540_054;

/// Above this many degrees of freedom statrs' `sf` drifts (≈10⁻⁸ relative at 10⁷, wrong
/// at 10¹²) and its `inverse_cdf` is wrong or does not terminate (df = 10⁹), which a
/// whole-organisation wave of millions of answers can reach. The asymptotic forms below are
/// accurate to ~10⁻¹⁰ (sf) and ~10⁻¹⁵ (quantile) from well below these thresholds on.
const LARGE_DF_SF: f64 = 1e5;
/// See [`LARGE_DF_SF`]; the Cornish–Fisher series is exact to double precision from here.
const LARGE_DF_QUANTILE: f64 = 1e3;

/// Upper tail P(T > t) of Student's t with `df` degrees of freedom, for t ≥ 0.
fn t_sf(t: f64, df: f64) -> Option<f64> {
    if df > LARGE_DF_SF {
        // Hill (1970), ACM Algorithm 395: a normalising transform of t whose error falls as
        // df⁻⁴, so at df > 10⁵ the only error left is that of erfc.
        let a = df - 0.5;
        let b = 48.0 * a * a;
        let y = a * (t * t / df).ln_1p();
        let y =
            (((((-0.4 * y - 3.3) * y - 24.0) * y - 85.5) / (0.8 * y * y + 100.0 + b) + y + 3.0)
                / b
                + 1.0)
                * y.sqrt();
        return Some(0.5 * statrs::function::erf::erfc(y / std::f64::consts::SQRT_2));
    }
    Some(StudentsT::new(0.0, 1.0, df).ok()?.sf(t))
}

/// The 97.5 % quantile of Student's t with `df` degrees of freedom (`df` ≥ 1 here).
fn t_quantile_975(df: f64) -> Option<f64> {
    if df.is_nan() || df <= 0.0 {
        return None;
    }
    if df >= LARGE_DF_QUANTILE {
        // Cornish–Fisher expansion in 1/df (Abramowitz & Stegun 26.7.5), four terms; the
        // first omitted term is below 10⁻¹⁵ relative at df = 1000.
        let z = Z_975;
        let z2 = z * z;
        let g1 = z * (z2 + 1.0) / 4.0;
        let g2 = z * ((5.0 * z2 + 16.0) * z2 + 3.0) / 96.0;
        let g3 = z * (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / 384.0;
        let g4 = z * ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) / 92160.0;
        let u = 1.0 / df;
        return Some(z + u * (g1 + u * (g2 + u * (g3 + u * g4))));
    }
    // statrs' inverse_cdf is only good to ~10⁻¹¹ here; a few Newton steps on the (more
    // accurate) survival function polish it. The quantile is never below the normal one, so
    // iterates are kept ≥ z, which also guards against a wild first guess.
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let guess = dist.inverse_cdf(0.975);
    let mut t = if guess.is_finite() && guess > Z_975 {
        guess
    } else {
        Z_975
    };
    for _ in 0..50 {
        let step = (dist.sf(t) - 0.025) / dist.pdf(t);
        if !step.is_finite() {
            break;
        }
        let next = (t + step).max(Z_975);
        let done = (next - t).abs() <= 1e-15 * t;
        t = next;
        if done {
            break;
        }
    }
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
    if !t.is_finite() || !df.is_finite() {
        return None;
    }
    // 2·(1 − F(|t|)) evaluated as 2·S(|t|) with the survival function: the same number,
    // without the cancellation that turns small p-values into 0 in 1 − F.
    let p_value = (2.0 * t_sf(t.abs(), df)?).clamp(0.0, 1.0);
    if !p_value.is_finite() {
        return None;
    }
    Some(Welch {
        t,
        df,
        p_value,
        significant: p_value < 0.05,
    })
}

/// Wilson's 95 % score interval for a share of `positive` out of `n` answers, in % (SPEC
/// 12.5): (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n) × 100. Unlike p̂ ± z·√(p̂(1−p̂)/n)
/// it stays inside 0..100 and is not zero-width at 0 % or 100 %, which small units reach.
/// `None` when n is 0 or `positive` > n.
pub fn wilson_interval_95(positive: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 || positive > n {
        return None;
    }
    let (x, n) = (positive as f64, n as f64);
    let p = x / n;
    let z2 = Z_975 * Z_975;
    let centre = p + z2 / (2.0 * n);
    let half = Z_975 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let scale = 1.0 + z2 / n;
    let low = ((centre - half) / scale).clamp(0.0, 1.0);
    let high = ((centre + half) / scale).clamp(0.0, 1.0);
    Some((100.0 * low, 100.0 * high))
}

/// The two-proportion z-test (pooled) of two waves' shares (SPEC 12.5).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProportionTest {
    /// z statistic, positive when the later wave has the higher share.
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// `p_value < 0.05`.
    pub significant: bool,
}

/// The pooled two-proportion z-test: z = (p₂ − p₁) / √(p̄(1−p̄)(1/n₁ + 1/n₂)) with
/// p̄ = (x₁ + x₂)/(n₁ + n₂); p = 2·(1 − Φ(|z|)), evaluated as erfc(|z|/√2).
///
/// `None` when a wave has no answers or more positives than answers, or when the pooled
/// share is 0 % or 100 %: every answer in both waves was the same, the data carry no
/// estimate of noise, and a blank is the honest answer (as for Welch with sd 0).
pub fn two_proportion_z(before: (u64, u64), after: (u64, u64)) -> Option<ProportionTest> {
    let ((x1, n1), (x2, n2)) = (before, after);
    if n1 == 0 || n2 == 0 || x1 > n1 || x2 > n2 {
        return None;
    }
    let (x1, n1, x2, n2) = (x1 as f64, n1 as f64, x2 as f64, n2 as f64);
    let pooled = (x1 + x2) / (n1 + n2);
    let se2 = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2);
    if se2 <= 0.0 || !se2.is_finite() {
        return None;
    }
    let z = (x2 / n2 - x1 / n1) / se2.sqrt();
    if !z.is_finite() {
        return None;
    }
    let p_value = statrs::function::erf::erfc(z.abs() / std::f64::consts::SQRT_2).clamp(0.0, 1.0);
    Some(ProportionTest {
        z,
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

#[cfg(test)]
mod tests {
    //! Expected values come from a second, independent method: Python 3.11 with scipy 1.17
    //! (`statistics` on `fractions.Fraction` for exact means and sds, scipy for the t
    //! distribution), or from the rule applied by hand. Each block names its source.

    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("test literal is a decimal")
    }

    fn acc_of(scores: &[&str]) -> Accumulator {
        let mut acc = Accumulator::new();
        for s in scores {
            acc.add(d(s)).expect("test score has at most 4 decimals");
        }
        acc
    }

    fn acc_of_ints(scores: &[i64]) -> Accumulator {
        let mut acc = Accumulator::new();
        for &s in scores {
            acc.add_scaled(s * 10_000);
        }
        acc
    }

    #[track_caller]
    fn close(actual: f64, expected: f64, rel: f64) {
        let err = ((actual - expected) / expected).abs();
        assert!(
            err <= rel,
            "actual {actual:e}, expected {expected:e}, relative error {err:e} > {rel:e}"
        );
    }

    const A30: [&str; 30] = [
        "7", "8", "6.5", "9", "5", "7", "8", "10", "4", "6", "7.25", "8", "9", "6", "7", "5.5",
        "8", "9", "7", "6", "3", "8", "7", "9", "10", "6", "7", "8", "5", "7.75",
    ];

    // ---- Accumulator -------------------------------------------------------------------

    #[test]
    fn accumulator_matches_python_mean_and_stdev() {
        // python3 -c "import statistics as st; from fractions import Fraction as F;
        //   a='7 8 6.5 9 5 7 8 10 4 6 7.25 8 9 6 7 5.5 8 9 7 6 3 8 7 9 10 6 7 8 5 7.75'.split();
        //   A=[F(x) for x in a]; print(repr(float(st.mean(A))), repr(st.stdev(A)))"
        // → 7.133333333333334 1.6566653946663634
        let s = acc_of(&A30).summary().expect("30 answers");
        assert_eq!(s.n, 30);
        // The exact rational mean is 214/30; both ways round it once, so they agree exactly.
        assert_eq!(s.mean, 7.133333333333334);
        close(s.sd.expect("n ≥ 2"), 1.6566653946663634, 1e-12);
    }

    #[test]
    fn merge_equals_one_accumulator_in_any_order() {
        let whole = acc_of(&A30).summary();
        let mut left = acc_of(&A30[..13]);
        let right = acc_of(&A30[13..]);
        left.merge(&right);
        assert_eq!(left.summary(), whole);
        // Reverse order and three-way split: integer sums make the result bit-identical.
        let mut rev: Vec<&str> = A30.to_vec();
        rev.reverse();
        let mut parts = acc_of(&rev[..5]);
        parts.merge(&acc_of(&rev[5..20]));
        parts.merge(&acc_of(&rev[20..]));
        assert_eq!(parts.summary(), whole);
        // Merging an empty accumulator changes nothing.
        parts.merge(&Accumulator::new());
        assert_eq!(parts.summary(), whole);
    }

    #[test]
    fn frequencies_equal_expanded_list() {
        // Frequency table 1×3, 4×7, 5×12, 7.5×2, 10×5.
        // python3 -c "import statistics as st; from fractions import Fraction as F;
        //   fr={'1':3,'4':7,'5':12,'7.5':2,'10':5}; L=[F(k) for k,v in fr.items() for _ in range(v)];
        //   print(len(L), repr(float(st.mean(L))), repr(st.stdev(L)))"
        // → 29 5.379310344827586 2.5934504471215325
        let table = [("1", 3_u64), ("4", 7), ("5", 12), ("7.5", 2), ("10", 5)];
        let mut freq = Accumulator::new();
        let mut expanded = Accumulator::new();
        for (score, count) in table {
            freq.add_count(scale_score(d(score)).expect("valid"), count);
            for _ in 0..count {
                expanded.add(d(score)).expect("valid");
            }
        }
        let s = freq.summary().expect("29 answers");
        assert_eq!(Some(s), expanded.summary());
        assert_eq!(s.n, 29);
        assert_eq!(s.mean, 5.379310344827586);
        close(s.sd.expect("n ≥ 2"), 2.5934504471215325, 1e-12);
        // A zero count adds nothing.
        freq.add_count(90_000, 0);
        assert_eq!(freq.summary(), Some(s));
    }

    #[test]
    fn integer_path_is_exact_where_f64_summation_drifts() {
        // 1,000,000 answers of 0.1 and one of 0.7: exact mean 100000.7 / 1000001.
        // python3 -c "import statistics as st; from fractions import Fraction as F;
        //   L=[F(1,10)]*10**6+[F(7,10)]; print(repr(float(st.mean(L))), repr(st.stdev(L)))"
        // → 0.1000005999994 0.000599999700000225
        let mut acc = Accumulator::new();
        let mut naive = 0.0_f64;
        for _ in 0..1_000_000 {
            acc.add_scaled(1_000);
            naive += 0.1;
        }
        acc.add_scaled(7_000);
        naive += 0.7;
        let s = acc.summary().expect("answers");
        assert_eq!(s.n, 1_000_001);
        // Second method in Rust: numerator and denominator are exact in f64, so IEEE division
        // is the correctly rounded rational 1000007 / 10000010.
        assert_eq!(s.mean, 1_000_007.0 / 10_000_010.0);
        assert_eq!(s.mean, 0.1000005999994);
        // The naive float sum has drifted away from that value: the test would catch it.
        assert_ne!(naive / 1_000_001.0, s.mean);
        close(s.sd.expect("n ≥ 2"), 0.000599999700000225, 1e-12);
    }

    #[test]
    fn accumulator_edge_cases() {
        assert_eq!(Accumulator::new().summary(), None);
        assert_eq!(Accumulator::new().mean_rounded(2), None);
        let one = acc_of(&["7.5"]).summary();
        assert_eq!(
            one,
            Some(Summary {
                n: 1,
                mean: 7.5,
                sd: None
            })
        );
        let same = acc_of(&["7", "7", "7"]).summary().expect("answers");
        assert_eq!(same.sd, Some(0.0));
        // Negative scores (a −2..2 scale): mean of −1.5 and 0.5 is −0.5, sd √2.
        let neg = acc_of(&["-1.5", "0.5"]).summary().expect("answers");
        assert_eq!(neg.mean, -0.5);
        close(neg.sd.expect("n ≥ 2"), std::f64::consts::SQRT_2, 1e-15);
    }

    #[test]
    fn scores_are_scaled_exactly_or_refused() {
        assert_eq!(scale_score(d("7.25")), Ok(72_500));
        assert_eq!(scale_score(d("-1.5")), Ok(-15_000));
        assert_eq!(scale_score(d("7.000000")), Ok(70_000));
        assert_eq!(scale_score(d("0.0001")), Ok(1));
        assert_eq!(scale_score(d("6.12345")), Err(ScoreError::TooManyDecimals));
        assert_eq!(
            scale_score(d("100000000000000000000")),
            Err(ScoreError::OutOfRange)
        );
        let mut acc = Accumulator::new();
        assert_eq!(acc.add(d("6.12345")), Err(ScoreError::TooManyDecimals));
        assert_eq!(acc.n(), 0);
    }

    #[test]
    fn overflow_is_reported_not_wrapped() {
        let mut acc = Accumulator::new();
        for _ in 0..3 {
            acc.add_scaled(i64::MAX); // x² ≈ 8.5·10³⁷; three of them exceed i128.
        }
        assert!(acc.overflowed());
        assert_eq!(acc.summary(), None);
        let mut other = acc_of(&["1", "2"]);
        other.merge(&acc);
        assert!(other.overflowed());
        assert_eq!(other.summary(), None);
    }

    #[test]
    fn ratio_to_f64_rounds_once() {
        // python3 -c "from fractions import Fraction as F;
        //   print(repr(float(F(297464942117865831364, 123649))), repr(297464942117865831364/123649))"
        // → 2405720564807364.5 2405720564807365.0  (the float division rounds twice)
        assert_eq!(
            ratio_to_f64(297_464_942_117_865_831_364, 123_649),
            2_405_720_564_807_364.5
        );
        assert_eq!(
            ratio_to_f64(-297_464_942_117_865_831_364, 123_649),
            -2_405_720_564_807_364.5
        );
        assert_eq!(ratio_to_f64(1, 3), 1.0 / 3.0);
        assert_eq!(ratio_to_f64(-10, 4), -2.5);
        assert_eq!(ratio_to_f64(0, 7), 0.0);
        assert_eq!(ratio_to_f64(i128::MAX, 1), 2.0_f64.powi(127));
        assert_eq!(ratio_to_f64(1, u128::MAX), 2.0_f64.powi(-128));
    }

    #[test]
    fn mean_rounded_uses_the_exact_rational() {
        // 7.04 and 7.05: the mean is exactly 7.045 and rounds half away to 7.05, though the
        // nearest f64 (7.04499999999999992894…) lies below the midpoint.
        let acc = acc_of(&["7.04", "7.05"]);
        assert_eq!(acc.mean_rounded(2), Some(d("7.05")));
        assert_eq!(acc.mean_rounded(1), Some(d("7.0")));
        assert_eq!(acc.mean_rounded(6), Some(d("7.045000")));
        assert_eq!(
            acc_of(&["-7.04", "-7.05"]).mean_rounded(2),
            Some(d("-7.05"))
        );
        // 214/30 = 7.1333… → 7.13; 0 decimals → 7.
        assert_eq!(acc_of(&A30).mean_rounded(2), Some(d("7.13")));
        assert_eq!(acc_of(&A30).mean_rounded(0), Some(d("7")));
        assert_eq!(acc.mean_rounded(29), None);
    }

    // ---- pooling -----------------------------------------------------------------------

    const G1: [i64; 7] = [6, 7, 8, 5, 9, 7, 6];
    const G2: [i64; 11] = [8, 9, 10, 7, 8, 9, 6, 7, 8, 10, 9];
    const G3: [i64; 4] = [3, 4, 5, 4];

    #[test]
    fn pool_equals_concatenated_raw_data() {
        // python3 -c "import statistics as st; from fractions import Fraction as F;
        //   g=[6,7,8,5,9,7,6]+[8,9,10,7,8,9,6,7,8,10,9]+[3,4,5,4];
        //   print(repr(float(st.mean([F(x) for x in g]))), repr(st.stdev([F(x) for x in g])))"
        // → 7.045454545454546 1.9875151446508401
        let rows: Vec<Summary> = [&G1[..], &G2[..], &G3[..]]
            .iter()
            .map(|g| acc_of_ints(g).summary().expect("non-empty"))
            .collect();
        let pooled = pool(&rows).expect("rows");
        let mut all = acc_of_ints(&G1);
        all.merge(&acc_of_ints(&G2));
        all.merge(&acc_of_ints(&G3));
        let direct = all.summary().expect("answers");
        // The pooled formula is an identity with the sd of the concatenated data.
        assert_eq!(pooled.n, 22);
        assert_eq!(pooled.n, direct.n);
        close(pooled.mean, direct.mean, 1e-14);
        close(
            pooled.sd.expect("all sds known"),
            direct.sd.expect("n ≥ 2"),
            1e-13,
        );
        // …and with Python.
        close(pooled.mean, 7.045454545454546, 1e-14);
        close(pooled.sd.expect("all sds known"), 1.9875151446508401, 1e-12);
    }

    #[test]
    fn pool_edge_cases() {
        let row = |n, mean, sd| Summary { n, mean, sd };
        assert_eq!(pool(&[]), None);
        assert_eq!(pool(&[row(0, f64::NAN, None)]), None);
        // One row is returned unchanged.
        assert_eq!(
            pool(&[row(40, 6.8, Some(2.1))]),
            Some(row(40, 6.8, Some(2.1)))
        );
        // Empty rows are skipped.
        assert_eq!(
            pool(&[row(0, 0.0, None), row(40, 6.8, Some(2.1))]),
            Some(row(40, 6.8, Some(2.1)))
        );
        // A missing sd in a row with n ≥ 2 blanks the pooled sd but not n or mean.
        let p = pool(&[row(10, 6.0, Some(1.0)), row(30, 7.0, None)]).expect("rows");
        assert_eq!((p.n, p.mean, p.sd), (40, 6.75, None));
        // A single answer has no sd but no spread either: pooled = sd of [7, 9] = √2.
        let p = pool(&[row(1, 7.0, None), row(1, 9.0, None)]).expect("rows");
        assert_eq!(p.mean, 8.0);
        close(p.sd.expect("n = 2"), std::f64::consts::SQRT_2, 1e-15);
        // Corrupt rows give no figure.
        assert_eq!(pool(&[row(3, f64::NAN, None), row(4, 1.0, None)]), None);
        assert_eq!(pool(&[row(3, 1.0, Some(-1.0)), row(4, 1.0, None)]), None);
    }

    #[test]
    fn pooled_mean_rounded_is_exact() {
        // (7.04 + 7.05) / 2 = 7.045 exactly → 7.05.
        assert_eq!(
            pooled_mean_rounded(&[(1, d("7.04")), (1, d("7.05"))], 2),
            Some(d("7.05"))
        );
        // (2·6.8 + 7.1) / 3 = 6.9.
        assert_eq!(
            pooled_mean_rounded(&[(2, d("6.8")), (1, d("7.1"))], 2),
            Some(d("6.90"))
        );
        // (7 + 2·7.1) / 3 = 7.0666… → 7.07.
        assert_eq!(
            pooled_mean_rounded(&[(1, d("7")), (2, d("7.1")), (0, d("1"))], 2),
            Some(d("7.07"))
        );
        assert_eq!(pooled_mean_rounded(&[(0, d("7"))], 2), None);
        assert_eq!(pooled_mean_rounded(&[], 2), None);
    }

    // ---- t distribution, interval, Welch -----------------------------------------------

    #[test]
    fn t_quantile_matches_scipy_across_df() {
        // python3 -c "from scipy import stats; [print(df, repr(stats.t.ppf(0.975, df)))
        //   for df in [1,2,5,29,100,999,1000,12345,1e5,1e7,1e9]]"
        let cases = [
            (1.0, 12.706204736174694),
            (2.0, 4.302652729749462),
            (5.0, 2.5705818356363146),
            (29.0, 2.045229642132703),
            (100.0, 1.9839715185235518),
            (999.0, 1.9623414611334493),
            (1000.0, 1.9623390808264083),
            (12345.0, 1.9601561676005668),
            (1e5, 1.9599877075346095),
            (1e7, 1.959964221767205),
            (1e9, 1.959963986912325),
        ];
        for (df, expected) in cases {
            let t = t_quantile_975(df).expect("df > 0");
            close(t, expected, 1e-12);
        }
        assert_eq!(t_quantile_975(0.0), None);
        assert_eq!(t_quantile_975(f64::NAN), None);
    }

    #[test]
    fn t_sf_matches_scipy_across_df() {
        // python3 -c "from scipy import stats; [print(t, df, repr(stats.t.sf(t, df)))
        //   for t,df in [(2.5,50),(1.96,2e5),(1.96,1e7),(4.0,1e9),(0.3,3e6)]]"
        let cases = [
            (2.5, 50.0, 0.007872479136560001),
            (1.96, 2e5, 0.02499858837135626),
            (1.96, 1e7, 0.024997909012657114),
            (4.0, 1e9, 3.1671244108233914e-05),
            (0.3, 3e6, 0.3820885882038648),
        ];
        for (t, df, expected) in cases {
            close(t_sf(t, df).expect("df > 0"), expected, 1e-9);
        }
    }

    #[test]
    fn confidence_interval_n30_matches_scipy() {
        // python3 -c "import math, statistics as st; from scipy import stats;
        //   a=[float(x) for x in '7 8 6.5 9 5 7 8 10 4 6 7.25 8 9 6 7 5.5 8 9 7 6 3 8 7 9 10 6 7 8 5 7.75'.split()];
        //   print(stats.t.interval(0.95, 29, loc=st.mean(a), scale=st.stdev(a)/math.sqrt(30)))"
        // → (6.514724308410134, 7.751942358256533)
        let s = acc_of(&A30).summary().expect("answers");
        let (lo, hi) = confidence_interval_95(&s).expect("n ≥ 2 with sd");
        close(lo, 6.514724308410134, 1e-12);
        close(hi, 7.751942358256533, 1e-12);
    }

    #[test]
    fn confidence_interval_for_ten_million_answers() {
        // python3 -c "import math; from scipy import stats;
        //   print(stats.t.interval(0.95, 9999999, loc=7.0, scale=2.0/math.sqrt(10000000)))"
        // → (6.998760409785355, 7.001239590214645)
        let s = Summary {
            n: 10_000_000,
            mean: 7.0,
            sd: Some(2.0),
        };
        let (lo, hi) = confidence_interval_95(&s).expect("n ≥ 2 with sd");
        close(lo, 6.998760409785355, 1e-12);
        close(hi, 7.001239590214645, 1e-12);
    }

    #[test]
    fn confidence_interval_none_cases() {
        let s = |n, sd| Summary { n, mean: 7.0, sd };
        assert_eq!(confidence_interval_95(&s(30, None)), None);
        assert_eq!(confidence_interval_95(&s(1, Some(1.0))), None);
        assert_eq!(confidence_interval_95(&s(0, Some(1.0))), None);
        assert_eq!(confidence_interval_95(&s(30, Some(f64::NAN))), None);
        // sd 0 is a legitimate, zero-width interval.
        assert_eq!(confidence_interval_95(&s(3, Some(0.0))), Some((7.0, 7.0)));
    }

    #[test]
    fn welch_significant_change_matches_scipy() {
        // before b (n=12), after c (n=20, larger variance):
        // python3 -c "from scipy import stats; b=[6,7,5,8,6,7,4,6,7,5,6,8];
        //   c=[8,9,6,10,7,9,5,10,8,9,7,10,6,9,8,10,4,9,8,10];
        //   r=stats.ttest_ind(c, b, equal_var=False); print(repr(r.statistic), repr(r.pvalue), repr(r.df))"
        // → 3.4932128684523924 0.0015349923153001582 29.340391084707505
        let b = acc_of_ints(&[6, 7, 5, 8, 6, 7, 4, 6, 7, 5, 6, 8]);
        let c = acc_of_ints(&[
            8, 9, 6, 10, 7, 9, 5, 10, 8, 9, 7, 10, 6, 9, 8, 10, 4, 9, 8, 10,
        ]);
        let (b, c) = (b.summary().expect("b"), c.summary().expect("c"));
        let w = welch(&b, &c).expect("both have sd");
        close(w.t, 3.4932128684523924, 1e-12);
        close(w.df, 29.340391084707505, 1e-12);
        close(w.p_value, 0.0015349923153001582, 1e-6);
        assert!(w.significant);
        // Swapping the waves flips the sign of t only.
        let back = welch(&c, &b).expect("both have sd");
        assert_eq!(back.t, -w.t);
        assert_eq!(back.p_value, w.p_value);
    }

    #[test]
    fn welch_not_significant_matches_scipy() {
        // Waves: first 10 and last 20 answers of A30.
        // python3 -c "from scipy import stats; a=[float(x) for x in
        //   '7 8 6.5 9 5 7 8 10 4 6 7.25 8 9 6 7 5.5 8 9 7 6 3 8 7 9 10 6 7 8 5 7.75'.split()];
        //   r=stats.ttest_ind(a[10:], a[:10], equal_var=False); print(repr(r.statistic), repr(r.pvalue), repr(r.df))"
        // → 0.1849080138419482 0.8555513620608691 16.526384876162496
        let before = acc_of(&A30[..10]).summary().expect("answers");
        let after = acc_of(&A30[10..]).summary().expect("answers");
        let w = welch(&before, &after).expect("both have sd");
        close(w.t, 0.1849080138419482, 1e-12);
        close(w.df, 16.526384876162496, 1e-12);
        close(w.p_value, 0.8555513620608691, 1e-6);
        assert!(!w.significant);
    }

    #[test]
    fn welch_large_waves_matches_scipy() {
        // python3 -c "from scipy import stats; r=stats.ttest_ind_from_stats(7.0,2.0,5000000,
        //   7.003,2.1,4000000,equal_var=False); print(repr(r.statistic), repr(r.pvalue))"
        // → -2.1749983007833236 0.029630271581995677
        let before = Summary {
            n: 4_000_000,
            mean: 7.003,
            sd: Some(2.1),
        };
        let after = Summary {
            n: 5_000_000,
            mean: 7.0,
            sd: Some(2.0),
        };
        let w = welch(&before, &after).expect("both have sd");
        close(w.t, -2.1749983007833236, 1e-9);
        close(w.p_value, 0.029630271581995677, 1e-6);
        assert!(w.significant);
    }

    #[test]
    fn welch_none_cases() {
        let s = |n, mean, sd| Summary { n, mean, sd };
        let ok = s(30, 7.0, Some(2.0));
        assert_eq!(welch(&s(30, 6.0, None), &ok), None);
        assert_eq!(welch(&ok, &s(30, 6.0, None)), None);
        assert_eq!(welch(&s(1, 6.0, Some(2.0)), &ok), None);
        assert_eq!(welch(&ok, &s(1, 6.0, Some(2.0))), None);
        assert_eq!(welch(&s(30, f64::NAN, Some(2.0)), &ok), None);
        // Both variances 0: no estimate of noise, so no verdict (equal or different means).
        assert_eq!(welch(&s(3, 7.0, Some(0.0)), &s(3, 8.0, Some(0.0))), None);
        assert_eq!(welch(&s(3, 7.0, Some(0.0)), &s(3, 7.0, Some(0.0))), None);
        // One variance 0 is fine: df = n − 1 of the other wave.
        let w = welch(&s(3, 7.0, Some(0.0)), &s(10, 8.0, Some(1.0))).expect("one sd > 0");
        assert_eq!(w.df, 9.0);
        close(w.t, 10.0_f64.sqrt(), 1e-15);
    }

    // ---- rounding ----------------------------------------------------------------------

    #[test]
    fn round_half_away_in_decimal() {
        // SPEC 5.1, Helsingør: 6.8 → 7.05 → 7.3 and 6.6 → 6.85 → 7.1, exactly.
        let delta = d("0.25");
        let t1 = round_half_away(round_half_away(d("6.8"), 2) + delta, 2);
        assert_eq!(t1.to_string(), "7.05");
        assert_eq!(round_half_away(t1 + delta, 2), d("7.3"));
        let u1 = round_half_away(d("6.6") + delta, 2);
        assert_eq!(u1, d("6.85"));
        assert_eq!(round_half_away(u1 + delta, 2), d("7.1"));
        assert_eq!(round_half_away(d("7.125"), 2), d("7.13"));
        assert_eq!(round_half_away(d("-7.125"), 2), d("-7.13"));
        assert_eq!(round_half_away(d("7.045"), 2), d("7.05"));
        assert_eq!(round_half_away(d("7.0449"), 2), d("7.04"));
        assert_eq!(round_half_away(d("2.5"), 0), d("3"));
        assert_eq!(round_half_away(d("-2.5"), 0), d("-3"));
        assert_eq!(round_half_away(d("7.1"), 2), d("7.1"));
    }

    #[test]
    fn round_f64_reads_the_printed_value() {
        assert_eq!(round_f64(7.049999999, 2), Some(d("7.05")));
        assert_eq!(round_f64(7.0449, 2), Some(d("7.04")));
        // 7.045 is stored as 7.04499999999999992894…; its shortest form "7.045" rounds up.
        assert_eq!(round_f64(7.045, 2), Some(d("7.05")));
        assert_eq!(round_f64(-7.125, 2), Some(d("-7.13")));
        assert_eq!(round_f64(7.133333333333334, 2), Some(d("7.13")));
        assert_eq!(round_f64(123_456.5, 0), Some(d("123457")));
        assert_eq!(round_f64(6.8, 4), Some(d("6.8000")));
        assert_eq!(round_f64(1e20, 2), Some(d("100000000000000000000.00")));
        assert_eq!(round_f64(0.0025, 2), Some(d("0.00")));
        assert_eq!(round_f64(0.0025, 3), Some(d("0.003")));
        assert_eq!(round_f64(1e-40, 2), Some(Decimal::ZERO));
        assert_eq!(round_f64(0.0, 2), Some(Decimal::ZERO));
        assert_eq!(round_f64(f64::NAN, 2), None);
        assert_eq!(round_f64(f64::INFINITY, 2), None);
        assert_eq!(round_f64(f64::NEG_INFINITY, 2), None);
        assert_eq!(round_f64(1e30, 0), None);
        assert_eq!(round_f64(7.0, 29), None);
    }

    // ---- privacy -----------------------------------------------------------------------

    #[test]
    fn suppression_follows_the_rule_by_hand() {
        // No unit below 5: nothing hidden.
        assert_eq!(
            suppressed_units(&[("A", 10), ("B", 12), ("C", 8)], 5),
            [false, false, false]
        );
        // A (3) < 5; hidden total 3 < 5, so the smallest other, C (7), goes too: 10 ≥ 5.
        assert_eq!(
            suppressed_units(&[("A", 3), ("B", 10), ("C", 7), ("D", 20)], 5),
            [true, false, true, false]
        );
        // A (2) and B (3) < 5 together hold 5 ≥ 5: no secondary suppression.
        assert_eq!(
            suppressed_units(&[("A", 2), ("B", 3), ("C", 10), ("D", 12)], 5),
            [true, true, false, false]
        );
        // Zeta (3) < 5; Alpha and Beta tie at 8: Alpha goes first by name.
        assert_eq!(
            suppressed_units(&[("Zeta", 3), ("Beta", 8), ("Alpha", 8), ("Gamma", 9)], 5),
            [true, false, true, false]
        );
        // All units small: all hidden, and the rule stops there although 1 + 2 < 5.
        assert_eq!(suppressed_units(&[("A", 1), ("B", 2)], 5), [true, true]);
        // Secondary suppression takes the last shown unit: all hidden.
        assert_eq!(suppressed_units(&[("A", 2), ("B", 6)], 5), [true, true]);
        // n = 0 is below 5 and adds nothing, so B (10), the smallest other, is hidden too.
        assert_eq!(
            suppressed_units(&[("A", 0), ("B", 10), ("C", 20)], 5),
            [true, true, false]
        );
        // Duplicate names tie on input order.
        assert_eq!(
            suppressed_units(&[("X", 1), ("Y", 6), ("Y", 6)], 5),
            [true, true, false]
        );
        // min 0 hides nothing; no units, no flags.
        assert_eq!(suppressed_units(&[("A", 0), ("B", 1)], 0), [false, false]);
        assert!(suppressed_units(&[], 5).is_empty());
    }

    #[test]
    fn overall_visibility() {
        assert!(overall_visible(5, 5));
        assert!(!overall_visible(4, 5));
        assert!(overall_visible(0, 0));
    }

    #[test]
    fn wilson_interval_matches_hand_computation() {
        // 8 of 10: p̂ = 0.8, z² = 3.841459; centre 0.992073, half-width 0.313617, scale
        // 1.384146 → 0.490162 .. 0.943318 (the textbook 0.4902 .. 0.9433).
        let (low, high) = wilson_interval_95(8, 10).expect("interval");
        close(low, 49.016_247_153_664_18, 1e-12);
        close(high, 94.331_784_854_562_47, 1e-12);
        // 0 of 10: the lower end is exactly 0, the upper z²/(n + z²) = 0.277533.
        let (low, high) = wilson_interval_95(0, 10).expect("interval");
        assert_eq!(low, 0.0);
        close(high, 27.753_279_986_288_92, 1e-12);
        // 10 of 10 mirrors it.
        let (low, high) = wilson_interval_95(10, 10).expect("interval");
        close(low, 72.246_720_013_711_07, 1e-12);
        close(high, 100.0, 1e-12);
        assert_eq!(wilson_interval_95(0, 0), None);
        assert_eq!(wilson_interval_95(11, 10), None);
    }

    #[test]
    fn two_proportion_z_matches_hand_computation() {
        // 45 of 100 against 60 of 100: pooled 0.525, se √(0.525·0.475·0.02) = 0.0706222,
        // z = 0.15 / 0.0706222 = 2.12398, p = erfc(2.12398/√2) = 0.033672.
        let test = two_proportion_z((45, 100), (60, 100)).expect("test");
        close(test.z, 2.123_976_976_214_365_7, 1e-12);
        close(test.p_value, 0.033_672_068_856_345_876, 1e-9);
        assert!(test.significant);
        // 1700 of 2300 against 1813 of 2388: z = 1.5861, p = 0.11272, not significant.
        let test = two_proportion_z((1700, 2300), (1813, 2388)).expect("test");
        close(test.z, 1.586_098_763_327_407, 1e-12);
        close(test.p_value, 0.112_716_907_369_710_27, 1e-9);
        assert!(!test.significant);
        // A fall gives a negative z and the same p.
        let down = two_proportion_z((60, 100), (45, 100)).expect("test");
        close(down.z, -2.123_976_976_214_365_7, 1e-12);
        // Every answer positive (or none) in both waves: no noise to test against.
        assert_eq!(two_proportion_z((10, 10), (20, 20)), None);
        assert_eq!(two_proportion_z((0, 10), (0, 20)), None);
        assert_eq!(two_proportion_z((0, 0), (1, 2)), None);
        assert_eq!(two_proportion_z((3, 2), (1, 2)), None);
    }

    /// Wilson's interval and the z-test against a second computation by another route, on
    /// many random waves: the interval's ends as the roots of the quadratic
    /// (n + z²)p² − (2x + z²)p + x²/n = 0, and the test's p-value as the χ² test (1 df) of the
    /// 2×2 table of positive and other answers, whose statistic is z².
    #[test]
    fn shares_agree_with_a_second_computation() {
        use statrs::distribution::ChiSquared;
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |below: u64| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_f491_4f6c_dd1d) % below
        };
        let chi = ChiSquared::new(1.0).expect("one degree of freedom");
        let z2 = Z_975 * Z_975;
        for _ in 0..5000 {
            let sizes = [5, 30, 400, 5000, 200_000];
            let size1 = sizes[next(5) as usize];
            let n1 = 1 + next(size1);
            let size2 = sizes[next(5) as usize];
            let n2 = 1 + next(size2);
            let x1 = next(n1 + 1);
            let x2 = next(n2 + 1);

            let (low, high) = wilson_interval_95(x1, n1).expect("interval");
            let (x, n) = (x1 as f64, n1 as f64);
            let a = n + z2;
            let b = 2.0 * x + z2;
            let disc = (b * b - 4.0 * a * x * x / n).max(0.0).sqrt();
            let (root_low, root_high) = ((b - disc) / (2.0 * a), (b + disc) / (2.0 * a));
            assert!(
                (low / 100.0 - root_low).abs() < 1e-9 && (high / 100.0 - root_high).abs() < 1e-9,
                "Wilson {x1}/{n1}: {low}..{high} against {root_low}..{root_high}"
            );

            let test = two_proportion_z((x1, n1), (x2, n2));
            let (a, b, c, d) = (x1 as f64, (n1 - x1) as f64, x2 as f64, (n2 - x2) as f64);
            let total = a + b + c + d;
            let margins = (a + b) * (c + d) * (a + c) * (b + d);
            if margins == 0.0 {
                assert_eq!(test, None, "{x1}/{n1} against {x2}/{n2}");
                continue;
            }
            let chi2 = total * (a * d - b * c).powi(2) / margins;
            let test = test.expect("test");
            let p = chi.sf(chi2);
            assert!(
                (test.p_value - p).abs() < 1e-9,
                "z-test {x1}/{n1} against {x2}/{n2}: p {} against {p}",
                test.p_value
            );
            assert!(
                (test.z * test.z - chi2).abs() <= 1e-9 * chi2.max(1.0),
                "z² {} against χ² {chi2}",
                test.z * test.z
            );
        }
    }
}
