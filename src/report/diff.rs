//! Stage 4, report: what changed between two states of the plan (SPEC 10.2), compared as
//! data matched by id, never as text lines.
//!
//! A [`Side`] is one state: the plan files as TOML values (every field of every item, so a
//! field added to the format is compared without a change here) and, when the plan is
//! valid, the computed exports of that state as of its own date (status, stale, milestone
//! state, budget figures, ledger rows, targets, criterion status). [`diff`] compares two.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::load::memo::taken_or_shared;
use crate::load::plan_data::{Item, Raw, RawInitiative, value_text};
use crate::model::{Date, Initiative, Ledger, Plan};
use crate::report::budget::BudgetFigures;
use crate::report::{Cell, Table};

/// One change: `kind,id,field,before,after` and, for moved dates, the shift in days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `plan`, `goal`, `initiative`, `milestone`, `update`, `budget-figures`, `ledger`, …
    pub kind: String,
    /// The item's id (`INITIATIVE/MILESTONE` for a milestone, `INDICATOR/WAVE` for a target).
    pub id: String,
    /// The field, or `added` / `removed` for a whole item.
    pub field: String,
    /// The value before (the item's title for `removed`).
    pub before: Option<String>,
    /// The value after (the item's title for `added`).
    pub after: Option<String>,
    /// For a `due` or `done` that moved: after − before in days (positive = later).
    pub days: Option<i64>,
    /// How people read `before` and `after` (tables and Markdown only: CSV and JSON keep the
    /// machine values of SPEC 10.2).
    #[serde(skip)]
    pub reading: Reading,
}

/// What the words of a table need to know about a change's values beyond their machine text.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Reading {
    /// Text as it is (a word, an id, a title, a plain number).
    #[default]
    Text,
    /// An amount in kroner (`1950000.00`) or, with `hours`, in hours; `savings`: a savings
    /// target's figure (`spent` is what is realised).
    Amount {
        /// Hours rather than money.
        hours: bool,
        /// A savings budget.
        savings: bool,
    },
    /// A figure of an indicator, shown with this many decimals.
    Decimals(u32),
    /// `stale`: the initiative's last update in the state after (`None`: none yet).
    Stale(Option<Date>),
    /// A field of a plan file whose value is not plain text: the TOML values themselves, so
    /// that a date, an amount or an inline table can be written out in words.
    Value {
        /// The value before.
        before: Option<toml::Value>,
        /// The value after.
        after: Option<toml::Value>,
    },
    /// `ledger`: the rows added and removed, per kind of entry, in the order of SPEC 1.3.
    Ledger(Vec<LedgerPart>),
    /// An initiative's `status` or an update: the plan's own status words (`[labels]`, status
    /// word → label) in the state after, which the status screen shows too.
    Labels(BTreeMap<String, String>),
}

/// The ledger rows of one kind of entry added and removed on one budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerPart {
    /// `grant`, `release`, `expense`, `hours` or `saving`.
    pub kind: String,
    /// Rows added.
    pub added: i64,
    /// The sum of the rows added.
    pub added_sum: Decimal,
    /// Rows removed.
    pub removed: i64,
    /// The sum of the rows removed.
    pub removed_sum: Decimal,
}

/// The computed exports of a valid state. Those from the ledger are shared by the same state
/// computed as of another day ([`Side::at`]), which recomputes only what follows from the plan
/// and the day.
#[derive(Debug, Clone)]
struct Computed {
    /// Each initiative's status, staleness and milestone states, in the plan's order: one
    /// list shared by the same plan as of another day while every figure holds.
    initiatives: Arc<Vec<Arc<InitiativeFigures>>>,
    /// The budgets' figures, and their table (the same figures, the same table: a state
    /// whose figures did not change shares its table).
    budget: BudgetTable,
    ledger: Arc<Table>,
    scores: Table,
    /// The series of the totals with parts and of their parts (SPEC 12.2): a part's value
    /// gets its own change row.
    parts: Table,
    criteria: Table,
    /// Each indicator's precision (decimals), for the words of a target change.
    precision: HashMap<String, u32>,
}

/// The budgets' figures and their table. A state whose figures differ from the state's
/// before it only in what [`diff`] does not compare (the plan line by the day, the share of
/// the period gone) keeps that state's figures and table: what is read of them is the same.
type BudgetTable = (Arc<[BudgetFigures]>, Arc<Table>);

/// Whether two states' budget figures agree on what [`diff`] reads of them: each budget's
/// id and kind, and its committed, spent, available and remaining amounts as shown.
fn same_compared(before: &[BudgetFigures], after: &[BudgetFigures]) -> bool {
    fn compared(f: &BudgetFigures) -> (&str, &str, [Option<i128>; 4]) {
        let reported = |amount: i128| Some(amount).filter(|_| f.reported);
        let amounts = [
            f.committed,
            reported(f.spent),
            f.available,
            reported(f.remaining),
        ];
        (&f.id, f.kind_word(), amounts)
    }
    before.len() == after.len()
        && before
            .iter()
            .zip(after)
            .all(|(b, a)| compared(b) == compared(a))
}

impl Computed {
    /// The exports that follow from the plan and the day alone: status and staleness,
    /// milestone states, targets, criteria. An initiative's figures in `previous` that hold
    /// on `as_of` for the same initiative are taken as they are.
    fn of_day(
        plan: &Plan,
        as_of: Date,
        (budget, ledger): (BudgetTable, Arc<Table>),
        (previous, spare): (Option<&Computed>, Spare),
    ) -> Computed {
        let previous_figures = previous.map(|p| &p.initiatives);
        Computed {
            initiatives: InitiativeFigures::of_day(plan, as_of, previous_figures, spare),
            budget,
            ledger,
            scores: crate::report::scores::scores_table(&crate::report::scores::scores_report(
                plan, as_of,
            )),
            parts: parts_series(plan, as_of),
            criteria: crate::report::status::criteria_table(plan, as_of),
            precision: plan
                .indicators
                .iter()
                .map(|i| (i.id.clone(), i.precision))
                .collect(),
        }
    }
}

/// What time changes of one initiative (SPEC 3), as of a day: its status, whether it is
/// stale, its latest update and each milestone's state; and the days these hold for.
///
/// Each is a step function of the day that moves only on the days the initiative's own dates
/// name (an update, its start, a milestone done, the day after a milestone is due, the day
/// an update or the start goes stale): between two such days nothing is computed again, and
/// a state computed as of another day, or the next commit's state, takes the same figures
/// while the initiative is the same (SPEC 10.5).
#[derive(Debug)]
struct InitiativeFigures {
    /// The initiative they are of (the same validated initiative: the same address).
    initiative: Arc<Initiative>,
    status: &'static str,
    stale: bool,
    last_update: Option<Date>,
    /// The state of each of the initiative's milestones, in its order.
    milestones: Vec<&'static str>,
    /// The first day they hold on, and the first day they may no longer hold on.
    holds: (Date, Date),
}

impl InitiativeFigures {
    /// The figures of every initiative of `plan` as of `as_of`, taken from `previous` where
    /// they hold: `previous` itself when they all do (the same plan as of another day,
    /// usually), which saves taking a share of each (an atomic count each).
    fn of_day(
        plan: &Plan,
        as_of: Date,
        previous: Option<&Arc<Vec<Arc<InitiativeFigures>>>>,
        spare: Spare,
    ) -> Arc<Vec<Arc<Self>>> {
        if let Some(p) = previous
            && p.len() == plan.initiatives.len()
            && p.iter()
                .zip(&plan.initiatives)
                .all(|(f, initiative)| f.hold(initiative, as_of))
        {
            return Arc::clone(p);
        }
        let previous = previous.map_or(&[][..], |p| &p[..]);
        let mut spare = spare.0.into_iter();
        // Usually the same initiatives in the same order; else found by address.
        let mut by_address: Option<foldhash::HashMap<*const Initiative, &Arc<InitiativeFigures>>> =
            None;
        let figures = plan.initiatives.iter().enumerate().map(|(at, initiative)| {
            let holds = |f: &&Arc<InitiativeFigures>| f.hold(initiative, as_of);
            let found = match previous.get(at) {
                Some(f) if Arc::ptr_eq(&f.initiative, initiative) => Some(f).filter(holds),
                // An initiative edited in place (a commit's usual change): computed
                // anew, without looking for it elsewhere.
                Some(f) if f.initiative.id == initiative.id => None,
                _ => by_address
                    .get_or_insert_with(|| {
                        previous
                            .iter()
                            .map(|f| (Arc::as_ptr(&f.initiative), f))
                            .collect()
                    })
                    .get(&Arc::as_ptr(initiative))
                    .copied()
                    .filter(holds),
            };
            // The spare at this place, when it is the figures found.
            let taken = spare.next();
            match found {
                Some(f) => taken_or_shared(taken, f),
                None => Arc::new(Self::compute(initiative, plan, as_of)),
            }
        });
        Arc::new(figures.collect())
    }

    /// Whether they are of `initiative` and hold on `as_of`.
    fn hold(&self, initiative: &Arc<Initiative>, as_of: Date) -> bool {
        Arc::ptr_eq(&self.initiative, initiative) && (self.holds.0..self.holds.1).contains(&as_of)
    }

    fn compute(initiative: &Arc<Initiative>, plan: &Plan, as_of: Date) -> Self {
        use crate::figures::status as rules;
        let i = initiative.as_ref();
        // The days any rule compares the day with (SPEC 3.1, 3.2): the figures change only
        // on one of them.
        let later = |day: Date, days: i64| {
            chrono::TimeDelta::try_days(days).and_then(|d| day.checked_add_signed(d))
        };
        let stale_span = plan.stale_after_days.saturating_add(1);
        let stale_after = |day: Date| later(day, stale_span);
        // The last of those days up to `as_of`, and the first after it.
        let (mut from, mut until): (Option<Date>, Option<Date>) = (None, None);
        let mut turn = |day: Option<Date>| match day {
            Some(day) if day <= as_of => from = from.max(Some(day)),
            Some(day) => until = Some(until.map_or(day, |u| u.min(day))),
            None => {}
        };
        let start = i.start.as_ref().map(|s| s.date);
        turn(start);
        turn(start.and_then(stale_after));
        for m in &i.milestones {
            turn(m.done);
            turn(m.due.as_ref().and_then(|d| later(d.date, 1)));
        }
        // An update's day, and the day it goes stale: that one is on or before `as_of`
        // exactly when the update is on or before `back`, so of the many updates a file
        // grows by only the nearest on either side of `back` is shifted.
        let back =
            chrono::TimeDelta::try_days(stale_span).and_then(|d| as_of.checked_sub_signed(d));
        let (mut stale_by, mut stale_later): (Option<Date>, Option<Date>) = (None, None);
        for u in &i.updates {
            turn(Some(u.date));
            if back.is_some_and(|back| u.date <= back) {
                stale_by = stale_by.max(Some(u.date));
            } else {
                stale_later = Some(stale_later.map_or(u.date, |d| d.min(u.date)));
            }
        }
        turn(stale_by.and_then(stale_after));
        turn(stale_later.and_then(stale_after));
        InitiativeFigures {
            initiative: Arc::clone(initiative),
            status: rules::initiative_status(i, as_of).word(),
            stale: rules::stale_days(i, plan, as_of).is_some(),
            last_update: rules::latest_update(i, as_of).map(|u| u.date),
            milestones: i
                .milestones
                .iter()
                .map(|m| rules::milestone_state(m, as_of).word())
                .collect(),
            holds: (from.unwrap_or(Date::MIN), until.unwrap_or(Date::MAX)),
        }
    }
}

/// The changes of status and staleness (first) and of milestone states (second) from
/// `before` to `after`, by initiative id, for the initiatives on both sides (and milestones
/// of both): as `plan export status` and `plan export milestones` compared row by row would
/// give them, their rows matched by id, in `after`'s order.
fn figure_changes(
    before: &[Arc<InitiativeFigures>],
    after: &[Arc<InitiativeFigures>],
) -> HashMap<String, (Vec<Change>, Vec<Change>)> {
    let mut out = HashMap::new();
    // The same list (a state as of a day on which every figure held): nothing changed.
    if std::ptr::eq(before, after) {
        return out;
    }
    let mut by_id: Option<HashMap<&str, &Arc<InitiativeFigures>>> = None;
    for (at, a) in after.iter().enumerate() {
        // The same figures in the same place (most of them): nothing to compare, not even ids.
        if before.get(at).is_some_and(|b| Arc::ptr_eq(a, b)) {
            continue;
        }
        let id = a.initiative.id.as_str();
        let b = match before.get(at).filter(|b| b.initiative.id == id) {
            Some(b) => b,
            None => {
                let index = by_id.get_or_insert_with(|| {
                    before
                        .iter()
                        .map(|b| (b.initiative.id.as_str(), b))
                        .collect()
                });
                let Some(b) = index.get(id) else { continue };
                b
            }
        };
        if Arc::ptr_eq(a, b) {
            continue;
        }
        let mut status = Out {
            changes: Vec::new(),
        };
        if a.status != b.status {
            status.push(
                "initiative",
                id,
                "status",
                Some(b.status.into()),
                Some(a.status.into()),
            );
        }
        if a.stale != b.stale {
            let word = |stale: bool| Some(stale.to_string());
            status.push("initiative", id, "stale", word(b.stale), word(a.stale));
        }
        let mut states = Out {
            changes: Vec::new(),
        };
        let (bm, am) = (&b.initiative.milestones, &a.initiative.milestones);
        for (k, (m, state)) in am.iter().zip(&a.milestones).enumerate() {
            let same_place = bm.get(k).filter(|x| x.id == m.id).map(|_| k);
            let Some(j) = same_place.or_else(|| bm.iter().position(|x| x.id == m.id)) else {
                continue;
            };
            let was = b.milestones[j];
            if was != *state {
                let milestone = format!("{id}/{}", m.id);
                states.push(
                    "milestone",
                    &milestone,
                    "state",
                    Some(was.into()),
                    Some((*state).into()),
                );
            }
        }
        if !status.changes.is_empty() || !states.changes.is_empty() {
            out.insert(id.to_string(), (status.changes, states.changes));
        }
    }
    out
}

/// The figures of a state nothing holds any more ([`Side::into_parts`]): the next state
/// computed takes each that is the same at the same place from them, rather than another
/// share of it (an atomic count each).
#[derive(Debug, Default)]
pub struct Spare(Vec<Arc<InitiativeFigures>>);

impl Spare {
    /// None.
    pub const NONE: Spare = Spare(Vec::new());
}

/// One state of the plan, ready to be compared.
#[derive(Debug, Clone)]
pub struct Side {
    /// The date it is computed as of.
    pub as_of: Date,
    raw: Arc<Raw>,
    computed: Option<Computed>,
    /// The valid plan the computed exports come from, to compute them as of another day.
    plan: Option<Arc<Plan>>,
    /// Errors of `plan check` in this state (its computed figures are left out when > 0).
    pub errors: usize,
    /// The number of the load that made it ([`crate::load::memo::LoadMemo`]; 0: none).
    pub load: u64,
    /// `Some(n)`: its ledger table holds only the rows appended to the ledger of load `n`
    /// ([`crate::model::Ledger::appended_to`]), so it can be compared with that state only.
    pub ledger_on: Option<u64>,
    /// Whether it, and the same state as of other days, take figures that still hold from
    /// states computed before (SPEC 10.5); off, everything is computed from scratch, to
    /// compare the two.
    shares: bool,
}

impl Side {
    /// No plan at all (before the first commit, or before the plan directory existed).
    pub fn empty(as_of: Date) -> Side {
        Side {
            as_of,
            raw: Arc::default(),
            computed: None,
            plan: None,
            errors: 0,
            load: 0,
            ledger_on: None,
            shares: false,
        }
    }

    /// Whether [`diff`] can compare this state with `before`: its ledger table holds every
    /// row, or the rows appended to `before`'s, and `before`'s holds every row when it must.
    pub fn follows(&self, before: &Side) -> bool {
        match self.ledger_on {
            Some(load) => load == before.load,
            None => before.ledger_on.is_none(),
        }
    }

    /// Whether its ledger table holds only appended rows.
    pub fn partial(&self) -> bool {
        self.ledger_on.is_some()
    }

    /// A state: its plan files as data, and the computed figures of the loaded plan when it
    /// is valid (`plan`, `ledger` loaded as of `as_of`, keeping ledger entries, by load number
    /// `load`). `previous`: a state loaded before, whose figures of an initiative that both
    /// share, and that still hold on `as_of`, are not computed again (SPEC 10.5), when
    /// `shares` (which the state keeps, for itself as of other days).
    pub fn new(
        raw: Raw,
        as_of: Date,
        valid: Option<(Plan, &Ledger)>,
        (errors, load): (usize, u64),
        (previous, shares, spare): (Option<&Side>, bool, Spare),
    ) -> Side {
        let ledger_on = valid.as_ref().and_then(|(_, ledger)| ledger.appended_to);
        let (computed, plan) = match valid {
            Some((plan, ledger)) => {
                let figures = crate::report::budget::figures(&plan, ledger, as_of);
                let ledger = crate::report::budget::ledger_table(&plan, ledger, as_of);
                let previous = previous
                    .filter(|_| shares)
                    .and_then(|p| p.computed.as_ref());
                let budget = match previous {
                    Some(p) if same_compared(&p.budget.0, &figures) => p.budget.clone(),
                    _ => {
                        let table = crate::report::budget::budget_table(&figures);
                        (figures.into(), Arc::new(table))
                    }
                };
                let tables = (budget, Arc::new(ledger));
                (
                    Some(Computed::of_day(&plan, as_of, tables, (previous, spare))),
                    Some(Arc::new(plan)),
                )
            }
            None => (None, None),
        };
        Side {
            as_of,
            raw: Arc::new(raw),
            computed,
            plan,
            errors,
            load,
            ledger_on,
            shares,
        }
    }

    /// Its files as data and its valid plan, when nothing else holds them any more: a walk
    /// hands them to the next loads, which take the initiatives that did not change from them
    /// rather than another share of each (SPEC 10.5).
    pub fn into_parts(self) -> (Option<Raw>, Option<Plan>, Spare) {
        let raw = Arc::try_unwrap(self.raw).ok();
        let plan = self.plan.and_then(|plan| Arc::try_unwrap(plan).ok());
        let figures = self
            .computed
            .and_then(|c| Arc::try_unwrap(c.initiatives).ok())
            .unwrap_or_default();
        (raw, plan, Spare(figures))
    }

    /// The same state (the same files, the same ledger figures) with what follows from the
    /// plan and the day computed as of `day`: statuses, staleness, milestone states, targets
    /// and criteria. What changes from `self` to it changed by the passage of time alone
    /// (SPEC 10.3). Costs those exports, not a load.
    pub fn at(&self, day: Date) -> Side {
        let computed = match (&self.computed, &self.plan) {
            (Some(c), Some(plan)) if day != self.as_of => Some(Computed::of_day(
                plan,
                day,
                (c.budget.clone(), Arc::clone(&c.ledger)),
                (Some(c).filter(|_| self.shares), Spare::NONE),
            )),
            _ => self.computed.clone(),
        };
        Side {
            as_of: day,
            raw: Arc::clone(&self.raw),
            computed,
            plan: self.plan.clone(),
            errors: self.errors,
            load: self.load,
            ledger_on: self.ledger_on,
            shares: self.shares,
        }
    }
}

fn title_of(t: &toml::Table, id: &str) -> String {
    t.get("title")
        .map(value_text)
        .unwrap_or_else(|| id.to_string())
}

/// The shift in days between two values that are dates (or periods such as `2026-Q1`,
/// counted as their last day).
fn shift(before: &str, after: &str) -> Option<i64> {
    let day = |s: &str| {
        crate::dates::parse_iso_date(s).or_else(|| {
            let period = crate::validate::values::parse_period(s).ok().flatten();
            period.map(|(_, last)| last)
        })
    };
    Some(crate::dates::days_between(day(before)?, day(after)?))
}

struct Out {
    changes: Vec<Change>,
}

impl Out {
    fn push(
        &mut self,
        kind: &str,
        id: &str,
        field: &str,
        before: Option<String>,
        after: Option<String>,
    ) {
        let days = match (field, &before, &after) {
            ("due" | "done", Some(b), Some(a)) => shift(b, a),
            _ => None,
        };
        self.changes.push(Change {
            kind: kind.to_string(),
            id: id.to_string(),
            field: field.to_string(),
            before,
            after,
            days,
            reading: Reading::Text,
        });
    }

    /// Every key of two tables that differs.
    fn fields(&mut self, kind: &str, id: &str, before: &toml::Table, after: &toml::Table) {
        // The same table, shared by two states that read the same file: nothing changed.
        if std::ptr::eq(before, after) {
            return;
        }
        let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            let (b, a) = (before.get(key), after.get(key));
            if b != a {
                self.push(kind, id, key, b.map(value_text), a.map(value_text));
                let plain = |v: Option<&toml::Value>| v.is_none_or(toml::Value::is_str);
                if !(plain(b) && plain(a))
                    && let Some(change) = self.changes.last_mut()
                {
                    change.reading = Reading::Value {
                        before: b.cloned(),
                        after: a.cloned(),
                    };
                }
            }
        }
    }

    /// Items matched by id: added, removed, and each changed field.
    fn items(&mut self, kind: &str, prefix: &str, before: &[Item], after: &[Item]) {
        if std::ptr::eq(before, after) {
            return;
        }
        let find = |list: &'_ [Item], id: &str| list.iter().position(|(i, _)| i == id);
        for (id, t) in before {
            if find(after, id).is_none() {
                self.push(
                    kind,
                    &format!("{prefix}{id}"),
                    "removed",
                    Some(title_of(t, id)),
                    None,
                );
            }
        }
        for (id, t) in after {
            match find(before, id) {
                None => self.push(
                    kind,
                    &format!("{prefix}{id}"),
                    "added",
                    None,
                    Some(title_of(t, id)),
                ),
                Some(i) => self.fields(kind, &format!("{prefix}{id}"), &before[i].1, t),
            }
        }
    }

    /// Computed columns of two exports, rows matched by their key columns (items on both sides only).
    fn computed(
        &mut self,
        kind: &str,
        before: &Table,
        after: &Table,
        key: &[&str],
        fields: &[&str],
    ) {
        // No row on either side (a plan without targets, say): nothing to match.
        if before.rows.is_empty() && after.rows.is_empty() {
            return;
        }
        // Each row's key, and the row of each key (the last, should one repeat).
        let keys = |t: &Table| -> Vec<String> {
            let key_cols: Vec<usize> = key
                .iter()
                .filter_map(|k| t.columns.iter().position(|c| c == k))
                .collect();
            t.rows
                .iter()
                .map(|row| {
                    let id: Vec<String> = key_cols.iter().map(|&i| row[i].display()).collect();
                    id.join("/")
                })
                .collect()
        };
        let (before_keys, after_keys) = (keys(before), keys(after));
        let rows = |keys: &'_ [String], t: &'_ Table| -> HashMap<String, usize> {
            keys.iter().cloned().zip(0..t.rows.len()).collect()
        };
        let (before_rows, after_rows) = (rows(&before_keys, before), rows(&after_keys, after));
        let after_cols = |name: &str| after.columns.iter().position(|c| *c == name);
        let before_cols = |name: &str| before.columns.iter().position(|c| *c == name);
        // In the order of `after`.
        let mut seen = std::collections::HashSet::new();
        for id in &after_keys {
            if !seen.insert(id) {
                continue;
            }
            let (Some(&b), Some(&a)) = (before_rows.get(id), after_rows.get(id)) else {
                continue;
            };
            let (b, a) = (&before.rows[b], &after.rows[a]);
            for field in fields {
                let (Some(bi), Some(ai)) = (before_cols(field), after_cols(field)) else {
                    continue;
                };
                // The same cell shows the same (most are: the figures of a day).
                if b[bi] == a[ai] {
                    continue;
                }
                let (bv, av) = (b[bi].display(), a[ai].display());
                if bv != av {
                    let opt = |s: String| (!s.is_empty()).then_some(s);
                    self.push(kind, id, field, opt(bv), opt(av));
                }
            }
        }
    }
}

/// `export series` restricted to totals with parts and their parts: a plan without parts
/// has no rows here, and its diff is what it was.
fn parts_series(plan: &Plan, as_of: Date) -> Table {
    let involved: std::collections::HashSet<&str> = plan
        .indicators
        .iter()
        .filter(|i| !i.parts.is_empty())
        .flat_map(|i| {
            std::iter::once(i.id.as_str())
                .chain(i.parts.iter().flat_map(|s| &s.parts).map(String::as_str))
        })
        .collect();
    let series: Vec<crate::report::series::Series> = plan
        .indicators
        .iter()
        .filter(|i| involved.contains(i.id.as_str()))
        .map(|i| crate::report::series::series(plan, i, as_of))
        .collect();
    crate::report::series::series_table(&series)
}

/// Ledger rows matched as whole rows (file and line aside): per budget, the count and sum
/// of the rows only before (removed) and only after (added).
///
/// Rows the two sides share at the start and at the end (in order) are matched pairwise
/// first, without building a key for them: matching equal rows never changes the removed and
/// added multisets, and a ledger that grows by appended rows then costs its new rows, not
/// all of them hashed again (SPEC 10.5).
fn ledger_changes(out: &mut Out, before: &Table, after: &Table, order: &[String]) {
    // No row on either side (a ledger no row was appended to): nothing to match.
    if before.rows.is_empty() && after.rows.is_empty() {
        return;
    }
    let col = |t: &Table, n: &str| t.columns.iter().position(|c| *c == n);
    let keep = |t: &Table| -> Vec<usize> {
        ["date", "budget", "kind", "amount", "unit", "ref", "note"]
            .iter()
            .filter_map(|n| col(t, n))
            .collect()
    };
    let (keep_b, keep_a) = (keep(before), keep(after));
    let same = |b: &[Cell], a: &[Cell]| {
        keep_b.len() == keep_a.len() && keep_b.iter().zip(&keep_a).all(|(&i, &j)| b[i] == a[j])
    };
    let (rb, ra) = (&before.rows[..], &after.rows[..]);
    let head = rb.iter().zip(ra).take_while(|(b, a)| same(b, a)).count();
    let (rb, ra) = (&rb[head..], &ra[head..]);
    let tail = rb
        .iter()
        .rev()
        .zip(ra.iter().rev())
        .take_while(|(b, a)| same(b, a))
        .count();
    let (rb, ra) = (&rb[..rb.len() - tail], &ra[..ra.len() - tail]);
    // Per budget and kind of entry: the rows added and removed and their sums (the budget's
    // figures are their totals; tables read them per kind: a grant and an expense are not
    // one sum to read).
    let mut parts: BTreeMap<String, Vec<LedgerPart>> = BTreeMap::new();
    // `extra` rows of `budget` and `kind` of `amount` each, added or removed.
    let mut count = |(budget, kind, amount): (&str, &str, &str), extra: i64, added: bool| {
        let amount: Decimal = amount.parse().unwrap_or_default();
        let sum = amount * Decimal::from(extra);
        if !parts.contains_key(budget) {
            parts.insert(budget.to_string(), Vec::new());
        }
        let list = parts.get_mut(budget).expect("inserted above");
        let part = match list.iter().position(|p| p.kind == kind) {
            Some(i) => &mut list[i],
            None => {
                list.push(LedgerPart {
                    kind: kind.to_string(),
                    added: 0,
                    added_sum: Decimal::ZERO,
                    removed: 0,
                    removed_sum: Decimal::ZERO,
                });
                let last = list.len() - 1;
                &mut list[last]
            }
        };
        if added {
            part.added += extra;
            part.added_sum += sum;
        } else {
            part.removed += extra;
            part.removed_sum += sum;
        }
    };
    // The budget, kind and amount of a row (the second to fourth kept columns).
    fn fields<'r>(row: &'r [Cell], keep: &[usize]) -> [std::borrow::Cow<'r, str>; 3] {
        [1, 2, 3].map(|k| match keep.get(k).map(|&i| &row[i]) {
            Some(Cell::Text(s) | Cell::Number(s)) => std::borrow::Cow::Borrowed(s.as_str()),
            Some(other) => std::borrow::Cow::Owned(other.display()),
            None => std::borrow::Cow::Borrowed(""),
        })
    }
    if rb.is_empty() || ra.is_empty() {
        // One side only (a ledger that grew by appended rows, or a first state): every row
        // left is added (or removed), counted as it stands, with no key to build.
        let (rows, keep, added) = if rb.is_empty() {
            (ra, &keep_a, true)
        } else {
            (rb, &keep_b, false)
        };
        for row in rows {
            let [budget, kind, amount] = fields(row, keep);
            count((&budget, &kind, &amount), 1, added);
        }
    } else {
        let rows = |rows: &[Vec<Cell>], keep: &[usize]| -> HashMap<Vec<String>, i64> {
            let mut counts = HashMap::new();
            for row in rows {
                *counts
                    .entry(keep.iter().map(|&i| row[i].display()).collect())
                    .or_insert(0) += 1;
            }
            counts
        };
        let (b, a) = (rows(rb, &keep_b), rows(ra, &keep_a));
        let mut tally =
            |from: &HashMap<Vec<String>, i64>, other: &HashMap<Vec<String>, i64>, added: bool| {
                for (row, n) in from {
                    let extra = n - other.get(row).copied().unwrap_or(0);
                    if extra > 0 {
                        let field = |k: usize| row.get(k).map_or("", String::as_str);
                        count((field(1), field(2), field(3)), extra, added);
                    }
                }
            };
        tally(&a, &b, true);
        tally(&b, &a, false);
    }
    // Budgets in the order plan.toml lists them (`order`), as `plan budget` does; any other
    // (a budget no longer declared) after them, by id.
    let place = |budget: &str| order.iter().position(|b| b == budget).unwrap_or(usize::MAX);
    let mut budgets: Vec<(String, Vec<LedgerPart>)> = parts.into_iter().collect();
    budgets.sort_by_key(|(b, _)| place(b));
    // Two rows per budget: `entries` and `amount`, each with the removed rows' figure as
    // `before` and the added rows' as `after` (SPEC 10.2).
    for (budget, mut kinds) in budgets {
        let (ac, rc) = (
            kinds.iter().map(|k| k.added).sum::<i64>(),
            kinds.iter().map(|k| k.removed).sum::<i64>(),
        );
        let asum: Decimal = kinds.iter().map(|k| k.added_sum).sum();
        let rsum: Decimal = kinds.iter().map(|k| k.removed_sum).sum();
        // The kinds in the order of SPEC 1.3 (a word it does not know last).
        let rank = |kind: &str| {
            crate::model::EntryKind::WORDS
                .iter()
                .position(|(w, _)| *w == kind)
                .unwrap_or(usize::MAX)
        };
        kinds.sort_by(|x, y| rank(&x.kind).cmp(&rank(&y.kind)).then(x.kind.cmp(&y.kind)));
        out.push(
            "ledger",
            &budget,
            "entries",
            Some(rc.to_string()),
            Some(ac.to_string()),
        );
        out.push(
            "ledger",
            &budget,
            "amount",
            Some(format!("{rsum:.2}")),
            Some(format!("{asum:.2}")),
        );
        let n = out.changes.len();
        for change in &mut out.changes[n - 2..] {
            change.reading = Reading::Ledger(kinds.clone());
        }
    }
}

/// The rows of the scores export that are targets (not baselines or other waves).
fn target_rows(t: &Table) -> Table {
    let role = t.columns.iter().position(|c| *c == "role");
    Table {
        columns: t.columns.clone(),
        rows: t
            .rows
            .iter()
            .filter(|r| role.and_then(|i| r.get(i)).map(Cell::display).as_deref() == Some("target"))
            .cloned()
            .collect(),
    }
}

/// A table's columns without its rows.
fn no_rows(table: &Table) -> Table {
    Table {
        columns: table.columns.clone(),
        rows: Vec::new(),
    }
}

/// What changed from `before` to `after`, in the order a coordinator reads it: the plan,
/// its goals and focus areas, initiatives with their milestones and updates, budgets with
/// their figures and ledger rows, indicators with their targets, criteria, rounds.
pub fn diff(before: &Side, after: &Side) -> Vec<Change> {
    let mut out = Out {
        changes: Vec::new(),
    };
    let plan_id = after
        .raw
        .plan
        .get("id")
        .or_else(|| before.raw.plan.get("id"))
        .map(value_text)
        .unwrap_or_default();
    out.fields("plan", &plan_id, &before.raw.plan, &after.raw.plan);
    let empty = Vec::new();
    fn array<'s>(side: &'s Side, name: &str) -> &'s [Item] {
        side.raw.arrays.get(name).map_or(&[], Vec::as_slice)
    }
    let names: Vec<&str> = {
        let mut n: Vec<&str> = before
            .raw
            .arrays
            .keys()
            .chain(after.raw.arrays.keys())
            .map(String::as_str)
            .collect();
        n.sort_unstable();
        n.dedup();
        n
    };
    for name in ["goal", "focus_area"] {
        out.items(name, "", array(before, name), array(after, name));
    }

    // Initiatives, by id (the first of an id, as a search from the start finds it).
    fn index(side: &Side) -> HashMap<&str, &Arc<RawInitiative>> {
        let mut by = HashMap::with_capacity(side.raw.initiatives.len());
        for i in &side.raw.initiatives {
            by.entry(i.id.as_str()).or_insert(i);
        }
        by
    }
    // The same ids in the same order, each once (the usual commit): each initiative is
    // compared with the one at its place, as the index would.
    let (bi, ai) = (&before.raw.initiatives, &after.raw.initiatives);
    let in_place = before.raw.ids_unique() && after.raw.same_ids(&before.raw);
    let (before_by, after_by) = if in_place {
        (HashMap::new(), HashMap::new())
    } else {
        (index(before), index(after))
    };
    for b in bi {
        if !in_place && !after_by.contains_key(b.id.as_str()) {
            out.push(
                "initiative",
                &b.id,
                "removed",
                Some(title_of(&b.header, &b.id)),
                None,
            );
        }
    }
    let computed = before.computed.as_ref().zip(after.computed.as_ref());
    // The computed changes of every initiative and milestone, then shown under their
    // initiative.
    let mut figures = match computed {
        Some((cb, ca)) => figure_changes(&cb.initiatives, &ca.initiatives),
        None => HashMap::new(),
    };
    for (at, a) in ai.iter().enumerate() {
        let found = if in_place {
            bi.get(at)
        } else {
            before_by.get(a.id.as_str()).copied()
        };
        let Some(b) = found else {
            out.push(
                "initiative",
                &a.id,
                "added",
                None,
                Some(title_of(&a.header, &a.id)),
            );
            // Everything it holds is new too.
            out.items("milestone", &format!("{}/", a.id), &[], &a.milestones);
            out.items("effect", &format!("{}/", a.id), &[], &a.effects);
            for u in &a.updates {
                out.push("update", &a.id, "added", None, Some(u.to_string()));
            }
            continue;
        };
        // The same file read once (SPEC 10.5): nothing of it changed but what time computes.
        let same = Arc::ptr_eq(a, b);
        if !same {
            out.fields("initiative", &a.id, &b.header, &a.header);
        }
        let (status_changes, milestone_changes) = if figures.is_empty() {
            Default::default()
        } else {
            figures.remove(&a.id).unwrap_or_default()
        };
        out.changes.extend(status_changes);
        if !same {
            out.items(
                "milestone",
                &format!("{}/", a.id),
                &b.milestones,
                &a.milestones,
            );
        }
        out.changes.extend(milestone_changes);
        if same || a.updates == b.updates {
            if !same {
                out.items("effect", &format!("{}/", a.id), &b.effects, &a.effects);
            }
            continue;
        }
        out.items("effect", &format!("{}/", a.id), &b.effects, &a.effects);
        // Updates appended to the end (the usual commit): nothing is removed, and only the
        // few new ones are looked for among the old (SPEC 10.5).
        if let Some(appended) = a.updates.strip_prefix(b.updates.as_slice())
            && appended.len() <= 8
        {
            for u in appended {
                if !b.updates.contains(u) {
                    out.push("update", &a.id, "added", None, Some(u.to_string()));
                }
            }
            continue;
        }
        let (in_b, in_a): (HashSet<&Arc<str>>, HashSet<&Arc<str>>) =
            (b.updates.iter().collect(), a.updates.iter().collect());
        for u in &b.updates {
            if !in_a.contains(u) {
                out.push("update", &a.id, "removed", Some(u.to_string()), None);
            }
        }
        for u in &a.updates {
            if !in_b.contains(u) {
                out.push("update", &a.id, "added", None, Some(u.to_string()));
            }
        }
    }

    // Budgets, their figures and ledger rows.
    let budget_order: Vec<String> = array(after, "budget")
        .iter()
        .chain(array(before, "budget"))
        .map(|(id, _)| id.clone())
        .collect();
    out.items(
        "budget",
        "",
        array(before, "budget"),
        array(after, "budget"),
    );
    if let Some((cb, ca)) = computed {
        // A shared table: the same figures.
        if !Arc::ptr_eq(&cb.budget.1, &ca.budget.1) {
            out.computed(
                "budget-figures",
                &cb.budget.1,
                &ca.budget.1,
                &["budget"],
                &["committed", "spent", "available", "remaining"],
            );
        }
        if after.ledger_on == Some(before.load) {
            // `after`'s ledger table holds only the rows appended to `before`'s (SPEC 10.5).
            ledger_changes(&mut out, &no_rows(&ca.ledger), &ca.ledger, &budget_order);
        } else {
            ledger_changes(&mut out, &cb.ledger, &ca.ledger, &budget_order);
        }
    } else if let (true, Some(ca)) = (before.raw.plan.is_empty(), &after.computed) {
        // The first state of the plan: every ledger row is added.
        ledger_changes(&mut out, &no_rows(&ca.ledger), &ca.ledger, &budget_order);
    }

    // Indicators, surveys, targets.
    out.items(
        "indicator",
        "",
        array(before, "indicator"),
        array(after, "indicator"),
    );
    out.items(
        "survey",
        "",
        array(before, "survey"),
        array(after, "survey"),
    );
    if let Some((cb, ca)) = computed {
        let targets = |t: &Table| target_rows(t);
        out.computed(
            "target",
            &targets(&cb.scores),
            &targets(&ca.scores),
            &["indicator", "wave"],
            &["target", "actual", "status"],
        );
        out.computed(
            "value",
            &cb.parts,
            &ca.parts,
            &["indicator", "wave"],
            &["value"],
        );
    }

    // Criteria.
    out.items(
        "criterion",
        "",
        array(before, "criterion"),
        array(after, "criterion"),
    );
    if let Some((cb, ca)) = computed {
        out.computed(
            "criterion-status",
            &cb.criteria,
            &ca.criteria,
            &["criterion"],
            &["status"],
        );
    }

    // Rounds and any other array of plan.toml (a later format addition).
    for &name in &names {
        if ![
            "goal",
            "focus_area",
            "budget",
            "indicator",
            "survey",
            "criterion",
        ]
        .contains(&name)
        {
            out.items(
                name,
                "",
                before.raw.arrays.get(name).unwrap_or(&empty),
                after.raw.arrays.get(name).unwrap_or(&empty),
            );
        }
    }

    if let Some((cb, ca)) = computed {
        readings(&mut out.changes, cb, ca);
    }
    label_readings(&mut out.changes, after);
    if before.errors != after.errors {
        out.push(
            "check",
            &plan_id,
            "errors",
            Some(before.errors.to_string()),
            Some(after.errors.to_string()),
        );
    }
    out.changes
}

/// What changed from `before` to `after`, two days of the same state ([`Side::at`]), by the
/// passage of time alone: initiative status and staleness and milestone states (in the
/// order of the initiatives), targets, criteria. Nothing when the state is not valid.
pub fn time_changes(before: &Side, after: &Side) -> Vec<Change> {
    let (Some(cb), Some(ca)) = (&before.computed, &after.computed) else {
        return Vec::new();
    };
    let mut figures = figure_changes(&cb.initiatives, &ca.initiatives);
    let mut out = Out {
        changes: Vec::new(),
    };
    for initiative in &after.raw.initiatives {
        if figures.is_empty() {
            break;
        }
        let (status, milestones) = figures.remove(&initiative.id).unwrap_or_default();
        out.changes.extend(status);
        out.changes.extend(milestones);
    }
    let targets = |t: &Table| target_rows(t);
    out.computed(
        "target",
        &targets(&cb.scores),
        &targets(&ca.scores),
        &["indicator", "wave"],
        &["target", "actual", "status"],
    );
    out.computed(
        "criterion-status",
        &cb.criteria,
        &ca.criteria,
        &["criterion"],
        &["status"],
    );
    readings(&mut out.changes, cb, ca);
    label_readings(&mut out.changes, after);
    out.changes
}

/// The plan's own status words (`[labels]` in the state `after`), for the changes a status
/// word is read in.
fn label_readings(changes: &mut [Change], after: &Side) {
    let labels: BTreeMap<String, String> = after
        .raw
        .plan
        .get("labels")
        .and_then(toml::Value::as_table)
        .map(|t| {
            t.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    if labels.is_empty() {
        return;
    }
    for c in changes {
        if matches!(
            (c.kind.as_str(), c.field.as_str()),
            ("initiative", "status") | ("update", _)
        ) {
            c.reading = Reading::Labels(labels.clone());
        }
    }
}

/// The changes by the passage of time alone to the state `side` (computed as of its own
/// day) from that day to the day of `end`, the same state as of a later day (`side.at(day)`,
/// which a commit of that day is compared with), each on the day it happened, oldest first.
/// The days are
/// found by halving the span where the state differs at its two ends, so a span without a
/// change costs one computation of the state, and each change about log2(days) more. (A
/// change undone by time within the same halved span is not seen: with data dated no later
/// than the state's commit, the rules of SPEC 3 and 5 only move forward.)
pub fn time_events(side: &Side, end: &Side) -> Vec<(Date, Vec<Change>)> {
    let mut events = Vec::new();
    if end.as_of > side.as_of {
        halve(side, side, end, &mut events);
    }
    events
}

/// [`time_events`] between `lo` and `hi`, two days of `side`.
fn halve(side: &Side, lo: &Side, hi: &Side, events: &mut Vec<(Date, Vec<Change>)>) {
    let changes = time_changes(lo, hi);
    if changes.is_empty() {
        return;
    }
    let days = crate::dates::days_between(lo.as_of, hi.as_of);
    if days <= 1 {
        events.push((hi.as_of, changes));
        return;
    }
    let mid = side.at(lo.as_of + chrono::Duration::days(days / 2));
    halve(side, lo, &mid, events);
    halve(side, &mid, hi, events);
}

/// The cell in column `column` of the row whose `key_column` is `key`, in `after` or else in
/// `before`.
fn lookup(tables: &[&Table], key_column: &str, key: &str, column: &str) -> Option<String> {
    tables.iter().find_map(|t| {
        let at = |name: &str| t.columns.iter().position(|c| *c == name);
        let (k, c) = (at(key_column)?, at(column)?);
        t.rows
            .iter()
            .find(|row| row.get(k).is_some_and(|cell| cell.display() == key))
            .and_then(|row| row.get(c))
            .map(Cell::display)
    })
}

/// What tables need to read the computed changes in words: the unit of a budget's figures,
/// an indicator's precision, the last update of an initiative that became stale.
fn readings(changes: &mut [Change], before: &Computed, after: &Computed) {
    for c in changes.iter_mut() {
        match (c.kind.as_str(), c.field.as_str()) {
            ("budget-figures", _) => {
                let kind = lookup(
                    &[&after.budget.1, &before.budget.1],
                    "budget",
                    &c.id,
                    "kind",
                );
                c.reading = Reading::Amount {
                    hours: kind.as_deref() == Some("hours"),
                    savings: kind.as_deref() == Some("savings"),
                };
            }
            ("target", "target" | "actual") => {
                let indicator = c.id.split('/').next().unwrap_or_default();
                if let Some(&places) = after
                    .precision
                    .get(indicator)
                    .or_else(|| before.precision.get(indicator))
                {
                    c.reading = Reading::Decimals(places);
                }
            }
            ("initiative", "stale") => {
                let figures = after.initiatives.iter().find(|f| f.initiative.id == c.id);
                c.reading = Reading::Stale(figures.and_then(|f| f.last_update));
            }
            _ => {}
        }
    }
}

/// The heading a change is shown under in tables and Markdown.
pub fn group(kind: &str) -> &'static str {
    match kind {
        "plan" | "check" => "Plan",
        "goal" | "focus_area" => "Goals and focus areas",
        "initiative" | "milestone" | "update" | "effect" => "Initiatives",
        "budget" | "budget-figures" | "ledger" => "Budgets",
        "indicator" | "survey" | "target" | "value" => "Targets",
        "criterion" | "criterion-status" => "Criteria",
        _ => "Other",
    }
}

/// The changes as an export table: `kind,id,field,before,after,days`.
pub fn changes_table(changes: &[Change]) -> Table {
    Table {
        columns: vec!["kind", "id", "field", "before", "after", "days"],
        rows: changes
            .iter()
            .map(|c| {
                vec![
                    Cell::Text(c.kind.clone()),
                    Cell::Text(c.id.clone()),
                    Cell::Text(c.field.clone()),
                    Cell::text(c.before.as_deref()),
                    Cell::text(c.after.as_deref()),
                    c.days.map_or(Cell::Blank, Cell::Integer),
                ]
            })
            .collect(),
    }
}

/// Whether a change belongs to the item `id` (`plan log ID`): an initiative keeps its
/// milestones and updates; `INITIATIVE/MILESTONE`, a budget (and its figures and ledger
/// rows), an indicator (and its targets) or a criterion (and its status).
pub fn concerns(change: &Change, id: &str) -> bool {
    change.id == id || change.id.starts_with(&format!("{id}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_count_as_their_last_day() {
        assert_eq!(shift("2021-10-31", "2021-12-31"), Some(61));
        assert_eq!(shift("2026-Q1", "2026-03"), Some(0));
        assert_eq!(shift("2025-H2", "2026"), Some(365));
        assert_eq!(shift("2024-02", "2024-03-01"), Some(1));
        assert_eq!(shift("someday", "2024-03-01"), None);
    }

    /// Two initiative files with the same id: each initiative of the state after is
    /// compared with the first of its id before, as a search from the start finds it, not
    /// with the one at its place.
    #[test]
    fn an_id_twice_is_compared_with_its_first() {
        let state = |titles: [&str; 2]| {
            let mut raw = Raw::default();
            raw.initiatives = titles
                .iter()
                .map(|title| {
                    let mut header = toml::Table::new();
                    header.insert("title".into(), toml::Value::String((*title).into()));
                    Arc::new(RawInitiative {
                        id: "A".into(),
                        header: Arc::new(header),
                        ..RawInitiative::default()
                    })
                })
                .collect();
            let as_of = Date::from_ymd_opt(2024, 1, 1).expect("a date");
            Side::new(raw, as_of, None, (0, 0), (None, false, Spare::NONE))
        };
        let titles = |changes: Vec<Change>| -> Vec<(Option<String>, Option<String>)> {
            changes.into_iter().map(|c| (c.before, c.after)).collect()
        };
        let changes = diff(&state(["x", "y"]), &state(["x", "z"]));
        assert_eq!(titles(changes), [(Some("x".into()), Some("z".into()))]);
        // Unique ids are compared at their places.
        let mut unique = state(["x", "y"]);
        let mut after = state(["x", "z"]);
        for side in [&mut unique, &mut after] {
            let raw = Arc::make_mut(&mut side.raw);
            Arc::make_mut(&mut raw.initiatives[1]).id = "B".into();
        }
        let changes = diff(&unique, &after);
        assert_eq!(titles(changes), [(Some("y".into()), Some("z".into()))]);
    }

    fn ledger(rows: &[(&str, &str, &str)]) -> Table {
        Table {
            columns: vec!["file", "line", "date", "budget", "kind", "amount"],
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, (date, budget, amount))| {
                    vec![
                        Cell::Text("ledger.csv".to_string()),
                        Cell::Integer(i64::try_from(i).unwrap_or(0) + 2),
                        Cell::Text((*date).to_string()),
                        Cell::Text((*budget).to_string()),
                        Cell::Text("actual".to_string()),
                        Cell::Number((*amount).to_string()),
                    ]
                })
                .collect(),
        }
    }

    fn ledger_rows(before: &Table, after: &Table) -> Vec<(String, String, String, String)> {
        let mut out = Out {
            changes: Vec::new(),
        };
        ledger_changes(&mut out, before, after, &["drift".into(), "anlaeg".into()]);
        out.changes
            .into_iter()
            .map(|c| {
                (
                    c.id,
                    c.field,
                    c.before.unwrap_or_default(),
                    c.after.unwrap_or_default(),
                )
            })
            .collect()
    }

    /// Rows shared at the start and the end are matched before the rest: the figures are
    /// those of whole-ledger matching, whatever the order and the lines of the rows.
    #[test]
    fn ledger_rows_shared_at_the_ends_count_as_matched_rows() {
        let a = ("2021-01-05", "drift", "100.00");
        let b = ("2021-02-05", "drift", "250.50");
        let c = ("2021-03-05", "anlaeg", "75.00");
        let d = ("2021-03-05", "anlaeg", "75.00");
        let e = ("2021-04-05", "drift", "10.00");
        // Appended rows: only the new ones count; budgets in plan.toml's order.
        let appended = ledger_rows(&ledger(&[a, b, c]), &ledger(&[a, b, c, d, e]));
        assert_eq!(
            appended,
            [
                ("drift".into(), "entries".into(), "0".into(), "1".into()),
                (
                    "drift".into(),
                    "amount".into(),
                    "0.00".into(),
                    "10.00".into()
                ),
                ("anlaeg".into(), "entries".into(), "0".into(), "1".into()),
                (
                    "anlaeg".into(),
                    "amount".into(),
                    "0.00".into(),
                    "75.00".into()
                ),
            ]
            .map(|(w, x, y, z): (String, String, String, String)| (w, x, y, z))
        );
        // The same rows in another order, with a shared start and end: the same figures as
        // with nothing shared at the ends.
        let moved = ledger_rows(&ledger(&[a, c, b, e]), &ledger(&[a, b, d, c, e, e]));
        let nothing_shared = ledger_rows(&ledger(&[c, b, e, a]), &ledger(&[e, b, d, c, a, e]));
        assert_eq!(moved, nothing_shared);
        assert_eq!(
            moved,
            [
                ("drift".into(), "entries".into(), "0".into(), "1".into()),
                (
                    "drift".into(),
                    "amount".into(),
                    "0.00".into(),
                    "10.00".into()
                ),
                ("anlaeg".into(), "entries".into(), "0".into(), "1".into()),
                (
                    "anlaeg".into(),
                    "amount".into(),
                    "0.00".into(),
                    "75.00".into()
                ),
            ]
            .map(|(w, x, y, z): (String, String, String, String)| (w, x, y, z))
        );
        // A removed row in the middle.
        assert_eq!(
            ledger_rows(&ledger(&[a, b, e]), &ledger(&[a, e])),
            [
                ("drift".into(), "entries".into(), "1".into(), "0".into()),
                (
                    "drift".into(),
                    "amount".into(),
                    "250.50".into(),
                    "0.00".into()
                ),
            ]
            .map(|(w, x, y, z): (String, String, String, String)| (w, x, y, z))
        );
        // Identical ledgers: no rows at all.
        assert!(ledger_rows(&ledger(&[a, b, c]), &ledger(&[a, b, c])).is_empty());
    }
    /// An initiative's figures are the same on every day of the span they say they hold for
    /// (`plan log` takes them for any of those days without computing them): checked on every
    /// initiative of the Fjordby example, every day from a month before its period to a year
    /// after, each day against the next while the next is in the span.
    #[test]
    fn figures_hold_for_every_day_they_say() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/fjordby");
        let tree = crate::tree::DirTree::new(&dir);
        let day = |s: &str| crate::dates::parse_iso_date(s).expect("a date");
        let options = crate::LoadOptions::default();
        let mut memo = crate::load::memo::LoadMemo::new(false);
        let loaded =
            crate::load_tree_with(&tree, day("2023-06-30"), &options, &mut memo).expect("loads");
        let plan = loaded.plan.expect("a plan");
        assert!(plan.initiatives.iter().any(|i| !i.updates.is_empty()));
        let fields =
            |f: &InitiativeFigures| (f.status, f.stale, f.last_update, f.milestones.clone());
        let (first, last) = (day("2019-12-01"), day("2024-12-31"));
        let mut spans = 0;
        for initiative in &plan.initiatives {
            let mut at = first;
            while at < last {
                let today = InitiativeFigures::compute(initiative, &plan, at);
                assert!(
                    today.holds.0 <= at && at < today.holds.1,
                    "{} {at}",
                    initiative.id
                );
                let next = at.succ_opt().expect("a next day");
                if next < today.holds.1 {
                    let tomorrow = InitiativeFigures::compute(initiative, &plan, next);
                    assert_eq!(fields(&today), fields(&tomorrow), "{} {at}", initiative.id);
                } else {
                    spans += 1;
                }
                at = next;
            }
        }
        // Spans end on the days the initiatives' dates name, not on every day.
        assert!(
            spans > plan.initiatives.len() && spans < 2000,
            "{spans} spans"
        );
    }
}
