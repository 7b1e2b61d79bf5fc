//! Diagnostics: problems found in the user's files, collected as values rather than
//! returned as errors, so that one run reports every problem it can find.
//!
//! Each problem has a stable [`Code`]; the catalogue below is the single list of them
//! (`docs/diagnostics.md` is checked against it by a test).

mod render;

pub use render::{render_github, render_json, render_text};

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use crate::source::FileId;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The plan cannot be trusted: every report refuses to run.
    Error,
    /// The plan is valid but something looks wrong.
    Warning,
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $severity:ident, $summary:literal; )*) => {
        /// A stable diagnostic code. Never renumber: CI logs and docs refer to them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( #[doc = $summary] $variant, )* }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, e.g. `E006`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// Whether the problem is an error or a warning.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// One line: the cause and what to do about it.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    // Files and TOML.
    TomlSyntax = "E001", Error, "The TOML file does not parse: fix the syntax at the marked place.";
    UnknownKey = "E002", Error, "A key that the format does not define (often a typo): rename it as suggested, or remove it.";
    MissingKey = "E003", Error, "A required key is absent: add it.";
    InvalidValue = "E004", Error, "A value has the wrong type or form (a number where text is expected, an unknown word): write it as the message says.";
    UnsupportedFormat = "E005", Error, "`format` is not 1: this version of plan reads format 1 only.";
    DuplicateId = "E006", Error, "Two items of the same kind share an id: give each a unique id.";
    InvalidId = "E007", Error, "An id does not match [A-Za-z0-9][A-Za-z0-9_.-]*: use letters, digits, `_`, `.` and `-`.";
    UnknownReference = "E008", Error, "A reference names an id that is not defined (focus area, goal, budget, indicator, initiative or wave): fix the id or define it.";
    InvalidDate = "E009", Error, "A date is not a valid YYYY-MM-DD (or, in CSV, DD-MM-YYYY / DD.MM.YYYY) calendar date.";
    ReversedDates = "E010", Error, "A period ends before it starts: swap or correct the dates.";
    InvalidAmount = "E011", Error, "An amount is negative, zero, not a number, or has more than two decimals.";
    PathOutsidePlan = "E012", Error, "A path in a plan file is absolute or leaves the plan directory: use a path relative to, and inside, the plan directory.";
    MissingFile = "E013", Error, "A file the plan declares does not exist: create it or fix the path.";
    NotText = "E014", Error, "A file is not a readable text file (a directory, named pipe or device where a file should be; binary; TOML that is not UTF-8): point the path at a file, saved as UTF-8 text.";
    InvalidStatus = "E015", Error, "An update's status is not one of on-track, at-risk, delayed, paused, done, cancelled.";
    InvalidTarget = "E016", Error, "An indicator is inconsistent: a target needs exactly one of `delta`, `value` or `change_pct`, the scale needs min < max, values must lie on the scale.";
    // CSV inputs (ledger and surveys).
    CsvSyntax = "E101", Error, "A CSV record is malformed (wrong number of fields, a stray quote): fix the row.";
    MissingColumn = "E102", Error, "A required CSV column is absent from the header: add it, or map it with `columns` in plan.toml.";
    InvalidNumber = "E103", Error, "A number is not in the file's form: `;` files use decimal comma (45.000,50), `,` files a decimal point (45000.50).";
    WrongEntryKind = "E104", Error, "A ledger entry's kind does not fit its budget: `hours` only on hours budgets, grant/release/expense only on money budgets.";
    AmbiguousAmount = "E105", Error, "An amount reads as two numbers: one separator before exactly three digits (`1.000` in a `,` file, `1,000` in a `;` file) is a decimal mark to one reader and a thousands separator to another: write `1000` or `1.00` (in a `;` file `1.000` or `1,00`), whichever is meant.";
    ScoreOutsideScale = "E201", Error, "A survey score or mean lies outside the indicator's scale: fix the value or the indicator's `scale`.";
    InvalidCount = "E202", Error, "A survey count `n` is missing, below 1 or not a whole number.";
    NegativeSd = "E203", Error, "A survey standard deviation is negative.";
    UnknownLayout = "E204", Error, "A survey file's layout cannot be recognised from its header: set `layout` and `columns` in its [[survey]] entry.";
    // Format additions for other kinds of plans (SPEC 9.1-9.4).
    InvalidPeriod = "E301", Error, "A date written as a period names none: use \"2026\", \"2025-H2\", \"2026-Q1\" or \"2026-03\" (halves H1-H2, quarters Q1-Q4, months 01-12).";
    PeriodNotAllowed = "E302", Error, "A period is written where an exact day is needed (`done`, an update's `date`, `achieved.date`, a deadline, a survey date): write the day as YYYY-MM-DD.";
    NoPreviousWave = "E303", Error, "`relative_to = \"previous-actual\"` (or `\"previous-target\"`) on the first wave of an indicator without `baseline`: nothing comes before it; add the baseline, or give the target as a `value`.";
    NoBaseline = "E304", Error, "A `delta` or `change_pct` target (or `relative_to = \"baseline\"`) on an indicator without `baseline`: add the baseline, or give the target as a `value`.";
    MeasurementForSurvey = "E305", Error, "A measurement row names a survey indicator: its figures come from its [[survey]] files; set `source = \"measurement\"` on the indicator if it is measured.";
    DuplicateMeasurement = "E306", Error, "Two measurement rows give a value for the same indicator, wave and unit (blank = the whole organisation): keep one.";
    ParentCycle = "E307", Error, "Initiatives name each other as `parent` in a circle: remove one `parent` of the cycle.";
    // Series, parts and effects (SPEC 12.1-12.4).
    PartTwice = "E308", Error, "An indicator is a part of two totals under the same split name, is listed twice in one split, or names itself as a part: a part belongs to at most one total per split; keep one.";
    PartsCycle = "E309", Error, "Totals name each other as parts in a circle (a total would be part of itself): remove one of the parts of the cycle.";
    PartsNotMeasured = "E310", Error, "A survey indicator has `parts`, or is a part: a total that is a sum of parts is a measured figure; set `source = \"measurement\"` on the total and its parts.";
    ContextTarget = "E311", Error, "An indicator with `direction = \"none\"` (a context figure) has targets: a context figure is shown, never judged; remove its targets, or give it a direction.";
    NoProjection = "E312", Error, "A target with `relative_to = \"projection\"` has no `projection` value for its wave: add `{ wave = …, value = … }` to the indicator's `projection`, or build the target on another base.";


    // Shares of respondents and response rates (SPEC 12.5).
    ShareDefinition = "E320", Error, "A share indicator does not say which answers count, `positive` is given on a mean (or a measured) indicator, or a positive answer is off the scale: write `measure = \"share\"` with `positive = [4, 5]` (answers on the scale).";
    NoShareColumn = "E321", Error, "An aggregated survey file has rows for a share indicator but no `share` column: add the column (the share in %), or map the file's own header with `columns = { share = … }`.";
    // Write commands (SPEC 11).
    UnknownItem = "E401", Error, "A write command names an initiative, milestone, criterion or ledger file the plan does not have: use one of the ids it suggests or lists.";
    Unencodable = "E402", Error, "A character cannot be written to a CSV file in its encoding (a Windows-1252 ledger has no `ő` or `→`): write it differently, or save the file as \"CSV UTF-8\".";
    RepeatsWhatIsThere = "E403", Error, "A write command would repeat what the plan says already (the same survey file and wave, a done milestone marked done, an achieved criterion achieved, the same update or due date again): nothing to do; to change a recorded date, give --redate.";
    DuplicateSurvey = "E404", Error, "A survey file is declared twice for the same wave, so every respondent would count twice: remove one of the two [[survey]] entries.";
    RecordedDate = "E405", Error, "A write command would change a date the plan has recorded (a milestone's `done`, a criterion's `achieved`): give --redate when the recorded date is wrong.";
    FileHasErrors = "E406", Error, "A write command would write into a file that has errors of its own (the change could land inside one, as a row after an unclosed quote): fix the file's errors first (`plan check` shows them).";
    InlineArray = "E407", Error, "An initiative writes its milestones or updates as an inline array (`milestone = [ { … } ]`), which the write commands do not edit: write them as [[milestone]] / [[update]] tables, or edit the array by hand.";
    // Format additions: money by the year, savings, funding, rounds, mapped ledgers (SPEC 9.5-9.7).
    SavingEntryKind = "E501", Error, "A `saving` ledger row on a budget that is not a savings budget, or another kind of row on a savings budget: savings budgets take only `saving` rows.";
    BudgetSize = "E502", Error, "A budget gives its size twice or with a key of another kind (`amount` with `amounts`, `fte` with `hours`, `hours` or `rate` on a money budget, `amounts` on an hours budget): keep the one key its kind takes.";
    BudgetFromColumn = "E503", Error, "The column that a ledger item's `budget_from` names is not in the file's header: fix `column` in plan.toml, or the file.";
    // Warnings.
    StaleInitiative = "W001", Warning, "An initiative has had no update for longer than `stale_after_days`: add a dated [[update]].";
    MilestoneBeforeStart = "W002", Warning, "A milestone is marked done before its initiative starts: check the dates.";
    DecodedAsWindows1252 = "W003", Warning, "A file is not UTF-8 and was read as Windows-1252 (Excel's \"CSV\"): check its æ, ø, å, or save it as \"CSV UTF-8\".";
    ExtraColumn = "W004", Warning, "A CSV column that plan does not use was ignored: remove it, or check its spelling.";
    FarDate = "W005", Warning, "A date lies more than a year after the plan's period ends, or a date that records what has happened (an update, `done`, `achieved`, a ledger row, a survey or measurement) lies after today: check the year.";
    Overcommitted = "W101", Warning, "More money is committed than the budget holds.";
    ExpenseWithoutGrant = "W102", Warning, "An expense's `ref` matches no grant on the same budget.";
    ExpenseAboveGrant = "W103", Warning, "An expense is larger than what is left of its grant.";
    OutsidePeriod = "W104", Warning, "A ledger entry is dated outside its budget's period.";
    UndeclaredSurvey = "W201", Warning, "A file in surveys/ is not declared by any [[survey]] entry: declare it or remove it.";
    BaselineMismatch = "W202", Warning, "An indicator's baseline `value` differs from the baseline wave's survey file at the indicator's precision.";
    UnusedWave = "W203", Warning, "A survey wave is declared, but no indicator names it as its baseline or a target wave: its figures are read and shown nowhere; name the wave in an indicator, or remove it.";
    BaselineMissing = "W301", Warning, "An indicator's baseline wave has no survey, no measurement and no `value`, and its year is over (for a measured indicator, the year after): targets built on it stay pending until the baseline is given.";
    SplitSumDiffers = "W302", Warning, "A total's own value differs at its precision from the sum of one of its splits in a wave: the total's own value is used; correct a part or the total.";
    TargetSumDiffers = "W303", Warning, "Every part of a split has a target for a wave and the total has one too, but the parts' targets do not add up to the total's: correct the targets so that the split covers the total.";
    EffectAgainstDirection = "W304", Warning, "An initiative's expected effect moves its indicator against the indicator's direction (an increase of a figure that should decrease): check the sign of `change`.";
    EffectsTwoSplits = "W305", Warning, "Effects on one total's wave are given on parts of two different splits (a sector and a scope): they count twice in the total's planned change; give each effect on the parts of one split.";
    PartUnit = "W306", Warning, "A part names another `unit` than its total: a split adds its parts up in the total's unit; give the part the total's unit, or convert its figures.";

    MoreThanInvited = "W320", Warning, "A survey wave has more respondents than its `invited`: the response rate would be above 100 %; check `invited`, or whether a file is declared twice.";
    FundingMismatch = "W501", Warning, "A budget's `funding` amounts do not add up to its total: correct a source's amount, or add the missing source.";
    ReportedCounts = "W502", Warning, "A round's `reported` counts differ from the statuses the initiatives' own updates give for its date: correct the counts or the updates.";
    DueBeforeStart = "W403", Warning, "A milestone is due before its initiative starts: move the due date, or the initiative's start.";
    UnusedBudgetCode = "W503", Warning, "A code in a ledger item's `budget_from.map` matches no row of its files: check the code, or remove it from the map.";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in the user's files.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// What kind of problem; decides the severity.
    pub code: Code,
    /// The file it is in, when it is in one.
    pub file: Option<FileId>,
    /// Byte range in that file's text, when there is a place to point at.
    pub span: Option<Range<usize>>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// A short note under the marked place, e.g. "did you mean `F1`?".
    pub label: Option<String>,
    /// What to do next.
    pub help: Option<String>,
    /// Further places that belong to the problem, each with its note: where a mapping in
    /// plan.toml names the column a CSV file lacks, say.
    pub also: Vec<Secondary>,
}

/// A second place a diagnostic points at (rustc's secondary label).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secondary {
    /// The file.
    pub file: FileId,
    /// Byte range in its text.
    pub span: Range<usize>,
    /// The note under the place.
    pub label: String,
}

impl Diagnostic {
    /// A diagnostic at a place in a file.
    pub fn at(code: Code, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            file: Some(file),
            span: Some(span),
            message: message.into(),
            label: None,
            help: None,
            also: Vec::new(),
        }
    }

    /// A diagnostic about a whole file.
    pub fn in_file(code: Code, file: FileId, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            file: Some(file),
            span: None,
            message: message.into(),
            label: None,
            help: None,
            also: Vec::new(),
        }
    }

    /// Also point at `span` in `file`, with a note.
    pub fn with_secondary(
        mut self,
        file: FileId,
        span: Range<usize>,
        label: impl Into<String>,
    ) -> Self {
        self.also.push(Secondary {
            file,
            span,
            label: label.into(),
        });
        self
    }

    /// Add a note under the marked place.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Add a line that says what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The severity of its code.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}

/// How many diagnostics of one code are kept per file. A broken 10-million-row file must
/// report quickly and readably: the first ones of each code are shown, the rest counted.
pub const SHOWN_PER_CODE: usize = 50;

/// The problems found so far, in the order found; sorted by file and place when printed.
///
/// Of each code, only the first [`SHOWN_PER_CODE`] in a file are kept; the others are counted
/// (see [`Diagnostics::suppressed`]) and still count in [`Diagnostics::errors`] and
/// [`Diagnostics::warnings`].
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Per file and code: how many were recorded (shown or not).
    counts: HashMap<(Option<FileId>, Code), usize>,
}

impl Diagnostics {
    /// Record a problem (or, past the first [`SHOWN_PER_CODE`] of its code in its file, count it).
    pub fn push(&mut self, mut diagnostic: Diagnostic) {
        shorten(&mut diagnostic.message);
        let count = self
            .counts
            .entry((diagnostic.file, diagnostic.code))
            .or_insert(0);
        *count += 1;
        if *count <= SHOWN_PER_CODE {
            self.items.push(diagnostic);
        }
    }

    /// Number of diagnostics kept (shown).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Move every diagnostic of `other` here, in order.
    pub fn append(&mut self, other: Diagnostics) {
        let mut shown: HashMap<(Option<FileId>, Code), usize> = HashMap::new();
        for d in other.items {
            *shown.entry((d.file, d.code)).or_insert(0) += 1;
            self.push(d);
        }
        // Then the ones `other` only counted.
        for (key, count) in other.counts {
            let kept = shown.get(&key).copied().unwrap_or(0);
            *self.counts.entry(key).or_insert(0) += count - kept;
        }
    }

    /// Problems recorded but not kept, per file and code, sorted: `(file, code, how many)`.
    pub fn suppressed(&self) -> Vec<(Option<FileId>, Code, usize)> {
        let mut out: Vec<_> = self
            .counts
            .iter()
            .filter(|(_, n)| **n > SHOWN_PER_CODE)
            .map(|((f, c), n)| (*f, *c, n - SHOWN_PER_CODE))
            .collect();
        out.sort_by_key(|(f, c, _)| (f.unwrap_or(usize::MAX), *c));
        out
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.counts
            .iter()
            .filter(|((_, code), _)| code.severity() == severity)
            .map(|(_, n)| n)
            .sum()
    }

    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// The problems sorted by file, then place, then code; problems without a place last in their file.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by_key(|d| {
            (
                d.file.unwrap_or(usize::MAX),
                d.span.as_ref().map_or(usize::MAX, |s| s.start),
                d.code,
            )
        });
        items
    }
}

/// A diagnostic with its place resolved to a file name, line and column: what a report that
/// lists the problems (the HTML page) shows, without the source snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    /// The code, e.g. `W001`.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// The file as shown to the user, when the problem is in one.
    pub file: Option<String>,
    /// 1-based line, when there is a place.
    pub line: Option<usize>,
    /// 1-based column, when there is a place.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Every diagnostic, sorted as `plan check` prints them, with places resolved.
pub fn located(sources: &crate::source::Sources, diagnostics: &Diagnostics) -> Vec<Located> {
    diagnostics
        .sorted()
        .into_iter()
        .map(|d| {
            let (line, column) = match (d.file, &d.span) {
                (Some(f), Some(s)) => {
                    let (l, c) = sources.line_column(f, s.start);
                    (Some(l), Some(c))
                }
                _ => (None, None),
            };
            Located {
                code: d.code.as_str(),
                severity: d.severity(),
                file: d.file.map(|f| sources.name(f).to_string()),
                line,
                column,
                message: d.message.clone(),
            }
        })
        .collect()
}

/// Longest message kept whole: a message that quotes a 100 MB cell must not print it.
/// Above what [`shorten`] makes of a message, so that a message pushed twice (diagnostics of
/// a streamed file are collected, then appended) is cut only once.
const MAX_MESSAGE: usize = 400;

/// Cut an overlong message in the middle, keeping its start and end (where the quoted value's
/// closing backtick and the explanation are), and say how much was left out.
fn shorten(message: &mut String) {
    let chars = message.chars().count();
    if chars <= MAX_MESSAGE {
        return;
    }
    let head: String = message.chars().take(200).collect();
    let tail: String = message.chars().skip(chars - 80).collect();
    *message = format!("{head}…[{} characters]…{tail}", chars - 280);
}

/// The id among `candidates` closest to `wrong`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_prefixed_by_severity() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            let prefix = match code.severity() {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(code.as_str().starts_with(prefix), "{code}");
        }
    }

    #[test]
    fn diagnostics_past_the_cap_are_counted_not_kept() {
        let mut diags = Diagnostics::default();
        for i in 0..SHOWN_PER_CODE + 7 {
            diags.push(Diagnostic::at(Code::InvalidAmount, 0, i..i + 1, "bad"));
        }
        diags.push(Diagnostic::at(Code::InvalidAmount, 1, 0..1, "bad"));
        diags.push(Diagnostic::at(Code::OutsidePeriod, 0, 0..1, "late"));
        assert_eq!(diags.sorted().len(), SHOWN_PER_CODE + 2);
        assert_eq!(diags.errors(), SHOWN_PER_CODE + 8);
        assert_eq!(diags.warnings(), 1);
        assert_eq!(diags.suppressed(), vec![(Some(0), Code::InvalidAmount, 7)]);

        let mut merged = Diagnostics::default();
        merged.append(diags);
        assert_eq!(merged.errors(), SHOWN_PER_CODE + 8);
        assert_eq!(merged.sorted().len(), SHOWN_PER_CODE + 2);
        assert_eq!(merged.suppressed(), vec![(Some(0), Code::InvalidAmount, 7)]);
    }

    #[test]
    fn long_messages_are_cut_in_the_middle() {
        let mut m = format!("`{}` is not a number", "9".repeat(10_000));
        shorten(&mut m);
        assert!(m.chars().count() < MAX_MESSAGE, "{m}");
        assert!(
            m.starts_with("`999") && m.ends_with("` is not a number"),
            "{m}"
        );
        assert!(m.contains("…[9738 characters]…"), "{m}");
        let once = m.clone();
        shorten(&mut m);
        assert_eq!(m, once, "cut only once");
        let mut short = "fine".to_string();
        shorten(&mut short);
        assert_eq!(short, "fine");
    }

    #[test]
    fn suggestions_find_typos_only() {
        let ids = ["investeringspulje", "facilitering"];
        assert_eq!(
            did_you_mean("investeringspuljen", ids),
            Some("investeringspulje")
        );
        assert_eq!(did_you_mean("zzz", ids), None);
    }
}
