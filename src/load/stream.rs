//! Stage 2, load: a CSV file read as a stream, for files too large to hold as text.
//!
//! The file is read in chunks into one text buffer — UTF-8 checked a chunk at a time (the
//! common case), UTF-16 and Windows-1252 decoded on the way — and split into records by
//! `csv_core`, the state machine under the `csv` crate, with the same rules as the whole-file
//! reader of [`super::csv`]. A record is handed out borrowed: its fields, its text and where it
//! lies in the decoded file. Nothing is allocated per record; the buffer grows only for a
//! record longer than a chunk.
//!
//! The encoding is decided as the whole-file reader decides it: a BOM says UTF-8 or UTF-16;
//! otherwise UTF-8 unless the file holds bytes that are not, and then Windows-1252 for the
//! whole file. When such bytes come after nothing but ASCII, the text so far reads the same in
//! both, and decoding simply goes on as Windows-1252. When they come after other UTF-8 text,
//! [`CsvStream::mixed`] says so and the caller reads the file whole instead.
//!
//! Offsets are in the decoded text (BOM removed), exactly as in [`super::csv`], so a
//! diagnostic's span means the same whichever reader found it. Lines are counted at `\n`,
//! as [`crate::source`] counts them.

use std::io::Read;

use anyhow::{Context, Result};
use csv_core::ReadRecordResult;

use super::csv::TextEncoding;
use super::progress::Progress;

/// Bytes read from the file at a time.
const CHUNK: usize = 64 * 1024;

/// One record, borrowed from the reader until the next call.
#[derive(Debug)]
pub struct RawRecord<'a> {
    /// Offset of the record's first byte (after any blank lines) in the decoded text.
    pub start: usize,
    /// 1-based line of that byte.
    pub line: usize,
    /// The record as written, without the line break that ends it.
    pub text: &'a str,
    /// Whether `text` holds a `"` that csv_core had to read (then its fields must be scanned
    /// for their spans). A line whose quotes are all simple is not `quoted`: its fields are
    /// known.
    pub quoted: bool,
    /// End of each field's value in csv_core's output.
    ends: &'a [usize],
    /// Where each field's value lies in `text`, for a line whose quotes are all simple (see
    /// [`split_simply_quoted`]); empty otherwise.
    spans: &'a [std::ops::Range<usize>],
}

impl RawRecord<'_> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        if self.spans.is_empty() {
            self.ends.len()
        } else {
            self.spans.len()
        }
    }

    /// Whether the record has no field (never true for a record csv_core gives).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where field `i`'s value lies in `text` when the record is not `quoted`: the text split
    /// at the delimiter, or inside a simple field's quotes.
    pub fn unquoted_span(&self, i: usize) -> std::ops::Range<usize> {
        if let Some(span) = self.spans.get(i) {
            return span.clone();
        }
        let start = i
            .checked_sub(1)
            .and_then(|j| self.ends.get(j))
            .map_or(0, |e| e + i);
        let end = self.ends.get(i).map_or(start, |e| e + i);
        start..end
    }
}

/// A CSV file read record by record.
pub struct CsvStream {
    file: Box<dyn Read + Send>,
    /// `None`: UTF-8, checked and used as it is.
    decoder: Option<encoding_rs::Decoder>,
    /// Bytes read and not yet in `text` (a character cut by the chunk's end).
    raw: Vec<u8>,
    raw_eof: bool,
    /// The encoding, as far as the file has been read.
    pub encoding: TextEncoding,
    /// Every byte so far was ASCII.
    ascii: bool,
    /// The file is not UTF-8, but only after other UTF-8 text: read it whole instead.
    pub mixed: bool,
    /// A NUL byte was seen: the file is not text.
    pub saw_nul: bool,
    text: String,
    /// Next unread byte in `text`.
    pos: usize,
    /// No more text to come.
    eof: bool,
    /// Offset in the decoded text of `text[0]`.
    base: usize,
    core: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
    /// The fields of the last simply quoted line (see [`split_simply_quoted`]).
    spans: Vec<std::ops::Range<usize>>,
    progress: Progress,
    read_bytes: u64,
    /// Offset in the decoded text of the next `"` found, or `usize::MAX` when there is none
    /// before `quote_scanned`: the text is searched once per quote or buffer, not per record.
    quote_at: usize,
    /// Offset in the decoded text up to which quotes have been searched for.
    quote_scanned: usize,
    /// The field delimiter, for records split without csv_core (see [`CsvStream::next_plain`]).
    delimiter: u8,
    /// Split plain records without csv_core (off only in tests, to compare the two).
    plain: bool,
}

impl CsvStream {
    /// Read from `file` (of `size` bytes, for the progress line, where `label` names it).
    pub fn open(mut file: Box<dyn Read + Send>, size: u64, label: &str) -> Result<CsvStream> {
        let shown = label;
        let mut head = Vec::with_capacity(3);
        (&mut file)
            .take(3)
            .read_to_end(&mut head)
            .with_context(|| format!("cannot read {shown}"))?;
        let (encoding, skip, decoder) = if head.starts_with(b"\xEF\xBB\xBF") {
            (TextEncoding::Utf8Bom, 3, None)
        } else if head.starts_with(b"\xFF\xFE") {
            (TextEncoding::Utf16Le, 2, Some(encoding_rs::UTF_16LE))
        } else if head.starts_with(b"\xFE\xFF") {
            (TextEncoding::Utf16Be, 2, Some(encoding_rs::UTF_16BE))
        } else {
            (TextEncoding::Utf8, 0, None)
        };
        Ok(CsvStream {
            file,
            decoder: decoder.map(|e| e.new_decoder_without_bom_handling()),
            raw: head.get(skip..).unwrap_or(&[]).to_vec(),
            raw_eof: false,
            encoding,
            ascii: true,
            mixed: false,
            saw_nul: false,
            text: String::with_capacity(2 * CHUNK),
            pos: 0,
            eof: false,
            base: 0,
            core: csv_core::Reader::new(),
            fields: vec![0; 1024],
            ends: vec![0; 64],
            spans: Vec::new(),
            progress: Progress::new(label, size),
            read_bytes: head.len() as u64,
            quote_at: usize::MAX,
            quote_scanned: 0,
            delimiter: b',',
            plain: true,
        })
    }

    /// The decoded text from the current position, reading until it holds at least `want`
    /// bytes or the file ends (for the header).
    pub fn peek(&mut self, want: usize) -> Result<&str> {
        while self.text.len() - self.pos < want && !self.eof {
            self.refill()?;
        }
        Ok(self.text.get(self.pos..).unwrap_or(""))
    }

    /// Skip `n` bytes of what [`CsvStream::peek`] showed, then read records `delimiter`-separated
    /// from there; `line` is the 1-based line there.
    pub fn start_records(&mut self, n: usize, delimiter: u8, line: usize) {
        self.pos = (self.pos + n).min(self.text.len());
        self.core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        self.delimiter = delimiter;
        self.core.set_line(line as u64);
    }

    /// Drop the text before `keep`.
    fn compact(&mut self, keep: usize) {
        if keep > 0 {
            self.text.drain(..keep);
            self.pos -= keep;
            self.base += keep;
        }
    }

    fn refill(&mut self) -> Result<()> {
        if self.eof {
            return Ok(());
        }
        if !self.raw_eof {
            // Read into the spare capacity: no zeroing of the chunk before every read.
            self.raw.reserve(CHUNK);
            let n = (&mut self.file)
                .take(CHUNK as u64)
                .read_to_end(&mut self.raw)
                .context("cannot read the file")?;
            self.read_bytes += n as u64;
            self.raw_eof = n == 0;
        }
        let before = self.text.len();
        if self.decoder.is_none() {
            self.take_utf8();
        }
        if let Some(decoder) = &mut self.decoder {
            let mut consumed = 0;
            loop {
                let rest = self.raw.get(consumed..).unwrap_or(&[]);
                let need = decoder
                    .max_utf8_buffer_length(rest.len())
                    .unwrap_or(rest.len() * 3 + 16);
                self.text.reserve(need);
                let (result, read, _) =
                    decoder.decode_to_string(rest, &mut self.text, self.raw_eof);
                consumed += read;
                if result == encoding_rs::CoderResult::InputEmpty {
                    break;
                }
            }
            self.raw.drain(..consumed);
        }
        let new = self.text.as_bytes().get(before..).unwrap_or(&[]);
        if memchr::memchr(0, new).is_some() {
            self.saw_nul = true;
        }
        if self.ascii && !new.is_ascii() {
            self.ascii = false;
        }
        self.eof = self.raw_eof && self.raw.is_empty() || self.mixed;
        self.progress.update(self.read_bytes);
        Ok(())
    }

    /// Move the UTF-8 in `raw` to `text`, keeping a character cut at the end for the next
    /// chunk; on bytes that are not UTF-8, go on as Windows-1252 or give up (`mixed`).
    fn take_utf8(&mut self) {
        // The usual case: the whole chunk is UTF-8, checked in one SIMD pass.
        if let Ok(s) = simdutf8::basic::from_utf8(&self.raw) {
            self.text.push_str(s);
            self.raw.clear();
            return;
        }
        let (valid, invalid) = match std::str::from_utf8(&self.raw) {
            Ok(_) => (self.raw.len(), false),
            Err(e) => (e.valid_up_to(), e.error_len().is_some() || self.raw_eof),
        };
        if !invalid {
            if let Ok(s) = std::str::from_utf8(self.raw.get(..valid).unwrap_or(&[])) {
                self.text.push_str(s);
            }
            self.raw.drain(..valid);
            return;
        }
        let before_is_ascii = self.raw.get(..valid).is_some_and(<[u8]>::is_ascii);
        if self.encoding == TextEncoding::Utf8 && self.ascii && before_is_ascii {
            // All ASCII so far: the same text in Windows-1252, which decodes the rest.
            self.encoding = TextEncoding::Windows1252;
            self.decoder = Some(encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling());
        } else {
            self.mixed = true;
        }
    }

    /// The next record, or `None` at the end of the file.
    pub fn next_record(&mut self) -> Result<Option<RawRecord<'_>>> {
        if let Some(plain) = self.next_plain() {
            return Ok(Some(RawRecord {
                start: self.base + plain.start,
                line: plain.line,
                text: self.text.get(plain.start..plain.end).unwrap_or(""),
                quoted: false,
                ends: &self.ends[..plain.fields],
                spans: if plain.simply_quoted {
                    &self.spans
                } else {
                    &[]
                },
            }));
        }
        let mut rec_start = self.pos;
        let line_before = self.core.line();
        let (mut nout, mut nend) = (0, 0);
        loop {
            // csv_core takes empty input for the end of the file: never give it one early.
            if self.pos == self.text.len() && !self.eof {
                self.compact(rec_start);
                rec_start = 0;
                self.refill()?;
                continue;
            }
            let input = self.text.as_bytes().get(self.pos..).unwrap_or(&[]);
            let (res, nin, o, e) =
                self.core
                    .read_record(input, &mut self.fields[nout..], &mut self.ends[nend..]);
            self.pos += nin;
            nout += o;
            nend += e;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let len = self.fields.len() * 2;
                    self.fields.resize(len, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len() * 2;
                    self.ends.resize(len, 0);
                }
                ReadRecordResult::Record => break,
                ReadRecordResult::End => {
                    self.progress.finish();
                    return Ok(None);
                }
            }
        }
        let quoted = self.has_quote(rec_start, self.pos);
        let raw = self.text.get(rec_start..self.pos).unwrap_or("");
        // Blank lines before the record belong to it in csv_core's count; skip them.
        let text = raw.trim_start_matches(['\r', '\n']);
        let lead = raw.len() - text.len();
        let newlines = raw.as_bytes()[..lead]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        Ok(Some(RawRecord {
            start: self.base + rec_start + lead,
            line: usize::try_from(line_before).unwrap_or(usize::MAX) + newlines,
            text,
            quoted,
            ends: &self.ends[..nend],
            spans: &[],
        }))
    }
}

/// A record found by [`CsvStream::next_plain`]: where it lies in `text`, its line, and how
/// many field ends it left in `ends`.
struct Plain {
    start: usize,
    end: usize,
    line: usize,
    fields: usize,
    /// The line holds quotes, all simple: its fields are in `spans`.
    simply_quoted: bool,
}

impl CsvStream {
    /// The next record when it is plain — a whole line in the buffer, without a quote — split
    /// at the delimiter with `memchr` rather than byte by byte by csv_core; `None` (nothing
    /// consumed) for anything else, which csv_core then reads.
    ///
    /// The same record as csv_core's: with no quote in it, csv_core's only special bytes are
    /// the delimiter and the terminators (`\r`, `\n`); blank lines before a record are
    /// skipped; the record ends at the first terminator, which is consumed. What csv_core does
    /// after that terminator (a `\n` after a `\r` is skipped) is what it does at the start of
    /// a record, so it can take over at any record. Its line count is kept up to date.
    fn next_plain(&mut self) -> Option<Plain> {
        if !self.plain {
            return None;
        }
        let rest = self.text.as_bytes().get(self.pos..)?;
        let lead = rest
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let len = memchr::memchr2(b'\n', b'\r', rest.get(lead..)?)?;
        let newlines = rest[..lead].iter().filter(|&&b| b == b'\n').count();
        let after = usize::from(rest.get(lead + len) == Some(&b'\n'));
        let start = self.pos + lead;
        let end = start + len;
        let simply_quoted = self.has_quote(start, end);
        let record = self.text.as_bytes().get(start..end)?;
        let mut fields = 0;
        if simply_quoted {
            // A quoted note is common in files from Excel (any text with the delimiter in
            // it); csv_core is kept for what the split below cannot read on its own.
            if !split_simply_quoted(record, self.delimiter, &mut self.spans) {
                return None;
            }
        } else {
            // Field ends as csv_core gives them: in the record without its delimiters.
            let ends = &mut self.ends;
            let mut field_end = |at: usize| {
                if fields == ends.len() {
                    ends.resize(ends.len() * 2, 0);
                }
                ends[fields] = at - fields;
                fields += 1;
            };
            each_byte(record, self.delimiter, &mut field_end);
            field_end(len);
        }
        let line = usize::try_from(self.core.line()).unwrap_or(usize::MAX) + newlines;
        self.core.set_line((line + after) as u64);
        self.pos = end + 1;
        Some(Plain {
            start,
            end,
            line,
            fields,
            simply_quoted,
        })
    }

    /// Whether `text[from..to]` holds a `"` (`from` never goes back between calls). The
    /// blank lines and line break around a record hold none, so this is the record's answer.
    fn has_quote(&mut self, from: usize, to: usize) -> bool {
        let (from, to) = (self.base + from, self.base + to);
        if self.quote_at < from {
            // That quote was in an earlier record: search on from here.
            self.quote_at = usize::MAX;
            self.quote_scanned = from;
        }
        if self.quote_at == usize::MAX && self.quote_scanned < to {
            let start = self.quote_scanned.max(from) - self.base;
            let rest = self.text.as_bytes().get(start..).unwrap_or(&[]);
            if let Some(i) = memchr::memchr(b'"', rest) {
                self.quote_at = self.base + start + i;
            }
            self.quote_scanned = self.base + self.text.len();
        }
        self.quote_at < to
    }
}

/// Split a line (without its line break) whose quotes are all simple into `spans`: each
/// field's value, which for a quoted field is the text between its quotes, as csv_core and
/// [`crate::load::csv`]'s scan read it. Simple: a `"` only opens a field at its start and
/// closes it right before a delimiter or the line's end, with no `""` inside. `false` for
/// anything else (an escaped quote, a quote inside an unquoted field, text after a closing
/// quote, a quoted field that goes on past the line): csv_core reads that line.
fn split_simply_quoted(
    line: &[u8],
    delimiter: u8,
    spans: &mut Vec<std::ops::Range<usize>>,
) -> bool {
    spans.clear();
    let mut at = 0;
    loop {
        let (span, next) = if line.get(at) == Some(&b'"') {
            let Some(close) = memchr::memchr(b'"', &line[at + 1..]).map(|i| at + 1 + i) else {
                return false;
            };
            match line.get(close + 1) {
                None => (at + 1..close, None),
                Some(&b) if b == delimiter => (at + 1..close, Some(close + 2)),
                Some(_) => return false,
            }
        } else {
            // A byte at a time: these fields are a few bytes long, shorter than what
            // `memchr` needs to pay for its set-up.
            let mut end = at;
            while let Some(&b) = line.get(end) {
                if b == delimiter {
                    break;
                }
                if b == b'"' {
                    return false;
                }
                end += 1;
            }
            (at..end, (end < line.len()).then_some(end + 1))
        };
        spans.push(span);
        match next {
            Some(n) => at = n,
            None => return true,
        }
    }
}

/// Call `found` with the offset of every `byte` in `haystack`, in order.
///
/// Eight bytes at a time, in a `u64` (SWAR): a record's fields are a few bytes each, too short
/// for `memchr`, whose set-up per call (one per field) then costs more than the search.
fn each_byte(haystack: &[u8], byte: u8, mut found: impl FnMut(usize)) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let splat = u64::from_le_bytes([byte; 8]);
    let (words, tail) = haystack.as_chunks::<8>();
    for (w, word) in words.iter().enumerate() {
        let x = u64::from_le_bytes(*word) ^ splat;
        // The high bit of each byte of `x` that is zero, and only those: no carry crosses a
        // byte, as `x & LOW7` + `LOW7` stays below 0x100 in every byte.
        let mut hits = !(((x & LOW7) + LOW7) | x | LOW7);
        while hits != 0 {
            found(w * 8 + hits.trailing_zeros() as usize / 8);
            hits &= hits - 1;
        }
    }
    let at = words.len() * 8;
    for (i, &b) in tail.iter().enumerate() {
        if b == byte {
            found(at + i);
        }
    }
}

impl CsvStream {
    /// Call `f` with every record, in file order, on this thread.
    ///
    /// Until issue 11 the file was read and split on a second thread and the records handed
    /// over in batches: that shortened the wall time on two free cores but added CPU time (the
    /// copy and the hand-off), and gained nothing on a busy machine or one core. With plain
    /// records split by `memchr` ([`CsvStream::next_plain`]) the reading is a small part of the
    /// work, so one thread it is.
    pub fn each_record(&mut self, mut f: impl FnMut(&RawRecord<'_>)) -> Result<()> {
        self.each_record_while(|record| {
            f(record);
            true
        })
    }

    /// [`CsvStream::each_record`] until `f` says `false` (the rows' reader stopped: `plan
    /// export ledger` writing to a closed pipe).
    pub fn each_record_while(&mut self, mut f: impl FnMut(&RawRecord<'_>) -> bool) -> Result<()> {
        while let Some(record) = self.next_record()? {
            if !f(&record) {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// (start, line, quoted, text, fields) of every record, split plain where it can be or by
    /// csv_core alone.
    fn records(path: &Path, plain: bool) -> Vec<(usize, usize, bool, String, Vec<String>)> {
        let file = std::fs::File::open(path).expect("open");
        let mut stream = CsvStream::open(Box::new(file), 0, "test").expect("open");
        stream.plain = plain;
        let head = stream.peek(64).expect("peek");
        let header = head.find('\n').map_or(head.len(), |i| i + 1);
        stream.start_records(header, b',', 2);
        let mut out = Vec::new();
        stream
            .each_record(|r| {
                let fields = (0..r.len())
                    .map(|i| r.text.get(r.unquoted_span(i)).unwrap_or("?").to_string())
                    .collect();
                out.push((r.start, r.line, r.quoted, r.text.to_owned(), fields));
            })
            .expect("read");
        out
    }

    #[test]
    fn each_byte_finds_every_occurrence() {
        // Bytes next to the one sought, and the same byte with the high bit, around it.
        let alphabet = [b';', b':', b'\xbb', b'\x3a', b'a', 0, 0xff, b'\n'];
        let mut state = 7u32;
        for len in 0..100 {
            let haystack: Vec<u8> = (0..len)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    alphabet[(state >> 16) as usize % alphabet.len()]
                })
                .collect();
            for byte in [b';', b':', 0, 0xff] {
                let mut found = Vec::new();
                each_byte(&haystack, byte, |i| found.push(i));
                let want: Vec<usize> = (0..len).filter(|&i| haystack[i] == byte).collect();
                assert_eq!(found, want, "{haystack:?} {byte}");
            }
        }
    }

    #[test]
    fn simply_quoted_lines_read_as_the_scan_reads_them() {
        let lines = [
            "a,\"b, c\",d",
            "\"\",x,\"\"",
            "\"x\"",
            "1,2,\"tre; fire\",",
            ",\"Ældre, Syd\",",
        ];
        let mut spans = Vec::new();
        for line in lines {
            assert!(
                split_simply_quoted(line.as_bytes(), b',', &mut spans),
                "{line}"
            );
            let scanned = crate::load::csv::scan_record(line, 0, b',');
            assert!(scanned.problem.is_none());
            let ours: Vec<(&str, std::ops::Range<usize>)> = spans
                .iter()
                .map(|s| (&line[s.clone()], s.clone()))
                .collect();
            let theirs: Vec<(&str, std::ops::Range<usize>)> = scanned
                .fields
                .iter()
                .map(|f| (f.value.as_str(), f.span.clone()))
                .collect();
            assert_eq!(ours, theirs, "{line}");
        }
        // What csv_core must read: an escaped quote, a quote inside a field, text after a
        // closing quote, a field that goes on past the line.
        for line in ["a,\"b \"\"c\"\"\",d", "a,b\"c", "\"a\"b,c", "a,\"b"] {
            assert!(
                !split_simply_quoted(line.as_bytes(), b',', &mut spans),
                "{line}"
            );
        }
    }

    #[test]
    fn plain_splitting_gives_csv_cores_records() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.csv");
        let mut text = String::from("a,b,c\n");
        for i in 0..60_000 {
            match i % 9 {
                0 => text.push_str(&format!("{i},\"to\nlinjer\",x\n")),
                1 => text.push('\n'),
                2 => text.push_str(&format!("{i},Ældre\r\n")),
                3 => text.push_str(&format!("{i},,\r\r\n\n")),
                4 => text.push_str(&format!("{i},a\"b,c\n")),
                5 => text.push_str(&format!("{i}\r")),
                _ => text.push_str(&format!("{i},b,c\n")),
            }
        }
        text.push_str("sidste,linje");
        std::fs::write(&path, &text).expect("write");
        let plain = records(&path, true);
        let core = records(&path, false);
        assert!(plain == core);
        // Blank lines are no records.
        assert_eq!(plain.len(), (0..60_000).filter(|i| i % 9 != 1).count() + 1);
        assert_eq!(plain[1].3, "2,Ældre");
        assert_eq!(plain[1].1, 5);
        assert!(plain.iter().any(|r| r.2) && plain.iter().any(|r| !r.2));
        assert_eq!(plain.last().map(|r| r.4.len()), Some(2));
    }
}
