//! The HTML report (`plan report`, SPEC 8) as data: everything the page shows, computed from
//! the model and the as-of date by the same functions as the other reports. The page's
//! renderer (`render::html`) only lays this out; it computes no figure of its own.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::diag::Located;
use crate::model::{Date, Ledger, Plan};
use crate::report::budget::{BurnUp, burn_up};
use crate::report::initiatives::MilestoneLine;
use crate::report::scores::{IndicatorLine, ScoresReport};
use crate::report::status::{Status, StatusReport, initiative_status, status_report};

/// One bar of the timeline: an initiative from its start to its end, with its milestones.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    /// Initiative id.
    pub id: String,
    /// Display number.
    pub number: Option<i64>,
    /// Title.
    pub title: String,
    /// Start.
    pub start: Date,
    /// End, when the initiative has one.
    pub end: Option<Date>,
    /// Status as of the date.
    pub status: Status,
    /// Milestones with their states as of the date.
    pub milestones: Vec<MilestoneLine>,
}

/// The timeline of every initiative, in the plan's order.
pub fn timeline(plan: &Plan, as_of: Date) -> Vec<TimelineRow> {
    plan.initiatives
        .iter()
        .map(|i| TimelineRow {
            id: i.id.clone(),
            number: i.number,
            title: crate::report::initiatives::indented(&i.title, i.depth),
            // An unknown start (SPEC 12.6) draws from the plan's start.
            start: i.start.as_ref().map_or(plan.period.start, |s| s.date),
            end: i.end.as_ref().map(|e| e.date),
            status: initiative_status(i, as_of),
            milestones: i
                .milestones
                .iter()
                .map(|m| MilestoneLine::of(&i.id, m, as_of, plan.baseline.as_ref()))
                .collect(),
        })
        .collect()
}

/// One indicator as the page charts it: its scale and question from plan.toml, and its
/// baseline, targets and results from the scores report. The scores report has already applied
/// the privacy rule (SPEC 5.4): a withheld result is absent from `line`, only flagged.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorChart {
    /// The question asked.
    pub question: Option<String>,
    /// Lowest answer; absent for a measured indicator without a scale.
    pub scale_min: Option<Decimal>,
    /// Highest answer; present exactly when `scale_min` is.
    pub scale_max: Option<Decimal>,
    /// Baseline, targets, results and statuses.
    pub line: IndicatorLine,
    /// The whole series, when it says more than the baseline and targets (SPEC 12.1): the
    /// page then charts it instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<crate::report::series::Series>,
    /// The business-as-usual projection, drawn dashed (SPEC 12.3).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub projection: Vec<(String, Decimal)>,
    /// Needed against planned change per target wave (SPEC 12.4).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<crate::report::series::EffectLine>,
}

/// Every indicator of the scores report with its scale and question.
pub fn indicator_charts(plan: &Plan, scores: &ScoresReport, as_of: Date) -> Vec<IndicatorChart> {
    let effects = crate::report::series::effects(plan, scores, as_of);
    scores
        .indicators
        .iter()
        .map(|line| {
            let declared = plan.indicators.iter().find(|i| i.id == line.id);
            // A share is charted on its own range, 0-100 %, not on the answers' scale.
            let (scale_min, scale_max) = match declared {
                Some(i) if i.is_share() => (Some(Decimal::ZERO), Some(Decimal::ONE_HUNDRED)),
                Some(i) => (i.scale_min, i.scale_max),
                None => (None, None),
            };
            IndicatorChart {
                question: declared.and_then(|i| i.question.clone()),
                scale_min,
                scale_max,
                line: line.clone(),
                series: declared
                    .map(|i| (i, crate::report::series::series(plan, i, as_of)))
                    .filter(|(i, s)| crate::report::series::worth_showing(s, i))
                    .map(|(_, s)| s),
                projection: declared.map(|i| i.projection.clone()).unwrap_or_default(),
                effects: effects
                    .iter()
                    .filter(|e| e.indicator == line.id && e.needed.is_some())
                    .cloned()
                    .collect(),
            }
        })
        .collect()
}

/// A criterion with its evidence, for the page.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionEvidence {
    /// Criterion id.
    pub id: String,
    /// Evidence, when achieved by the date and given.
    pub evidence: Option<String>,
}

/// The whole page as data.
#[derive(Debug, Clone, Serialize)]
pub struct PageReport {
    /// Header, initiatives, budget figures and criteria: the status screen.
    pub status: StatusReport,
    /// The plan's purpose.
    pub purpose: Option<String>,
    /// Organisations outside the municipality that share the work (SPEC 9.4).
    pub partners: Vec<String>,
    /// Goals as (id, title).
    pub goals: Vec<(String, String)>,
    /// Focus areas as (id, title).
    pub focus_areas: Vec<(String, String)>,
    /// The timeline.
    pub timeline: Vec<TimelineRow>,
    /// A burn-up chart per budget.
    pub burn_up: Vec<BurnUp>,
    /// A chart per indicator.
    pub indicators: Vec<IndicatorChart>,
    /// The smallest group whose figures may be shown.
    pub min_group_size: u64,
    /// Evidence of the criteria achieved by the date, in the order of `status.criteria`.
    pub evidence: Vec<CriterionEvidence>,
    /// The warnings of `plan check`.
    pub warnings: Vec<Located>,
    /// The plan's reporting rounds dated by the date (SPEC 9.5); empty for a plan without
    /// `[[round]]`, whose page stays as it was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<crate::report::rounds::RoundRow>,
    /// `plan report --since REV`: what changed since REV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<Since>,
}

/// "Changes since …": the changes of `plan diff REV` to the state the page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Since {
    /// REV as given (`udvalg-2022-03`).
    pub rev: String,
    /// The commit it names, as `plan diff` names it: `1a2b3c4 (2022-03-01, summary)`.
    pub from: String,
    /// The changes, in `plan diff`'s order.
    pub changes: Vec<crate::report::diff::Change>,
}

/// Build the page. `warnings` are the diagnostics of the load (errors never reach a report).
pub fn page_report(
    plan: &Plan,
    ledger: &Ledger,
    as_of: Date,
    warnings: Vec<Located>,
) -> PageReport {
    let status = status_report(plan, ledger, as_of, warnings.len());
    PageReport {
        indicators: indicator_charts(plan, &status.targets, as_of),
        min_group_size: status.targets.min_group_size,
        status,
        purpose: plan.purpose.clone(),
        partners: plan.partners.clone(),
        goals: plan
            .goals
            .iter()
            .map(|g| (g.id.clone(), g.title.clone()))
            .collect(),
        focus_areas: plan
            .focus_areas
            .iter()
            .map(|f| (f.id.clone(), f.title.clone()))
            .collect(),
        timeline: timeline(plan, as_of),
        burn_up: burn_up(plan, ledger, as_of),
        evidence: plan
            .criteria
            .iter()
            .map(|c| CriterionEvidence {
                id: c.id.clone(),
                evidence: c
                    .achieved
                    .as_ref()
                    .filter(|(d, _)| *d <= as_of)
                    .and_then(|(_, e)| e.clone()),
            })
            .collect(),
        warnings,
        rounds: if plan.rounds.is_empty() {
            Vec::new()
        } else {
            crate::report::rounds::rounds(plan, as_of)
        },
        since: None,
    }
}
