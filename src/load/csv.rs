//! Reading the CSV files that `plan` takes as input (the budget ledger, the staff survey and
//! measurement files), whether they were written by a script or saved by Excel in a Danish
//! locale. Its one job: bytes as saved → records of text fields with their places, and each
//! field's number or date in the file's own form. What a column means is the business of
//! the readers that call it (`ledger.rs`, `mapped.rs`, `survey.rs`, `measurements.rs`).
//!
//! The files come "as is", so this module works out, without being told (SPEC 1.5):
//!
//! - the **encoding**: UTF-8 with or without BOM, UTF-16 LE/BE with BOM, and anything else as
//!   Windows-1252 (what Excel's plain "CSV" format writes) — see [`decode`];
//! - the **delimiter**: `,` or `;`, decided from the header line as the one that splits it into
//!   the columns the caller requires (`;` when both do) — see [`detect_header`];
//! - the **number form**, which follows the delimiter: a `;` file is a Danish Excel file and uses
//!   a decimal comma with optional `.` thousands separators (`45.000,50`); a `,` file uses a
//!   decimal point and no thousands separators (`45000.50`) — see [`parse_decimal`] and
//!   [`parse_hundredths`]. Reading a number in the other form is an error, never a guess,
//!   because `45.000` means forty-five thousand in one form and forty-five in the other;
//! - **dates** as `YYYY-MM-DD`, `DD-MM-YYYY` or `DD.MM.YYYY`, never month-first — see
//!   [`parse_date`].
//!
//! The records themselves are parsed by the `csv` crate (quoted fields, `""` escapes, embedded
//! newlines, CRLF, a trailing empty line). Because every problem `plan check` reports must name
//! the file, line and column, each [`Record`] carries its 1-based line and each [`Field`] the byte
//! range of its text in the decoded file; problems come back as values ([`CsvProblem`],
//! [`HeaderProblem`], `Err(String)` messages), and nothing here panics on what a file contains.
//!
//! Lines are counted the way the `csv` crate ends records: `\r\n`, `\n` and a lone `\r` each end
//! one line.

use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

// ---------------------------------------------------------------------------------------------
// Encodings
// ---------------------------------------------------------------------------------------------

/// How the bytes of a file were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without a byte order mark.
    Utf8,
    /// UTF-8 with a byte order mark (Excel's "CSV UTF-8"); the mark is stripped.
    Utf8Bom,
    /// UTF-16 little-endian, recognised by its byte order mark.
    Utf16Le,
    /// UTF-16 big-endian, recognised by its byte order mark.
    Utf16Be,
    /// Not valid UTF-8 and no BOM: decoded as Windows-1252 (Excel's plain "CSV").
    /// The caller should warn, naming the file.
    Windows1252,
}

/// Decode a file's bytes to text: UTF-8 with or without BOM (BOM stripped); UTF-16 LE/BE with BOM
/// (BOM stripped); anything else that is not valid UTF-8 is decoded as Windows-1252.
///
/// Never fails: malformed UTF-16, or malformed UTF-8 after a UTF-8 BOM, gives U+FFFD replacement
/// characters. (The caller warns on [`TextEncoding::Windows1252`].)
pub fn decode(bytes: &[u8]) -> (String, TextEncoding) {
    decode_owned(bytes.to_vec())
}

/// [`decode`], taking the bytes: UTF-8 without a BOM (the common case) becomes the text
/// without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> (String, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (
            String::from_utf8_lossy(rest).into_owned(),
            TextEncoding::Utf8Bom,
        );
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (text, _had_errors) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        return (text.into_owned(), TextEncoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (text, _had_errors) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        return (text.into_owned(), TextEncoding::Utf16Be);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, TextEncoding::Utf8),
        Err(error) => {
            let (text, _had_errors) =
                encoding_rs::WINDOWS_1252.decode_without_bom_handling(error.as_bytes());
            (text.into_owned(), TextEncoding::Windows1252)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Dialect and header
// ---------------------------------------------------------------------------------------------

/// The CSV dialect of a file, decided from its header line by [`detect_header`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// The field delimiter: `b','` or `b';'`.
    pub delimiter: u8,
}

impl Dialect {
    /// A `,`-separated file: numbers with a decimal point and no thousands separators.
    pub const COMMA: Dialect = Dialect { delimiter: b',' };
    /// A `;`-separated file (Danish Excel): numbers with a decimal comma and optional `.`
    /// thousands separators.
    pub const SEMICOLON: Dialect = Dialect { delimiter: b';' };

    /// Whether numbers in this file use the Danish form (true for a `;` delimiter).
    pub fn danish_numbers(&self) -> bool {
        self.delimiter == b';'
    }
}

/// One column of the header line as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderColumn {
    /// The column name, unquoted and trimmed, in the file's own spelling.
    pub name: String,
    /// The name trimmed and lowercased, for case-insensitive matching.
    pub key: String,
    /// Byte range of the name in the decoded text.
    pub span: Range<usize>,
}

/// The header line of a CSV file and the dialect it was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The dialect decided from this header line.
    pub dialect: Dialect,
    /// The columns in file order.
    pub columns: Vec<HeaderColumn>,
    /// 1-based line of the header.
    pub line: usize,
}

impl Header {
    /// Index of the first column whose name equals `name` (case-insensitive, trimmed).
    pub fn index_of(&self, name: &str) -> Option<usize> {
        let key = name.trim().to_lowercase();
        self.columns.iter().position(|c| c.key == key)
    }
}

/// Why no usable header line was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    /// No header line at all (an empty file, or only blank lines).
    Empty,
    /// Some required columns are missing. `header` is the best guess (the delimiter that matched
    /// most required columns, `;` on ties); `missing` lists the required names not present, as
    /// the caller spelled them.
    MissingColumns {
        /// The best-guess header.
        header: Header,
        /// The required column names that are not in the header.
        missing: Vec<String>,
    },
}

impl fmt::Display for HeaderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderProblem::Empty => write!(f, "the file is empty: it has no header line"),
            HeaderProblem::MissingColumns { header, missing } => {
                let list = |names: &mut dyn Iterator<Item = &str>| {
                    names
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let plural = if missing.len() == 1 { "" } else { "s" };
                write!(
                    f,
                    "line {}: missing column{plural} {}; the header has {}",
                    header.line,
                    list(&mut missing.iter().map(String::as_str)),
                    list(&mut header.columns.iter().map(|c| c.name.as_str())),
                )
            }
        }
    }
}

/// Decide the delimiter from the header line: the one (`;` or `,`) whose split contains all
/// `required` column names (case-insensitive, trimmed, surrounding quotes removed); `;` when
/// both do.
///
/// The header line is the first line that is not blank (blank: nothing but whitespace, `,` and
/// `;`, as Excel writes empty rows). An Excel `sep=;` / `sep=,` hint line before it is skipped
/// too. With no required columns at all, the delimiter that gives more columns wins (`;` on ties).
pub fn detect_header(text: &str, required: &[&str]) -> Result<Header, HeaderProblem> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut line = 1;
    loop {
        if pos >= bytes.len() {
            return Err(HeaderProblem::Empty);
        }
        let (content_end, next) = line_end(bytes, pos);
        let content = text.get(pos..content_end).unwrap_or("");
        if !is_blank_line(content) && !is_sep_hint(content) {
            break;
        }
        pos = next;
        line += 1;
    }

    let semi = header_columns(text, pos, b';');
    let comma = header_columns(text, pos, b',');
    let wanted: Vec<String> = required.iter().map(|r| r.trim().to_lowercase()).collect();
    let found = |cols: &[HeaderColumn]| {
        wanted
            .iter()
            .filter(|w| cols.iter().any(|c| &c.key == *w))
            .count()
    };
    let (semi_found, comma_found) = (found(&semi), found(&comma));

    let use_comma = if wanted.is_empty() {
        comma.len() > semi.len()
    } else if semi_found == wanted.len() {
        false
    } else if comma_found == wanted.len() {
        true
    } else {
        comma_found > semi_found
    };
    let (dialect, columns) = if use_comma {
        (Dialect::COMMA, comma)
    } else {
        (Dialect::SEMICOLON, semi)
    };
    let missing: Vec<String> = required
        .iter()
        .zip(&wanted)
        .filter(|(_, w)| !columns.iter().any(|c| &c.key == *w))
        .map(|(r, _)| r.trim().to_owned())
        .collect();
    let header = Header {
        dialect,
        columns,
        line,
    };
    if missing.is_empty() {
        Ok(header)
    } else {
        Err(HeaderProblem::MissingColumns { header, missing })
    }
}

/// A line with nothing but whitespace and delimiters (how Excel saves an empty row).
fn is_blank_line(content: &str) -> bool {
    content
        .chars()
        .all(|c| c.is_whitespace() || c == ',' || c == ';' || c == '\u{feff}')
}

/// Excel's `sep=;` hint line.
fn is_sep_hint(content: &str) -> bool {
    let t = content.trim().to_ascii_lowercase();
    t == "sep=;" || t == "sep=,"
}

/// The columns of the header record starting at `start`, split at `delimiter`.
fn header_columns(text: &str, start: usize, delimiter: u8) -> Vec<HeaderColumn> {
    let is_trim = |c: char| c.is_whitespace() || c == '\u{feff}';
    scan_record(text, start, delimiter)
        .fields
        .into_iter()
        .map(|field| {
            // Narrow the span to the trimmed text.
            let raw = text.get(field.span.clone()).unwrap_or("");
            let lead = raw.len() - raw.trim_start_matches(is_trim).len();
            let trail = raw.len() - raw.trim_end_matches(is_trim).len();
            let span_start = field.span.start + lead;
            let span = span_start..field.span.end.saturating_sub(trail).max(span_start);

            let mut name = field.value.trim_matches(is_trim);
            // Quotes that the CSV rules left in place (e.g. ` "date" `).
            if name.len() >= 2
                && let Some(inner) = name.strip_prefix('"').and_then(|n| n.strip_suffix('"'))
            {
                name = inner.trim_matches(is_trim);
            }
            HeaderColumn {
                name: name.to_owned(),
                key: name.to_lowercase(),
                span,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/// A data record after the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based line where the record starts.
    pub line: usize,
    /// The fields in file order; as many as the header has columns.
    pub fields: Vec<Field>,
}

impl Record {
    /// The value of field `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<&str> {
        self.fields.get(index).map(|f| f.value.as_str())
    }
}

/// One field of a [`Record`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's value: unquoted, `""` unescaped, not trimmed.
    pub value: String,
    /// Byte range in the decoded text of the field's content. For an unquoted field
    /// `&text[span] == value`; for a quoted field it is the content inside the quotes.
    pub span: Range<usize>,
}

/// A problem with one record: its line, a byte range in the text, and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvProblem {
    /// 1-based line of the problem.
    pub line: usize,
    /// Byte range in the decoded text the problem is about.
    pub span: Range<usize>,
    /// What is wrong, for a person (e.g. "expected 7 fields, found 5").
    pub message: String,
}

impl fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CsvProblem {}

/// Iterate over the records after the header.
///
/// Handles quoted fields, embedded newlines, CRLF, a trailing empty line, and skips blank
/// records (every field empty or whitespace, such as an empty line, or `;;;;` from an empty
/// Excel row). A record whose field count differs from the header's is a [`CsvProblem`]
/// ("expected 7 fields, found 5") and the iterator continues with the next record. A quoting
/// error (text after a closing quote, or a quote never closed) is a [`CsvProblem`] too; a quote
/// never closed swallows the rest of the file, so iteration ends after it.
pub fn records<'a>(
    text: &'a str,
    header: &Header,
) -> impl Iterator<Item = Result<Record, CsvProblem>> + 'a {
    RecordIter::new(text, header)
}

/// The records of `text` from byte `start`, the start of line `line`, on: the rows appended
/// to a file whose earlier part was read before.
pub fn records_from<'a>(
    text: &'a str,
    header: &Header,
    start: usize,
    line: usize,
) -> impl Iterator<Item = Result<Record, CsvProblem>> + 'a {
    let mut records = RecordIter::new(text, header);
    records.base = start.min(text.len());
    records.reader = reader(
        text.as_bytes().get(records.base..).unwrap_or(&[]),
        records.delimiter,
    );
    records.lines = LineCounter {
        offset: records.base,
        line,
    };
    records
}

fn reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes)
}

struct RecordIter<'a> {
    text: &'a str,
    delimiter: u8,
    expected: usize,
    /// Offset in `text` of the slice the reader reads.
    base: usize,
    reader: csv::Reader<&'a [u8]>,
    record: csv::ByteRecord,
    lines: LineCounter,
    done: bool,
}

impl<'a> RecordIter<'a> {
    fn new(text: &'a str, header: &Header) -> Self {
        let bytes = text.as_bytes();
        let delimiter = header.dialect.delimiter;
        let base = match line_start(bytes, header.line) {
            Some(start) => scan_record(text, start, delimiter).next,
            None => bytes.len(),
        };
        let reader = reader(bytes.get(base..).unwrap_or(&[]), delimiter);
        RecordIter {
            text,
            delimiter,
            expected: header.columns.len(),
            base,
            reader,
            record: csv::ByteRecord::new(),
            lines: LineCounter::new(),
            done: false,
        }
    }

    fn problem(&mut self, span: Range<usize>, message: String) -> CsvProblem {
        CsvProblem {
            line: self.lines.line_at(self.text.as_bytes(), span.start),
            span,
            message,
        }
    }
}

impl Iterator for RecordIter<'_> {
    type Item = Result<Record, CsvProblem>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        loop {
            if self.done {
                return None;
            }
            match self.reader.read_byte_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(err) => {
                    self.done = true;
                    let at = self
                        .base
                        .saturating_add(to_usize(self.reader.position().byte()));
                    let at = at.min(bytes.len());
                    return Some(Err(
                        self.problem(at..at, format!("cannot read the CSV: {err}"))
                    ));
                }
            }
            // The position is where the reader stood before the record, which may be before
            // blank lines that it skipped.
            let relative = self.record.position().map_or(0, |p| to_usize(p.byte()));
            let mut start = self.base.saturating_add(relative).min(bytes.len());
            while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
                start += 1;
            }
            let scanned = scan_record(self.text, start, self.delimiter);
            if let Some((span, message)) = scanned.problem {
                if scanned.next >= bytes.len() {
                    self.done = true;
                }
                return Some(Err(self.problem(span, message)));
            }
            let line = self.lines.line_at(bytes, start);
            if scanned.fields.len() != self.record.len() {
                // Cannot happen when the scanner follows the csv crate's rules; reported rather
                // than trusted.
                return Some(Err(CsvProblem {
                    line,
                    span: start..scanned.end,
                    message: "could not find the fields of this record".to_owned(),
                }));
            }
            if self
                .record
                .iter()
                .all(|f| String::from_utf8_lossy(f).trim().is_empty())
            {
                continue;
            }
            if self.record.len() != self.expected {
                return Some(Err(CsvProblem {
                    line,
                    span: start..scanned.end,
                    message: format!(
                        "expected {} fields, found {}",
                        self.expected,
                        self.record.len()
                    ),
                }));
            }
            let fields = self
                .record
                .iter()
                .zip(scanned.fields)
                .map(|(value, scanned)| Field {
                    value: String::from_utf8_lossy(value).into_owned(),
                    span: scanned.span,
                })
                .collect();
            return Some(Ok(Record { line, fields }));
        }
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// A field found by [`scan_record`].
#[derive(Debug)]
pub(crate) struct ScannedField {
    /// Content span: the raw text for an unquoted field, the text inside the quotes for a quoted
    /// one.
    pub(crate) span: Range<usize>,
    /// The value, unquoted and unescaped.
    pub(crate) value: String,
}

/// One record found by [`scan_record`].
#[derive(Debug)]
pub(crate) struct Scanned {
    pub(crate) fields: Vec<ScannedField>,
    /// End of the record's text (before its line break).
    pub(crate) end: usize,
    /// Start of what follows the record's line break.
    pub(crate) next: usize,
    /// The first quoting problem, if any.
    pub(crate) problem: Option<(Range<usize>, String)>,
}

/// Scan one record starting at byte `start`, following the same rules as the `csv` crate
/// (a quote only opens a field at its very start, `""` inside quotes is a quote, text after a
/// closing quote is appended to the field, `\r`, `\n` and `\r\n` end a record), to find where
/// each field is and to spot quoting errors that the `csv` crate silently accepts.
pub(crate) fn scan_record(text: &str, start: usize, delimiter: u8) -> Scanned {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let ends_field = |b: u8| b == delimiter || b == b'\r' || b == b'\n';
    let mut fields = Vec::new();
    let mut problem = None;
    let mut i = start.min(len);
    loop {
        if bytes.get(i) == Some(&b'"') {
            let content_start = i + 1;
            let mut value = Vec::new();
            let mut j = content_start;
            let mut closed = false;
            while let Some(&b) = bytes.get(j) {
                if b == b'"' {
                    if bytes.get(j + 1) == Some(&b'"') {
                        value.push(b'"');
                        j += 2;
                        continue;
                    }
                    closed = true;
                    break;
                }
                value.push(b);
                j += 1;
            }
            if !closed {
                fields.push(ScannedField {
                    span: content_start..len,
                    value: String::from_utf8_lossy(&value).into_owned(),
                });
                let problem = Some((
                    i..len,
                    "a quoted field is never closed: the `\"` that opens it has no closing `\"`"
                        .to_owned(),
                ));
                return Scanned {
                    fields,
                    end: len,
                    next: len,
                    problem,
                };
            }
            let content_end = j;
            j += 1; // the closing quote
            let junk_start = j;
            while let Some(&b) = bytes.get(j) {
                if ends_field(b) {
                    break;
                }
                value.push(b);
                j += 1;
            }
            if j > junk_start && problem.is_none() {
                problem = Some((
                    junk_start..j,
                    "text after the closing quote of a quoted field (a `\"` inside a quoted \
                     field must be written `\"\"`)"
                        .to_owned(),
                ));
            }
            fields.push(ScannedField {
                span: content_start..content_end,
                value: String::from_utf8_lossy(&value).into_owned(),
            });
            i = j;
        } else {
            let mut j = i;
            while let Some(&b) = bytes.get(j) {
                if ends_field(b) {
                    break;
                }
                j += 1;
            }
            fields.push(ScannedField {
                span: i..j,
                value: text.get(i..j).unwrap_or("").to_owned(),
            });
            i = j;
        }
        match bytes.get(i) {
            Some(&b) if b == delimiter => i += 1,
            Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => {
                return Scanned {
                    fields,
                    end: i,
                    next: i + 2,
                    problem,
                };
            }
            Some(_) => {
                return Scanned {
                    fields,
                    end: i,
                    next: i + 1,
                    problem,
                };
            }
            None => {
                return Scanned {
                    fields,
                    end: len,
                    next: len,
                    problem,
                };
            }
        }
    }
}

/// The line starting at `pos`: (end of its content, start of the next line).
fn line_end(bytes: &[u8], pos: usize) -> (usize, usize) {
    let mut i = pos;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => return (i, i + 1),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => return (i, i + 2),
            b'\r' => return (i, i + 1),
            _ => i += 1,
        }
    }
    (bytes.len(), bytes.len())
}

/// Byte offset where 1-based `line` starts, if the text has that many lines.
pub(crate) fn line_start(bytes: &[u8], line: usize) -> Option<usize> {
    let mut pos = 0;
    for _ in 1..line {
        if pos >= bytes.len() {
            return None;
        }
        pos = line_end(bytes, pos).1;
    }
    (pos < bytes.len() || line == 1).then_some(pos)
}

/// Line breaks in `bytes[from..to]`: `\n`, and `\r` not followed by `\n`.
fn count_breaks(bytes: &[u8], from: usize, to: usize) -> usize {
    let to = to.min(bytes.len());
    (from..to)
        .filter(|&i| match bytes.get(i) {
            Some(b'\n') => true,
            Some(b'\r') => bytes.get(i + 1) != Some(&b'\n'),
            _ => false,
        })
        .count()
}

/// Turns byte offsets into 1-based line numbers, cheaply for increasing offsets.
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    fn new() -> Self {
        LineCounter { offset: 0, line: 1 }
    }

    fn line_at(&mut self, bytes: &[u8], pos: usize) -> usize {
        if pos < self.offset {
            *self = LineCounter::new();
        }
        self.line += count_breaks(bytes, self.offset, pos);
        self.offset = pos;
        self.line
    }
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// A decimal number.
///
/// Danish form (`;` files): decimal comma, optional `.` thousands separators in groups of 3
/// (`45.000,50`, `45000,5`, `-1,25`, `45.000`). Plain form (`,` files): decimal point, no
/// thousands separators (`45000.50`). Leading/trailing whitespace is trimmed; a leading `-` or
/// `+` is allowed. A number in the other form is rejected with a message that says how to write
/// it (in a Danish file `45000.50` is an error; in a plain file `45.000,50` is). Also rejected:
/// empty, `1e5`, `NaN`, `inf`, thousands groups not of 3 digits, a sign with no digits, a
/// separator with no digits on one side (`,5`, `5.`), and numbers too large or too precise for
/// [`Decimal`].
pub fn parse_decimal(s: &str, dialect: Dialect) -> Result<Decimal, String> {
    let t = s.trim();
    let danish = dialect.danish_numbers();
    let example = if danish {
        "a Danish number such as 45.000,50 (decimal comma, `.` between thousands allowed)"
    } else {
        "a number with a decimal point such as 45000.50"
    };
    if t.is_empty() {
        return Err(format!("the value is empty: expected {example}"));
    }
    let (negative, body) = if let Some(rest) = t.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = t.strip_prefix('+') {
        (false, rest)
    } else {
        (false, t)
    };
    let sign = if negative { "-" } else { "" };

    let parsed = if danish {
        split_danish(body)
    } else {
        split_plain(body)
    };
    let (int, frac) = match parsed {
        Some(parts) => parts,
        None => return Err(explain_bad_number(t, sign, body, danish, example)),
    };
    let canonical = match frac {
        Some(frac) => format!("{sign}{int}.{frac}"),
        None => format!("{sign}{int}"),
    };
    Decimal::from_str_exact(&canonical)
        .map_err(|_| format!("`{t}` is too large or has too many decimals to be read as a number"))
}

/// Split a Danish number (without sign) into integer digits (thousands separators removed) and
/// fraction digits.
fn split_danish(body: &str) -> Option<(String, Option<&str>)> {
    let (int, frac) = match body.split_once(',') {
        Some((int, frac)) => (int, Some(frac)),
        None => (body, None),
    };
    if let Some(frac) = frac
        && !all_digits(frac)
    {
        return None;
    }
    let mut groups = int.split('.');
    let first = groups.next()?;
    if !all_digits(first) {
        return None;
    }
    let mut digits = first.to_owned();
    let mut grouped = false;
    for group in groups {
        if group.len() != 3 || !all_digits(group) {
            return None;
        }
        grouped = true;
        digits.push_str(group);
    }
    if grouped && first.len() > 3 {
        return None;
    }
    Some((digits, frac))
}

/// Split a plain number (without sign) into integer and fraction digits.
fn split_plain(body: &str) -> Option<(String, Option<&str>)> {
    let (int, frac) = match body.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (body, None),
    };
    if !all_digits(int) {
        return None;
    }
    if let Some(frac) = frac
        && !all_digits(frac)
    {
        return None;
    }
    Some((int.to_owned(), frac))
}

/// Non-empty and only ASCII digits.
fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The message for a value that is not a number in the file's form.
fn explain_bad_number(t: &str, sign: &str, body: &str, danish: bool, example: &str) -> String {
    if danish {
        if let Some((int, Some(frac))) = split_plain(body) {
            return format!(
                "`{t}` is not a Danish number: use a decimal comma, as in {sign}{},{frac}",
                group_thousands(&int)
            );
        }
        if body.contains('.') && split_danish(&body.replace('.', "")).is_some() {
            return format!(
                "`{t}` is not a Danish number: `.` may only separate thousands, in groups of \
                 3 digits, as in 45.000,50"
            );
        }
    } else if let Some((int, frac)) = split_danish(body) {
        let plain = match frac {
            Some(frac) => format!("{sign}{int}.{frac}"),
            None => format!("{sign}{int}"),
        };
        return format!(
            "`{t}` is a Danish number, but this file separates columns with `,` and so uses a \
             decimal point and no thousands separators: write {plain}"
        );
    }
    format!("`{t}` is not a number: expected {example}")
}

/// `1234567` → `1.234.567`.
pub(crate) fn group_thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Whole hundredths (øre for money, 1/100 hour for hours), read as by [`parse_decimal`]: the
/// number must be written with at most 2 decimals (`20000.505` and `20000.500` are errors: a
/// third decimal, even a zero, is a sign that the number was meant otherwise) and fit `i64`
/// (overflow is an error, never a panic or wraparound). It does not judge
/// [`thousands_lookalike`]: the caller decides what an ambiguous number is.
pub fn parse_hundredths(s: &str, dialect: Dialect) -> Result<i64, String> {
    let d = parse_decimal(s, dialect)?;
    let t = s.trim();
    if d.scale() > 2 {
        return Err(format!(
            "`{t}` has too many decimals: at most 2 decimals are allowed"
        ));
    }
    d.checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|h| h.to_i64())
        .ok_or_else(|| format!("`{t}` is too large"))
}

/// An amount whose only separator `separator` stands after one to three digits and before
/// exactly three (`1.000`, `45,000`, `0,001`, with an optional sign): a reader who takes the
/// separator for a decimal mark reads one number, a reader who takes it for a thousands
/// separator reads another (a Danish typist's `1.000` is one thousand; an English typist's
/// `1,000` too). Returns the two readings, the decimal one first (`1.000` → (1.000, 1000)).
/// Amounts are checked for it with the decimal mark of their form: `.` in `,` files, `,` in
/// `;` files, both for `plan ledger add`'s AMOUNT, which has no file form.
pub fn thousands_lookalike(s: &str, separator: char) -> Option<(Decimal, Decimal)> {
    let t = s.trim();
    let (sign, body) = match t.strip_prefix(['-', '+']) {
        Some(rest) => (&t[..1], rest),
        None => ("", t),
    };
    let (int, frac) = body.split_once(separator)?;
    if !(1..=3).contains(&int.len()) || frac.len() != 3 || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let sign = if sign == "-" { "-" } else { "" };
    let decimal = Decimal::from_str_exact(&format!("{sign}{int}.{frac}")).ok()?;
    let thousands = Decimal::from_str_exact(&format!("{sign}{int}{frac}")).ok()?;
    Some((decimal, thousands))
}

/// A date: `YYYY-MM-DD`, `DD-MM-YYYY` or `DD.MM.YYYY` (never month-first). Day and month may
/// have 1 or 2 digits; the year has 4. Whitespace around the date is trimmed. Invalid calendar
/// dates (`2013-02-30`) are errors.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let form_error =
        || format!("`{t}` is not a date: write it as YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY");
    let separator = match (t.contains('-'), t.contains('.')) {
        (true, false) => '-',
        (false, true) => '.',
        _ => return Err(form_error()),
    };
    let parts: Vec<&str> = t.split(separator).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(form_error());
    };
    if ![a, b, c].iter().all(|p| all_digits(p)) {
        return Err(form_error());
    }
    let short = |p: &str| (1..=2).contains(&p.len());
    let (year, month, day) = if separator == '-' && a.len() == 4 && short(b) && short(c) {
        (a, b, c)
    } else if c.len() == 4 && short(a) && short(b) {
        (c, b, a)
    } else {
        return Err(form_error());
    };
    // At most 4 ASCII digits each, so these parse.
    let (Ok(year), Ok(month), Ok(day)) = (
        year.parse::<i32>(),
        month.parse::<u32>(),
        day.parse::<u32>(),
    ) else {
        return Err(form_error());
    };
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| format!("`{t}` is not a valid date: there is no such day in the calendar"))
}

/// `s.trim()`, without looking at the characters when the value begins and ends with a
/// visible ASCII character (nearly always: `str::trim` decodes from both ends otherwise).
pub fn trimmed(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEDGER: &[&str] = &["date", "budget", "kind", "amount", "unit", "ref", "note"];

    fn header(text: &str, required: &[&str]) -> Header {
        match detect_header(text, required) {
            Ok(h) => h,
            Err(p) => panic!("no header: {p}"),
        }
    }

    fn all(text: &str, required: &[&str]) -> Vec<Result<Record, CsvProblem>> {
        let h = header(text, required);
        records(text, &h).collect()
    }

    fn ok(r: &Result<Record, CsvProblem>) -> &Record {
        match r {
            Ok(rec) => rec,
            Err(p) => panic!("unexpected problem: {p}"),
        }
    }

    fn err(r: &Result<Record, CsvProblem>) -> &CsvProblem {
        match r {
            Ok(rec) => panic!("expected a problem, got {rec:?}"),
            Err(p) => p,
        }
    }

    fn values(r: &Record) -> Vec<&str> {
        r.fields.iter().map(|f| f.value.as_str()).collect()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const DA: Dialect = Dialect::SEMICOLON;
    const EN: Dialect = Dialect::COMMA;

    // ---- decode ------------------------------------------------------------------------------

    #[test]
    fn decode_utf8_without_bom() {
        assert_eq!(
            decode("æøå".as_bytes()),
            ("æøå".to_owned(), TextEncoding::Utf8)
        );
        assert_eq!(decode(b""), (String::new(), TextEncoding::Utf8));
    }

    #[test]
    fn decode_utf8_with_bom_strips_it() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("æøå".as_bytes());
        assert_eq!(decode(&bytes), ("æøå".to_owned(), TextEncoding::Utf8Bom));
    }

    #[test]
    fn decode_utf16_le_and_be() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("æøå".encode_utf16().flat_map(u16::to_le_bytes));
        // æ = U+00E6, ø = U+00F8, å = U+00E5.
        assert_eq!(le, b"\xFF\xFE\xE6\x00\xF8\x00\xE5\x00");
        assert_eq!(decode(&le), ("æøå".to_owned(), TextEncoding::Utf16Le));

        let mut be = vec![0xFE, 0xFF];
        be.extend("æøå".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(be, b"\xFE\xFF\x00\xE6\x00\xF8\x00\xE5");
        assert_eq!(decode(&be), ("æøå".to_owned(), TextEncoding::Utf16Be));
    }

    #[test]
    fn decode_windows_1252() {
        assert_eq!(
            decode(b"Center for B\xf8rn"),
            ("Center for Børn".to_owned(), TextEncoding::Windows1252)
        );
        assert_eq!(decode(b"\x80"), ("€".to_owned(), TextEncoding::Windows1252));
        assert_eq!(
            decode(b"\xe6\xf8\xe5 \xc6\xd8\xc5"),
            ("æøå ÆØÅ".to_owned(), TextEncoding::Windows1252)
        );
    }

    #[test]
    fn decode_windows_1252_file_end_to_end() {
        let bytes = b"dato;bel\xf8b;enhed\r\n14.05.2013;45.000,50;Center for B\xf8rn\r\n";
        let (text, enc) = decode(bytes);
        assert_eq!(enc, TextEncoding::Windows1252);
        let h = header(&text, &["dato", "beløb", "enhed"]);
        assert_eq!(h.dialect, DA);
        let recs = all(&text, &["dato", "beløb", "enhed"]);
        assert_eq!(recs.len(), 1);
        let r = ok(&recs[0]);
        assert_eq!(values(r), ["14.05.2013", "45.000,50", "Center for Børn"]);
        assert_eq!(parse_date(&r.fields[0].value), Ok(date(2013, 5, 14)));
        assert_eq!(
            parse_hundredths(&r.fields[1].value, h.dialect),
            Ok(4_500_050)
        );
        // The ø is two bytes in the decoded text: the span still selects the whole field.
        assert_eq!(&text[r.fields[2].span.clone()], "Center for Børn");
    }

    // ---- detect_header -----------------------------------------------------------------------

    #[test]
    fn header_comma() {
        let text = "date,budget,kind,amount,unit,ref,note\n2013-05-14,x,grant,45000,,,\n";
        let h = header(text, LEDGER);
        assert_eq!(h.dialect, EN);
        assert!(!h.dialect.danish_numbers());
        assert_eq!(h.line, 1);
        let names: Vec<&str> = h.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, LEDGER);
        assert_eq!(h.columns[1].span, 5..11);
        assert_eq!(&text[h.columns[6].span.clone()], "note");
        assert_eq!(h.index_of("AMOUNT"), Some(3));
        assert_eq!(h.index_of("nope"), None);
    }

    #[test]
    fn header_semicolon() {
        let text = "date;budget;kind;amount;unit;ref;note\r\n";
        let h = header(text, LEDGER);
        assert_eq!(h.dialect, DA);
        assert!(h.dialect.danish_numbers());
        assert_eq!(h.columns.len(), 7);
        assert_eq!(h.columns[6].name, "note");
        assert_eq!(h.columns[6].span, 33..37);
    }

    #[test]
    fn header_semicolon_whose_names_contain_commas() {
        // Split at ',' this would be `date;note`, ` short;amount`.
        let text = "date;note, short;amount\n";
        let h = header(text, &["date", "amount"]);
        assert_eq!(h.dialect, DA);
        assert_eq!(h.columns[1].name, "note, short");
    }

    #[test]
    fn header_both_delimiters_split_correctly_prefers_semicolon() {
        // ';' gives a | b | "c,a,b"; ',' gives "a;b;c" | a | b: both contain a and b.
        let text = "a;b;c,a,b\n";
        let h = header(text, &["a", "b"]);
        assert_eq!(h.dialect, DA);
        let names: Vec<&str> = h.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c,a,b"]);
    }

    #[test]
    fn header_case_insensitive_trimmed_and_quoted() {
        let text = "\"Date\";\"BUDGET\"; Kind ;\"Amount \"\"DKK\"\"\"\n";
        let h = header(text, &["date", "budget", "KIND"]);
        assert_eq!(h.dialect, DA);
        let names: Vec<&str> = h.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Date", "BUDGET", "Kind", "Amount \"DKK\""]);
        let keys: Vec<&str> = h.columns.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["date", "budget", "kind", "amount \"dkk\""]);
        assert_eq!(h.columns[0].span, 1..5);
        assert_eq!(&text[h.columns[0].span.clone()], "Date");
        assert_eq!(&text[h.columns[2].span.clone()], "Kind");
        // Quotes left in place by spaces around them are removed too.
        let h = header(" \"date\" , \"amount\"\n", &["date", "amount"]);
        assert_eq!(h.dialect, EN);
        assert_eq!(h.columns[0].name, "date");
        assert_eq!(h.columns[1].name, "amount");
    }

    #[test]
    fn header_with_leftover_bom_character() {
        let h = header("\u{feff}date,amount\n", &["date", "amount"]);
        assert_eq!(h.columns[0].name, "date");
        assert_eq!(h.columns[0].span, 3..7);
    }

    #[test]
    fn header_missing_column_reported() {
        let text = "date,budget,amount\n";
        match detect_header(text, &["date", "budget", "kind", "amount"]) {
            Err(HeaderProblem::MissingColumns { header, missing }) => {
                assert_eq!(header.dialect, EN);
                assert_eq!(header.line, 1);
                assert_eq!(header.columns.len(), 3);
                assert_eq!(missing, ["kind"]);
            }
            other => panic!("unexpected {other:?}"),
        }
        // Nothing matches under either delimiter: ';' is the guess, everything is missing.
        match detect_header("x,y\n", &["Date", "amount"]) {
            Err(p @ HeaderProblem::MissingColumns { .. }) => {
                assert_eq!(
                    p.to_string(),
                    "line 1: missing columns `Date`, `amount`; the header has `x,y`"
                );
                let HeaderProblem::MissingColumns { header, missing } = p else {
                    unreachable!()
                };
                assert_eq!(header.dialect, DA);
                assert_eq!(missing, ["Date", "amount"]);
            }
            other => panic!("unexpected {other:?}"),
        }
        // The delimiter matching more required columns is the guess.
        match detect_header("date,budget;x\n", &["date", "budget", "kind"]) {
            Err(HeaderProblem::MissingColumns { header, missing }) => {
                assert_eq!(header.dialect, EN);
                assert_eq!(missing, ["budget", "kind"]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn header_after_blank_lines() {
        let text = "\r\n   \n;;;\n,,\ndate;amount\n1;2\n";
        let h = header(text, &["date", "amount"]);
        assert_eq!(h.line, 5);
        assert_eq!(h.columns[0].span, 13..17);
        let recs = records(text, &h).collect::<Vec<_>>();
        assert_eq!(recs.len(), 1);
        assert_eq!(ok(&recs[0]).line, 6);
    }

    #[test]
    fn header_after_excel_sep_hint() {
        let text = "sep=;\ndate;amount\n01-02-2013;3\n";
        let h = header(text, &["date", "amount"]);
        assert_eq!((h.line, h.dialect), (2, DA));
        let recs = records(text, &h).collect::<Vec<_>>();
        assert_eq!(ok(&recs[0]).line, 3);
    }

    #[test]
    fn header_empty() {
        assert_eq!(detect_header("", &["date"]), Err(HeaderProblem::Empty));
        assert_eq!(
            detect_header("\n\r\n  \n", &["date"]),
            Err(HeaderProblem::Empty)
        );
        assert_eq!(
            HeaderProblem::Empty.to_string(),
            "the file is empty: it has no header line"
        );
    }

    #[test]
    fn header_without_required_columns_uses_the_delimiter_giving_more_columns() {
        assert_eq!(header("a,b,c\n", &[]).dialect, EN);
        assert_eq!(header("a;b,c\n", &[]).dialect, DA);
        assert_eq!(header("a\n", &[]).dialect, DA);
    }

    // ---- records ----------------------------------------------------------------------------

    #[test]
    fn records_quoted_field_with_newline_and_escaped_quote() {
        let text = "date,note,amount\n\
                    2013-05-14,\"line one\nsays \"\"hi\"\"\",45000\n\
                    2013-06-01,plain,20000.50\n";
        let recs = all(text, &["date", "note", "amount"]);
        assert_eq!(recs.len(), 2);

        let r = ok(&recs[0]);
        assert_eq!(r.line, 2);
        assert_eq!(values(r), ["2013-05-14", "line one\nsays \"hi\"", "45000"]);
        assert_eq!(r.fields[0].span, 17..27);
        assert_eq!(&text[r.fields[0].span.clone()], "2013-05-14");
        // The quote is at 28; the content starts right after it.
        assert_eq!(&text[28..29], "\"");
        assert_eq!(r.fields[1].span.start, 29);
        assert!(text[r.fields[1].span.clone()].starts_with("line one"));
        assert_eq!(r.fields[2].span, 51..56);
        assert_eq!(&text[r.fields[2].span.clone()], "45000");

        // After the record that spans lines 2 and 3.
        let r = ok(&recs[1]);
        assert_eq!(r.line, 4);
        assert_eq!(values(r), ["2013-06-01", "plain", "20000.50"]);
        assert_eq!(r.fields[0].span, 57..67);
        assert_eq!(r.fields[1].span, 68..73);
        assert_eq!(r.fields[2].span, 74..82);
        assert_eq!(&text[r.fields[2].span.clone()], "20000.50");
    }

    #[test]
    fn records_crlf_and_blank_line_between_records() {
        let text = "date;amount\r\n2013-05-14;45.000,50\r\n\r\n14-05-2013;7,5\r\n";
        let recs = all(text, &["date", "amount"]);
        assert_eq!(recs.len(), 2);
        let r = ok(&recs[0]);
        assert_eq!(r.line, 2);
        assert_eq!(values(r), ["2013-05-14", "45.000,50"]);
        assert_eq!(r.fields[0].span, 13..23);
        assert_eq!(r.fields[1].span, 24..33);
        let r = ok(&recs[1]);
        assert_eq!(r.line, 4);
        assert_eq!(values(r), ["14-05-2013", "7,5"]);
        assert_eq!(r.fields[0].span, 37..47);
        assert_eq!(r.fields[1].span, 48..51);
        assert_eq!(&text[r.fields[1].span.clone()], "7,5");
    }

    #[test]
    fn records_quoted_field_with_crlf_inside() {
        let text = "a;b\r\n\"x\r\ny\";2\r\n3;4\r\n";
        let recs = all(text, &["a", "b"]);
        assert_eq!(recs.len(), 2);
        assert_eq!(values(ok(&recs[0])), ["x\r\ny", "2"]);
        assert_eq!(ok(&recs[0]).line, 2);
        assert_eq!(ok(&recs[1]).line, 4);
        assert_eq!(ok(&recs[1]).fields[1].span, 17..18);
    }

    #[test]
    fn records_trailing_empty_line_or_none() {
        for text in [
            "a,b\n1,2\n",
            "a,b\n1,2\n\n",
            "a,b\n1,2",
            "a,b\r\n1,2\r\n\r\n",
        ] {
            let recs = all(text, &["a", "b"]);
            assert_eq!(recs.len(), 1, "{text:?}");
            assert_eq!(values(ok(&recs[0])), ["1", "2"], "{text:?}");
            assert_eq!(ok(&recs[0]).line, 2);
        }
        assert!(all("a,b", &["a", "b"]).is_empty());
        assert!(all("a,b\n", &["a", "b"]).is_empty());
    }

    #[test]
    fn records_lone_cr_line_ends() {
        let text = "a,b\r1,2\r3,4\r";
        let recs = all(text, &["a", "b"]);
        assert_eq!(recs.len(), 2);
        assert_eq!((ok(&recs[0]).line, ok(&recs[1]).line), (2, 3));
        assert_eq!(ok(&recs[1]).fields[1].span, 10..11);
    }

    #[test]
    fn records_skip_blank_rows() {
        let text = "a;b;c\n;;\n  \n\"\";;\n1;2;3\n;\n";
        let recs = all(text, &["a", "b", "c"]);
        assert_eq!(recs.len(), 1);
        assert_eq!(ok(&recs[0]).line, 5);
        assert_eq!(values(ok(&recs[0])), ["1", "2", "3"]);
    }

    #[test]
    fn records_wrong_field_count_is_a_problem_and_iteration_continues() {
        let text = "a,b,c\n1,2,3\n4,5\n\"x\ny\",7,8,9\n10,11,12\n";
        let recs = all(text, &["a", "b", "c"]);
        assert_eq!(recs.len(), 4);
        assert_eq!(ok(&recs[0]).line, 2);
        let p = err(&recs[1]);
        assert_eq!(p.line, 3);
        assert_eq!(p.message, "expected 3 fields, found 2");
        assert_eq!(&text[p.span.clone()], "4,5");
        assert_eq!(p.to_string(), "line 3: expected 3 fields, found 2");
        let p = err(&recs[2]);
        assert_eq!(p.line, 4);
        assert_eq!(p.message, "expected 3 fields, found 4");
        assert_eq!(&text[p.span.clone()], "\"x\ny\",7,8,9");
        let r = ok(&recs[3]);
        assert_eq!(r.line, 6);
        assert_eq!(values(r), ["10", "11", "12"]);
        assert_eq!(r.fields[0].span, 28..30);
        assert_eq!(&text[r.fields[2].span.clone()], "12");
    }

    #[test]
    fn records_text_after_closing_quote_is_a_problem() {
        let text = "a,b\n\"x\"y,2\n3,4\n";
        let recs = all(text, &["a", "b"]);
        assert_eq!(recs.len(), 2);
        let p = err(&recs[0]);
        assert_eq!(p.line, 2);
        assert_eq!(p.span, 7..8);
        assert_eq!(&text[p.span.clone()], "y");
        assert!(p.message.contains("closing quote"), "{}", p.message);
        assert_eq!(values(ok(&recs[1])), ["3", "4"]);
        assert_eq!(ok(&recs[1]).line, 3);
    }

    #[test]
    fn records_unclosed_quote_is_a_problem_and_ends_iteration() {
        let text = "a,b\n1,2\n\"open,3\n4,5\n";
        let recs = all(text, &["a", "b"]);
        assert_eq!(recs.len(), 2);
        assert_eq!(values(ok(&recs[0])), ["1", "2"]);
        let p = err(&recs[1]);
        assert_eq!(p.line, 3);
        assert_eq!(p.span.start, 8);
        assert_eq!(&text[8..9], "\"");
        assert!(p.message.contains("never closed"), "{}", p.message);
    }

    #[test]
    fn records_with_a_header_from_another_text_do_not_panic() {
        let h = header("\n\n\ndate,amount\n", &["date", "amount"]);
        assert!(records("", &h).next().is_none());
        assert!(records("x\n", &h).next().is_none());
        let recs: Vec<_> = records("\"\n\n\n\n1,2\n", &h).collect();
        assert_eq!(recs.len(), 1);
        assert_eq!(values(ok(&recs[0])), ["1", "2"]);
    }

    #[test]
    fn records_quote_inside_unquoted_field_is_literal() {
        let text = "a;b\n12\" pipe;2\n";
        let recs = all(text, &["a", "b"]);
        assert_eq!(values(ok(&recs[0])), ["12\" pipe", "2"]);
        assert_eq!(&text[ok(&recs[0]).fields[0].span.clone()], "12\" pipe");
    }

    #[test]
    fn records_ledger_example_from_spec() {
        let text = "date,budget,kind,amount,unit,ref,note\n\
                    2013-05-14,investeringspulje,grant,45000,Center for Dagtilbud,ANS-2013-01,Velfærdsteknologi i børnehaver\n\
                    2013-06-01,investeringspulje,expense,20000.50,Center for Dagtilbud,ANS-2013-01,\n\
                    2013-04-20,facilitering,hours,7.5,Center for Sundhed,FAC-001,Workshop\n";
        let h = header(text, LEDGER);
        let recs: Vec<_> = records(text, &h).collect();
        assert_eq!(recs.len(), 3);
        let amounts: Vec<i64> = recs
            .iter()
            .map(|r| parse_hundredths(&ok(r).fields[3].value, h.dialect).unwrap())
            .collect();
        assert_eq!(amounts, [4_500_000, 2_000_050, 750]);
        assert_eq!(ok(&recs[1]).fields[6].value, "");
        assert_eq!(ok(&recs[2]).line, 4);
    }

    /// The scanner that finds spans must split exactly as the csv crate does.
    #[test]
    fn scanner_agrees_with_csv_crate() {
        let samples = [
            "a,b,c\n1,\"2,x\",3\n\"q\"\"q\",,\"\"\n\"multi\nline\",\"\",z\r\n,,\n,\r\nlast,\"x\"y,z",
            "a;b\r\n\"é;ø\";\"æ\r\nå\"\r\n;\r\n\r\n\"\"\"\";'",
            "x\ry\r\n\"\r\"\n",
        ];
        for text in samples {
            for delimiter in [b',', b';'] {
                let mut reader = csv::ReaderBuilder::new()
                    .delimiter(delimiter)
                    .flexible(true)
                    .has_headers(false)
                    .from_reader(text.as_bytes());
                let mut rec = csv::ByteRecord::new();
                while reader.read_byte_record(&mut rec).unwrap() {
                    let mut start = rec.position().unwrap().byte() as usize;
                    while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
                        start += 1;
                    }
                    let scanned = scan_record(text, start, delimiter);
                    let ours: Vec<&str> = scanned.fields.iter().map(|f| f.value.as_str()).collect();
                    let theirs: Vec<String> = rec
                        .iter()
                        .map(|f| String::from_utf8(f.to_vec()).unwrap())
                        .collect();
                    assert_eq!(ours, theirs, "{text:?} at {start}");
                    for f in &scanned.fields {
                        let raw = &text[f.span.clone()];
                        if text.as_bytes().get(f.span.start.wrapping_sub(1)) != Some(&b'"') {
                            assert_eq!(raw, f.value);
                        }
                    }
                }
            }
        }
    }

    // ---- numbers ----------------------------------------------------------------------------

    #[test]
    fn danish_numbers() {
        assert_eq!(
            parse_decimal("45.000,50", DA),
            Ok(Decimal::new(4_500_050, 2))
        );
        assert_eq!(parse_hundredths("45.000,50", DA), Ok(4_500_050));
        assert_eq!(parse_hundredths("20000,50", DA), Ok(2_000_050));
        assert_eq!(parse_hundredths("45000,5", DA), Ok(4_500_050));
        assert_eq!(parse_hundredths("7,5", DA), Ok(750));
        assert_eq!(parse_hundredths("0,01", DA), Ok(1));
        assert_eq!(parse_hundredths("1.234.567,89", DA), Ok(123_456_789));
        assert_eq!(parse_hundredths("45.000", DA), Ok(4_500_000));
        assert_eq!(parse_hundredths("45000", DA), Ok(4_500_000));
        assert_eq!(parse_hundredths("-1,25", DA), Ok(-125));
        assert_eq!(parse_hundredths("+3", DA), Ok(300));
        assert_eq!(parse_hundredths("  12,5 \t", DA), Ok(1250));
        // A third decimal is refused even when it is a zero.
        assert!(parse_hundredths("20000,500", DA).is_err());
        assert_eq!(parse_decimal("-1,25", DA), Ok(Decimal::new(-125, 2)));
        assert_eq!(parse_decimal("999", DA), Ok(Decimal::new(999, 0)));
    }

    #[test]
    fn plain_numbers() {
        assert_eq!(
            parse_decimal("45000.50", EN),
            Ok(Decimal::new(4_500_050, 2))
        );
        assert_eq!(parse_hundredths("45000.50", EN), Ok(4_500_050));
        assert_eq!(parse_hundredths("20000.50", EN), Ok(2_000_050));
        assert_eq!(parse_hundredths("7.5", EN), Ok(750));
        assert_eq!(parse_hundredths("0.01", EN), Ok(1));
        assert_eq!(parse_hundredths("45000", EN), Ok(4_500_000));
        assert_eq!(parse_hundredths("-0.25", EN), Ok(-25));
        // In a plain file the point is a decimal point: 45.000 is forty-five with three
        // decimals, which an amount may not have (and a Danish typist meant forty-five
        // thousand: see thousands_lookalike).
        assert_eq!(parse_decimal("45.000", EN), Ok(Decimal::new(45_000, 3)));
        assert!(parse_hundredths("45.000", EN).is_err());
        assert_eq!(parse_hundredths(" 1.5 ", EN), Ok(150));
    }

    #[test]
    fn english_number_in_danish_file_is_an_error() {
        assert_eq!(
            parse_decimal("45000.50", DA),
            Err("`45000.50` is not a Danish number: use a decimal comma, as in 45.000,50".into())
        );
        assert_eq!(
            parse_hundredths("1.5", DA),
            Err("`1.5` is not a Danish number: use a decimal comma, as in 1,5".into())
        );
        assert_eq!(
            parse_hundredths("-1234567.5", DA),
            Err(
                "`-1234567.5` is not a Danish number: use a decimal comma, as in -1.234.567,5"
                    .into()
            )
        );
    }

    #[test]
    fn danish_number_in_plain_file_is_an_error() {
        let e = parse_decimal("45.000,50", EN).unwrap_err();
        assert!(e.starts_with("`45.000,50` is a Danish number"), "{e}");
        assert!(e.ends_with("write 45000.50"), "{e}");
        let e = parse_hundredths("45,5", EN).unwrap_err();
        assert!(e.ends_with("write 45.5"), "{e}");
    }

    #[test]
    fn bad_thousands_groups() {
        for s in [
            "45.00,5", "1.2345", "1234.567", "1..000", "1.000.00", ".500", "1.000.",
        ] {
            let e = parse_decimal(s, DA).unwrap_err();
            assert!(e.contains(&format!("`{s}`")), "{s}: {e}");
        }
        assert_eq!(
            parse_decimal("45.00,5", DA),
            Err("`45.00,5` is not a Danish number: `.` may only separate thousands, in groups of 3 digits, as in 45.000,50".into())
        );
    }

    #[test]
    fn not_numbers() {
        let bad = [
            "abc", "", "   ", "1,2,3", "1e5", "1E5", "NaN", "nan", "inf", "-inf", "-", "+", "--1",
            ",5", "5,", "1 000", "0x10", "١٢", "12kr",
        ];
        for s in bad {
            for dialect in [DA, EN] {
                assert!(parse_decimal(s, dialect).is_err(), "{s:?} {dialect:?}");
                assert!(parse_hundredths(s, dialect).is_err(), "{s:?} {dialect:?}");
            }
        }
        for s in [".5", "5.", "1.2.3"] {
            assert!(parse_decimal(s, EN).is_err(), "{s:?}");
        }
        assert_eq!(
            parse_decimal("abc", DA),
            Err("`abc` is not a number: expected a Danish number such as 45.000,50 (decimal comma, `.` between thousands allowed)".into())
        );
        assert_eq!(
            parse_decimal("1,2,3", EN),
            Err(
                "`1,2,3` is not a number: expected a number with a decimal point such as 45000.50"
                    .into()
            )
        );
        assert_eq!(
            parse_decimal("", EN),
            Err(
                "the value is empty: expected a number with a decimal point such as 45000.50"
                    .into()
            )
        );
    }

    #[test]
    fn hundredths_at_most_two_decimals() {
        assert_eq!(
            parse_hundredths("20000.505", EN),
            Err("`20000.505` has too many decimals: at most 2 decimals are allowed".into())
        );
        assert_eq!(
            parse_hundredths("20000,505", DA),
            Err("`20000,505` has too many decimals: at most 2 decimals are allowed".into())
        );
        assert_eq!(
            parse_hundredths("20000.500", EN),
            Err("`20000.500` has too many decimals: at most 2 decimals are allowed".into())
        );
        assert_eq!(parse_hundredths("20000.50", EN), Ok(2_000_050));
        // But parse_decimal keeps them.
        assert_eq!(
            parse_decimal("20000.505", EN),
            Ok(Decimal::new(20_000_505, 3))
        );
    }

    #[test]
    fn thousands_lookalikes() {
        let d = |s: &str| Decimal::from_str_exact(s).expect("decimal");
        assert_eq!(
            thousands_lookalike("1.000", '.'),
            Some((d("1.000"), d("1000")))
        );
        assert_eq!(
            thousands_lookalike(" 45,000 ", ','),
            Some((d("45.000"), d("45000")))
        );
        assert_eq!(
            thousands_lookalike("0,001", ','),
            Some((d("0.001"), d("1")))
        );
        assert_eq!(
            thousands_lookalike("-1.005", '.'),
            Some((d("-1.005"), d("-1005")))
        );
        // Not a thousands separator to anyone: too many digits before, not three after, or
        // another separator.
        assert_eq!(thousands_lookalike("1234.567", '.'), None);
        assert_eq!(thousands_lookalike("1.5", '.'), None);
        assert_eq!(thousands_lookalike("1.50", '.'), None);
        assert_eq!(thousands_lookalike("1.0000", '.'), None);
        assert_eq!(thousands_lookalike("1.000", ','), None);
        assert_eq!(thousands_lookalike("1.000.000", '.'), None);
        assert_eq!(thousands_lookalike("45.000,50", ','), None);
        assert_eq!(thousands_lookalike("a.000", '.'), None);
    }

    #[test]
    fn hundredths_overflow_is_an_error() {
        for d in [DA, EN] {
            assert_eq!(
                parse_hundredths("9223372036854775808", d),
                Err("`9223372036854775808` is too large".into())
            );
        }
        assert_eq!(parse_hundredths("92233720368547758.07", EN), Ok(i64::MAX));
        assert_eq!(parse_hundredths("-92233720368547758.08", EN), Ok(i64::MIN));
        assert!(parse_hundredths("92233720368547758.08", EN).is_err());
        assert_eq!(
            parse_hundredths("92.233.720.368.547.758,07", DA),
            Ok(i64::MAX)
        );
        // Too large even for a Decimal.
        let huge = format!("1{}", "0".repeat(40));
        let e = parse_decimal(&huge, EN).unwrap_err();
        assert!(e.contains("too large"), "{e}");
        assert!(parse_hundredths(&huge, DA).is_err());
    }

    // ---- dates ------------------------------------------------------------------------------

    #[test]
    fn dates_in_all_three_forms() {
        assert_eq!(parse_date("2013-05-14"), Ok(date(2013, 5, 14)));
        assert_eq!(parse_date("14-05-2013"), Ok(date(2013, 5, 14)));
        assert_eq!(parse_date("14.05.2013"), Ok(date(2013, 5, 14)));
        assert_eq!(parse_date(" 2013-05-14\r"), Ok(date(2013, 5, 14)));
        assert_eq!(parse_date("4.5.2013"), Ok(date(2013, 5, 4)));
        assert_eq!(parse_date("2013-5-4"), Ok(date(2013, 5, 4)));
        assert_eq!(parse_date("29-02-2012"), Ok(date(2012, 2, 29)));
        // Day first: 01-02 is the first of February.
        assert_eq!(parse_date("01-02-2013"), Ok(date(2013, 2, 1)));
    }

    #[test]
    fn invalid_dates() {
        for s in [
            "31-02-2013",
            "2013-13-01",
            "2013-02-30",
            "29.02.2013",
            "00-01-2013",
        ] {
            assert_eq!(
                parse_date(s),
                Err(format!(
                    "`{s}` is not a valid date: there is no such day in the calendar"
                ))
            );
        }
        // Month-first is never guessed: 05-14-2013 has no month 14.
        assert!(parse_date("05-14-2013").is_err());
        for s in [
            "13/05/2013",
            "2013.05.14",
            "14-05-13",
            "14-05.2013",
            "2013-05-14T00:00",
            "14-05-2013 00:00",
            "",
            "2013-05",
            "20130514",
            "-2013-05-14",
            "2013-005-14",
        ] {
            assert_eq!(
                parse_date(s),
                Err(format!(
                    "`{}` is not a date: write it as YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY",
                    s.trim()
                )),
                "{s:?}"
            );
        }
    }
}
