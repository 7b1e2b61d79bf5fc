//! Stage 2, load: the ledger files (SPEC 1.3) → raw rows whose fields keep their spans.
//!
//! Each entry of `ledger` in `plan.toml` is a path or a glob relative to the plan directory.
//! Globs are expanded and sorted by name; a file matched twice is read once. Every file goes
//! through the shared CSV reader ([`super::csv`]): its encoding, delimiter and number form are
//! worked out from the file itself. What the values mean is decided in
//! [`crate::validate::ledger`].

use foldhash::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::csv::{self, HeaderProblem, TextEncoding};
pub use super::ledger_rows::{LedgerFile, LedgerRow, OPTIONAL, REQUIRED, canonical_header};
use super::ledger_rows::{read_rows, slashed};
use super::memo::{LedgerCheckpoint, LedgerMark, LoadMemo};
use super::stream::{CsvStream, RawRecord};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{Date, EntrySink, Ledger, Plan};
use crate::source::{FileId, Segment, Sources};
use crate::tree::{self, Entry, Tree};
use crate::validate::ledger::{FieldRef, LedgerBuilder, RecordText, RowRef};
use crate::validate::values::DateLimits;

/// How the ledger is read.
#[derive(Debug, Clone)]
pub struct LedgerOptions {
    /// Keep every entry (for `plan export ledger`); otherwise only the sums are kept.
    pub keep_entries: bool,
    /// Files of at least this many bytes are read as a stream rather than whole.
    pub stream_above: u64,
    /// The day the command runs: a row dated after it is W005 (`None`: only the plan's
    /// period judges how far ahead a row may be).
    pub today: Option<Date>,
    /// The plan.toml the plan was validated from: what the rows are checked against follows
    /// from it alone ([`checked_against`]), and is found again only for another.
    pub plan_file: Option<std::sync::Arc<super::PlanFile>>,
}

/// Read, validate and add up every ledger file that the plan's `ledger` names, each in one
/// pass: a small file is read whole into [`Sources`]; a large one is streamed, and only the
/// records that diagnostics point at are kept (see [`Sources::set_segments`]).
///
/// A plain path that does not exist is skipped: validation has already reported a declared
/// one (E013), and the default `ledger.csv` may be absent (an empty ledger).
///
/// Read once more, whole and with the entries held and sorted, when the first reading cannot
/// be trusted to give the same answer: a budget's entries were not in date order (W101–W103
/// follow date order), or a streamed file turned out to mix UTF-8 with other bytes, or to hold
/// a NUL byte, after rows had been counted.
///
/// With a `memo` that reuses files and a ledger that keeps its entries, the ledger is first
/// read on from the state loaded just before (`read_on`); a ledger read whole leaves what
/// the next state needs for that (`checkpoint`).
///
/// `sink`: each row that passes its checks is handed to it as it is read (`plan export
/// ledger`, issue 19); told to restart when the ledger is read again.
#[allow(clippy::too_many_arguments)]
pub fn load_ledger(
    tree: &dyn Tree,
    plan: &Plan,
    declared: &HashSet<&str>,
    as_of: Date,
    options: &LedgerOptions,
    sources: &mut Sources,
    diags: &mut Diagnostics,
    memo: &mut LoadMemo,
    sink: Option<&mut dyn EntrySink>,
) -> Result<Ledger> {
    let last = memo.ledger.take();
    let checked = (memo.enabled() && options.keep_entries).then(|| {
        memo.checked_against(options.plan_file.as_ref(), || {
            checked_against(plan, declared)
        })
    });
    if let (Some(last), Some(checked)) = (last, &checked)
        && let Some(ledger) = read_on(
            tree, plan, declared, as_of, last, checked, sources, diags, memo,
        )?
    {
        return Ok(ledger);
    }
    let errors = diags.errors();
    let ledger = read_whole(tree, plan, declared, as_of, options, sources, diags, sink)?;
    if let Some(checked) = checked
        && diags.errors() == errors
    {
        memo.ledger = checkpoint(tree, plan, &ledger, as_of, &checked, memo.loads)?;
    }
    Ok(ledger)
}

#[allow(clippy::too_many_arguments)]
fn read_whole(
    tree: &dyn Tree,
    plan: &Plan,
    declared: &HashSet<&str>,
    as_of: Date,
    options: &LedgerOptions,
    sources: &mut Sources,
    diags: &mut Diagnostics,
    mut sink: Option<&mut dyn EntrySink>,
) -> Result<Ledger> {
    let mark = sources.len();
    let mut first = Diagnostics::default();
    if let Some(ledger) = read_all(
        tree,
        plan,
        declared,
        as_of,
        options,
        false,
        sources,
        &mut first,
        reborrow(&mut sink),
    )? {
        diags.append(first);
        return Ok(ledger);
    }
    sources.truncate(mark);
    if let Some(sink) = &mut sink {
        sink.restart();
    }
    let mut again = Diagnostics::default();
    let ledger = read_all(
        tree, plan, declared, as_of, options, true, sources, &mut again, sink,
    )?
    .unwrap_or_default();
    diags.append(again);
    Ok(ledger)
}

/// The sink for a while, its trait object's lifetime shortened to the borrow's.
fn reborrow<'a>(sink: &'a mut Option<&mut dyn EntrySink>) -> Option<&'a mut dyn EntrySink> {
    match sink {
        Some(sink) => Some(&mut **sink),
        None => None,
    }
}

/// What checking a ledger row depends on besides the row: the budgets' ids, kinds (not
/// their amounts) and periods, the ids declared, and the ledger's files. Two states that
/// agree on it check the same rows alike, whatever else changed in plan.toml.
fn checked_against(plan: &Plan, declared: &HashSet<&str>) -> String {
    let budgets: Vec<_> = plan
        .budgets
        .iter()
        .map(|b| (&b.id, b.kind.word(), b.period.start, b.period.end))
        .collect();
    let mut declared: Vec<&&str> = declared.iter().collect();
    declared.sort();
    format!("{budgets:?} {declared:?} {:?}", plan.ledger)
}

/// The plan's ledger files in the order [`read_all`] reads them, when every one is a regular
/// file in the canonical form (the case [`read_on`] serves).
fn canonical_files(tree: &dyn Tree, plan: &Plan) -> Option<Vec<PathBuf>> {
    let mut seen = HashSet::default();
    let mut files = Vec::new();
    for source in &plan.ledger {
        if source.mapping.is_some() {
            return None;
        }
        for path in tree::glob(tree, &source.pattern).ok()? {
            if !seen.insert(tree.identity(&path)) {
                continue;
            }
            if tree.escapes(&path).is_some() || !matches!(tree.entry(&path), Ok(Entry::File { .. }))
            {
                return None;
            }
            files.push(path);
        }
    }
    Some(files)
}

/// A ledger file decoded as [`super::read_csv_text`] decodes it, when it is text that ends
/// with a line break (so that rows appended to it start on a line of their own).
fn decoded(tree: &dyn Tree, path: &Path) -> Result<Option<(String, TextEncoding)>> {
    let bytes = tree
        .read(path)
        .with_context(|| format!("cannot read {}", tree.display(path)))?;
    let (text, encoding) = csv::decode_owned(bytes);
    Ok(
        (!text.contains('\0') && (text.is_empty() || text.ends_with('\n')))
            .then_some((text, encoding)),
    )
}

/// What the next state needs to read on from this one's ledger (see [`LedgerCheckpoint`]),
/// when it can: `ledger` was read whole without errors, with its entries.
fn checkpoint(
    tree: &dyn Tree,
    plan: &Plan,
    ledger: &Ledger,
    as_of: Date,
    checked: &str,
    load: u64,
) -> Result<Option<LedgerCheckpoint>> {
    // Every row is in the sums only when none is dated after as-of.
    if ledger.entries.iter().any(|e| e.date > as_of) {
        return Ok(None);
    }
    let Some(paths) = canonical_files(tree, plan) else {
        return Ok(None);
    };
    let mut files = Vec::new();
    for path in paths {
        let Some((text, encoding)) = decoded(tree, &path)? else {
            return Ok(None);
        };
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        files.push(LedgerMark {
            id: tree.content_id(&path),
            path,
            text,
            encoding,
            lines,
        });
    }
    Ok(Some(LedgerCheckpoint {
        load,
        checked: checked.to_owned(),
        files,
        sums: None,
        as_of,
    }))
}

/// Read the ledger on from where the state loaded just before ended, when this state's ledger
/// is that one with rows appended (SPEC 10.5): the same files, each starting with the text it
/// had, checked against the same plan.toml, and this state's date not earlier. Only the
/// appended rows are read and checked; the sums carry on from that state's, and W101–W103 are
/// not judged (see [`LedgerBuilder::resume`]). `None` when it is not such a continuation, or
/// when the appended rows have errors: then the files are read whole, as they would be
/// without the memo.
#[allow(clippy::too_many_arguments)]
fn read_on(
    tree: &dyn Tree,
    plan: &Plan,
    declared: &HashSet<&str>,
    as_of: Date,
    from: LedgerCheckpoint,
    checked: &str,
    sources: &mut Sources,
    diags: &mut Diagnostics,
    memo: &mut LoadMemo,
) -> Result<Option<Ledger>> {
    let paths: Vec<&PathBuf> = from.files.iter().map(|f| &f.path).collect();
    if from.checked != checked
        || as_of < from.as_of
        || canonical_files(tree, plan).is_none_or(|now| now.iter().ne(paths))
    {
        return Ok(None);
    }
    let mark = sources.len();
    let mut found = Diagnostics::default();
    let Some(sums) = from.sums else {
        return Ok(None);
    };
    let mut builder = LedgerBuilder::resume(plan, declared, as_of, sums);
    let mut files = Vec::new();
    let mut readable = true;
    for old in from.files {
        let display = tree.display(&old.path);
        let id = tree.content_id(&old.path);
        if id.is_some() && id == old.id {
            // The same contents: no new rows, and nothing of it to read.
            let file = sources.add(display.clone(), String::new());
            sources.set_segments(file, Vec::new());
            if old.encoding == TextEncoding::Windows1252 {
                found.push(super::decoded_as_windows_1252(file, &display));
            }
            files.push(old);
            continue;
        }
        let Some((text, encoding)) = decoded(tree, &old.path)? else {
            readable = false;
            break;
        };
        if encoding != old.encoding || !text.starts_with(&old.text) {
            readable = false;
            break;
        }
        // The file's text is kept in `sources` only when a diagnostic points into it, as a
        // streamed file's records are (see [`Sources::set_segments`]).
        let file = sources.add(display.clone(), String::new());
        sources.set_segments(file, Vec::new());
        let before = found.len();
        if encoding == TextEncoding::Windows1252 {
            found.push(super::decoded_as_windows_1252(file, &display));
        }
        let Some((header, c)) = header(file, &slashed(&old.path), &text, &mut found) else {
            readable = false;
            break;
        };
        builder.begin_file(file, &slashed(&old.path), header.dialect);
        for record in csv::records_from(&text, &header, old.text.len(), old.lines + 1) {
            let Ok(record) = record else {
                readable = false;
                break;
            };
            if let Some(row) = ledger_row(&record, c) {
                builder.row(&RowRef::from(&row), None, &mut found);
            }
        }
        if found.len() > before {
            sources.set_text(file, text.clone());
        }
        let lines =
            old.lines + memchr::memchr_iter(b'\n', &text.as_bytes()[old.text.len()..]).count();
        files.push(LedgerMark {
            path: old.path,
            id,
            text,
            encoding,
            lines,
        });
    }
    let (mut ledger, _) = builder.finish(&mut found);
    if !readable || found.errors() > 0 {
        // Read whole, so that the errors are shown as a whole reading shows them.
        sources.truncate(mark);
        return Ok(None);
    }
    diags.append(found);
    // Every row is in the sums only when none is dated after as-of; else the next state
    // reads its ledger whole.
    if ledger.entries.iter().all(|e| e.date <= as_of) {
        memo.ledger = Some(LedgerCheckpoint {
            load: memo.loads,
            checked: from.checked,
            files,
            sums: None,
            as_of,
        });
    }
    ledger.appended_to = Some(from.load);
    Ok(Some(ledger))
}

/// One reading of every ledger file. `sorted`: whole files, entries held and sorted; else
/// streaming large files and judging W101–W103 online, `None` when that was not right.
#[allow(clippy::too_many_arguments)]
fn read_all(
    tree: &dyn Tree,
    plan: &Plan,
    declared: &HashSet<&str>,
    as_of: Date,
    options: &LedgerOptions,
    sorted: bool,
    sources: &mut Sources,
    diags: &mut Diagnostics,
    mut sink: Option<&mut dyn EntrySink>,
) -> Result<Option<Ledger>> {
    let mut builder = LedgerBuilder::new(plan, declared, as_of, options.keep_entries, sorted)
        .warn_after(DateLimits::new(plan.period.end, options.today))
        .with_sink(reborrow(&mut sink));
    let mut streamed: Vec<(FileId, Vec<Segment>)> = Vec::new();
    let mut seen: HashSet<(Option<usize>, PathBuf)> = HashSet::default();
    let mut codes_seen = Vec::new();
    for (index, source) in plan.ledger.iter().enumerate() {
        let mut codes = std::collections::BTreeSet::new();
        for path in expand(tree, &source.pattern, diags) {
            if builder.stopped() {
                break;
            }
            // A canonical file matched twice is read once; a mapped item reads its files
            // whatever other items read (two maps may take different rows of one file).
            let item = source.mapping.is_some().then_some(index);
            if !seen.insert((item, tree.identity(&path))) {
                continue;
            }
            if let Some(escape) = tree.escapes(&path) {
                let file = sources.add(tree.display(&path), String::new());
                diags.push(Diagnostic::in_file(Code::PathOutsidePlan, file, escape));
                continue;
            }
            let shown = tree.display(&path);
            let size = match tree
                .entry(&path)
                .with_context(|| format!("cannot read {shown}"))?
            {
                Entry::File { len } => len,
                // Never opened: a named pipe would block for ever.
                other => {
                    let file = sources.add(shown.clone(), String::new());
                    let what = other.not_a_file().unwrap_or("not a regular file");
                    diags.push(
                        Diagnostic::in_file(
                            Code::NotText,
                            file,
                            format!("`{shown}` is {what}, not a file"),
                        )
                        .with_help("the ledger must be CSV files"),
                    );
                    continue;
                }
            };
            // A finance system's export (SPEC 9.7): its mapping is resolved against its
            // header once, and it is read whole; canonical files take the paths below.
            if let Some(mapping) = &source.mapping {
                let read = super::mapped::read(tree, &path, mapping, &mut codes, sources, diags)?;
                if let Some(f) = read {
                    builder.begin_mapped_file(f.file, &f.shown, f.dialect, mapping.negate);
                    for row in &f.rows {
                        builder.row(&RowRef::from(row), None, diags);
                    }
                }
                continue;
            }
            if !sorted && size >= options.stream_above {
                match stream_file(tree, &path, size, &mut builder, sources, diags)? {
                    Some(done) => streamed.push(done),
                    None => return Ok(None),
                }
            } else if let Some(f) = read_file(tree, &path, sources, diags)? {
                builder.begin_file(f.file, &f.shown, f.dialect);
                for row in &f.rows {
                    builder.row(&RowRef::from(row), None, diags);
                }
            }
        }
        if source.mapping.is_some() {
            codes_seen.push((index, codes));
        }
    }
    let (mut ledger, finished) = builder.finish(diags);
    ledger.codes_seen = codes_seen;
    if finished.out_of_order {
        return Ok(None);
    }
    for (file, mut segments) in streamed {
        segments.extend(
            finished
                .segments
                .iter()
                .filter(|(f, _)| *f == file)
                .map(|(_, s)| s.clone()),
        );
        sources.set_segments(file, segments);
    }
    Ok(Some(ledger))
}

/// How much of a streamed file is looked at to find its header and encoding.
const HEAD: usize = 64 * 1024;

/// Stream one large ledger file into `builder`. `None`: the file must be read whole after all.
fn stream_file(
    tree: &dyn Tree,
    path: &Path,
    size: u64,
    builder: &mut LedgerBuilder<'_>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<(FileId, Vec<Segment>)>> {
    let display = tree.display(path);
    let shown = slashed(path);
    let file = sources.add(display.clone(), String::new());
    let mut segments = Vec::new();

    let reader = tree
        .open(path)
        .with_context(|| format!("cannot read {display}"))?;
    let mut stream = CsvStream::open(reader, size, &display)?;
    let text = stream.peek(HEAD)?.to_owned();
    if stream.mixed || stream.saw_nul {
        return Ok(None);
    }
    let text = text.as_str();
    let before = diags.len();
    let Some((header, columns)) = header(file, &shown, text, diags) else {
        segments.push(Segment::head(text, 8 * 1024));
        return Ok(Some((file, segments)));
    };
    let data = match csv::line_start(text.as_bytes(), header.line) {
        Some(start) => csv::scan_record(text, start, header.dialect.delimiter).next,
        None => text.len(),
    };
    if data >= text.len() && text.len() >= HEAD {
        // A header longer than the head: rare enough to read the file whole.
        return Ok(None);
    }
    if diags.len() > before {
        segments.push(Segment::head(text, data));
    }
    let data_line = 1 + text.as_bytes()[..data]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    stream.start_records(data, header.dialect.delimiter, data_line);
    builder.begin_file(file, &shown, header.dialect);
    let expected = header.columns.len();
    let delimiter = header.dialect.delimiter;

    stream.each_record_while(|record| {
        if builder.stopped() {
            return false;
        }
        let kept = diags.len();
        let rec = RecordText {
            start: record.start,
            line: record.line,
            text: record.text,
        };
        stream_row(
            record, rec, file, expected, delimiter, columns, builder, diags,
        );
        if diags.len() > kept {
            segments.push(rec_segment(rec));
        }
        true
    })?;
    if stream.saw_nul || stream.mixed {
        return Ok(None);
    }
    if stream.encoding == TextEncoding::Windows1252 {
        diags.push(super::decoded_as_windows_1252(file, &display));
    }
    Ok(Some((file, segments)))
}

fn rec_segment(rec: RecordText<'_>) -> Segment {
    Segment {
        start: rec.start,
        line: rec.line,
        text: rec.text.into(),
    }
}

/// Check and add one streamed record, as the whole-file reader would.
///
/// The hot path of a large ledger: a record without quotes (nearly all of them) has its
/// fields straight from csv_core's field ends, as slices of the already checked text, with
/// no allocation; a record with a quote is scanned again for its field spans and quoting
/// errors, exactly as the whole-file reader scans it.
#[allow(clippy::too_many_arguments)]
fn stream_row(
    record: &RawRecord<'_>,
    rec: RecordText<'_>,
    file: FileId,
    expected: usize,
    delimiter: u8,
    c: Columns,
    builder: &mut LedgerBuilder<'_>,
    diags: &mut Diagnostics,
) {
    let (start, text) = (rec.start, rec.text);
    let end = start + text.len();
    if !record.quoted {
        // Without quotes a value is a slice of the text; field `i` lies between the
        // delimiters, as csv_core's ends say (each end counts the delimiters before it).
        let span = |i: usize| record.unquoted_span(i);
        // A byte that is neither white space nor the delimiter: the row is not blank (the
        // usual case, decided at the first byte). Otherwise the exact test.
        let surely_not_blank = text.bytes().any(|b| b != delimiter && b.is_ascii_graphic());
        if !surely_not_blank
            && (0..record.len()).all(|i| text.get(span(i)).unwrap_or("").trim().is_empty())
        {
            return;
        }
        if record.len() != expected {
            return wrong_field_count(file, start..end, expected, record.len(), diags);
        }
        let field = |i: usize| {
            let s = span(i);
            FieldRef {
                value: text.get(s.clone()).unwrap_or(""),
                span: start + s.start..start + s.end,
            }
        };
        return builder.row(&row_ref(rec.line, c, field), Some(rec), diags);
    }
    let scanned = csv::scan_record(text, 0, delimiter);
    if let Some((span, message)) = scanned.problem {
        diags.push(
            Diagnostic::at(Code::CsvSyntax, file, start + span.start..start + span.end, message)
                .with_help("each row needs one field per header column; quote a field that contains the delimiter"),
        );
        return;
    }
    let fields = &scanned.fields;
    if (0..record.len()).all(|i| fields.get(i).is_none_or(|f| f.value.trim().is_empty())) {
        return;
    }
    if record.len() != expected {
        return wrong_field_count(file, start..end, expected, record.len(), diags);
    }
    let field = |i: usize| match fields.get(i) {
        Some(f) => FieldRef {
            value: f.value.as_str(),
            span: start + f.span.start..start + f.span.end,
        },
        None => FieldRef {
            value: "",
            span: end..end,
        },
    };
    builder.row(&row_ref(rec.line, c, field), Some(rec), diags);
}

/// The row's known fields, by column.
fn row_ref<'a>(line: usize, c: Columns, field: impl Fn(usize) -> FieldRef<'a>) -> RowRef<'a> {
    RowRef {
        line,
        date: field(c.date),
        budget: field(c.budget),
        kind: field(c.kind),
        amount: field(c.amount),
        unit: c.unit.map(&field),
        reference: c.reference.map(&field),
        note: c.note.map(&field),
    }
}

fn wrong_field_count(
    file: FileId,
    span: std::ops::Range<usize>,
    expected: usize,
    found: usize,
    diags: &mut Diagnostics,
) {
    diags.push(
        Diagnostic::at(
            Code::CsvSyntax,
            file,
            span,
            format!("expected {expected} fields, found {found}"),
        )
        .with_help(
            "each row needs one field per header column; quote a field that contains the delimiter",
        ),
    );
}

/// The files a `ledger` entry names, sorted by name.
fn expand(tree: &dyn Tree, pattern: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
    match tree::glob(tree, pattern) {
        Ok(found) => found,
        Err(why) => {
            diags.push(Diagnostic {
                code: Code::InvalidValue,
                file: None,
                span: None,
                message: format!("ledger pattern `{pattern}` is not a valid glob: {why}"),
                label: None,
                help: Some("write a path or a glob such as `ledger/*.csv`".into()),
                also: Vec::new(),
            });
            Vec::new()
        }
    }
}

fn read_file(
    tree: &dyn Tree,
    path: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<LedgerFile>> {
    let Some(file) = super::read_csv_text(tree, path, "save the ledger as CSV", sources, diags)?
    else {
        return Ok(None);
    };
    Ok(parse(file, slashed(path), &sources.get(file).text, diags))
}

/// The columns of a ledger file: indexes of the known ones in the header.
#[derive(Debug, Clone, Copy)]
struct Columns {
    date: usize,
    budget: usize,
    kind: usize,
    amount: usize,
    unit: Option<usize>,
    reference: Option<usize>,
    note: Option<usize>,
}

/// The header of a ledger file, from (at least the start of) its decoded text; problems
/// become diagnostics (E102, W004).
fn header(
    file: FileId,
    shown: &str,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<(csv::Header, Columns)> {
    let header = match csv::detect_header(text, &REQUIRED) {
        Ok(header) => header,
        Err(HeaderProblem::Empty) => {
            diags.push(
                Diagnostic::in_file(
                    Code::MissingColumn,
                    file,
                    "the ledger is empty: it has no header line",
                )
                .with_help(format!("start it with the line `{}`", canonical_header())),
            );
            return None;
        }
        Err(HeaderProblem::MissingColumns { header, missing }) => {
            let start = header.columns.first().map_or(0, |c| c.span.start);
            let end = header.columns.last().map_or(start, |c| c.span.end);
            let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            let plural = if missing.len() == 1 { "" } else { "s" };
            let needs = format!(
                "the header needs date, budget, kind and amount: `{}`",
                canonical_header()
            );
            let help = match mapping_example(shown, &header, &missing) {
                Some(example) => format!(
                    "{needs}; or, to keep a finance system's export as it is, name its own headers with `columns` in plan.toml: {example}"
                ),
                None => needs,
            };
            diags.push(
                Diagnostic::at(
                    Code::MissingColumn,
                    file,
                    start..end,
                    format!("the ledger has no column{plural} {}", names.join(", ")),
                )
                .with_help(help),
            );
            return None;
        }
    };

    // Known columns by their first occurrence; everything else is warned about and ignored.
    let mut used: HashSet<usize> = HashSet::default();
    let mut index = |name: &str| {
        let i = header.index_of(name);
        used.extend(i);
        i
    };
    let [date, budget, kind, amount] = REQUIRED.map(&mut index);
    let [unit, reference, note] = OPTIONAL.map(&mut index);
    for (i, column) in header.columns.iter().enumerate() {
        if !used.contains(&i) {
            let known = REQUIRED.iter().chain(&OPTIONAL).any(|k| *k == column.key);
            let message = if known {
                format!(
                    "column `{}` appears twice; the second is ignored",
                    column.name
                )
            } else {
                format!(
                    "column `{}` is not a ledger column; it is ignored",
                    column.name
                )
            };
            diags.push(
                Diagnostic::at(Code::ExtraColumn, file, column.span.clone(), message)
                    .with_help(format!("the ledger's columns are `{}`", canonical_header())),
            );
        }
    }
    // All four were found, or detect_header would have said so.
    let (Some(date), Some(budget), Some(kind), Some(amount)) = (date, budget, kind, amount) else {
        return None;
    };
    let columns = Columns {
        date,
        budget,
        kind,
        amount,
        unit,
        reference,
        note,
    };
    Some((header, columns))
}

/// For a file with headers of its own (a finance system's export: `Bogføringsdato;Beløb`), the
/// `ledger` item of plan.toml that reads it as it is (SPEC 9.7), built from its header: each
/// missing date or amount column mapped to the header that looks like it (or `…`), a missing
/// kind or budget fixed for every row. `None` for a file whose every column is a ledger
/// column: it lacks a column, not a mapping.
fn mapping_example(shown: &str, header: &csv::Header, missing: &[String]) -> Option<String> {
    let own = |c: &&csv::HeaderColumn| {
        !REQUIRED
            .iter()
            .chain(&OPTIONAL)
            .any(|k| *k == c.key.as_str())
    };
    if !header.columns.iter().any(|c| own(&c)) {
        return None;
    }
    let looks_like = |words: &[&str]| {
        header
            .columns
            .iter()
            .filter(own)
            .find(|c| words.iter().any(|w| c.key.contains(w)))
            .map_or_else(|| "…".to_string(), |c| c.name.replace('"', "\\\""))
    };
    let mut columns = Vec::new();
    let mut fixed = Vec::new();
    for m in missing {
        match m.as_str() {
            "date" => columns.push(format!("date = \"{}\"", looks_like(&["dato", "date"]))),
            "amount" => columns.push(format!(
                "amount = \"{}\"",
                looks_like(&["beløb", "beloeb", "belob", "amount", "kr"])
            )),
            "kind" => fixed.push("kind = \"expense\"".to_string()),
            other => fixed.push(format!("{other} = \"…\"")),
        }
    }
    let mut parts = vec![format!("file = \"{shown}\"")];
    if !columns.is_empty() {
        parts.push(format!("columns = {{ {} }}", columns.join(", ")));
    }
    parts.extend(fixed);
    Some(format!("`ledger = [ {{ {} }} ]`", parts.join(", ")))
}

/// Header and rows of one decoded ledger file; problems become diagnostics.
fn parse(file: FileId, shown: String, text: &str, diags: &mut Diagnostics) -> Option<LedgerFile> {
    let (header, c) = header(file, &shown, text, diags)?;
    Some(read_rows(file, shown, text, &header, diags, |record| {
        ledger_row(record, c)
    }))
}

/// A record's fields by the columns they are in.
fn ledger_row(record: &csv::Record, c: Columns) -> Option<LedgerRow> {
    let field = |i: usize| record.fields.get(i).cloned();
    Some(LedgerRow {
        line: record.line,
        date: field(c.date)?,
        budget: field(c.budget)?,
        kind: field(c.kind)?,
        amount: field(c.amount)?,
        unit: c.unit.and_then(field),
        reference: c.reference.and_then(field),
        note: c.note.and_then(field),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> (Option<LedgerFile>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let file = parse(0, "ledger.csv".into(), text, &mut diags);
        (file, diags)
    }

    #[test]
    fn headers_are_case_insensitive_and_in_any_order() {
        let (file, diags) = parsed("Amount,KIND,budget,Date\n7.5,hours,f,2013-04-20\n");
        let file = file.expect("parsed");
        assert_eq!(diags.errors() + diags.warnings(), 0);
        let row = &file.rows[0];
        assert_eq!(row.amount.value, "7.5");
        assert_eq!(row.date.value, "2013-04-20");
        assert!(row.unit.is_none());
    }

    #[test]
    fn extra_and_duplicate_columns_are_warned() {
        let (file, diags) = parsed("date;budget;kind;amount;bilag;note;Note\n");
        assert!(file.is_some());
        assert_eq!(diags.warnings(), 2);
        assert_eq!(diags.errors(), 0);
    }

    #[test]
    fn missing_column_and_empty_file_are_errors() {
        let (file, diags) = parsed("date,budget,amount\n2013-01-01,x,1\n");
        assert!(file.is_none());
        assert_eq!(diags.sorted()[0].code, Code::MissingColumn);
        assert!(diags.sorted()[0].message.contains("`kind`"));
        let (file, diags) = parsed("");
        assert!(file.is_none());
        assert_eq!(diags.errors(), 1);
    }

    #[test]
    fn wrong_field_count_is_an_error_and_other_rows_stay() {
        let (file, diags) =
            parsed("date,budget,kind,amount\n2013-01-01,x,grant\n2013-01-02,x,grant,5\n");
        assert_eq!(diags.sorted()[0].code, Code::CsvSyntax);
        let file = file.expect("parsed");
        assert_eq!(file.rows.len(), 1);
        assert_eq!(file.rows[0].line, 3);
    }
}
