//! `plan export ledger` streams (issue 19): a reader that closes the pipe early ends the run
//! quietly, and `-o FILE` of a run that fails leaves no file; the workbook's ledger sheet
//! written row by row has the cells and column widths of the sheet of the held rows; a
//! portfolio's ledger streamed member after member is its members' exports.

use std::io::{BufRead, BufReader, Read as _, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// fjordby with a ledger of `rows` hours rows on its hours budget (in date order), plus
/// `extra` as the last lines.
fn plan_with_ledger(dir: &Path, rows: usize, extra: &str) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/fjordby");
    for sub in ["", "initiatives", "surveys"] {
        std::fs::create_dir_all(dir.join(sub)).expect("mkdir");
        for entry in std::fs::read_dir(from.join(sub)).expect("read example") {
            let entry = entry.expect("entry");
            if entry.file_type().expect("type").is_file() {
                std::fs::copy(entry.path(), dir.join(sub).join(entry.file_name())).expect("copy");
            }
        }
    }
    let plan = std::fs::read_to_string(dir.join("plan.toml")).expect("plan.toml");
    let plan: String = plan
        .lines()
        .map(|l| {
            if l.starts_with("ledger = ") {
                "ledger = [\"ledger.csv\"]".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("plan.toml"), plan + "\n").expect("write plan.toml");
    let mut ledger =
        std::io::BufWriter::new(std::fs::File::create(dir.join("ledger.csv")).expect("ledger.csv"));
    writeln!(ledger, "date,budget,kind,amount,unit,ref,note").expect("write");
    let start = chrono::NaiveDate::from_ymd_opt(2021, 1, 4).expect("date");
    for i in 0..rows {
        let day = start + chrono::Days::new((i * 800 / rows.max(1)) as u64);
        writeln!(
            ledger,
            "{day},digitaliseringsteam,hours,0.01,Digitalisering og IT,,række {i}"
        )
        .expect("write");
    }
    ledger.write_all(extra.as_bytes()).expect("write");
    ledger.flush().expect("flush");
}

#[test]
fn a_closed_pipe_ends_the_export_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    // About 16 MB of CSV out: more than is held before the first row is written.
    plan_with_ledger(dir.path(), 250_000, "");
    let mut child = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(["--plan"])
        .arg(dir.path())
        .args(["--as-of", "2023-06-30", "export", "ledger"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run plan");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let header = lines.next().expect("a line").expect("text");
    assert_eq!(header, "file,line,date,budget,kind,amount,unit,ref,note");
    let first = lines.next().expect("a line").expect("text");
    assert!(first.starts_with("ledger.csv,2,2021-01-04,"), "{first}");
    drop(lines);
    let output = child.wait_with_output().expect("wait");
    assert!(output.status.success(), "{:?}", output.status);
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn a_streamed_export_is_the_whole_ledger() {
    let dir = tempfile::tempdir().expect("tempdir");
    plan_with_ledger(dir.path(), 200_000, "");
    for format in ["csv", "json"] {
        let output = Command::new(env!("CARGO_BIN_EXE_plan"))
            .args(["--plan"])
            .arg(dir.path())
            .args([
                "--as-of",
                "2023-06-30",
                "--format",
                format,
                "export",
                "ledger",
            ])
            .output()
            .expect("run plan");
        assert!(output.status.success());
        if format == "csv" {
            let mut reader = csv::Reader::from_reader(&output.stdout[..]);
            assert_eq!(reader.records().count(), 200_000);
        } else {
            let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
            assert_eq!(doc["rows"].as_array().map(Vec::len), Some(200_000));
            assert_eq!(doc["rows"][0]["amount"], serde_json::json!(0.01));
        }
    }
}

/// No temporary file of an export (`.tmp…`) is left in `dir`.
fn assert_no_temporary_file(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "a temporary file was left");
}

#[test]
fn a_failed_export_leaves_no_file() {
    for rows in [10, 250_000] {
        let dir = tempfile::tempdir().expect("tempdir");
        // The last row names a budget that does not exist: an error.
        plan_with_ledger(dir.path(), rows, "2023-06-01,nosuchbudget,expense,5,,,\n");
        let file = dir.path().join("out.csv");
        let output = Command::new(env!("CARGO_BIN_EXE_plan"))
            .args(["--plan"])
            .arg(dir.path())
            .args(["--as-of", "2023-06-30", "export", "ledger", "-o"])
            .arg(&file)
            .output()
            .expect("run plan");
        assert_eq!(output.status.code(), Some(1), "{rows} rows");
        assert!(
            !file.exists(),
            "{rows} rows: {} was written",
            file.display()
        );
        assert_no_temporary_file(dir.path());
    }
}

/// Rows after the generated ones: text a formula could start with, quotes, two lines, a
/// wide note, a row after as-of.
const TRICKY: &str = "2023-06-01,platform,grant,1234.5,Digitalisering og IT,KON-X,\"=SUM(1;2) \"\"q\"\"\"\n\
2023-06-02,platform,expense,20.05,Digitalisering og IT,KON-X,\"two\nlines, the second one much longer than the first\"\n\
2023-06-03,platform,expense,7,,,Ældre ø å\n\
2023-07-15,platform,expense,3,,,after as-of\n";

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(["--plan"])
        .arg(dir)
        .args(["--as-of", "2023-06-30"])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run plan")
}

/// The ledger sheet of a workbook as text (dates as days, numbers as the CSV writes them
/// when they are equal), checked against the CSV export, and the sheet's column widths.
fn ledger_sheet(dir: &Path, args: &[&str], sheet: &str) -> (Vec<Vec<String>>, String) {
    use calamine::{Data, Reader as _};
    let csv = run(dir, &["export", "ledger"]);
    assert!(
        csv.status.success(),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&csv.stdout[..]);
    let expected: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("record").iter().map(String::from).collect())
        .collect();
    let file = dir.join("out.xlsx");
    let mut full = args.to_vec();
    full.extend(["-o", file.to_str().expect("utf-8")]);
    let output = run(dir, &full);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file).expect("a workbook");
    let at = book
        .sheet_names()
        .iter()
        .position(|n| n == sheet)
        .expect("the ledger sheet");
    let range = book.worksheet_range(sheet).expect("the sheet");
    let mut rows = Vec::new();
    for (r, row) in range.rows().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(&expected[r])
            .map(|(cell, text)| match cell {
                Data::Empty => String::new(),
                Data::String(s) if s.starts_with(['=', '+', '-', '@']) => format!("'{s}"),
                Data::String(s) => s.clone(),
                Data::Float(f) => {
                    let value: f64 = text.parse().expect("a number in the CSV");
                    assert!((f - value).abs() < 1e-9, "{f} ≠ {text}");
                    text.clone()
                }
                Data::DateTime(d) => d.as_datetime().expect("a date").date().to_string(),
                other => format!("{other:?}"),
            })
            .collect();
        rows.push(cells);
    }
    assert_eq!(rows, expected, "the sheet is the CSV export");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&file).expect("open")).expect("zip");
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{}.xml", at + 1))
        .expect("the sheet's part")
        .read_to_string(&mut xml)
        .expect("utf-8");
    assert!(xml.contains("<autoFilter ref=\"A1:I") && xml.contains(r#"ySplit="1""#));
    let cols = xml
        .split_once("<cols>")
        .and_then(|(_, rest)| rest.split_once("</cols>"))
        .map(|(cols, _)| cols.to_string())
        .expect("fitted columns");
    (rows, cols)
}

#[test]
fn the_workbooks_ledger_sheet_is_written_row_by_row_as_it_was_held() {
    // In date order: the sheet is written as the ledger is read.
    let streamed = tempfile::tempdir().expect("tempdir");
    plan_with_ledger(streamed.path(), 300, TRICKY);
    // The same rows, one of them out of date order: held and sorted, as before.
    let held = tempfile::tempdir().expect("tempdir");
    let (first, rest) = TRICKY.split_once('\n').expect("a line");
    plan_with_ledger(held.path(), 300, &format!("{rest}{first}\n"));
    let (a, cols_a) = ledger_sheet(
        streamed.path(),
        &["--lang", "en", "export", "ledger", "--format", "xlsx"],
        "Ledger",
    );
    let (b, cols_b) = ledger_sheet(
        held.path(),
        &["--lang", "en", "export", "ledger", "--format", "xlsx"],
        "Ledger",
    );
    assert_eq!(a.len(), 300 + 3 + 1);
    assert_eq!(b.len(), a.len());
    // The same cells in another order: the same widest cells.
    assert_eq!(cols_a, cols_b);
    for lang in ["en", "da"] {
        let name = if lang == "en" {
            "Ledger"
        } else {
            "Posteringer"
        };
        let (all, cols) = ledger_sheet(streamed.path(), &["--lang", lang, "export", "all"], name);
        assert_eq!(all, a);
        assert_eq!(cols, cols_a);
    }
}

#[test]
fn a_portfolios_ledger_is_its_members_ledgers() {
    let root = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        root.path().join("portfolio.toml"),
        "format = 1\ntitle = \"T\"\norganisation = \"T\"\nmembers = [\"p/*\"]\n",
    )
    .expect("write");
    let (first, rest) = TRICKY.split_once('\n').expect("a line");
    for (name, extra) in [("a", TRICKY.to_string()), ("b", format!("{rest}{first}\n"))] {
        let dir = root.path().join("p").join(name);
        plan_with_ledger(&dir, 500, &extra);
        let toml = std::fs::read_to_string(dir.join("plan.toml")).expect("read");
        std::fs::write(
            dir.join("plan.toml"),
            toml.replace(
                "id = \"fjordby-digitaliseringsplan-2020-2023\"",
                &format!("id = \"{name}\""),
            ),
        )
        .expect("write");
    }
    // `b` ends with a row dated before others: it is held and sorted.
    let b = root.path().join("p/b/ledger.csv");
    let ledger = std::fs::read_to_string(&b).expect("read");
    std::fs::write(
        &b,
        format!("{ledger}2021-02-01,platform,expense,1,,,early\n"),
    )
    .expect("write");
    for format in ["csv", "json"] {
        let whole = run(root.path(), &["--format", format, "export", "ledger"]);
        assert!(
            whole.status.success(),
            "{}",
            String::from_utf8_lossy(&whole.stderr)
        );
        let members: Vec<Vec<u8>> = ["a", "b"]
            .iter()
            .map(|name| {
                let output = run(
                    &root.path().join("p").join(name),
                    &["--format", format, "export", "ledger"],
                );
                assert!(output.status.success());
                output.stdout
            })
            .collect();
        if format == "csv" {
            let mut expected = b"plan,file,line,date,budget,kind,amount,unit,ref,note\n".to_vec();
            for (name, bytes) in ["a", "b"].iter().zip(&members) {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(true)
                    .from_reader(&bytes[..]);
                let mut writer = csv::Writer::from_writer(Vec::new());
                for record in reader.records() {
                    let record = record.expect("record");
                    let mut row = vec![name.to_string()];
                    row.extend(record.iter().map(String::from));
                    writer.write_record(&row).expect("write");
                }
                expected.extend(writer.into_inner().expect("bytes"));
            }
            assert_eq!(
                String::from_utf8_lossy(&whole.stdout),
                String::from_utf8_lossy(&expected)
            );
        } else {
            let doc: serde_json::Value = serde_json::from_slice(&whole.stdout).expect("json");
            let mut expected = Vec::new();
            for (name, bytes) in ["a", "b"].iter().zip(&members) {
                let member: serde_json::Value = serde_json::from_slice(bytes).expect("json");
                for row in member["rows"].as_array().expect("rows") {
                    let mut object = serde_json::Map::new();
                    object.insert("plan".into(), serde_json::json!(name));
                    object.extend(row.as_object().expect("a row").clone());
                    expected.push(serde_json::Value::Object(object));
                }
            }
            assert_eq!(doc["rows"].as_array().expect("rows"), &expected);
        }
    }
}

#[test]
fn a_ledger_found_out_of_order_late_is_written_sorted_to_a_file_and_refused_on_stdout() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Past the 8 MB held before rows are written, a row dated before the rows written.
    plan_with_ledger(
        dir.path(),
        250_000,
        "2021-02-01,digitaliseringsteam,hours,0.01,Digitalisering og IT,,late\n",
    );
    let output = run(dir.path(), &["export", "ledger"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not in date order"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let file = dir.path().join("out.csv");
    let output = run(
        dir.path(),
        &["export", "ledger", "-o", file.to_str().expect("utf-8")],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(&file).expect("the file");
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), 250_001);
    assert!(
        rows.windows(2).all(|w| w[0][2] <= w[1][2]),
        "sorted by date"
    );
    let late = rows
        .iter()
        .position(|r| &r[8] == "late")
        .expect("the late row");
    assert_eq!(&rows[late][2], "2021-02-01");
    assert!(&rows[late + 1][2] > "2021-02-01");
    assert_no_temporary_file(dir.path());
}
