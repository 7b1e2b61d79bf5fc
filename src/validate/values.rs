//! Checks of single values written in TOML: dates, decimals, amounts, ids and words.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;
use toml::{Spanned, Value};

use crate::dates::parse_iso_date;
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::When;
use crate::source::FileId;

/// The file being validated, for diagnostics.
pub struct Ctx<'a> {
    /// Its id.
    pub file: FileId,
    /// Where diagnostics go.
    pub diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    /// Record a problem at a span.
    pub fn report(&mut self, code: Code, span: std::ops::Range<usize>, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(code, self.file, span, message));
    }

    /// Record a prepared diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A required key: report it when absent.
    pub fn require<'v, T>(&mut self, value: &'v Option<T>, key: &str) -> Option<&'v T> {
        if value.is_none() {
            self.push(
                Diagnostic::in_file(Code::MissingKey, self.file, format!("missing key `{key}`"))
                    .with_help(format!("add `{key} = …` at the top of the file")),
            );
        }
        value.as_ref()
    }

    /// A date written as a TOML local date or a `YYYY-MM-DD` string.
    /// `what` is formatted only for a diagnostic (a period's ends are dated in every load).
    pub fn date(
        &mut self,
        value: &Spanned<Value>,
        what: impl std::fmt::Display,
    ) -> Option<NaiveDate> {
        let parsed = match value.get_ref() {
            Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                dt.date.and_then(|d| {
                    NaiveDate::from_ymd_opt(i32::from(d.year), d.month.into(), d.day.into())
                })
            }
            Value::String(s) => parse_iso_date(s),
            _ => None,
        };
        if parsed.is_none() {
            let written = shown(value.get_ref());
            match value.get_ref() {
                // A valid period where the day itself is needed (SPEC 9.3).
                Value::String(s) if matches!(parse_period(s), Ok(Some(_))) => self.push(
                    Diagnostic::at(
                        Code::PeriodNotAllowed,
                        self.file,
                        value.span(),
                        format!("{what} must be an exact date, not the period {written}"),
                    )
                    .with_help("write the day itself as YYYY-MM-DD; only a milestone's `due` and an initiative's `start` and `end` may be periods"),
                ),
                _ => {
                    let d = Diagnostic::at(
                        Code::InvalidDate,
                        self.file,
                        value.span(),
                        format!("{what} is not a valid date: {written}"),
                    );
                    let meant = match value.get_ref() {
                        Value::String(s) => danish_date(s),
                        _ => None,
                    };
                    self.push(with_date_hint(d, meant));
                }
            }
        }
        parsed
    }

    /// A date or a period (SPEC 9.3): a period counts as its first day (`Bound::First`, a
    /// start) or its last (`Bound::Last`, a due date or an end) and keeps its text.
    pub fn when(&mut self, value: &Spanned<Value>, what: &str, bound: Bound) -> Option<When> {
        if let Value::String(s) = value.get_ref()
            && parse_iso_date(s).is_none()
        {
            match parse_period(s) {
                Ok(Some((first, last))) => {
                    return Some(When {
                        date: match bound {
                            Bound::First => first,
                            Bound::Last => last,
                        },
                        period: Some(s.trim().to_string()),
                    });
                }
                Err(why) => {
                    self.push(
                        Diagnostic::at(
                            Code::InvalidPeriod,
                            self.file,
                            value.span(),
                            format!("{what} is not a valid period: \"{s}\" ({why})"),
                        )
                        .with_help("write a date (2026-03-31) or a period: \"2026\", \"2025-H2\", \"2026-Q1\" or \"2026-03\""),
                    );
                    return None;
                }
                Ok(None) => {}
            }
        }
        self.date(value, what).map(When::exact)
    }

    /// A decimal written as an integer, a float or a string.
    pub fn decimal(&mut self, value: &Spanned<Value>, what: &str, code: Code) -> Option<Decimal> {
        let parsed = match value.get_ref() {
            Value::Integer(i) => Some(Decimal::from(*i)),
            // Display of an f64 is the shortest text that reads back as the same float,
            // which is what the user typed for any number with up to 15 digits.
            Value::Float(f) if f.is_finite() => Decimal::from_str(&f.to_string()).ok(),
            Value::String(s) => Decimal::from_str(s.trim()).ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.report(
                code,
                value.span(),
                format!("{what} is not a number: {}", shown(value.get_ref())),
            );
        }
        parsed
    }

    /// A positive amount with at most two decimals, as whole hundredths (øre).
    pub fn hundredths(&mut self, value: &Spanned<Value>, what: &str) -> Option<i64> {
        let amount = self.decimal(value, what, Code::InvalidAmount)?;
        let span = value.span();
        if amount <= Decimal::ZERO {
            self.report(
                Code::InvalidAmount,
                span,
                format!("{what} must be greater than 0, not {amount}"),
            );
            return None;
        }
        if amount.normalize().scale() > 2 {
            self.report(
                Code::InvalidAmount,
                span,
                format!("{what} {amount} has more than two decimals"),
            );
            return None;
        }
        match in_hundredths(amount) {
            Some(v) => Some(v),
            None => {
                self.report(
                    Code::InvalidAmount,
                    span,
                    format!("{what} {amount} is too large"),
                );
                None
            }
        }
    }

    /// An id matching `[A-Za-z0-9][A-Za-z0-9_.-]*`.
    pub fn id(&mut self, id: &Spanned<String>, what: &str) -> bool {
        let ok = is_valid_id(id.get_ref());
        if !ok {
            self.push(
                Diagnostic::at(
                    Code::InvalidId,
                    self.file,
                    id.span(),
                    format!("{what} id `{}` is not a valid id", id.get_ref()),
                )
                .with_help("ids start with a letter or digit and use only letters, digits, `_`, `.` and `-`"),
            );
        }
        ok
    }

    /// One of a fixed set of words; a near miss gets a suggestion.
    pub fn word<T: Copy>(
        &mut self,
        value: &Spanned<String>,
        words: &[(&'static str, T)],
        code: Code,
        what: &str,
    ) -> Option<T> {
        self.word_at(value.get_ref(), value.span(), words, code, what)
    }

    /// [`Ctx::word`] for a value that is not a TOML value (a CSV field) but has a span.
    pub fn word_at<T: Copy>(
        &mut self,
        given: &str,
        span: std::ops::Range<usize>,
        words: &[(&'static str, T)],
        code: Code,
        what: &str,
    ) -> Option<T> {
        if let Some((_, t)) = words.iter().find(|(w, _)| *w == given) {
            return Some(*t);
        }
        let list: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
        self.word_listing(given, span, words, &list, code, what)
    }

    /// [`Ctx::word_at`] whose help lists only `listed` (the words of format 1 before SPEC 9):
    /// the messages about old files stay the same, word for word, while a near miss of a new
    /// word still gets its suggestion.
    pub fn word_listing<T: Copy>(
        &mut self,
        given: &str,
        span: std::ops::Range<usize>,
        words: &[(&'static str, T)],
        listed: &[&str],
        code: Code,
        what: &str,
    ) -> Option<T> {
        if let Some((_, t)) = words.iter().find(|(w, _)| *w == given) {
            return Some(*t);
        }
        let all: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
        let list = listed;
        let d = Diagnostic::at(
            code,
            self.file,
            span,
            format!("`{given}` is not a valid {what}"),
        );
        self.push(match did_you_mean(given, all.iter().copied()) {
            Some(near) => d.with_label(format!("did you mean `{near}`?")),
            None => d.with_help(format!("use one of: {}", list.join(", "))),
        });
        None
    }

    /// A reference to an id of another kind; unknown ids get a suggestion.
    pub fn reference<'k>(
        &mut self,
        value: &Spanned<String>,
        known: impl IntoIterator<Item = &'k str> + Clone,
        what: &str,
    ) -> bool {
        self.reference_at(value.get_ref(), value.span(), known, what)
    }

    /// [`Ctx::reference`] for a value that is not a TOML value (a CSV field) but has a span.
    pub fn reference_at<'k>(
        &mut self,
        given: &str,
        span: std::ops::Range<usize>,
        known: impl IntoIterator<Item = &'k str> + Clone,
        what: &str,
    ) -> bool {
        if known.clone().into_iter().any(|k| k == given) {
            return true;
        }
        let d = Diagnostic::at(
            Code::UnknownReference,
            self.file,
            span,
            format!("{what} `{given}` is not defined"),
        );
        self.push(match did_you_mean(given, known) {
            Some(near) => d.with_label(format!("did you mean `{near}`?")),
            // Initiatives are defined by their own files, everything else in plan.toml.
            None if what == "initiative" => d.with_help(format!(
                "define it in a file in initiatives/ (`id = \"{given}\"`), or fix the initiative id"
            )),
            None => d.with_help(format!("define it in plan.toml, or fix the {what} id")),
        });
        false
    }
}

/// Whether `id` matches `[A-Za-z0-9][A-Za-z0-9_.-]*`.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Which day of a period a date written as a period stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// Its first day (an initiative's `start`).
    First,
    /// Its last day (a milestone's `due`, an initiative's `end`).
    Last,
}

/// A period as people write it (SPEC 9.3): `2026`, `2025-H2`, `2026-Q1`, `2026-03`, as its
/// first and last day. `Ok(None)` when the text does not look like a period at all (four
/// digits, optionally `-` and a half, quarter or month); `Err` with the reason when it looks
/// like one but names none (`2025-Q5`, `2026-13`).
pub fn parse_period(s: &str) -> Result<Option<(NaiveDate, NaiveDate)>, String> {
    let s = s.trim();
    let (year, rest) = match s.split_once('-') {
        Some((year, rest)) => (year, Some(rest)),
        None => (s, None),
    };
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let Ok(y) = year.parse::<i32>() else {
        return Ok(None);
    };
    // Months `first..=last` of the year.
    let (first, last) = match rest {
        None => (1, 12),
        Some(rest) => {
            let (kind, number) = match rest.as_bytes().first() {
                Some(b'H' | b'Q') => (&rest[..1], &rest[1..]),
                Some(b'h' | b'q') => return Err("write the H or Q as a capital letter".to_string()),
                _ => ("", rest),
            };
            if number.is_empty() || number.len() > 2 || !number.bytes().all(|b| b.is_ascii_digit())
            {
                return Ok(None);
            }
            let n: u32 = number.parse().map_err(|_| "not a number".to_string())?;
            match kind {
                "H" if (1..=2).contains(&n) => (n * 6 - 5, n * 6),
                "H" => return Err("a year has halves H1 and H2".to_string()),
                "Q" if (1..=4).contains(&n) => (n * 3 - 2, n * 3),
                "Q" => return Err("a year has quarters Q1 to Q4".to_string()),
                _ if number.len() == 2 && (1..=12).contains(&n) => (n, n),
                _ => return Err("a month is 01 to 12".to_string()),
            }
        }
    };
    let start = NaiveDate::from_ymd_opt(y, first, 1);
    let end = if last == 12 {
        NaiveDate::from_ymd_opt(y, 12, 31)
    } else {
        NaiveDate::from_ymd_opt(y, last + 1, 1).and_then(|d| d.pred_opt())
    };
    match start.zip(end) {
        Some(days) => Ok(Some(days)),
        None => Err("the year is out of range".to_string()),
    }
}

/// What a date of the plan's files says, for W005.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dated {
    /// What is to happen (a due date, an initiative's end): may lie ahead, but not more than a
    /// year after the plan's period ends.
    Planned,
    /// What has happened (an update, `done`, `achieved`, a ledger row, a survey, a
    /// measurement): not after today either.
    Recorded,
}

/// The latest days the dates of a plan's files may name without W005: a year after the plan's
/// period ends, and, for what has happened, the day the command runs. That day is the wall
/// clock's, read once by `main` and passed down (never `--as-of`: a run as of a past day says
/// nothing about the days after it); `None` where no clock applies (a test, a history load).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateLimits {
    period_end: NaiveDate,
    /// A year after `period_end`.
    planned: NaiveDate,
    today: Option<NaiveDate>,
    /// The earlier of `planned` and `today`.
    recorded: NaiveDate,
}

impl DateLimits {
    /// The limits of a plan whose period ends on `period_end`, run on `today`.
    pub fn new(period_end: NaiveDate, today: Option<NaiveDate>) -> DateLimits {
        let planned = period_end
            .checked_add_months(chrono::Months::new(12))
            .unwrap_or(NaiveDate::MAX);
        DateLimits {
            period_end,
            planned,
            today,
            recorded: today.map_or(planned, |t| t.min(planned)),
        }
    }

    /// The latest day a date of this kind may name: one comparison per ledger row.
    pub fn latest(&self, kind: Dated) -> NaiveDate {
        match kind {
            Dated::Planned => self.planned,
            Dated::Recorded => self.recorded,
        }
    }

    /// W005 for `date` (`what`, such as "the update's date") at `span`, when it lies after
    /// [`DateLimits::latest`].
    pub fn warning(
        &self,
        file: FileId,
        span: std::ops::Range<usize>,
        what: &str,
        date: NaiveDate,
        kind: Dated,
    ) -> Option<Diagnostic> {
        if date <= self.latest(kind) {
            return None;
        }
        // The period's reason first: it does not change from day to day.
        let (message, help) = if date > self.planned {
            (
                format!(
                    "{what} {date} is more than a year after the plan's period ends ({})",
                    self.period_end
                ),
                match kind {
                    Dated::Planned => {
                        "check the year; if it is right, the plan's `period` should reach it"
                    }
                    Dated::Recorded => "check the year: no report counts it before that day",
                }
                .to_string(),
            )
        } else {
            let today = self.today.unwrap_or(self.recorded);
            (
                format!("{what} {date} is after today ({today})"),
                "it records what has happened, and that day has not come: check the date (reports leave it out until then)".to_string(),
            )
        };
        Some(Diagnostic::at(Code::FarDate, file, span, message).with_help(help))
    }
}

/// The day a TOML date value names, without judging it (validation has said what is wrong
/// with it): a date, or with `bound` a period's first or last day.
pub fn day_of(value: &Value, bound: Option<Bound>) -> Option<NaiveDate> {
    match value {
        Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt
            .date
            .and_then(|d| NaiveDate::from_ymd_opt(i32::from(d.year), d.month.into(), d.day.into())),
        Value::String(s) => parse_iso_date(s).or_else(|| {
            let (first, last) = parse_period(s).ok().flatten()?;
            match bound? {
                Bound::First => Some(first),
                Bound::Last => Some(last),
            }
        }),
        _ => None,
    }
}

/// The day a date written the Danish way means (`31-03-2027`, `31.03.2027`, as CSV files may
/// write it), when `s` is one; TOML takes only `YYYY-MM-DD`.
pub fn danish_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    if parse_iso_date(t).is_some()
        || t.len() < 4
        || !t[t.len() - 4..].bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    crate::load::csv::parse_date(t).ok()
}

/// E009's help, naming the forms TOML takes, and the day meant when it can be told
/// (`did you mean 2027-03-31?`).
pub fn with_date_hint(d: Diagnostic, meant: Option<NaiveDate>) -> Diagnostic {
    match meant {
        Some(day) => d
            .with_label(format!("did you mean {}?", day.format("%Y-%m-%d")))
            .with_help(format!(
                "in a TOML file a date is YYYY-MM-DD, bare or quoted: {} (DD-MM-YYYY and DD.MM.YYYY are read in CSV files only)",
                day.format("%Y-%m-%d")
            )),
        None => d.with_help(
            "write a day of the calendar as YYYY-MM-DD, bare or quoted (such as 2027-03-31)",
        ),
    }
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

/// An amount as whole hundredths (øre, or hundredths of an hour), the rest cut off; `None`
/// when it does not fit (a diagnostic says it is too large, never an overflow).
pub fn in_hundredths(amount: Decimal) -> Option<i64> {
    amount
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|v| i64::try_from(v.trunc()).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("G1"));
        assert!(is_valid_id("kl-innovationspris"));
        assert!(is_valid_id("2013.a_b"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id("æble"));
    }

    #[test]
    fn periods() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(
            parse_period("2026"),
            Ok(Some((d(2026, 1, 1), d(2026, 12, 31))))
        );
        assert_eq!(
            parse_period("2025-H2"),
            Ok(Some((d(2025, 7, 1), d(2025, 12, 31))))
        );
        assert_eq!(
            parse_period("2025-H1"),
            Ok(Some((d(2025, 1, 1), d(2025, 6, 30))))
        );
        assert_eq!(
            parse_period("2026-Q1"),
            Ok(Some((d(2026, 1, 1), d(2026, 3, 31))))
        );
        assert_eq!(
            parse_period("2024-Q3"),
            Ok(Some((d(2024, 7, 1), d(2024, 9, 30))))
        );
        assert_eq!(
            parse_period("2024-02"),
            Ok(Some((d(2024, 2, 1), d(2024, 2, 29))))
        );
        assert_eq!(
            parse_period("2026-03"),
            Ok(Some((d(2026, 3, 1), d(2026, 3, 31))))
        );
        assert!(parse_period("2025-Q5").is_err());
        assert!(parse_period("2025-H3").is_err());
        assert!(parse_period("2025-13").is_err());
        assert!(parse_period("2025-q1").is_err());
        assert!(parse_period("2025-3").is_err());
        assert_eq!(parse_period("2025-03-01"), Ok(None));
        assert_eq!(parse_period("næste år"), Ok(None));
        assert_eq!(parse_period("25-Q1"), Ok(None));
    }

    #[test]
    fn date_limits() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let file: FileId = 0;
        // A plan of 2026-2027, run on 2026-12-06.
        let limits = DateLimits::new(d(2027, 12, 31), Some(d(2026, 12, 6)));
        assert_eq!(limits.latest(Dated::Planned), d(2028, 12, 31));
        assert_eq!(limits.latest(Dated::Recorded), d(2026, 12, 6));
        let warn = |date, kind| limits.warning(file, 0..1, "the date", date, kind);
        assert!(warn(d(2026, 12, 6), Dated::Recorded).is_none());
        assert!(warn(d(2028, 12, 31), Dated::Planned).is_none());
        let Some(after_today) = warn(d(2026, 12, 7), Dated::Recorded) else {
            panic!("no warning for tomorrow");
        };
        assert_eq!(after_today.code, Code::FarDate);
        assert_eq!(
            after_today.message,
            "the date 2026-12-07 is after today (2026-12-06)"
        );
        let Some(far) = warn(d(2062, 3, 1), Dated::Planned) else {
            panic!("no warning for 2062");
        };
        assert_eq!(
            far.message,
            "the date 2062-03-01 is more than a year after the plan's period ends (2027-12-31)"
        );
        // Without a clock, only the period judges.
        let no_clock = DateLimits::new(d(2013, 12, 31), None);
        assert_eq!(no_clock.latest(Dated::Recorded), d(2014, 12, 31));
    }

    #[test]
    fn danish_dates_are_told_apart() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(danish_date("31-03-2027"), d(2027, 3, 31));
        assert_eq!(danish_date("31.03.2027"), d(2027, 3, 31));
        assert_eq!(danish_date("1.3.2027"), d(2027, 3, 1));
        assert_eq!(danish_date("2027-03-31"), None);
        assert_eq!(danish_date("31-02-2027"), None);
        assert_eq!(danish_date("2026-Q1"), None);
        assert_eq!(danish_date("snart"), None);
    }

    #[test]
    fn iso_dates_are_strict() {
        assert_eq!(
            parse_iso_date("2013-04-01"),
            NaiveDate::from_ymd_opt(2013, 4, 1)
        );
        assert_eq!(parse_iso_date("2013-02-30"), None);
        assert_eq!(parse_iso_date("2013-4-1"), None);
        assert_eq!(parse_iso_date("01-04-2013"), None);
    }
}
