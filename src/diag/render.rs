//! Renderers for diagnostics: rustc-style text with a snippet, JSON, and GitHub workflow annotations.

use std::io::Write;

use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label};
use codespan_reporting::files::{self as cfiles, Files};
use codespan_reporting::term::{self, Config, termcolor::Ansi};
use serde::Serialize;

use super::{Diagnostic, Diagnostics, Severity};
use crate::source::{Sources, floor_char_boundary, visible};

/// rustc-style text: `error[E008]: …`, the file, line and column, and the marked source line.
pub fn render_text(
    out: &mut dyn Write,
    sources: &Sources,
    diagnostics: &Diagnostics,
    color: bool,
) -> std::io::Result<()> {
    let files = SnippetFiles::new(sources);
    let config = Config::default();
    for d in diagnostics.sorted() {
        let mut buffer = Vec::new();
        let snippet = to_snippet(d, sources);
        let emitted = if line_too_long(d, sources) {
            Err(codespan_reporting::files::Error::FileMissing)
        } else if color {
            term::emit_to_write_style(&mut Ansi::new(&mut buffer), &config, &files, &snippet)
        } else {
            term::emit_to_io_write(&mut buffer, &config, &files, &snippet)
        };
        if emitted.is_err() {
            // No snippet (the renderer refused the span, or the line is too long to show):
            // the plain form still names file, line and column.
            buffer.clear();
            writeln!(
                buffer,
                "{}[{}]: {}",
                severity_word(d),
                d.code,
                visible(&d.message)
            )?;
            if let Some(place) = place(d, sources) {
                writeln!(buffer, "  --> {place}")?;
            }
            if let Some(label) = &d.label {
                writeln!(buffer, "  = {}", visible(label))?;
            }
            for also in &d.also {
                let (line, column) = sources.line_column(also.file, also.span.start);
                let name = sources.name(also.file);
                writeln!(
                    buffer,
                    "  = {name}:{line}:{column}: {}",
                    visible(&also.label)
                )?;
            }
            if let Some(help) = &d.help {
                writeln!(buffer, "  = help: {}", visible(help))?;
            }
            writeln!(buffer)?;
        }
        out.write_all(&buffer)?;
    }
    for (file, code, count) in diagnostics.suppressed() {
        writeln!(
            out,
            "note: {}\n",
            suppressed_message(sources, file, code, count)
        )?;
    }
    Ok(())
}

/// `… and 9950 more E011 in ledger.csv (…)`.
fn suppressed_message(
    sources: &Sources,
    file: Option<usize>,
    code: super::Code,
    count: usize,
) -> String {
    let place = file.map_or(String::new(), |f| format!(" in {}", sources.name(f)));
    format!(
        "… and {count} more {code}{place} (only the first {} of each code in a file are shown)",
        super::SHOWN_PER_CODE
    )
}

/// Lines longer than this are not echoed: a 100 MB line must not flood the terminal.
const MAX_SNIPPET_LINE: usize = 400;

/// The files as codespan sees them: a sparse (streamed) file shows its kept records under
/// their own line numbers.
struct SnippetFiles<'s> {
    sources: &'s Sources,
    line_starts: Vec<Vec<usize>>,
    /// Each file's text as the snippet shows it ([`masked`]).
    shown: Vec<std::borrow::Cow<'s, str>>,
}

impl<'s> SnippetFiles<'s> {
    fn new(sources: &'s Sources) -> Self {
        let line_starts = sources
            .files()
            .iter()
            .map(|f| cfiles::line_starts(&f.text).collect())
            .collect();
        let shown = sources.files().iter().map(|f| masked(&f.text)).collect();
        SnippetFiles {
            sources,
            line_starts,
            shown,
        }
    }

    fn line_start(&self, id: usize, index: usize) -> Result<usize, cfiles::Error> {
        let starts = self.line_starts.get(id).ok_or(cfiles::Error::FileMissing)?;
        match index.cmp(&starts.len()) {
            std::cmp::Ordering::Less => {
                starts.get(index).copied().ok_or(cfiles::Error::FileMissing)
            }
            std::cmp::Ordering::Equal => Ok(self.sources.get(id).text.len()),
            std::cmp::Ordering::Greater => Err(cfiles::Error::LineTooLarge {
                given: index,
                max: starts.len().saturating_sub(1),
            }),
        }
    }
}

impl<'a> Files<'a> for SnippetFiles<'_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, cfiles::Error> {
        Ok(self.sources.name(id))
    }

    fn source(&'a self, id: usize) -> Result<&'a str, cfiles::Error> {
        self.shown
            .get(id)
            .map(|text| text.as_ref())
            .ok_or(cfiles::Error::FileMissing)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, cfiles::Error> {
        let starts = self.line_starts.get(id).ok_or(cfiles::Error::FileMissing)?;
        Ok(starts
            .binary_search(&byte_index)
            .unwrap_or_else(|next| next.saturating_sub(1)))
    }

    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, cfiles::Error> {
        Ok(self.sources.get(id).line_number(line_index))
    }

    fn line_range(
        &'a self,
        id: usize,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, cfiles::Error> {
        Ok(self.line_start(id, line_index)?..self.line_start(id, line_index + 1)?)
    }
}

fn line_too_long(d: &Diagnostic, sources: &Sources) -> bool {
    let (Some(file), Some(span)) = (d.file, &d.span) else {
        return false;
    };
    let file = sources.get(file);
    let text = &file.text;
    let at = floor_char_boundary(text, file.text_offset(span.start).min(text.len()));
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    end - start > MAX_SNIPPET_LINE
}

fn to_snippet(d: &Diagnostic, sources: &Sources) -> Snippet<usize> {
    let base = match d.severity() {
        Severity::Error => Snippet::error(),
        Severity::Warning => Snippet::warning(),
    };
    // A message, label or help may quote the plan's text: shown, never sent to the terminal.
    let mut snippet = base
        .with_code(d.code.as_str())
        .with_message(visible(&d.message));
    match (d.file, &d.span) {
        (Some(file), Some(span)) => {
            let source = sources.get(file);
            let text = &source.text;
            let (start, end) = (source.text_offset(span.start), source.text_offset(span.end));
            let start = floor_char_boundary(text, start.min(text.len()));
            let end = floor_char_boundary(text, end.min(text.len())).max(start);
            let label = Label::primary(file, start..end);
            let label = match &d.label {
                Some(l) => label.with_message(visible(l)),
                None => label,
            };
            let mut labels = vec![label];
            for also in &d.also {
                let source = sources.get(also.file);
                let text = &source.text;
                let start = floor_char_boundary(text, also.span.start.min(text.len()));
                let end = floor_char_boundary(text, also.span.end.min(text.len())).max(start);
                labels.push(
                    Label::secondary(also.file, start..end).with_message(visible(&also.label)),
                );
            }
            snippet = snippet.with_labels(labels);
        }
        (Some(file), None) => {
            snippet = snippet.with_notes(vec![format!("in {}", sources.name(file))]);
        }
        _ => {}
    }
    if let Some(help) = &d.help {
        snippet.notes.push(format!("help: {}", visible(help)));
    }
    snippet
}

fn severity_word(d: &Diagnostic) -> &'static str {
    match d.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `file:line:column`, or just the file.
fn place(d: &Diagnostic, sources: &Sources) -> Option<String> {
    let file = d.file?;
    let name = sources.name(file);
    Some(match &d.span {
        Some(span) => {
            let (line, column) = sources.line_column(file, span.start);
            format!("{name}:{line}:{column}")
        }
        None => name.to_string(),
    })
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    code: &'static str,
    file: Option<&'a str>,
    count: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    errors: usize,
    warnings: usize,
    /// What was checked (SPEC 10.1); `null` outside a repository.
    revision: Option<&'a crate::Revision>,
    diagnostics: Vec<super::Located>,
    /// Diagnostics counted but not listed (past the first of their code in a file).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressed: Vec<JsonSuppressed<'a>>,
}

/// `{"errors":N,"warnings":M,"revision":…,"diagnostics":[…]}` as SPEC sections 6 and 10.1
/// give it.
pub fn render_json(
    out: &mut dyn Write,
    sources: &Sources,
    diagnostics: &Diagnostics,
    revision: Option<&crate::Revision>,
) -> std::io::Result<()> {
    let report = JsonReport {
        errors: diagnostics.errors(),
        warnings: diagnostics.warnings(),
        revision,
        diagnostics: super::located(sources, diagnostics),
        suppressed: diagnostics
            .suppressed()
            .into_iter()
            .map(|(file, code, count)| JsonSuppressed {
                code: code.as_str(),
                file: file.map(|f| sources.name(f)),
                count,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

/// A file's text for a snippet: each control character but a line break, a carriage return and
/// a tab as `?` (as many as its bytes), so that a source line cannot change the terminal's
/// colours or move its cursor, while every byte offset of a span stays where it was.
fn masked(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    if !text.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if unsafe_char(c) {
                    "?".repeat(c.len_utf8())
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// GitHub workflow commands: `::error file=…,line=…,col=…::message`.
pub fn render_github(
    out: &mut dyn Write,
    sources: &Sources,
    diagnostics: &Diagnostics,
) -> std::io::Result<()> {
    for d in diagnostics.sorted() {
        let mut properties = Vec::new();
        if let Some(file) = d.file {
            properties.push(format!("file={}", escape_property(sources.name(file))));
            if let Some(span) = &d.span {
                let (line, column) = sources.line_column(file, span.start);
                properties.push(format!("line={line}"));
                properties.push(format!("col={column}"));
            }
        }
        properties.push(format!("title={}", d.code));
        let kind = match d.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(
            out,
            "::{kind} {}::{}",
            properties.join(","),
            escape_data(&format!("{}: {}", d.code, visible(&d.message)))
        )?;
    }
    for (file, code, count) in diagnostics.suppressed() {
        let kind = match code.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = file.map_or(String::new(), |f| {
            format!("file={},", escape_property(sources.name(f)))
        });
        writeln!(
            out,
            "::{kind} {file}title={code}::{}",
            escape_data(&suppressed_message(sources, None, code, count))
        )?;
    }
    Ok(())
}

/// Workflow-command escaping (the runner's own rules): `%`, CR and LF in data.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Properties also escape `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
