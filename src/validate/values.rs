//! Checks of single values written in TOML: dates, decimals, amounts, ids and words.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;
use toml::{Spanned, Value};

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
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
    pub fn date(&mut self, value: &Spanned<Value>, what: &str) -> Option<NaiveDate> {
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
            self.report(
                Code::InvalidDate,
                value.span(),
                format!("{what} is not a valid date: {}", shown(value.get_ref())),
            );
        }
        parsed
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
        let hundredths = (amount * Decimal::ONE_HUNDRED).trunc();
        match i64::try_from(hundredths) {
            Ok(v) => Some(v),
            Err(_) => {
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

/// Strict `YYYY-MM-DD`.
pub fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
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
