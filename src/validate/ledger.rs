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

use foldhash::HashSet;
use std::ops::Range;

use rust_decimal::Decimal;

use super::values::{Ctx, DateLimits, Dated};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::figures::hundredths;
use crate::load::csv::{self, Dialect, Field, trimmed};
use crate::load::ledger_rows::{LedgerFile, LedgerRow};
use crate::model::{
    BudgetKind, BudgetSums, Date, Entry, EntryKind, EntryRef, EntrySink, Ledger, Plan, Sums,
};
use crate::source::{FileId, Segment};

/// One field of a ledger row, borrowed: from a [`LedgerRow`] or straight from a stream's buffer.
#[derive(Debug, Clone)]
pub struct FieldRef<'a> {
    /// The value, unquoted, not trimmed.
    pub value: &'a str,
    /// Byte range in the decoded file.
    pub span: Range<usize>,
}

impl<'a> From<&'a Field> for FieldRef<'a> {
    fn from(f: &'a Field) -> Self {
        FieldRef {
            value: &f.value,
            span: f.span.clone(),
        }
    }
}

/// One data row of a ledger file, borrowed.
#[derive(Debug, Clone)]
pub struct RowRef<'a> {
    /// 1-based line where the row starts.
    pub line: usize,
    /// `date`.
    pub date: FieldRef<'a>,
    /// `budget`.
    pub budget: FieldRef<'a>,
    /// `kind`.
    pub kind: FieldRef<'a>,
    /// `amount`.
    pub amount: FieldRef<'a>,
    /// `unit`, when the file has the column.
    pub unit: Option<FieldRef<'a>>,
    /// `ref`, when the file has the column.
    pub reference: Option<FieldRef<'a>>,
    /// `note`, when the file has the column.
    pub note: Option<FieldRef<'a>>,
}

impl<'a> From<&'a LedgerRow> for RowRef<'a> {
    fn from(r: &'a LedgerRow) -> Self {
        RowRef {
            line: r.line,
            date: (&r.date).into(),
            budget: (&r.budget).into(),
            kind: (&r.kind).into(),
            amount: (&r.amount).into(),
            unit: r.unit.as_ref().map(Into::into),
            reference: r.reference.as_ref().map(Into::into),
            note: r.note.as_ref().map(Into::into),
        }
    }
}

/// The record a row came from, for a file read as a stream: a warning decided after the
/// record has left the buffer can still show it.
#[derive(Debug, Clone, Copy)]
pub struct RecordText<'a> {
    /// Offset of the record in the decoded file.
    pub start: usize,
    /// Its 1-based line.
    pub line: usize,
    /// Its text.
    pub text: &'a str,
}

impl RecordText<'_> {
    fn to_segment(self) -> Segment {
        Segment {
            start: self.start,
            line: self.line,
            text: self.text.into(),
        }
    }
}

/// Validate every row of every ledger file against the plan's budgets: the ledger of files
/// read whole (see [`LedgerBuilder`] for the rules and the figures).
pub fn validate_ledger(
    files: &[LedgerFile],
    plan: &Plan,
    declared: &HashSet<&str>,
    as_of: Date,
    diags: &mut Diagnostics,
) -> Ledger {
    let mut builder = LedgerBuilder::new(plan, declared, as_of, true, true);
    for f in files {
        builder.begin_file(f.file, &f.shown, f.dialect);
        for row in &f.rows {
            builder.row(&RowRef::from(row), None, diags);
        }
    }
    builder.finish(diags).0
}

/// The rows of every ledger file, validated and added up in one pass, in file order.
///
/// Each row is checked (the errors of this module's header) and, when valid, added to the
/// sums the reports need (per budget, month and unit, over the entries dated ≤ as-of) and
/// checked for W104. The order-dependent warnings W101–W103 follow the entries in date order:
/// when every budget's entries come in date order (a ledger is a journal), that is the order
/// they are read in, and they are judged as they come ("online"); [`LedgerBuilder::finish`]
/// says when they did not, and the caller reads the ledger again with a builder that holds
/// and sorts them ("sorted"). Nothing per row is kept otherwise, unless `keep_entries`
/// (`plan export ledger`).
pub struct LedgerBuilder<'p> {
    plan: &'p Plan,
    declared: &'p HashSet<&'p str>,
    budget_index: foldhash::HashMap<&'p str, usize>,
    as_of: Date,
    keep_entries: bool,
    /// Hold the order-dependent events and sort them at the end, rather than judge online.
    sorted: bool,
    /// Judge W101–W103 at all: not when reading on from where an earlier state's ledger
    /// ended ([`LedgerBuilder::resume`]).
    grants: bool,
    file: FileId,
    shown: String,
    dialect: Dialect,
    /// The current file is a mapped finance-system file (SPEC 9.7): amounts may be negative
    /// after the sign rule; `Some(true)` when its amounts are negated.
    signed: Option<bool>,
    sums: Vec<BudgetSums>,
    entries: Vec<Entry>,
    /// Per budget: the date of the last entry judged online.
    last_date: Vec<Option<Date>>,
    out_of_order: bool,
    events: Vec<Event>,
    book: GrantBook,
    /// The last date text read and its date: a journal has many rows a day, so most dates
    /// are the text of the row before.
    last_day: Option<([u8; 10], Date)>,
    /// Per budget: the day of its last entry and the sums of that day's entries so far, not
    /// yet in its [`BudgetSums::days`] (they are by [`LedgerBuilder::finish`]).
    open_days: Vec<Option<(Date, Sums)>>,
    /// Rows dated after the latest day these allow for what has happened are W005.
    limits: Option<DateLimits>,
    /// Where each accepted row goes as it is read (`plan export ledger`; issue 19).
    sink: Option<&'p mut dyn EntrySink>,
    /// The sink asked to stop reading.
    stopped: bool,
}

/// What [`LedgerBuilder::finish`] found besides the ledger.
#[derive(Debug, Default)]
pub struct Finished {
    /// Records that diagnostics decided at the end point into (streamed files only).
    pub segments: Vec<(FileId, Segment)>,
    /// The entries of a budget did not come in date order: the order-dependent warnings of an
    /// online builder are not right, and the ledger must be read again with a sorted one.
    pub out_of_order: bool,
}

impl<'p> LedgerBuilder<'p> {
    /// A builder for the ledger of `plan` as of `as_of`. `sorted`: hold the entries that the
    /// order-dependent warnings need and judge them in date order at the end.
    pub fn new(
        plan: &'p Plan,
        declared: &'p HashSet<&'p str>,
        as_of: Date,
        keep_entries: bool,
        sorted: bool,
    ) -> Self {
        let budget_index = plan
            .budgets
            .iter()
            .enumerate()
            .rev()
            .map(|(i, b)| (b.id.as_str(), i))
            .collect();
        LedgerBuilder {
            plan,
            declared,
            budget_index,
            as_of,
            keep_entries,
            sorted,
            grants: true,
            file: 0,
            shown: String::new(),
            dialect: Dialect::COMMA,
            signed: None,
            sums: vec![BudgetSums::default(); plan.budgets.len()],
            entries: Vec::new(),
            last_date: vec![None; plan.budgets.len()],
            out_of_order: false,
            events: Vec::new(),
            book: GrantBook::new(plan.budgets.len()),
            last_day: None,
            open_days: vec![None; plan.budgets.len()],
            limits: None,
            sink: None,
            stopped: false,
        }
    }

    /// Hand each accepted row to `sink` as it is read.
    pub fn with_sink(mut self, sink: Option<&'p mut dyn EntrySink>) -> Self {
        self.sink = sink;
        self
    }

    /// The sink asked to stop reading: the rows that follow need not be read.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Warn (W005) about rows dated after what `limits` allow for what has happened. Without
    /// them no row is too far ahead.
    pub fn warn_after(mut self, limits: DateLimits) -> Self {
        self.limits = Some(limits);
        self
    }

    /// A builder that reads on from `sums`, the sums of an earlier state's rows, over the rows
    /// appended to its ledger (`plan log`, SPEC 10.5). It keeps the appended entries and checks
    /// each row as [`LedgerBuilder::new`] does, but does not judge W101–W103: those follow every
    /// row of a budget in date order, and they are warnings, which do not decide whether a
    /// state can be reported (a caller that shows diagnostics reads the ledger whole).
    pub fn resume(
        plan: &'p Plan,
        declared: &'p HashSet<&'p str>,
        as_of: Date,
        sums: Vec<BudgetSums>,
    ) -> Self {
        let mut builder = LedgerBuilder::new(plan, declared, as_of, true, false);
        builder.sums = sums;
        builder.grants = false;
        builder
    }

    /// The rows that follow come from this file.
    pub fn begin_file(&mut self, file: FileId, shown: &str, dialect: Dialect) {
        self.file = file;
        self.shown = shown.to_owned();
        self.dialect = dialect;
        self.signed = None;
    }

    /// The rows that follow come from a mapped finance-system file (SPEC 9.7): an amount may
    /// be negative (a correction) after the sign rule; `negate` flips every amount's sign.
    pub fn begin_mapped_file(&mut self, file: FileId, shown: &str, dialect: Dialect, negate: bool) {
        self.begin_file(file, shown, dialect);
        self.signed = Some(negate);
    }

    /// Check one row and add it up. `record`: the record's text, for a streamed file (the
    /// caller keeps it for the diagnostics pushed now; the builder for those it decides later).
    pub fn row(
        &mut self,
        row: &RowRef<'_>,
        record: Option<RecordText<'_>>,
        diags: &mut Diagnostics,
    ) {
        let mut cx = Ctx {
            file: self.file,
            diags,
        };
        let Some(e) = self.validate_row(row, &mut cx) else {
            return;
        };
        let budget = &self.plan.budgets[e.budget];
        // One comparison per row; a row that far ahead is W005 (a wrong year, mostly), which
        // says more than that it is outside the budget's period.
        let far = self
            .limits
            .as_ref()
            .filter(|l| e.date > l.latest(Dated::Recorded))
            .and_then(|l| {
                let span = row.date.span.clone();
                l.warning(self.file, span, "the entry's date", e.date, Dated::Recorded)
            });
        if let Some(w) = far {
            cx.push(w);
        } else if !budget.period.contains(e.date) {
            cx.push(
                Diagnostic::at(
                    Code::OutsidePeriod,
                    self.file,
                    row.date.span.clone(),
                    format!(
                        "the entry is dated {}, outside the period of budget `{}` ({} → {})",
                        e.date, budget.id, budget.period.start, budget.period.end
                    ),
                )
                .with_help("check the date, or the budget's `period` in plan.toml"),
            );
        }
        if self.keep_entries {
            self.entries.push(Entry {
                date: e.date,
                budget: e.budget,
                kind: e.kind,
                amount: e.amount,
                unit: e.unit.map(str::to_owned),
                reference: e.reference.map(str::to_owned),
                note: e.note.map(str::to_owned),
                file: self.shown.clone(),
                line: row.line,
            });
        }
        if let Some(sink) = self.sink.as_deref_mut() {
            let entry = EntryRef {
                date: e.date,
                budget: budget.id.as_str(),
                kind: e.kind,
                amount: e.amount,
                unit: e.unit,
                reference: e.reference,
                note: e.note,
                file: &self.shown,
                line: row.line,
            };
            self.stopped |= !sink.entry(&entry);
        }
        if e.date > self.as_of {
            return;
        }
        self.sums[e.budget].add_but_day(e.date, e.kind, e.amount, e.unit);
        // The day's sums are added up here and go into the budget's B-tree of days when the
        // day changes: a journal has many rows a day, and the B-tree is walked once a day.
        let open = &mut self.open_days[e.budget];
        match open {
            Some((day, sums)) if *day == e.date => sums.add(e.kind, e.amount),
            _ => {
                if let Some((day, sums)) = open.take() {
                    self.sums[e.budget].add_day(day, sums);
                }
                let mut sums = Sums::default();
                sums.add(e.kind, e.amount);
                *open = Some((e.date, sums));
            }
        }
        let BudgetKind::Money { amount_ore } = budget.kind else {
            return;
        };
        if !self.grants {
            return;
        }
        let place = PlaceRef {
            file: self.file,
            amount: row.amount.span.clone(),
            reference: e
                .reference
                .and(row.reference.as_ref())
                .map(|r| r.span.clone()),
            record,
        };
        if self.sorted {
            self.events.push(Event {
                date: e.date,
                budget: e.budget,
                kind: e.kind,
                amount: e.amount,
                reference: e.reference.map(Into::into),
                place: place.to_owned(),
            });
            return;
        }
        let last = &mut self.last_date[e.budget];
        if last.is_some_and(|d| e.date < d) {
            self.out_of_order = true;
        }
        *last = Some(e.date);
        self.book.apply(
            amount_ore,
            e.budget,
            e.kind,
            i128::from(e.amount),
            e.reference,
            place,
            cx.diags,
        );
    }

    /// The ledger, with the warnings that could only be decided at the end.
    pub fn finish(mut self, diags: &mut Diagnostics) -> (Ledger, Finished) {
        for (sums, open) in self
            .sums
            .iter_mut()
            .zip(std::mem::take(&mut self.open_days))
        {
            if let Some((day, day_sums)) = open {
                sums.add_day(day, day_sums);
            }
        }
        if self.sorted {
            // Stable: entries of one day keep the order of the files and of their rows.
            let mut events = std::mem::take(&mut self.events);
            events.sort_by_key(|e| e.date);
            for e in events {
                let BudgetKind::Money { amount_ore } = self.plan.budgets[e.budget].kind else {
                    continue;
                };
                self.book.apply(
                    amount_ore,
                    e.budget,
                    e.kind,
                    i128::from(e.amount),
                    e.reference.as_deref(),
                    e.place.borrow(),
                    diags,
                );
            }
        }
        let mut segments = self.book.finish(self.plan, self.as_of, diags);
        segments.sort_by_key(|(f, s)| (*f, s.start));
        self.entries.sort_by_key(|e| e.date);
        (
            Ledger {
                budgets: self.sums,
                codes_seen: Vec::new(),
                entries: self.entries,
                appended_to: None,
            },
            Finished {
                segments,
                out_of_order: self.out_of_order,
            },
        )
    }
}

/// A valid row's values, borrowed from the row.
struct Valid<'a> {
    date: Date,
    budget: usize,
    kind: EntryKind,
    amount: i64,
    unit: Option<&'a str>,
    reference: Option<&'a str>,
    note: Option<&'a str>,
}

impl LedgerBuilder<'_> {
    fn validate_row<'r>(&mut self, row: &RowRef<'r>, cx: &mut Ctx<'_>) -> Option<Valid<'r>> {
        let date = match self.day(row.date.value) {
            Some(d) => Some(d),
            None => match csv::parse_date(row.date.value) {
                Ok(d) => Some(d),
                Err(message) => {
                    cx.report(Code::InvalidDate, row.date.span.clone(), message);
                    None
                }
            },
        };

        let budget_id = trimmed(row.budget.value);
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
        } else if let Some(&i) = self.budget_index.get(budget_id) {
            Some(i)
        } else {
            if !self.declared.contains(budget_id) {
                cx.reference_at(
                    budget_id,
                    row.budget.span.clone(),
                    self.plan.budgets.iter().map(|b| b.id.as_str()),
                    "budget",
                );
            }
            None
        };

        // Excel users write `Grant` as often as `grant`: the word is matched case-insensitively.
        let kind_word = trimmed(row.kind.value);
        let kind = match EntryKind::WORDS
            .iter()
            .find(|(w, _)| w.eq_ignore_ascii_case(kind_word))
        {
            Some((_, k)) => Some(*k),
            None => cx.word_listing(
                &kind_word.to_lowercase(),
                row.kind.span.clone(),
                EntryKind::WORDS,
                // The help lists the kinds of format 1 before SPEC 9.6 (see docs/decisions.md).
                &["grant", "release", "expense", "hours"],
                Code::InvalidValue,
                "ledger kind",
            ),
        };
        let amount = match (self.signed, fast_hundredths(row.amount.value, self.dialect)) {
            (None, Some(v)) => Some(v),
            (None, None) => amount(&row.amount, self.dialect, cx),
            (Some(negate), _) => signed_amount(&row.amount, self.dialect, negate, cx),
        };

        if let (Some(kind), Some(b)) = (kind, budget) {
            let budget = &self.plan.budgets[b];
            let hours_budget = matches!(budget.kind, BudgetKind::Hours { .. });
            // SPEC 9.6: `saving` rows only on savings budgets, and only those there.
            if (kind == EntryKind::Saving) != budget.kind.is_savings() {
                cx.push(saving_kind(cx.file, row.kind.span.clone(), kind, budget));
                return None;
            }
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

        let text = |field: &Option<FieldRef<'r>>| {
            field
                .as_ref()
                .map(|f| trimmed(f.value))
                .filter(|v| !v.is_empty())
        };
        Some(Valid {
            date: date?,
            budget: budget?,
            kind: kind?,
            amount: amount?,
            unit: text(&row.unit),
            reference: text(&row.reference),
            note: text(&row.note),
        })
    }
}

/// E501: a `saving` row on a budget that is not a savings target, or another row on one.
fn saving_kind(
    file: FileId,
    span: Range<usize>,
    kind: EntryKind,
    budget: &crate::model::Budget,
) -> Diagnostic {
    let (message, help) = if kind == EntryKind::Saving {
        (
            format!(
                "kind `saving` does not fit `{}`, which is a {} budget",
                budget.id,
                budget.kind.word()
            ),
            "`saving` rows belong on a budget of `kind = \"savings\"`".to_string(),
        )
    } else {
        (
            format!(
                "kind `{}` does not fit `{}`, which is a savings budget",
                kind.word(),
                budget.id
            ),
            format!(
                "`{}` takes only `saving` entries (the amount saved from that date on)",
                budget.id
            ),
        )
    };
    Diagnostic::at(Code::SavingEntryKind, file, span, message).with_help(help)
}

impl LedgerBuilder<'_> {
    /// [`fast_date`], remembering the last date text.
    fn day(&mut self, value: &str) -> Option<Date> {
        match &self.last_day {
            Some((text, date)) if text[..] == *value.as_bytes() => Some(*date),
            _ => {
                let date = fast_date(value)?;
                // fast_date reads only ten-byte values.
                self.last_day = value.as_bytes().try_into().ok().map(|text| (text, date));
                Some(date)
            }
        }
    }
}

/// A date in one of the usual exact forms (`2013-05-14`, `14-05-2013`, `14.05.2013`) without
/// allocating; `None` sends the value to [`csv::parse_date`], which decides and explains.
fn fast_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 {
        return None;
    }
    let num = |r: Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (y, m, d) = match (b[4], b[7], b[2], b[5]) {
        (b'-', b'-', _, _) => (num(0..4)?, num(5..7)?, num(8..10)?),
        (_, _, b'-', b'-') | (_, _, b'.', b'.') if b[2] == b[5] => {
            (num(6..10)?, num(3..5)?, num(0..2)?)
        }
        _ => return None,
    };
    Date::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// A positive amount with at most two decimals in the simplest forms of the file's dialect
/// (`45000`, `45000.5`; Danish `45000,50`, `45.000,50`), in hundredths, without allocating.
/// Anything else (signs, spaces, zero, three decimals, too many digits) is `None`: the exact
/// reader decides and explains.
fn fast_hundredths(s: &str, dialect: Dialect) -> Option<i64> {
    let b = s.as_bytes();
    let (point, group) = if dialect.danish_numbers() {
        (b',', Some(b'.'))
    } else {
        (b'.', None)
    };
    let (int, frac) = match b.iter().position(|&c| c == point) {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let mut whole: i64 = 0;
    let mut digits = 0;
    let mut in_group = 0; // digits since the last separator, when grouped
    let mut grouped = false;
    for &c in int {
        if c.is_ascii_digit() {
            whole = whole * 10 + i64::from(c - b'0');
            digits += 1;
            in_group += 1;
        } else if Some(c) == group
            && digits > 0
            && (if grouped {
                in_group == 3
            } else {
                in_group <= 3
            })
        {
            grouped = true;
            in_group = 0;
        } else {
            return None;
        }
        if digits > 15 {
            return None;
        }
    }
    if digits == 0 || (grouped && in_group != 3) {
        return None;
    }
    let cents = match frac {
        None => 0,
        Some([d]) if d.is_ascii_digit() => i64::from(d - b'0') * 10,
        Some([d, e]) if d.is_ascii_digit() && e.is_ascii_digit() => {
            i64::from(d - b'0') * 10 + i64::from(e - b'0')
        }
        Some(_) => return None,
    };
    let v = whole * 100 + cents;
    (v > 0).then_some(v)
}

/// A number in the file's form, or E103 with an example (`sign` before it: `-` where a
/// negative amount is allowed).
fn number(field: &FieldRef<'_>, dialect: Dialect, sign: &str, cx: &mut Ctx<'_>) -> Option<Decimal> {
    csv::parse_decimal(field.value, dialect)
        .map_err(|message| {
            let help = if dialect.danish_numbers() {
                format!("this file is separated by `;`, so its numbers are Danish: {sign}45.000,50")
            } else {
                format!(
                    "this file is separated by `,`, so its numbers use a decimal point: {sign}45000.50"
                )
            };
            cx.push(
                Diagnostic::at(Code::InvalidNumber, cx.file, field.span.clone(), message)
                    .with_help(help),
            );
        })
        .ok()
}

/// E105 when the amount reads as two numbers: its file's decimal mark before exactly three
/// digits that read as an amount (`1.000` in a `,` file, `1,000` in a `;` file), which another
/// reader takes for a thousands separator. Only the exact reader comes here: [`fast_hundredths`] takes no third
/// decimal, so the rows it reads cost nothing more.
fn ambiguous(field: &FieldRef<'_>, dialect: Dialect, cx: &mut Ctx<'_>) -> bool {
    // A `,` file's `1,000` (quoted) is no number of its form, but its writer meant one
    // thousand or one: say so rather than that it is Danish.
    let danish = dialect.danish_numbers();
    let marks: &[char] = if danish { &[','] } else { &['.', ','] };
    let Some((mark, (decimal, thousands))) = marks
        .iter()
        .find_map(|&m| csv::thousands_lookalike(field.value, m).map(|r| (m, r)))
    else {
        return false;
    };
    // `1.005` is no amount as decimals (E011 says so): only a reading that would have been
    // taken silently (`1.000` as one krone) is ambiguous.
    if decimal.normalize().scale() > 2 {
        return false;
    }
    let in_form = |d: Decimal| {
        let text = d.to_string();
        if danish { text.replace('.', ",") } else { text }
    };
    let mark_name = if mark == ',' {
        "a decimal comma"
    } else {
        "a decimal point"
    };
    let thousands_text = if danish {
        let digits = thousands.abs().to_string();
        let sign = if thousands.is_sign_negative() {
            "-"
        } else {
            ""
        };
        format!("{sign}{}", csv::group_thousands(&digits))
    } else {
        thousands.to_string()
    };
    let choice = format!(
        "`{thousands_text}` or `{}`, whichever is meant",
        in_form(decimal.round_dp(2))
    );
    let help = if danish {
        format!("this file is separated by `;`, so its numbers are Danish: write {choice}")
    } else {
        format!(
            "this file is separated by `,`, so `.` is its decimal point and it takes no thousands separator: write {choice}"
        )
    };
    let shown = field.value.trim();
    cx.push(
        Diagnostic::at(
            Code::AmbiguousAmount,
            cx.file,
            field.span.clone(),
            format!(
                "the amount `{shown}` reads as {} with {mark_name} and as {thousands} with `{mark}` between thousands",
                in_form(decimal.normalize())
            ),
        )
        .with_help(help),
    );
    true
}

/// An amount in hundredths: a number in the file's form (E103) that reads as one number
/// (E105), then > 0 written with ≤ 2 decimals (E011).
fn amount(field: &FieldRef<'_>, dialect: Dialect, cx: &mut Ctx<'_>) -> Option<i64> {
    let span = field.span.clone();
    if ambiguous(field, dialect, cx) {
        return None;
    }
    let value = number(field, dialect, "", cx)?;
    let shown = field.value.trim();
    let problem = if value <= Decimal::ZERO {
        Some(format!("the amount must be greater than 0, not `{shown}`"))
    } else if value.scale() > 2 {
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
    checked_hundredths(value, shown, span, cx)
}

/// A checked amount in hundredths (øre, or hundredths of an hour); E011 when it does not fit.
fn checked_hundredths(
    value: Decimal,
    shown: &str,
    span: Range<usize>,
    cx: &mut Ctx<'_>,
) -> Option<i64> {
    let v = crate::validate::values::in_hundredths(value);
    if v.is_none() {
        cx.report(
            Code::InvalidAmount,
            span,
            format!("the amount `{shown}` is too large"),
        );
    }
    v
}

/// An amount of a mapped finance-system file (SPEC 9.7): any sign, flipped when `negate`;
/// not zero, at most two decimals.
fn signed_amount(
    field: &FieldRef<'_>,
    dialect: Dialect,
    negate: bool,
    cx: &mut Ctx<'_>,
) -> Option<i64> {
    let span = field.span.clone();
    if ambiguous(field, dialect, cx) {
        return None;
    }
    let value = number(field, dialect, "-", cx)?;
    let value = if negate { -value } else { value };
    let shown = field.value.trim();
    let problem = if value.is_zero() {
        Some(format!("the amount must not be 0, not `{shown}`"))
    } else if value.scale() > 2 {
        Some(format!("the amount `{shown}` has more than two decimals"))
    } else {
        None
    };
    if let Some(message) = problem {
        cx.push(
            Diagnostic::at(Code::InvalidAmount, cx.file, span, message)
                .with_help("leave the row out of the export, or correct the amount"),
        );
        return None;
    }
    checked_hundredths(value, shown, span, cx)
}

/// Where an entry's order-dependent warnings point, borrowed while the row is at hand.
struct PlaceRef<'a> {
    file: FileId,
    amount: Range<usize>,
    reference: Option<Range<usize>>,
    record: Option<RecordText<'a>>,
}

impl PlaceRef<'_> {
    fn to_owned(&self) -> Place {
        Place {
            file: self.file,
            amount: self.amount.clone(),
            reference: self.reference.clone(),
            record: self.record.map(RecordText::to_segment),
        }
    }
}

/// A [`PlaceRef`] kept for later.
#[derive(Debug, Clone)]
struct Place {
    file: FileId,
    amount: Range<usize>,
    reference: Option<Range<usize>>,
    record: Option<Segment>,
}

impl Place {
    fn borrow(&self) -> PlaceRef<'_> {
        PlaceRef {
            file: self.file,
            amount: self.amount.clone(),
            reference: self.reference.clone(),
            record: self.record.as_ref().map(|s| RecordText {
                start: s.start,
                line: s.line,
                text: &s.text,
            }),
        }
    }
}

/// A money entry held by a sorted builder until the end.
struct Event {
    date: Date,
    budget: usize,
    kind: EntryKind,
    amount: i64,
    reference: Option<Box<str>>,
    place: Place,
}

/// An expense whose ref had no grant yet when it came: W102 if no grant ever comes (as of
/// the date), else W103 when it was above what was left.
struct Pending {
    budget: usize,
    reference: Box<str>,
    amount: i128,
    /// What was left of the grant(s) with its ref when it came.
    left: i128,
    place: Place,
}

/// What is known of the grants with one ref on one budget.
#[derive(Debug, Default, Clone, Copy)]
struct RefState {
    /// Grants − releases − expenses so far.
    left: i128,
    /// Whether a grant has come.
    granted: bool,
}

/// A ref as a key of the grant book: short refs (nearly all: `ANS-2013-00083`) are held in the
/// key itself, so a lookup compares bytes in the table rather than following a pointer to a
/// string elsewhere in memory (a cache miss per row on a ledger with tens of thousands of
/// refs); longer ones are boxed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RefKey {
    Short(u8, [u8; RefKey::SHORT]),
    Long(Box<str>),
}

/// Hashes the ref's bytes only, not the unused rest of a short key: as the bytes hash, so
/// that the table is looked up by a ref's bytes without making a key (see `Borrow`).
impl std::hash::Hash for RefKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::borrow::Borrow::<[u8]>::borrow(self).hash(state);
    }
}

/// A key is its ref's bytes. Equal keys have equal bytes and the other way round, as a ref
/// has one key only: short when it fits, else long ([`RefKey::new`]).
impl std::borrow::Borrow<[u8]> for RefKey {
    fn borrow(&self) -> &[u8] {
        match self {
            RefKey::Short(len, bytes) => bytes.get(..usize::from(*len)).unwrap_or(bytes),
            RefKey::Long(s) => s.as_bytes(),
        }
    }
}

impl RefKey {
    const SHORT: usize = 30;

    /// The key of `reference` (no allocation for a short one).
    fn new(reference: &str) -> RefKey {
        let b = reference.as_bytes();
        match u8::try_from(b.len()) {
            Ok(len) if b.len() <= Self::SHORT => {
                let mut bytes = [0; Self::SHORT];
                bytes[..b.len()].copy_from_slice(b);
                RefKey::Short(len, bytes)
            }
            _ => RefKey::Long(reference.into()),
        }
    }
}

/// W101–W103: committed per budget and what is left of each grant, followed entry by entry in
/// date order (W101: committed > total, pointing at the grant that last took it over; W102: an
/// expense whose ref matches no grant on the same budget; W103: an expense above what is left
/// of its grant: grants − releases − earlier expenses with that ref).
struct GrantBook {
    /// Per budget: committed so far, and the grant that last took it above the total.
    committed: Vec<(i128, Option<Place>)>,
    /// Per budget, per ref: its state, held in the table (foldhash: looked up once per money
    /// row with a ref).
    refs: Vec<foldhash::HashMap<RefKey, RefState>>,
    pending: Vec<Pending>,
    /// Records that the warnings decided at the end point into.
    segments: Vec<(FileId, Segment)>,
}

impl GrantBook {
    fn new(budgets: usize) -> Self {
        GrantBook {
            committed: vec![(0, None); budgets],
            refs: vec![foldhash::HashMap::default(); budgets],
            pending: Vec::new(),
            segments: Vec::new(),
        }
    }

    /// `f` of the state of `(budget, reference)`, new for a ref not seen before.
    fn with_state<T>(
        &mut self,
        budget: usize,
        reference: &str,
        f: impl FnOnce(&mut RefState) -> T,
    ) -> Option<T> {
        let refs = self.refs.get_mut(budget)?;
        // Looked up by its bytes: a key is made only for a ref not seen before.
        if let Some(state) = refs.get_mut(reference.as_bytes()) {
            return Some(f(state));
        }
        Some(f(refs.entry(RefKey::new(reference)).or_default()))
    }

    /// Whether a grant with `reference` came on `budget`.
    fn granted(&self, budget: usize, reference: &str) -> bool {
        self.refs
            .get(budget)
            .and_then(|refs| refs.get(reference.as_bytes()))
            .is_some_and(|s| s.granted)
    }

    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        total: i64,
        budget: usize,
        kind: EntryKind,
        amount: i128,
        reference: Option<&str>,
        place: PlaceRef<'_>,
        diags: &mut Diagnostics,
    ) {
        let total = i128::from(total);
        match kind {
            EntryKind::Grant | EntryKind::Release => {
                let sign = if kind == EntryKind::Grant { 1 } else { -1 };
                if let Some(state) = self.committed.get_mut(budget) {
                    let before = state.0;
                    state.0 += sign * amount;
                    if before <= total && state.0 > total {
                        state.1 = Some(place.to_owned());
                    }
                }
                if let Some(r) = reference {
                    self.with_state(budget, r, |state| {
                        state.left += sign * amount;
                        state.granted |= kind == EntryKind::Grant;
                    });
                }
            }
            EntryKind::Expense => {
                let Some(r) = reference else { return };
                let Some((left, granted)) = self.with_state(budget, r, |state| {
                    let before = (state.left, state.granted);
                    state.left -= amount;
                    before
                }) else {
                    return;
                };
                if !granted {
                    // A grant may still come (dated the same day, later in the file, or
                    // later still when judged online): decided in `finish`.
                    self.pending.push(Pending {
                        budget,
                        reference: r.into(),
                        amount,
                        left,
                        place: place.to_owned(),
                    });
                } else if amount > left {
                    diags.push(above_grant(
                        place.file,
                        place.amount.clone(),
                        amount,
                        r,
                        left,
                    ));
                }
            }
            EntryKind::Hours | EntryKind::Saving => {}
        }
    }

    /// Decide the pending expenses and W101; return the records the warnings point into.
    fn finish(
        mut self,
        plan: &Plan,
        as_of: Date,
        diags: &mut Diagnostics,
    ) -> Vec<(FileId, Segment)> {
        for p in std::mem::take(&mut self.pending) {
            let granted = self.granted(p.budget, &p.reference);
            let d = if !granted {
                Diagnostic::at(
                    Code::ExpenseWithoutGrant,
                    p.place.file,
                    p.place
                        .reference
                        .clone()
                        .unwrap_or_else(|| p.place.amount.clone()),
                    format!(
                        "the expense's ref `{}` matches no grant on budget `{}`",
                        p.reference, plan.budgets[p.budget].id
                    ),
                )
                .with_help("check the ref, or record the grant first")
            } else if p.amount > p.left {
                above_grant(
                    p.place.file,
                    p.place.amount.clone(),
                    p.amount,
                    &p.reference,
                    p.left,
                )
            } else {
                continue;
            };
            diags.push(d);
            if let Some(rec) = p.place.record {
                self.segments.push((p.place.file, rec));
            }
        }
        for (b, (c, at)) in std::mem::take(&mut self.committed).into_iter().enumerate() {
            let budget = &plan.budgets[b];
            let (BudgetKind::Money { amount_ore }, Some(at)) = (budget.kind, at) else {
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
            if let Some(rec) = at.record {
                self.segments.push((at.file, rec));
            }
        }
        self.segments
    }
}

fn above_grant(
    file: FileId,
    span: Range<usize>,
    amount: i128,
    reference: &str,
    left: i128,
) -> Diagnostic {
    Diagnostic::at(
        Code::ExpenseAboveGrant,
        file,
        span,
        format!(
            "expense of {} is more than what is left of grant `{reference}` ({})",
            hundredths(amount),
            hundredths(left)
        ),
    )
    .with_help("check the amount, or record a further grant")
}
