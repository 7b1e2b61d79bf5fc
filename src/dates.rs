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
