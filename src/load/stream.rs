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
const CHUNK: usize = 256 * 1024;

/// Bytes of records handed from the reading thread to the checking one at a time.
const BATCH: usize = 128 * 1024;

/// One record, borrowed from the reader until the next call.
#[derive(Debug)]
pub struct RawRecord<'a> {
    /// Offset of the record's first byte (after any blank lines) in the decoded text.
    pub start: usize,
    /// 1-based line of that byte.
    pub line: usize,
    /// The record as written, without the line break that ends it.
    pub text: &'a str,
    /// Whether `text` holds a `"` (then its fields must be scanned for their spans).
    pub quoted: bool,
    /// End of each field's value in csv_core's output.
    ends: &'a [usize],
}

impl RawRecord<'_> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the record has no field (never true for a record csv_core gives).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Where field `i` lies in `text` when the record has no quotes: the text split at the
    /// delimiter.
    pub fn unquoted_span(&self, i: usize) -> std::ops::Range<usize> {
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
    progress: Progress,
    read_bytes: u64,
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
            progress: Progress::new(label, size),
            read_bytes: head.len() as u64,
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
            let have = self.raw.len();
            self.raw.resize(have + CHUNK, 0);
            let n = self
                .file
                .read(&mut self.raw[have..])
                .context("cannot read the file")?;
            self.raw.truncate(have + n);
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
            quoted: memchr::memchr(b'"', text.as_bytes()).is_some(),
            ends: &self.ends[..nend],
        }))
    }
}

/// Records copied out of the stream on the reading thread, for the checking thread.
#[derive(Default)]
struct Batch {
    text: String,
    ends: Vec<usize>,
    records: Vec<BatchRecord>,
}

/// One record of a [`Batch`]: where it lies in the file and in the batch.
struct BatchRecord {
    start: usize,
    line: usize,
    quoted: bool,
    text: std::ops::Range<usize>,
    ends: std::ops::Range<usize>,
}

impl Batch {
    fn push(&mut self, record: &RawRecord<'_>) {
        let text = self.text.len()..self.text.len() + record.text.len();
        self.text.push_str(record.text);
        let ends = self.ends.len()..self.ends.len() + record.ends.len();
        self.ends.extend_from_slice(record.ends);
        self.records.push(BatchRecord {
            start: record.start,
            line: record.line,
            quoted: record.quoted,
            text,
            ends,
        });
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.records.clear();
    }
}

impl CsvStream {
    /// Call `f` with every record, in file order. With two cores or more the file is read,
    /// decoded and split into records on a second thread while `f` runs on this one; the
    /// records are handed over in batches through a bounded channel (and the batches handed
    /// back for reuse), so memory stays bounded.
    pub fn each_record(&mut self, f: impl FnMut(&RawRecord<'_>)) -> Result<()> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.each_record_on(cores >= 2, f)
    }

    /// [`CsvStream::each_record`], on two threads or on this one.
    fn each_record_on(&mut self, threads: bool, mut f: impl FnMut(&RawRecord<'_>)) -> Result<()> {
        if !threads {
            while let Some(record) = self.next_record()? {
                f(&record);
            }
            return Ok(());
        }
        std::thread::scope(|scope| {
            let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Result<Batch>>(4);
            let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
            let stream = &mut *self;
            scope.spawn(move || stream.produce(&full_tx, &empty_rx));
            for batch in full_rx.iter() {
                let batch = batch?;
                for r in &batch.records {
                    let record = RawRecord {
                        start: r.start,
                        line: r.line,
                        quoted: r.quoted,
                        text: batch.text.get(r.text.clone()).unwrap_or(""),
                        ends: batch.ends.get(r.ends.clone()).unwrap_or(&[]),
                    };
                    f(&record);
                }
                // The reader may have finished: then the batch is simply dropped.
                let _ = empty_tx.send(batch);
            }
            Ok(())
        })
    }

    /// The reading thread of [`CsvStream::each_record`].
    fn produce(
        &mut self,
        full: &std::sync::mpsc::SyncSender<Result<Batch>>,
        empty: &std::sync::mpsc::Receiver<Batch>,
    ) {
        let mut batch = Batch::default();
        loop {
            match self.next_record() {
                Ok(Some(record)) => {
                    batch.push(&record);
                    if batch.text.len() >= BATCH {
                        let mut next = empty.try_recv().unwrap_or_default();
                        next.clear();
                        if full.send(Ok(std::mem::replace(&mut batch, next))).is_err() {
                            return;
                        }
                    }
                }
                Ok(None) => {
                    if !batch.records.is_empty() {
                        let _ = full.send(Ok(batch));
                    }
                    return;
                }
                Err(e) => {
                    let _ = full.send(Err(e));
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// (start, line, quoted, text, fields) of every record, read on one thread or two.
    fn records(path: &Path, threads: bool) -> Vec<(usize, usize, bool, String, usize)> {
        let file = std::fs::File::open(path).expect("open");
        let mut stream = CsvStream::open(Box::new(file), 0, "test").expect("open");
        let head = stream.peek(64).expect("peek");
        let header = head.find('\n').map_or(head.len(), |i| i + 1);
        stream.start_records(header, b',', 2);
        let mut out = Vec::new();
        stream
            .each_record_on(threads, |r| {
                out.push((r.start, r.line, r.quoted, r.text.to_owned(), r.len()));
            })
            .expect("read");
        out
    }

    #[test]
    fn one_thread_and_two_give_the_same_records() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.csv");
        let mut text = String::from("a,b,c\n");
        for i in 0..60_000 {
            match i % 7 {
                0 => text.push_str(&format!("{i},\"to\nlinjer\",x\n")),
                1 => text.push('\n'),
                2 => text.push_str(&format!("{i},Ældre\r\n")),
                _ => text.push_str(&format!("{i},b,c\n")),
            }
        }
        std::fs::write(&path, &text).expect("write");
        let one = records(&path, false);
        let two = records(&path, true);
        assert!(one == two);
        // Blank lines are no records.
        assert_eq!(one.len(), (0..60_000).filter(|i| i % 7 != 1).count());
        assert_eq!(one[1], (23, 5, false, "2,Ældre".to_string(), 2));
        assert!(one.iter().any(|r| r.2) && one.iter().any(|r| !r.2));
    }
}
