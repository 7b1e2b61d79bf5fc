//! Initiative status and milestone states (SPEC 3), criteria status (5.3), and the
//! coordinator's status screen and the status / milestones / criteria exports.

use serde::Serialize;

pub use crate::figures::status::{
    MilestoneState, Status, initiative_status, milestone_state, stale_days,
};
use crate::figures::status::{done_by, latest_update};
use crate::model::{Criterion, Date, Initiative, Ledger, Plan, When};
use crate::report::budget::{BudgetFigures, figures};
use crate::report::slip::{Slip, slip};
use crate::report::{Cell, Table};

/// A criterion's status as of a date (SPEC 5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CriterionStatus {
    /// Achieved on or before the deadline.
    Met,
    /// Achieved after the deadline.
    MetLate,
    /// Not achieved, deadline not passed.
    Open,
    /// Not achieved, deadline passed.
    Missed,
}

impl CriterionStatus {
    /// The word printed for it.
    pub fn word(self) -> &'static str {
        match self {
            CriterionStatus::Met => "met",
            CriterionStatus::MetLate => "met-late",
            CriterionStatus::Open => "open",
            CriterionStatus::Missed => "missed",
        }
    }
}

/// SPEC 5.3.
pub fn criterion_status(c: &Criterion, as_of: Date) -> CriterionStatus {
    match c.achieved.as_ref().map(|a| a.0).filter(|d| *d <= as_of) {
        Some(date) if date <= c.deadline => CriterionStatus::Met,
        Some(_) => CriterionStatus::MetLate,
        None if c.deadline >= as_of => CriterionStatus::Open,
        None => CriterionStatus::Missed,
    }
}

/// One initiative's line on the status screen and in `export status`.
#[derive(Debug, Clone, Serialize)]
pub struct InitiativeLine {
    /// Id.
    pub id: String,
    /// Display number.
    pub number: Option<i64>,
    /// Title.
    pub title: String,
    /// Focus area id.
    pub focus_area: Option<String>,
    /// The other focus areas that show it (SPEC 12.6).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_focus_areas: Vec<String>,
    /// Owner.
    pub owner: Option<String>,
    /// The initiative this one is part of (SPEC 9.4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// How many parents above it: lists indent it this much under its parent.
    #[serde(skip_serializing_if = "is_zero")]
    pub depth: usize,
    /// Organisations outside the municipality that share the work.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<String>,
    /// Start, as written.
    pub start: Option<When>,
    /// End, as written.
    pub end: Option<When>,
    /// Status as of the date.
    pub status: Status,
    /// Days since the last update, when stale.
    pub stale_days: Option<i64>,
    /// Date of the latest update as of the date.
    pub last_update: Option<Date>,
    /// Milestones done (on time or late) by the date.
    pub milestones_done: usize,
    /// All milestones.
    pub milestones_total: usize,
    /// Overdue milestones.
    pub overdue: usize,
    /// The open milestone with the earliest due date (overdue ones included; unscheduled ones
    /// after every scheduled one, in file order): id, title and due.
    pub next_milestone: Option<(String, String, Option<When>)>,
    /// The plan's own word for the status (`[labels]`, SPEC 9.5), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The next milestone against the baseline (SPEC 10.4), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_slip: Option<Slip>,
}

impl InitiativeLine {
    /// The focus area as tables show it: the one it is listed under, then `+F3` for each
    /// other that shows it (SPEC 12.6).
    pub fn focus_text(&self) -> String {
        let mut text = self.focus_area.clone().unwrap_or_default();
        for other in &self.other_focus_areas {
            text.push_str(&format!(" +{other}"));
        }
        text
    }
}

/// The status line of one initiative as of `as_of`.
pub fn initiative_line(i: &Initiative, plan: &Plan, as_of: Date) -> InitiativeLine {
    let states: Vec<MilestoneState> = i
        .milestones
        .iter()
        .map(|m| milestone_state(m, as_of))
        .collect();
    let next = i
        .milestones
        .iter()
        .zip(&states)
        .filter(|(_, s)| {
            matches!(
                s,
                MilestoneState::Open | MilestoneState::Overdue | MilestoneState::Unscheduled
            )
        })
        .min_by_key(|(m, _)| (m.due.is_none(), m.due.as_ref().map(|d| d.date)))
        .map(|(m, _)| m);
    let next_slip = next.and_then(|m| slip(plan.baseline.as_ref(), &i.id, m));
    let next = next.map(|m| (m.id.clone(), m.title.clone(), m.due.clone()));
    let status = initiative_status(i, as_of);
    InitiativeLine {
        label: plan
            .labels
            .get(crate::report::rounds::index(status))
            .map(str::to_string),
        id: i.id.clone(),
        number: i.number,
        title: i.title.clone(),
        focus_area: i.focus_area.clone(),
        other_focus_areas: i.other_focus_areas.clone(),
        owner: i.owners_text(),
        parent: i.parent.clone(),
        depth: i.depth,
        partners: i.partners.clone(),
        start: i.start.clone(),
        end: i.end.clone(),
        status,
        stale_days: stale_days(i, plan, as_of),
        last_update: latest_update(i, as_of).map(|u| u.date),
        milestones_done: states
            .iter()
            .filter(|s| matches!(s, MilestoneState::Done | MilestoneState::DoneLate))
            .count(),
        milestones_total: states.len(),
        overdue: states
            .iter()
            .filter(|s| **s == MilestoneState::Overdue)
            .count(),
        next_milestone: next,
        next_slip,
    }
}

/// One criterion's line.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionLine {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Deadline.
    pub deadline: Date,
    /// When achieved, if by the date.
    pub achieved: Option<Date>,
    /// Status.
    pub status: CriterionStatus,
}

/// Every criterion as of `as_of`.
pub fn criterion_lines(plan: &Plan, as_of: Date) -> Vec<CriterionLine> {
    plan.criteria
        .iter()
        .map(|c| CriterionLine {
            id: c.id.clone(),
            title: c.title.clone(),
            deadline: c.deadline,
            achieved: c.achieved.as_ref().map(|a| a.0).filter(|d| *d <= as_of),
            status: criterion_status(c, as_of),
        })
        .collect()
}

/// The coordinator's screen (SPEC 2.1) as data.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    /// The date it is computed for.
    pub as_of: Date,
    /// Plan title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Organisation, adopted by, case, coordinator — the parts that exist.
    pub organisation: String,
    /// Adopted by.
    pub adopted_by: Option<String>,
    /// Case.
    pub case: Option<String>,
    /// Coordinator.
    pub coordinator: Option<String>,
    /// Plan period.
    pub period: crate::model::Period,
    /// Share of the period gone, percent.
    pub elapsed_pct: f64,
    /// Initiatives.
    pub initiatives: Vec<InitiativeLine>,
    /// Budget burn, budgets as declared.
    pub budgets: Vec<BudgetFigures>,
    /// Indicator targets with actuals (SPEC 5).
    pub targets: crate::report::scores::ScoresReport,
    /// Criteria.
    pub criteria: Vec<CriterionLine>,
    /// Warnings `plan check` would print.
    pub warnings: usize,
    /// The baseline's name (SPEC 10.4), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// The commit (or working tree) the report shows, for the header; JSON carries it in
    /// the wrapper's `revision`.
    #[serde(skip)]
    pub revision: Option<crate::Revision>,
    /// The plan's own words for the statuses (`[labels]`).
    #[serde(skip_serializing_if = "crate::model::StatusLabels::is_empty")]
    pub labels: crate::model::StatusLabels,
    /// The change between the plan's latest two reporting rounds (SPEC 9.5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_round: Option<crate::report::rounds::RoundChange>,
    /// Needed and planned change, and the gap, of the target waves the initiatives have
    /// effects on (SPEC 12.4).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<crate::report::series::EffectLine>,
}

impl StatusReport {
    /// Whether the plan period ended before the as-of date.
    pub fn ended(&self) -> bool {
        self.as_of > self.period.end
    }
}

/// Build the status screen.
pub fn status_report(plan: &Plan, ledger: &Ledger, as_of: Date, warnings: usize) -> StatusReport {
    StatusReport {
        as_of,
        title: plan.title.clone(),
        subtitle: plan.subtitle.clone(),
        organisation: plan.organisation.clone(),
        adopted_by: plan.adopted_by.clone(),
        case: plan.case.clone(),
        coordinator: plan.coordinator.clone(),
        period: plan.period,
        elapsed_pct: plan.period.elapsed_pct(as_of),
        initiatives: plan
            .initiatives
            .iter()
            .map(|i| initiative_line(i, plan, as_of))
            .collect(),
        budgets: figures(plan, ledger, as_of),
        targets: crate::report::scores::scores_report(plan, as_of),
        effects: Vec::new(),
        criteria: criterion_lines(plan, as_of),
        warnings,
        baseline: plan.baseline.as_ref().map(|b| b.name.clone()),
        revision: None,
        labels: plan.labels.clone(),
        since_round: crate::report::rounds::change(plan, as_of),
    }
    .with_effects(plan)
}

impl StatusReport {
    /// Fill `effects` from the targets already computed.
    fn with_effects(mut self, plan: &Plan) -> StatusReport {
        self.effects = crate::report::series::effects(plan, &self.targets, self.as_of);
        self
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// `export status` (SPEC 7); with a `parent` column at the end when some initiative names a
/// parent (SPEC 9.4), so that the export of a plan without parents is as it was.
pub fn status_table(plan: &Plan, as_of: Date) -> Table {
    let parents = plan.initiatives.iter().any(|i| i.parent.is_some());
    let rows = plan
        .initiatives
        .iter()
        .map(|i| {
            let l = initiative_line(i, plan, as_of);
            let parent = parents.then(|| Cell::text(l.parent.as_deref()));
            let mut row = vec![
                Cell::Text(l.id),
                l.number.map_or(Cell::Blank, Cell::Integer),
                Cell::Text(l.title),
                Cell::text(l.focus_area.as_deref()),
                Cell::text(l.owner.as_deref()),
                l.start.as_ref().map_or(Cell::Blank, Cell::when),
                l.end.as_ref().map_or(Cell::Blank, Cell::when),
                Cell::Text(l.status.word().to_string()),
                Cell::Bool(l.stale_days.is_some()),
                Cell::date(l.last_update),
                Cell::Integer(l.milestones_done as i64),
                Cell::Integer(l.milestones_total as i64),
                Cell::Integer(l.overdue as i64),
                Cell::text(l.next_milestone.as_ref().map(|n| n.0.as_str())),
                l.next_milestone
                    .as_ref()
                    .and_then(|n| n.2.as_ref())
                    .map_or(Cell::Blank, Cell::when),
            ];
            row.extend(parent);
            row
        })
        .collect();
    let mut table = Table {
        columns: vec![
            "initiative",
            "number",
            "title",
            "focus_area",
            "owner",
            "start",
            "end",
            "status",
            "stale",
            "last_update",
            "milestones_done",
            "milestones_total",
            "overdue",
            "next_milestone",
            "next_due",
        ],
        rows,
    };
    if parents {
        table.columns.push("parent");
    }
    table
}

/// `export milestones` (SPEC 7), with `baseline_due,slip_days,moves` at the end (SPEC 10.4;
/// blank without a baseline).
pub fn milestones_table(plan: &Plan, as_of: Date) -> Table {
    let rows = plan
        .initiatives
        .iter()
        .flat_map(|i| {
            i.milestones.iter().map(move |m| {
                let slip = slip(plan.baseline.as_ref(), &i.id, m);
                vec![
                    Cell::Text(i.id.clone()),
                    Cell::Text(m.id.clone()),
                    Cell::Text(m.title.clone()),
                    m.due.as_ref().map_or(Cell::Blank, Cell::when),
                    Cell::date(done_by(m, as_of)),
                    Cell::Text(milestone_state(m, as_of).word().to_string()),
                    Cell::date(slip.and_then(|s| s.baseline_due)),
                    slip.and_then(|s| s.slip_days)
                        .map_or(Cell::Blank, Cell::Integer),
                    slip.map_or(Cell::Blank, |s| Cell::Integer(i64::from(s.moves))),
                ]
            })
        })
        .collect();
    Table {
        columns: vec![
            "initiative",
            "milestone",
            "title",
            "due",
            "done",
            "state",
            "baseline_due",
            "slip_days",
            "moves",
        ],
        rows,
    }
}

/// `export criteria` (SPEC 7).
pub fn criteria_table(plan: &Plan, as_of: Date) -> Table {
    let rows = criterion_lines(plan, as_of)
        .into_iter()
        .map(|c| {
            vec![
                Cell::Text(c.id),
                Cell::Text(c.title),
                Cell::Date(c.deadline),
                Cell::date(c.achieved),
                Cell::Text(c.status.word().to_string()),
            ]
        })
        .collect();
    Table {
        columns: vec!["criterion", "title", "deadline", "achieved", "status"],
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Milestone, Update, UpdateStatus};

    fn d(s: &str) -> Date {
        s.parse().expect("test date")
    }

    fn initiative(start: &str) -> Initiative {
        Initiative {
            id: "I1".into(),
            number: Some(1),
            title: "t".into(),
            focus_area: None,
            goals: vec![],
            owner: None,
            co_owners: vec![],
            other_focus_areas: vec![],
            parent: None,
            depth: 0,
            partners: vec![],
            start: Some(When::exact(d(start))),
            end: None,
            summary: String::new(),
            schedule: None,
            why: None,
            how: None,
            who: None,
            communication: None,
            milestones: vec![],
            updates: vec![],
            effects: vec![],
        }
    }

    fn milestone(due: &str, done: Option<&str>) -> Milestone {
        Milestone {
            id: "M".into(),
            title: "m".into(),
            due: Some(When::exact(d(due))),
            done: done.map(d),
        }
    }

    fn update(date: &str, status: UpdateStatus) -> Update {
        Update {
            date: d(date),
            status: Some(status),
            note: None,
        }
    }

    #[test]
    fn milestone_states_at_their_edges() {
        let as_of = d("2014-06-30");
        assert_eq!(
            milestone_state(&milestone("2014-06-30", None), as_of),
            MilestoneState::Open
        );
        assert_eq!(
            milestone_state(&milestone("2014-06-29", None), as_of),
            MilestoneState::Overdue
        );
        assert_eq!(
            milestone_state(&milestone("2014-06-01", Some("2014-06-01")), as_of),
            MilestoneState::Done
        );
        assert_eq!(
            milestone_state(&milestone("2014-06-01", Some("2014-06-02")), as_of),
            MilestoneState::DoneLate
        );
        // Done after the as-of date: not done yet.
        assert_eq!(
            milestone_state(&milestone("2014-06-01", Some("2014-07-01")), as_of),
            MilestoneState::Overdue
        );
    }

    #[test]
    fn periods_count_as_their_last_day_and_no_due_is_unscheduled() {
        let q2 = |done: Option<&str>| Milestone {
            due: Some(When {
                date: d("2014-06-30"),
                period: Some("2014-Q2".into()),
            }),
            ..milestone("2014-06-30", done)
        };
        assert_eq!(
            milestone_state(&q2(None), d("2014-06-30")),
            MilestoneState::Open
        );
        assert_eq!(
            milestone_state(&q2(None), d("2014-07-01")),
            MilestoneState::Overdue
        );
        assert_eq!(
            milestone_state(&q2(Some("2014-06-30")), d("2014-07-01")),
            MilestoneState::Done
        );
        let unscheduled = |done: Option<&str>| Milestone {
            due: None,
            ..milestone("2014-06-30", done)
        };
        assert_eq!(
            milestone_state(&unscheduled(None), d("2030-01-01")),
            MilestoneState::Unscheduled
        );
        assert_eq!(
            milestone_state(&unscheduled(Some("2014-01-01")), d("2030-01-01")),
            MilestoneState::Done
        );
        let mut i = initiative("2014-01-01");
        i.milestones = vec![unscheduled(None)];
        assert_eq!(initiative_status(&i, d("2030-01-01")), Status::Active);
    }

    #[test]
    fn status_rules_in_order() {
        let as_of = d("2014-06-30");
        assert_eq!(
            initiative_status(&initiative("2014-07-01"), as_of),
            Status::Planned
        );
        assert_eq!(
            initiative_status(&initiative("2014-01-01"), as_of),
            Status::Active
        );

        let mut i = initiative("2014-01-01");
        i.updates = vec![update("2014-02-01", UpdateStatus::OnTrack)];
        assert_eq!(initiative_status(&i, as_of), Status::OnTrack);
        i.milestones = vec![milestone("2014-03-01", None)];
        assert_eq!(
            initiative_status(&i, as_of),
            Status::Delayed,
            "rule 3 beats the update"
        );
        i.updates.push(update("2014-04-01", UpdateStatus::Paused));
        assert_eq!(
            initiative_status(&i, as_of),
            Status::Paused,
            "rule 2 beats rule 3"
        );
        i.updates.push(update("2014-08-01", UpdateStatus::Done));
        assert_eq!(
            initiative_status(&i, as_of),
            Status::Paused,
            "future updates do not exist yet"
        );

        // Two updates on one day: the later one in the file is the latest.
        let mut same_day = initiative("2014-01-01");
        same_day.updates = vec![
            update("2014-05-01", UpdateStatus::OnTrack),
            update("2014-05-01", UpdateStatus::AtRisk),
        ];
        assert_eq!(initiative_status(&same_day, as_of), Status::AtRisk);

        // An update before the start counts: rule 1 needs no update at all.
        let mut early = initiative("2015-01-01");
        early.updates = vec![update("2014-05-01", UpdateStatus::AtRisk)];
        assert_eq!(initiative_status(&early, as_of), Status::AtRisk);
    }

    /// SPEC 12.6: an initiative whose start is not known is never `planned` (rule 1 needs
    /// the start); its updates decide as usual.
    #[test]
    fn an_unknown_start_applies_no_rule_that_needs_it() {
        let mut i = initiative("2014-01-01");
        i.start = None;
        let as_of = d("2014-06-30");
        assert_eq!(initiative_status(&i, as_of), Status::Active);
        i.updates = vec![update("2014-05-01", UpdateStatus::AtRisk)];
        assert_eq!(initiative_status(&i, as_of), Status::AtRisk);
    }

    /// SPEC 12.6: an update without a status is a note. It keeps the status of the update
    /// before it, counts as a report for staleness, and alone leaves an initiative active.
    #[test]
    fn a_note_keeps_the_status_before_it_and_counts_for_staleness() {
        let note = |date: &str| Update {
            date: d(date),
            status: None,
            note: Some("Møde holdt.".into()),
        };
        let as_of = d("2014-06-30");
        let mut i = initiative("2014-01-01");
        i.updates = vec![
            update("2014-02-01", UpdateStatus::AtRisk),
            note("2014-06-01"),
        ];
        assert_eq!(initiative_status(&i, as_of), Status::AtRisk);
        assert_eq!(
            latest_update(&i, as_of).map(|u| u.date),
            Some(d("2014-06-01"))
        );
        // A note alone: started, no status given, so active; before the start, still planned
        // only when there is no update at all (the note is one).
        let mut only = initiative("2014-01-01");
        only.updates = vec![note("2014-03-01")];
        assert_eq!(initiative_status(&only, as_of), Status::Active);
        let mut early = initiative("2015-01-01");
        early.updates = vec![note("2014-03-01")];
        assert_eq!(initiative_status(&early, as_of), Status::Active);
        // A status after the note decides again.
        i.updates.push(update("2014-06-15", UpdateStatus::Done));
        assert_eq!(initiative_status(&i, as_of), Status::Done);
    }

    #[test]
    fn criteria() {
        let c = |achieved: Option<&str>| Criterion {
            id: "c".into(),
            title: "t".into(),
            deadline: d("2015-12-31"),
            achieved: achieved.map(|a| (d(a), None)),
        };
        assert_eq!(
            criterion_status(&c(None), d("2015-12-31")),
            CriterionStatus::Open
        );
        assert_eq!(
            criterion_status(&c(None), d("2016-01-01")),
            CriterionStatus::Missed
        );
        assert_eq!(
            criterion_status(&c(Some("2015-03-01")), d("2015-06-01")),
            CriterionStatus::Met
        );
        assert_eq!(
            criterion_status(&c(Some("2015-03-01")), d("2015-02-01")),
            CriterionStatus::Open
        );
        assert_eq!(
            criterion_status(&c(Some("2016-03-01")), d("2016-06-01")),
            CriterionStatus::MetLate
        );
    }
}
