//! The checks of `[[round]]` (SPEC 9.5): dates and ids, and the reported counts against the
//! counts the initiatives' own updates give (W502).

use super::fields::unique;
use super::values::Ctx;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::{PlanFile, PlanFiles};
use crate::model::{self, Date};

/// `[[round]]` (SPEC 9.5): unique ids, valid dates, counts of 0 or more; sorted by date.
pub(super) fn rounds(file: &PlanFile, cx: &mut Ctx<'_>) -> Vec<model::Round> {
    let mut rounds: Vec<model::Round> = unique(cx, &file.rounds, |r| &r.id, "round")
        .into_iter()
        .filter_map(|r| {
            let date = cx.date(&r.date, "the round's date");
            let reported = match &r.reported {
                Some(counts) => {
                    let mut out = [0u64; 8];
                    let mut ok = true;
                    for (slot, count) in out.iter_mut().zip(counts.get_ref().entries()) {
                        let Some(count) = count else { continue };
                        match u64::try_from(*count.get_ref()) {
                            Ok(n) => *slot = n,
                            Err(_) => {
                                cx.report(
                                    Code::InvalidValue,
                                    count.span(),
                                    format!(
                                        "a reported count must be 0 or more, not {}",
                                        count.get_ref()
                                    ),
                                );
                                ok = false;
                            }
                        }
                    }
                    Some(ok.then_some(out))
                }
                None => None,
            };
            Some(model::Round {
                id: r.id.get_ref().clone(),
                title: r.title.clone().unwrap_or_else(|| r.id.get_ref().clone()),
                date: date?,
                reported: match reported {
                    Some(counts) => Some(counts?),
                    None => None,
                },
            })
        })
        .collect();
    rounds.sort_by_key(|r| r.date);
    rounds
}

/// W502: a round's `reported` counts differ from what the initiatives' own updates give for
/// its date. Judged only where the updates do give a status to every initiative (each has an
/// update dated on or before the round, or has not started by then), and only for rounds
/// dated on or before the as-of date (later updates do not exist yet).
pub fn reported_mismatches(
    files: &PlanFiles,
    plan: &model::Plan,
    as_of: Date,
    diags: &mut Diagnostics,
) {
    let Some(plan_file) = &files.plan else {
        return;
    };
    if plan.initiatives.is_empty() {
        return;
    }
    for round in plan.rounds.iter().filter(|r| r.date <= as_of) {
        let Some(reported) = round.reported else {
            continue;
        };
        let known = plan.initiatives.iter().all(|i| {
            i.updates.iter().any(|u| u.date <= round.date)
                || i.start.as_ref().is_some_and(|s| s.date > round.date)
        });
        if !known {
            continue;
        }
        let computed = crate::figures::status::counts(plan, round.date).by_status;
        if computed == reported {
            continue;
        }
        let differences: Vec<String> = model::STATUS_WORDS
            .iter()
            .zip(reported.iter().zip(&computed))
            .filter(|(_, (r, c))| r != c)
            .map(|(word, (r, c))| format!("{word} {r} reported, {c} from the updates"))
            .collect();
        let span = plan_file
            .rounds
            .iter()
            .find(|r| r.id.get_ref() == &round.id)
            .and_then(|r| r.reported.as_ref())
            .map(|r| r.span());
        let message = format!(
            "round `{}` ({}): {}",
            round.id,
            round.date,
            differences.join("; ")
        );
        let d = match span {
            Some(span) => Diagnostic::at(Code::ReportedCounts, plan_file.file, span, message),
            None => Diagnostic::in_file(Code::ReportedCounts, plan_file.file, message),
        };
        diags.push(d.with_help(
            "the reported counts are used; correct them, or the initiatives' updates for that date",
        ));
    }
}
