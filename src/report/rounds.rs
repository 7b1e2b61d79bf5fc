//! Reporting rounds (SPEC 9.5): the count of initiatives in each status of SPEC 3.1 as of each
//! round's date, `plan export rounds`, and the change since the previous round.

use chrono::Datelike;
use serde::Serialize;

use crate::figures::status::Status;
pub use crate::figures::status::{STATUSES, index};
use crate::model::{Date, Plan, Round, STATUS_WORDS};
use crate::report::{Cell, Table};

/// The counts of one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundRow {
    /// Round id (for default rounds `YYYY-Qn`).
    pub id: String,
    /// Title.
    pub title: String,
    /// The day counted.
    pub date: Date,
    /// Initiatives in each status, in the order of [`STATUS_WORDS`] (JSON: by status word).
    #[serde(serialize_with = "by_status")]
    pub counts: [u64; 8],
    /// Stale initiatives that day; blank for reported rounds (the minutes do not say).
    pub stale: Option<u64>,
    /// Overdue milestones that day; blank for reported rounds.
    pub overdue_milestones: Option<u64>,
    /// Whether the counts are those a meeting was given (`reported`), not computed.
    pub reported: bool,
}

/// Counts as `{"planned": 1, "active": 0, …}`.
fn by_status<S: serde::Serializer>(counts: &[u64; 8], serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(8))?;
    for (word, n) in STATUS_WORDS.iter().zip(counts) {
        map.serialize_entry(word, n)?;
    }
    map.end()
}

impl RoundRow {
    /// Σ counts.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// The counts of every initiative as of `date`, by SPEC 3.1 and 3.2.
pub fn computed(plan: &Plan, date: Date) -> RoundRow {
    let counts = crate::figures::status::counts(plan, date);
    RoundRow {
        id: String::new(),
        title: String::new(),
        date,
        counts: counts.by_status,
        stale: Some(counts.stale),
        overdue_milestones: Some(counts.overdue_milestones),
        reported: false,
    }
}

fn row(plan: &Plan, round: &Round) -> RoundRow {
    match round.reported {
        Some(counts) => RoundRow {
            id: round.id.clone(),
            title: round.title.clone(),
            date: round.date,
            counts,
            stale: None,
            overdue_milestones: None,
            reported: true,
        },
        None => RoundRow {
            id: round.id.clone(),
            title: round.title.clone(),
            ..computed(plan, round.date)
        },
    }
}

/// The ends of the quarters of the plan period, up to and including `as_of`.
pub fn quarter_ends(plan: &Plan, as_of: Date) -> Vec<Round> {
    let mut rounds = Vec::new();
    let (start, end) = (plan.period.start, plan.period.end.min(as_of));
    for year in start.year()..=end.year() {
        for quarter in 1..=4u32 {
            let (month, day) = [(3, 31), (6, 30), (9, 30), (12, 31)][quarter as usize - 1];
            let Some(date) = Date::from_ymd_opt(year, month, day) else {
                continue;
            };
            if date >= start && date <= end {
                let id = format!("{year}-Q{quarter}");
                rounds.push(Round {
                    title: id.clone(),
                    id,
                    date,
                    reported: None,
                });
            }
        }
    }
    rounds
}

/// Every round dated on or before `as_of`: the declared `[[round]]`s, or without any, the
/// quarter ends of the plan period.
pub fn rounds(plan: &Plan, as_of: Date) -> Vec<RoundRow> {
    if plan.rounds.is_empty() {
        return quarter_ends(plan, as_of)
            .iter()
            .map(|r| row(plan, r))
            .collect();
    }
    plan.rounds
        .iter()
        .filter(|r| r.date <= as_of)
        .map(|r| row(plan, r))
        .collect()
}

/// What changed between the latest two rounds of the plan's own `[[round]]`s dated on or
/// before the date (SPEC 9.5: "the change since the previous round").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundChange {
    /// The latest round.
    pub round: RoundRow,
    /// The one before it.
    pub previous: RoundRow,
    /// Each status whose count changed: (status, before, after), in the order of SPEC 3.1.
    pub changes: Vec<(Status, u64, u64)>,
}

/// The change since the previous round, when the plan declares at least two rounds by `as_of`.
/// Plans without `[[round]]` get none, so their status screen stays as it was.
pub fn change(plan: &Plan, as_of: Date) -> Option<RoundChange> {
    if plan.rounds.is_empty() {
        return None;
    }
    let mut rows = rounds(plan, as_of);
    let round = rows.pop()?;
    let previous = rows.pop()?;
    let changes = STATUSES
        .iter()
        .enumerate()
        .filter(|(i, _)| previous.counts[*i] != round.counts[*i])
        .map(|(i, s)| (*s, previous.counts[i], round.counts[i]))
        .collect();
    Some(RoundChange {
        round,
        previous,
        changes,
    })
}

/// `export rounds` (SPEC 9.5).
pub fn rounds_table(rows: &[RoundRow]) -> Table {
    let mut columns = vec!["round", "date", "total"];
    columns.extend(STATUS_WORDS);
    columns.extend(["stale", "overdue_milestones", "source"]);
    let count = |n: u64| Cell::Integer(i64::try_from(n).unwrap_or(i64::MAX));
    Table {
        columns,
        rows: rows
            .iter()
            .map(|r| {
                let mut cells = vec![
                    Cell::Text(r.id.clone()),
                    Cell::Date(r.date),
                    count(r.total()),
                ];
                cells.extend(r.counts.iter().map(|n| count(*n)));
                cells.push(r.stale.map_or(Cell::Blank, count));
                cells.push(r.overdue_milestones.map_or(Cell::Blank, count));
                cells.push(Cell::Text(
                    if r.reported { "reported" } else { "computed" }.into(),
                ));
                cells
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_words() {
        for (s, w) in STATUSES.iter().zip(STATUS_WORDS) {
            assert_eq!(s.word(), w);
            assert_eq!(STATUS_WORDS[index(*s)], w);
        }
    }
}
