//! The checks of the initiative files (SPEC 1.2, 3, 9.4): header, milestones and updates,
//! the parent links between initiatives (no cycles), and the stale warning (W001).

use foldhash::HashSet;
use std::sync::Arc;

use super::values::{Bound, Ctx, DateLimits};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::{InitiativeFile, PlanFiles};
use crate::model::{self, Date};

pub(super) fn validate_initiative(
    file: &InitiativeFile,
    plan: &model::Plan,
    cx: &mut Ctx<'_>,
) -> Option<model::Initiative> {
    let h = file.header.as_ref()?;
    let id = cx.require(&h.id, "id");
    let id_ok = id.is_some_and(|id| cx.id(id, "initiative"));
    let title = cx.require(&h.title, "title");
    let summary = cx.require(&h.summary, "summary");
    let focus_ids = h
        .focus_area
        .as_ref()
        .map(|f| f.get_ref().ids(f.span()))
        .unwrap_or_default();
    for focus in &focus_ids {
        cx.reference(
            focus,
            plan.focus_areas.iter().map(|f| f.id.as_str()),
            "focus area",
        );
    }
    for goal in h.goals.iter().flatten() {
        cx.reference(goal, plan.goals.iter().map(|g| g.id.as_str()), "goal");
    }
    // `start` may be left out: unknown, and no rule that needs it applies (SPEC 12.6).
    let start = h
        .start
        .as_ref()
        .and_then(|s| cx.when(s, "start", Bound::First));
    let start_ok = h.start.is_none() || start.is_some();
    let end = h.end.as_ref().and_then(|e| cx.when(e, "end", Bound::Last));
    if let (Some(s), Some(e), Some(end_value)) = (&start, &end, &h.end)
        && e.date < s.date
    {
        cx.report(
            Code::ReversedDates,
            end_value.span(),
            format!("the initiative ends ({e}) before it starts ({s})"),
        );
    }

    let mut milestones = Vec::new();
    let mut milestone_ids: HashSet<&str> = HashSet::default();
    for m in &file.milestones {
        if !cx.id(&m.id, "milestone") {
            continue;
        }
        if !milestone_ids.insert(m.id.get_ref()) {
            cx.report(
                Code::DuplicateId,
                m.id.span(),
                format!(
                    "milestone `{}` is defined twice in this initiative",
                    m.id.get_ref()
                ),
            );
            continue;
        }
        // No `due`: not scheduled (SPEC 9.3), which is valid.
        let due = match &m.due {
            Some(due) => cx.when(due, "due", Bound::Last).map(Some),
            None => Some(None),
        };
        let done = m.done.as_ref().and_then(|d| cx.date(d, "done"));
        if let (Some(done_date), Some(s), Some(done_value)) = (done, &start, &m.done)
            && done_date < s.date
        {
            cx.report(
                Code::MilestoneBeforeStart,
                done_value.span(),
                format!(
                    "milestone `{}` is done ({done_date}) before the initiative starts ({s})",
                    m.id.get_ref()
                ),
            );
        }
        // A period counts as its last day, a start period as its first (SPEC 9.3).
        if let (Some(Some(due_when)), Some(s), Some(due_value)) = (&due, &start, &m.due)
            && due_when.date < s.date
        {
            let due_date = due_when;
            cx.report(
                Code::DueBeforeStart,
                due_value.span(),
                format!(
                    "milestone `{}` is due ({due_date}) before the initiative starts ({s})",
                    m.id.get_ref()
                ),
            );
        }
        if let Some(due) = due {
            milestones.push(model::Milestone {
                id: m.id.get_ref().clone(),
                title: m.title.clone(),
                due,
                done,
            });
        }
    }

    let mut updates = Vec::new();
    push_updates(&file.updates, &mut updates, cx);

    let effects = super::series::effects(file, plan, cx);
    if !id_ok {
        return None;
    }
    let owners = h
        .owner
        .as_ref()
        .map(crate::raw::Owners::names)
        .unwrap_or_default();
    Some(model::Initiative {
        id: id?.get_ref().clone(),
        number: h.number.as_ref().map(|n| *n.get_ref()),
        title: title?.clone(),
        focus_area: focus_ids.first().map(|f| f.get_ref().clone()),
        other_focus_areas: focus_ids
            .iter()
            .skip(1)
            .map(|f| f.get_ref().clone())
            .collect(),
        goals: h
            .goals
            .iter()
            .flatten()
            .map(|g| g.get_ref().clone())
            .collect(),
        owner: owners.first().cloned(),
        co_owners: owners.iter().skip(1).cloned().collect(),
        parent: h.parent.as_ref().map(|p| p.get_ref().clone()),
        depth: 0,
        partners: h.partners.clone().unwrap_or_default(),
        start: if start_ok { start } else { return None },
        end,
        summary: summary?.clone(),
        schedule: h.schedule.clone(),
        why: h.why.clone(),
        how: h.how.clone(),
        who: h.who.clone(),
        communication: h.communication.clone(),
        milestones,
        updates,
        effects: effects?,
    })
}

/// Validate `written` updates onto `updates` (the valid ones before them, in date order),
/// keeping them in date order.
fn push_updates(
    written: &[Arc<crate::raw::Update>],
    updates: &mut Vec<model::Update>,
    cx: &mut Ctx<'_>,
) {
    for u in written {
        let date = cx.date(&u.date, "the update's date");
        // No status: a note (SPEC 12.6).
        let status = match &u.status {
            Some(s) => cx
                .word(s, model::UpdateStatus::WORDS, Code::InvalidStatus, "status")
                .map(Some),
            None => Some(None),
        };
        if let (Some(date), Some(status)) = (date, status) {
            updates.push(model::Update {
                date,
                status,
                note: u.note.as_deref().map(Arc::from),
            });
        }
    }
    // Stable: updates on the same day keep file order, so the later one in the file wins.
    updates.sort_by_key(|u| u.date);
}

/// `earlier`, validated from an initiative file, with `appended`, the `[[update]]` tables
/// appended to that file, validated (W005 included): what validating the whole file gives
/// when this reports nothing, as the rest of the file is the same (SPEC 10.5). `None` when it
/// reports something: the file is then validated whole, for its diagnostics.
pub(super) fn extend_initiative(
    earlier: &model::Initiative,
    appended: &[Arc<crate::raw::Update>],
    file: crate::source::FileId,
    limits: &DateLimits,
) -> Option<model::Initiative> {
    let mut found = Diagnostics::default();
    super::plan::far_update_dates(appended, file, limits, &mut found);
    let mut initiative = earlier.clone();
    let mut cx = Ctx {
        file,
        diags: &mut found,
    };
    push_updates(appended, &mut initiative.updates, &mut cx);
    found.is_empty().then_some(initiative)
}

/// SPEC 9.4: every `parent` names an initiative (E008, when every initiative file could be
/// read: `ids_known`), no initiative is its own ancestor
/// (E307); then the initiatives are put in tree order, each followed by its children (both
/// kept in number-then-id order), with their depth. An initiative whose parent is missing or
/// in a cycle stays at the top level (the plan has errors anyway).
pub(super) fn parents(
    files: &PlanFiles,
    plan: &mut model::Plan,
    ids_known: bool,
    diags: &mut Diagnostics,
) {
    // No parent anywhere (most plans): every initiative is at the top, in the plan's order,
    // and no file names a parent to check. Each state of a history comes here (SPEC 10.5).
    if plan.initiatives.iter().all(|i| i.parent.is_none()) {
        for initiative in &mut plan.initiatives {
            if initiative.depth != 0 {
                Arc::make_mut(initiative).depth = 0;
            }
        }
        return;
    }
    let index: foldhash::HashMap<&str, usize> = plan
        .initiatives
        .iter()
        .enumerate()
        .map(|(k, i)| (i.id.as_str(), k))
        .collect();
    // The parent's index of each initiative, when it names one that exists.
    let mut up: Vec<Option<usize>> = vec![None; plan.initiatives.len()];
    for file in &files.initiatives {
        let Some(h) = &file.header else { continue };
        let (Some(id), Some(parent)) = (&h.id, &h.parent) else {
            continue;
        };
        let Some(&me) = index.get(id.get_ref().as_str()) else {
            continue;
        };
        // A duplicate id's second file was dropped: only the kept file speaks for the id.
        if plan.initiatives[me].parent.as_deref() != Some(parent.get_ref().as_str()) {
            continue;
        }
        match index.get(parent.get_ref().as_str()) {
            Some(&k) => up[me] = Some(k),
            None if !ids_known => {}
            None => {
                let given = parent.get_ref();
                let d = Diagnostic::at(
                    Code::UnknownReference,
                    file.file,
                    parent.span(),
                    format!("parent initiative `{given}` is not defined"),
                );
                let ids = plan.initiatives.iter().map(|i| i.id.as_str());
                diags.push(match crate::diag::did_you_mean(given, ids) {
                    Some(near) => d.with_label(format!("did you mean `{near}`?")),
                    None => d.with_help(
                        "name the `id` of another file in initiatives/, or remove `parent`",
                    ),
                });
            }
        }
    }
    // Cycles: walk up from each initiative not seen yet; reaching an initiative of the same
    // walk again closes a cycle, reported once, at its member that comes first in the plan's
    // order. Each initiative is walked over once: linear in the number of initiatives.
    const NEW: u8 = 0;
    const WALKING: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; up.len()];
    let mut in_cycle = vec![false; up.len()];
    for start in 0..up.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(k) = at {
            match state[k] {
                NEW => {
                    state[k] = WALKING;
                    path.push(k);
                    at = up[k];
                }
                WALKING => {
                    let from = path.iter().position(|&p| p == k).unwrap_or(0);
                    let members = &path[from..];
                    for &m in members {
                        in_cycle[m] = true;
                    }
                    report_cycle(files, plan, members, diags);
                    break;
                }
                _ => break,
            }
        }
        for k in path {
            state[k] = DONE;
        }
    }
    for (k, parent) in up.iter_mut().enumerate() {
        if in_cycle[k] {
            *parent = None;
        }
    }
    // Tree order: depth first from the top-level initiatives, children in plan order.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); up.len()];
    for (k, parent) in up.iter().enumerate() {
        if let Some(p) = parent {
            children[*p].push(k);
        }
    }
    let mut order: Vec<(usize, usize)> = Vec::with_capacity(up.len());
    let mut stack: Vec<(usize, usize)> = (0..up.len())
        .rev()
        .filter(|&k| up[k].is_none())
        .map(|k| (k, 0))
        .collect();
    while let Some((k, depth)) = stack.pop() {
        order.push((k, depth));
        stack.extend(children[k].iter().rev().map(|&c| (c, depth + 1)));
    }
    let mut slots: Vec<Option<Arc<model::Initiative>>> = std::mem::take(&mut plan.initiatives)
        .into_iter()
        .map(Some)
        .collect();
    for (k, depth) in order {
        if let Some(mut initiative) = slots[k].take() {
            if initiative.depth != depth {
                Arc::make_mut(&mut initiative).depth = depth;
            }
            plan.initiatives.push(initiative);
        }
    }
}

/// E307 for one cycle of parents, `members` in the order of the walk (each one's parent is
/// the next, the last one's the first): named from the member that comes first in the plan.
pub(super) fn report_cycle(
    files: &PlanFiles,
    plan: &model::Plan,
    members: &[usize],
    diags: &mut Diagnostics,
) {
    let first = members
        .iter()
        .enumerate()
        .min_by_key(|(_, k)| **k)
        .map_or(0, |(at, _)| at);
    let names: Vec<&str> = members[first..]
        .iter()
        .chain(&members[..first])
        .chain(members.get(first))
        .map(|&k| plan.initiatives[k].id.as_str())
        .collect();
    let Some(&head) = names.first() else {
        return;
    };
    let span = files.initiatives.iter().find_map(|f| {
        let h = f.header.as_ref()?;
        (h.id.as_ref()?.get_ref() == head)
            .then(|| h.parent.as_ref().map(|p| (f.file, p.span())))
            .flatten()
    });
    let message = format!(
        "initiative `{head}` is its own ancestor: {}",
        names.join(" → ")
    );
    let help = "remove one `parent` of the cycle: a measure is part of one initiative, which is not part of it";
    diags.push(
        match span {
            Some((file, span)) => Diagnostic::at(Code::ParentCycle, file, span, message),
            None => Diagnostic {
                code: Code::ParentCycle,
                file: None,
                span: None,
                message,
                label: None,
                help: None,
                also: Vec::new(),
            },
        }
        .with_help(help),
    );
}

/// SPEC 6: "an initiative with no update for `stale_after_days`" — judged as of the run's date.
pub(super) fn stale_warning(
    i: &model::Initiative,
    plan: &model::Plan,
    as_of: Date,
    file: &InitiativeFile,
    cx: &mut Ctx<'_>,
) {
    if let Some(days) = crate::figures::status::stale_days(i, plan, as_of) {
        let span = file
            .header
            .as_ref()
            .and_then(|h| h.id.as_ref())
            .map(|id| id.span());
        let message = if as_of > plan.period.end {
            format!(
                "initiative `{}` had no update for the last {days} days of the plan, which ended on {} (stale after {})",
                i.id, plan.period.end, plan.stale_after_days
            )
        } else {
            format!(
                "initiative `{}` has had no update for {days} days (stale after {})",
                i.id, plan.stale_after_days
            )
        };
        cx.push(
            match span {
                Some(span) => Diagnostic::at(Code::StaleInitiative, file.file, span, message),
                None => Diagnostic::in_file(Code::StaleInitiative, file.file, message),
            }
            .with_help(if as_of > plan.period.end {
                "record how it ended: an [[update]] with status done or cancelled"
            } else {
                "add an [[update]] with today's date and status"
            }),
        );
    }
}
