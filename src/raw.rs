//! Serde mirrors of the plan files as written on disk: every field the user can get
//! wrong keeps its span, so that validation can point at it. These types are the
//! format reference for `plan.toml` and `initiatives/*.toml` (SPEC 1.1, 1.2).
//!
//! Values whose TOML type may vary (dates as date or string, amounts as integer,
//! float or string) are kept as [`toml::Value`] and checked in `validate`.
//!
//! The same types generate the JSON Schemas of the files (`plan schema`, in `src/schema.rs`):
//! the `///` comments below become the schemas' descriptions, and the `#[schemars]`
//! attributes say what a `Spanned` or `Value` field holds.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::{Spanned, Value};

pub mod value_schema;

/// The scalar part of `plan.toml` (the `[[…]]` arrays are read item by item).
///
/// The keys the format requires are `Option` here all the same, so that one missing key does
/// not hide the other problems of the file; validation reports them, and the JSON Schema
/// marks them `required`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanHeader {
    /// File format version; must be 1 (required).
    #[schemars(with = "Option<i64>", required, extend("const" = 1))]
    pub format: Option<Spanned<Value>>,
    /// The plan's id (required).
    #[schemars(with = "Option<crate::raw::value_schema::Id>", required)]
    pub id: Option<Spanned<String>>,
    /// The plan's title (required).
    #[schemars(required)]
    pub title: Option<String>,
    /// Optional subtitle.
    pub subtitle: Option<String>,
    /// The organisation that owns the plan (required).
    #[schemars(required)]
    pub organisation: Option<String>,
    /// Who adopted it (a council, a committee, an executive board).
    pub adopted_by: Option<String>,
    /// Case or journal number.
    pub case: Option<String>,
    /// Who coordinates the plan (tovholder).
    pub coordinator: Option<String>,
    /// Free text: the plan's purpose.
    pub purpose: Option<String>,
    /// The plan period (required).
    #[schemars(with = "Option<Period>", required)]
    pub period: Option<Spanned<Period>>,
    /// Hours in one full-time equivalent (årsværk); default 1924.
    #[schemars(with = "Option<crate::raw::value_schema::Decimal>")]
    pub hours_per_fte: Option<Spanned<Value>>,
    /// Days without an update before an initiative is stale; default 90.
    #[schemars(with = "Option<i64>", extend("minimum" = 1))]
    pub stale_after_days: Option<Spanned<i64>>,
    /// Organisations outside the municipality that share the work.
    pub partners: Option<Vec<String>>,
    /// In a portfolio (SPEC 13): the id of the plan this one is a sub-plan of.
    #[schemars(with = "Option<crate::raw::value_schema::Id>")]
    pub parent: Option<Spanned<String>>,
    /// Ledger files or globs, relative to the plan directory; default `["ledger.csv"]`. An
    /// item may be a table that maps a finance system's export (SPEC 9.7).
    #[schemars(with = "Option<Vec<LedgerItemSchema>>")]
    pub ledger: Option<Vec<Spanned<LedgerItem>>>,
    /// Measurement files or globs (values of measured indicators), relative to the plan
    /// directory; default `["measurements.csv"]`, which may be absent.
    #[schemars(with = "Option<Vec<String>>")]
    pub measurements: Option<Vec<Spanned<String>>>,
    /// Respondent privacy settings.
    pub privacy: Option<Privacy>,
    /// The plan's own word for a status (`on-track = "grøn"`): tables, the status screen and
    /// the report show it; exports keep the canonical words.
    pub labels: Option<StatusCounts<String>>,
    /// The plan as adopted: a git revision (usually a tag, such as `vedtaget`) against which
    /// `status`, the initiative card, the milestones export and the report show how far each
    /// milestone's due date has slipped and how often it moved (SPEC 10.4). `--baseline REV`
    /// overrides it for one run. Needs the plan's git history (not a shallow clone).
    pub baseline: Option<String>,
}

/// One entry per initiative status of SPEC 3.1: `[labels]` (the plan's word for each) and a
/// round's `reported` counts. Any other key is an error that suggests the nearest status.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusCounts<T> {
    /// Not started, no update yet.
    #[schemars(with = "Option<T>")]
    pub planned: Option<Spanned<T>>,
    /// Started, no update at all.
    #[schemars(with = "Option<T>")]
    pub active: Option<Spanned<T>>,
    /// On track.
    #[serde(rename = "on-track")]
    #[schemars(with = "Option<T>")]
    pub on_track: Option<Spanned<T>>,
    /// At risk.
    #[serde(rename = "at-risk")]
    #[schemars(with = "Option<T>")]
    pub at_risk: Option<Spanned<T>>,
    /// Delayed.
    #[schemars(with = "Option<T>")]
    pub delayed: Option<Spanned<T>>,
    /// Paused.
    #[schemars(with = "Option<T>")]
    pub paused: Option<Spanned<T>>,
    /// Done.
    #[schemars(with = "Option<T>")]
    pub done: Option<Spanned<T>>,
    /// Cancelled.
    #[schemars(with = "Option<T>")]
    pub cancelled: Option<Spanned<T>>,
}

impl<T> StatusCounts<T> {
    /// The entries in the order of SPEC 3.1's statuses (`model::STATUS_WORDS`).
    pub fn entries(&self) -> [Option<&Spanned<T>>; 8] {
        [
            self.planned.as_ref(),
            self.active.as_ref(),
            self.on_track.as_ref(),
            self.at_risk.as_ref(),
            self.delayed.as_ref(),
            self.paused.as_ref(),
            self.done.as_ref(),
            self.cancelled.as_ref(),
        ]
    }
}

/// `[[round]]`: a date the plan is reported on (a committee meeting), SPEC 9.5.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Round {
    /// Unique round id (`"2025-2"`).
    #[schemars(with = "crate::raw::value_schema::Id")]
    pub id: Spanned<String>,
    /// Title (`"Status 2/2025"`); default the id.
    pub title: Option<String>,
    /// The day the plan was reported on.
    #[schemars(with = "crate::raw::value_schema::Date")]
    pub date: Spanned<Value>,
    /// The counts the meeting was given, per status (`{ done = 3, on-track = 8 }`), when the
    /// initiatives' own statuses then are not recorded.
    #[schemars(with = "Option<StatusCounts<u32>>")]
    pub reported: Option<Spanned<StatusCounts<i64>>>,
}

/// One item of `ledger`: a path or glob of canonical ledger files, or a mapped file.
#[derive(Debug, Clone)]
pub enum LedgerItem {
    /// `"ledger.csv"`, `"ledger/*.csv"`.
    Path(String),
    /// `{ file = "okonomi/opus-*.csv", columns = { … }, … }`.
    Mapped(Box<LedgerTable>),
}

impl<'de> Deserialize<'de> for LedgerItem {
    // By hand rather than `#[serde(untagged)]`: an untagged enum buffers its input and loses
    // the spans of the table's fields, which the diagnostics point at.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Item;
        impl<'de> serde::de::Visitor<'de> for Item {
            type Value = LedgerItem;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a path, or a table with `file` and `columns`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<LedgerItem, E> {
                Ok(LedgerItem::Path(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<LedgerItem, A::Error> {
                LedgerTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|t| LedgerItem::Mapped(Box::new(t)))
            }
        }
        deserializer.deserialize_any(Item)
    }
}

/// The JSON Schema of a `ledger` item (the type the loader reads is [`LedgerItem`]).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum LedgerItemSchema {
    /// A path or glob of ledger files in the canonical form (SPEC 1.3).
    Path(String),
    /// A finance system's export, mapped to the canonical columns (SPEC 9.7).
    Mapped(Box<LedgerTable>),
}

/// A ledger item as a table (SPEC 9.7): a finance system's export committed untouched.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerTable {
    /// Path or glob of the files, relative to the plan directory.
    #[schemars(with = "String")]
    pub file: Spanned<String>,
    /// Canonical column (`date`, `budget`, `kind`, `amount`, `unit`, `ref`, `note`) → the
    /// file's own header.
    #[schemars(with = "Option<BTreeMap<String, String>>")]
    pub columns: Option<BTreeMap<String, Spanned<String>>>,
    /// The kind of every row (then the file needs no kind column).
    #[schemars(with = "Option<String>", extend("enum" = ["grant", "release", "expense", "hours", "saving"]))]
    pub kind: Option<Spanned<String>>,
    /// The budget of every row (then the file needs no budget column).
    #[schemars(with = "Option<crate::raw::value_schema::Id>")]
    pub budget: Option<Spanned<String>>,
    /// The budget from a column of the file, through a map of its codes.
    #[schemars(with = "Option<BudgetFrom>")]
    pub budget_from: Option<Spanned<BudgetFrom>>,
    /// `"negate"`: flip the sign of every amount (finance systems print expenses negative).
    #[schemars(with = "Option<String>", extend("enum" = ["negate"]))]
    pub sign: Option<Spanned<String>>,
}

/// `budget_from = { column = "Art", map = { "4711" = "klimapulje" } }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetFrom {
    /// The file's column that holds the code.
    #[schemars(with = "String")]
    pub column: Spanned<String>,
    /// Code → budget id; rows with another code are skipped.
    #[schemars(with = "BTreeMap<String, crate::raw::value_schema::Id>")]
    pub map: BTreeMap<String, Spanned<String>>,
}

/// `[privacy]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    /// Smallest group whose survey figures may be shown; default 5.
    #[schemars(with = "Option<i64>", extend("minimum" = 1))]
    pub min_group_size: Option<Spanned<i64>>,
}

/// `{ start = …, end = … }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First day, inclusive.
    #[schemars(with = "crate::raw::value_schema::Date")]
    pub start: Spanned<Value>,
    /// Last day, inclusive.
    #[schemars(with = "crate::raw::value_schema::Date")]
    pub end: Spanned<Value>,
}

/// `[[goal]]`: an overall goal of the plan, which initiatives may name in `goals`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// Unique goal id.
    #[schemars(with = "crate::raw::value_schema::Id")]
    pub id: Spanned<String>,
    /// The goal in words.
    pub title: String,
}

/// `[[focus_area]]`: a theme of the plan, which an initiative may name in `focus_area`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusArea {
    /// Unique focus-area id.
    #[schemars(with = "crate::raw::value_schema::Id")]
    pub id: Spanned<String>,
    /// Short title.
    pub title: String,
    /// Optional longer text.
    pub description: Option<String>,
}

/// `[[budget]]`: a pot of money or of staff time.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Unique budget id, referenced by ledger rows.
    #[schemars(with = "crate::raw::value_schema::Id")]
    pub id: Spanned<String>,
    /// Title.
    pub title: String,
    /// Optional link to an initiative id.
    #[schemars(with = "Option<crate::raw::value_schema::Id>")]
    pub initiative: Option<Spanned<String>>,
    /// `"money"`, `"hours"` or `"savings"` (a savings target, realised by `saving` ledger rows).
    #[schemars(with = "String", extend("enum" = ["money", "hours", "savings"]))]
    pub kind: Spanned<String>,
    /// Money and savings budgets: total in DKK (integer, decimal with ≤ 2 decimals, or a string of one).
    #[schemars(with = "Option<crate::raw::value_schema::Decimal>")]
    pub amount: Option<Spanned<Value>>,
    /// Money and savings budgets, instead of `amount`: DKK per calendar year
    /// (`{ 2023 = 2000000, 2024 = 2000000 }`); the total is their sum.
    #[schemars(with = "Option<crate::raw::value_schema::PerYear>")]
    pub amounts: Option<Spanned<BTreeMap<String, Spanned<Value>>>>,
    /// Hours budgets: capacity in full-time equivalents.
    #[schemars(with = "Option<crate::raw::value_schema::Decimal>")]
    pub fte: Option<Spanned<Value>>,
    /// Hours budgets, instead of `fte`: hours per calendar year (`{ 2025 = 337, 2026 = 303 }`).
    #[schemars(with = "Option<crate::raw::value_schema::PerYear>")]
    pub hours: Option<Spanned<BTreeMap<String, Spanned<Value>>>>,
    /// Hours budgets: kroner per hour, to show what the hours are worth.
    #[schemars(with = "Option<crate::raw::value_schema::Decimal>")]
    pub rate: Option<Spanned<Value>>,
    /// Where the money comes from (display only; a warning when it does not add up to the total).
    #[schemars(with = "Option<Vec<Funding>>")]
    pub funding: Option<Spanned<Vec<Funding>>>,
    /// Optional period; default the plan period.
    #[schemars(with = "Option<Period>")]
    pub period: Option<Spanned<Period>>,
}

/// One source of a budget's money: `{ source = "Ekstern pulje", amount = 5200000 }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    /// Who pays.
    pub source: String,
    /// How much, in DKK.
    #[schemars(with = "crate::raw::value_schema::Decimal")]
    pub amount: Spanned<Value>,
    /// `false` while the money is not yet secured (applied for, not granted); default `true`.
    pub secured: Option<bool>,
}

/// `[[indicator]]`: a measured target.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Unique indicator id, used in survey and measurement files.
    #[schemars(with = "crate::raw::value_schema::Id")]
    pub id: Spanned<String>,
    /// Title.
    pub title: String,
    /// The survey question, optional.
    pub question: Option<String>,
    /// `"survey"` (default: figures from `[[survey]]` files) or `"measurement"` (figures from
    /// the measurement files: registers, accounts, counts).
    #[schemars(with = "Option<String>", extend("enum" = ["survey", "measurement"]))]
    pub source: Option<Spanned<String>>,
    /// Display unit of a measured value (`"%"`, `"t CO₂e"`), optional.
    pub unit: Option<String>,
    /// The answer scale: required for survey indicators, optional for measured ones (values
    /// outside it are errors).
    #[schemars(with = "Option<Scale>")]
    pub scale: Option<Spanned<Scale>>,
    /// Decimals for display and for the target test; default 2.
    #[schemars(with = "Option<i64>", extend("minimum" = 0, "maximum" = 6))]
    pub precision: Option<Spanned<i64>>,
    /// The baseline wave and, optionally, its value; may be left out when every target is a
    /// `value`.
    #[schemars(with = "Option<Baseline>")]
    pub baseline: Option<Spanned<Baseline>>,
    /// Targets, one per wave.
    #[schemars(with = "Vec<Target>")]
    pub target: Vec<Spanned<Target>>,
    /// `"increase"` (default), `"decrease"`, or `"none"`: a context figure (headcount, FTE),
    /// shown and never judged (SPEC 12.1).
    #[schemars(with = "Option<String>", extend("enum" = ["increase", "decrease", "none"]))]
    pub direction: Option<Spanned<String>>,
    /// Named splits of the total into other indicators (`parts.sektor = ["udl-energi", …]`):
    /// each list adds up to this indicator (SPEC 12.2).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Vec<crate::raw::value_schema::Id>>")]
    pub parts: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    /// Waves where the series changes definition: no change is computed or drawn across them
    /// (SPEC 12.1).
    #[serde(default)]
    pub breaks: Vec<SeriesBreak>,
    /// Comparator values, shown beside the actual of their wave, never judged (SPEC 12.1).
    #[serde(default)]
    pub benchmarks: Vec<Benchmark>,
    /// A business-as-usual forecast, one value per wave: the reference of an effect's needed
    /// change, and the base of `relative_to = "projection"` (SPEC 12.3, 12.4).
    #[serde(default)]
    pub projection: Vec<ProjectionPoint>,
    /// Targets per unit, judged in `--by unit` (SPEC 12.3).
    #[serde(default)]
    pub unit_targets: Vec<UnitTarget>,
    /// `"mean"` (default: the mean answer) or `"share"` (the share of answers in `positive`,
    /// in %; SPEC 12.5).
    #[schemars(with = "Option<String>", extend("enum" = ["mean", "share"]))]
    pub measure: Option<Spanned<String>>,
    /// The answers a share counts (scores on the scale, such as `[4, 5]`); only with
    /// `measure = "share"`.
    #[schemars(with = "Option<Vec<crate::raw::value_schema::Decimal>>")]
    pub positive: Option<Spanned<Vec<Spanned<Value>>>>,
}

/// `unit_targets = [ { unit = …, wave = …, value = … } ]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitTarget {
    /// The unit, as the survey or measurement file names it.
    pub unit: String,
    /// The wave.
    #[schemars(with = "String")]
    pub wave: Spanned<String>,
    /// The unit's target value.
    #[schemars(with = "crate::raw::value_schema::Decimal")]
    pub value: Spanned<Value>,
}

/// `breaks = [ { wave = …, note = … } ]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesBreak {
    /// The first wave of the new definition.
    #[schemars(with = "String")]
    pub wave: Spanned<String>,
    /// What changed.
    pub note: Option<String>,
}

/// `benchmarks = [ { wave = …, value = …, label = … } ]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Benchmark {
    /// The wave it compares with.
    #[schemars(with = "String")]
    pub wave: Spanned<String>,
    /// The comparator's value.
    #[schemars(with = "crate::raw::value_schema::Decimal")]
    pub value: Spanned<Value>,
    /// Whom it describes ("Kommuner i Region Sjælland").
    pub label: Option<String>,
}

/// `projection = [ { wave = …, value = … } ]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectionPoint {
    /// The wave.
    #[schemars(with = "String")]
    pub wave: Spanned<String>,
    /// The forecast value for that wave.
    #[schemars(with = "crate::raw::value_schema::Decimal")]
    pub value: Spanned<Value>,
}

/// `scale = { min = …, max = … }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Lowest possible answer.
    #[schemars(with = "crate::raw::value_schema::Decimal")]
    pub min: Spanned<Value>,
    /// Highest possible answer.
    #[schemars(with = "crate::raw::value_schema::Decimal")]
    pub max: Spanned<Value>,
}

/// `baseline = { wave = …, value = … }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The baseline wave id.
    #[schemars(with = "String")]
    pub wave: Spanned<String>,
    /// The published baseline value, when no survey or measurement file gives it.
    #[schemars(with = "Option<crate::raw::value_schema::Decimal>")]
    pub value: Option<Spanned<Value>>,
}

/// One element of `target = [ … ]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// The wave the target applies to.
    #[schemars(with = "String")]
    pub wave: Spanned<String>,
    /// Added to the base (exactly one of `delta`, `value` and `change_pct`).
    #[schemars(with = "Option<crate::raw::value_schema::Decimal>")]
    pub delta: Option<Spanned<Value>>,
    /// An absolute target.
    #[schemars(with = "Option<crate::raw::value_schema::Decimal>")]
    pub value: Option<Spanned<Value>>,
    /// A change of the base in percent (`-2` for 2 % less): target = base × (1 + change_pct / 100).
    #[schemars(with = "Option<crate::raw::value_schema::Decimal>")]
    pub change_pct: Option<Spanned<Value>>,
    /// The base of `delta` and `change_pct`: `"baseline"` (default), `"previous-target"`,
    /// `"previous-actual"` or `"projection"` (the projection for the target's wave).
    #[schemars(with = "Option<String>", extend("enum" = ["baseline", "previous-target", "previous-actual", "projection"]))]
    pub relative_to: Option<Spanned<String>>,
}

/// `[[criterion]]`: a qualitative success criterion.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Unique criterion id.
    #[schemars(with = "crate::raw::value_schema::Id")]
    pub id: Spanned<String>,
    /// The criterion in words.
    pub title: String,
    /// The last day it can be met on time.
    #[schemars(with = "crate::raw::value_schema::Date")]
    pub deadline: Spanned<Value>,
    /// When and how it was achieved; absent while it is not.
    #[schemars(with = "Option<Achieved>")]
    pub achieved: Option<Spanned<Achieved>>,
}

/// `achieved = { date = …, evidence = … }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Achieved {
    /// The day it was achieved.
    #[schemars(with = "crate::raw::value_schema::Date")]
    pub date: Spanned<Value>,
    /// What shows it.
    pub evidence: Option<String>,
}

/// `[[survey]]`: one file of survey results for one wave.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    /// Wave id, referenced by indicators.
    #[schemars(with = "String")]
    pub wave: Spanned<String>,
    /// When the survey closed; results count from this date.
    #[schemars(with = "crate::raw::value_schema::Date")]
    pub date: Spanned<Value>,
    /// Path of the CSV file, relative to the plan directory.
    #[schemars(with = "String")]
    pub file: Spanned<String>,
    /// `"aggregated"`, `"respondents"` or `"frequencies"`; detected when absent.
    #[schemars(with = "Option<String>", extend("enum" = ["aggregated", "respondents", "frequencies"]))]
    pub layout: Option<Spanned<String>>,
    /// Canonical column name (or indicator id) → the file's own header.
    #[schemars(with = "Option<BTreeMap<String, String>>")]
    pub columns: Option<BTreeMap<String, Spanned<String>>>,
    /// Answer codes that mean "no answer".
    pub missing: Option<Vec<String>>,
    /// How many were invited to answer: the wave's response rate is its respondents ÷
    /// invited (SPEC 12.5).
    #[schemars(with = "Option<i64>", extend("minimum" = 1))]
    pub invited: Option<Spanned<i64>>,
}

/// The scalar part of an initiative file (`[[milestone]]` and `[[update]]` are read item by item).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitiativeHeader {
    /// Unique initiative id (required).
    #[schemars(with = "Option<crate::raw::value_schema::Id>", required)]
    pub id: Option<Spanned<String>>,
    /// Optional display order.
    #[schemars(with = "Option<i64>")]
    pub number: Option<Spanned<i64>>,
    /// Title (required).
    #[schemars(required)]
    pub title: Option<String>,
    /// A `[[focus_area]]` id, or a list of them: the initiative is listed under the first, and
    /// the others show it too (SPEC 12.6).
    #[schemars(with = "Option<FocusAreasSchema>")]
    pub focus_area: Option<Spanned<FocusAreas>>,
    /// `[[goal]]` ids.
    #[schemars(with = "Option<Vec<crate::raw::value_schema::Id>>")]
    pub goals: Option<Vec<Spanned<String>>>,
    /// The unit with main responsibility, or a list of them whose first is the lead (SPEC 12.6).
    pub owner: Option<Owners>,
    /// The id of the initiative this one is part of (measures 4a, 4b, 4c under 4).
    #[schemars(with = "Option<crate::raw::value_schema::Id>")]
    pub parent: Option<Spanned<String>>,
    /// Organisations outside the municipality that share the work.
    pub partners: Option<Vec<String>>,

    /// First day: a date, or a period that counts as its first day. May be left out when it
    /// is not known: no rule that needs it applies (SPEC 12.6).
    #[schemars(with = "Option<crate::raw::value_schema::DateOrPeriod>")]
    pub start: Option<Spanned<Value>>,
    /// Last day, optional: a date, or a period that counts as its last day.
    #[schemars(with = "Option<crate::raw::value_schema::DateOrPeriod>")]
    pub end: Option<Spanned<Value>>,
    /// What the initiative is, in the plan's words (required).
    #[schemars(required)]
    pub summary: Option<String>,
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
}

/// An initiative's `focus_area`: one id, or several, each with its span (SPEC 12.6).
#[derive(Debug, Clone)]
pub enum FocusAreas {
    /// One id (its span is the field's).
    One(String),
    /// Several ids; the first is where the initiative is listed.
    Many(Vec<Spanned<String>>),
}

impl FocusAreas {
    /// The ids with their spans, the first first; `at` is the span of the whole field.
    pub fn ids(&self, at: std::ops::Range<usize>) -> Vec<Spanned<String>> {
        match self {
            FocusAreas::One(id) => vec![Spanned::new(at, id.clone())],
            FocusAreas::Many(ids) => ids.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for FocusAreas {
    // By hand, like `LedgerItem`: an untagged enum would lose the spans of the list's ids.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Ids;
        impl<'de> serde::de::Visitor<'de> for Ids {
            type Value = FocusAreas;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a focus area id, or a list of them")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FocusAreas, E> {
                Ok(FocusAreas::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<FocusAreas, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element::<Spanned<String>>()? {
                    ids.push(id);
                }
                Ok(FocusAreas::Many(ids))
            }
        }
        deserializer.deserialize_any(Ids)
    }
}

/// The JSON Schema of `focus_area` (the type the loader reads is [`FocusAreas`]).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum FocusAreasSchema {
    /// One `[[focus_area]]` id.
    One(crate::raw::value_schema::Id),
    /// Several, the first where the initiative is listed.
    Many(Vec<crate::raw::value_schema::Id>),
}

/// An initiative's `owner`: one name, or several, the lead first (SPEC 12.6). Untagged: the
/// field carries no span, so nothing is lost.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Owners {
    /// One owner.
    One(String),
    /// Several owners; the first is the lead.
    Many(Vec<String>),
}

impl Owners {
    /// The owners, the lead first, blanks left out.
    pub fn names(&self) -> Vec<String> {
        let names = match self {
            Owners::One(one) => std::slice::from_ref(one),
            Owners::Many(many) => many.as_slice(),
        };
        names
            .iter()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect()
    }
}

/// `[[milestone]]` in an initiative file: a dated step, done or not.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Id, unique within the initiative.
    #[schemars(with = "crate::raw::value_schema::Id")]
    pub id: Spanned<String>,
    /// Title.
    pub title: String,
    /// Due: a date, or a period (`"2026"`, `"2025-H2"`, `"2026-Q1"`, `"2026-03"`) that counts
    /// as its last day; absent when the milestone is not scheduled.
    #[schemars(with = "Option<crate::raw::value_schema::DateOrPeriod>")]
    pub due: Option<Spanned<Value>>,
    /// Completion date, optional.
    #[schemars(with = "Option<crate::raw::value_schema::Date>")]
    pub done: Option<Spanned<Value>>,
}

/// `[[update]]` in an initiative file: a dated status note.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Update {
    /// The day of the note.
    #[schemars(with = "crate::raw::value_schema::Date")]
    pub date: Spanned<Value>,
    /// on-track | at-risk | delayed | paused | done | cancelled; optional: an update without a
    /// status is a note, which counts as a report and keeps the status before it (SPEC 12.6).
    #[schemars(with = "Option<crate::raw::value_schema::UpdateStatus>")]
    pub status: Option<Spanned<String>>,
    /// The note itself (optional: a status change may need no words).
    pub note: Option<String>,
}

/// A span moved by `by` bytes (text before it grew or shrank); `None` past either end.
fn moved<T>(value: Spanned<T>, by: isize) -> Option<Spanned<T>> {
    let span = value.span();
    let at = span.start.checked_add_signed(by)?..span.end.checked_add_signed(by)?;
    Some(Spanned::new(at, value.into_inner()))
}

/// An optional value's span moved (see [`moved`]): `Some(None)` when there is none.
fn moved_opt<T>(value: Option<Spanned<T>>, by: isize) -> Option<Option<Spanned<T>>> {
    match value {
        Some(v) => Some(Some(moved(v, by)?)),
        None => Some(None),
    }
}

/// A `[[…]]` item of an initiative file read where text before it grew or shrank by `by`
/// bytes (SPEC 10.5: a file read for what changed): the same item, its spans moved to where
/// they are now. Each implementation destructures the item whole, so that a field added to
/// it is not left at its old place.
pub trait Moved: Sized {
    /// The item with its spans moved; `None` when one would leave the text.
    fn moved(self, by: isize) -> Option<Self>;
}

impl Moved for Update {
    fn moved(self, by: isize) -> Option<Update> {
        let Update { date, status, note } = self;
        Some(Update {
            date: moved(date, by)?,
            status: moved_opt(status, by)?,
            note,
        })
    }
}

impl Moved for Milestone {
    fn moved(self, by: isize) -> Option<Milestone> {
        let Milestone {
            id,
            title,
            due,
            done,
        } = self;
        Some(Milestone {
            id: moved(id, by)?,
            title,
            due: moved_opt(due, by)?,
            done: moved_opt(done, by)?,
        })
    }
}

impl Moved for Effect {
    fn moved(self, by: isize) -> Option<Effect> {
        let Effect {
            indicator,
            wave,
            change,
            note,
        } = self;
        Some(Effect {
            indicator: moved(indicator, by)?,
            wave: moved(wave, by)?,
            change: moved(change, by)?,
            note,
        })
    }
}

/// `[[effect]]` in an initiative file: the change the initiative is expected to make to an
/// indicator by a wave (SPEC 12.4).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Effect {
    /// The indicator id.
    #[schemars(with = "crate::raw::value_schema::Id")]
    pub indicator: Spanned<String>,
    /// The wave by which the change is expected.
    #[schemars(with = "String")]
    pub wave: Spanned<String>,
    /// The expected change, in the indicator's unit (negative for a reduction).
    #[schemars(with = "crate::raw::value_schema::Decimal")]
    pub change: Spanned<Value>,
    /// What the effect comes from.
    pub note: Option<String>,
}
