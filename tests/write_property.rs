//! SPEC 11 rule 1 over every plan file the project has: the shipped plan, the examples and the
//! tests' plans, each also with CRLF line ends, a byte order mark and no final newline. Every
//! edit the write commands make is applied to each file; outside the edit not one byte may
//! change, the file's line ending and BOM stay, and the result reads back.

use std::path::{Path, PathBuf};

use plan::load::csv::{self as csvload, TextEncoding};
use plan::write::csv::{AppendError, Cell, append_row};
use plan::write::toml::{self as t, TomlText};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every file under the plan folders of the repository with one of `exts`.
fn files(exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = ["plan", "examples", "tests/cmd"]
        .iter()
        .map(|d| Path::new(ROOT).join(d))
        .collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| exts.iter().any(|x| e.eq_ignore_ascii_case(x)))
                // In tests/cmd only the plans (inside NAME.in/ or NAME.out/), not the cases.
                && (!path.starts_with(Path::new(ROOT).join("tests/cmd"))
                    || path.components().any(|c| {
                        let c = c.as_os_str().to_string_lossy();
                        c.ends_with(".in") || c.ends_with(".out")
                    }))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The file as it is, with CRLF, with LF, with a BOM, and without its final newline.
fn variants(text: &str) -> Vec<(String, String)> {
    let lf = text.replace("\r\n", "\n");
    let crlf = lf.replace('\n', "\r\n");
    let mut out = vec![
        ("as is".to_string(), text.to_string()),
        ("LF".into(), lf.clone()),
        ("CRLF".into(), crlf.clone()),
        ("BOM".into(), format!("\u{feff}{lf}")),
        ("BOM+CRLF".into(), format!("\u{feff}{crlf}")),
    ];
    let trimmed = lf.trim_end_matches('\n');
    if trimmed.len() < lf.len() {
        out.push(("no final newline".into(), trimmed.to_string()));
        out.push((
            "CRLF, no final newline".into(),
            crlf.trim_end_matches("\r\n").to_string(),
        ));
    }
    out
}

fn bare_lf(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' && (*i == 0 || bytes[i - 1] != b'\r'))
        .count()
}

fn cr_lf(bytes: &[u8]) -> usize {
    bytes.windows(2).filter(|w| w == b"\r\n").count()
}

/// `after` is `before` with one block inserted: every byte of `before` is still there, in order,
/// around one contiguous new block.
fn assert_insertion(before: &[u8], after: &[u8], what: &str) {
    assert!(after.len() > before.len(), "{what}: nothing inserted");
    let prefix = before.iter().zip(after).take_while(|(a, b)| a == b).count();
    let suffix = before
        .iter()
        .rev()
        .zip(after.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert!(
        prefix + suffix >= before.len(),
        "{what}: bytes outside the edit changed (common prefix {prefix}, suffix {suffix}, length {})",
        before.len()
    );
}

/// The inserted block keeps the file's line ending: a CRLF file gets no bare LF, an LF file no
/// CRLF (multi-line strings and text that had them aside: the counts only grow in one kind).
fn assert_line_endings(before: &[u8], after: &[u8], what: &str) {
    let (lf0, crlf0) = (bare_lf(before), cr_lf(before));
    let (lf1, crlf1) = (bare_lf(after), cr_lf(after));
    let newline = match before.iter().position(|b| *b == b'\n') {
        Some(i) if i > 0 && before[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    };
    if newline == "\r\n" {
        assert_eq!(lf0, lf1, "{what}: a bare LF was written into a CRLF file");
    } else {
        assert_eq!(crlf0, crlf1, "{what}: a CRLF was written into an LF file");
    }
}

fn date(s: &str) -> plan::model::Date {
    plan::dates::parse_iso_date(s).unwrap_or_default()
}

#[test]
fn toml_edits_change_nothing_else() {
    let mut checked = 0;
    for path in files(&["toml"]) {
        let Ok(original) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (variant, text) in variants(&original) {
            let what = format!("{} ({variant})", path.display());
            let before = text.as_bytes();
            let Ok(file) = TomlText::parse(before) else {
                continue; // a deliberately broken file of a test case
            };
            checked += 1;
            // 1. A new [[update]] (an initiative) and a new [[survey]] (plan.toml).
            for array in ["update", "milestone", "survey"] {
                // An inline array of tables (`update = [ { … } ]`) is refused by the commands
                // (E407), not edited.
                if file.inline_array(array).is_some() {
                    continue;
                }
                let mut edited = file.clone();
                let pairs = vec![
                    ("date".to_string(), t::date(date("2014-06-30"))),
                    ("status".to_string(), t::string("on-track")),
                    (
                        "note".to_string(),
                        t::string("Æ ø å \"citat\" → næste trin\nlinje 2"),
                    ),
                ];
                edited
                    .append_item(array, &pairs)
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                let after = edited.to_bytes();
                let what = format!("{what}, new [[{array}]]");
                assert_insertion(before, &after, &what);
                assert_line_endings(before, &after, &what);
                assert_eq!(
                    before.starts_with("\u{feff}".as_bytes()),
                    after.starts_with("\u{feff}".as_bytes()),
                    "{what}: BOM"
                );
                let reread = TomlText::parse(&after).unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(
                    reread.text().matches(&format!("[[{array}]]")).count(),
                    file.text().matches(&format!("[[{array}]]")).count() + 1,
                    "{what}"
                );
            }
            // 2. A key set in every milestone and criterion: replaced in place, or added.
            for (array, key) in [
                ("milestone", "due"),
                ("milestone", "done"),
                ("criterion", "achieved"),
            ] {
                for id in file.ids(array) {
                    let mut edited = file.clone();
                    let value = if key == "achieved" {
                        t::inline(&[
                            ("date".to_string(), t::date(date("2015-03-01"))),
                            ("evidence".to_string(), t::string("Omtale i Politiken")),
                        ])
                    } else {
                        t::date(date("2014-09-30"))
                    };
                    edited
                        .set_in_item(array, &id, key, &value)
                        .unwrap_or_else(|e| panic!("{what}: {array} {id} {key}: {e}"));
                    let after = edited.to_bytes();
                    let what = format!("{what}, {array} `{id}` {key}");
                    assert_line_endings(before, &after, &what);
                    let old = old_value_span(file.text(), array, &id, key);
                    match old {
                        // Replaced in place: exactly the old value's text, nothing else.
                        Some(span) => {
                            let bom = before.len() - file.text().len();
                            let mut expected = before[..bom + span.start].to_vec();
                            expected.extend_from_slice(t::repr(&value).as_bytes());
                            expected.extend_from_slice(&before[bom + span.end..]);
                            assert_eq!(
                                String::from_utf8_lossy(&after),
                                String::from_utf8_lossy(&expected),
                                "{what}"
                            );
                        }
                        None => assert_insertion(before, &after, &what),
                    }
                }
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} TOML files and variants were checked"
    );
}

fn old_value_span(text: &str, array: &str, id: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let table = doc
        .as_table()
        .get(array)?
        .as_array_of_tables()?
        .iter()
        .find(|t| t.get("id").and_then(|v| v.as_str()) == Some(id))?;
    let item = table.get(key)?;
    item.span()
        .or_else(|| item.as_value().and_then(|v| v.span()))
}

fn encode(text: &str, encoding: TextEncoding) -> Option<Vec<u8>> {
    match encoding {
        TextEncoding::Utf8 => Some(text.as_bytes().to_vec()),
        TextEncoding::Utf8Bom => Some([b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()),
        TextEncoding::Utf16Le => Some(
            [0xFF, 0xFE]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
        ),
        TextEncoding::Utf16Be => None,
        TextEncoding::Windows1252 => {
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
            // Only a text with a character beyond ASCII is read back as Windows-1252.
            (!unmappable && !text.is_ascii()).then(|| bytes.into_owned())
        }
    }
}

#[test]
fn csv_appends_change_nothing_else() {
    let mut checked = 0;
    for path in files(&["csv"]) {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let (original, _) = csvload::decode(&bytes);
        for (variant, text) in variants(&original) {
            let text = text.trim_start_matches('\u{feff}').to_string();
            for encoding in [
                TextEncoding::Utf8,
                TextEncoding::Utf8Bom,
                TextEncoding::Utf16Le,
                TextEncoding::Windows1252,
            ] {
                let Some(before) = encode(&text, encoding) else {
                    continue;
                };
                let what = format!("{} ({variant}, {encoding:?})", path.display());
                let Ok(header) = csvload::detect_header(&text, &[]) else {
                    continue;
                };
                let Some(first) = header.columns.first() else {
                    continue;
                };
                let ledger =
                    csvload::detect_header(&text, &["date", "budget", "kind", "amount"]).is_ok();
                let (required, row): (Vec<&str>, Vec<(&str, Cell)>) = if ledger {
                    (
                        vec!["date", "budget", "kind", "amount"],
                        vec![
                            ("date", Cell::Date(date("2014-06-30"))),
                            ("budget", Cell::Text("pulje".into())),
                            ("kind", Cell::Text("expense".into())),
                            ("amount", Cell::Hundredths(4_500_050)),
                            ("note", Cell::Text("Kørsel; \"møde\", 2 dage".into())),
                        ],
                    )
                } else {
                    (
                        vec![],
                        vec![(first.key.as_str(), Cell::Text("ny række".into()))],
                    )
                };
                // A file with a broken record (an unclosed quote) is never written into by the
                // commands (E406): appending to it is not an edit they make.
                if csvload::records(&text, &header).any(|r| r.is_err()) {
                    continue;
                }
                let records_before = csvload::records(&text, &header).count();
                let after = match append_row(&before, &required, &row) {
                    Ok(after) => after,
                    Err(e) => panic!("{what}: {e}"),
                };
                checked += 1;
                assert_insertion(&before, &after, &what);
                let (decoded, read_as) = csvload::decode(&after);
                assert_eq!(read_as, encoding, "{what}: the encoding changed");
                assert_line_endings(text.as_bytes(), decoded.as_bytes(), &what);
                let header_after = csvload::detect_header(&decoded, &required)
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(header_after.dialect, header.dialect, "{what}: dialect");
                let records: Vec<_> = csvload::records(&decoded, &header_after).collect();
                assert_eq!(records.len(), records_before + 1, "{what}: one more record");
                if ledger {
                    let last = records
                        .iter()
                        .flatten()
                        .find(|r| {
                            r.get(header_after.index_of("budget").unwrap_or(0)) == Some("pulje")
                                && r.get(header_after.index_of("date").unwrap_or(0))
                                    .is_some_and(|d| {
                                        csvload::parse_date(d) == Ok(date("2014-06-30"))
                                    })
                        })
                        .unwrap_or_else(|| panic!("{what}: the new row does not read back"));
                    let amount = last
                        .get(header_after.index_of("amount").unwrap_or(0))
                        .unwrap_or("");
                    assert_eq!(
                        csvload::parse_hundredths(amount, header_after.dialect),
                        Ok(4_500_050),
                        "{what}: amount `{amount}`"
                    );
                    let note = header_after.index_of("note").and_then(|i| last.get(i));
                    if let Some(note) = note {
                        assert_eq!(note, "Kørsel; \"møde\", 2 dage", "{what}");
                    }
                }
                // A character the encoding cannot hold is refused, in any column.
                if encoding == TextEncoding::Windows1252 {
                    let mut bad = row.clone();
                    bad.push(("note", Cell::Text("Kő → x".into())));
                    if ledger {
                        bad.retain(|(k, c)| *k != "note" || c == &Cell::Text("Kő → x".into()));
                    } else {
                        bad = vec![(first.key.as_str(), Cell::Text("→".into()))];
                    }
                    assert!(
                        matches!(
                            append_row(&before, &required, &bad),
                            Err(AppendError::Unencodable { .. })
                        ),
                        "{what}: `ő`/`→` accepted in Windows-1252"
                    );
                }
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} CSV files and variants were checked"
    );
}
