//! Validated domain types: what the reports compute from. Every value here has been
//! checked; nothing here knows about files or spans.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

pub use crate::dates::Date;

/// A day written as an exact date or as a period (SPEC 9.3): `"2026"`, `"2025-H2"`,
/// `"2026-Q1"`, `"2026-03"`. Every rule uses `date`, the day the period counts as (its last
/// day for a due date or an end, its first for a start); reports show it as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When {
    /// The day every rule uses.
    pub date: Date,
    /// The period as written, or `None` for an exact date.
    pub period: Option<String>,
}

impl When {
    /// An exact date.
    pub fn exact(date: Date) -> When {
        When { date, period: None }
    }
}

impl std::fmt::Display for When {
    /// The period as written, or the date as `YYYY-MM-DD`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.period {
            Some(p) => f.write_str(p),
            None => write!(f, "{}", self.date),
        }
    }
}

impl Serialize for When {
    /// As its text: an exact date serializes exactly as a [`Date`] does.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A closed range of days, `start ≤ end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day, inclusive.
    pub start: Date,
    /// Last day, inclusive.
    pub end: Date,
}

impl Period {
    /// Number of days, counting both ends.
    pub fn days(&self) -> i64 {
        crate::dates::days_between(self.start, self.end) + 1
    }

    /// Share of the period gone by `as_of`, in percent, clamped to 0..=100 (SPEC 4, elapsed_pct).
    pub fn elapsed_pct(&self, as_of: Date) -> f64 {
        if as_of < self.start {
            return 0.0;
        }
        let upto = as_of.min(self.end);
        let gone = crate::dates::days_between(self.start, upto) + 1;
        100.0 * gone as f64 / self.days() as f64
    }

    /// Days of the period up to and including `as_of` (0 before the start, all after the end):
    /// the numerator of `elapsed_pct`, for computations in integers.
    pub fn days_gone(&self, as_of: Date) -> i64 {
        if as_of < self.start {
            return 0;
        }
        crate::dates::days_between(self.start, as_of.min(self.end)) + 1
    }

    /// Whether `date` lies in the period (both ends included).
    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }
}

/// What a ledger entry records (SPEC 1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// Money committed to a project.
    Grant,
    /// A commitment given back.
    Release,
    /// Money paid out.
    Expense,
    /// Staff hours used (hours budgets only).
    Hours,
    /// Money saved from this date on (savings budgets only, SPEC 9.6).
    Saving,
}

impl EntryKind {
    /// Every kind with its word, as written in the ledger.
    pub const WORDS: &'static [(&'static str, EntryKind)] = &[
        ("grant", EntryKind::Grant),
        ("release", EntryKind::Release),
        ("expense", EntryKind::Expense),
        ("hours", EntryKind::Hours),
        ("saving", EntryKind::Saving),
    ];

    /// The word written in the ledger.
    pub fn word(self) -> &'static str {
        Self::WORDS
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("", |(w, _)| w)
    }

    /// Whether the kind belongs on an hours budget (only `hours` does).
    pub fn is_hours(self) -> bool {
        self == EntryKind::Hours
    }
}

/// One validated ledger row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The day the entry takes effect.
    pub date: Date,
    /// Index of its budget in [`Plan::budgets`].
    pub budget: usize,
    /// Grant, release, expense or hours.
    pub kind: EntryKind,
    /// Amount in hundredths: øre for money, hundredths of an hour for hours; > 0, except in a
    /// mapped finance-system file, where a negative amount (a correction) reduces the sum.
    pub amount: i64,
    /// Organisational unit, when given.
    pub unit: Option<String>,
    /// Application or case number, when given.
    pub reference: Option<String>,
    /// Free text, when given.
    pub note: Option<String>,
    /// The ledger file, relative to the plan directory.
    pub file: String,
    /// 1-based line of the row in that file.
    pub line: usize,
}

/// One validated ledger row as it is read, borrowed from the reader (`plan export ledger`
/// streams these rather than keep [`Entry`]s; issue 19).
#[derive(Debug, Clone, Copy)]
pub struct EntryRef<'a> {
    /// The day the entry takes effect.
    pub date: Date,
    /// The id of its budget.
    pub budget: &'a str,
    /// Grant, release, expense, hours or saving.
    pub kind: EntryKind,
    /// Amount in hundredths.
    pub amount: i64,
    /// Organisational unit, when given.
    pub unit: Option<&'a str>,
    /// Application or case number, when given.
    pub reference: Option<&'a str>,
    /// Free text, when given.
    pub note: Option<&'a str>,
    /// The ledger file, relative to the plan directory.
    pub file: &'a str,
    /// 1-based line of the row in that file.
    pub line: usize,
}

/// Where the ledger's reader hands each row that passed its checks, in reading order, as
/// soon as it is checked (`plan export ledger` writes them at once; issue 19).
pub trait EntrySink {
    /// One accepted row. `false`: stop reading (the output was closed).
    fn entry(&mut self, entry: &EntryRef<'_>) -> bool;
    /// The ledger is read again from its start (a first reading could not be trusted): the
    /// rows given so far come again.
    fn restart(&mut self);
}

/// The merged ledger of every ledger file, as the reports need it: sums per budget, month and
/// unit over the entries dated on or before the date it was loaded for, accumulated while the
/// files are read, so that its size does not grow with the number of rows.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Per budget, in the order of [`Plan::budgets`] (missing: no entries).
    pub budgets: Vec<BudgetSums>,
    /// Per `ledger` item with `budget_from` (by index in [`Plan::ledger`]): the codes of its
    /// map that matched a row, for W503.
    pub codes_seen: Vec<(usize, std::collections::BTreeSet<String>)>,
    /// Every entry, only when the loader was asked to keep them (`plan export ledger`):
    /// sorted by date; entries of the same day keep file order (files in the order `ledger`
    /// lists them, globs sorted by name).
    pub entries: Vec<Entry>,
    /// `Some(n)`: `entries` holds only the rows appended to the ledger of the `n`-th load of
    /// the same load memo (SPEC 10.5: `plan log` compares an appended ledger by its new
    /// rows); the sums still hold every row.
    pub appended_to: Option<u64>,
}

/// Committed and spent in hundredths.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    /// Σ grant − Σ release.
    pub committed: i128,
    /// Σ expense, or Σ hours.
    pub spent: i128,
}

impl Sums {
    /// Add one entry.
    pub fn add(&mut self, kind: EntryKind, amount: i64) {
        let amount = i128::from(amount);
        match kind {
            EntryKind::Grant => self.committed += amount,
            EntryKind::Release => self.committed -= amount,
            // A saving realised counts where spending does: `spent` is "realised" on a
            // savings budget (SPEC 9.6), so the sums, breakdowns and burn-up serve both.
            EntryKind::Expense | EntryKind::Hours | EntryKind::Saving => self.spent += amount,
        }
    }
}

/// The sums of one budget over its entries dated on or before the ledger's date.
#[derive(Debug, Clone, Default)]
pub struct BudgetSums {
    /// Over all those entries.
    pub total: Sums,
    /// The earliest and the latest of their dates.
    pub first: Option<Date>,
    /// See `first`.
    pub last: Option<Date>,
    /// Per day with entries: months, years and burn-up series follow from these, and there
    /// are never more of them than days in the ledger's span, however many rows.
    pub days: std::collections::BTreeMap<Date, Sums>,
    /// Per named unit (foldhash: this map is looked up once per row).
    pub units: foldhash::HashMap<String, Sums>,
    /// Entries with a blank unit.
    pub no_unit: Option<Sums>,
}

impl Sums {
    /// Add the sums of other entries.
    pub fn merge(&mut self, other: Sums) {
        self.committed += other.committed;
        self.spent += other.spent;
    }
}

impl BudgetSums {
    /// Add one entry.
    pub fn add(&mut self, date: Date, kind: EntryKind, amount: i64, unit: Option<&str>) {
        self.add_but_day(date, kind, amount, unit);
        let mut day = Sums::default();
        day.add(kind, amount);
        self.add_day(date, day);
    }

    /// Add the sums of entries dated `date` to `days` (entries given to
    /// [`BudgetSums::add_but_day`]).
    pub fn add_day(&mut self, date: Date, sums: Sums) {
        // A ledger is a journal: the day is usually the latest one so far.
        match self.days.last_entry() {
            Some(mut last) if *last.key() == date => last.get_mut().merge(sums),
            _ => self.days.entry(date).or_default().merge(sums),
        }
    }

    /// Add one entry to everything but `days`: the caller adds its day up and hands it to
    /// [`BudgetSums::add_day`] (once per day, not per entry).
    pub fn add_but_day(&mut self, date: Date, kind: EntryKind, amount: i64, unit: Option<&str>) {
        self.total.add(kind, amount);
        self.first = Some(self.first.map_or(date, |d| d.min(date)));
        self.last = Some(self.last.map_or(date, |d| d.max(date)));
        match unit {
            None => self.no_unit.get_or_insert_default().add(kind, amount),
            // Look up by &str first: no allocation for a unit already seen.
            Some(unit) => match self.units.get_mut(unit) {
                Some(sums) => sums.add(kind, amount),
                None => self
                    .units
                    .entry(unit.to_owned())
                    .or_default()
                    .add(kind, amount),
            },
        }
    }
}

/// The whole plan: `plan.toml` and its initiatives.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Plan id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Organisation.
    pub organisation: String,
    /// Adopted by.
    pub adopted_by: Option<String>,
    /// Case number.
    pub case: Option<String>,
    /// Coordinator (tovholder).
    pub coordinator: Option<String>,
    /// Purpose.
    pub purpose: Option<String>,
    /// Organisations outside the municipality that share the work (SPEC 9.4).
    pub partners: Vec<String>,
    /// In a portfolio, the plan this one is a sub-plan of (SPEC 13).
    pub parent: Option<String>,
    /// The plan period.
    pub period: Period,
    /// Hours in one full-time equivalent.
    pub hours_per_fte: Decimal,
    /// Days without an update before an initiative is stale.
    pub stale_after_days: i64,
    /// Ledger files or globs, relative to the plan directory, each with its mapping when it
    /// is a finance system's export (SPEC 9.7).
    pub ledger: Vec<LedgerSource>,
    /// Smallest survey group whose figures may be shown.
    pub min_group_size: u64,
    /// Goals.
    pub goals: Vec<Goal>,
    /// Focus areas.
    pub focus_areas: Vec<FocusArea>,
    /// Budgets.
    pub budgets: Vec<Budget>,
    /// Indicators.
    pub indicators: Vec<Indicator>,
    /// Criteria.
    pub criteria: Vec<Criterion>,
    /// Survey waves.
    pub surveys: Vec<Survey>,
    /// Initiatives sorted by number, then id, each followed by its children (SPEC 9.4),
    /// sorted the same way.
    pub initiatives: Vec<std::sync::Arc<Initiative>>,
    /// Survey results: one entry per survey file and indicator, in file order. Filled by the
    /// survey loader after validation; respondent rows are never kept, only per-unit sums.
    pub scores: Vec<SurveyScores>,
    /// Reporting rounds (SPEC 9.5), sorted by date (declaration order among equal dates).
    pub rounds: Vec<Round>,
    /// The plan's own words for the statuses (`[labels]`).
    pub labels: StatusLabels,
    /// Measurement files or globs, relative to the plan directory (SPEC 9.1).
    pub measurement_files: Vec<String>,
    /// Values of measured indicators, in file order. Filled by the measurement loader after
    /// validation.
    pub measurements: Vec<Measurement>,
    /// `baseline` in plan.toml: the revision slippage is measured against (SPEC 10.4).
    pub baseline_rev: Option<String>,
    /// Where the milestones stood at the baseline revision and how often their due dates moved
    /// since (SPEC 10.4). Filled from the git history after validation, like `scores`; `None`
    /// when no baseline is given.
    pub baseline: Option<Baseline>,
}

/// The plan's baseline (SPEC 10.4): each milestone's due date at the baseline revision, and how
/// many first-parent commits since then changed it. Plain data, built from the history by
/// [`Baseline::from_snapshots`]; the reports only read it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Baseline {
    /// The baseline as the user named it (`vedtaget`), shown as "since vedtaget".
    pub name: String,
    /// Per `(initiative id, milestone id)`.
    pub milestones: std::collections::BTreeMap<(String, String), BaselineMilestone>,
}

/// One milestone's baseline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BaselineMilestone {
    /// Its due date at the baseline; `None` for a milestone added since, or one the baseline
    /// had without a due date (unscheduled).
    pub due: Option<Date>,
    /// How many commits since the baseline changed its due date.
    pub moves: u32,
    /// Whether the baseline had the milestone (with a due date or unscheduled): a milestone
    /// it did not have is new since the baseline.
    pub at_baseline: bool,
}

/// The due date of every milestone in one commit, by `(initiative id, milestone id)`; `None`
/// for an unscheduled milestone (it has no due, but it exists).
pub type Dues = std::collections::BTreeMap<(String, String), Option<Date>>;

impl Baseline {
    /// The baseline from the milestones' due dates in each first-parent commit from the
    /// baseline (first) to the revision shown (last). A commit whose plan could not be read is
    /// `None` and is skipped: the next readable commit is compared with the last readable one.
    /// A move is a commit in which a milestone's due differs from the last commit that had the
    /// milestone with a due (a milestone removed and added back with another due counts once;
    /// being scheduled or unscheduled is no move). When the baseline commit itself cannot be
    /// read, no milestone has a baseline due, and every milestone counts as new.
    pub fn from_snapshots(
        name: &str,
        snapshots: impl IntoIterator<Item = Option<Dues>>,
    ) -> Baseline {
        let mut milestones: std::collections::BTreeMap<(String, String), BaselineMilestone> =
            std::collections::BTreeMap::new();
        let mut last: std::collections::BTreeMap<(String, String), Date> =
            std::collections::BTreeMap::new();
        let mut snapshots = snapshots.into_iter();
        // The baseline's own dues; a baseline commit whose plan cannot be read gives none.
        if let Some(Some(dues)) = snapshots.next() {
            for (key, due) in dues {
                milestones.insert(
                    key.clone(),
                    BaselineMilestone {
                        due,
                        moves: 0,
                        at_baseline: true,
                    },
                );
                if let Some(due) = due {
                    last.insert(key, due);
                }
            }
        }
        for dues in snapshots.flatten() {
            for (key, due) in dues {
                let entry = milestones.entry(key.clone()).or_default();
                // Being scheduled, or unscheduled, is not a move: only a due date that
                // differs from the milestone's last one is.
                if let Some(due) = due
                    && last.insert(key, due).is_some_and(|before| before != due)
                {
                    entry.moves += 1;
                }
            }
        }
        Baseline {
            name: name.to_string(),
            milestones,
        }
    }
}

/// The initiative statuses of SPEC 3.1 in the order the rounds export counts them; index
/// into [`Round::reported`] and [`StatusLabels`].
pub const STATUS_WORDS: [&str; 8] = [
    "planned",
    "active",
    "on-track",
    "at-risk",
    "delayed",
    "paused",
    "done",
    "cancelled",
];

/// A reporting round (SPEC 9.5): a date the plan is reported on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    /// Id.
    pub id: String,
    /// Title (the id when none is written).
    pub title: String,
    /// The day of the report.
    pub date: Date,
    /// The counts the meeting was given, in the order of [`STATUS_WORDS`] (0 where none was
    /// written); `None` when the round is computed from the initiatives.
    pub reported: Option<[u64; 8]>,
}

/// The plan's own word for each status, in the order of [`STATUS_WORDS`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusLabels(pub [Option<String>; 8]);

impl Serialize for StatusLabels {
    /// As plan.toml writes it: `{"on-track": "grøn", …}`, the statuses that have a label.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (word, label) in STATUS_WORDS.iter().zip(&self.0) {
            if let Some(label) = label {
                map.serialize_entry(word, label)?;
            }
        }
        map.end()
    }
}

impl StatusLabels {
    /// Whether the plan names none.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    /// The plan's word for the status at `index` of [`STATUS_WORDS`], if it has one.
    pub fn get(&self, index: usize) -> Option<&str> {
        self.0.get(index).and_then(|l| l.as_deref())
    }
}

/// One item of `ledger` in plan.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerSource {
    /// Path or glob, relative to the plan directory.
    pub pattern: String,
    /// How to read the files, when they are not in the canonical form (SPEC 9.7).
    pub mapping: Option<LedgerMapping>,
}

/// How a finance system's export maps onto the ledger's columns (SPEC 9.7). Resolved against
/// each file's header once, before its rows are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerMapping {
    /// Canonical column → the file's own header (columns not named keep their canonical name).
    pub columns: Vec<(String, String)>,
    /// The kind of every row, when fixed.
    pub kind: Option<EntryKind>,
    /// The budget id of every row, when fixed.
    pub budget: Option<String>,
    /// The file's column holding a code, and code → budget id; rows with other codes are skipped.
    pub budget_from: Option<(String, Vec<(String, String)>)>,
    /// `sign = "negate"`: flip the sign of every amount.
    pub negate: bool,
}

impl LedgerMapping {
    /// The file's header for a canonical column.
    pub fn header_of<'a>(&'a self, canonical: &'a str) -> &'a str {
        self.columns
            .iter()
            .find(|(c, _)| c == canonical)
            .map_or(canonical, |(_, h)| h.as_str())
    }
}

/// One row of a measurement file (SPEC 9.1): a measured indicator's value in one wave.
#[derive(Debug, Clone)]
pub struct Measurement {
    /// The indicator id (a measured indicator).
    pub indicator: String,
    /// The wave id (the indicator's baseline or one of its targets).
    pub wave: String,
    /// When the figure became known: it exists from this day.
    pub date: Date,
    /// The value.
    pub value: Decimal,
    /// A named unit (a breakdown row), or `None` for the whole organisation.
    pub unit: Option<String>,
    /// Where the figure comes from.
    pub note: Option<String>,
}

/// A goal.
#[derive(Debug, Clone)]
pub struct Goal {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
}

/// A focus area.
#[derive(Debug, Clone)]
pub struct FocusArea {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
}

/// What a budget holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BudgetKind {
    /// Money, in øre.
    Money {
        /// Total in øre (with `amounts`, their sum).
        amount_ore: i64,
    },
    /// Staff time, as full-time equivalents or as hours per year.
    Hours {
        /// Capacity in FTE; `None` when the budget gives `hours` per year instead.
        fte: Option<Decimal>,
    },
    /// A savings target (SPEC 9.6), in øre.
    Savings {
        /// The target in øre (with `amounts`, their sum).
        amount_ore: i64,
    },
}

impl BudgetKind {
    /// Whether the budget counts hours.
    pub fn is_hours(self) -> bool {
        matches!(self, BudgetKind::Hours { .. })
    }

    /// Whether the budget is a savings target.
    pub fn is_savings(self) -> bool {
        matches!(self, BudgetKind::Savings { .. })
    }

    /// The word of plan.toml and the exports: `money`, `hours` or `savings`.
    pub fn word(self) -> &'static str {
        match self {
            BudgetKind::Money { .. } => "money",
            BudgetKind::Hours { .. } => "hours",
            BudgetKind::Savings { .. } => "savings",
        }
    }
}

/// One source of a budget's money (SPEC 9.6 `funding`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Funding {
    /// Who pays.
    pub source: String,
    /// How much, in øre.
    pub amount_ore: i64,
    /// Whether the money is secured (`secured = false`: applied for, not yet granted).
    pub secured: bool,
}

/// A budget.
#[derive(Debug, Clone)]
pub struct Budget {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Linked initiative.
    pub initiative: Option<String>,
    /// Money, hours or savings.
    pub kind: BudgetKind,
    /// Its period (default: the plan's; with figures per year, 1 January of the first year
    /// through 31 December of the last).
    pub period: Period,
    /// The figure of each calendar year (`amounts` in øre, `hours` in hundredths of an hour),
    /// years ascending; empty when the budget gives one total (`amount`, `fte`).
    pub years: Vec<(i32, i64)>,
    /// Where the money comes from; empty when not given.
    pub funding: Vec<Funding>,
    /// Hours budgets: the value of an hour, in øre per hour.
    pub rate_ore: Option<i64>,
}

/// Whether higher or lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Met when actual ≥ target.
    Increase,
    /// Met when actual ≤ target.
    Decrease,
    /// A context figure (headcount, FTE): shown, never judged (SPEC 12.1).
    None,
}

/// How a target is given (SPEC 5.1, 9.2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TargetRule {
    /// The base (rounded to precision) plus this.
    Delta(Decimal),
    /// This value.
    Value(Decimal),
    /// The base (rounded to precision) × (1 + this / 100).
    ChangePct(Decimal),
}

impl TargetRule {
    /// The target value for a base (SPEC 5.1, 9.2): the base rounded to `precision` (half away
    /// from zero) plus the delta or changed by the percentage, or the given value; in decimal,
    /// rounded to `precision`. `None` when the rule needs a base and there is none (or the
    /// arithmetic overflows). For Helsingør: 6.8 + 0.25 = 7.05 exactly; 285 − 66.7 % = 95.
    pub fn target(self, base: Option<Decimal>, precision: u32) -> Option<Decimal> {
        let round = |d: Decimal| {
            d.round_dp_with_strategy(precision, RoundingStrategy::MidpointAwayFromZero)
        };
        let value = match self {
            TargetRule::Delta(delta) => round(base?).checked_add(delta)?,
            TargetRule::ChangePct(pct) => {
                let factor = Decimal::ONE.checked_add(pct.checked_div(Decimal::ONE_HUNDRED)?)?;
                round(base?).checked_mul(factor)?
            }
            TargetRule::Value(value) => value,
        };
        Some(round(value))
    }

    /// Whether the rule builds on a base (every form but `value`).
    pub fn needs_base(self) -> bool {
        !matches!(self, TargetRule::Value(_))
    }
}

/// What a target's `delta` or `change_pct` is applied to (SPEC 9.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelativeTo {
    /// The baseline, rounded to precision (the default).
    Baseline,
    /// The previous target in the list (the baseline for the first).
    PreviousTarget,
    /// The actual of the previous wave in the list, rounded to precision.
    PreviousActual,
    /// The indicator's projection for the target's own wave (SPEC 12.3).
    Projection,
    /// The value of a wave of the series (`relative_to = "1990"`), named by
    /// [`Target::relative_wave`] (SPEC 12.3).
    Wave,
}

impl RelativeTo {
    /// Every choice with its word.
    pub const WORDS: &'static [(&'static str, RelativeTo)] = &[
        ("baseline", RelativeTo::Baseline),
        ("previous-target", RelativeTo::PreviousTarget),
        ("previous-actual", RelativeTo::PreviousActual),
        ("projection", RelativeTo::Projection),
    ];
}

/// A target for one wave.
#[derive(Debug, Clone)]
pub struct Target {
    /// Wave id.
    pub wave: String,
    /// Delta, value or change in percent.
    pub rule: TargetRule,
    /// What a delta or change is applied to.
    pub relative_to: RelativeTo,
    /// The wave of `relative_to = "1990"` (SPEC 12.3).
    pub relative_wave: Option<String>,
    /// A range's ambition (`value = [commitment, ambition]`, SPEC 12.3): the same form as
    /// `rule`, which holds the commitment.
    pub ambition: Option<TargetRule>,
}

/// Where an indicator's figures come from (SPEC 9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Survey files (`[[survey]]`).
    Survey,
    /// Measurement files (`measurements`): registers, accounts, counts.
    Measurement,
}

/// A measured target: from survey files or measurement files.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The question asked.
    pub question: Option<String>,
    /// Survey or measurement.
    pub source: Source,
    /// Display unit of a measured value (`t CO₂e`), when given.
    pub unit: Option<String>,
    /// Lowest answer (or value); required for survey indicators, optional for measured ones.
    pub scale_min: Option<Decimal>,
    /// Highest answer (or value); present exactly when `scale_min` is.
    pub scale_max: Option<Decimal>,
    /// Decimals for display and the target test.
    pub precision: u32,
    /// Baseline wave; absent when every target is a `value` (SPEC 9.2).
    pub baseline_wave: Option<String>,
    /// Baseline value given in plan.toml.
    pub baseline_value: Option<Decimal>,
    /// Targets in the order written.
    pub targets: Vec<Target>,
    /// Increase, decrease, or none (a context figure).
    pub direction: Direction,
    /// Named splits into part indicators, in name order (SPEC 12.2).
    pub parts: Vec<Split>,
    /// Waves where the series changes definition, with the note (SPEC 12.1).
    pub breaks: Vec<(String, Option<String>)>,
    /// Comparator values (SPEC 12.1).
    pub benchmarks: Vec<Benchmark>,
    /// A business-as-usual forecast: wave and value (SPEC 12.3).
    pub projection: Vec<(String, Decimal)>,
    /// Targets per unit: unit, wave and value (SPEC 12.3).
    pub unit_targets: Vec<(String, String, Decimal)>,
    /// `Some` for a share of respondents (`measure = "share"`, SPEC 12.5); `None` for a mean.
    pub share: Option<Share>,
}

/// One named split of a total into part indicators (SPEC 12.2).
#[derive(Debug, Clone)]
pub struct Split {
    /// The split's name (`sektor`, `scope`).
    pub name: String,
    /// The part indicators' ids.
    pub parts: Vec<String>,
}

/// A comparator value for one wave (SPEC 12.1).
#[derive(Debug, Clone)]
pub struct Benchmark {
    /// The wave.
    pub wave: String,
    /// The value.
    pub value: Decimal,
    /// Whom it describes.
    pub label: Option<String>,
}

/// An initiative's expected change of an indicator by a wave (SPEC 12.4).
#[derive(Debug, Clone)]
pub struct Effect {
    /// The indicator id.
    pub indicator: String,
    /// The wave.
    pub wave: String,
    /// The expected change, in the indicator's unit.
    pub change: Decimal,
    /// What it comes from.
    pub note: Option<String>,
}

/// What a share indicator counts (SPEC 12.5): its figures are 100 × (answers in
/// `positive`) / (valid answers), in %.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    /// The answers that count, on the indicator's scale.
    pub positive: Vec<Decimal>,
}

impl Indicator {
    /// Whether the figures are shares of respondents (in %) rather than means.
    pub fn is_share(&self) -> bool {
        self.share.is_some()
    }
}

/// A qualitative criterion.
#[derive(Debug, Clone)]
pub struct Criterion {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Deadline.
    pub deadline: Date,
    /// When it was achieved, with evidence.
    pub achieved: Option<(Date, Option<String>)>,
}

/// A declared survey file.
#[derive(Debug, Clone)]
pub struct Survey {
    /// Wave id.
    pub wave: String,
    /// When the survey closed.
    pub date: Date,
    /// Path relative to the plan directory.
    pub file: String,
    /// Declared layout.
    pub layout: Option<String>,
    /// Canonical column (or indicator id) → the file's own header.
    pub columns: Vec<ColumnMapping>,
    /// Codes meaning "no answer".
    pub missing: Vec<String>,
    /// How many were invited (SPEC 12.5), when the plan says.
    pub invited: Option<u64>,
    /// Distinct respondents in the file (respondent-level files), or the largest n of any
    /// indicator (aggregated and frequency files): set when the file is read.
    pub respondents: Option<u64>,
}

/// One entry of a `[[survey]]`'s `columns`.
#[derive(Debug, Clone)]
pub struct ColumnMapping {
    /// The canonical name or indicator id.
    pub canonical: String,
    /// The file's own header for it.
    pub header: String,
    /// Where plan.toml writes the header: a diagnostic about a column the file lacks points
    /// here as well as at the file.
    pub written_at: (crate::source::FileId, std::ops::Range<usize>),
}

/// What one survey file says about one unit's answers to one indicator.
#[derive(Debug, Clone)]
pub enum UnitAnswers {
    /// Respondent rows or a frequency table, kept as exact sums (never the rows themselves).
    Answers(crate::stats::Accumulator),
    /// One row of an aggregated file, as the vendor printed it.
    Aggregate {
        /// Number of answers; blank only for a file's single organisation-wide row.
        n: Option<u64>,
        /// Mean score.
        mean: Decimal,
        /// Sample standard deviation, when the vendor gives one.
        sd: Option<Decimal>,
    },
}

/// One unit's answers to one indicator in one survey file.
#[derive(Debug, Clone)]
pub struct UnitScores {
    /// The unit's name as written in the file (blank when the file leaves it blank).
    pub unit: String,
    /// The answers.
    pub answers: UnitAnswers,
}

/// One survey file's results for one indicator.
#[derive(Debug, Clone)]
pub struct SurveyScores {
    /// The wave of the [[survey]] that declares the file.
    pub wave: String,
    /// The survey's closing date: the results exist from this day.
    pub date: Date,
    /// The indicator id.
    pub indicator: String,
    /// The units in the order they first appear in the file.
    pub units: Vec<UnitScores>,
}

/// An initiative.
#[derive(Debug, Clone)]
pub struct Initiative {
    /// Id.
    pub id: String,
    /// Display number.
    pub number: Option<i64>,
    /// Title.
    pub title: String,
    /// Focus area id.
    pub focus_area: Option<String>,
    /// Goal ids.
    pub goals: Vec<String>,
    /// Owner: the lead when several are named.
    pub owner: Option<String>,
    /// The other focus areas that show it, after the one it is listed under (SPEC 12.6).
    pub other_focus_areas: Vec<String>,
    /// The other owners, after the lead (SPEC 12.6).
    pub co_owners: Vec<String>,
    /// The initiative this one is part of (SPEC 9.4).
    pub parent: Option<String>,
    /// How many parents above it: 0 for a top-level initiative.
    pub depth: usize,
    /// Organisations outside the municipality that share the work.
    pub partners: Vec<String>,
    /// Start: a date, or a period standing for its first day.
    pub start: Option<When>,
    /// End: a date, or a period standing for its last day.
    pub end: Option<When>,
    /// Summary.
    pub summary: String,
    /// Tidsplan og økonomi.
    pub schedule: Option<String>,
    /// Hvorfor.
    pub why: Option<String>,
    /// Hvordan.
    pub how: Option<String>,
    /// Hvem.
    pub who: Option<String>,
    /// Kommunikation.
    pub communication: Option<String>,
    /// Milestones in file order.
    pub milestones: Vec<Milestone>,
    /// Updates sorted by date (file order among equal dates).
    pub updates: Vec<Update>,
    /// Expected effects on indicators, in file order (SPEC 12.4).
    pub effects: Vec<Effect>,
}

impl Initiative {
    /// Every owner, the lead first, as shown: `Hjemmeplejen, Sundhed` (SPEC 12.6).
    pub fn owners_text(&self) -> Option<String> {
        let lead = self.owner.as_ref()?;
        Some(
            std::iter::once(lead)
                .chain(&self.co_owners)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", "),
        )
    }

    /// Whether `name` owns or co-owns it (compared without case and surrounding spaces).
    pub fn owned_by(&self, name: &str) -> bool {
        self.owner
            .iter()
            .chain(&self.co_owners)
            .any(|o| owned_by(o, name))
    }
}

/// A milestone.
#[derive(Debug, Clone)]
pub struct Milestone {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Due: a date, or a period standing for its last day; `None` when not scheduled.
    pub due: Option<When>,
    /// Completion date.
    pub done: Option<Date>,
}

/// The status words an update can carry (SPEC 1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpdateStatus {
    /// on-track
    OnTrack,
    /// at-risk
    AtRisk,
    /// delayed
    Delayed,
    /// paused
    Paused,
    /// done
    Done,
    /// cancelled
    Cancelled,
}

impl UpdateStatus {
    /// Every status with its word.
    pub const WORDS: &'static [(&'static str, UpdateStatus)] = &[
        ("on-track", UpdateStatus::OnTrack),
        ("at-risk", UpdateStatus::AtRisk),
        ("delayed", UpdateStatus::Delayed),
        ("paused", UpdateStatus::Paused),
        ("done", UpdateStatus::Done),
        ("cancelled", UpdateStatus::Cancelled),
    ];

    /// The word written in the files.
    pub fn word(self) -> &'static str {
        Self::WORDS
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("", |(w, _)| w)
    }
}

/// A dated status note.
#[derive(Debug, Clone)]
pub struct Update {
    /// Date.
    pub date: Date,
    /// Status; `None` for a note, which keeps the status of the update before it (SPEC 12.6).
    pub status: Option<UpdateStatus>,
    /// Note (shared by the states of a history that read the same update: SPEC 10.5).
    pub note: Option<std::sync::Arc<str>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("test date")
    }

    #[test]
    fn targets_are_exact_decimals() {
        let dec = |s: &str| s.parse::<Decimal>().expect("decimal");
        let t = |rule: TargetRule, base: &str, p| rule.target(Some(dec(base)), p);
        assert_eq!(
            t(TargetRule::Delta(dec("0.25")), "6.8", 2),
            Some(dec("7.05"))
        );
        assert_eq!(
            t(TargetRule::Delta(dec("0.5")), "6.8", 2),
            Some(dec("7.30"))
        );
        assert_eq!(
            t(TargetRule::Delta(dec("0.25")), "6.6", 2),
            Some(dec("6.85"))
        );
        assert_eq!(t(TargetRule::Delta(dec("0.5")), "6.6", 2), Some(dec("7.1")));
        // The baseline is rounded first: 3.45 → 3.5 (half away from zero), + 0.3.
        assert_eq!(
            t(TargetRule::Delta(dec("0.3")), "3.45", 1),
            Some(dec("3.8"))
        );
        assert_eq!(t(TargetRule::Value(dec("2.5")), "3.1", 2), Some(dec("2.5")));
        assert_eq!(
            TargetRule::Value(dec("2.5")).target(None, 2),
            Some(dec("2.5"))
        );
        assert_eq!(TargetRule::Delta(dec("1")).target(None, 2), None);
        // 285 × (1 − 0.667) = 94.905 → 95 at precision 0.
        assert_eq!(
            t(TargetRule::ChangePct(dec("-66.7")), "285", 0),
            Some(dec("95"))
        );
        // −2 % a year from 1000 t: 980, then 960.4 (compounded on the previous target).
        assert_eq!(
            t(TargetRule::ChangePct(dec("-2")), "1000", 1),
            Some(dec("980.0"))
        );
        assert_eq!(
            t(TargetRule::ChangePct(dec("-2")), "980", 1),
            Some(dec("960.4"))
        );
        // Half away from zero: 12.5 × 1.1 = 13.75 → 13.8; −13.75 → −13.8.
        assert_eq!(
            t(TargetRule::ChangePct(dec("10")), "12.5", 1),
            Some(dec("13.8"))
        );
        assert_eq!(
            t(TargetRule::ChangePct(dec("10")), "-12.5", 1),
            Some(dec("-13.8"))
        );
    }

    #[test]
    fn elapsed_counts_both_ends() {
        let p = Period {
            start: d("2013-01-01"),
            end: d("2015-12-31"),
        };
        assert_eq!(p.days(), 365 + 365 + 365);
        assert_eq!(p.elapsed_pct(d("2012-12-31")), 0.0);
        assert_eq!(p.elapsed_pct(d("2013-01-01")), 100.0 / 1095.0);
        // 2013-01-01..2014-06-30 is 365 + 181 days.
        assert!((p.elapsed_pct(d("2014-06-30")) - 100.0 * 546.0 / 1095.0).abs() < 1e-12);
        assert_eq!(p.elapsed_pct(d("2016-05-01")), 100.0);
    }
}

/// Whether `owner` (an initiative's owner as written) names `name` (SPEC 13 `--owner`):
/// compared without case, `name`'s words must appear in `owner` as whole words, in order
/// and next to each other ("Center for Dagtilbud" is owned by "center for dagtilbud", not
/// by "Dagtilbud"; "Dagtilbud" matches both).
pub fn owned_by(owner: &str, name: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let owner = words(owner);
    let name = words(name);
    !name.is_empty() && owner.windows(name.len()).any(|w| w == name.as_slice())
}

#[cfg(test)]
mod owner_tests {
    use super::owned_by;

    #[test]
    fn whole_words_without_case() {
        assert!(owned_by("Center for Dagtilbud", "center for dagtilbud"));
        assert!(owned_by("Center for Dagtilbud og Skole", "Dagtilbud"));
        assert!(!owned_by("Center for Dagtilbud", "Dag"));
        assert!(!owned_by("Center for Dagtilbud", "for Center"));
        assert!(owned_by("Ældre og Sundhed", "ældre"));
        assert!(!owned_by("Center for HR", ""));
    }
}
