//! The portfolio overview (SPEC 13): one row per plan, then totals. Pure: the plans come in
//! loaded, with their diagnostics counted and their last commit looked up by the caller.

use serde::Serialize;

use crate::model::{Date, Ledger, Plan};
use crate::report::budget::{figures, hundredths};
use crate::report::scores::{TargetStatus, scores_report};
use crate::report::status::{CriterionStatus, Status, criterion_lines, initiative_line};
use crate::report::{Cell, Table};

/// The last commit that changed a plan's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastChange {
    /// Its date.
    pub date: Date,
    /// Its author.
    pub author: String,
}

/// One member as the overview receives it.
pub struct MemberInput<'a> {
    /// The plan's id (or folder name when plan.toml cannot say).
    pub id: &'a str,
    /// The folder, relative to the portfolio.
    pub dir: &'a str,
    /// The plan and ledger when the files have no errors.
    pub valid: Option<(&'a Plan, &'a Ledger)>,
    /// The plan as far as it could be read (title, parent), errors or not.
    pub plan: Option<&'a Plan>,
    /// Errors `plan check` finds.
    pub errors: usize,
    /// Warnings `plan check` finds.
    pub warnings: usize,
    /// The last commit that changed the plan's files, in a repository.
    pub last_change: Option<LastChange>,
}

/// Initiatives per status (SPEC 3.1), in the order of the statuses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusMix {
    /// planned
    pub planned: usize,
    /// active
    pub active: usize,
    /// on-track
    pub on_track: usize,
    /// at-risk
    pub at_risk: usize,
    /// delayed
    pub delayed: usize,
    /// paused
    pub paused: usize,
    /// done
    pub done: usize,
    /// cancelled
    pub cancelled: usize,
}

impl StatusMix {
    /// The counts with their statuses, in order.
    pub fn counts(&self) -> [(Status, usize); 8] {
        [
            (Status::Planned, self.planned),
            (Status::Active, self.active),
            (Status::OnTrack, self.on_track),
            (Status::AtRisk, self.at_risk),
            (Status::Delayed, self.delayed),
            (Status::Paused, self.paused),
            (Status::Done, self.done),
            (Status::Cancelled, self.cancelled),
        ]
    }

    fn count(&mut self, status: Status) {
        let slot = match status {
            Status::Planned => &mut self.planned,
            Status::Active => &mut self.active,
            Status::OnTrack => &mut self.on_track,
            Status::AtRisk => &mut self.at_risk,
            Status::Delayed => &mut self.delayed,
            Status::Paused => &mut self.paused,
            Status::Done => &mut self.done,
            Status::Cancelled => &mut self.cancelled,
        };
        *slot += 1;
    }

    fn add(&mut self, other: &StatusMix) {
        for (status, n) in other.counts() {
            for _ in 0..n {
                self.count(status);
            }
        }
    }

    /// All initiatives.
    pub fn total(&self) -> usize {
        self.counts().iter().map(|(_, n)| n).sum()
    }
}

/// The next milestone of a plan: the open one with the earliest due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextMilestone {
    /// The initiative's id.
    pub initiative: String,
    /// The milestone's title.
    pub title: String,
    /// Its due date (a period's last day).
    pub due: Date,
}

/// What a valid plan's row shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlanFigures {
    /// Initiatives per status.
    pub initiatives: StatusMix,
    /// Stale initiatives.
    pub stale: usize,
    /// Overdue milestones.
    pub overdue: usize,
    /// The next milestone due.
    pub next_milestone: Option<NextMilestone>,
    /// Money budgets' total, in øre (hours budgets are not money and are not added in).
    pub money_total: i128,
    /// Committed, in øre.
    pub committed: i128,
    /// Spent, in øre.
    pub spent: i128,
    /// The straight-line plan by the date, in øre.
    pub plan_by_now: i128,
    /// Targets met.
    pub targets_met: usize,
    /// Targets missed.
    pub targets_missed: usize,
    /// Targets pending.
    pub targets_pending: usize,
    /// Targets whose year is over with no result.
    pub targets_no_data: usize,
    /// Criteria met (on time or late).
    pub criteria_met: usize,
    /// Criteria open.
    pub criteria_open: usize,
    /// Criteria missed.
    pub criteria_missed: usize,
}

impl PlanFigures {
    fn add(&mut self, other: &PlanFigures) {
        self.initiatives.add(&other.initiatives);
        self.stale += other.stale;
        self.overdue += other.overdue;
        self.next_milestone = match (self.next_milestone.take(), &other.next_milestone) {
            (Some(a), Some(b)) if b.due < a.due => Some(b.clone()),
            (None, b) => b.clone(),
            (a, _) => a,
        };
        self.money_total += other.money_total;
        self.committed += other.committed;
        self.spent += other.spent;
        self.plan_by_now += other.plan_by_now;
        self.targets_met += other.targets_met;
        self.targets_missed += other.targets_missed;
        self.targets_pending += other.targets_pending;
        self.targets_no_data += other.targets_no_data;
        self.criteria_met += other.criteria_met;
        self.criteria_open += other.criteria_open;
        self.criteria_missed += other.criteria_missed;
    }
}

/// One plan's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRow {
    /// The plan's id.
    pub plan: String,
    /// Its folder, relative to the portfolio.
    pub dir: String,
    /// The plan it is a sub-plan of (`parent` in plan.toml).
    pub parent: Option<String>,
    /// How deep under other plans it is shown.
    pub depth: usize,
    /// Title, when plan.toml could be read.
    pub title: Option<String>,
    /// Who adopted it.
    pub adopted_by: Option<String>,
    /// The plan period's first day.
    pub start: Option<Date>,
    /// The plan period's last day.
    pub end: Option<Date>,
    /// Share of the period gone, percent (100 once ended).
    pub elapsed_pct: Option<f64>,
    /// Whether the period ended before the date.
    pub ended: bool,
    /// The figures; `null` for a plan with errors (nothing is computed from it).
    pub figures: Option<PlanFigures>,
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// The last commit that changed the plan.
    pub last_change: Option<LastChange>,
}

/// The overview.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    /// The portfolio's title.
    pub title: String,
    /// The organisation.
    pub organisation: String,
    /// The date.
    pub as_of: Date,
    /// One row per plan: parents first, each followed by its sub-plans.
    pub plans: Vec<PlanRow>,
    /// The figures of the plans without errors, added up.
    pub totals: PlanFigures,
    /// Plans with errors (not in the totals).
    pub plans_with_errors: usize,
    /// Errors in all plans.
    pub errors: usize,
    /// Warnings in all plans.
    pub warnings: usize,
}

/// The figures of one valid plan.
pub fn plan_figures(plan: &Plan, ledger: &Ledger, as_of: Date) -> PlanFigures {
    let mut f = PlanFigures::default();
    for initiative in &plan.initiatives {
        let line = initiative_line(initiative, plan, as_of);
        f.initiatives.count(line.status);
        f.stale += usize::from(line.stale_days.is_some());
        f.overdue += line.overdue;
        if let Some((_, title, Some(due))) = &line.next_milestone {
            let next = NextMilestone {
                initiative: line.id.clone(),
                title: title.clone(),
                due: due.date,
            };
            if f.next_milestone.as_ref().is_none_or(|n| next.due < n.due) {
                f.next_milestone = Some(next);
            }
        }
    }
    for budget in figures(plan, ledger, as_of) {
        if budget.hours || budget.savings {
            continue;
        }
        f.money_total += budget.total;
        f.committed += budget.committed.unwrap_or(0);
        f.spent += budget.spent;
        f.plan_by_now += budget.to_date;
    }
    for wave in scores_report(plan, as_of)
        .indicators
        .iter()
        .flat_map(|i| &i.waves)
    {
        match wave.status {
            TargetStatus::Met => f.targets_met += 1,
            TargetStatus::Missed => f.targets_missed += 1,
            TargetStatus::Pending => f.targets_pending += 1,
            TargetStatus::NoData => f.targets_no_data += 1,
            TargetStatus::Baseline => {}
        }
    }
    for criterion in criterion_lines(plan, as_of) {
        match criterion.status {
            CriterionStatus::Met | CriterionStatus::MetLate => f.criteria_met += 1,
            CriterionStatus::Open => f.criteria_open += 1,
            CriterionStatus::Missed => f.criteria_missed += 1,
        }
    }
    f
}

/// The overview of the members, in their order, sub-plans moved under their parents.
pub fn overview(
    title: &str,
    organisation: &str,
    members: &[MemberInput<'_>],
    as_of: Date,
) -> Overview {
    let rows: Vec<PlanRow> = members
        .iter()
        .map(|m| {
            let plan = m.plan;
            PlanRow {
                plan: m.id.to_string(),
                dir: m.dir.to_string(),
                parent: plan.and_then(|p| p.parent.clone()),
                depth: 0,
                title: plan.map(|p| p.title.clone()),
                adopted_by: plan.and_then(|p| p.adopted_by.clone()),
                start: plan.map(|p| p.period.start),
                end: plan.map(|p| p.period.end),
                elapsed_pct: plan.map(|p| p.period.elapsed_pct(as_of)),
                ended: plan.is_some_and(|p| as_of > p.period.end),
                figures: m
                    .valid
                    .map(|(plan, ledger)| plan_figures(plan, ledger, as_of)),
                errors: m.errors,
                warnings: m.warnings,
                last_change: m.last_change.clone(),
            }
        })
        .collect();
    let plans = nest(rows);
    let mut totals = PlanFigures::default();
    for figures in plans.iter().filter_map(|r| r.figures.as_ref()) {
        totals.add(figures);
    }
    Overview {
        title: title.to_string(),
        organisation: organisation.to_string(),
        as_of,
        plans_with_errors: plans.iter().filter(|r| r.errors > 0).count(),
        errors: plans.iter().map(|r| r.errors).sum(),
        warnings: plans.iter().map(|r| r.warnings).sum(),
        plans,
        totals,
    }
}

/// Each plan followed by its sub-plans (in member order), at one more depth. A parent that
/// is not a member, or a cycle, leaves the plan at the top level.
fn nest(rows: Vec<PlanRow>) -> Vec<PlanRow> {
    let known = |id: &str| rows.iter().any(|r| r.plan == id);
    let mut out = Vec::with_capacity(rows.len());
    let mut placed = vec![false; rows.len()];
    fn place(
        at: usize,
        depth: usize,
        rows: &[PlanRow],
        placed: &mut [bool],
        out: &mut Vec<PlanRow>,
    ) {
        if placed[at] {
            return;
        }
        placed[at] = true;
        out.push(PlanRow {
            depth,
            ..rows[at].clone()
        });
        for (child, row) in rows.iter().enumerate() {
            if row.parent.as_deref() == Some(rows[at].plan.as_str()) {
                place(child, depth + 1, rows, placed, out);
            }
        }
    }
    for (at, row) in rows.iter().enumerate() {
        let top = row
            .parent
            .as_deref()
            .is_none_or(|p| !known(p) || p == row.plan);
        if top {
            place(at, 0, &rows, &mut placed, &mut out);
        }
    }
    // Plans in a cycle of parents: none of them is on top; show them at the top level.
    for at in 0..rows.len() {
        place(at, 0, &rows, &mut placed, &mut out);
    }
    out
}

fn money(ore: i128) -> Cell {
    Cell::Number(hundredths(ore))
}

/// The overview as CSV / JSON rows: one row per plan, no totals (a sum row would be counted
/// twice by whoever pivots the rows).
pub fn overview_table(overview: &Overview) -> Table {
    let rows = overview
        .plans
        .iter()
        .map(|r| {
            let f = r.figures.as_ref();
            let count = |get: fn(&PlanFigures) -> usize| {
                f.map_or(Cell::Blank, |f| Cell::Integer(get(f) as i64))
            };
            let cash = |get: fn(&PlanFigures) -> i128| f.map_or(Cell::Blank, |f| money(get(f)));
            let next = f.and_then(|f| f.next_milestone.as_ref());
            vec![
                Cell::Text(r.plan.clone()),
                Cell::text(r.parent.as_deref()),
                Cell::text(r.title.as_deref()),
                Cell::text(r.adopted_by.as_deref()),
                Cell::date(r.start),
                Cell::date(r.end),
                r.elapsed_pct
                    .map_or(Cell::Blank, |p| Cell::Number(format!("{p:.1}"))),
                Cell::Bool(r.ended),
                count(|f| f.initiatives.total()),
                count(|f| f.initiatives.planned),
                count(|f| f.initiatives.active),
                count(|f| f.initiatives.on_track),
                count(|f| f.initiatives.at_risk),
                count(|f| f.initiatives.delayed),
                count(|f| f.initiatives.paused),
                count(|f| f.initiatives.done),
                count(|f| f.initiatives.cancelled),
                count(|f| f.stale),
                count(|f| f.overdue),
                Cell::text(next.map(|n| n.initiative.as_str())),
                Cell::text(next.map(|n| n.title.as_str())),
                Cell::date(next.map(|n| n.due)),
                cash(|f| f.money_total),
                cash(|f| f.committed),
                cash(|f| f.spent),
                cash(|f| f.plan_by_now),
                count(|f| f.targets_met),
                count(|f| f.targets_missed),
                count(|f| f.targets_pending),
                count(|f| f.targets_no_data),
                count(|f| f.criteria_met),
                count(|f| f.criteria_open),
                count(|f| f.criteria_missed),
                Cell::Integer(r.errors as i64),
                Cell::Integer(r.warnings as i64),
                Cell::date(r.last_change.as_ref().map(|c| c.date)),
                Cell::text(r.last_change.as_ref().map(|c| c.author.as_str())),
            ]
        })
        .collect();
    Table {
        columns: OVERVIEW_COLUMNS.to_vec(),
        rows,
    }
}

/// The columns of the overview's CSV and JSON rows.
pub const OVERVIEW_COLUMNS: [&str; 37] = [
    "plan",
    "parent",
    "title",
    "adopted_by",
    "start",
    "end",
    "elapsed_pct",
    "ended",
    "initiatives",
    "planned",
    "active",
    "on_track",
    "at_risk",
    "delayed",
    "paused",
    "done",
    "cancelled",
    "stale",
    "overdue_milestones",
    "next_initiative",
    "next_milestone",
    "next_due",
    "money_total",
    "committed",
    "spent",
    "plan_by_now",
    "targets_met",
    "targets_missed",
    "targets_pending",
    "targets_no_data",
    "criteria_met",
    "criteria_open",
    "criteria_missed",
    "errors",
    "warnings",
    "last_change",
    "last_author",
];

/// Every row of `table` with a first column `plan` holding `plan` (SPEC 13): a member's
/// export as a portfolio export carries it.
pub fn with_plan_column(table: &Table, plan: &str) -> Table {
    let mut columns = Vec::with_capacity(table.columns.len() + 1);
    columns.push("plan");
    columns.extend(table.columns.iter().copied());
    Table {
        columns,
        rows: table
            .rows
            .iter()
            .map(|row| {
                let mut cells = Vec::with_capacity(row.len() + 1);
                cells.push(Cell::Text(plan.to_string()));
                cells.extend(row.iter().cloned());
                cells
            })
            .collect(),
    }
}

/// The members' tables one after the other, each with its `plan` column. Members whose
/// tables have other columns (an optional column one plan has and another has not) are
/// aligned by name: the union of the columns in order of first appearance, blanks where a
/// member has none.
pub fn concat(tables: &[(String, Table)]) -> Table {
    let mut columns: Vec<&'static str> = vec!["plan"];
    for (_, table) in tables {
        for c in &table.columns {
            if !columns.contains(c) {
                columns.push(c);
            }
        }
    }
    let mut rows = Vec::new();
    for (plan, table) in tables {
        let at: Vec<Option<usize>> = columns
            .iter()
            .map(|c| table.columns.iter().position(|t| t == c))
            .collect();
        for row in &table.rows {
            let mut cells = Vec::with_capacity(columns.len());
            cells.push(Cell::Text(plan.clone()));
            cells.extend(
                at.iter()
                    .skip(1)
                    .map(|i| i.map_or(Cell::Blank, |i| row[i].clone())),
            );
            rows.push(cells);
        }
    }
    Table { columns, rows }
}
