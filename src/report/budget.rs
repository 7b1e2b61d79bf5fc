//! Budget burn (SPEC 4) and the budget / ledger exports (SPEC 7), as of a date.
//!
//! Every figure is an integer in hundredths (øre for money, hundredths of an hour for hours)
//! and sums are taken in `i128`, so no sum of valid amounts can overflow and no float ever
//! touches money. Percentages are kept in tenths of a percent. Each derived figure is computed
//! from the exact integers and rounded once, half away from zero:
//! - `elapsed_pct` = 1000 × days gone / days, in tenths;
//! - `to_date` (money) = T × days gone / days, in øre;
//! - `spent_pct`, `committed_pct` = 1000 × figure / total, in tenths;
//! - `projected` = spent × days / days gone, in hundredths (blank before the start).
//!
//! Hours capacity in calendar year Y is fte × hours_per_fte × (days of the period in Y) /
//! (days in Y). Summed over the years, that is fte × hours_per_fte × N / 133 590, where
//! 133 590 = 365 × 366 and N = Σ days in Y × (366 for a 365-day year, 365 for a leap year):
//! one exact sum of integers and a single division, rounded to 0.01 hour at the end.

use std::collections::BTreeMap;

use chrono::Datelike;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

pub use crate::figures::hundredths;
use crate::model::{BudgetKind, BudgetSums, Date, EntryRef, Ledger, Period, Plan, Sums};
use crate::report::{Cell, Table};

/// The name of the unit row for entries with a blank `unit` in `--by unit`.
pub const NO_UNIT: &str = "(no unit)";

/// `--by`: how `plan budget` and `export budget` break the figures down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// Calendar months (`YYYY-MM`).
    Month,
    /// Calendar years (`YYYY`).
    Year,
    /// Organisational units (the ledger's `unit` column).
    Unit,
}

/// The burn figures of one budget as of a date (SPEC 4). Amounts in hundredths,
/// percentages in tenths of a percent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetFigures {
    /// Budget id.
    pub id: String,
    /// `false` for a money budget that no ledger row dated by the date names (SPEC 12.6): its
    /// spending is not reported, so committed, spent and burn are unknown, not zero.
    #[serde(skip)]
    pub reported: bool,
    /// Title.
    pub title: String,
    /// Linked initiative.
    pub initiative: Option<String>,
    /// Whether the budget counts hours (else money).
    pub hours: bool,
    /// Money: T. Hours: the capacity over the whole period.
    pub total: i128,
    /// The straight-line plan by the date (money) or the capacity up to the date (hours).
    pub to_date: i128,
    /// Σ grant − Σ release; blank for hours.
    pub committed: Option<i128>,
    /// Σ expense (money) or Σ hours; 0 when not reported.
    #[serde(skip)]
    pub spent: i128,
    /// `spent` as the JSON shows it: null when not reported.
    #[serde(rename = "spent")]
    pub spent_shown: Option<i128>,
    /// total − committed; blank for hours.
    pub available: Option<i128>,
    /// total − spent.
    #[serde(skip)]
    pub remaining: i128,
    /// `remaining` as the JSON shows it: null when not reported.
    #[serde(rename = "remaining")]
    pub remaining_shown: Option<i128>,
    /// 100 × committed / total; blank for hours.
    pub committed_pct: Option<i128>,
    /// 100 × spent / total (blank if the total is 0).
    pub spent_pct: Option<i128>,
    /// Share of the period gone.
    pub elapsed_pct: i128,
    /// 100 × to_date / total: where the plan line stands (blank if the total is 0).
    pub plan_pct: Option<i128>,
    /// Where spending ends at today's pace; blank before the period starts (and for savings).
    pub projected: Option<i128>,
    /// A savings target (SPEC 9.6): `spent` is what has been realised, `remaining` the target
    /// less that, and `spent_pct` the realised share.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub savings: bool,
    /// Savings: to_date − realised (what the plan expected by now and has not yet realised).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<i128>,
    /// Hours budgets with a `rate`: the value of `total` in øre.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_value: Option<i128>,
    /// Hours budgets with a `rate`: the value of `spent` in øre.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spent_value: Option<i128>,
    /// Hours budgets with a `rate`: the value of `to_date` in øre.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_date_value: Option<i128>,
    /// Where the money comes from (SPEC 9.6), as plan.toml lists it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub funding: Vec<crate::model::Funding>,
}

impl BudgetFigures {
    /// The export's word for the budget's kind.
    pub fn kind_word(&self) -> &'static str {
        kind_word(self.hours, self.savings)
    }
}

/// The exports' word for a budget's kind: `money`, `hours` or `savings`.
fn kind_word(hours: bool, savings: bool) -> &'static str {
    if savings {
        "savings"
    } else if hours {
        "hours"
    } else {
        "money"
    }
}

/// What a budget's amounts count, as the breakdown export names it: `DKK` (money and savings)
/// or `hours`.
fn amount_unit(hours: bool) -> &'static str {
    if hours { "hours" } else { "DKK" }
}

/// `n / d` rounded half away from zero; `d` must not be 0.
fn div_round(n: i128, d: i128) -> i128 {
    let (q, r) = (n / d, n % d);
    if 2 * r.abs() >= d.abs() {
        q + if (n < 0) == (d < 0) { 1 } else { -1 }
    } else {
        q
    }
}

/// `1000 × part / whole` in tenths of a percent, blank when `whole` is 0.
fn tenths_of(part: i128, whole: i128) -> Option<i128> {
    (whole != 0).then(|| div_round(part.saturating_mul(1000), whole))
}

/// Capacity in hundredths of an hour of `fte` × `hours_per_fte` over the days `from..=to`
/// (0 when `to` < `from`), prorated by the days of each calendar year.
pub fn hours_capacity(fte: Decimal, hours_per_fte: Decimal, from: Date, to: Date) -> i128 {
    const YEARS: i64 = 365 * 366;
    let mut weighted: i64 = 0;
    for year in from.year()..=to.year() {
        let (Some(first), Some(last)) = (
            Date::from_ymd_opt(year, 1, 1),
            Date::from_ymd_opt(year, 12, 31),
        ) else {
            continue;
        };
        let days = crate::dates::days_between(from.max(first), to.min(last)) + 1;
        let weight = if first.leap_year() { 365 } else { 366 };
        weighted = weighted.saturating_add(days.max(0) * weight);
    }
    let capacity = fte
        .checked_mul(hours_per_fte)
        .and_then(|v| v.checked_mul(Decimal::ONE_HUNDRED))
        .and_then(|v| v.checked_mul(Decimal::from(weighted)))
        .and_then(|v| v.checked_div(Decimal::from(YEARS)))
        .map(|v| v.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero));
    capacity
        .and_then(|v| i128::try_from(v).ok())
        .unwrap_or(i128::MAX)
}

/// A figure per calendar year (SPEC 9.6) up to `as_of`: the years before as_of's year in full,
/// plus as_of's year's figure × the share of that year gone (days up to and including as_of /
/// days in the year). Computed over a common denominator and rounded once.
pub fn years_to_date(years: &[(i32, i64)], as_of: Date) -> i128 {
    years_to_date_times(years, as_of, 1, 1)
}

/// [`years_to_date`] × `mul` / `div`, rounded once: the value of hours to date at a rate is
/// computed from the exact figure, not from the rounded hours.
fn years_to_date_times(years: &[(i32, i64)], as_of: Date, mul: i128, div: i128) -> i128 {
    let year = as_of.year();
    let days_in_year = |y: i32| {
        if Date::from_ymd_opt(y, 2, 29).is_some() {
            366
        } else {
            365
        }
    };
    let diy = i128::from(days_in_year(year));
    let mut numerator: i128 = 0;
    for &(y, amount) in years {
        let amount = i128::from(amount);
        if y < year {
            numerator += amount * diy;
        } else if y == year {
            numerator += amount * i128::from(as_of.ordinal());
        }
    }
    div_round(numerator.saturating_mul(mul), diy * div)
}

/// The value in øre of `hundredths` of an hour at `rate_ore` øre per hour, rounded once.
pub fn value_of_hours(hundredths: i128, rate_ore: i64) -> i128 {
    div_round(hundredths.saturating_mul(i128::from(rate_ore)), 100)
}

/// The figures of every budget, in the order plan.toml declares them.
pub fn figures(plan: &Plan, ledger: &Ledger, as_of: Date) -> Vec<BudgetFigures> {
    (0..plan.budgets.len())
        .map(|b| budget_figures(plan, b, ledger, as_of))
        .collect()
}

/// The figures of budget number `b` of the plan.
pub fn budget_figures(plan: &Plan, b: usize, ledger: &Ledger, as_of: Date) -> BudgetFigures {
    let budget = &plan.budgets[b];
    let period = budget.period;
    let sums = ledger.budgets.get(b).map(|s| s.total).unwrap_or_default();
    let named = ledger.budgets.get(b).is_some_and(|s| s.first.is_some());
    let reported = named || !matches!(budget.kind, BudgetKind::Money { .. });
    let (grants, spent) = (sums.committed, sums.spent);
    let days = i128::from(period.days());
    let gone = i128::from(period.days_gone(as_of));
    // With a figure per year, the plan line runs straight within each year (SPEC 9.6).
    let by_years = |total: i128| {
        if gone == 0 {
            0
        } else if as_of >= period.end {
            total
        } else {
            years_to_date(&budget.years, as_of)
        }
    };
    let (hours, total, to_date, committed) = match budget.kind {
        BudgetKind::Money { amount_ore } | BudgetKind::Savings { amount_ore } => {
            let total = i128::from(amount_ore);
            let to_date = if budget.years.is_empty() {
                div_round(total * gone, days)
            } else {
                by_years(total)
            };
            let committed = (!budget.kind.is_savings()).then_some(grants);
            (false, total, to_date, committed)
        }
        BudgetKind::Hours { fte: Some(fte) } => {
            let capacity = |to: Date| hours_capacity(fte, plan.hours_per_fte, period.start, to);
            let to_date = if gone == 0 {
                0
            } else {
                capacity(as_of.min(period.end))
            };
            (true, capacity(period.end), to_date, None)
        }
        BudgetKind::Hours { fte: None } => {
            let total: i128 = budget.years.iter().map(|(_, h)| i128::from(*h)).sum();
            (true, total, by_years(total), None)
        }
    };
    let savings = budget.kind.is_savings();
    let value = |v: i128| budget.rate_ore.map(|rate| value_of_hours(v, rate));
    // Hours per year to date: valued from the exact figure (rounded once), like the others.
    let to_date_value = match (budget.rate_ore, budget.kind) {
        (Some(rate), BudgetKind::Hours { fte: None }) if gone > 0 && as_of < period.end => Some(
            years_to_date_times(&budget.years, as_of, i128::from(rate), 100),
        ),
        _ => value(to_date),
    };
    // Nothing reported is not nothing spent: no figure is made up from the missing rows.
    let committed = committed.filter(|_| reported);
    BudgetFigures {
        id: budget.id.clone(),
        reported,
        title: budget.title.clone(),
        initiative: budget.initiative.clone(),
        hours,
        total,
        to_date,
        committed,
        spent,
        available: committed.map(|c| total - c),
        remaining: total - spent,
        spent_shown: reported.then_some(spent),
        remaining_shown: reported.then_some(total - spent),
        committed_pct: committed.and_then(|c| tenths_of(c, total)),
        spent_pct: tenths_of(spent, total).filter(|_| reported),
        elapsed_pct: div_round(1000 * gone, days),
        plan_pct: tenths_of(to_date, total),
        projected: (gone > 0 && !savings && reported)
            .then(|| div_round(spent.saturating_mul(days), gone)),
        savings,
        gap: savings.then_some(to_date - spent),
        total_value: value(total),
        spent_value: value(spent),
        to_date_value,
        funding: budget.funding.clone(),
    }
}

/// The points of a burn-up chart of one budget as of a date: cumulative figures that step at
/// each ledger entry, and the plan line they are measured against. Amounts in hundredths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BurnUp {
    /// Budget id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Whether the budget counts hours (else money).
    pub hours: bool,
    /// The budget's period.
    pub period: Period,
    /// The date of the figures.
    pub as_of: Date,
    /// The total (money) or the capacity over the whole period (hours).
    pub total: i128,
    /// The plan line: money the straight line from 0 at the start to the total at the end;
    /// hours the capacity to date, with a point at the start of each calendar year (where its
    /// slope may change with the year's length).
    pub plan: Vec<(Date, i128)>,
    /// Cumulative committed (grants − releases) after each day with entries, from 0; empty for
    /// hours budgets.
    pub committed: Vec<(Date, i128)>,
    /// Cumulative spent (expenses or hours; savings realised) after each day with entries, from 0.
    pub spent: Vec<(Date, i128)>,
    /// A savings target: `spent` is what has been realised.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub savings: bool,
}

/// The burn-up series of every budget, in the order plan.toml declares them. The last point
/// of `committed` and `spent` is the `committed` and `spent` of [`figures`].
pub fn burn_up(plan: &Plan, ledger: &Ledger, as_of: Date) -> Vec<BurnUp> {
    plan.budgets
        .iter()
        .enumerate()
        .map(|(b, budget)| {
            let period = budget.period;
            let figures = budget_figures(plan, b, ledger, as_of);
            let none = BudgetSums::default();
            let sums = ledger.budgets.get(b).unwrap_or(&none);
            // Both series start at 0 on the earlier of the period's start and the first entry
            // (an entry before the period is a warning, but it counts).
            let first = sums.first.map_or(period.start, |d| d.min(period.start));
            let (mut committed, mut spent) = (vec![(first, 0)], vec![(first, 0)]);
            let (mut c, mut s) = (0i128, 0i128);
            for (&day, sum) in &sums.days {
                c += sum.committed;
                s += sum.spent;
                for (series, value) in [(&mut committed, c), (&mut spent, s)] {
                    match series.last_mut() {
                        Some(last) if last.0 == day => last.1 = value,
                        _ => series.push((day, value)),
                    }
                }
            }
            // Flat to the date (or the period's end, when later entries are none).
            let until = as_of.min(period.end).max(sums.last.unwrap_or(first));
            if as_of >= first {
                for series in [&mut committed, &mut spent] {
                    if series.last().is_some_and(|l| l.0 < until) {
                        let value = series.last().map_or(0, |l| l.1);
                        series.push((until, value));
                    }
                }
            }
            let plan_line = match budget.kind {
                _ if !budget.years.is_empty() => {
                    // Straight within each year: a point at each 1 January, and the end.
                    let mut points = vec![(period.start, 0)];
                    let mut sum = 0i128;
                    for &(year, amount) in &budget.years {
                        if let Some(jan1) = Date::from_ymd_opt(year, 1, 1)
                            && jan1 > period.start
                            && jan1 <= period.end
                        {
                            points.push((jan1, sum));
                        }
                        sum += i128::from(amount);
                    }
                    points.push((period.end, figures.total));
                    points
                }
                BudgetKind::Money { .. }
                | BudgetKind::Savings { .. }
                | BudgetKind::Hours { fte: None } => {
                    vec![(period.start, 0), (period.end, figures.total)]
                }
                BudgetKind::Hours { fte: Some(fte) } => {
                    let mut points = vec![(period.start, 0)];
                    for year in period.start.year() + 1..=period.end.year() {
                        if let (Some(jan1), Some(dec31)) = (
                            Date::from_ymd_opt(year, 1, 1),
                            Date::from_ymd_opt(year - 1, 12, 31),
                        ) {
                            let to = hours_capacity(fte, plan.hours_per_fte, period.start, dec31);
                            points.push((jan1, to));
                        }
                    }
                    points.push((period.end, figures.total));
                    points
                }
            };
            BurnUp {
                id: budget.id.clone(),
                title: budget.title.clone(),
                hours: figures.hours,
                period,
                as_of,
                total: figures.total,
                plan: plan_line,
                // A budget whose spending is not reported has no lines at 0 (SPEC 12.6).
                committed: if figures.hours || figures.savings || !figures.reported {
                    Vec::new()
                } else {
                    committed
                },
                spent: if figures.reported { spent } else { Vec::new() },
                savings: figures.savings,
            }
        })
        .collect()
}

/// Tenths as a decimal with one place: `81.3`.
pub fn tenths(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{}", a / 10, a % 10)
}

fn money(v: Option<i128>) -> Cell {
    v.map_or(Cell::Blank, |v| Cell::Number(hundredths(v)))
}

fn pct(v: Option<i128>) -> Cell {
    v.map_or(Cell::Blank, |v| Cell::Number(tenths(v)))
}

/// `export budget` (SPEC 7): one row per budget. When a budget has a `rate` (SPEC 9.6), the
/// columns `total_value,spent_value` follow at the end (blank for the other budgets); a plan
/// without rates keeps the columns of SPEC 7 exactly.
pub fn budget_table(rows: &[BudgetFigures]) -> Table {
    let mut table = plain_budget_table(rows);
    if rows.iter().any(|f| f.total_value.is_some()) {
        table.columns.extend(["total_value", "spent_value"]);
        for (row, f) in table.rows.iter_mut().zip(rows) {
            row.extend([money(f.total_value), money(f.spent_value)]);
        }
    }
    table
}

fn plain_budget_table(rows: &[BudgetFigures]) -> Table {
    Table {
        columns: vec![
            "budget",
            "title",
            "initiative",
            "kind",
            "total",
            "to_date",
            "committed",
            "spent",
            "available",
            "remaining",
            "committed_pct",
            "spent_pct",
            "elapsed_pct",
            "projected",
        ],
        rows: rows
            .iter()
            .map(|f| {
                vec![
                    Cell::Text(f.id.clone()),
                    Cell::Text(f.title.clone()),
                    Cell::text(f.initiative.as_deref()),
                    Cell::Text(f.kind_word().into()),
                    money(Some(f.total)),
                    money(Some(f.to_date)),
                    money(f.committed),
                    money(Some(f.spent).filter(|_| f.reported)),
                    money(f.available),
                    money(Some(f.remaining).filter(|_| f.reported)),
                    pct(f.committed_pct),
                    pct(f.spent_pct),
                    pct(Some(f.elapsed_pct)),
                    money(f.projected),
                ]
            })
            .collect(),
    }
}

/// One row of a breakdown (`--by month|year|unit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakdownRow {
    /// Budget id.
    pub budget: String,
    /// Whether the budget counts hours.
    pub hours: bool,
    /// Whether the budget is a savings target (SPEC 9.6): `spent` is what has been realised.
    pub savings: bool,
    /// `YYYY-MM`, `YYYY` or the unit name.
    pub period: String,
    /// Σ grant − Σ release in the period; blank for hours budgets.
    pub committed: Option<i128>,
    /// Σ expense or Σ hours in the period.
    pub spent: i128,
    /// Spent up to and including the period; blank for units.
    pub cumulative_spent: Option<i128>,
    /// `--by year` of a budget with figures per year (SPEC 9.6): that year's allocation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocated: Option<i128>,
}

/// The breakdown of every budget, budgets as declared, then by period.
///
/// Months and years run without gaps from the earlier of the budget's start and its first
/// entry to the later of its last entry and the as-of date (capped at the budget's end), so a
/// burn chart has every point. Units are sorted by name; a blank unit is [`NO_UNIT`].
pub fn breakdown(plan: &Plan, ledger: &Ledger, as_of: Date, by: By) -> Vec<BreakdownRow> {
    let mut rows = Vec::new();
    let none = BudgetSums::default();
    for (b, budget) in plan.budgets.iter().enumerate() {
        let hours = matches!(budget.kind, BudgetKind::Hours { .. });
        let sums_of = ledger.budgets.get(b).unwrap_or(&none);
        // key → (committed, spent)
        let mut sums: BTreeMap<String, Sums> = BTreeMap::new();
        match by {
            By::Unit => {
                for (unit, s) in &sums_of.units {
                    merge(sums.entry(unit.clone()).or_default(), s);
                }
                if let Some(s) = &sums_of.no_unit {
                    merge(sums.entry(NO_UNIT.to_string()).or_default(), s);
                }
            }
            By::Month | By::Year => {
                for k in period_keys(budget.period, sums_of, as_of, by) {
                    sums.entry(k).or_default();
                }
                // Days come in order: add them up per month (or year) first, then look each
                // month's key up once.
                let key = |(y, m): (i32, u32)| match by {
                    By::Month => format!("{y:04}-{m:02}"),
                    _ => format!("{y:04}"),
                };
                let mut run: Option<((i32, u32), Sums)> = None;
                for (day, s) in &sums_of.days {
                    let ym = (day.year(), if by == By::Month { day.month() } else { 0 });
                    match &mut run {
                        Some((at, sum)) if *at == ym => merge(sum, s),
                        _ => {
                            if let Some((at, sum)) = run.replace((ym, *s)) {
                                merge(sums.entry(key(at)).or_default(), &sum);
                            }
                        }
                    }
                }
                if let Some((at, sum)) = run {
                    merge(sums.entry(key(at)).or_default(), &sum);
                }
            }
        }
        let mut cumulative = 0;
        for (period, s) in sums {
            cumulative += s.spent;
            let allocated = (by == By::Year && !budget.years.is_empty()).then(|| {
                budget
                    .years
                    .iter()
                    .filter(|(y, _)| format!("{y:04}") == period)
                    .map(|(_, a)| i128::from(*a))
                    .sum()
            });
            rows.push(BreakdownRow {
                budget: budget.id.clone(),
                hours,
                savings: budget.kind.is_savings(),
                period,
                committed: (!hours && !budget.kind.is_savings()).then_some(s.committed),
                spent: s.spent,
                cumulative_spent: (by != By::Unit).then_some(cumulative),
                allocated,
            });
        }
    }
    rows
}

fn merge(into: &mut Sums, s: &Sums) {
    into.committed += s.committed;
    into.spent += s.spent;
}

/// Every month or year key from the first to the last date that matters for one budget.
fn period_keys(period: Period, sums: &BudgetSums, as_of: Date, by: By) -> Vec<String> {
    // The budget's days so far (none before it starts), and its entries' first and last dates.
    let mut dates: Vec<Date> = sums.first.into_iter().chain(sums.last).collect();
    if as_of >= period.start {
        dates.extend([period.start, as_of.min(period.end)]);
    }
    let (Some(&from), Some(&to)) = (dates.iter().min(), dates.iter().max()) else {
        return Vec::new();
    };
    let index = |d: Date| match by {
        By::Month => i64::from(d.year()) * 12 + i64::from(d.month0()),
        _ => i64::from(d.year()),
    };
    (index(from)..=index(to))
        .map(|i| match by {
            By::Month => format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1),
            _ => format!("{i:04}"),
        })
        .collect()
}

/// `export budget --by …` (SPEC 7), then `kind,amount_unit`: one breakdown lists money and hours
/// budgets together, and without them a column of kroner and hours could be summed as one.
/// `--by year` gains the column `allocated` at the end when a budget gives figures per year
/// (SPEC 9.6).
pub fn breakdown_table(rows: &[BreakdownRow]) -> Table {
    let allocated = rows.iter().any(|r| r.allocated.is_some());
    let mut columns = vec![
        "budget",
        "period",
        "committed",
        "spent",
        "cumulative_spent",
        "kind",
        "amount_unit",
    ];
    if allocated {
        columns.push("allocated");
    }
    Table {
        columns,
        rows: rows
            .iter()
            .map(|r| {
                let mut row = vec![
                    Cell::Text(r.budget.clone()),
                    Cell::Text(r.period.clone()),
                    money(r.committed),
                    money(Some(r.spent)),
                    money(r.cumulative_spent),
                    Cell::Text(kind_word(r.hours, r.savings).into()),
                    Cell::Text(amount_unit(r.hours).into()),
                ];
                if allocated {
                    row.push(money(r.allocated));
                }
                row
            })
            .collect(),
    }
}

/// The budget report as export rows: per budget, or broken down `by`.
pub fn table(plan: &Plan, ledger: &Ledger, as_of: Date, by: Option<By>) -> Table {
    match by {
        None => budget_table(&figures(plan, ledger, as_of)),
        Some(by) => breakdown_table(&breakdown(plan, ledger, as_of, by)),
    }
}

/// `export ledger` (SPEC 7): the merged ledger in canonical form, entries dated ≤ as-of, in
/// date order; `file` is relative to the plan directory.
pub fn ledger_table(plan: &Plan, ledger: &Ledger, as_of: Date) -> Table {
    Table {
        columns: LEDGER_COLUMNS.to_vec(),
        rows: ledger
            .entries
            .iter()
            .filter(|e| e.date <= as_of)
            .map(|e| {
                ledger_cells(&EntryRef {
                    date: e.date,
                    budget: plan.budgets.get(e.budget).map_or("", |b| b.id.as_str()),
                    kind: e.kind,
                    amount: e.amount,
                    unit: e.unit.as_deref(),
                    reference: e.reference.as_deref(),
                    note: e.note.as_deref(),
                    file: &e.file,
                    line: e.line,
                })
            })
            .collect(),
    }
}

/// The columns of `plan export ledger`.
pub const LEDGER_COLUMNS: [&str; 9] = [
    "file", "line", "date", "budget", "kind", "amount", "unit", "ref", "note",
];

/// [`ledger_cells`] into `cells`, reusing their text's memory (a row per entry of a
/// streamed export, without allocating for each).
pub fn ledger_cells_into(cells: &mut Vec<Cell>, e: &EntryRef<'_>) {
    fn set(cell: &mut Cell, text: Option<&str>) {
        if let (Cell::Text(t), Some(s)) = (&mut *cell, text) {
            t.clear();
            t.push_str(s);
        } else {
            *cell = Cell::text(text);
        }
    }
    cells.resize(LEDGER_COLUMNS.len(), Cell::Blank);
    set(&mut cells[0], Some(e.file));
    cells[1] = Cell::Integer(i64::try_from(e.line).unwrap_or(i64::MAX));
    cells[2] = Cell::Date(e.date);
    set(&mut cells[3], Some(e.budget));
    set(&mut cells[4], Some(e.kind.word()));
    // As `hundredths` writes it, into the cell's own memory.
    let mut amount = match std::mem::replace(&mut cells[5], Cell::Blank) {
        Cell::Number(n) => n.into_bytes(),
        _ => Vec::new(),
    };
    amount.clear();
    crate::figures::push_hundredths(&mut amount, e.amount, b'.');
    cells[5] = Cell::Number(String::from_utf8(amount).expect("digits, a sign and a point"));
    set(&mut cells[6], e.unit);
    set(&mut cells[7], e.reference);
    set(&mut cells[8], e.note);
}

/// One row of `plan export ledger` (streamed as the ledger is read, or of [`ledger_table`]).
pub fn ledger_cells(e: &EntryRef<'_>) -> Vec<Cell> {
    let mut cells = Vec::with_capacity(LEDGER_COLUMNS.len());
    ledger_cells_into(&mut cells, e);
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("test date")
    }

    #[test]
    fn ledger_cells_into_are_ledger_cells() {
        let mut cells = Vec::new();
        for (amount, unit, note) in [
            (5, Some("HR"), None),
            (-105, None, Some("=x")),
            (i64::MAX, Some("a,b"), Some("")),
            (i64::MIN, None, None),
            (123_456_700, Some("Ældre"), Some("n")),
        ] {
            let e = EntryRef {
                date: d("2024-02-29"),
                budget: "b",
                kind: crate::model::EntryKind::Expense,
                amount,
                unit,
                reference: note,
                note,
                file: "ledger.csv",
                line: 7,
            };
            ledger_cells_into(&mut cells, &e);
            assert_eq!(cells, ledger_cells(&e));
            assert_eq!(cells[5], Cell::Number(hundredths(i128::from(amount))));
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round(5, 2), 3);
        assert_eq!(div_round(-5, 2), -3);
        assert_eq!(div_round(4, 3), 1);
        assert_eq!(div_round(-4, 3), -1);
        assert_eq!(div_round(2, 3), 1);
        assert_eq!(hundredths(-105), "-1.05");
        assert_eq!(hundredths(5), "0.05");
        assert_eq!(tenths(1000), "100.0");
        assert_eq!(tenths(-3), "-0.3");
    }

    #[test]
    fn hours_capacity_by_hand() {
        // Helsingør: ¼ årsværk of 1924 hours from 2013-04-01 to 2015-12-31.
        // 2013: 275 of 365 days → 481 × 275/365 = 362.397…; 2014 and 2015: 481 each.
        // Total 362.40 + 962 = 1324.40 hours.
        let fte = Decimal::new(25, 2);
        let hpf = Decimal::from(1924);
        assert_eq!(
            hours_capacity(fte, hpf, d("2013-04-01"), d("2015-12-31")),
            132_440
        );
        // To 2014-06-30: 362.397… + 481 × 181/365 = 362.397… + 238.523… = 600.92.
        assert_eq!(
            hours_capacity(fte, hpf, d("2013-04-01"), d("2014-06-30")),
            60_092
        );
        // A leap year counts 366 days: 1 FTE × 1000 h over 2020-01-01..2020-01-31 = 31/366 × 1000.
        assert_eq!(
            hours_capacity(
                Decimal::ONE,
                Decimal::from(1000),
                d("2020-01-01"),
                d("2020-01-31")
            ),
            8_470
        );
        assert_eq!(
            hours_capacity(
                Decimal::ONE,
                Decimal::from(1000),
                d("2020-02-01"),
                d("2020-01-31")
            ),
            0
        );
    }

    #[test]
    fn figures_per_year_by_hand() {
        // 2,000,000 kr. a year 2023-2026, as of 2025-06-30 (day 181 of 365):
        // 4,000,000 + 2,000,000 × 181/365 = 4,991,780.8219… → 4,991,780.82.
        let years: Vec<(i32, i64)> = (2023..=2026).map(|y| (y, 200_000_000)).collect();
        assert_eq!(years_to_date(&years, d("2025-06-30")), 499_178_082);
        // 31 December: the whole year; 1 January: 1/365 of it.
        assert_eq!(years_to_date(&years, d("2024-12-31")), 400_000_000);
        assert_eq!(years_to_date(&years, d("2023-01-01")), 547_945);
        // A leap year has 366 days: 1,000 h in 2024, as of 2024-02-29 (day 60) = 163.93 h.
        assert_eq!(years_to_date(&[(2024, 100_000)], d("2024-02-29")), 16_393);
        // A year missing from the list counts 0; years before the list are nothing yet.
        assert_eq!(years_to_date(&[(2025, 100_000)], d("2024-06-30")), 0);
        // 337 h in 2025 at 380.45 kr.: to 2025-06-30, 337 × 181/365 = 167.11507 h, worth
        // 63,578.93 kr. (valued from the exact hours; the rounded 167.12 h would give 63,580.80).
        assert_eq!(
            years_to_date_times(&[(2025, 33_700)], d("2025-06-30"), 38_045, 100),
            6_357_893
        );
        // 200.5 h × 380.45 kr. = 76,280.225 → 76,280.23 (half away from zero).
        assert_eq!(value_of_hours(20_050, 38_045), 7_628_023);
    }

    #[test]
    fn burn_up_ends_at_the_reported_figures() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/fjordby");
        for as_of in ["2019-06-30", "2021-03-31", "2022-06-30", "2024-01-01"] {
            let ctx = crate::Context {
                plan_dir: dir.into(),
                as_of: d(as_of),
                today: Date::MAX,
                format: None,
                color_out: false,
                color_err: false,
                lang: crate::render::lang::Lang::En,
                rev: None,
                baseline: None,
            };
            let loaded = crate::load(&ctx).expect("load");
            let plan = loaded.plan.as_ref().expect("plan");
            let figures = figures(plan, &loaded.ledger, ctx.as_of);
            let series = burn_up(plan, &loaded.ledger, ctx.as_of);
            assert_eq!(series.len(), figures.len());
            for (s, f) in series.iter().zip(&figures) {
                // A budget not reported has no spent line at all (SPEC 12.6).
                assert_eq!(
                    s.spent.last().map(|p| p.1),
                    f.spent_shown,
                    "{as_of} {}",
                    f.id
                );
                if let Some(c) = f.committed {
                    assert_eq!(s.committed.last().map(|p| p.1), Some(c), "{as_of} {}", f.id);
                }
                assert_eq!(s.plan.last().map(|p| p.1), Some(f.total));
                // Cumulative series never go back in time.
                assert!(s.spent.windows(2).all(|w| w[0].0 <= w[1].0));
            }
        }
    }
}
