//! An initiative's status and its milestones' states as of a date (SPEC 3.1, 3.2), the
//! stale rule, and the count of initiatives in each status: what the status reports show and
//! what the checks on reported rounds (W019) and stale initiatives compare against.

use serde::Serialize;

use crate::model::{Date, Initiative, Milestone, Plan, UpdateStatus};

/// An initiative's status as of a date (SPEC 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Not started, no update yet.
    Planned,
    /// Started, no update at all.
    Active,
    /// Latest update says on-track.
    OnTrack,
    /// Latest update says at-risk.
    AtRisk,
    /// An overdue milestone, or the latest update says delayed.
    Delayed,
    /// Latest update says paused.
    Paused,
    /// Latest update says done.
    Done,
    /// Latest update says cancelled.
    Cancelled,
}

impl Status {
    /// The word printed for it.
    pub fn word(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Active => "active",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::Delayed => "delayed",
            Status::Paused => "paused",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }
}

/// A milestone's state as of a date (SPEC 3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneState {
    /// Done on or before its due date.
    Done,
    /// Done after its due date.
    DoneLate,
    /// Not done, due date passed.
    Overdue,
    /// Not done, not yet due.
    Open,
    /// Not done, and no due date at all (SPEC 9.3): never overdue.
    Unscheduled,
}

impl MilestoneState {
    /// The word printed for it.
    pub fn word(self) -> &'static str {
        match self {
            MilestoneState::Done => "done",
            MilestoneState::DoneLate => "done-late",
            MilestoneState::Overdue => "overdue",
            MilestoneState::Open => "open",
            MilestoneState::Unscheduled => "unscheduled",
        }
    }
}

/// The milestone's completion date if it exists as of `as_of`.
pub fn done_by(m: &Milestone, as_of: Date) -> Option<Date> {
    m.done.filter(|d| *d <= as_of)
}

/// SPEC 3.2; a period due date counts as its last day, and a milestone with no due date is
/// `unscheduled` until done (done at any time is on time) (SPEC 9.3).
pub fn milestone_state(m: &Milestone, as_of: Date) -> MilestoneState {
    let due = m.due.as_ref().map(|d| d.date);
    match (done_by(m, as_of), due) {
        (Some(done), Some(due)) if done > due => MilestoneState::DoneLate,
        (Some(_), _) => MilestoneState::Done,
        (None, Some(due)) if due < as_of => MilestoneState::Overdue,
        (None, Some(_)) => MilestoneState::Open,
        (None, None) => MilestoneState::Unscheduled,
    }
}

/// The latest update dated on or before `as_of` (for equal dates, the last in the file).
pub fn latest_update(i: &Initiative, as_of: Date) -> Option<&crate::model::Update> {
    i.updates.iter().rev().find(|u| u.date <= as_of)
}

/// The status of the latest update dated on or before `as_of` that gives one: a note without
/// a status keeps the status of the update before it (SPEC 12.6).
fn latest_status(i: &Initiative, as_of: Date) -> Option<UpdateStatus> {
    i.updates
        .iter()
        .rev()
        .filter(|u| u.date <= as_of)
        .find_map(|u| u.status)
}

/// SPEC 3.1, applied in order.
pub fn initiative_status(i: &Initiative, as_of: Date) -> Status {
    let latest = latest_update(i, as_of);
    if latest.is_none() && i.start.as_ref().is_some_and(|s| s.date > as_of) {
        return Status::Planned;
    }
    let latest = latest_status(i, as_of);
    match latest {
        Some(UpdateStatus::Done) => return Status::Done,
        Some(UpdateStatus::Cancelled) => return Status::Cancelled,
        Some(UpdateStatus::Paused) => return Status::Paused,
        _ => {}
    }
    if i.milestones
        .iter()
        .any(|m| milestone_state(m, as_of) == MilestoneState::Overdue)
    {
        return Status::Delayed;
    }
    match latest {
        Some(UpdateStatus::OnTrack) => Status::OnTrack,
        Some(UpdateStatus::AtRisk) => Status::AtRisk,
        Some(UpdateStatus::Delayed) => Status::Delayed,
        // Paused, done and cancelled returned above.
        Some(_) | None => Status::Active,
    }
}

/// SPEC 3.2 `stale`: days since the latest update (or the start) when that is more than
/// `stale_after_days`, for a started initiative that is not done or cancelled. Once the plan
/// period has ended the days count to its end, not to `as_of`: nobody updates a finished
/// plan, and its last stretch is what counts (docs/decisions.md).
pub fn stale_days(i: &Initiative, plan: &Plan, as_of: Date) -> Option<i64> {
    if i.start.as_ref().is_some_and(|s| s.date > as_of) {
        return None;
    }
    // An unknown start (SPEC 12.6): staleness counts from the latest update only.
    let since = match (latest_update(i, as_of), &i.start) {
        (Some(u), _) => u.date,
        (None, Some(start)) => start.date,
        (None, None) => return None,
    };
    let days = crate::dates::days_between(since, as_of.min(plan.period.end));
    // The status (which reads every milestone) is asked last: most initiatives are not
    // stale, and every state of a walk asks this of each (SPEC 10.5).
    let ended = || {
        matches!(
            initiative_status(i, as_of),
            Status::Done | Status::Cancelled
        )
    };
    (days > plan.stale_after_days && !ended()).then_some(days)
}

/// The statuses in the order of [`STATUS_WORDS`](crate::model::STATUS_WORDS).
pub const STATUSES: [Status; 8] = [
    Status::Planned,
    Status::Active,
    Status::OnTrack,
    Status::AtRisk,
    Status::Delayed,
    Status::Paused,
    Status::Done,
    Status::Cancelled,
];

/// The index of a status in [`STATUS_WORDS`](crate::model::STATUS_WORDS).
pub fn index(status: Status) -> usize {
    STATUSES.iter().position(|s| *s == status).unwrap_or(0)
}

/// Every initiative counted as of one date, by SPEC 3.1 and 3.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Initiatives in each status, in the order of [`STATUS_WORDS`](crate::model::STATUS_WORDS).
    pub by_status: [u64; 8],
    /// Stale initiatives.
    pub stale: u64,
    /// Overdue milestones.
    pub overdue_milestones: u64,
}

/// The counts of every initiative as of `date`.
pub fn counts(plan: &Plan, date: Date) -> Counts {
    let mut by_status = [0u64; 8];
    let (mut stale, mut overdue) = (0u64, 0u64);
    for i in &plan.initiatives {
        by_status[index(initiative_status(i, date))] += 1;
        if stale_days(i, plan, date).is_some() {
            stale += 1;
        }
        overdue += i
            .milestones
            .iter()
            .filter(|m| milestone_state(m, date) == MilestoneState::Overdue)
            .count() as u64;
    }
    Counts {
        by_status,
        stale,
        overdue_milestones: overdue,
    }
}
