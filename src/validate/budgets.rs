//! The checks of `[[budget]]` (SPEC 4, 9.6) and of the `ledger` items of `plan.toml` (paths,
//! globs and finance-system mappings, SPEC 9.7), with the funding and budget-code warnings.
//! The ledger's rows themselves are checked in `ledger.rs`.

use rust_decimal::Decimal;
use toml::Spanned;

use super::fields::{declared_path, period};
use super::values::Ctx;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::PlanFiles;
use crate::model::{self, Date, Period};
use crate::raw;
use crate::tree::Tree;

pub(super) fn budget(
    b: &raw::Budget,
    plan_period: Option<Period>,
    cx: &mut Ctx<'_>,
) -> Option<model::Budget> {
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
pub(super) const LEDGER_COLUMNS: [(&str, ()); 7] = [
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
pub(super) fn mapped_ledger(
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
pub(super) fn per_year(
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
        let fits = super::values::in_hundredths(d);
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
pub(super) fn years_total(
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
pub(super) fn funding_warning(
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
        let kr = crate::figures::hundredths;
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
