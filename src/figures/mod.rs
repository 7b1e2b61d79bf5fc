//! Figures both validation and reports compute from the model: an initiative's status as of
//! a date, an indicator's whole-file actual, amounts as text. Pure functions of the model,
//! below both `validate` and `report`, so a check never reaches up into a report
//! (docs/architecture.md, "Checks that need computed figures").

pub mod scores;
pub mod series;
pub mod status;

/// Hundredths as a decimal with two places: `-1234.05`.
pub fn hundredths(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// An amount in hundredths as [`hundredths`] writes it, with `point` as the decimal point,
/// appended to `out`: a streamed export writes one per row, without a `String` each.
pub fn push_hundredths(out: &mut Vec<u8>, v: i64, point: u8) {
    if v < 0 {
        out.push(b'-');
    }
    let a = v.unsigned_abs();
    push_digits(out, a / 100);
    let cents = (a % 100) as u8;
    out.extend_from_slice(&[point, b'0' + cents / 10, b'0' + cents % 10]);
}

/// `n` in decimal, as `Display` writes it, appended to `out`.
pub fn push_digits(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes pushed are the text `hundredths` and `Display` give.
    #[test]
    fn pushed_figures_are_their_text() {
        for v in [0, 5, -5, 100, -105, 123_456_700, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            push_hundredths(&mut out, v, b'.');
            assert_eq!(String::from_utf8_lossy(&out), hundredths(i128::from(v)));
            let mut digits = Vec::new();
            push_digits(&mut digits, v.unsigned_abs());
            assert_eq!(
                String::from_utf8_lossy(&digits),
                v.unsigned_abs().to_string()
            );
        }
    }
}
