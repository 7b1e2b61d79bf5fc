//! Stage 1, read: every input file is read once into a [`Sources`] store, and
//! diagnostics point into it by [`FileId`] and byte span. Line and column numbers
//! are computed from the stored text only when a diagnostic is printed.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// How diagnostics name a file: given whole, or as a path under the directory the store names
/// its files after ([`Sources::set_dir`]), joined ([`joined_name`]) the first time it is shown.
/// A walk over history names every file of every state it loads and shows almost none of
/// them: joining each name cost 7 % of `plan log`. The directory's name changes with every
/// commit, and the store holds it once, for files it keeps from one load to the next.
#[derive(Debug)]
pub enum FileName {
    /// The name as shown.
    Whole(String),
    /// The path under the store's directory, and the two joined once asked for.
    Joined {
        rel: String,
        shown: OnceLock<String>,
    },
}

impl FileName {
    /// `rel` under the store's directory, joined when it is first shown.
    pub fn joined(rel: String) -> FileName {
        FileName::Joined {
            rel,
            shown: OnceLock::new(),
        }
    }
}

/// A path under a directory as diagnostics name it: `dir` (its name with its separator,
/// `1a2b3c4:plan/`), then the path's own names, `/`-separated (`./a//b` is `a/b`); `dir`
/// without its separator for a path with none.
pub fn joined_name(dir: &str, rel: &Path) -> String {
    let mut shown = dir.to_string();
    let mut first = true;
    for c in rel.components() {
        if let std::path::Component::Normal(name) = c {
            if !first {
                shown.push('/');
            }
            first = false;
            shown.push_str(&name.to_string_lossy());
        }
    }
    if first && shown.ends_with('/') {
        shown.pop();
    }
    shown
}

impl From<String> for FileName {
    fn from(shown: String) -> FileName {
        FileName::Whole(shown)
    }
}

/// One file as read from disk, decoded to text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to the user: relative to the current directory where possible.
    display: FileName,
    /// The decoded text (a UTF-8 BOM already removed). For a file read as a stream, only the
    /// records that diagnostics point at, one after the other (see [`Segment`]).
    pub text: SourceText,
    /// For a streamed file: where each kept record lies in the file and in `text`.
    sparse: Option<Vec<Placed>>,
}

/// A file's text: its own, or shared with the loads before it (a file with the same contents
/// read again by `plan log`: SPEC 10.5), which costs no copy.
#[derive(Debug, Clone)]
pub enum SourceText {
    /// Read by this load.
    Owned(String),
    /// Shared with other loads.
    Shared(Arc<str>),
}

impl SourceText {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            SourceText::Owned(s) => s,
            SourceText::Shared(s) => s,
        }
    }
}

impl std::ops::Deref for SourceText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<&str> for SourceText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The text of one record of a file that was read as a stream and not kept whole: a
/// diagnostic that points into the record can still show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Byte offset of the record in the decoded file.
    pub start: usize,
    /// 1-based line where it starts (lines end at `\n`).
    pub line: usize,
    /// Its text, without the line break that ends it.
    pub text: Box<str>,
}

impl Segment {
    /// The head of a file up to `end` (cut at a line break), for diagnostics about the header.
    pub fn head(text: &str, end: usize) -> Segment {
        let head = text.get(..end.min(text.len())).unwrap_or("");
        let head = match head.rfind('\n') {
            Some(i) if i + 1 < head.len() => &head[..i],
            _ => head,
        };
        Segment {
            start: 0,
            line: 1,
            text: head.trim_end_matches(['\r', '\n']).into(),
        }
    }
}

/// A [`Segment`] placed in a sparse file's `text`.
#[derive(Debug, Clone)]
struct Placed {
    /// Offset in the decoded file.
    start: usize,
    /// Offset in `text`.
    at: usize,
    /// Length of the segment's text.
    len: usize,
    /// 1-based line of its start.
    line: usize,
}

/// Every file the run has read, in the order it read them.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    /// The name of the directory [`FileName::Joined`] names are under, with its separator
    /// (`1a2b3c4:plan/`).
    dir: Option<Arc<str>>,
    /// How many of `files` are this store's: those after them are the files of the load
    /// before, in its order ([`Sources::recycled`]), each in the place a file added takes,
    /// and kept there when it is the same file with the same text (SPEC 10.5).
    live: usize,
}

impl Sources {
    /// An empty store that takes what it can of `before`'s files: the next load of a walk
    /// over history names and shares the same files in the same order, mostly (SPEC 10.5).
    pub fn recycled(before: Sources) -> Sources {
        let mut files = before.files;
        files.truncate(before.live);
        Sources {
            files,
            dir: before.dir,
            live: 0,
        }
    }

    /// The directory [`FileName::Joined`] names are under (the name a tree joins its files to).
    pub fn set_dir(&mut self, dir: Option<Arc<str>>) {
        self.dir = dir;
    }

    fn push(&mut self, file: SourceFile) -> FileId {
        // In the place of the file of the load before there, if any.
        match self.files.get_mut(self.live) {
            Some(place) => *place = file,
            None => self.files.push(file),
        }
        self.live += 1;
        self.live - 1
    }

    /// Store a file's text under the name diagnostics show for it (the name a tree gives
    /// it) and return its id.
    pub fn add(&mut self, display: impl Into<FileName>, text: String) -> FileId {
        self.push(SourceFile {
            display: display.into(),
            text: SourceText::Owned(text),
            sparse: None,
        })
    }

    /// [`Sources::add`] for a text shared with other loads (no copy), at `rel` under the
    /// store's directory, named `name()`: the file the load before had at this place when it
    /// is the same (its name and its text), which saves making its name and sharing its text
    /// again.
    pub fn add_shared_at(
        &mut self,
        rel: &str,
        text: &Arc<str>,
        name: impl FnOnce() -> FileName,
    ) -> FileId {
        match self.keep_live(|file| file.is_shared(rel, text)) {
            Some(kept) => kept,
            None => self.push(SourceFile {
                display: name(),
                text: SourceText::Shared(Arc::clone(text)),
                sparse: None,
            }),
        }
    }

    /// Keep the file of the load before that is in the place of `file`, the next file added,
    /// when it is under the name `rel` and shared: the caller knows it is the same text (the
    /// same contents at the same path: SPEC 10.5). Whether it was kept.
    pub fn keep_at(&mut self, rel: &str, file: FileId) -> bool {
        self.live == file && self.keep_live(|kept| kept.is_placed(rel)).is_some()
    }

    /// The file of the load before at the place of the next file added, kept there when
    /// `same` says it is that file: its id.
    fn keep_live(&mut self, same: impl FnOnce(&SourceFile) -> bool) -> Option<FileId> {
        // Only a store with a directory names its files under it as the file kept would be.
        let file = self
            .files
            .get_mut(self.live)
            .filter(|_| self.dir.is_some())?;
        if !same(file) {
            return None;
        }
        // Named again under this store's directory when it is shown.
        if let FileName::Joined { shown, .. } = &mut file.display {
            shown.take();
        }
        self.live += 1;
        Some(self.live - 1)
    }

    /// The name diagnostics show for a file.
    pub fn name(&self, id: FileId) -> &str {
        match &self.files[id].display {
            FileName::Whole(shown) => shown,
            FileName::Joined { rel, shown } => {
                shown.get_or_init(|| joined_name(self.dir.as_deref().unwrap_or(""), Path::new(rel)))
            }
        }
    }

    /// Replace a file's text by the records that diagnostics point at: for a file read as a
    /// stream, whose whole text is never held in memory. Overlapping segments are kept once.
    pub fn set_segments(&mut self, id: FileId, mut segments: Vec<Segment>) {
        segments.sort_by_key(|s| s.start);
        let mut text = String::new();
        let mut placed: Vec<Placed> = Vec::new();
        for seg in segments {
            if placed
                .last()
                .is_some_and(|p| seg.start < p.start + p.len + 1)
            {
                continue;
            }
            placed.push(Placed {
                start: seg.start,
                at: text.len(),
                len: seg.text.len(),
                line: seg.line,
            });
            text.push_str(&seg.text);
            text.push('\n');
        }
        if let Some(file) = self.files.get_mut(id) {
            file.text = SourceText::Owned(text);
            file.sparse = Some(placed);
        }
    }

    /// Give a file its whole text (one that was added without it, because nothing pointed
    /// into it then).
    pub fn set_text(&mut self, id: FileId, text: String) {
        if let Some(file) = self.files.get_mut(id) {
            file.text = SourceText::Owned(text);
            file.sparse = None;
        }
    }

    /// A file's text as shared text, to be added to other loads with [`Sources::add_shared_at`]
    /// (a text of its own is copied once).
    pub fn share(&mut self, id: FileId) -> Arc<str> {
        let file = &mut self.files[id];
        if let SourceText::Owned(text) = &file.text {
            file.text = SourceText::Shared(Arc::from(text.as_str()));
        }
        match &file.text {
            SourceText::Shared(text) => Arc::clone(text),
            SourceText::Owned(text) => Arc::from(text.as_str()),
        }
    }

    /// Room for `more` files.
    pub fn reserve(&mut self, more: usize) {
        self.files
            .reserve((self.live + more).saturating_sub(self.files.len()));
    }

    /// Forget every file from `len` on (a load that is started again).
    pub fn truncate(&mut self, len: usize) {
        self.files.truncate(len.min(self.live));
        self.live = self.files.len();
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether no file has been read.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files()[id]
    }

    /// All files, for the snippet renderer.
    pub fn files(&self) -> &[SourceFile] {
        &self.files[..self.live]
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, id: FileId, offset: usize) -> (usize, usize) {
        let file = self.get(id);
        match &file.sparse {
            None => line_column(&file.text, offset),
            Some(_) => {
                let at = file.text_offset(offset);
                let (line, column) = line_column(&file.text, at);
                (file.line_number(line - 1), column)
            }
        }
    }
}

impl SourceFile {
    /// Whether it is `text`, shared, under the name `rel` joined to the store's directory.
    fn is_shared(&self, rel: &str, text: &Arc<str>) -> bool {
        matches!(&self.text, SourceText::Shared(t) if Arc::ptr_eq(t, text)) && self.is_placed(rel)
    }

    /// Whether it is a shared text, whole, under the name `rel` joined to the store's
    /// directory.
    fn is_placed(&self, rel: &str) -> bool {
        matches!(self.text, SourceText::Shared(_))
            && self.sparse.is_none()
            && matches!(&self.display, FileName::Joined { rel: r, .. } if same_bytes(r.as_bytes(), rel.as_bytes()))
    }

    /// Where byte `offset` of the file lies in `text` (the same offset unless the file is sparse).
    pub fn text_offset(&self, offset: usize) -> usize {
        let Some(placed) = &self.sparse else {
            return offset;
        };
        let i = placed.partition_point(|p| p.start <= offset);
        match i.checked_sub(1).and_then(|i| placed.get(i)) {
            Some(p) => p.at + (offset - p.start).min(p.len),
            None => 0,
        }
    }

    /// The 1-based line number in the file of line `index` (0-based) of `text`.
    pub fn line_number(&self, index: usize) -> usize {
        let Some(placed) = &self.sparse else {
            return index + 1;
        };
        // Lines of `text` before each segment: count them segment by segment.
        let mut lines_before = 0;
        for p in placed {
            let seg = self.text.get(p.at..p.at + p.len).unwrap_or("");
            let lines = seg.matches('\n').count() + 1;
            if index < lines_before + lines {
                return p.line + (index - lines_before);
            }
            lines_before += lines;
        }
        placed.last().map_or(index + 1, |p| {
            let seg = self.text.get(p.at..p.at + p.len).unwrap_or("");
            p.line + seg.matches('\n').count() + 1 + (index - lines_before)
        })
    }
}

/// 1-based line and column (counted in characters, as editors do) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Narrow a span to the first line it covers: a diagnostic about a whole table
/// points at the table's header, not at twenty lines of it.
pub fn first_line(text: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.min(text.len())).max(start);
    match text[start..end].find('\n') {
        Some(i) => start..start + i,
        None => start..end,
    }
}

/// A path relative to the current directory when it lies below it, as the user typed it otherwise.
pub fn display_path(path: &Path) -> String {
    let shown: PathBuf = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let shown = shown.strip_prefix(".").unwrap_or(&shown).to_path_buf();
    shown.to_string_lossy().replace('\\', "/")
}

/// How two byte strings sort (as `Ord` for slices sorts them), compared eight bytes at a
/// time as big-endian words: a walk looks paths up in each tree it reads by a binary search.
pub fn order_bytes(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    let word = |s: &[u8], at: usize| {
        u64::from_be_bytes(
            s.get(at..at + 8)
                .and_then(|w| w.try_into().ok())
                .unwrap_or_default(),
        )
    };
    let mut at = 0;
    while at + 8 <= n {
        let (x, y) = (word(a, at), word(b, at));
        if x != y {
            return x.cmp(&y);
        }
        at += 8;
    }
    a[at..].iter().cmp(b[at..].iter())
}

/// Whether two byte strings are the same, compared eight bytes at a time in place (the last
/// eight overlapping): most are names and paths a few words long, equal, which a call of
/// `memcmp` took longer for.
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| {
        u64::from_le_bytes(
            s.get(at..at + 8)
                .and_then(|w| w.try_into().ok())
                .unwrap_or_default(),
        )
    };
    if n < 8 {
        return a.iter().zip(b).fold(true, |same, (x, y)| same & (x == y));
    }
    let mut at = 0;
    while at + 8 < n {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

/// Text from the plan files made safe for a terminal: every control character but a line
/// break and a tab is shown in caret notation (`^[` for ESC, `^G` for BEL, `^?` for DEL, as
/// `cat -v` and `less` show them), a C1 control as `\u{9b}`, so that a note or a title can
/// neither change the terminal's colours nor move its cursor, and can still be read.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    // A control character is a byte below a blank, DEL, or (U+0080–U+009F) two bytes that
    // begin with 0xC2: text without those bytes is shown as it is, told by a loop without an
    // early exit, many bytes at a time (every cell of every table of a walk is shown).
    let suspect = |b: u8| (b < b' ' && b != b'\n' && b != b'\t') || b == 0x7f || b == 0xc2;
    if !s.bytes().fold(false, |any, b| any | suspect(b)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match u32::from(c) {
            _ if !unsafe_char(c) => out.push(c),
            n @ 0..0x20 => {
                out.push('^');
                out.push(char::from_u32(n + 0x40).unwrap_or('?'));
            }
            0x7f => out.push_str("^?"),
            n => out.push_str(&format!("\\u{{{n:x}}}")),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As `==` tells them, for every length up to five words and a difference at each place.
    #[test]
    fn same_bytes_tells_what_equality_tells() {
        for n in 0..40 {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same_bytes(&a, &a.clone()), "{n}");
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 0x20;
                assert_eq!(same_bytes(&a, &b), a == b, "{n} {at}");
            }
            let longer = [a.as_slice(), b"x"].concat();
            assert!(!same_bytes(&a, &longer), "{n}");
        }
    }

    /// As `Ord` sorts them, for every pair of a set of short byte strings alike in their
    /// first bytes.
    #[test]
    fn order_bytes_sorts_as_slices_sort() {
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for n in 0..20 {
            let base: Vec<u8> = (0..n).map(|i| b'a' + (i % 3) as u8).collect();
            for at in 0..n {
                for step in [0x01u8, 0x80] {
                    let mut other = base.clone();
                    other[at] = other[at].wrapping_add(step);
                    texts.push(other);
                }
            }
            texts.push(base);
        }
        for a in &texts {
            for b in &texts {
                assert_eq!(order_bytes(a, b), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "a = 1\nø = \"æ\"\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        // "ø = " is 5 bytes but 4 characters: the quote is in column 5.
        assert_eq!(line_column(text, 6 + 5), (2, 5));
        assert_eq!(line_column(text, 999), (3, 1));
    }

    #[test]
    fn sparse_files_keep_line_numbers_and_columns() {
        let mut sources = Sources::default();
        let id = sources.add("big.csv".to_string(), String::new());
        sources.set_segments(
            id,
            vec![
                Segment {
                    start: 1000,
                    line: 40,
                    text: "a,\"x\ny\",ø".into(),
                },
                Segment {
                    start: 20,
                    line: 2,
                    text: "2013,b".into(),
                },
            ],
        );
        assert_eq!(sources.get(id).text, "2013,b\na,\"x\ny\",ø\n");
        assert_eq!(sources.line_column(id, 25), (2, 6));
        assert_eq!(sources.line_column(id, 1002), (40, 3));
        // After the embedded line break: line 41, and ø is the 4th character.
        assert_eq!(sources.line_column(id, 1008), (41, 4));
        assert_eq!(sources.get(id).line_number(3), 42);
    }

    #[test]
    fn first_line_cuts_at_newline() {
        let text = "[[goal]]\nid = 1\n";
        assert_eq!(first_line(text, 0..text.len()), 0..8);
    }
}
