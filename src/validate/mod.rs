//! Stage 3, validate: raw structs → the [`model`](crate::model). Every rule of SPEC
//! section 6 that concerns `plan.toml` and the initiative files lives here. Problems are
//! collected; a model is still built from what is valid, but callers refuse to report on
//! it while there are errors.
//!
//! This file is the driver: [`validate`] runs the checks of each part in order. The checks
//! live by the part they check: `plan.rs` (plan.toml's header and the order of its arrays),
//! `budgets.rs` (budgets and the ledger items), `ledger.rs` (the ledger's rows),
//! `indicators.rs` (indicators and surveys), `rounds.rs`, `initiatives.rs`; `fields.rs` and
//! `values.rs` hold what they share. A new part is a new file and one call here.

mod budgets;
mod fields;
mod indicators;
mod initiatives;
pub mod ledger;
mod plan;
mod rounds;
pub mod series;
pub mod shares;
pub mod values;

use std::sync::Arc;

use crate::diag::{Code, Diagnostics};
use crate::load::PlanFiles;
use crate::load::memo::LoadMemo;
use crate::model::{self, Date};
use crate::tree::Tree;
pub use budgets::unused_budget_codes;
pub use indicators::{baseline_mismatches, baseline_missing};
use initiatives::{extend_initiative, parents, stale_warning, validate_initiative};
pub use plan::{DEFAULT_HOURS_PER_FTE, DEFAULT_MIN_GROUP_SIZE, DEFAULT_STALE_AFTER_DAYS};
use plan::{far_dates, far_initiative_dates, validate_plan};
pub use rounds::reported_mismatches;
use values::{Ctx, DateLimits};

/// Validate every TOML file. Returns a model when `plan.toml` was readable enough to build one;
/// check `diags.has_errors()` before trusting it.
/// `today`: the day the command runs, for W005 ([`DateLimits`]); `None` judges dates by the
/// plan's period only. `memo`: the initiatives validated by the loads before (SPEC 10.5).
pub fn validate(
    files: &PlanFiles,
    tree: &dyn Tree,
    (as_of, today): (Date, Option<Date>),
    memo: Option<&mut LoadMemo>,
    diags: &mut Diagnostics,
) -> Option<model::Plan> {
    let plan_file = files.plan.as_ref()?;
    let errors = diags.errors();
    let mut plan = validate_plan(plan_file, tree, diags)?;
    // Sized once: a walk validates every state (SPEC 10.5).
    plan.initiatives.reserve_exact(files.initiatives.len());
    series::check_parts(files, &mut plan, diags);
    // An initiative is validated against what plan.toml declares; with an error there, the
    // declarations may also depend on other files (a survey file not found), and an
    // initiative validated before is not taken as it was.
    let mut memo = memo.filter(|_| diags.errors() == errors);
    let limits = DateLimits::new(plan.period.end, today);
    far_dates(files, &limits, diags);
    // The ids taken, as written in the files (an initiative's id is its file's `id`).
    let mut seen: foldhash::HashSet<&str> =
        foldhash::HashSet::with_capacity_and_hasher(files.initiatives.len(), Default::default());
    // The initiatives of a plan no longer held, in their order: each file takes the one at
    // its place when it is the same.
    let mut spare = memo
        .as_deref_mut()
        .map(LoadMemo::take_spare_initiatives)
        .unwrap_or_default()
        .into_iter();
    for file in &files.initiatives {
        let taken = spare.next();
        let mut cx = Ctx {
            file: file.file,
            diags,
        };
        // What depends on the file and plan.toml alone (`today` is the run's): validated
        // once per file while plan.toml stays the same (SPEC 10.5).
        let validate_file = |cx: &mut Ctx<'_>| {
            let before = cx.diags.len();
            far_initiative_dates(file, &limits, cx.diags);
            let initiative = validate_initiative(file, &plan, cx).map(Arc::new);
            (initiative, cx.diags.len() == before)
        };
        let valid = match memo.as_deref_mut() {
            Some(memo) => memo.initiative(
                plan_file,
                file,
                || validate_file(&mut cx),
                |earlier, appended| extend_initiative(earlier, appended, file.file, &limits),
                taken,
            ),
            None => validate_file(&mut cx).0,
        };
        if let Some(initiative) = valid {
            let written = file.header.as_ref().and_then(|h| h.id.as_ref());
            if let Some(id) = written
                && !seen.insert(id.get_ref())
            {
                cx.report(
                    Code::DuplicateId,
                    id.span(),
                    format!(
                        "initiative `{}` is defined in another file too",
                        initiative.id
                    ),
                );
                continue;
            }
            // With an update rejected, "no update for N days" could be false: the error says enough.
            if !file.updates_dropped && initiative.updates.len() == file.updates.len() {
                stale_warning(&initiative, &plan, as_of, file, &mut cx);
            }
            plan.initiatives.push(initiative);
        }
    }
    let order = |a: &Arc<model::Initiative>, b: &Arc<model::Initiative>| {
        (a.number.is_none(), a.number, &a.id).cmp(&(b.number.is_none(), b.number, &b.id))
    };
    // Mostly in order already (files are listed by name): checked before it is sorted.
    if !plan.initiatives.is_sorted_by(|a, b| order(a, b).is_le()) {
        plan.initiatives.sort_by(order);
    }
    // An initiative file that did not parse (E001) has an id nobody can read: a reference to
    // an initiative is then not said to be undefined, as it may be that file's.
    let ids_known = files.initiatives.iter().all(|f| f.header.is_some());
    parents(files, &mut plan, ids_known, diags);
    series::effects_two_splits(files, &plan, diags);

    // Budgets may name initiatives, which are only known now.
    let mut cx = Ctx {
        file: plan_file.file,
        diags,
    };
    for budget in plan_file.budgets.iter().filter(|_| ids_known) {
        if let Some(initiative) = &budget.initiative {
            cx.reference(
                initiative,
                plan.initiatives.iter().map(|i| i.id.as_str()),
                "initiative",
            );
        }
    }
    reported_mismatches(files, &plan, as_of, diags);
    Some(plan)
}
