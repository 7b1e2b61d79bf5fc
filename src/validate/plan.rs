//! The checks of `plan.toml`'s own keys (SPEC 6): its header (name, period, defaults), the
//! order in which its arrays are validated, the success criteria, and the dates that lie far
//! ahead (W005) in every file.

use rust_decimal::Decimal;
use toml::Spanned;

use super::budgets::{budget, mapped_ledger};
use super::fields::{at_least_one, declared_path, period, positive, unique};
use super::indicators::{declared_again, indicator, survey, unused_waves};
use super::rounds::rounds;
use super::values::{Bound, Ctx, DateLimits, Dated, day_of};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::{PlanFile, PlanFiles};
use crate::model;
use crate::raw;
use crate::source::FileId;
use crate::tree::Tree;

/// Default hours in one årsværk (Danish public sector).
pub const DEFAULT_HOURS_PER_FTE: i64 = 1924;

/// Default days without an update before an initiative is stale.
pub const DEFAULT_STALE_AFTER_DAYS: i64 = 90;

/// Default smallest group whose survey figures may be shown.
pub const DEFAULT_MIN_GROUP_SIZE: i64 = 5;

pub(super) fn validate_plan(
    file: &PlanFile,
    tree: &dyn Tree,
    diags: &mut Diagnostics,
) -> Option<model::Plan> {
    let mut cx = Ctx {
        file: file.file,
        diags,
    };
    let header = file.header.as_ref();
    let mut required_ok = true;
    if let Some(h) = header {
        if let Some(format) = cx.require(&h.format, "format")
            && !matches!(format.get_ref(), toml::Value::Integer(1))
        {
            cx.push(
                Diagnostic::at(
                    Code::UnsupportedFormat,
                    file.file,
                    format.span(),
                    format!("format {} is not supported", format.get_ref()),
                )
                .with_help("this version of plan reads `format = 1`"),
            );
        }
        if let Some(id) = cx.require(&h.id, "id") {
            cx.id(id, "plan");
        }
        required_ok &= cx.require(&h.title, "title").is_some();
        required_ok &= cx.require(&h.organisation, "organisation").is_some();
        cx.require(&h.period, "period");
    }
    let period = header
        .and_then(|h| h.period.as_ref())
        .and_then(|p| period(p, &mut cx, "the plan period"));

    let hours_per_fte = match header.and_then(|h| h.hours_per_fte.as_ref()) {
        Some(v) => positive(&mut cx, v, "hours_per_fte"),
        None => Some(Decimal::from(DEFAULT_HOURS_PER_FTE)),
    };
    let stale_after_days = header
        .and_then(|h| h.stale_after_days.as_ref())
        .map_or(Some(DEFAULT_STALE_AFTER_DAYS), |v| {
            at_least_one(&mut cx, v, "stale_after_days")
        });
    let min_group_size = header
        .and_then(|h| h.privacy.as_ref())
        .and_then(|p| p.min_group_size.as_ref())
        .map_or(Some(DEFAULT_MIN_GROUP_SIZE), |v| {
            at_least_one(&mut cx, v, "min_group_size")
        });

    // Plain paths now; mapped items once the budgets they name are known.
    let mut ledger: Vec<Option<model::LedgerSource>> = Vec::new();
    match header.and_then(|h| h.ledger.as_ref()) {
        Some(entries) => {
            for entry in entries {
                let source = match entry.get_ref() {
                    raw::LedgerItem::Path(pattern) => {
                        let written = Spanned::new(entry.span(), pattern.clone());
                        let is_glob = pattern.contains(['*', '?', '[']);
                        declared_path(&mut cx, tree, &written, !is_glob).then(|| {
                            model::LedgerSource {
                                pattern: pattern.clone(),
                                mapping: None,
                            }
                        })
                    }
                    raw::LedgerItem::Mapped(_) => None,
                };
                ledger.push(source);
            }
        }
        None => ledger.push(Some(model::LedgerSource {
            pattern: "ledger.csv".to_string(),
            mapping: None,
        })),
    }

    // Measurement files: like the ledger's, except that the default file may be absent.
    let mut measurement_files = Vec::new();
    match header.and_then(|h| h.measurements.as_ref()) {
        Some(entries) => {
            for entry in entries {
                let pattern = entry.get_ref();
                let is_glob = pattern.contains(['*', '?', '[']);
                if declared_path(&mut cx, tree, entry, !is_glob) {
                    measurement_files.push(pattern.clone());
                }
            }
        }
        None => measurement_files.push("measurements.csv".to_string()),
    }

    let goals = unique(&mut cx, &file.goals, |g| &g.id, "goal")
        .into_iter()
        .map(|g| model::Goal {
            id: g.id.get_ref().clone(),
            title: g.title.clone(),
        })
        .collect();
    let focus_areas = unique(&mut cx, &file.focus_areas, |f| &f.id, "focus area")
        .into_iter()
        .map(|f| model::FocusArea {
            id: f.id.get_ref().clone(),
            title: f.title.clone(),
            description: f.description.clone(),
        })
        .collect();
    let budgets: Vec<model::Budget> = unique(&mut cx, &file.budgets, |b| &b.id, "budget")
        .into_iter()
        .filter_map(|b| budget(b, period, &mut cx))
        .collect();
    if let Some(entries) = header.and_then(|h| h.ledger.as_ref()) {
        for (slot, entry) in ledger.iter_mut().zip(entries) {
            if let raw::LedgerItem::Mapped(table) = entry.get_ref() {
                *slot = mapped_ledger(table, tree, &budgets, &mut cx);
            }
        }
    }
    let ledger: Vec<model::LedgerSource> = ledger.into_iter().flatten().collect();
    let indicators: Vec<model::Indicator> =
        unique(&mut cx, &file.indicators, |i| &i.id, "indicator")
            .into_iter()
            .filter_map(|i| indicator(i, &mut cx))
            .collect();
    let criteria: Vec<model::Criterion> = unique(&mut cx, &file.criteria, |c| &c.id, "criterion")
        .into_iter()
        .filter_map(|c| criterion(c, &mut cx))
        .collect();
    let surveys: Vec<model::Survey> = file
        .surveys
        .iter()
        .filter_map(|s| {
            if declared_again(s, &file.surveys, tree, &mut cx) {
                return None;
            }
            survey(s, tree, &mut cx)
        })
        .collect();

    unused_waves(file, &mut cx);

    let rounds = rounds(file, &mut cx);
    let mut labels = model::StatusLabels::default();
    if let Some(written) = header.and_then(|h| h.labels.as_ref()) {
        for (slot, label) in labels.0.iter_mut().zip(written.entries()) {
            *slot = label.map(|l| l.get_ref().clone());
        }
    }

    let header = header?;
    if !required_ok {
        return None;
    }
    Some(model::Plan {
        id: header.id.as_ref()?.get_ref().clone(),
        title: header.title.clone()?,
        subtitle: header.subtitle.clone(),
        organisation: header.organisation.clone()?,
        adopted_by: header.adopted_by.clone(),
        case: header.case.clone(),
        coordinator: header.coordinator.clone(),
        purpose: header.purpose.clone(),
        partners: header.partners.clone().unwrap_or_default(),
        parent: header.parent.as_ref().map(|p| p.get_ref().clone()),
        period: period?,
        hours_per_fte: hours_per_fte?,
        stale_after_days: stale_after_days?,
        ledger,
        min_group_size: u64::try_from(min_group_size?).ok()?,
        goals,
        focus_areas,
        budgets,
        indicators,
        criteria,
        surveys,
        initiatives: Vec::new(),
        scores: Vec::new(),
        rounds,
        labels,
        measurement_files,
        measurements: Vec::new(),
        baseline_rev: header.baseline.clone(),
        baseline: None,
    })
}

/// W005: every date of plan.toml that lies too far ahead ([`DateLimits`]), judged on the file
/// as written once the plan's period is known ([`far_initiative_dates`] for an initiative
/// file). A date with an error of its own is left to that error; a period counts as the day
/// the rules take (a start its first, the rest its last).
pub(super) fn far_dates(files: &PlanFiles, limits: &DateLimits, diags: &mut Diagnostics) {
    let mut check = |file: FileId,
                     value: &Spanned<toml::Value>,
                     what: &str,
                     kind: Dated,
                     bound: Option<Bound>| {
        if let Some(day) = day_of(value.get_ref(), bound)
            && let Some(w) = limits.warning(file, value.span(), what, day, kind)
        {
            diags.push(w);
        }
    };
    if let Some(p) = &files.plan {
        let file = p.file;
        for b in &p.budgets {
            if let Some(period) = &b.period {
                let period = period.get_ref();
                check(
                    file,
                    &period.start,
                    "the budget's start",
                    Dated::Planned,
                    None,
                );
                check(file, &period.end, "the budget's end", Dated::Planned, None);
            }
        }
        // A criterion's deadline is not judged: a long-term goal lies decades past the
        // plan's period as a rule ("CO2-neutral by 2050" in a 2023-2026 climate plan).
        for c in &p.criteria {
            if let Some(a) = &c.achieved {
                let date = &a.get_ref().date;
                check(
                    file,
                    date,
                    "the criterion's achieved date",
                    Dated::Recorded,
                    None,
                );
            }
        }
        for survey in &p.surveys {
            check(file, &survey.date, "the survey date", Dated::Recorded, None);
        }
        for round in &p.rounds {
            check(file, &round.date, "the round's date", Dated::Planned, None);
        }
    }
}

/// W005 for the dates of one initiative file (see [`far_dates`]).
pub(super) fn far_initiative_dates(
    f: &crate::load::InitiativeFile,
    limits: &DateLimits,
    diags: &mut Diagnostics,
) {
    let file = f.file;
    let mut check =
        |value: &Spanned<toml::Value>, what: &str, kind: Dated, bound: Option<Bound>| {
            if let Some(day) = day_of(value.get_ref(), bound)
                && let Some(w) = limits.warning(file, value.span(), what, day, kind)
            {
                diags.push(w);
            }
        };
    if let Some(h) = &f.header {
        if let Some(start) = &h.start {
            let first = Some(Bound::First);
            check(start, "the initiative's start", Dated::Planned, first);
        }
        if let Some(end) = &h.end {
            let last = Some(Bound::Last);
            check(end, "the initiative's end", Dated::Planned, last);
        }
    }
    for m in &f.milestones {
        if let Some(due) = &m.due {
            let last = Some(Bound::Last);
            check(due, "the milestone's due date", Dated::Planned, last);
        }
        if let Some(done) = &m.done {
            check(done, "the milestone's `done`", Dated::Recorded, None);
        }
    }
    far_update_dates(&f.updates, file, limits, diags);
}

/// W005 for the dates of an initiative file's updates (see [`far_dates`]).
pub(super) fn far_update_dates(
    updates: &[std::sync::Arc<raw::Update>],
    file: FileId,
    limits: &DateLimits,
    diags: &mut Diagnostics,
) {
    for u in updates {
        let (value, what) = (&u.date, "the update's date");
        if let Some(day) = day_of(value.get_ref(), None)
            && let Some(w) = limits.warning(file, value.span(), what, day, Dated::Recorded)
        {
            diags.push(w);
        }
    }
}

pub(super) fn criterion(c: &raw::Criterion, cx: &mut Ctx<'_>) -> Option<model::Criterion> {
    let deadline = cx.date(&c.deadline, "deadline");
    let achieved = match &c.achieved {
        Some(a) => {
            let a = a.get_ref();
            Some((cx.date(&a.date, "achieved.date")?, a.evidence.clone()))
        }
        None => None,
    };
    Some(model::Criterion {
        id: c.id.get_ref().clone(),
        title: c.title.clone(),
        deadline: deadline?,
        achieved,
    })
}
