//! `plan export ledger` streams (issue 19): a reader that closes the pipe early ends the run
//! quietly, and `-o FILE` of a run that fails leaves no file.

use std::io::{BufRead, BufReader, Write};
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
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "a temporary file was left");
    }
}
