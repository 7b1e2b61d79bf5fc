//! `plan initiatives`: the list, and one initiative's full card.

use serde::Serialize;

use crate::model::{BudgetKind, Date, Initiative, Ledger, Plan, When};
use crate::report::budget::{BudgetFigures, budget_figures};
use crate::report::slip::{Slip, slip};
use crate::report::status::{InitiativeLine, MilestoneState, initiative_line, milestone_state};
use crate::report::{Cell, Table};

/// The list for a terminal: the columns of `export status` that fit beside each other, a
/// child's title indented under its parent's (SPEC 9.4).
pub fn list_table(plan: &Plan, as_of: Date) -> Table {
    let mut table = crate::report::status::status_table(plan, as_of).select(&[
        "initiative",
        "number",
        "title",
        "focus_area",
        "owner",
        "start",
        "end",
        "status",
    ]);
    let title = table.columns.iter().position(|c| *c == "title");
    let status = table.columns.iter().position(|c| *c == "status");
    for (row, initiative) in table.rows.iter_mut().zip(&plan.initiatives) {
        if let Some(Cell::Text(text)) = title.and_then(|k| row.get_mut(k)) {
            *text = indented(text, initiative.depth);
        }
        // The plan's own word for the status (`[labels]`): this table is read, not exported.
        if let Some(Cell::Text(word)) = status.and_then(|k| row.get_mut(k))
            && let Some(label) = crate::report::status_label(&plan.labels, word)
        {
            *word = label.to_string();
        }
    }
    table
}

/// A title under its parent's: `↳ ` after two spaces per level above the first.
pub fn indented(title: &str, depth: usize) -> String {
    match depth {
        0 => title.to_string(),
        _ => format!("{}↳ {title}", "  ".repeat(depth - 1)),
    }
}

/// One milestone on the card.
#[derive(Debug, Clone, Serialize)]
pub struct MilestoneLine {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Due, as written; `None` when not scheduled.
    pub due: Option<When>,
    /// Done by the date.
    pub done: Option<Date>,
    /// State.
    pub state: MilestoneState,
    /// Against the baseline (SPEC 10.4), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slip: Option<Slip>,
}

impl MilestoneLine {
    /// Milestone `m` of initiative `initiative` as of `as_of` (a completion after that date
    /// does not exist yet), against `baseline` when there is one.
    pub fn of(
        initiative: &str,
        m: &crate::model::Milestone,
        as_of: Date,
        baseline: Option<&crate::model::Baseline>,
    ) -> MilestoneLine {
        MilestoneLine {
            id: m.id.clone(),
            title: m.title.clone(),
            due: m.due.clone(),
            done: m.done.filter(|d| *d <= as_of),
            state: milestone_state(m, as_of),
            slip: slip(baseline, initiative, m),
        }
    }
}

/// One update on the card.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateLine {
    /// Date.
    pub date: Date,
    /// Status word; none for a note (SPEC 12.6).
    pub status: Option<crate::model::UpdateStatus>,
    /// Note.
    pub note: Option<String>,
    /// The plan's own word for the status (`[labels]`), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A budget linked to the initiative.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetLine {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// "money", "hours" or "savings".
    pub kind: &'static str,
    /// Money: total in øre.
    pub amount_ore: Option<i64>,
    /// Hours: capacity in FTE, as written.
    pub fte: Option<String>,
    /// Burn as of the date.
    pub burn: BudgetFigures,
}

/// An initiative's full card.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    /// The status line.
    pub line: InitiativeLine,
    /// Focus area title.
    pub focus_area_title: Option<String>,
    /// Goals as (id, title).
    pub goals: Vec<(String, String)>,
    /// The parent initiative as (id, title), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<(String, String)>,
    /// The initiatives directly under this one, as (id, title).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<(String, String)>,
    /// Summary.
    pub summary: String,
    /// The five headings of the implementation plan, (Danish heading, text), in order.
    pub headings: Vec<(&'static str, String)>,
    /// Milestones.
    pub milestones: Vec<MilestoneLine>,
    /// Updates dated on or before the as-of date, newest last.
    pub updates: Vec<UpdateLine>,
    /// Budgets that name this initiative.
    pub budgets: Vec<BudgetLine>,
    /// The baseline's name (SPEC 10.4), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
}

/// The card of initiative `i`.
pub fn card(i: &Initiative, plan: &Plan, ledger: &Ledger, as_of: Date) -> Card {
    let headings = [
        ("Tidsplan og økonomi", &i.schedule),
        ("Hvorfor", &i.why),
        ("Hvordan", &i.how),
        ("Hvem", &i.who),
        ("Kommunikation", &i.communication),
    ]
    .into_iter()
    .filter_map(|(h, text)| text.clone().map(|t| (h, t)))
    .collect();
    Card {
        line: initiative_line(i, plan, as_of),
        focus_area_title: i
            .focus_area
            .as_ref()
            .and_then(|f| plan.focus_areas.iter().find(|a| &a.id == f))
            .map(|f| f.title.clone()),
        goals: i
            .goals
            .iter()
            .filter_map(|g| plan.goals.iter().find(|x| &x.id == g))
            .map(|g| (g.id.clone(), g.title.clone()))
            .collect(),
        parent: i.parent.as_ref().and_then(|p| {
            plan.initiatives
                .iter()
                .find(|x| &x.id == p)
                .map(|x| (x.id.clone(), x.title.clone()))
        }),
        children: plan
            .initiatives
            .iter()
            .filter(|x| x.parent.as_deref() == Some(i.id.as_str()))
            .map(|x| (x.id.clone(), x.title.clone()))
            .collect(),
        summary: i.summary.clone(),
        headings,
        milestones: i
            .milestones
            .iter()
            .map(|m| MilestoneLine::of(&i.id, m, as_of, plan.baseline.as_ref()))
            .collect(),
        updates: i
            .updates
            .iter()
            .filter(|u| u.date <= as_of)
            .map(|u| UpdateLine {
                date: u.date,
                status: u.status,
                note: u.note.as_deref().map(str::to_string),
                label: crate::model::STATUS_WORDS
                    .iter()
                    .position(|w| Some(*w) == u.status.map(|s| s.word()))
                    .and_then(|i| plan.labels.get(i))
                    .map(str::to_string),
            })
            .collect(),
        budgets: plan
            .budgets
            .iter()
            .enumerate()
            .filter(|(_, b)| b.initiative.as_deref() == Some(i.id.as_str()))
            .map(|(index, b)| BudgetLine {
                id: b.id.clone(),
                title: b.title.clone(),
                kind: b.kind.word(),
                amount_ore: match b.kind {
                    BudgetKind::Money { amount_ore } | BudgetKind::Savings { amount_ore } => {
                        Some(amount_ore)
                    }
                    BudgetKind::Hours { .. } => None,
                },
                fte: match b.kind {
                    BudgetKind::Hours { fte } => fte.map(|f| f.normalize().to_string()),
                    BudgetKind::Money { .. } | BudgetKind::Savings { .. } => None,
                },
                burn: budget_figures(plan, index, ledger, as_of),
            })
            .collect(),
        baseline: plan.baseline.as_ref().map(|b| b.name.clone()),
    }
}
