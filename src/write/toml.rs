//! Edits of a TOML file's own text.
//!
//! `toml_edit` parses the file and says where every key, value and table header lies; the edit
//! is then spliced into the original text at that place. Nothing is ever re-serialised from a
//! document model, so every byte outside the edit stays as it was: comments, key order, blank
//! lines, quoting, indentation, CRLF line ends and a byte order mark (a `DocumentMut` would write
//! LF and reformat, see cargo#11743). New lines copy their neighbours: the indentation and the
//! ` = ` of the keys beside them, the line ending of the file, and the blank lines between the
//! `[[…]]` items of the same array. After each splice the text is parsed again and the edit read
//! back, so a splice that would change the meaning of anything else is refused, not written.

use std::ops::Range;

use toml_edit::{Document, Item, Table, Value};

/// A TOML file being edited: its text without the BOM, and what to put back around it.
#[derive(Debug, Clone)]
pub struct TomlText {
    bom: bool,
    text: String,
    newline: &'static str,
    /// `text` parsed once (a write command asks for many keys of the same file); replaced with
    /// the parse of the new text after every edit.
    doc: Result<Document<String>, toml_edit::TomlError>,
}

/// A key and its new value, as TOML.
pub type Pair = (String, Value);

impl TomlText {
    /// Read a file's bytes. `Err` says why it cannot be edited (not UTF-8, not TOML).
    pub fn parse(bytes: &[u8]) -> Result<TomlText, String> {
        let (bom, rest) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (true, rest),
            None => (false, bytes),
        };
        let text = std::str::from_utf8(rest)
            .map_err(|_| "it is not UTF-8 text".to_string())?
            .to_string();
        let doc =
            Document::parse(text.clone()).map_err(|e| format!("it is not valid TOML: {e}"))?;
        let newline = newline_of(&text);
        Ok(TomlText {
            bom,
            text,
            newline,
            doc: Ok(doc),
        })
    }

    /// A new file's text, written with the line ending `newline`.
    pub fn new(text: &str, newline: &'static str) -> TomlText {
        let text = text.replace('\n', newline);
        TomlText {
            bom: false,
            doc: Document::parse(text.clone()),
            text,
            newline,
        }
    }

    /// The text (without BOM).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line ending new lines get.
    pub fn newline(&self) -> &'static str {
        self.newline
    }

    /// The file's bytes: the BOM, when it had one, and the text.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.len() + 3);
        if self.bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        out.extend_from_slice(self.text.as_bytes());
        out
    }

    /// The value of a top-level key, as a string, when it is one.
    pub fn root_str(&self, key: &str) -> Option<String> {
        let doc = self.doc.as_ref().ok()?;
        doc.as_table()
            .get(key)
            .and_then(Item::as_str)
            .map(str::to_string)
    }

    /// The value of a top-level key, as an integer, when it is one.
    pub fn root_int(&self, key: &str) -> Option<i64> {
        let doc = self.doc.as_ref().ok()?;
        doc.as_table().get(key).and_then(Item::as_integer)
    }

    /// The string items of a top-level array (`ledger = ["ledger.csv", { … }]` gives
    /// `["ledger.csv"]`); `None` when the key is absent.
    pub fn root_strings(&self, key: &str) -> Option<Vec<String>> {
        let doc = self.doc.as_ref().ok()?;
        let array = doc.as_table().get(key)?.as_array()?;
        Some(
            array
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        )
    }

    /// The `id`s of the items of `[[array]]`, in file order.
    pub fn ids(&self, array: &str) -> Vec<String> {
        let Ok(doc) = &self.doc else {
            return Vec::new();
        };
        doc.as_table()
            .get(array)
            .and_then(Item::as_array_of_tables)
            .map(|aot| {
                aot.iter()
                    .filter_map(|t| t.get("id").and_then(Item::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The items of `[[array]]`, in file order, with their values and where they are written
    /// (to see whether a change repeats what is there).
    pub fn items(&self, array: &str) -> Vec<ItemValues> {
        let Ok(doc) = &self.doc else {
            return Vec::new();
        };
        let Some(aot) = doc.as_table().get(array).and_then(Item::as_array_of_tables) else {
            return Vec::new();
        };
        aot.iter()
            .map(|table| {
                ItemValues(
                    table
                        .iter()
                        .filter_map(|(key, item)| {
                            let value = item.as_value()?.clone();
                            Some((key.to_string(), value, item_span(item).unwrap_or(0..0)))
                        })
                        .collect(),
                )
            })
            .collect()
    }

    /// Where `array` is written as an inline array of tables (`milestone = [ { … } ]`), which
    /// the edits here do not handle: the place of the array, to refuse the edit there.
    pub fn inline_array(&self, array: &str) -> Option<Range<usize>> {
        let doc = self.doc.as_ref().ok()?;
        let item = doc.as_table().get(array)?;
        if item.is_array_of_tables() || !item.is_array() {
            return None;
        }
        let (key, _) = doc.as_table().get_key_value(array)?;
        let start = key.span().map(|s| s.start);
        let end = item_span(item).map(|s| s.end);
        match (start, end) {
            (Some(start), Some(end)) => Some(start..end),
            (_, end) => end.map(|end| end.saturating_sub(1)..end),
        }
    }

    /// Append a new `[[array]]` item with `pairs`, after the last item of that array (or at the
    /// end of the file when there is none), formatted like the items before it.
    pub fn append_item(&mut self, array: &str, pairs: &[Pair]) -> Result<(), String> {
        let doc = self.doc.as_ref().map_err(|e| e.to_string())?;
        let root = doc.as_table();
        let nl = self.newline;
        let existing = root.get(array).and_then(Item::as_array_of_tables);
        let before = existing.map_or(0, |a| a.len());
        let tables: Vec<&Table> = existing.map(|a| a.iter().collect()).unwrap_or_default();
        let (at, style) = match tables.last() {
            Some(last) => {
                let at = end_of_table(&self.text, last);
                let blank = tables
                    .len()
                    .checked_sub(2)
                    .and_then(|i| tables.get(i))
                    .map_or(1, |prev| {
                        blank_lines_between(&self.text, end_of_table(&self.text, prev), last)
                    });
                (at, Style::of(&self.text, last, blank))
            }
            None => {
                // The new array goes at the end, styled like the file's other [[…]] items.
                let neighbour = root
                    .iter()
                    .filter_map(|(_, item)| item.as_array_of_tables())
                    .filter_map(|aot| aot.iter().last())
                    .max_by_key(|t| t.span().map_or(0, |s| s.start));
                let style = neighbour.map_or(Style::plain(), |t| Style::of(&self.text, t, 1));
                (self.text.len(), style)
            }
        };
        let mut block = String::new();
        if at == self.text.len() && !self.text.is_empty() && !self.text.ends_with('\n') {
            block.push_str(nl);
        }
        for _ in 0..style.blank_lines {
            block.push_str(nl);
        }
        block.push_str(&format!("[[{array}]]{nl}"));
        for (key, value) in pairs {
            block.push_str(&style.line(key, value, nl));
        }
        let mut edited = self.text.clone();
        edited.insert_str(at, &block);
        // Read the edit back: one more item, holding exactly the new pairs.
        let check = Document::parse(edited.clone()).map_err(|e| e.to_string())?;
        let items = check
            .as_table()
            .get(array)
            .and_then(Item::as_array_of_tables)
            .ok_or("the new item did not read back")?;
        let last = items
            .iter()
            .last()
            .ok_or("the new item did not read back")?;
        if items.len() != before + 1 || !holds(last, pairs) || last.len() != pairs.len() {
            return Err(format!(
                "the new [[{array}]] item would not read back as written"
            ));
        }
        self.text = edited;
        self.doc = Ok(check);
        Ok(())
    }

    /// Set `key` to `value` in the `[[array]]` item whose `id` is `id`: the value is replaced in
    /// place when the key is there, else a line is added after the item's last key.
    pub fn set_in_item(
        &mut self,
        array: &str,
        id: &str,
        key: &str,
        value: &Value,
    ) -> Result<(), String> {
        let doc = self.doc.as_ref().map_err(|e| e.to_string())?;
        let table = find_item(doc.as_table(), array, id)
            .ok_or_else(|| format!("no [[{array}]] with id `{id}`"))?;
        let mut edited = self.text.clone();
        match table.get(key) {
            Some(item) => {
                let span = item
                    .span()
                    .or_else(|| item.as_value().and_then(Value::span))
                    .ok_or_else(|| format!("`{key}` has no place in the file"))?;
                if item.as_value().is_none() {
                    return Err(format!("`{key}` is a table, not a value"));
                }
                edited.replace_range(span, &repr(value));
            }
            None => {
                let at = end_of_table(&self.text, table);
                let style = Style::of(&self.text, table, 0);
                let mut line = String::new();
                if at == self.text.len() && !self.text.ends_with('\n') {
                    line.push_str(self.newline);
                }
                line.push_str(&style.line(key, value, self.newline));
                edited.insert_str(at, &line);
            }
        }
        let check = Document::parse(edited.clone()).map_err(|e| e.to_string())?;
        let item = find_item(check.as_table(), array, id)
            .ok_or_else(|| format!("the [[{array}]] `{id}` would not read back"))?;
        if !holds(item, &[(key.to_string(), value.clone())])
            || item.len() != table.len() + { usize::from(table.get(key).is_none()) }
        {
            return Err(format!("`{key}` of `{id}` would not read back as written"));
        }
        self.text = edited;
        self.doc = Ok(check);
        Ok(())
    }
}

/// The values of one `[[…]]` item: key, value, and the value's place in the text.
#[derive(Debug, Clone)]
pub struct ItemValues(Vec<(String, Value, Range<usize>)>);

impl ItemValues {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _, _)| k == key).map(|(_, v, _)| v)
    }

    /// Where the value of `key` is written.
    pub fn span(&self, key: &str) -> Option<Range<usize>> {
        self.0
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, s)| s.clone())
    }

    /// The value of `key` as a person reads it: a string's text, anything else as TOML.
    pub fn text(&self, key: &str) -> Option<String> {
        self.get(key).map(shown)
    }
}

/// A value as a person reads it: a string's text, anything else as TOML.
pub fn shown(value: &Value) -> String {
    match value.as_str() {
        Some(s) => s.to_string(),
        None => repr(value),
    }
}

/// The item of `[[array]]` whose `id` is `id`.
fn find_item<'t>(root: &'t Table, array: &str, id: &str) -> Option<&'t Table> {
    root.get(array)?
        .as_array_of_tables()?
        .iter()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(id))
}

/// Whether `table` holds each of `pairs` with the same value.
fn holds(table: &Table, pairs: &[Pair]) -> bool {
    pairs.iter().all(|(key, value)| {
        table
            .get(key)
            .and_then(Item::as_value)
            .is_some_and(|v| same(v, value))
    })
}

/// Two values equal as data (their formatting aside).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Integer(y)) => x.value() == y.value(),
        (Value::Float(x), Value::Float(y)) => x.value() == y.value(),
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Datetime(x), Value::Datetime(y)) => x.value() == y.value(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same(a, b))
        }
        (Value::InlineTable(x), Value::InlineTable(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => false,
    }
}

/// A value as TOML text, without surrounding whitespace.
pub fn repr(value: &Value) -> String {
    value.clone().decorated("", "").to_string()
}

/// A TOML string value, always on one line: a line break in it is written `\n`, so the value
/// stays the same whatever line ending the file has.
pub fn string(s: &str) -> Value {
    if !s.chars().any(char::is_control) {
        return Value::from(s);
    }
    let mut repr = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => repr.push_str("\\\""),
            '\\' => repr.push_str("\\\\"),
            '\n' => repr.push_str("\\n"),
            '\r' => repr.push_str("\\r"),
            '\t' => repr.push_str("\\t"),
            c if c.is_control() => repr.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => repr.push(c),
        }
    }
    repr.push('"');
    repr.parse().unwrap_or_else(|_| Value::from(s))
}

/// A TOML local date.
pub fn date(d: crate::model::Date) -> Value {
    let date = toml_edit::Date {
        year: u16::try_from(chrono::Datelike::year(&d)).unwrap_or(0),
        month: u8::try_from(chrono::Datelike::month(&d)).unwrap_or(0),
        day: u8::try_from(chrono::Datelike::day(&d)).unwrap_or(0),
    };
    Value::from(toml_edit::Datetime {
        date: Some(date),
        time: None,
        offset: None,
    })
}

/// A date as a TOML date, a period as the string it is written as (SPEC 9.3).
pub fn when(w: &super::DateOrPeriod) -> Value {
    match w {
        super::DateOrPeriod::Date(d) => date(*d),
        super::DateOrPeriod::Period(p) => string(p),
    }
}

/// An inline table `{ k = v, … }`.
pub fn inline(pairs: &[Pair]) -> Value {
    let mut table = toml_edit::InlineTable::new();
    for (k, v) in pairs {
        table.insert(k, v.clone());
    }
    table.fmt();
    Value::InlineTable(table)
}

/// How the lines of a new item or key are written, copied from a neighbouring table.
#[derive(Debug, Clone)]
struct Style {
    indent: String,
    separator: String,
    blank_lines: usize,
}

impl Style {
    fn plain() -> Style {
        Style {
            indent: String::new(),
            separator: " = ".into(),
            blank_lines: 1,
        }
    }

    /// The indentation and ` = ` of the first key of `table` (the first key is the one least
    /// likely to be an odd one out), with `blank_lines` before a new header.
    fn of(text: &str, table: &Table, blank_lines: usize) -> Style {
        let mut style = Style::plain();
        style.blank_lines = blank_lines;
        if let Some((key, item)) = table.iter().next()
            && let Some((k, _)) = table.get_key_value(key)
            && let (Some(kspan), Some(vspan)) = (k.span(), item.span())
        {
            let line_start = text[..kspan.start].rfind('\n').map_or(0, |i| i + 1);
            let indent = &text[line_start..kspan.start];
            if indent.chars().all(|c| c == ' ' || c == '\t') {
                style.indent = indent.to_string();
            }
            if let Some(sep) = text.get(kspan.end..vspan.start)
                && sep.trim() == "="
            {
                style.separator = sep.to_string();
            }
        }
        style
    }

    fn line(&self, key: &str, value: &Value, nl: &str) -> String {
        let key = toml_edit::Key::new(key).display_repr().into_owned();
        format!("{}{key}{}{}{nl}", self.indent, self.separator, repr(value))
    }
}

/// Where a table's own lines end: just after the line holding its last value (or its header).
fn end_of_table(text: &str, table: &Table) -> usize {
    let last = table
        .iter()
        .filter_map(|(_, item)| item_span(item))
        .map(|s| s.end)
        .chain(table.span().map(|s| s.end))
        .max()
        .unwrap_or(text.len());
    match text[last..].find('\n') {
        Some(i) => last + i + 1,
        None => text.len(),
    }
}

fn item_span(item: &Item) -> Option<Range<usize>> {
    item.span()
        .or_else(|| item.as_value().and_then(Value::span))
}

/// How many blank lines stand between the end of one item (`from`) and the header of the next
/// (`next`): when only blank lines do (a comment there belongs to the next item; then 1).
fn blank_lines_between(text: &str, from: usize, next: &Table) -> usize {
    let Some(to) = next.span().map(|s| s.start) else {
        return 1;
    };
    let gap = text.get(from..to).unwrap_or("");
    if gap.lines().all(|l| l.trim().is_empty()) {
        gap.matches('\n').count()
    } else {
        1
    }
}

/// `\r\n` when the file's first line ends so, else `\n`.
pub fn newline_of(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes().get(i - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> crate::model::Date {
        crate::dates::parse_iso_date(s).unwrap_or_default()
    }

    fn update(date_: &str, status: &str, note: &str) -> Vec<Pair> {
        vec![
            ("date".into(), date(d(date_))),
            ("status".into(), string(status)),
            ("note".into(), string(note)),
        ]
    }

    #[test]
    fn an_update_goes_after_the_last_update_styled_like_it() {
        let before = "id = \"I1\"\n\n[[milestone]]\nid = \"M1\"\n\n[[update]]\n  date = 2013-09-30\n  status = \"on-track\" # fine\n\n\n# Next the milestones of 2014\n[[milestone]]\nid = \"M2\"\n";
        let mut t = TomlText::parse(before.as_bytes()).unwrap();
        t.append_item("update", &update("2014-01-02", "at-risk", "Æ \"q\""))
            .unwrap();
        assert_eq!(
            t.text(),
            "id = \"I1\"\n\n[[milestone]]\nid = \"M1\"\n\n[[update]]\n  date = 2013-09-30\n  status = \"on-track\" # fine\n\n[[update]]\n  date = 2014-01-02\n  status = \"at-risk\"\n  note = 'Æ \"q\"'\n\n\n# Next the milestones of 2014\n[[milestone]]\nid = \"M2\"\n"
        );
    }

    #[test]
    fn crlf_bom_and_a_missing_final_newline() {
        let before =
            "\u{feff}id = \"I1\"\r\n\r\n[[update]]\r\ndate = 2013-09-30\r\nstatus = \"done\"";
        let mut t = TomlText::parse(before.as_bytes()).unwrap();
        t.append_item("update", &update("2014-01-02", "done", "x"))
            .unwrap();
        assert_eq!(
            String::from_utf8(t.to_bytes()).unwrap(),
            "\u{feff}id = \"I1\"\r\n\r\n[[update]]\r\ndate = 2013-09-30\r\nstatus = \"done\"\r\n\r\n[[update]]\r\ndate = 2014-01-02\r\nstatus = \"done\"\r\nnote = \"x\"\r\n"
        );
    }

    #[test]
    fn the_first_update_goes_at_the_end() {
        let before = "id = \"I1\"\ntitle = \"T\"\n";
        let mut t = TomlText::parse(before.as_bytes()).unwrap();
        t.append_item("update", &update("2014-01-02", "done", "x"))
            .unwrap();
        assert_eq!(
            t.text(),
            "id = \"I1\"\ntitle = \"T\"\n\n[[update]]\ndate = 2014-01-02\nstatus = \"done\"\nnote = \"x\"\n"
        );
    }

    #[test]
    fn a_key_is_replaced_in_place_or_added_after_the_last() {
        let before = "[[milestone]]\n    id = \"M1\"\n    due   =   2013-06-30 # moved once\n\n[[milestone]]\n    id = \"M2\"\n    due = 2014-01-01\n";
        let mut t = TomlText::parse(before.as_bytes()).unwrap();
        t.set_in_item("milestone", "M1", "due", &date(d("2013-09-30")))
            .unwrap();
        t.set_in_item("milestone", "M1", "done", &date(d("2013-09-01")))
            .unwrap();
        assert_eq!(
            t.text(),
            "[[milestone]]\n    id = \"M1\"\n    due   =   2013-09-30 # moved once\n    done = 2013-09-01\n\n[[milestone]]\n    id = \"M2\"\n    due = 2014-01-01\n"
        );
        assert!(
            t.set_in_item("milestone", "M9", "due", &date(d("2013-09-30")))
                .is_err()
        );
    }

    #[test]
    fn an_inline_table_value() {
        let before = "[[criterion]]\nid = \"k\"\ndeadline = 2015-12-31";
        let mut t = TomlText::parse(before.as_bytes()).unwrap();
        let achieved = inline(&[
            ("date".into(), date(d("2015-03-01"))),
            ("evidence".into(), string("Nomineret")),
        ]);
        t.set_in_item("criterion", "k", "achieved", &achieved)
            .unwrap();
        assert_eq!(
            t.text(),
            "[[criterion]]\nid = \"k\"\ndeadline = 2015-12-31\nachieved = { date = 2015-03-01, evidence = \"Nomineret\" }\n"
        );
    }

    #[test]
    fn strings_stay_on_one_line() {
        assert_eq!(
            repr(&string("a\nb \"c\" \\ \u{7}")),
            r#""a\nb \"c\" \\ \u0007""#
        );
        assert_eq!(string("a\nb").as_str(), Some("a\nb"));
        assert_eq!(repr(&string("Æ")), "\"Æ\"");
    }

    #[test]
    fn only_the_path_items_of_an_array() {
        let t = TomlText::parse(
            b"ledger = [\"ledger.csv\", { file = \"okonomi/*.csv\", kind = \"expense\" }, \"x/*.csv\"]\n",
        )
        .unwrap();
        assert_eq!(
            t.root_strings("ledger"),
            Some(vec!["ledger.csv".to_string(), "x/*.csv".to_string()])
        );
        assert_eq!(t.root_strings("surveys"), None);
    }

    #[test]
    fn a_file_that_is_not_toml_is_not_edited() {
        assert!(TomlText::parse(b"id = ").is_err());
        assert!(TomlText::parse(b"\xff").is_err());
    }
}
