//! Stage 3, validate: ledger rows → [`Ledger`] entries, and the ledger rules of SPEC 6.
//!
//! Errors (each at the file, line and column of the field):
//! - `date` not a date in one of the three forms → E009;
//! - `budget` blank → E003, not a declared budget → E008 (with a suggestion);
//! - `kind` not grant/release/expense/hours → E004 (with a suggestion);
//! - `amount` not a number in the file's form (not a number at all, or an English number in a
//!   `;` file, or a Danish one in a `,` file) → E103; a number that is zero, negative, has more
//!   than two decimals or is too large → E011;
//! - `hours` on a money budget, or grant/release/expense on an hours budget → E104.
//!
//! Warnings: W104 (entry outside its budget's period) is judged over every entry, whatever its
//! date, because a mistyped year is exactly what it should catch. W101–W103 add entries up, so
//! they are judged, like every report, as of the run's date: over the entries dated ≤ as-of.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rust_decimal::Decimal;

use super::values::Ctx;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::csv::{self, Dialect, Field};
use crate::load::ledger::{LedgerFile, LedgerRow};
use crate::model::{BudgetKind, Date, Entry, EntryKind, Ledger, Plan};
use crate::report::budget::hundredths;

/// An entry with the places its warnings point at.
struct Placed {
    entry: Entry,
    file: usize,
    date: Range<usize>,
    amount: Range<usize>,
    reference: Option<Range<usize>>,
}

/// Validate every row of every ledger file against the plan's budgets. `declared` are the
/// budget ids written in plan.toml, valid or not: an entry on a budget that has errors of its
/// own is dropped without a second, misleading "not defined" error.
pub fn validate_ledger(
    files: &[LedgerFile],
    plan: &Plan,
    declared: &HashSet<&str>,
    as_of: Date,
    diags: &mut Diagnostics,
) -> Ledger {
    let mut placed = Vec::new();
    for f in files {
        let mut cx = Ctx {
            file: f.file,
            diags: &mut *diags,
        };
        for row in &f.rows {
            if let Some(entry) = validate_row(row, f, plan, declared, &mut cx) {
                placed.push(entry);
            }
        }
    }
    // Stable: entries of one day keep the order of the files and of their rows.
    placed.sort_by_key(|p| p.entry.date);
    warnings(&placed, plan, as_of, diags);
    Ledger {
        entries: placed.into_iter().map(|p| p.entry).collect(),
    }
}

fn validate_row(
    row: &LedgerRow,
    f: &LedgerFile,
    plan: &Plan,
    declared: &HashSet<&str>,
    cx: &mut Ctx<'_>,
) -> Option<Placed> {
    let date = match csv::parse_date(&row.date.value) {
        Ok(d) => Some(d),
        Err(message) => {
            cx.report(Code::InvalidDate, row.date.span.clone(), message);
            None
        }
    };

    let budget_id = row.budget.value.trim();
    let budget = if budget_id.is_empty() {
        cx.push(
            Diagnostic::at(
                Code::MissingKey,
                cx.file,
                row.budget.span.clone(),
                "the entry names no budget",
            )
            .with_help("write the id of a [[budget]] from plan.toml"),
        );
        None
    } else if let Some(i) = plan.budgets.iter().position(|b| b.id == budget_id) {
        Some(i)
    } else {
        if !declared.contains(budget_id) {
            cx.reference_at(
                budget_id,
                row.budget.span.clone(),
                plan.budgets.iter().map(|b| b.id.as_str()),
                "budget",
            );
        }
        None
    };

    // Excel users write `Grant` as often as `grant`: the word is matched case-insensitively.
    let kind = cx.word_at(
        &row.kind.value.trim().to_lowercase(),
        row.kind.span.clone(),
        EntryKind::WORDS,
        Code::InvalidValue,
        "ledger kind",
    );
    let amount = amount(&row.amount, f.dialect, cx);

    if let (Some(kind), Some(b)) = (kind, budget) {
        let budget = &plan.budgets[b];
        let hours_budget = matches!(budget.kind, BudgetKind::Hours { .. });
        if kind.is_hours() != hours_budget {
            let (is, fits) = if hours_budget {
                ("an hours budget", "only `hours` entries")
            } else {
                ("a money budget", "only grant, release and expense entries")
            };
            cx.push(
                Diagnostic::at(
                    Code::WrongEntryKind,
                    cx.file,
                    row.kind.span.clone(),
                    format!(
                        "kind `{}` does not fit `{}`, which is {is}",
                        kind.word(),
                        budget.id
                    ),
                )
                .with_help(format!("`{}` takes {fits}", budget.id)),
            );
            return None;
        }
    }

    let text = |field: &Option<Field>| {
        field
            .as_ref()
            .map(|f| f.value.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    Some(Placed {
        entry: Entry {
            date: date?,
            budget: budget?,
            kind: kind?,
            amount: amount?,
            unit: text(&row.unit),
            reference: text(&row.reference),
            note: text(&row.note),
            file: f.shown.clone(),
            line: row.line,
        },
        file: f.file,
        date: row.date.span.clone(),
        amount: row.amount.span.clone(),
        reference: row
            .reference
            .as_ref()
            .filter(|r| !r.value.trim().is_empty())
            .map(|r| r.span.clone()),
    })
}

/// An amount in hundredths: a number in the file's form (E103), then > 0 with ≤ 2 decimals (E011).
fn amount(field: &Field, dialect: Dialect, cx: &mut Ctx<'_>) -> Option<i64> {
    let span = field.span.clone();
    let value = match csv::parse_decimal(&field.value, dialect) {
        Ok(v) => v,
        Err(message) => {
            let help = if dialect.danish_numbers() {
                "this file is separated by `;`, so its numbers are Danish: 45.000,50"
            } else {
                "this file is separated by `,`, so its numbers use a decimal point: 45000.50"
            };
            cx.push(Diagnostic::at(Code::InvalidNumber, cx.file, span, message).with_help(help));
            return None;
        }
    };
    let shown = field.value.trim();
    let problem = if value <= Decimal::ZERO {
        Some(format!("the amount must be greater than 0, not `{shown}`"))
    } else if value.normalize().scale() > 2 {
        Some(format!("the amount `{shown}` has more than two decimals"))
    } else {
        None
    };
    if let Some(message) = problem {
        cx.push(
            Diagnostic::at(Code::InvalidAmount, cx.file, span, message).with_help(
                "amounts are positive, with at most two decimals; give money back with a `release`",
            ),
        );
        return None;
    }
    match value
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|v| i64::try_from(v.trunc()).ok())
    {
        Some(v) => Some(v),
        None => {
            cx.report(
                Code::InvalidAmount,
                span,
                format!("the amount `{shown}` is too large"),
            );
            None
        }
    }
}

/// W101–W104 over entries already sorted by date.
fn warnings(placed: &[Placed], plan: &Plan, as_of: Date, diags: &mut Diagnostics) {
    for p in placed {
        let budget = &plan.budgets[p.entry.budget];
        if !budget.period.contains(p.entry.date) {
            diags.push(
                Diagnostic::at(
                    Code::OutsidePeriod,
                    p.file,
                    p.date.clone(),
                    format!(
                        "the entry is dated {}, outside the period of budget `{}` ({} → {})",
                        p.entry.date, budget.id, budget.period.start, budget.period.end
                    ),
                )
                .with_help("check the date, or the budget's `period` in plan.toml"),
            );
        }
    }

    let current: Vec<&Placed> = placed.iter().filter(|p| p.entry.date <= as_of).collect();
    let granted: HashSet<(usize, &str)> = current
        .iter()
        .filter(|p| p.entry.kind == EntryKind::Grant)
        .filter_map(|p| Some((p.entry.budget, p.entry.reference.as_deref()?)))
        .collect();
    // What is left of each grant, by budget and ref, as the entries happen.
    let mut left: HashMap<(usize, &str), i128> = HashMap::new();
    // Committed per budget, and the entry that last took it above the total.
    let mut committed: HashMap<usize, (i128, Option<&Placed>)> = HashMap::new();
    for p in &current {
        let e = &p.entry;
        let amount = i128::from(e.amount);
        let total = match plan.budgets[e.budget].kind {
            BudgetKind::Money { amount_ore } => i128::from(amount_ore),
            BudgetKind::Hours { .. } => continue,
        };
        let key = e.reference.as_deref().map(|r| (e.budget, r));
        match e.kind {
            EntryKind::Grant | EntryKind::Release => {
                let sign = if e.kind == EntryKind::Grant { 1 } else { -1 };
                let state = committed.entry(e.budget).or_insert((0, None));
                let before = state.0;
                state.0 += sign * amount;
                if before <= total && state.0 > total {
                    state.1 = Some(*p);
                }
                if let Some(key) = key {
                    *left.entry(key).or_insert(0) += sign * amount;
                }
            }
            EntryKind::Expense => {
                let Some(key) = key else { continue };
                if !granted.contains(&key) {
                    diags.push(
                        Diagnostic::at(
                            Code::ExpenseWithoutGrant,
                            p.file,
                            p.reference.clone().unwrap_or_else(|| p.amount.clone()),
                            format!(
                                "the expense's ref `{}` matches no grant on budget `{}`",
                                key.1, plan.budgets[e.budget].id
                            ),
                        )
                        .with_help("check the ref, or record the grant first"),
                    );
                    continue;
                }
                let remainder = left.entry(key).or_insert(0);
                if amount > *remainder {
                    diags.push(
                        Diagnostic::at(
                            Code::ExpenseAboveGrant,
                            p.file,
                            p.amount.clone(),
                            format!(
                                "expense of {} is more than what is left of grant `{}` ({})",
                                hundredths(amount),
                                key.1,
                                hundredths(*remainder)
                            ),
                        )
                        .with_help("check the amount, or record a further grant"),
                    );
                }
                *remainder -= amount;
            }
            EntryKind::Hours => {}
        }
    }
    let mut over: Vec<(usize, i128, &Placed)> = committed
        .into_iter()
        .filter_map(|(b, (c, at))| Some((b, c, at?)))
        .collect();
    over.sort_by_key(|(b, _, _)| *b);
    for (b, c, at) in over {
        let budget = &plan.budgets[b];
        let BudgetKind::Money { amount_ore } = budget.kind else {
            continue;
        };
        if c <= i128::from(amount_ore) {
            continue;
        }
        diags.push(
            Diagnostic::at(
                Code::Overcommitted,
                at.file,
                at.amount.clone(),
                format!(
                    "budget `{}` is overcommitted: {} committed of {} (as of {as_of})",
                    budget.id,
                    hundredths(c),
                    hundredths(i128::from(amount_ore))
                ),
            )
            .with_label("this grant took it over")
            .with_help("release part of a grant, or raise the budget's amount"),
        );
    }
}
