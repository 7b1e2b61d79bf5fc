//! Stage 1, read: every input file is read once into a [`Sources`] store, and
//! diagnostics point into it by [`FileId`] and byte span. Line and column numbers
//! are computed from the stored text only when a diagnostic is printed.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// One file as read from disk, decoded to text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to the user: relative to the current directory where possible.
    pub display: String,
    /// The decoded text (a UTF-8 BOM already removed).
    pub text: String,
}

/// Every file the run has read, in the order it read them.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Store a file's text and return its id.
    pub fn add(&mut self, path: &Path, text: String) -> FileId {
        self.files.push(SourceFile {
            display: display_path(path),
            text,
        });
        self.files.len() - 1
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    /// All files, for the snippet renderer.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, id: FileId, offset: usize) -> (usize, usize) {
        line_column(&self.get(id).text, offset)
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn first_line_cuts_at_newline() {
        let text = "[[goal]]\nid = 1\n";
        assert_eq!(first_line(text, 0..text.len()), 0..8);
    }
}
