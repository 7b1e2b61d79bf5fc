//! Calendar days: the [`Date`] type and the strict `YYYY-MM-DD` form every layer reads (a
//! date REV in git, a TOML date, a date in a report's text). Below everything that reads or
//! computes dates, so that reading git history needs neither the model nor validation.

use chrono::NaiveDate;

/// A calendar day.
pub type Date = NaiveDate;

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
