//! Stage 2 (after validation), load survey files: each file a `[[survey]]` declares is read
//! once, its layout worked out from the header (SPEC 1.4), every row checked with its place in
//! the file, and the answers summed per indicator and unit. Its one job: the declared survey
//! files → per-indicator, per-unit sums in the model, the same whether a file is read whole
//! or streamed. The statistics on those sums are `stats.rs`'s; the scores reports read them.
//!
//! Respondent rows never leave this module: a respondent or frequency row is added to an exact
//! per-unit [`Accumulator`] and dropped, so the model holds sums, not answers (SPEC 5.4).
//! Survey files need the validated indicators (their ids and scales), which is why this runs
//! after [`crate::validate`] rather than with the TOML files.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use anyhow::{Context as _, Result};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::load::csv::{
    self, CsvProblem, Dialect, Header, HeaderProblem, Record, TextEncoding, trimmed,
};
use crate::load::stream::{CsvStream, RawRecord};
use crate::model::{ColumnMapping, Indicator, Plan, Survey, SurveyScores, UnitAnswers, UnitScores};
use crate::source::{FileId, Segment, Sources};
use crate::stats::Accumulator;
use crate::tree::{Entry, Tree};

/// The four layouts of SPEC 1.4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `indicator,unit,n,mean,sd`: one row per indicator and unit.
    Aggregated,
    /// `respondent,unit,indicator,score`: one row per answer.
    Long,
    /// `respondent,unit,<indicator id>…`: one row per respondent.
    Wide,
    /// `indicator,unit,score,count`: how many gave each answer.
    Frequencies,
}

impl Layout {
    /// The canonical columns a file of this layout must have (`sd` is optional in aggregated
    /// files: vendors seldom print one; a wide file also needs at least one indicator column).
    pub fn required(self) -> &'static [&'static str] {
        match self {
            Layout::Aggregated => &["indicator", "unit", "n", "mean"],
            Layout::Long => &["respondent", "unit", "indicator", "score"],
            Layout::Wide => &["respondent", "unit"],
            Layout::Frequencies => &["indicator", "unit", "score", "count"],
        }
    }

    /// Canonical columns read when present.
    pub fn optional(self) -> &'static [&'static str] {
        match self {
            // `share`: the share in % of a share indicator (SPEC 12.5).
            Layout::Aggregated => &["sd", "share"],
            _ => &[],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Layout::Aggregated => "aggregated",
            Layout::Long => "respondents (long)",
            Layout::Wide => "respondents (wide)",
            Layout::Frequencies => "frequencies",
        }
    }
}

/// Read every declared survey file into `plan.scores`, and warn about CSV files in `surveys/`
/// that no `[[survey]]` declares. Files of at least `stream_above` bytes are streamed (only
/// the records that diagnostics point at are kept); smaller ones are read whole. `Err` only
/// when a file cannot be read at all.
pub fn load_surveys(
    plan: &mut Plan,
    tree: &dyn Tree,
    stream_above: u64,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<()> {
    let mut scores = Vec::new();
    // Measured indicators take their figures from measurement files (SPEC 9.1): in a survey
    // file their ids are as unknown as a typo.
    let indicators: Vec<crate::model::Indicator> = plan
        .indicators
        .iter()
        .filter(|i| i.source == crate::model::Source::Survey)
        .cloned()
        .collect();
    let mut respondents = vec![None; plan.surveys.len()];
    for (survey, respondents) in plan.surveys.iter().zip(&mut respondents) {
        let counts_respondents = plan
            .surveys
            .iter()
            .any(|s| s.wave == survey.wave && s.invited.is_some());
        let path = Path::new(&survey.file);
        let shown = tree.display(path);
        // Validation has reported a declared file that is not a regular file; it is never
        // opened (a named pipe would block for ever).
        let Entry::File { len: size } = tree
            .entry(path)
            .with_context(|| format!("cannot read {shown}"))?
        else {
            continue;
        };
        if size >= stream_above {
            let mark = sources.len();
            let mut streamed = Diagnostics::default();
            match stream_file(
                tree,
                path,
                size,
                (survey, counts_respondents),
                &indicators,
                sources,
                &mut streamed,
            )? {
                Some((file_scores, counted)) => {
                    diags.append(streamed);
                    scores.extend(file_scores);
                    *respondents = counted;
                    continue;
                }
                None => sources.truncate(mark),
            }
        }
        let Some(file) =
            super::read_csv_text(tree, path, "save the survey results as CSV", sources, diags)?
        else {
            continue;
        };
        let reader = FileReader {
            file,
            text: &sources.get(file).text,
            survey,
            indicators: &indicators,
            diags,
            counts_respondents,
        };
        let (file_scores, counted) = reader.read();
        scores.extend(file_scores);
        *respondents = counted;
    }
    for (survey, counted) in plan.surveys.iter_mut().zip(respondents) {
        survey.respondents = counted;
    }
    plan.scores = scores;
    undeclared_files(plan, tree, sources, diags);
    Ok(())
}

/// W201: a CSV file in `surveys/` that no `[[survey]]` declares (it is probably meant to count).
fn undeclared_files(plan: &Plan, tree: &dyn Tree, sources: &mut Sources, diags: &mut Diagnostics) {
    let folder = Path::new("surveys");
    let declared: Vec<_> = plan
        .surveys
        .iter()
        .map(|s| tree.identity(Path::new(&s.file)))
        .collect();
    let names = tree.list(folder).unwrap_or_default();
    let undeclared = names.iter().map(|name| folder.join(name)).filter(|p| {
        p.extension()
            .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("csv"))
            && matches!(tree.entry(p), Ok(Entry::File { .. }))
            && !declared.contains(&tree.identity(p))
    });
    for path in undeclared {
        let shown = tree.display(&path);
        let file = sources.add(shown.clone(), String::new());
        diags.push(
            Diagnostic::in_file(
                Code::UndeclaredSurvey,
                file,
                format!("`{shown}` is not declared by any [[survey]] and is not read"),
            )
            .with_help(
                "add a [[survey]] entry with its wave and date to plan.toml, or remove the file",
            ),
        );
    }
}

/// One survey file being read.
struct FileReader<'a> {
    file: FileId,
    text: &'a str,
    survey: &'a Survey,
    indicators: &'a [Indicator],
    diags: &'a mut Diagnostics,
    /// Count the distinct respondents: only a wave with `invited` uses their number (the
    /// response rate, SPEC 12.5), and counting them holds every id seen.
    counts_respondents: bool,
}

/// Where each column the layout uses sits in the header.
struct Columns {
    layout: Layout,
    /// Canonical name → column index.
    named: HashMap<&'static str, usize>,
    /// Wide files: (indicator index, column index).
    indicator_columns: Vec<(usize, usize)>,
    /// The header line, for diagnostics about a column it lacks.
    header_span: Range<usize>,
}

/// Answers collected per indicator (by index) and unit, in order of first appearance.
///
/// A share indicator (SPEC 12.5) keeps each answer as 100 (positive) or 0, so that its
/// exact "mean" is the share in %, and n the valid answers. Indicator `i` of `n` has a
/// second slot at `n + i`: the answers its twins (indicators asking the same `question`)
/// lend it, used when the file has no rows of its own for it.
struct Collector {
    per_indicator: Vec<Vec<UnitScores>>,
    /// Per indicator: its positive answers times 10⁴ when it is a share.
    positive: Vec<Option<Vec<i64>>>,
    /// Per indicator: the other indicators asking the same question.
    twins: Vec<Vec<usize>>,
    /// The respondent ids seen (respondent-level files), hashed: only their number is kept.
    respondents: foldhash::HashSet<u64>,
    /// Whether to count them (see [`FileReader`]).
    counts_respondents: bool,
    /// The last respondent id counted: a long file has one row per answer, and a
    /// respondent's rows come together, so most rows repeat the id before them.
    last_respondent: String,
    /// Canonical columns already reported missing, with the indicator (once per file).
    reported: Vec<(usize, &'static str)>,
    /// Unit names of the file, interned: name → id.
    unit_ids: foldhash::HashMap<Box<str>, u32>,
    /// The last unit looked up, and its id: rows of one unit usually come together.
    last_unit: String,
    last_id: Option<u32>,
    /// Per indicator, per unit id: 1 + the unit's place in `per_indicator`, or 0.
    slots: Vec<Vec<u32>>,
}

impl Collector {
    fn new(indicators: &[Indicator], counts_respondents: bool) -> Self {
        let count = indicators.len();
        let scaled = |d: &Decimal| crate::stats::scale_score(*d).ok();
        let positive = indicators
            .iter()
            .map(|i| {
                i.share
                    .as_ref()
                    .map(|s| s.positive.iter().filter_map(scaled).collect())
            })
            .collect();
        let twins = indicators
            .iter()
            .enumerate()
            .map(|(index, i)| {
                let Some(question) = i.question.as_deref().map(str::trim) else {
                    return Vec::new();
                };
                indicators
                    .iter()
                    .enumerate()
                    .filter(|(other, o)| {
                        *other != index
                            && o.is_share() != i.is_share()
                            && o.question.as_deref().map(str::trim) == Some(question)
                    })
                    .map(|(other, _)| other)
                    .collect()
            })
            .collect();
        Collector {
            per_indicator: vec![Vec::new(); 2 * count],
            positive,
            twins,
            respondents: foldhash::HashSet::default(),
            counts_respondents,
            last_respondent: String::new(),
            reported: Vec::new(),
            unit_ids: foldhash::HashMap::default(),
            last_unit: String::new(),
            last_id: None,
            slots: vec![Vec::new(); 2 * count],
        }
    }

    /// The value an indicator keeps for an answer `x` (times 10⁴): for a share, 100 when the
    /// answer counts and 0 when not.
    fn value_for(&self, indicator: usize, x: i64) -> i64 {
        match self.positive.get(indicator) {
            Some(Some(positive)) if positive.contains(&x) => 100 * 10_000,
            Some(Some(_)) => 0,
            _ => x,
        }
    }

    /// Add `count` answers `x` (times 10⁴) of a unit interned as `id` to an indicator, and
    /// lend them to its twins.
    fn add(&mut self, indicator: usize, id: u32, unit: &str, x: i64, count: u64) {
        let value = self.value_for(indicator, x);
        if let Some(acc) = self.answers_of(indicator, id, unit) {
            acc.add_count(value, count);
        }
        let own = self.positive.len();
        for k in 0..self.twins.get(indicator).map_or(0, Vec::len) {
            let Some(&twin) = self.twins.get(indicator).and_then(|t| t.get(k)) else {
                continue;
            };
            let value = self.value_for(twin, x);
            if let Some(acc) = self.answers_of(own + twin, id, unit) {
                acc.add_count(value, count);
            }
        }
    }

    /// [`Collector::add`] for a unit by name.
    fn add_named(&mut self, indicator: usize, unit: &str, x: i64, count: u64) {
        let id = self.unit_id(unit);
        self.add(indicator, id, unit, x, count);
    }

    /// Count a respondent id (blank ids are not counted: they tell no one apart).
    fn respondent(&mut self, id: &str) {
        use std::hash::BuildHasher;
        let id = id.trim();
        if self.counts_respondents && !id.is_empty() && id != self.last_respondent {
            let state = foldhash::quality::FixedState::with_seed(0);
            self.respondents.insert(state.hash_one(id));
            self.last_respondent.clear();
            self.last_respondent.push_str(id);
        }
    }

    /// Each indicator's units: its own rows, else what its twins lent it; and the number of
    /// distinct respondents when the file named any.
    fn into_units(mut self) -> (Vec<Vec<UnitScores>>, Option<u64>) {
        let own = self.positive.len();
        let lent = self.per_indicator.split_off(own);
        let units = self
            .per_indicator
            .into_iter()
            .zip(lent)
            .map(|(mine, lent)| if mine.is_empty() { lent } else { mine })
            .collect();
        let respondents = (!self.respondents.is_empty())
            .then(|| u64::try_from(self.respondents.len()).unwrap_or(u64::MAX));
        (units, respondents)
    }

    /// The id of a unit name in this file.
    fn unit_id(&mut self, unit: &str) -> u32 {
        if let Some(id) = self.last_id
            && self.last_unit == unit
        {
            return id;
        }
        let next = u32::try_from(self.unit_ids.len()).unwrap_or(u32::MAX);
        let id = match self.unit_ids.get(unit) {
            Some(&id) => id,
            None => {
                self.unit_ids.insert(unit.into(), next);
                next
            }
        };
        self.last_unit.clear();
        self.last_unit.push_str(unit);
        self.last_id = Some(id);
        id
    }

    /// [`Collector::answers`] for a unit already interned as `id`.
    fn answers_of(&mut self, indicator: usize, id: u32, unit: &str) -> Option<&mut Accumulator> {
        let slots = self.slots.get_mut(indicator)?;
        let units = self.per_indicator.get_mut(indicator)?;
        let id = id as usize;
        if slots.len() <= id {
            slots.resize(id + 1, 0);
        }
        let slot = slots.get_mut(id)?;
        let at = match *slot {
            0 => {
                units.push(UnitScores {
                    unit: unit.to_string(),
                    answers: UnitAnswers::Answers(Accumulator::new()),
                });
                *slot = u32::try_from(units.len()).unwrap_or(u32::MAX);
                units.len() - 1
            }
            k => k as usize - 1,
        };
        match &mut units.get_mut(at)?.answers {
            UnitAnswers::Answers(acc) => Some(acc),
            UnitAnswers::Aggregate { .. } => None,
        }
    }
}

/// What the rows of one file add up to, as they are read.
struct Reading {
    collector: Collector,
    /// Aggregated files: rows per indicator, and the spans of blank `n` fields, to apply
    /// "n may be blank only when the file has a single row for that indicator".
    rows_per_indicator: Vec<usize>,
    blank_n: Vec<(usize, Range<usize>)>,
}

impl Reading {
    fn new(indicators: &[Indicator], counts_respondents: bool) -> Self {
        Reading {
            collector: Collector::new(indicators, counts_respondents),
            rows_per_indicator: vec![0; indicators.len()],
            blank_n: Vec::new(),
        }
    }
}

impl FileReader<'_> {
    fn read(mut self) -> (Vec<SurveyScores>, Option<u64>) {
        let Some((header, columns)) = self.header() else {
            return (Vec::new(), None);
        };
        let mut reading = Reading::new(self.indicators, self.counts_respondents);
        for record in csv::records(self.text, &header) {
            self.record(record, &columns, header.dialect, &mut reading);
        }
        self.finish(reading)
    }

    /// Check one record and add what it says.
    fn record(
        &mut self,
        record: Result<Record, CsvProblem>,
        columns: &Columns,
        dialect: Dialect,
        reading: &mut Reading,
    ) {
        let record = match record {
            Ok(r) => r,
            Err(problem) => {
                self.diags.push(Diagnostic::at(
                    Code::CsvSyntax,
                    self.file,
                    problem.span,
                    problem.message,
                ));
                return;
            }
        };
        let collector = &mut reading.collector;
        if let Some(id) = columns.named.get("respondent").and_then(|&i| record.get(i)) {
            collector.respondent(id);
        }
        let unit = columns
            .named
            .get("unit")
            .and_then(|&i| record.get(i))
            .unwrap_or("")
            .trim();
        match columns.layout {
            Layout::Aggregated => {
                if let Some((indicator, blank)) =
                    self.aggregated_row(&record, columns, dialect, unit, collector)
                {
                    if let Some(count) = reading.rows_per_indicator.get_mut(indicator) {
                        *count += 1;
                    }
                    if let Some(span) = blank {
                        reading.blank_n.push((indicator, span));
                    }
                }
            }
            Layout::Long => {
                if let Some(indicator) = self.indicator_field(&record, columns) {
                    let score = columns.named.get("score").copied();
                    self.answer(&record, score, indicator, dialect, unit, 1, collector);
                }
            }
            Layout::Wide => {
                for &(indicator, column) in &columns.indicator_columns {
                    self.answer(
                        &record,
                        Some(column),
                        indicator,
                        dialect,
                        unit,
                        1,
                        collector,
                    );
                }
            }
            Layout::Frequencies => {
                if let Some(indicator) = self.indicator_field(&record, columns)
                    && let Some(count) = self.count(&record, columns, dialect)
                {
                    let score = columns.named.get("score").copied();
                    self.answer(&record, score, indicator, dialect, unit, count, collector);
                }
            }
        }
    }

    /// The checks that need the whole file, the scores it gave, and its respondents.
    fn finish(&mut self, reading: Reading) -> (Vec<SurveyScores>, Option<u64>) {
        let Reading {
            collector,
            rows_per_indicator,
            blank_n,
        } = reading;
        for (indicator, span) in blank_n {
            let rows = rows_per_indicator.get(indicator).copied().unwrap_or(0);
            if rows > 1 {
                let id = self.indicators.get(indicator).map_or("", |i| i.id.as_str());
                self.diags.push(
                    Diagnostic::at(
                        Code::InvalidCount,
                        self.file,
                        span,
                        format!("`n` is blank, but indicator `{id}` has {rows} rows in this file"),
                    )
                    .with_label("n is missing")
                    .with_help("`n` may be blank only when the file has a single (organisation-wide) row for the indicator"),
                );
            }
        }
        let (units, respondents) = collector.into_units();
        let scores = units
            .into_iter()
            .zip(self.indicators)
            .filter(|(units, _)| !units.is_empty())
            .map(|(units, indicator)| SurveyScores {
                wave: self.survey.wave.clone(),
                date: self.survey.date,
                indicator: indicator.id.clone(),
                units,
            })
            .collect();
        (scores, respondents)
    }

    /// The file's own name for a canonical column (or an indicator id), after `columns`.
    fn file_name<'s>(&'s self, canonical: &'s str) -> &'s str {
        self.survey
            .columns
            .iter()
            .find(|m| m.canonical == canonical)
            .map_or(canonical, |m| m.header.as_str())
    }

    fn header_span(header: &Header) -> Range<usize> {
        match (header.columns.first(), header.columns.last()) {
            (Some(first), Some(last)) => first.span.start..last.span.end.max(first.span.start),
            _ => 0..0,
        }
    }

    /// Find the header, decide the layout and locate its columns; report what is missing.
    fn header(&mut self) -> Option<(Header, Columns)> {
        let candidates: &[Layout] = match self.survey.layout.as_deref() {
            Some("aggregated") => &[Layout::Aggregated],
            Some("frequencies") => &[Layout::Frequencies],
            Some("respondents") => &[Layout::Long, Layout::Wide],
            _ => &[
                Layout::Aggregated,
                Layout::Frequencies,
                Layout::Long,
                Layout::Wide,
            ],
        };
        let mut first_problem = None;
        for &layout in candidates {
            let required: Vec<&str> = layout
                .required()
                .iter()
                .map(|c| self.file_name(c))
                .collect();
            let mut detected = csv::detect_header(self.text, &required);
            // An aggregated file of shares only (SPEC 12.5) has a `share` column in place of
            // `mean`: tried second, so that every message about other files stays the same.
            if layout == Layout::Aggregated
                && matches!(detected, Err(HeaderProblem::MissingColumns { .. }))
            {
                let shares: Vec<&str> = required
                    .iter()
                    .map(|&c| {
                        if c == self.file_name("mean") {
                            self.file_name("share")
                        } else {
                            c
                        }
                    })
                    .collect();
                if let Ok(header) = csv::detect_header(self.text, &shares) {
                    detected = Ok(header);
                }
            }
            match detected {
                Ok(header) => {
                    if let Some(columns) = self.columns(layout, &header) {
                        self.check_header(&header, &columns);
                        return Some((header, columns));
                    }
                    first_problem.get_or_insert((layout, None, header));
                }
                Err(HeaderProblem::Empty) => {
                    self.diags.push(
                        Diagnostic::in_file(
                            Code::UnknownLayout,
                            self.file,
                            "the survey file is empty: it has no header line",
                        )
                        .with_help("export the results again, or remove the [[survey]] entry"),
                    );
                    return None;
                }
                Err(HeaderProblem::MissingColumns { header, missing }) => {
                    first_problem.get_or_insert((layout, Some(missing), header));
                }
            }
        }
        let (layout, missing, header) = first_problem?;
        let span = Self::header_span(&header);
        // Columns that `columns` maps but that the header lacks: the most likely mistake, and
        // the one the user can fix by reading the message.
        let absent_mapped: Vec<&ColumnMapping> = self
            .survey
            .columns
            .iter()
            .filter(|m| header.index_of(&m.header).is_none())
            .collect();
        let declared = self.survey.layout.is_some();
        let diagnostic = if !absent_mapped.is_empty() {
            let names: Vec<String> = absent_mapped
                .iter()
                .map(|m| format!("`{}` (for `{}`)", m.header, m.canonical))
                .collect();
            let mut d = Diagnostic::at(
                Code::MissingColumn,
                self.file,
                span,
                format!(
                    "the header has no column {} named in `columns`",
                    names.join(", ")
                ),
            )
            .with_help("fix the header names in the [[survey]]'s `columns`; they must match the file's header exactly (case aside)");
            for m in absent_mapped {
                let (plan_file, written) = m.written_at.clone();
                d = d.with_secondary(
                    plan_file,
                    written,
                    format!("`{}` is mapped here", m.canonical),
                );
            }
            d
        } else if declared {
            let what = match missing {
                Some(missing) => missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                None => "any indicator".to_string(),
            };
            Diagnostic::at(
                Code::MissingColumn,
                self.file,
                span,
                format!("a {} survey file needs a column for {what}", layout.name()),
            )
            .with_help("add the column, or map the file's own header with `columns = { … }` in the [[survey]] entry")
        } else {
            // Split the header the way that gives the most columns, to show what it holds.
            let shown = csv::detect_header(self.text, &[]).unwrap_or(header);
            let seen: Vec<String> = shown
                .columns
                .iter()
                .map(|c| format!("`{}`", c.name))
                .collect();
            Diagnostic::at(
                Code::UnknownLayout,
                self.file,
                span,
                format!("cannot tell the layout of this survey file from its header ({})", seen.join(", ")),
            )
            .with_help("expected indicator,unit,n,mean,sd (aggregated), respondent,unit,indicator,score (long), respondent,unit,<indicator ids> (wide) or indicator,unit,score,count (frequencies); set `layout` and map the file's headers with `columns`")
        };
        self.diags.push(diagnostic);
        None
    }

    /// Locate the layout's columns in a header that has its required ones.
    fn columns(&self, layout: Layout, header: &Header) -> Option<Columns> {
        let mut named = HashMap::new();
        for &canonical in layout.required().iter().chain(layout.optional()) {
            if let Some(i) = header.index_of(self.file_name(canonical)) {
                named.insert(canonical, i);
            }
        }
        let mut indicator_columns = Vec::new();
        if layout == Layout::Wide {
            for (index, indicator) in self.indicators.iter().enumerate() {
                if let Some(column) = header.index_of(self.file_name(&indicator.id))
                    && !named.values().any(|&c| c == column)
                {
                    indicator_columns.push((index, column));
                }
            }
            if indicator_columns.is_empty() {
                return None;
            }
        }
        Some(Columns {
            layout,
            named,
            indicator_columns,
            header_span: Self::header_span(header),
        })
    }

    /// E102 for a mapped column the header lacks; W004 for columns that are not read.
    fn check_header(&mut self, header: &Header, columns: &Columns) {
        let span = Self::header_span(header);
        for mapping in &self.survey.columns {
            let (name, canonical) = (&mapping.header, &mapping.canonical);
            if header.index_of(name).is_none() {
                let (plan_file, written) = mapping.written_at.clone();
                self.diags.push(
                    Diagnostic::at(
                        Code::MissingColumn,
                        self.file,
                        span.clone(),
                        format!("the header has no column `{name}`, which `columns` maps `{canonical}` to"),
                    )
                    .with_secondary(plan_file, written, format!("`{canonical}` is mapped here"))
                    .with_help("fix the name in the [[survey]]'s `columns`, or remove the mapping"),
                );
            }
        }
        let ids = self.indicators.iter().map(|i| i.id.as_str());
        let ids: Vec<&str> = ids.collect();
        for (index, column) in header.columns.iter().enumerate() {
            let used = columns.named.values().any(|&c| c == index)
                || columns.indicator_columns.iter().any(|&(_, c)| c == index)
                // The respondent id is read to recognise the layout, and never kept.
                || column.key == self.file_name("respondent").to_lowercase();
            if used || column.name.is_empty() {
                continue;
            }
            let mut d = Diagnostic::at(
                Code::ExtraColumn,
                self.file,
                column.span.clone(),
                format!("column `{}` is not used and was ignored", column.name),
            );
            if columns.layout == Layout::Wide
                && let Some(near) = did_you_mean(&column.name, ids.iter().copied())
            {
                d = d.with_label(format!("did you mean indicator `{near}`?"));
            }
            self.diags.push(d);
        }
    }

    /// The indicator a long, frequencies or aggregated row is about; E008 when unknown.
    fn indicator_field(&mut self, record: &Record, columns: &Columns) -> Option<usize> {
        let field = record.fields.get(*columns.named.get("indicator")?)?;
        let id = field.value.trim();
        if let Some(i) = self.indicators.iter().position(|i| i.id == id) {
            return Some(i);
        }
        let mut d = Diagnostic::at(
            Code::UnknownReference,
            self.file,
            field.span.clone(),
            format!("indicator `{id}` is not defined in plan.toml"),
        );
        match did_you_mean(id, self.indicators.iter().map(|i| i.id.as_str())) {
            Some(near) => d = d.with_label(format!("did you mean `{near}`?")),
            None => {
                d = d.with_help("define an [[indicator]] with this id, or map the file's name to an indicator id with `columns`")
            }
        }
        self.diags.push(d);
        None
    }

    /// A number field in the file's dialect; E103 when it is not one.
    fn number(
        &mut self,
        record: &Record,
        column: usize,
        dialect: Dialect,
        what: &str,
    ) -> Option<Decimal> {
        let field = record.fields.get(column)?;
        match csv::parse_decimal(&field.value, dialect) {
            Ok(d) => Some(d),
            Err(why) => {
                self.diags.push(Diagnostic::at(
                    Code::InvalidNumber,
                    self.file,
                    field.span.clone(),
                    format!("{what}: {why}"),
                ));
                None
            }
        }
    }

    /// E201 when `value` is off the indicator's scale.
    fn on_scale(
        &mut self,
        value: Decimal,
        span: Range<usize>,
        indicator: usize,
        what: &str,
    ) -> bool {
        let Some(ind) = self.indicators.get(indicator) else {
            return false;
        };
        // Validation gives every survey indicator a scale.
        let (Some(min), Some(max)) = (ind.scale_min, ind.scale_max) else {
            return true;
        };
        if value >= min && value <= max {
            return true;
        }
        self.diags.push(
            Diagnostic::at(
                Code::ScoreOutsideScale,
                self.file,
                span,
                format!(
                    "{what} {value} is outside the scale {}..{} of indicator `{}`",
                    min, max, ind.id
                ),
            )
            .with_help("fix the value, list its code in the [[survey]]'s `missing`, or correct the indicator's `scale`"),
        );
        false
    }

    /// One answer (or `count` equal answers) from a score field: blank and `missing` codes
    /// are no answer; anything else must be a number on the scale.
    #[allow(clippy::too_many_arguments)]
    fn answer(
        &mut self,
        record: &Record,
        column: Option<usize>,
        indicator: usize,
        dialect: Dialect,
        unit: &str,
        count: u64,
        collector: &mut Collector,
    ) {
        let Some(field) = column.and_then(|c| record.fields.get(c)) else {
            return;
        };
        let raw = field.value.trim();
        if raw.is_empty()
            || self
                .survey
                .missing
                .iter()
                .any(|m| m.trim().eq_ignore_ascii_case(raw))
        {
            return;
        }
        let Some(score) = column.and_then(|c| self.number(record, c, dialect, "the score")) else {
            return;
        };
        if !self.on_scale(score, field.span.clone(), indicator, "score") {
            return;
        }
        match crate::stats::scale_score(score) {
            Ok(scaled) => collector.add_named(indicator, unit, scaled, count),
            Err(why) => self.diags.push(Diagnostic::at(
                Code::InvalidNumber,
                self.file,
                field.span.clone(),
                format!("the score `{raw}` cannot be used: {why}"),
            )),
        }
    }

    /// A frequency row's `count`: a whole number ≥ 0 (vendors print the empty answers too).
    fn count(&mut self, record: &Record, columns: &Columns, dialect: Dialect) -> Option<u64> {
        let column = *columns.named.get("count")?;
        let span = record.fields.get(column)?.span.clone();
        let value = self.number(record, column, dialect, "the count")?;
        match whole(value) {
            Some(n) => Some(n),
            None => {
                self.diags.push(Diagnostic::at(
                    Code::InvalidCount,
                    self.file,
                    span,
                    format!("the count {value} is not a whole number ≥ 0"),
                ));
                None
            }
        }
    }

    /// One aggregated row. Returns the indicator and, when `n` is blank, its span.
    fn aggregated_row(
        &mut self,
        record: &Record,
        columns: &Columns,
        dialect: Dialect,
        unit: &str,
        collector: &mut Collector,
    ) -> Option<(usize, Option<Range<usize>>)> {
        let indicator = self.indicator_field(record, columns)?;
        let n_column = *columns.named.get("n")?;
        let n_field = record.fields.get(n_column)?;
        let mut ok = true;
        let mut blank = None;
        let n = if n_field.value.trim().is_empty() {
            blank = Some(n_field.span.clone());
            None
        } else {
            match self
                .number(record, n_column, dialect, "n")
                .map(|v| (v, whole(v)))
            {
                Some((_, Some(n))) if n >= 1 => Some(n),
                Some((v, _)) => {
                    self.diags.push(
                        Diagnostic::at(
                            Code::InvalidCount,
                            self.file,
                            n_field.span.clone(),
                            format!("n is {v}: it must be a whole number of at least 1"),
                        )
                        .with_help("leave out a unit without answers, or fix its n"),
                    );
                    ok = false;
                    None
                }
                None => {
                    ok = false;
                    None
                }
            }
        };
        let share = self
            .indicators
            .get(indicator)
            .is_some_and(Indicator::is_share);
        if share {
            let value = self.share_field(record, columns, dialect, indicator, collector)?;
            if ok && let Some(units) = collector.per_indicator.get_mut(indicator) {
                units.push(UnitScores {
                    unit: unit.to_string(),
                    answers: UnitAnswers::Aggregate {
                        n,
                        mean: value,
                        sd: None,
                    },
                });
            }
            return Some((indicator, blank));
        }
        let Some(&mean_column) = columns.named.get("mean") else {
            self.column_missing(columns, collector, indicator, "mean");
            return Some((indicator, blank));
        };
        let mean_span = record.fields.get(mean_column)?.span.clone();
        let mean = self.number(record, mean_column, dialect, "the mean");
        let mean = match mean {
            Some(m) if self.on_scale(m, mean_span, indicator, "the mean") => Some(m),
            _ => None,
        };
        let sd = match columns
            .named
            .get("sd")
            .and_then(|&c| record.fields.get(c).map(|f| (c, f)))
        {
            Some((c, f)) if !f.value.trim().is_empty() => {
                let span = f.span.clone();
                match self.number(record, c, dialect, "the sd") {
                    Some(sd) if sd < Decimal::ZERO => {
                        self.diags.push(Diagnostic::at(
                            Code::NegativeSd,
                            self.file,
                            span,
                            format!("the standard deviation {sd} is negative"),
                        ));
                        ok = false;
                        None
                    }
                    Some(sd) => Some(sd),
                    None => {
                        ok = false;
                        None
                    }
                }
            }
            _ => None,
        };
        let mean = mean?;
        if !ok {
            return Some((indicator, blank));
        }
        let units = collector.per_indicator.get_mut(indicator)?;
        if units.iter().any(|u| u.unit == unit) {
            let id = self.indicators.get(indicator).map_or("", |i| i.id.as_str());
            let span = record.fields.first().map_or(0..0, |f| f.span.clone());
            self.diags.push(Diagnostic::at(
                Code::DuplicateId,
                self.file,
                span,
                format!("indicator `{id}` has a second row for unit `{unit}`"),
            ));
            return Some((indicator, blank));
        }
        units.push(UnitScores {
            unit: unit.to_string(),
            answers: UnitAnswers::Aggregate { n, mean, sd },
        });
        self.lend_share(record, columns, dialect, indicator, n, unit, collector);
        Some((indicator, blank))
    }

    /// A mean's row that also prints the share lends it to the share twins of the indicator
    /// (one question as both a mean and a share, SPEC 12.5).
    #[allow(clippy::too_many_arguments)]
    fn lend_share(
        &mut self,
        record: &Record,
        columns: &Columns,
        dialect: Dialect,
        indicator: usize,
        n: Option<u64>,
        unit: &str,
        collector: &mut Collector,
    ) {
        let Some(&column) = columns.named.get("share") else {
            return;
        };
        if record.get(column).is_none_or(|v| v.trim().is_empty()) {
            return;
        }
        let twins = collector.twins.get(indicator).cloned().unwrap_or_default();
        if twins.is_empty() {
            return;
        }
        let Some(value) = self.share_field(record, columns, dialect, indicator, collector) else {
            return;
        };
        let own = self.indicators.len();
        for twin in twins {
            if let Some(units) = collector.per_indicator.get_mut(own + twin)
                && !units.iter().any(|u| u.unit == unit)
            {
                units.push(UnitScores {
                    unit: unit.to_string(),
                    answers: UnitAnswers::Aggregate {
                        n,
                        mean: value,
                        sd: None,
                    },
                });
            }
        }
    }

    /// An aggregated row's share in %: E321 (once per indicator) when the file has no
    /// `share` column, E201 when the value is outside 0..100.
    fn share_field(
        &mut self,
        record: &Record,
        columns: &Columns,
        dialect: Dialect,
        indicator: usize,
        collector: &mut Collector,
    ) -> Option<Decimal> {
        let Some(&column) = columns.named.get("share") else {
            self.column_missing(columns, collector, indicator, "share");
            return None;
        };
        let span = record.fields.get(column)?.span.clone();
        let value = self.number(record, column, dialect, "the share")?;
        if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
            let id = self.indicators.get(indicator).map_or("", |i| i.id.as_str());
            self.diags.push(
                Diagnostic::at(
                    Code::ScoreOutsideScale,
                    self.file,
                    span,
                    format!(
                        "the share {value} of indicator `{id}` is outside 0..100 (a share is in %)"
                    ),
                )
                .with_help("write the share in per cent (78.5, not 0.785)"),
            );
            return None;
        }
        Some(value)
    }

    /// A row needs a column the aggregated file lacks: said once per indicator and column.
    fn column_missing(
        &mut self,
        columns: &Columns,
        collector: &mut Collector,
        indicator: usize,
        column: &'static str,
    ) {
        if collector.reported.contains(&(indicator, column)) {
            return;
        }
        collector.reported.push((indicator, column));
        let id = self.indicators.get(indicator).map_or("", |i| i.id.as_str());
        let (code, message, help) = if column == "share" {
            (
                Code::NoShareColumn,
                format!(
                    "indicator `{id}` is a share, but this aggregated file has no `share` column"
                ),
                "add a `share` column (the share in %), or map the file's own header with `columns = { share = \"…\" }` in the [[survey]] entry",
            )
        } else {
            (
                Code::MissingColumn,
                format!(
                    "indicator `{id}` is a mean, but this aggregated file has no `mean` column"
                ),
                "add a `mean` column, or map the file's own header with `columns = { mean = \"…\" }`",
            )
        };
        let span = columns.header_span.clone();
        self.diags
            .push(Diagnostic::at(code, self.file, span, message).with_help(help));
    }
}

/// How much of a streamed file is looked at to find its header and encoding.
const HEAD: usize = 64 * 1024;

/// Stream one large survey file: each record checked and added as it goes by, nothing of the
/// rows kept but the sums (and the text of the records that diagnostics point at).
/// `None`: the file must be read whole after all (its header is longer than the head, it is
/// broken before its rows, or it mixes UTF-8 with other bytes or holds a NUL byte).
fn stream_file(
    tree: &dyn Tree,
    path: &Path,
    size: u64,
    // The survey, and whether its distinct respondents are counted (see `FileReader`).
    (survey, counts_respondents): (&Survey, bool),
    indicators: &[Indicator],
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<(Vec<SurveyScores>, Option<u64>)>> {
    let display = tree.display(path);
    let reader = tree
        .open(path)
        .with_context(|| format!("cannot read {display}"))?;
    let mut stream = CsvStream::open(reader, size, &display)?;
    let head = stream.peek(HEAD)?.to_owned();
    if stream.mixed || stream.saw_nul {
        return Ok(None);
    }
    let file = sources.add(display.clone(), String::new());
    let mut segments = Vec::new();
    let mut reader = FileReader {
        file,
        text: &head,
        survey,
        indicators,
        diags,
        counts_respondents,
    };
    let before = reader.diags.len();
    let Some((header, columns)) = reader.header() else {
        // Whatever is wrong with the header, the whole-file reader says it the same way.
        return Ok(None);
    };
    let data = match csv::line_start(head.as_bytes(), header.line) {
        Some(start) => csv::scan_record(&head, start, header.dialect.delimiter).next,
        None => head.len(),
    };
    if data >= head.len() && head.len() >= HEAD {
        return Ok(None);
    }
    if reader.diags.len() > before {
        segments.push(Segment::head(&head, data));
    }
    let data_line = 1 + head.as_bytes()[..data]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    let dialect = header.dialect;
    let delimiter = dialect.delimiter;
    stream.start_records(data, delimiter, data_line);
    let expected = header.columns.len();
    let mut fast = Fast::new(&reader, &columns, dialect);
    let mut reading = Reading::new(indicators, counts_respondents);
    stream.each_record(|record| {
        let (start, line, text) = (record.start, record.line, record.text);
        if !record.quoted
            && record.len() == expected
            && fast.row(&reader, record, &mut reading.collector)
        {
            return;
        }
        let kept = (reader.diags.len(), reading.blank_n.len());
        let Some(owned) = owned_record(record, expected, delimiter) else {
            return;
        };
        reader.record(owned, &columns, dialect, &mut reading);
        if (reader.diags.len(), reading.blank_n.len()) != kept {
            segments.push(Segment {
                start,
                line,
                text: text.into(),
            });
        }
    })?;
    if stream.mixed || stream.saw_nul {
        return Ok(None);
    }
    let scores = reader.finish(reading);
    if stream.encoding == TextEncoding::Windows1252 {
        reader
            .diags
            .push(super::decoded_as_windows_1252(file, &display));
    }
    sources.set_segments(file, segments);
    Ok(Some(scores))
}

/// A streamed record as the whole-file reader gives it: a record with owned fields and
/// their spans in the decoded file, or the problem that makes it unreadable.
fn owned_record(
    record: &RawRecord<'_>,
    expected: usize,
    delimiter: u8,
) -> Option<Result<Record, CsvProblem>> {
    let (start, text) = (record.start, record.text);
    let end = start + text.len();
    let problem = |span: Range<usize>, message: String| CsvProblem {
        line: record.line,
        span,
        message,
    };
    let fields: Vec<csv::Field> = if record.quoted {
        let scanned = csv::scan_record(text, 0, delimiter);
        if let Some((span, message)) = scanned.problem {
            return Some(Err(problem(start + span.start..start + span.end, message)));
        }
        scanned
            .fields
            .into_iter()
            .map(|f| csv::Field {
                value: f.value,
                span: start + f.span.start..start + f.span.end,
            })
            .collect()
    } else {
        (0..record.len())
            .map(|i| {
                let span = record.unquoted_span(i);
                csv::Field {
                    value: text.get(span.clone()).unwrap_or("").to_owned(),
                    span: start + span.start..start + span.end,
                }
            })
            .collect()
    };
    if fields.iter().all(|f| f.value.trim().is_empty()) {
        // A blank record (an empty line, `;;;` from an empty Excel row): skipped.
        return None;
    }
    if fields.len() != expected {
        return Some(Err(problem(
            start..end,
            format!("expected {expected} fields, found {}", fields.len()),
        )));
    }
    Some(Ok(Record {
        line: record.line,
        fields,
    }))
}

/// The allocation-free path for the usual respondent row: no quotes, the right number of
/// fields, a known indicator, and a score that is blank, a `missing` code, or a plain number
/// ("7", "7.5"; "7,5" in a `;` file) on the scale. Anything else goes to the full reading,
/// which decides and explains.
struct Fast {
    layout: Layout,
    unit: Option<usize>,
    respondent: Option<usize>,
    indicator: Option<usize>,
    score: Option<usize>,
    /// Wide files: (indicator index, column index).
    indicator_columns: Vec<(usize, usize)>,
    danish: bool,
    /// Per indicator: the scale's ends times 10⁴, when they are exact at that scale.
    scales: Vec<Option<(i64, i64)>>,
    /// Wide files: the scores of one row, before any is added.
    row: Vec<Option<i64>>,
}

impl Fast {
    fn new(reader: &FileReader<'_>, columns: &Columns, dialect: Dialect) -> Self {
        let scaled = |d: Decimal| crate::stats::scale_score(d).ok();
        Fast {
            layout: columns.layout,
            unit: columns.named.get("unit").copied(),
            respondent: columns.named.get("respondent").copied(),
            indicator: columns.named.get("indicator").copied(),
            score: columns.named.get("score").copied(),
            indicator_columns: columns.indicator_columns.clone(),
            danish: dialect.danish_numbers(),
            scales: reader
                .indicators
                .iter()
                .map(|i| {
                    i.scale_min
                        .and_then(scaled)
                        .zip(i.scale_max.and_then(scaled))
                })
                .collect(),
            row: Vec::new(),
        }
    }

    /// Add the row when it takes the fast path; `false` when it must be read in full (nothing
    /// has been added then).
    fn row(
        &mut self,
        reader: &FileReader<'_>,
        record: &RawRecord<'_>,
        collector: &mut Collector,
    ) -> bool {
        let text = record.text;
        let value = |i: usize| text.get(record.unquoted_span(i)).unwrap_or("");
        let unit = trimmed(self.unit.map_or("", |i| value(i)));
        match self.layout {
            Layout::Long => {
                let (Some(ic), Some(sc)) = (self.indicator, self.score) else {
                    return false;
                };
                let id = trimmed(value(ic));
                let Some(indicator) = reader.indicators.iter().position(|i| i.id == id) else {
                    return false;
                };
                // Counted before the score is judged: a respondent with a blank answer (or one
                // the full reading explains) answered the survey all the same.
                if let Some(r) = self.respondent {
                    collector.respondent(value(r));
                }
                match self.score(reader, indicator, value(sc)) {
                    Some(Some(x)) => {
                        collector.add_named(indicator, unit, x, 1);
                        true
                    }
                    Some(None) => true,
                    None => false,
                }
            }
            Layout::Wide => {
                let mut row = std::mem::take(&mut self.row);
                row.clear();
                for &(indicator, column) in &self.indicator_columns {
                    match self.score(reader, indicator, value(column)) {
                        Some(x) => row.push(x),
                        None => {
                            self.row = row;
                            return false;
                        }
                    }
                }
                if let Some(r) = self.respondent {
                    collector.respondent(value(r));
                }
                let id = collector.unit_id(unit);
                for (&(indicator, _), x) in self.indicator_columns.iter().zip(&row) {
                    if let Some(x) = *x {
                        collector.add(indicator, id, unit, x, 1);
                    }
                }
                self.row = row;
                true
            }
            Layout::Aggregated | Layout::Frequencies => false,
        }
    }

    /// `Some(None)`: no answer (blank or a `missing` code); `Some(Some(x))`: a score on the
    /// scale, times 10⁴; `None`: not for the fast path.
    fn score(&self, reader: &FileReader<'_>, indicator: usize, raw: &str) -> Option<Option<i64>> {
        let raw = trimmed(raw);
        if raw.is_empty()
            || reader
                .survey
                .missing
                .iter()
                .any(|m| m.trim().eq_ignore_ascii_case(raw))
        {
            return Some(None);
        }
        let x = fast_score(raw, self.danish)?;
        let (min, max) = self.scales.get(indicator).copied().flatten()?;
        (min..=max).contains(&x).then_some(Some(x))
    }
}

/// A score of the usual form — digits, then optionally the decimal separator (`.`, or `,`
/// with Danish numbers) and one to four digits — times 10⁴; `None` for anything else.
fn fast_score(s: &str, danish: bool) -> Option<i64> {
    let sep = if danish { b',' } else { b'.' };
    let mut bytes = s.as_bytes().iter();
    let mut value: i64 = 0;
    let mut digits = 0;
    let mut next = None;
    for &b in bytes.by_ref() {
        if b.is_ascii_digit() {
            digits += 1;
            if digits > 9 {
                return None;
            }
            value = value * 10 + i64::from(b - b'0');
        } else {
            next = Some(b);
            break;
        }
    }
    if digits == 0 {
        return None;
    }
    let mut factor = 10_000;
    match next {
        None => {}
        Some(b) if b == sep => {
            let mut decimals = 0;
            for &b in bytes {
                if !b.is_ascii_digit() || decimals == 4 {
                    return None;
                }
                decimals += 1;
                factor /= 10;
                value = value * 10 + i64::from(b - b'0');
            }
            if decimals == 0 {
                return None;
            }
        }
        Some(_) => return None,
    }
    Some(value * factor)
}

/// A non-negative whole number.
fn whole(value: Decimal) -> Option<u64> {
    if value.fract().is_zero() && value >= Decimal::ZERO {
        value.to_u64()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Direction, UnitAnswers};
    use std::str::FromStr;

    fn indicator(id: &str) -> Indicator {
        Indicator {
            id: id.into(),
            title: id.into(),
            question: None,
            source: crate::model::Source::Survey,
            unit: None,
            scale_min: Some(Decimal::from(1)),
            scale_max: Some(Decimal::from(10)),
            precision: 2,
            baseline_wave: Some("2020".into()),
            baseline_value: None,
            targets: vec![],
            direction: Direction::Increase,
            parts: vec![],
            breaks: vec![],
            benchmarks: vec![],
            projection: vec![],
            unit_targets: vec![],
            share: None,
        }
    }

    fn survey(layout: Option<&str>, columns: &[(&str, &str)], missing: &[&str]) -> Survey {
        Survey {
            wave: "2020".into(),
            date: "2020-11-15".parse().expect("date"),
            file: "surveys/x.csv".into(),
            layout: layout.map(str::to_string),
            columns: columns
                .iter()
                .map(|(k, v)| ColumnMapping {
                    canonical: k.to_string(),
                    header: v.to_string(),
                    written_at: (0, 0..0),
                })
                .collect(),
            missing: missing.iter().map(|m| m.to_string()).collect(),
            invited: None,
            respondents: None,
        }
    }

    fn read(text: &str, survey: &Survey) -> (Vec<SurveyScores>, Vec<Code>) {
        let indicators = [indicator("udvikle"), indicator("implementere")];
        let mut diags = Diagnostics::default();
        let scores = FileReader {
            file: 0,
            text,
            survey,
            indicators: &indicators,
            diags: &mut diags,
            counts_respondents: true,
        }
        .read()
        .0;
        let codes = diags.sorted().iter().map(|d| d.code).collect();
        (scores, codes)
    }

    /// (unit, n, Σ scores) of an indicator's respondent units.
    fn sums(scores: &[SurveyScores], id: &str) -> Vec<(String, u64, f64)> {
        scores
            .iter()
            .filter(|s| s.indicator == id)
            .flat_map(|s| &s.units)
            .filter_map(|u| match &u.answers {
                UnitAnswers::Answers(a) => {
                    let s = a.summary()?;
                    Some((u.unit.clone(), s.n, s.mean * s.n as f64))
                }
                UnitAnswers::Aggregate { .. } => None,
            })
            .collect()
    }

    #[test]
    fn danish_aggregated_file_with_vendor_headers() {
        let s = survey(
            None,
            &[
                ("indicator", "Spørgsmål"),
                ("unit", "Center"),
                ("n", "Antal"),
                ("mean", "Gns."),
            ],
            &[],
        );
        let text = "Spørgsmål;Center;Antal;Gns.\r\nudvikle;A;1.200;6,85\r\nudvikle;B;30;7,1\r\n";
        let (scores, codes) = read(text, &s);
        assert!(codes.is_empty(), "{codes:?}");
        let units = &scores[0].units;
        assert_eq!(units.len(), 2);
        match &units[0].answers {
            UnitAnswers::Aggregate { n, mean, sd } => {
                assert_eq!(*n, Some(1200));
                assert_eq!(*mean, Decimal::from_str("6.85").expect("dec"));
                assert_eq!(*sd, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn wide_file_with_mapped_columns_and_missing_codes() {
        let s = survey(
            Some("respondents"),
            &[("respondent", "Id"), ("unit", "Afd"), ("udvikle", "Q1")],
            &["Ved ikke", "99"],
        );
        let text = "Id;Afd;Q1;implementere\n1;A;7;5\n2;A;ved ikke;\n3;A;99;6\n4;B;10;99\n";
        let (scores, codes) = read(text, &s);
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(
            sums(&scores, "udvikle"),
            vec![("A".into(), 1, 7.0), ("B".into(), 1, 10.0)]
        );
        assert_eq!(sums(&scores, "implementere"), vec![("A".into(), 2, 11.0)]);
    }

    #[test]
    fn frequencies_and_long_are_detected() {
        let s = survey(None, &[], &["Ved ikke"]);
        let text =
            "indicator,unit,score,count\nudvikle,A,7,3\nudvikle,A,8,0\nudvikle,A,Ved ikke,4\n";
        let (scores, codes) = read(text, &s);
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(sums(&scores, "udvikle"), vec![("A".into(), 3, 21.0)]);

        let text =
            "respondent,unit,indicator,score\nr1,A,udvikle,7\nr2,A,udvikle,\nr3,A,udvikle,9.5\n";
        let (scores, codes) = read(text, &s);
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(sums(&scores, "udvikle"), vec![("A".into(), 2, 16.5)]);
    }

    #[test]
    fn every_row_problem_is_reported() {
        let s = survey(None, &[], &[]);
        let text = "respondent,unit,indicator,score\nr1,A,udvikle,11\nr2,A,udvikel,5\nr3,A,udvikle,5,5\nr4,A,udvikle,x\n";
        let (_, codes) = read(text, &s);
        assert_eq!(
            codes,
            vec![
                Code::ScoreOutsideScale,
                Code::UnknownReference,
                Code::CsvSyntax,
                Code::InvalidNumber
            ]
        );
        let text =
            "indicator,unit,n,mean,sd\nudvikle,A,0,5,1\nudvikle,B,,5,1\nudvikle,C,3,0.5,-1\n";
        let (_, codes) = read(text, &s);
        assert_eq!(
            codes,
            vec![
                Code::InvalidCount,
                Code::InvalidCount,
                Code::ScoreOutsideScale,
                Code::NegativeSd
            ]
        );
        let s = survey(None, &[("mean", "Gns.")], &[]);
        let (_, codes) = read("indicator,unit,n,Gennemsnit\n", &s);
        assert_eq!(codes, vec![Code::MissingColumn]);
    }

    #[test]
    fn fast_scores_agree_with_the_full_reading() {
        for (s, danish) in [
            ("7", false),
            ("7.5", false),
            ("7,5", true),
            ("0004", false),
            ("10.0001", false),
            ("7.12345", false),
            ("7,5", false),
            ("7.5", true),
            ("1.000", true),
            ("7.", false),
            (".5", false),
            ("-1", false),
            ("1e1", false),
            ("", false),
        ] {
            let dialect = if danish {
                Dialect::SEMICOLON
            } else {
                Dialect::COMMA
            };
            let full = csv::parse_decimal(s, dialect)
                .ok()
                .and_then(|d| crate::stats::scale_score(d).ok());
            if let Some(x) = fast_score(s, danish) {
                assert_eq!(Some(x), full, "{s}");
            }
        }
        assert_eq!(fast_score("7,5", true), Some(75_000));
        assert_eq!(fast_score("10.0001", false), Some(100_001));
        assert_eq!(fast_score("7.12345", false), None);
        assert_eq!(fast_score("1.000", true), None);
    }
}
