//! Stage 3, validate: raw structs → the [`model`](crate::model). Every rule of SPEC
//! section 6 that concerns `plan.toml` and the initiative files lives here. Problems are
//! collected; a model is still built from what is valid, but callers refuse to report on
//! it while there are errors.

pub mod ledger;
pub mod shares;
pub mod values;

use std::collections::HashSet;

use rust_decimal::Decimal;
use toml::Spanned;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::{InitiativeFile, PlanFile, PlanFiles};
use crate::model::{self, Date, Direction, Period, RelativeTo, Source, TargetRule};
use crate::raw;
use crate::source::FileId;
use crate::tree::{self, Entry, Tree};
use values::{Bound, Ctx, DateLimits, Dated, day_of};

/// Default hours in one årsværk (Danish public sector).
pub const DEFAULT_HOURS_PER_FTE: i64 = 1924;
/// Default days without an update before an initiative is stale.
pub const DEFAULT_STALE_AFTER_DAYS: i64 = 90;
/// Default smallest group whose survey figures may be shown.
pub const DEFAULT_MIN_GROUP_SIZE: i64 = 5;

/// Validate every TOML file. Returns a model when `plan.toml` was readable enough to build one;
/// check `diags.has_errors()` before trusting it.
/// `today`: the day the command runs, for W005 ([`DateLimits`]); `None` judges dates by the
/// plan's period only.
pub fn validate(
    files: &PlanFiles,
    tree: &dyn Tree,
    as_of: Date,
    today: Option<Date>,
    diags: &mut Diagnostics,
) -> Option<model::Plan> {
    let plan_file = files.plan.as_ref()?;
    let mut plan = validate_plan(plan_file, tree, diags)?;
    far_dates(files, &DateLimits::new(plan.period.end, today), diags);
    let mut seen: HashSet<String> = HashSet::new();
    for file in &files.initiatives {
        let mut cx = Ctx {
            file: file.file,
            diags,
        };
        if let Some(initiative) = validate_initiative(file, &plan, &mut cx) {
            if !seen.insert(initiative.id.clone()) {
                if let Some(id) = file.header.as_ref().and_then(|h| h.id.as_ref()) {
                    cx.report(
                        Code::DuplicateId,
                        id.span(),
                        format!(
                            "initiative `{}` is defined in another file too",
                            initiative.id
                        ),
                    );
                }
                continue;
            }
            // With an update rejected, "no update for N days" could be false: the error says enough.
            if !file.updates_dropped && initiative.updates.len() == file.updates.len() {
                stale_warning(&initiative, &plan, as_of, file, &mut cx);
            }
            plan.initiatives.push(initiative);
        }
    }
    plan.initiatives.sort_by(|a, b| {
        (a.number.is_none(), a.number, &a.id).cmp(&(b.number.is_none(), b.number, &b.id))
    });
    // An initiative file that did not parse (E001) has an id nobody can read: a reference to
    // an initiative is then not said to be undefined, as it may be that file's.
    let ids_known = files.initiatives.iter().all(|f| f.header.is_some());
    parents(files, &mut plan, ids_known, diags);

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

fn validate_plan(file: &PlanFile, tree: &dyn Tree, diags: &mut Diagnostics) -> Option<model::Plan> {
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

/// W005: every date of the TOML files that lies too far ahead ([`DateLimits`]), judged on the
/// files as written once the plan's period is known. A date with an error of its own is left
/// to that error; a period counts as the day the rules take (a start its first, the rest its
/// last).
fn far_dates(files: &PlanFiles, limits: &DateLimits, diags: &mut Diagnostics) {
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
    for f in &files.initiatives {
        let file = f.file;
        if let Some(h) = &f.header {
            if let Some(start) = &h.start {
                let first = Some(Bound::First);
                check(file, start, "the initiative's start", Dated::Planned, first);
            }
            if let Some(end) = &h.end {
                let last = Some(Bound::Last);
                check(file, end, "the initiative's end", Dated::Planned, last);
            }
        }
        for m in &f.milestones {
            if let Some(due) = &m.due {
                let last = Some(Bound::Last);
                check(file, due, "the milestone's due date", Dated::Planned, last);
            }
            if let Some(done) = &m.done {
                check(file, done, "the milestone's `done`", Dated::Recorded, None);
            }
        }
        for u in &f.updates {
            check(file, &u.date, "the update's date", Dated::Recorded, None);
        }
    }
}

/// W203: a `[[survey]]` wave that no indicator names as its baseline or a target wave. Its file
/// is read and checked, and then shown nowhere: most often the indicator's wave is misspelt,
/// or the target not yet written. Said once per wave, at its first entry. Indicators are taken
/// as written, so that an indicator with an error of its own does not add this warning.
fn unused_waves(file: &PlanFile, cx: &mut Ctx<'_>) {
    let named: HashSet<&str> = file
        .indicators
        .iter()
        .flat_map(|i| {
            let baseline = i.baseline.as_ref().map(|b| b.get_ref().wave.get_ref());
            let targets = i.target.iter().map(|t| t.get_ref().wave.get_ref());
            baseline.into_iter().chain(targets)
        })
        .map(String::as_str)
        .collect();
    let mut warned: HashSet<&str> = HashSet::new();
    for survey in &file.surveys {
        let wave = survey.wave.get_ref().as_str();
        if named.contains(wave) || !warned.insert(wave) {
            continue;
        }
        let message = format!(
            "survey wave `{wave}` is named by no indicator: its file `{}` is read and shown nowhere",
            survey.file.get_ref()
        );
        // No did-you-mean: waves are years, and every year is one letter from the next.
        cx.push(
            Diagnostic::at(Code::UnusedWave, cx.file, survey.wave.span(), message).with_help(
                format!(
                    "name it in an indicator's `baseline` or `target` (`{{ wave = \"{wave}\", … }}`), or remove this [[survey]] entry"
                ),
            ),
        );
    }
}

/// `[[round]]` (SPEC 9.5): unique ids, valid dates, counts of 0 or more; sorted by date.
fn rounds(file: &PlanFile, cx: &mut Ctx<'_>) -> Vec<model::Round> {
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
        let computed = crate::report::rounds::computed(plan, round.date).counts;
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

/// Items whose id is valid and not seen before; duplicates and bad ids are reported.
fn unique<'a, T>(
    cx: &mut Ctx<'_>,
    items: &'a [T],
    id: impl Fn(&T) -> &Spanned<String>,
    what: &str,
) -> Vec<&'a T> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut keep = Vec::new();
    for item in items {
        let item_id = id(item);
        if !cx.id(item_id, what) {
            continue;
        }
        if !seen.insert(item_id.get_ref().as_str()) {
            cx.report(
                Code::DuplicateId,
                item_id.span(),
                format!("{what} `{}` is defined twice", item_id.get_ref()),
            );
            continue;
        }
        keep.push(item);
    }
    keep
}

fn period(p: &Spanned<raw::Period>, cx: &mut Ctx<'_>, what: &str) -> Option<Period> {
    let start = cx.date(&p.get_ref().start, &format!("the start of {what}"));
    let end = cx.date(&p.get_ref().end, &format!("the end of {what}"));
    let (start, end) = (start?, end?);
    if end < start {
        cx.report(
            Code::ReversedDates,
            p.span(),
            format!("{what} ends ({end}) before it starts ({start})"),
        );
        return None;
    }
    Some(Period { start, end })
}

fn positive(cx: &mut Ctx<'_>, v: &Spanned<toml::Value>, what: &str) -> Option<Decimal> {
    let d = cx.decimal(v, what, Code::InvalidValue)?;
    if d <= Decimal::ZERO {
        cx.report(
            Code::InvalidValue,
            v.span(),
            format!("{what} must be greater than 0"),
        );
        return None;
    }
    Some(d)
}

fn at_least_one(cx: &mut Ctx<'_>, v: &Spanned<i64>, what: &str) -> Option<i64> {
    if *v.get_ref() < 1 {
        cx.report(
            Code::InvalidValue,
            v.span(),
            format!("{what} must be at least 1"),
        );
        return None;
    }
    Some(*v.get_ref())
}

/// A path declared in plan.toml: inside the plan directory and, when `must_exist`, a regular
/// file. What is there is asked before anything opens it: a named pipe would block `open`
/// for ever, and a directory where a file should be is a mistake in the plan (exit 1), not a
/// failure of the machine.
fn declared_path(
    cx: &mut Ctx<'_>,
    tree: &dyn Tree,
    written: &Spanned<String>,
    must_exist: bool,
) -> bool {
    let rel = match tree::resolve(tree, written.get_ref()) {
        Err(why) => {
            cx.report(Code::PathOutsidePlan, written.span(), why);
            return false;
        }
        Ok(rel) => rel,
    };
    if !must_exist {
        return true;
    }
    let shown = tree.display(&rel);
    // A path the machine cannot look at is left to the reading, which exits 2 saying why.
    let entry = tree.entry(&rel).unwrap_or(Entry::File { len: 0 });
    let (code, message, help) = match entry {
        Entry::File { .. } => return true,
        Entry::Missing => (
            Code::MissingFile,
            format!("`{shown}` does not exist"),
            "create the file, or fix the path (it is relative to the plan directory)",
        ),
        Entry::BrokenLink => (
            Code::MissingFile,
            format!("`{shown}` is a link to a file that does not exist"),
            "point the link at a file inside the plan directory, or fix the path",
        ),
        Entry::Dir | Entry::Other(_) => (
            Code::NotText,
            format!(
                "`{shown}` is {}, not a file",
                entry.not_a_file().unwrap_or("not a regular file")
            ),
            "point the path at a CSV file (it is relative to the plan directory)",
        ),
    };
    cx.push(Diagnostic::at(code, cx.file, written.span(), message).with_help(help));
    false
}

fn budget(b: &raw::Budget, plan_period: Option<Period>, cx: &mut Ctx<'_>) -> Option<model::Budget> {
    #[derive(Clone, Copy)]
    enum Kind {
        Money,
        Hours,
        Savings,
    }
    let kind = cx.word_listing(
        b.kind.get_ref(),
        b.kind.span(),
        &[
            ("money", Kind::Money),
            ("hours", Kind::Hours),
            ("savings", Kind::Savings),
        ],
        // The help lists the kinds of format 1 before SPEC 9.6 (see docs/decisions.md).
        &["money", "hours"],
        Code::InvalidValue,
        "budget kind",
    );
    let id = b.id.get_ref();
    // A key of another kind of budget (SPEC 9.6): `hours` and `rate` belong on hours budgets,
    // `amounts` on money and savings budgets.
    let misplaced = |cx: &mut Ctx<'_>, span: std::ops::Range<usize>, key: &str, belongs: &str| {
        cx.push(
            Diagnostic::at(
                Code::BudgetSize,
                cx.file,
                span,
                format!("`{key}` belongs on {belongs}, not on budget `{id}`"),
            )
            .with_help("remove the key, or change the budget's `kind`"),
        );
    };
    let twice = |cx: &mut Ctx<'_>, span: std::ops::Range<usize>, one: &str, other: &str| {
        cx.push(
            Diagnostic::at(
                Code::BudgetSize,
                cx.file,
                span,
                format!("budget `{id}` gives both `{one}` and `{other}`"),
            )
            .with_help(format!(
                "keep one: `{other}` for one total, `{one}` for a figure per calendar year"
            )),
        );
    };
    let kind = kind?;
    let (kind, years) = match kind {
        Kind::Money | Kind::Savings => {
            if let Some(fte) = &b.fte {
                cx.report(
                    Code::InvalidValue,
                    fte.span(),
                    "`fte` belongs on an hours budget; a money budget has `amount`",
                );
            }
            if let Some(hours) = &b.hours {
                misplaced(cx, hours.span(), "hours", "an hours budget");
            }
            if let Some(rate) = &b.rate {
                misplaced(cx, rate.span(), "rate", "an hours budget");
            }
            let (total, years) = match (&b.amount, &b.amounts) {
                (Some(_), Some(amounts)) => {
                    twice(cx, amounts.span(), "amounts", "amount");
                    return None;
                }
                (Some(amount), None) => (cx.hundredths(amount, "amount")?, Vec::new()),
                (None, Some(amounts)) => {
                    let years = per_year(amounts, "amounts", cx)?;
                    (years_total(&years, amounts.span(), "amounts", cx)?, years)
                }
                (None, None) => {
                    let what = if matches!(kind, Kind::Savings) {
                        "savings"
                    } else {
                        "money"
                    };
                    cx.report(
                        Code::MissingKey,
                        b.id.span(),
                        format!("{what} budget `{id}` has no `amount`"),
                    );
                    return None;
                }
            };
            let kind = if matches!(kind, Kind::Savings) {
                model::BudgetKind::Savings { amount_ore: total }
            } else {
                model::BudgetKind::Money { amount_ore: total }
            };
            (kind, years)
        }
        Kind::Hours => {
            if let Some(amount) = &b.amount {
                cx.report(
                    Code::InvalidValue,
                    amount.span(),
                    "`amount` belongs on a money budget; an hours budget has `fte`",
                );
            }
            if let Some(amounts) = &b.amounts {
                misplaced(cx, amounts.span(), "amounts", "a money or savings budget");
            }
            match (&b.fte, &b.hours) {
                (Some(_), Some(hours)) => {
                    twice(cx, hours.span(), "hours", "fte");
                    return None;
                }
                (Some(fte), None) => {
                    let value = cx.decimal(fte, "fte", Code::InvalidAmount)?;
                    if value <= Decimal::ZERO {
                        cx.report(
                            Code::InvalidAmount,
                            fte.span(),
                            "fte must be greater than 0",
                        );
                        return None;
                    }
                    (model::BudgetKind::Hours { fte: Some(value) }, Vec::new())
                }
                (None, Some(hours)) => {
                    let years = per_year(hours, "hours", cx)?;
                    years_total(&years, hours.span(), "hours", cx)?;
                    (model::BudgetKind::Hours { fte: None }, years)
                }
                (None, None) => {
                    cx.report(
                        Code::MissingKey,
                        b.id.span(),
                        format!("hours budget `{id}` has no `fte`"),
                    );
                    return None;
                }
            }
        }
    };
    let rate_ore = match (&b.rate, kind) {
        (Some(rate), model::BudgetKind::Hours { .. }) => Some(cx.hundredths(rate, "rate")?),
        _ => None,
    };
    let period = match (&b.period, years.first(), years.last()) {
        (Some(p), _, _) => period(p, cx, &format!("budget `{id}`")),
        // Figures per year: 1 January of the first year through 31 December of the last.
        (None, Some(&(first, _)), Some(&(last, _))) => Date::from_ymd_opt(first, 1, 1)
            .zip(Date::from_ymd_opt(last, 12, 31))
            .map(|(start, end)| Period { start, end }),
        (None, _, _) => plan_period,
    };
    let mut funding = Vec::new();
    if let Some(sources) = &b.funding {
        let mut ok = true;
        for source in sources.get_ref() {
            match cx.hundredths(&source.amount, "the funding amount") {
                Some(amount_ore) => funding.push(model::Funding {
                    source: source.source.clone(),
                    amount_ore,
                    secured: source.secured.unwrap_or(true),
                }),
                None => ok = false,
            }
        }
        if ok {
            funding_warning(id, kind, &funding, sources.span(), cx);
        }
    }
    Some(model::Budget {
        id: id.clone(),
        title: b.title.clone(),
        initiative: b.initiative.as_ref().map(|i| i.get_ref().clone()),
        kind,
        period: period?,
        years,
        funding,
        rate_ore,
    })
}

/// The canonical ledger columns a mapped file's `columns` may name.
const LEDGER_COLUMNS: [(&str, ()); 7] = [
    ("date", ()),
    ("budget", ()),
    ("kind", ()),
    ("amount", ()),
    ("unit", ()),
    ("ref", ()),
    ("note", ()),
];

/// A ledger item given as a table (SPEC 9.7): every part that does not depend on the file's
/// contents is checked here, once, so that reading the file only has to find its columns.
fn mapped_ledger(
    t: &raw::LedgerTable,
    tree: &dyn Tree,
    budgets: &[model::Budget],
    cx: &mut Ctx<'_>,
) -> Option<model::LedgerSource> {
    let pattern = t.file.get_ref();
    let is_glob = pattern.contains(['*', '?', '[']);
    let mut ok = declared_path(cx, tree, &t.file, !is_glob);
    let mut columns = Vec::new();
    for (canonical, header) in t.columns.iter().flatten() {
        match cx.word_at(
            canonical,
            header.span(),
            &LEDGER_COLUMNS,
            Code::InvalidValue,
            "ledger column (the keys of `columns` are the ledger's own column names)",
        ) {
            Some(()) => columns.push((canonical.clone(), header.get_ref().clone())),
            None => ok = false,
        }
    }
    let kind = match &t.kind {
        Some(k) => {
            let kind = cx.word(
                k,
                model::EntryKind::WORDS,
                Code::InvalidValue,
                "ledger kind",
            );
            ok &= kind.is_some();
            kind
        }
        None => None,
    };
    let known = || budgets.iter().map(|b| b.id.as_str());
    let fits = |cx: &mut Ctx<'_>, id: &Spanned<String>| -> bool {
        let Some(budget) = budgets.iter().find(|b| &b.id == id.get_ref()) else {
            return cx.reference(id, known(), "budget");
        };
        let (Some(kind), Some(k)) = (kind, &t.kind) else {
            return true;
        };
        let code = if (kind == model::EntryKind::Saving) != budget.kind.is_savings() {
            Code::SavingEntryKind
        } else if kind.is_hours() != budget.kind.is_hours() {
            Code::WrongEntryKind
        } else {
            return true;
        };
        cx.push(
            Diagnostic::at(
                code,
                cx.file,
                k.span(),
                format!(
                    "kind `{}` does not fit budget `{}`, which is a {} budget",
                    kind.word(),
                    budget.id,
                    budget.kind.word()
                ),
            )
            .with_help("fix the item's `kind`, or the budget it names"),
        );
        false
    };
    let budget = match &t.budget {
        Some(b) => {
            ok &= fits(cx, b);
            Some(b.get_ref().clone())
        }
        None => None,
    };
    let budget_from = match &t.budget_from {
        Some(from) => {
            if let Some(b) = &t.budget {
                cx.push(
                    Diagnostic::at(
                        Code::InvalidValue,
                        cx.file,
                        b.span(),
                        "a ledger item gives both `budget` and `budget_from`",
                    )
                    .with_help("keep `budget` for one budget, or `budget_from` to map a column"),
                );
                ok = false;
            }
            let from = from.get_ref();
            let mut map = Vec::new();
            for (code, id) in &from.map {
                ok &= fits(cx, id);
                map.push((code.clone(), id.get_ref().clone()));
            }
            Some((from.column.get_ref().clone(), map))
        }
        None => None,
    };
    let negate = match &t.sign {
        Some(sign) => {
            let negate = cx.word(sign, &[("negate", true)], Code::InvalidValue, "sign");
            ok &= negate.is_some();
            negate.unwrap_or(false)
        }
        None => false,
    };
    ok.then(|| model::LedgerSource {
        pattern: pattern.clone(),
        mapping: Some(model::LedgerMapping {
            columns,
            kind,
            budget,
            budget_from,
            negate,
        }),
    })
}

/// W503: a code of a ledger item's `budget_from.map` that matched no row of its files.
pub fn unused_budget_codes(
    files: &PlanFiles,
    plan: &model::Plan,
    ledger: &model::Ledger,
    diags: &mut Diagnostics,
) {
    let Some(plan_file) = &files.plan else {
        return;
    };
    let Some(items) = plan_file.header.as_ref().and_then(|h| h.ledger.as_ref()) else {
        return;
    };
    let tables = items.iter().filter_map(|i| match i.get_ref() {
        raw::LedgerItem::Mapped(t) => Some(t),
        raw::LedgerItem::Path(_) => None,
    });
    for (index, source) in plan.ledger.iter().enumerate() {
        let Some((_, map)) = source.mapping.as_ref().and_then(|m| m.budget_from.as_ref()) else {
            continue;
        };
        let seen = ledger
            .codes_seen
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, s)| s);
        // Its item in plan.toml: the same file and the same codes (two items may read one
        // file with different maps).
        let raw_map = tables
            .clone()
            .filter(|t| t.file.get_ref() == &source.pattern)
            .filter_map(|t| t.budget_from.as_ref())
            .find(|f| f.get_ref().map.keys().eq(map.iter().map(|(code, _)| code)));
        for (code, budget) in map {
            if seen.is_some_and(|s| s.contains(code)) {
                continue;
            }
            let message = format!(
                "code `{code}` (budget `{budget}`) matches no row of `{}`",
                source.pattern
            );
            let span = raw_map
                .and_then(|f| f.get_ref().map.get(code))
                .map(|v| v.span());
            let d = match span {
                Some(span) => Diagnostic::at(Code::UnusedBudgetCode, plan_file.file, span, message),
                None => Diagnostic::in_file(Code::UnusedBudgetCode, plan_file.file, message),
            };
            diags.push(
                d.with_help("check the code against the file's column, or remove it from the map"),
            );
        }
    }
}

/// `amounts` / `hours` (SPEC 9.6): calendar year → figure in hundredths, years ascending. A
/// year may hold 0 (nothing that year); the keys must be years.
fn per_year(
    map: &Spanned<std::collections::BTreeMap<String, Spanned<toml::Value>>>,
    key: &str,
    cx: &mut Ctx<'_>,
) -> Option<Vec<(i32, i64)>> {
    let mut years = Vec::new();
    let mut ok = true;
    for (year, value) in map.get_ref() {
        let parsed = year
            .parse::<i32>()
            .ok()
            .filter(|y| year.len() == 4 && (1000..=9999).contains(y));
        let Some(parsed) = parsed else {
            cx.push(
                Diagnostic::at(
                    Code::InvalidValue,
                    cx.file,
                    value.span(),
                    format!("`{key}` has the key `{year}`, which is not a year"),
                )
                .with_help(format!(
                    "write one figure per calendar year: `{key} = {{ 2025 = …, 2026 = … }}`"
                )),
            );
            ok = false;
            continue;
        };
        let what = format!("the {key} of {year}");
        let Some(d) = cx.decimal(value, &what, Code::InvalidAmount) else {
            ok = false;
            continue;
        };
        let fits = values::in_hundredths(d);
        let problem = if d < Decimal::ZERO {
            Some(format!("{what} must not be negative, not {d}"))
        } else if d.normalize().scale() > 2 {
            Some(format!("{what} {d} has more than two decimals"))
        } else if fits.is_none() {
            Some(format!("{what} {d} is too large"))
        } else {
            None
        };
        match (problem, fits) {
            (None, Some(v)) => years.push((parsed, v)),
            (problem, _) => {
                let message = problem.unwrap_or_else(|| format!("{what} {d} is too large"));
                cx.push(
                    Diagnostic::at(Code::InvalidAmount, cx.file, value.span(), message).with_help(
                        "write the year's figure as 0 or more, with at most two decimals",
                    ),
                );
                ok = false;
            }
        }
    }
    years.sort_unstable();
    ok.then_some(years)
}

/// The sum of the figures per year, which must be greater than 0.
fn years_total(
    years: &[(i32, i64)],
    span: std::ops::Range<usize>,
    key: &str,
    cx: &mut Ctx<'_>,
) -> Option<i64> {
    let total = years
        .iter()
        .try_fold(0i64, |sum, (_, v)| sum.checked_add(*v));
    match total {
        Some(total) if total > 0 => Some(total),
        Some(_) => {
            cx.report(
                Code::InvalidAmount,
                span,
                format!("the `{key}` add up to 0; a budget must hold more than nothing"),
            );
            None
        }
        None => {
            cx.report(
                Code::InvalidAmount,
                span,
                format!("the `{key}` add up to more than plan can count"),
            );
            None
        }
    }
}

/// W501: the funding does not add up to the budget's total. (An hours budget's funding is
/// shown, not compared: its total is hours, and their value depends on the `rate`.)
fn funding_warning(
    id: &str,
    kind: model::BudgetKind,
    funding: &[model::Funding],
    span: std::ops::Range<usize>,
    cx: &mut Ctx<'_>,
) {
    let sum: i128 = funding.iter().map(|f| i128::from(f.amount_ore)).sum();
    let total = match kind {
        model::BudgetKind::Money { amount_ore } | model::BudgetKind::Savings { amount_ore } => {
            Some(i128::from(amount_ore))
        }
        model::BudgetKind::Hours { .. } => None,
    };
    let Some(total) = total else {
        return;
    };
    if sum != total {
        let kr = crate::report::budget::hundredths;
        cx.push(
            Diagnostic::at(
                Code::FundingMismatch,
                cx.file,
                span,
                format!(
                    "the funding of budget `{id}` adds up to {} DKK, but its total is {} DKK (a difference of {} DKK)",
                    kr(sum),
                    kr(total),
                    kr(total - sum)
                ),
            )
            .with_help("correct a source's `amount`, or add the source that is missing"),
        );
    }
}

fn indicator(i: &raw::Indicator, cx: &mut Ctx<'_>) -> Option<model::Indicator> {
    // Every check runs even when an earlier one failed, so that one run shows them all.
    let source = match &i.source {
        Some(s) => cx.word(
            s,
            &[
                ("survey", Source::Survey),
                ("measurement", Source::Measurement),
            ],
            Code::InvalidValue,
            "indicator source",
        ),
        None => Some(Source::Survey),
    };
    let (min, max, scale_ok) = match &i.scale {
        Some(scale_value) => {
            let scale = scale_value.get_ref();
            let min = cx.decimal(&scale.min, "scale.min", Code::InvalidValue);
            let max = cx.decimal(&scale.max, "scale.max", Code::InvalidValue);
            let ok = match (min, max) {
                (Some(min), Some(max)) if min >= max => {
                    cx.report(
                        Code::InvalidTarget,
                        scale_value.span(),
                        format!("the scale's min ({min}) must be below its max ({max})"),
                    );
                    false
                }
                (Some(_), Some(_)) => true,
                _ => false,
            };
            (min, max, ok)
        }
        // A measured figure needs no scale (SPEC 9.1); a survey answer does.
        None if source == Some(Source::Survey) => {
            cx.push(
                Diagnostic::at(
                    Code::MissingKey,
                    cx.file,
                    i.id.span(),
                    format!("survey indicator `{}` has no `scale`", i.id.get_ref()),
                )
                .with_help("add `scale = { min = …, max = … }`, or `source = \"measurement\"` for a figure from a register or an account"),
            );
            (None, None, false)
        }
        None => (None, None, true),
    };
    let bounds = min.zip(max).filter(|_| scale_ok);
    // A share's figures, its targets too, are percentages, whatever the answers' scale.
    let share = shares::measure(i, source, bounds, cx);
    let bounds = shares::figure_bounds(i, bounds);
    let off_scale = |cx: &mut Ctx<'_>, d: Decimal, span, what: &str| -> bool {
        match bounds {
            Some((min, max)) if d < min || d > max => {
                cx.report(
                    Code::InvalidTarget,
                    span,
                    format!("{what} {d} is outside the scale {min}..{max}"),
                );
                true
            }
            _ => false,
        }
    };
    let on_scale = |cx: &mut Ctx<'_>, v: &Spanned<toml::Value>, what: &str| -> Option<Decimal> {
        let d = cx.decimal(v, what, Code::InvalidValue)?;
        (!off_scale(cx, d, v.span(), what)).then_some(d)
    };
    let precision = match &i.precision {
        Some(p) if (0..=6).contains(p.get_ref()) => u32::try_from(*p.get_ref()).ok(),
        Some(p) => {
            cx.report(
                Code::InvalidValue,
                p.span(),
                "precision must be between 0 and 6 decimals",
            );
            None
        }
        None => Some(2),
    };
    let baseline = i.baseline.as_ref().map(Spanned::get_ref);
    let mut ok = baseline.is_none_or(|b| cx.id(&b.wave, "wave"));
    let baseline_value = match baseline.and_then(|b| b.value.as_ref()) {
        Some(v) => {
            let value = on_scale(cx, v, "the baseline value");
            ok &= value.is_some();
            value
        }
        None => None,
    };
    let mut targets = Vec::new();
    let mut waves: HashSet<&str> = HashSet::new();
    // The targets that can be computed from plan.toml alone, for the scale check.
    let mut known: Option<Decimal> = baseline_value;
    for (index, t) in i.target.iter().enumerate() {
        let target = t.get_ref();
        if !cx.id(&target.wave, "wave") {
            ok = false;
            continue;
        }
        if !waves.insert(target.wave.get_ref()) {
            cx.report(
                Code::DuplicateId,
                target.wave.span(),
                format!(
                    "indicator `{}` has two targets for wave `{}`",
                    i.id.get_ref(),
                    target.wave.get_ref()
                ),
            );
            ok = false;
            continue;
        }
        let rule = match (&target.delta, &target.value, &target.change_pct) {
            (Some(delta), None, None) => cx
                .decimal(delta, "delta", Code::InvalidValue)
                .map(TargetRule::Delta),
            (None, Some(value), None) => {
                on_scale(cx, value, "the target value").map(TargetRule::Value)
            }
            (None, None, Some(pct)) => cx
                .decimal(pct, "change_pct", Code::InvalidValue)
                .map(TargetRule::ChangePct),
            // The messages of format 1 before `change_pct`, unchanged for files without it;
            // the help names every form, `change_pct` too.
            (delta, value, None) => {
                let verb = if delta.is_none() && value.is_none() {
                    "give the target one of"
                } else {
                    "keep one of"
                };
                cx.push(
                    Diagnostic::at(
                        Code::InvalidTarget,
                        cx.file,
                        t.span(),
                        "a target needs exactly one of `delta` or `value`",
                    )
                    .with_help(format!(
                        "{verb} `delta = 0.25` (a change from the baseline), `value = 7.0` (the figure itself) or `change_pct = -2` (a change in per cent)"
                    )),
                );
                None
            }
            (_, _, Some(_)) => {
                cx.push(
                    Diagnostic::at(
                        Code::InvalidTarget,
                        cx.file,
                        t.span(),
                        "a target needs exactly one of `delta`, `value` or `change_pct`",
                    )
                    .with_help("keep the one form the plan states, and remove the others"),
                );
                None
            }
        };
        let relative_to = match &target.relative_to {
            Some(r) => {
                let word = cx.word(r, RelativeTo::WORDS, Code::InvalidValue, "`relative_to`");
                // The list of waves starts with the baseline: without one, the first target
                // is the first wave, with nothing before it (SPEC 9.2).
                let previous = matches!(
                    word,
                    Some(RelativeTo::PreviousActual | RelativeTo::PreviousTarget)
                );
                if previous && index == 0 && i.baseline.is_none() {
                    cx.push(
                        Diagnostic::at(
                            Code::NoPreviousWave,
                            cx.file,
                            r.span(),
                            format!(
                                "the first target of indicator `{}` has no previous wave: the indicator has no `baseline`",
                                i.id.get_ref()
                            ),
                        )
                        .with_help("add a `baseline` (the first wave of the list), or give the first target as a `value`"),
                    );
                    ok = false;
                }
                if matches!(rule, Some(TargetRule::Value(_))) {
                    cx.report(
                        Code::InvalidTarget,
                        r.span(),
                        "`relative_to` applies to `delta` and `change_pct`, not to a `value` target",
                    );
                    ok = false;
                }
                word
            }
            None => Some(RelativeTo::Baseline),
        };
        // A base that is the baseline, where there is none (SPEC 9.2).
        if let (Some(rule), Some(relative)) = (rule, relative_to)
            && rule.needs_base()
            && i.baseline.is_none()
            && relative == RelativeTo::Baseline
        {
            cx.push(
                Diagnostic::at(
                    Code::NoBaseline,
                    cx.file,
                    t.span(),
                    format!(
                        "indicator `{}` has no `baseline` for this target to build on",
                        i.id.get_ref()
                    ),
                )
                .with_help(
                    "add `baseline = { wave = …, value = … }`, or give the target as a `value`",
                ),
            );
            ok = false;
        }
        // A target that lands off the scale can never be met: say so now, not in 2015.
        let computed = match (rule, relative_to, precision) {
            (Some(TargetRule::Value(v)), _, _) => Some(v),
            (Some(rule), Some(RelativeTo::Baseline), Some(p)) => rule.target(baseline_value, p),
            (Some(rule), Some(RelativeTo::PreviousTarget), Some(p)) => rule.target(known, p),
            _ => None,
        };
        if let (Some(value), Some(rule)) = (computed, rule)
            && rule.needs_base()
            && off_scale(cx, value, t.span(), "the target")
        {
            ok = false;
        }
        known = computed;
        match (rule, relative_to) {
            (Some(rule), Some(relative_to)) => targets.push(model::Target {
                wave: target.wave.get_ref().clone(),
                rule,
                relative_to,
            }),
            _ => ok = false,
        }
    }
    let direction = match &i.direction {
        Some(d) => cx.word(
            d,
            &[
                ("increase", Direction::Increase),
                ("decrease", Direction::Decrease),
            ],
            Code::InvalidValue,
            "direction",
        ),
        None => Some(Direction::Increase),
    };
    if !(ok && scale_ok) {
        return None;
    }
    Some(model::Indicator {
        id: i.id.get_ref().clone(),
        title: i.title.clone(),
        question: i.question.clone(),
        source: source?,
        unit: i.unit.clone(),
        scale_min: bounds.map(|b| b.0),
        scale_max: bounds.map(|b| b.1),
        precision: precision?,
        baseline_wave: baseline.map(|b| b.wave.get_ref().clone()),
        baseline_value,
        targets,
        direction: direction?,
        share: share?,
    })
}

fn criterion(c: &raw::Criterion, cx: &mut Ctx<'_>) -> Option<model::Criterion> {
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

/// E404: `s` declares a file for a wave that an earlier [[survey]] entry declares already, so
/// its respondents would count twice. Reported at the second entry, which is then left out.
fn declared_again(s: &raw::Survey, all: &[raw::Survey], tree: &dyn Tree, cx: &mut Ctx<'_>) -> bool {
    let key = |s: &raw::Survey| {
        tree::resolve(tree, s.file.get_ref())
            .ok()
            .map(|file| (file, s.wave.get_ref().clone()))
    };
    let Some(mine) = key(s) else {
        return false;
    };
    let Some(first) = all
        .iter()
        .take_while(|other| !std::ptr::eq(*other, s))
        .find(|other| key(other).as_ref() == Some(&mine))
    else {
        return false;
    };
    cx.push(
        Diagnostic::at(
            Code::DuplicateSurvey,
            cx.file,
            s.file.span(),
            format!(
                "`{}` is declared a second time for wave `{}`: every respondent would count twice",
                s.file.get_ref(),
                s.wave.get_ref()
            ),
        )
        .with_secondary(cx.file, first.file.span(), "declared first here")
        .with_help("remove one of the two [[survey]] entries"),
    );
    true
}

fn survey(s: &raw::Survey, tree: &dyn Tree, cx: &mut Ctx<'_>) -> Option<model::Survey> {
    let wave_ok = cx.id(&s.wave, "wave");
    let date = cx.date(&s.date, "the survey date");
    let file_ok = declared_path(cx, tree, &s.file, true);
    let layout = match &s.layout {
        Some(l) => Some(cx.word(
            l,
            &[
                ("aggregated", "aggregated"),
                ("respondents", "respondents"),
                ("frequencies", "frequencies"),
            ],
            Code::InvalidValue,
            "survey layout",
        )?),
        None => None,
    };
    let invited = shares::invited(s, cx);
    if !(wave_ok && file_ok) {
        return None;
    }
    Some(model::Survey {
        wave: s.wave.get_ref().clone(),
        date: date?,
        file: s.file.get_ref().clone(),
        layout: layout.map(str::to_string),
        columns: s
            .columns
            .iter()
            .flatten()
            .map(|(k, v)| model::ColumnMapping {
                canonical: k.clone(),
                header: v.get_ref().clone(),
                written_at: (cx.file, v.span()),
            })
            .collect(),
        missing: s.missing.clone().unwrap_or_default(),
        // A wrong `invited` is reported; the file is still read for its other problems.
        invited: invited.flatten(),
        respondents: None,
    })
}

fn validate_initiative(
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
    let mut milestone_ids: HashSet<&str> = HashSet::new();
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
    for u in &file.updates {
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
                note: u.note.clone(),
            });
        }
    }
    // Stable: updates on the same day keep file order, so the later one in the file wins.
    updates.sort_by_key(|u| u.date);

    if !id_ok {
        return None;
    }
    let owners = h.owner.as_ref().map(raw::Owners::names).unwrap_or_default();
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
    })
}

/// SPEC 9.4: every `parent` names an initiative (E008, when every initiative file could be
/// read: `ids_known`), no initiative is its own ancestor
/// (E307); then the initiatives are put in tree order, each followed by its children (both
/// kept in number-then-id order), with their depth. An initiative whose parent is missing or
/// in a cycle stays at the top level (the plan has errors anyway).
fn parents(files: &PlanFiles, plan: &mut model::Plan, ids_known: bool, diags: &mut Diagnostics) {
    let index: std::collections::HashMap<&str, usize> = plan
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
    let mut slots: Vec<Option<model::Initiative>> = std::mem::take(&mut plan.initiatives)
        .into_iter()
        .map(Some)
        .collect();
    for (k, depth) in order {
        if let Some(mut initiative) = slots[k].take() {
            initiative.depth = depth;
            plan.initiatives.push(initiative);
        }
    }
}

/// E307 for one cycle of parents, `members` in the order of the walk (each one's parent is
/// the next, the last one's the first): named from the member that comes first in the plan.
fn report_cycle(files: &PlanFiles, plan: &model::Plan, members: &[usize], diags: &mut Diagnostics) {
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
fn stale_warning(
    i: &model::Initiative,
    plan: &model::Plan,
    as_of: Date,
    file: &InitiativeFile,
    cx: &mut Ctx<'_>,
) {
    if let Some(days) = crate::report::status::stale_days(i, plan, as_of) {
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

/// W202: an indicator's written baseline `value` and its baseline wave's file disagree at the
/// indicator's precision (whatever `--as-of` says: the file is there to compare with).
pub fn baseline_mismatches(files: &PlanFiles, plan: &model::Plan, diags: &mut Diagnostics) {
    let Some(plan_file) = &files.plan else {
        return;
    };
    for ind in &plan.indicators {
        let (Some(value), Some(baseline_wave)) = (ind.baseline_value, &ind.baseline_wave) else {
            continue;
        };
        // A figure from too few answers is never shown, not even in a warning; the written
        // value is used for it anyway.
        let Some(actual) = crate::report::scores::file_actual(plan, ind, baseline_wave)
            .filter(|f| f.visible(plan.min_group_size))
        else {
            continue;
        };
        let Some(rounded) = actual
            .rounded
            .or_else(|| crate::stats::round_f64(actual.mean, ind.precision))
        else {
            continue;
        };
        let written = crate::report::scores::at_precision(value, ind.precision);
        let rounded = crate::report::scores::at_precision(rounded, ind.precision);
        if written == rounded {
            continue;
        }
        let span = plan_file
            .indicators
            .iter()
            .find(|raw| raw.id.get_ref() == &ind.id)
            .and_then(|raw| raw.baseline.as_ref()?.get_ref().value.as_ref())
            .map(|v| v.span());
        let file = match ind.source {
            model::Source::Survey => "survey file",
            model::Source::Measurement => "measurement file",
        };
        let message = format!(
            "indicator `{}`: the baseline value {written} differs from wave `{baseline_wave}`'s {file}, which gives {rounded}",
            ind.id
        );
        let diagnostic = match span {
            Some(span) => Diagnostic::at(Code::BaselineMismatch, plan_file.file, span, message),
            None => Diagnostic::in_file(Code::BaselineMismatch, plan_file.file, message),
        };
        diags.push(
            diagnostic.with_help("the file's figure is used; correct the `value` or remove it"),
        );
    }
}

/// W301 (SPEC 9.2): an indicator's baseline wave has no survey declared, no measurement and no
/// written `value`, and the wave's year (for a measured indicator, the year after) is over
/// by the run's date. Its targets are pending meanwhile; a plan adopted before its baseline
/// measurement is no error.
pub fn baseline_missing(
    files: &PlanFiles,
    plan: &model::Plan,
    as_of: Date,
    diags: &mut Diagnostics,
) {
    let Some(plan_file) = &files.plan else {
        return;
    };
    for ind in &plan.indicators {
        let Some(wave) = &ind.baseline_wave else {
            continue;
        };
        if ind.baseline_value.is_some() {
            continue;
        }
        let given = match ind.source {
            model::Source::Survey => plan.surveys.iter().any(|s| &s.wave == wave),
            model::Source::Measurement => plan
                .measurements
                .iter()
                .any(|m| m.indicator == ind.id && &m.wave == wave && m.unit.is_none()),
        };
        let late = crate::report::scores::years_late(ind);
        let over = crate::report::scores::wave_year_end(wave, late).is_some_and(|end| as_of > end);
        if given || !over {
            continue;
        }
        let span = plan_file
            .indicators
            .iter()
            .find(|raw| raw.id.get_ref() == &ind.id)
            .and_then(|raw| raw.baseline.as_ref())
            .map(|b| b.get_ref().wave.span());
        let (source, help) = match ind.source {
            model::Source::Survey => (
                "no [[survey]]",
                "declare the wave's [[survey]], or give the baseline's `value`; until then its targets are pending",
            ),
            model::Source::Measurement => (
                "no measurement",
                "add the wave's value to a measurement file, or give the baseline's `value`; until then its targets are pending",
            ),
        };
        let message = format!(
            "indicator `{}`: baseline wave `{wave}` has {source} and no `value`, and its year is over",
            ind.id
        );
        let diagnostic = match span {
            Some(span) => Diagnostic::at(Code::BaselineMissing, plan_file.file, span, message),
            None => Diagnostic::in_file(Code::BaselineMissing, plan_file.file, message),
        };
        diags.push(diagnostic.with_help(help));
    }
}
