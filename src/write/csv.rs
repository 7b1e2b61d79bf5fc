//! Appending a row to a CSV file in the file's own dialect.
//!
//! The file is read with the same detection as the loader ([`crate::load::csv`]): its encoding,
//! its delimiter and so its number form. The new row copies the rows above it: the date form
//! (`2013-05-14`, `14-05-2013` or `14.05.2013`), the number form (`45.000,50` in a `;` file,
//! with or without thousands separators and `,00`), quoting every field when they do, the line
//! ending. It is encoded as the file is (a Windows-1252 file stays Windows-1252; a character that
//! encoding cannot hold is refused, never written as `&#NNN;` as `encoding_rs` would) and
//! spliced in after the last row: every byte of the file outside the new row stays as it was.

use crate::load::csv::{self as csvload, TextEncoding};
use crate::model::Date;

/// A value for one column of the new row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// A date, written in the file's date form.
    Date(Date),
    /// A number in hundredths (øre, or 1/100 hour), written in the file's number form.
    Hundredths(i64),
    /// Text, quoted when it must be.
    Text(String),
}

/// Why the row cannot be appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppendError {
    /// The file has no header with the required columns.
    Header(String),
    /// A character the file's encoding cannot hold.
    Unencodable {
        /// The character.
        ch: char,
        /// The column it is in.
        column: String,
        /// The encoding's name.
        encoding: &'static str,
    },
    /// The file's bytes do not survive decoding (malformed UTF-16): splicing is not safe.
    Unsafe,
}

impl std::fmt::Display for AppendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppendError::Header(why) => f.write_str(why),
            AppendError::Unencodable {
                ch,
                column,
                encoding,
            } => write!(
                f,
                "`{ch}` (U+{:04X}) in `{column}` cannot be written: the file is {encoding}, which has no such character",
                u32::from(*ch)
            ),
            AppendError::Unsafe => f.write_str(
                "the file's bytes are not valid in its encoding, so a row cannot be added without changing them",
            ),
        }
    }
}

/// How the rows of a file write dates and numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Forms {
    /// `None`: ISO; `Some(sep)`: day first with `-` or `.`.
    day_first: Option<char>,
    /// Day and month always two digits.
    padded: bool,
    /// `.` between thousands (`;` files only).
    thousands: bool,
    /// Always two decimals (`45.000,00`).
    decimals: bool,
    /// Every field quoted.
    quote_all: bool,
}

/// The file's bytes with one row appended; `values` name canonical columns (case-insensitive);
/// a column of the file that none names is left blank.
pub fn append_row(
    bytes: &[u8],
    required: &[&str],
    values: &[(&str, Cell)],
) -> Result<Vec<u8>, AppendError> {
    let Prepared {
        text,
        encoding,
        row,
        newline,
        ..
    } = prepare(bytes, required, values)?;

    // After the last line that holds anything; trailing blank lines stay after the new row.
    let content_end = text.trim_end_matches(['\r', '\n']).len();
    let (at, row) = if content_end == text.len() {
        (text.len(), format!("{newline}{row}"))
    } else {
        let rest = &text[content_end..];
        let first_break = if rest.starts_with("\r\n") { 2 } else { 1 };
        (content_end + first_break, row)
    };

    let bom = bom_of(encoding);
    let head = encode(&text[..at], encoding).ok_or(AppendError::Unsafe)?;
    let tail = encode(&text[at..], encoding).ok_or(AppendError::Unsafe)?;
    let new_row = encode(&row, encoding).ok_or(AppendError::Unsafe)?;
    let split = bom.len() + head.len();
    // Splice into the original bytes, and only when they are what the text says they are.
    if bytes.get(..bom.len()) != Some(bom)
        || bytes.get(bom.len()..split) != Some(&head[..])
        || bytes.get(split..) != Some(&tail[..])
    {
        return Err(AppendError::Unsafe);
    }
    let mut out = Vec::with_capacity(bytes.len() + new_row.len());
    out.extend_from_slice(&bytes[..split]);
    out.extend_from_slice(&new_row);
    out.extend_from_slice(&bytes[split..]);
    Ok(out)
}

/// A new file of the same kind as `sibling` (next month's finance export beside this month's)
/// with one row: the sibling's header line, byte order mark, encoding, delimiter and line
/// ending, and the row written as a row appended to the sibling would be.
pub fn first_row_like(
    sibling: &[u8],
    required: &[&str],
    values: &[(&str, Cell)],
) -> Result<Vec<u8>, AppendError> {
    let Prepared {
        text,
        encoding,
        header,
        row,
        newline,
    } = prepare(sibling, required, values)?;
    let header_end = header.columns.last().map_or(0, |c| c.span.end);
    let mut head = match text[header_end..].find('\n') {
        Some(i) => text[..header_end + i + 1].to_string(),
        None => format!("{text}{newline}"),
    };
    head.push_str(&row);
    let mut out = bom_of(encoding).to_vec();
    out.extend(encode(&head, encoding).ok_or(AppendError::Unsafe)?);
    Ok(out)
}

/// A file decoded, its header found and the new row written in its forms: what appending to
/// it and starting a file like it both begin with.
struct Prepared {
    text: String,
    encoding: TextEncoding,
    header: csvload::Header,
    row: String,
    newline: &'static str,
}

fn prepare(
    bytes: &[u8],
    required: &[&str],
    values: &[(&str, Cell)],
) -> Result<Prepared, AppendError> {
    let (text, encoding) = csvload::decode(bytes);
    let header =
        csvload::detect_header(&text, required).map_err(|e| AppendError::Header(e.to_string()))?;
    let row = new_row(&text, &header, encoding, values)?;
    let newline = super::toml::newline_of(&text);
    Ok(Prepared {
        text,
        encoding,
        header,
        row,
        newline,
    })
}

/// The byte order mark a file in `encoding` starts with.
fn bom_of(encoding: TextEncoding) -> &'static [u8] {
    match encoding {
        TextEncoding::Utf8Bom => b"\xEF\xBB\xBF",
        TextEncoding::Utf16Le => b"\xFF\xFE",
        TextEncoding::Utf16Be => b"\xFE\xFF",
        TextEncoding::Utf8 | TextEncoding::Windows1252 => b"",
    }
}

/// The new row's text with its line ending, in the forms of the rows of `text`; refused when
/// `encoding` cannot hold a character of it.
fn new_row(
    text: &str,
    header: &csvload::Header,
    encoding: TextEncoding,
    values: &[(&str, Cell)],
) -> Result<String, AppendError> {
    let delimiter = char::from(header.dialect.delimiter);
    let danish = header.dialect.danish_numbers();
    let forms = forms(text, header, values);
    let newline = super::toml::newline_of(text);

    let fields: Vec<String> = header
        .columns
        .iter()
        .map(|column| {
            let value = values
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(&column.key))
                .map(|(_, cell)| match cell {
                    Cell::Date(d) => format_date(*d, forms),
                    Cell::Hundredths(h) => format_hundredths(*h, danish, forms),
                    Cell::Text(t) => t.clone(),
                })
                .unwrap_or_default();
            quote(&value, delimiter, forms.quote_all)
        })
        .collect();
    let row = format!("{}{newline}", fields.join(&delimiter.to_string()));
    for (name, cell) in values {
        if let Cell::Text(t) = cell
            && let Some(ch) = t
                .chars()
                .find(|c| encode(&c.to_string(), encoding).is_none())
        {
            return Err(AppendError::Unencodable {
                ch,
                column: (*name).to_string(),
                encoding: encoding_name(encoding),
            });
        }
    }
    Ok(row)
}

/// The name of an encoding, for messages.
pub fn encoding_name(encoding: TextEncoding) -> &'static str {
    match encoding {
        TextEncoding::Utf8 => "UTF-8",
        TextEncoding::Utf8Bom => "UTF-8 with BOM",
        TextEncoding::Utf16Le => "UTF-16 LE",
        TextEncoding::Utf16Be => "UTF-16 BE",
        TextEncoding::Windows1252 => "Windows-1252",
    }
}

/// `text` in `encoding` (without BOM); `None` when the encoding cannot hold a character of it.
fn encode(text: &str, encoding: TextEncoding) -> Option<Vec<u8>> {
    match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => Some(text.as_bytes().to_vec()),
        TextEncoding::Utf16Le => Some(text.encode_utf16().flat_map(u16::to_le_bytes).collect()),
        TextEncoding::Utf16Be => Some(text.encode_utf16().flat_map(u16::to_be_bytes).collect()),
        TextEncoding::Windows1252 => {
            // encoding_rs writes `&#NNN;` for what Windows-1252 lacks, and says so only here.
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
            (!unmappable).then(|| bytes.into_owned())
        }
    }
}

/// How much of a file's end [`forms`] reads: the rows above the new one, not a whole ledger of
/// millions of rows.
const TAIL: usize = 64 * 1024;

/// The header line(s) and the last [`TAIL`] bytes of whole lines of `text`.
fn sample<'t>(text: &'t str, header: &csvload::Header) -> std::borrow::Cow<'t, str> {
    if text.len() <= 2 * TAIL {
        return text.into();
    }
    let header_end = text
        .match_indices('\n')
        .nth(header.line.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i + 1);
    let mut from = text.len() - TAIL;
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let from = text[from..].find('\n').map_or(text.len(), |i| from + i + 1);
    if from <= header_end {
        return text.into();
    }
    format!("{}{}", &text[..header_end], &text[from..]).into()
}

/// The forms of the file's last rows.
fn forms(text: &str, header: &csvload::Header, values: &[(&str, Cell)]) -> Forms {
    let sampled = sample(text, header);
    let text = sampled.as_ref();
    let mut forms = Forms {
        day_first: None,
        padded: true,
        thousands: false,
        decimals: false,
        quote_all: false,
    };
    let column_of = |kind: fn(&Cell) -> bool| {
        values
            .iter()
            .find(|(_, c)| kind(c))
            .and_then(|(name, _)| header.index_of(name))
    };
    let date_col = column_of(|c| matches!(c, Cell::Date(_)));
    let number_col = column_of(|c| matches!(c, Cell::Hundredths(_)));
    let danish = header.dialect.danish_numbers();
    let mut last = None;
    for record in csvload::records(text, header).flatten() {
        if let Some(n) = number_col.and_then(|i| record.get(i)) {
            let n = n.trim();
            if danish && n.contains('.') {
                forms.thousands = true;
            }
        }
        last = Some(record);
    }
    let Some(last) = last else {
        return forms;
    };
    if let Some(d) = date_col.and_then(|i| last.get(i)) {
        let d = d.trim();
        let parts: Vec<&str> = d.split(['-', '.']).collect();
        if let [a, b, c] = parts.as_slice()
            && c.len() == 4
        {
            forms.day_first = Some(if d.contains('.') { '.' } else { '-' });
            forms.padded = a.len() == 2 && b.len() == 2;
        }
    }
    if let Some(n) = number_col.and_then(|i| last.get(i)) {
        let sep = if danish { ',' } else { '.' };
        forms.decimals = n.trim().rsplit_once(sep).is_some_and(|(_, f)| f.len() == 2);
    }
    forms.quote_all = !last.fields.is_empty()
        && last.fields.iter().all(|f| {
            f.span
                .start
                .checked_sub(1)
                .and_then(|i| text.as_bytes().get(i))
                == Some(&b'"')
        });
    forms
}

fn format_date(d: Date, forms: Forms) -> String {
    match forms.day_first {
        None => d.format("%Y-%m-%d").to_string(),
        Some(sep) if forms.padded => d.format(&format!("%d{sep}%m{sep}%Y")).to_string(),
        Some(sep) => d.format(&format!("%-d{sep}%-m{sep}%Y")).to_string(),
    }
}

/// `4500050` → `45000.50` (`,` file) or `45.000,50` (`;` file with thousands separators).
fn format_hundredths(h: i64, danish: bool, forms: Forms) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let abs = h.unsigned_abs();
    let (int, frac) = (abs / 100, abs % 100);
    let mut int_text = int.to_string();
    if danish && forms.thousands {
        int_text = crate::load::csv::group_thousands(&int_text);
    }
    let point = if danish { ',' } else { '.' };
    if frac != 0 || forms.decimals {
        format!("{sign}{int_text}{point}{frac:02}")
    } else {
        format!("{sign}{int_text}")
    }
}

/// A field as CSV: quoted when it holds the delimiter, a quote or a line break, or when the
/// file quotes every field.
fn quote(value: &str, delimiter: char, all: bool) -> String {
    let needs = value.contains([delimiter, '"', '\r', '\n'])
        || value.starts_with(' ')
        || value.ends_with(' ');
    if all || needs {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// A new ledger file: the canonical header line (SPEC 1.3).
pub fn ledger_header() -> String {
    crate::load::ledger::canonical_header() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEDGER: &[&str] = &["date", "budget", "kind", "amount"];

    fn d(s: &str) -> Date {
        crate::dates::parse_iso_date(s).unwrap_or_default()
    }

    fn row(amount: i64, note: &str) -> Vec<(&'static str, Cell)> {
        vec![
            ("date", Cell::Date(d("2013-07-01"))),
            ("budget", Cell::Text("pulje".into())),
            ("kind", Cell::Text("expense".into())),
            ("amount", Cell::Hundredths(amount)),
            ("note", Cell::Text(note.into())),
        ]
    }

    #[test]
    fn a_plain_file() {
        let before =
            "date,budget,kind,amount,unit,ref,note\n2013-05-14,pulje,grant,45000,C,A-1,x\n";
        let after =
            append_row(before.as_bytes(), LEDGER, &row(4500050, "Møde, \"stort\"")).unwrap();
        assert_eq!(
            String::from_utf8(after).unwrap(),
            "date,budget,kind,amount,unit,ref,note\n2013-05-14,pulje,grant,45000,C,A-1,x\n2013-07-01,pulje,expense,45000.50,,,\"Møde, \"\"stort\"\"\"\n"
        );
    }

    #[test]
    fn a_danish_windows_1252_file_with_crlf_and_no_final_newline() {
        let before = "Date;Budget;Kind;Amount;Unit;Ref;Note;Bilag\r\n15-06-2021;p;grant;110.000,00;Ældre;R;Kursus;B-1\r\n01-10-2021;p;grant;40.000,00;Børn;R;;B-2";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(before);
        let after = append_row(&bytes, LEDGER, &row(4500050, "Kørsel")).unwrap();
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&after);
        assert_eq!(
            text,
            format!("{before}\r\n01-07-2013;pulje;expense;45.000,50;;;Kørsel;\r\n")
        );
        assert_eq!(&after[..bytes.len()], &bytes[..]);
        let refused = append_row(&bytes, LEDGER, &row(100, "Kő → x"));
        assert_eq!(
            refused,
            Err(AppendError::Unencodable {
                ch: 'ő',
                column: "note".into(),
                encoding: "Windows-1252"
            })
        );
    }

    #[test]
    fn utf16_and_bom_and_trailing_blank_lines() {
        let before = "date;budget;kind;amount\n1.4.2013;p;grant;\"45000\"\n\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(before.encode_utf16().flat_map(u16::to_le_bytes));
        let after = append_row(&bytes, LEDGER, &row(-500, "")).unwrap();
        let (text, enc) = csvload::decode(&after);
        assert_eq!(enc, TextEncoding::Utf16Le);
        assert_eq!(
            text,
            "date;budget;kind;amount\n1.4.2013;p;grant;\"45000\"\n1.7.2013;pulje;expense;-5\n\n"
        );

        let before = "\u{feff}\"date\",\"budget\",\"kind\",\"amount\"\r\n\"2013-01-02\",\"p\",\"grant\",\"7.50\"\r\n";
        let after = append_row(before.as_bytes(), LEDGER, &row(100, "")).unwrap();
        assert_eq!(
            String::from_utf8(after).unwrap(),
            format!("{before}\"2013-07-01\",\"pulje\",\"expense\",\"1.00\"\r\n")
        );
    }

    #[test]
    fn a_long_file_is_judged_by_its_last_rows() {
        let mut before = String::from("date;budget;kind;amount\n");
        before.push_str("01.02.2013;p;grant;1.000,00\n");
        for _ in 0..10_000 {
            before.push_str("2013-02-01;p;grant;1000\n");
        }
        let after = append_row(before.as_bytes(), LEDGER, &row(4500050, "")).unwrap();
        assert_eq!(
            String::from_utf8(after).unwrap(),
            format!("{before}2013-07-01;pulje;expense;45000,50\n")
        );
    }

    #[test]
    fn a_new_file_like_its_sibling() {
        let sibling = "Date;Budget;Kind;Amount;Unit;Ref;Note;Bilag\r\n15-06-2021;p;grant;110.000,00;Ældre;R;Kursus;B-1\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(sibling);
        let new = first_row_like(&bytes, LEDGER, &row(4500050, "Kørsel")).unwrap();
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&new);
        assert_eq!(
            text,
            "Date;Budget;Kind;Amount;Unit;Ref;Note;Bilag\r\n01-07-2013;pulje;expense;45.000,50;;;Kørsel;\r\n"
        );
        // Windows-1252 bytes, not UTF-8: `ø` is one byte.
        assert!(new.contains(&0xF8), "{new:?}");
        assert_eq!(
            first_row_like(&bytes, LEDGER, &row(1, "→")),
            Err(AppendError::Unencodable {
                ch: '→',
                column: "note".into(),
                encoding: "Windows-1252"
            })
        );
    }

    #[test]
    fn a_file_without_the_columns_is_refused() {
        assert!(matches!(
            append_row(b"a,b\n1,2\n", LEDGER, &row(1, "")),
            Err(AppendError::Header(_))
        ));
    }
}
