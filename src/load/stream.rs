//! Stage 2, load: a CSV file read as a stream, for files too large to hold as text.
//!
//! The file is read in chunks into one buffer, decoded on the way when it is UTF-16 or
//! Windows-1252 (UTF-8, the common case, is used as it is), and split into records by
//! `csv_core`, the state machine under the `csv` crate, with the same rules as the whole-file
//! reader of [`super::csv`]. A record is handed out as borrowed bytes: its fields, its raw text
//! and where it lies in the decoded file. Nothing is allocated per record; the buffer grows
//! only for a record longer than a chunk.
//!
//! Offsets are in the decoded text (BOM removed), exactly as in [`super::csv`], so a
//! diagnostic's span means the same whichever reader found it. Lines are counted at `\n`,
//! as [`crate::source`] counts them.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};
use csv_core::ReadRecordResult;

use super::csv::TextEncoding;
use super::progress::Progress;

/// Bytes read from the file at a time.
const CHUNK: usize = 256 * 1024;

/// The decoding of the file's bytes.
enum Input {
    /// UTF-8 (with its BOM skipped): the bytes are the text.
    Raw(File),
    /// Moved out while switching decoders.
    Taken,
    /// Anything else: decoded to UTF-8 chunk by chunk.
    Decode {
        file: File,
        decoder: encoding_rs::Decoder,
        raw: Vec<u8>,
        eof: bool,
    },
}

/// One record, borrowed from the reader until the next call.
#[derive(Debug)]
pub struct RawRecord<'a> {
    /// Offset of the record's first byte (after any blank lines) in the decoded text.
    pub start: usize,
    /// 1-based line of that byte.
    pub line: usize,
    /// The record as written, without the line break that ends it.
    pub text: &'a [u8],
    /// The fields' values, unquoted, one after the other.
    fields: &'a [u8],
    /// End of each field in `fields`.
    ends: &'a [usize],
}

impl<'a> RawRecord<'a> {
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

    /// The value of field `i`.
    pub fn field(&self, i: usize) -> &'a [u8] {
        let start = i.checked_sub(1).and_then(|j| self.ends.get(j)).copied();
        let end = self.ends.get(i).copied().unwrap_or(0);
        self.fields.get(start.unwrap_or(0)..end).unwrap_or(&[])
    }
}

/// A CSV file read record by record.
pub struct CsvStream {
    input: Input,
    /// The encoding found from the BOM or chosen by the caller.
    pub encoding: TextEncoding,
    buf: Vec<u8>,
    /// Next unread byte in `buf`.
    pos: usize,
    /// End of the valid bytes in `buf`.
    end: usize,
    /// No more bytes to come.
    eof: bool,
    /// Offset in the decoded text of `buf[0]`.
    base: usize,
    core: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
    /// A NUL byte was seen: the file is not text.
    pub saw_nul: bool,
    progress: Progress,
    read_bytes: u64,
    delimiter: u8,
    /// Where the last record began in `buf` (blank lines before it included), and its line.
    last: (usize, u64),
}

impl CsvStream {
    /// Open `path` and find its encoding from its first bytes: a BOM says UTF-8 or UTF-16;
    /// otherwise UTF-8, unless `windows_1252` (the caller found the file is not UTF-8).
    pub fn open(path: &Path, windows_1252: bool, label: &str) -> Result<CsvStream> {
        let shown = crate::source::display_path(path);
        let mut file = File::open(path).with_context(|| format!("cannot read {shown}"))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut head = [0u8; 3];
        let mut got = 0;
        while got < 3 {
            let n = file
                .read(&mut head[got..])
                .with_context(|| format!("cannot read {shown}"))?;
            if n == 0 {
                break;
            }
            got += n;
        }
        let head = &head[..got];
        let (encoding, skip) = if head.starts_with(b"\xEF\xBB\xBF") {
            (TextEncoding::Utf8Bom, 3)
        } else if head.starts_with(b"\xFF\xFE") {
            (TextEncoding::Utf16Le, 2)
        } else if head.starts_with(b"\xFE\xFF") {
            (TextEncoding::Utf16Be, 2)
        } else if windows_1252 {
            (TextEncoding::Windows1252, 0)
        } else {
            (TextEncoding::Utf8, 0)
        };
        let leftover = head.get(skip..).unwrap_or(&[]).to_vec();
        let decoder = match encoding {
            TextEncoding::Utf16Le => Some(encoding_rs::UTF_16LE),
            TextEncoding::Utf16Be => Some(encoding_rs::UTF_16BE),
            TextEncoding::Windows1252 => Some(encoding_rs::WINDOWS_1252),
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => None,
        };
        let mut buf = Vec::with_capacity(2 * CHUNK);
        let input = match decoder {
            None => {
                buf.extend_from_slice(&leftover);
                Input::Raw(file)
            }
            Some(enc) => Input::Decode {
                file,
                decoder: enc.new_decoder_without_bom_handling(),
                raw: leftover,
                eof: false,
            },
        };
        let end = buf.len();
        Ok(CsvStream {
            input,
            encoding,
            buf,
            pos: 0,
            end,
            eof: false,
            base: 0,
            core: csv_core::Reader::new(),
            fields: vec![0; 1024],
            ends: vec![0; 64],
            saw_nul: false,
            progress: Progress::new(label, size),
            read_bytes: got as u64,
            delimiter: b',',
            last: (0, 1),
        })
    }

    /// The decoded text from the current position, reading until it holds at least `want`
    /// bytes or the file ends (for the header).
    pub fn peek(&mut self, want: usize) -> Result<&[u8]> {
        while self.end - self.pos < want && !self.eof {
            self.refill()?;
        }
        Ok(self.buf.get(self.pos..self.end).unwrap_or(&[]))
    }

    /// Skip `n` bytes of what [`CsvStream::peek`] showed, then read records `delimiter`-separated
    /// from there; `line` is the 1-based line there.
    pub fn start_records(&mut self, n: usize, delimiter: u8, line: usize) {
        self.pos = (self.pos + n).min(self.end);
        self.core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        self.core.set_line(line as u64);
        self.delimiter = delimiter;
    }

    /// The last record is not UTF-8, and every byte before it was ASCII: read it and the rest
    /// of the file again as Windows-1252. (What came before reads the same in both.)
    pub fn reread_as_windows_1252(&mut self) {
        let (start, line) = self.last;
        let Input::Raw(file) = std::mem::replace(&mut self.input, Input::Taken) else {
            return;
        };
        let raw = self.buf.get(start..self.end).unwrap_or(&[]).to_vec();
        self.input = Input::Decode {
            file,
            decoder: encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling(),
            raw,
            eof: self.eof,
        };
        self.encoding = TextEncoding::Windows1252;
        self.end = start;
        self.pos = start;
        self.eof = false;
        self.core = csv_core::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .build();
        self.core.set_line(line);
    }

    /// Read more bytes into the buffer, keeping everything from `keep` on.
    fn compact(&mut self, keep: usize) {
        if keep > 0 {
            self.buf.copy_within(keep..self.end, 0);
            self.end -= keep;
            self.pos -= keep;
            self.base += keep;
        }
    }

    fn refill(&mut self) -> Result<()> {
        if self.eof {
            return Ok(());
        }
        let before = self.end;
        if self.buf.len() < self.end + CHUNK {
            self.buf.resize(self.end + CHUNK, 0);
        }
        match &mut self.input {
            Input::Taken => self.eof = true,
            Input::Raw(file) => {
                let n = file
                    .read(&mut self.buf[self.end..self.end + CHUNK])
                    .context("cannot read the file")?;
                self.end += n;
                self.read_bytes += n as u64;
                self.eof = n == 0;
            }
            Input::Decode {
                file,
                decoder,
                raw,
                eof,
            } => {
                if !*eof {
                    let have = raw.len();
                    raw.resize(have + CHUNK / 4, 0);
                    let n = file
                        .read(&mut raw[have..])
                        .context("cannot read the file")?;
                    raw.truncate(have + n);
                    self.read_bytes += n as u64;
                    *eof = n == 0;
                }
                let need = decoder
                    .max_utf8_buffer_length(raw.len())
                    .unwrap_or(usize::MAX / 2);
                if self.buf.len() < self.end + need {
                    self.buf.resize(self.end + need, 0);
                }
                let (_, read, written, _) =
                    decoder.decode_to_utf8(raw, &mut self.buf[self.end..], *eof);
                raw.drain(..read);
                self.end += written;
                self.eof = *eof && raw.is_empty();
            }
        }
        if memchr::memchr(0, &self.buf[before..self.end]).is_some() {
            self.saw_nul = true;
        }
        self.progress.update(self.read_bytes);
        Ok(())
    }

    /// The next record, or `None` at the end of the file.
    pub fn next_record(&mut self) -> Result<Option<RawRecord<'_>>> {
        let mut rec_start = self.pos;
        let line_before = self.core.line();
        self.last = (rec_start, line_before);
        let (mut nout, mut nend) = (0, 0);
        loop {
            // csv_core takes empty input for the end of the file: never give it one early.
            if self.pos == self.end && !self.eof {
                self.compact(rec_start);
                rec_start = 0;
                self.last.0 = 0;
                self.refill()?;
                continue;
            }
            let input = self.buf.get(self.pos..self.end).unwrap_or(&[]);
            let (res, nin, o, e) =
                self.core
                    .read_record(input, &mut self.fields[nout..], &mut self.ends[nend..]);
            self.pos += nin;
            nout += o;
            nend += e;
            match res {
                ReadRecordResult::InputEmpty => {
                    if !self.eof {
                        self.compact(rec_start);
                        rec_start = 0;
                        self.last.0 = 0;
                        self.refill()?;
                    }
                }
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
        let raw = self.buf.get(rec_start..self.pos).unwrap_or(&[]);
        // Blank lines before the record belong to it in csv_core's count; skip them.
        let lead = raw
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let newlines = raw[..lead].iter().filter(|&&b| b == b'\n').count();
        let mut text = &raw[lead..];
        if let Some(t) = text.strip_suffix(b"\n") {
            text = t;
        }
        if let Some(t) = text.strip_suffix(b"\r") {
            text = t;
        }
        Ok(Some(RawRecord {
            start: self.base + rec_start + lead,
            line: usize::try_from(line_before).unwrap_or(usize::MAX) + newlines,
            text,
            fields: &self.fields[..nout],
            ends: &self.ends[..nend],
        }))
    }
}
