//! TOML text → raw structs, with every syntax and shape problem turned into a diagnostic.
//!
//! A document is parsed once into toml's spanned tree. Its `[[array]]` items are then
//! deserialized one by one, so that a mistake in one goal or milestone does not hide the
//! mistakes in the others, and unknown top-level keys are all reported before the rest
//! of the table is read.

use std::ops::Range;

use serde::de::{self, DeserializeOwned, Visitor};
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::source::{FileId, first_line};

/// A parsed document: its root table, and the `[[array]]` items taken out of it.
pub struct Document<'t> {
    /// The file it came from.
    pub file: FileId,
    /// The root table without the array keys.
    pub root: Spanned<DeValue<'t>>,
    /// For each requested array key, its items in file order.
    pub arrays: Vec<Vec<Spanned<DeValue<'t>>>>,
    /// For each requested array key, whether its items (if any) are written as `[[key]]`
    /// tables, which `[[key]]` tables appended to the text extend (an array written inline
    /// cannot be extended so).
    pub headed: Vec<bool>,
    /// Where the text's `[[…]]` tables begin, at the start of a line, when it is two parts:
    /// the root's keys, none of them a table that a header further down could add to, then
    /// only `[[…]]` tables of the requested arrays. A text that keeps the second part and
    /// changes the first reads as the first part read alone and the second as before.
    pub tables_at: Option<usize>,
    /// Whether no root key other than the requested arrays holds a table (or tables), which
    /// a header further down the text could add to.
    pub flat: bool,
    /// The whole document as plain TOML data, when asked for (`plan diff` and `plan log`
    /// compare it: [`crate::load::plan_data`]), taken from the same parse.
    pub plain: Option<toml::Table>,
}

/// Parse `text`, report a syntax error, unknown root keys and misplaced arrays.
///
/// `array_keys` are the keys that hold `[[…]]` tables; `scalar_keys` the other keys the
/// root may hold; `plain`: keep the document as plain data too ([`Document::plain`]).
/// Returns `None` when the text does not parse.
pub fn parse<'t>(
    text: &'t str,
    file: FileId,
    (scalar_keys, array_keys): (&[&str], &[&str]),
    plain: bool,
    diags: &mut Diagnostics,
) -> Option<Document<'t>> {
    // Only the first syntax error is reported: after it, the parser's recovery guesses, and
    // its later errors are mostly echoes of the first (a key "duplicated" into the wrong table).
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(error) => {
            // toml checks calendar dates while parsing; report those as the date problem they
            // are, and a Danish date (`31-03-2027`, or `31.03.2027`, which toml takes for a
            // broken float) with the day it means.
            let written = error.span().and_then(|s| date_like(text, s.start));
            let meant = written
                .as_ref()
                .and_then(|w| crate::validate::values::danish_date(&text[w.clone()]));
            let code = if error.message().starts_with("invalid date") || meant.is_some() {
                Code::InvalidDate
            } else {
                Code::TomlSyntax
            };
            let mut d = toml_error(code, error, file, text);
            if let (Some(span), Some(_)) = (written, meant) {
                d.message = format!("`{}` is not a TOML date", &text[span.clone()]);
                d.span = Some(span);
            }
            if code == Code::InvalidDate {
                d = crate::validate::values::with_date_hint(d, meant);
            }
            diags.push(d);
            return None;
        }
    };
    let span = root.span();
    // What `toml::from_str` gives, without parsing the text again.
    let plain = plain.then(|| plain_table(root.get_ref())).flatten();
    let mut scalars = DeTable::new();
    let mut arrays: Vec<Vec<Spanned<DeValue<'t>>>> = vec![Vec::new(); array_keys.len()];
    let mut headed = vec![true; array_keys.len()];
    // Where the first `[[…]]` table begins, and where the last other root value ends.
    let (mut first_table, mut keys_end, mut flat) = (None::<usize>, 0, true);
    for (key, value) in root.into_inner() {
        let value_span = value.span();
        if let Some(index) = array_keys.iter().position(|k| *k == key.get_ref().as_ref()) {
            // toml spans an array of `[[key]]` tables from its first header.
            headed[index] = text
                .get(value_span.clone())
                .is_some_and(|t| t.starts_with("[["));
            if headed[index] {
                first_table =
                    Some(first_table.map_or(value_span.start, |f| f.min(value_span.start)));
            }
            match value.into_inner() {
                DeValue::Array(items) if items.iter().all(|i| i.get_ref().is_table()) => {
                    arrays[index] = items.into_iter().collect();
                }
                _ => diags.push(
                    Diagnostic::at(
                        Code::InvalidValue,
                        file,
                        first_line(text, value_span),
                        format!("`{}` must be a list of tables", key.get_ref()),
                    )
                    .with_help(format!("write each item as a [[{}]] table", key.get_ref())),
                ),
            }
        } else if scalar_keys.contains(&key.get_ref().as_ref()) {
            keys_end = keys_end.max(value_span.end);
            flat &= match value.get_ref() {
                DeValue::Table(_) => false,
                DeValue::Array(items) => !items.iter().any(|i| i.get_ref().is_table()),
                _ => true,
            };
            scalars.insert(key, value);
        } else {
            diags.push(unknown_key(
                key.get_ref(),
                key.span(),
                scalar_keys.iter().chain(array_keys).copied(),
                file,
            ));
        }
    }
    Some(Document {
        file,
        root: Spanned::new(span, DeValue::Table(scalars)),
        arrays,
        tables_at: first_table.filter(|&at| {
            let line_start = text.get(..at).is_some_and(|t| t.ends_with('\n'));
            flat && headed.iter().all(|h| *h) && keys_end <= at && line_start
        }),
        headed,
        flat,
        plain,
    })
}

/// The key toml's serde support reads a datetime from (`toml_datetime`'s private `FIELD`).
const TOML_DATETIME_FIELD: &str = "$__toml_private_datetime";

/// A parsed table as plain TOML data: what deserializing it into a [`toml::Table`] gives
/// (`toml::from_str`), converted in place rather than through serde, or `None` where that
/// fails (an integer beyond `i64`, a float that overflows).
fn plain_table(table: &DeTable<'_>) -> Option<toml::Table> {
    if names_datetime(table) {
        return by_serde(table);
    }
    table
        .iter()
        .map(|(k, v)| Some((k.get_ref().to_string(), plain_value(v.get_ref())?)))
        .collect()
}

/// Whether a table names toml's private datetime field, which serde reads as a datetime: such
/// a table is left to serde.
fn names_datetime(table: &DeTable<'_>) -> bool {
    table.keys().any(|k| k.get_ref() == TOML_DATETIME_FIELD)
}

fn by_serde<T: DeserializeOwned>(table: &DeTable<'_>) -> Option<T> {
    let whole = Spanned::new(0..0, DeValue::Table(table.clone()));
    T::deserialize(ValueDeserializer::from(whole)).ok()
}

fn plain_value(value: &DeValue<'_>) -> Option<toml::Value> {
    Some(match value {
        DeValue::String(s) => toml::Value::String(s.to_string()),
        DeValue::Integer(i) => {
            toml::Value::Integer(i64::from_str_radix(i.as_str(), i.radix()).ok()?)
        }
        DeValue::Float(f) => {
            let x: f64 = f.as_str().parse().ok()?;
            // As toml reads it: an overflow to infinity is an error, `inf` is not.
            if x.is_infinite() && !f.as_str().contains("inf") {
                return None;
            }
            toml::Value::Float(x)
        }
        DeValue::Boolean(b) => toml::Value::Boolean(*b),
        DeValue::Datetime(d) => toml::Value::Datetime(*d),
        DeValue::Array(items) => toml::Value::Array(
            items
                .iter()
                .map(|v| plain_value(v.get_ref()))
                .collect::<Option<_>>()?,
        ),
        DeValue::Table(t) if names_datetime(t) => by_serde(t)?,
        DeValue::Table(t) => toml::Value::Table(plain_table(t)?),
    })
}

/// Deserialize one table into `T`, or report why it does not fit.
pub fn deserialize<T: DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    file: FileId,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    let whole = value.span();
    match T::deserialize(ValueDeserializer::from(value)) {
        Ok(t) => Some(t),
        Err(error) => {
            let code = if error.message().starts_with("unknown field") {
                Code::UnknownKey
            } else if error.message().starts_with("missing field") {
                Code::MissingKey
            } else {
                Code::InvalidValue
            };
            let mut d = toml_error(code, error, file, text);
            if d.span.is_none() {
                d.span = Some(first_line(text, whole));
            }
            diags.push(d);
            None
        }
    }
}

/// The field names a serde-derived struct accepts, read from its `Deserialize` impl
/// (serde passes them to `deserialize_struct`), so that the list of keys is never written twice.
pub fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Probe(Option<&'static [&'static str]>);
    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("probe")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    impl<'de> de::Deserializer<'de> for &mut Probe {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0 = Some(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
            enum identifier ignored_any
        }
    }
    let mut probe = Probe(None);
    let _ = T::deserialize(&mut probe);
    probe.0.unwrap_or(&[])
}

fn unknown_key<'a>(
    key: &str,
    span: Range<usize>,
    known: impl IntoIterator<Item = &'a str>,
    file: FileId,
) -> Diagnostic {
    let d = Diagnostic::at(Code::UnknownKey, file, span, format!("unknown key `{key}`"));
    match did_you_mean(key, known) {
        Some(near) => d.with_label(format!("did you mean `{near}`?")),
        None => d.with_help("remove the key; SPEC section 1 lists the keys of each table"),
    }
}

/// Turn toml's error into a diagnostic; for unknown fields, name the nearest known one.
/// The bare value around byte `at` made of digits, `-` and `.` (a date as people write it),
/// when there is one.
fn date_like(text: &str, at: usize) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let part = |c: u8| c.is_ascii_digit() || c == b'-' || c == b'.';
    let at = at.min(b.len());
    let start = b[..at].iter().rposition(|&c| !part(c)).map_or(0, |i| i + 1);
    let end = b[at..]
        .iter()
        .position(|&c| !part(c))
        .map_or(b.len(), |i| at + i);
    (start < end).then_some(start..end)
}

fn toml_error(code: Code, error: toml::de::Error, file: FileId, text: &str) -> Diagnostic {
    let message = error.message().trim().to_string();
    let span = error.span().map(|s| first_line(text, s));
    if code == Code::UnknownKey {
        // serde's message: "unknown field `x`, expected `a` or `b`" / "expected one of `a`, `b`".
        let names: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        if let Some((wrong, known)) = names.split_first() {
            let d = Diagnostic {
                code,
                file: Some(file),
                span,
                message: format!("unknown key `{wrong}`"),
                label: None,
                help: None,
                also: Vec::new(),
            };
            return match did_you_mean(wrong, known.iter().copied()) {
                Some(near) => d.with_label(format!("did you mean `{near}`?")),
                None => d.with_help(format!("known keys here: {}", known.join(", "))),
            };
        }
    }
    let message = message.replace("missing field", "missing key");
    let help = span
        .as_ref()
        .filter(|_| message.starts_with("invalid type: sequence, expected a string"))
        .map(|span| list_for_text(text, span.clone()));
    Diagnostic {
        code,
        file: Some(file),
        span,
        message,
        label: None,
        help,
        also: Vec::new(),
    }
}

/// The help for a list written where one text belongs (`title = ["A", "B"]`): the key with one
/// text, the list's only item when it has one.
fn list_for_text(text: &str, span: Range<usize>) -> String {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let key = text[line_start..span.start]
        .trim_end()
        .strip_suffix('=')
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let written = text[span].trim();
    let items: Vec<&str> = written
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .collect();
    let value = match items.as_slice() {
        [one] if one.starts_with('"') => (*one).to_string(),
        _ => "\"…\"".to_string(),
    };
    match key {
        Some(key) => format!("`{key}` takes one text, not a list: write `{key} = {value}`"),
        None => format!("this key takes one text, not a list: write {value}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw;

    #[test]
    fn field_lists_come_from_the_structs() {
        let fields = fields_of::<raw::Goal>();
        assert_eq!(fields, &["id", "title"]);
    }

    #[test]
    fn unknown_root_keys_are_all_reported_with_suggestions() {
        let text = "tittle = \"x\"\nid = \"p\"\nperoid = 1\n[[goal]]\nid = \"G1\"\ntitle = \"t\"\n";
        let mut diags = Diagnostics::default();
        let doc = parse(
            text,
            0,
            (&["id", "title", "period"], &["goal"]),
            false,
            &mut diags,
        )
        .expect("parses");
        assert_eq!(doc.arrays[0].len(), 1);
        let found: Vec<_> = diags
            .sorted()
            .iter()
            .map(|d| (d.code, d.label.clone()))
            .collect();
        assert_eq!(
            found,
            vec![
                (Code::UnknownKey, Some("did you mean `title`?".to_string())),
                (Code::UnknownKey, Some("did you mean `period`?".to_string())),
            ]
        );
    }

    #[test]
    fn nested_unknown_key_is_reported_at_the_key() {
        let text = "id = \"G1\"\ntitel = \"t\"\n";
        let mut diags = Diagnostics::default();
        let doc = parse(text, 0, (&["id", "titel"], &[]), false, &mut diags).expect("parses");
        let goal: Option<raw::Goal> = deserialize(doc.root, 0, text, &mut diags);
        assert!(goal.is_none());
        let d = diags.sorted()[0].clone();
        assert_eq!(d.code, Code::UnknownKey);
        assert_eq!(d.label.as_deref(), Some("did you mean `title`?"));
    }
    /// The plain data of a parse is what `toml::from_str` gives, value for value, where that
    /// reads the text, and nothing where it does not.
    #[test]
    fn plain_data_is_what_toml_reads() {
        let texts = [
            "a = 1\nb = -0x_1\nc = 0o17\nd = 0b101\ne = 1_000\nf = +7",
            "a = 1.5\nb = -2e-3\nc = inf\nd = -inf\ne = 6.02_2e23\nf = 0.0",
            "a = 2024-01-02\nb = 07:08:09\nc = 2024-01-02T03:04:05\nd = 2024-01-02T03:04:05.5+01:00",
            "a = \"x\\ty\\u00e6\"\nb = 'lit'\nc = \"\"\"\nmulti\nline\"\"\"\nd = true\ne = false",
            "a = [1, [2, 3], {x = 'y'}]\n[t]\nu = {v = [1.0]}\n[[arr]]\nk = 1\n[[arr]]\nk = 2\n[arr.sub]\nz = 0",
            "big = 9223372036854775808",
            "over = 1e999",
            "[d]\n\"$__toml_private_datetime\" = \"2024-01-01\"",
        ];
        for text in texts {
            let mut diags = Diagnostics::default();
            let doc = parse(text, 0, (&[], &[]), true, &mut diags);
            let expected: Option<toml::Table> = toml::from_str(text).ok();
            let plain = doc.and_then(|d| d.plain);
            assert_eq!(plain, expected, "{text}");
        }
    }
}
