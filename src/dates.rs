//! Calendar days: the [`Date`] type and the strict `YYYY-MM-DD` form every layer reads (a
//! date REV in git, a TOML date, a date in a report's text). Below everything that reads or
//! computes dates, so that reading git history needs neither the model nor validation.

use chrono::{Datelike, NaiveDate};

/// A calendar day.
pub type Date = NaiveDate;

/// The days from `from` to `to` (negative when `to` is earlier). Counted from each day's
/// number: chrono's `(to - from).num_days()` gives the same through a duration in seconds and
/// a division, and every state of a walk asks this of each initiative (SPEC 10.5).
pub fn days_between(from: Date, to: Date) -> i64 {
    i64::from(to.num_days_from_ce()) - i64::from(from.num_days_from_ce())
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
    // `%Y-%m-%d` on this shape, read digit by digit (every date of a history is read here).
    let number = |digits: &[u8]| {
        digits
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
    };
    let year = i32::try_from(number(&b[..4])).ok()?;
    NaiveDate::from_ymd_opt(year, number(&b[5..7]), number(&b[8..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As chrono counts them through a duration, over four centuries of days either way.
    #[test]
    fn days_between_counts_as_chrono_does() {
        let first = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a day");
        let days: Vec<Date> = first.iter_days().take(146_097 + 400).collect();
        for (i, &day) in days.iter().enumerate().step_by(97) {
            for &other in days.iter().skip(i % 13).step_by(389) {
                assert_eq!(
                    days_between(day, other),
                    (other - day).num_days(),
                    "{day} {other}"
                );
            }
        }
        let far = NaiveDate::from_ymd_opt(-4000, 3, 1).expect("a day");
        assert_eq!(days_between(far, first), (first - far).num_days());
    }

    /// Read digit by digit, as chrono's `%Y-%m-%d` reads the same text.
    #[test]
    fn an_iso_date_reads_as_chrono_reads_it() {
        for text in [
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
            "0001-12-31",
            "9999-12-31",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-04-30",
            " 2021-06-30 ",
            "2021-6-30",
            "20210630",
            "2021-06-3x",
        ] {
            let chrono = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
            let shaped = text.trim().len() == 10;
            assert_eq!(parse_iso_date(text), chrono.filter(|_| shaped), "{text}");
        }
    }
}
