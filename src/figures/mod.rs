//! Figures both validation and reports compute from the model: an initiative's status as of
//! a date, an indicator's whole-file actual, amounts as text. Pure functions of the model,
//! below both `validate` and `report`, so a check never reaches up into a report
//! (docs/architecture.md, "Checks that need computed figures").

pub mod scores;
pub mod status;

/// Hundredths as a decimal with two places: `-1234.05`.
pub fn hundredths(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}
