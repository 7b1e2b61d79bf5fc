//! The office's own formats (SPEC 14), read back with standard readers: every workbook sheet
//! with calamine (cell types, the CSV export's values, the header, no formula), the sheet's
//! layout from the file itself (bold header, frozen row, autofilter), and the calendar with
//! the icalendar parser (event count, UIDs stable across runs and unique across plans).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};
use icalendar::{Calendar, CalendarComponent, Component};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const AS_OF: &str = "2022-06-30";

const EXPORTS: &[&[&str]] = &[
    &["status"],
    &["milestones"],
    &["criteria"],
    &["budget"],
    &["budget", "--by", "month"],
    &["budget", "--by", "unit"],
    &["ledger"],
    &["scores"],
    &["scores", "--by", "unit"],
    &["rounds"],
];

fn plan(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(["--as-of", AS_OF])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C")
        .env_remove("PLAN_DIR")
        .output()
        .expect("run plan")
}

fn ok(output: Output, what: &str) -> Vec<u8> {
    assert!(
        output.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A copy of examples/fjordby as `plan/` in a fresh folder, with text a spreadsheet would run
/// as a formula (`=SUM(1;2) …`) and a title with `,`, `;`, `\` and a line break.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy(
        &Path::new(ROOT).join("examples/fjordby"),
        &dir.path().join("plan"),
    );
    let file = dir.path().join("plan/initiatives/01-selvbetjening.toml");
    let text = std::fs::read_to_string(&file).expect("read initiative");
    let text = text
        .replace(
            "title = \"Ny selvbetjeningsplatform\"",
            "title = \"=SUM(1;2) platform\"",
        )
        .replace(
            "title = \"Udbud afsluttet og kontrakt underskrevet\"",
            "title = \"Udbud, afsluttet; og \\\\ kontrakt\\nunderskrevet\"",
        );
    std::fs::write(&file, text).expect("write initiative");
    dir
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    reader
        .records()
        .map(|r| r.expect("csv record").iter().map(String::from).collect())
        .collect()
}

fn open(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).expect("the workbook opens")
}

/// One sheet of a workbook against the CSV export of the same rows.
fn assert_sheet_is_the_csv(
    book: &mut Xlsx<std::io::BufReader<std::fs::File>>,
    sheet: &str,
    csv: &[Vec<String>],
    what: &str,
) {
    let range = book.worksheet_range(sheet).expect("the sheet");
    let formulas = book.worksheet_formula(sheet).expect("the formulas");
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "{what}: a cell holds a formula"
    );
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), csv.len(), "{what}: row count");
    // The header is the CSV export's, as text.
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, csv[0], "{what}: header");
    for (r, (row, expected)) in rows.iter().zip(csv).enumerate().skip(1) {
        for (c, (cell, text)) in row.iter().zip(expected).enumerate() {
            let column = &csv[0][c];
            let at = format!("{what}: row {r}, {column}");
            match cell {
                Data::Empty => assert_eq!(text, "", "{at}: blank"),
                // CSV guards a formula-like text with a leading `'`; the workbook needs no
                // guard, its string is never a formula.
                Data::String(s) => {
                    let guarded = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
                    let csv_text = if guarded { format!("'{s}") } else { s.clone() };
                    assert_eq!(&csv_text, text, "{at}: text");
                }
                Data::Float(f) => {
                    let value: f64 = text.parse().unwrap_or_else(|_| {
                        panic!("{at}: a number in the workbook, `{text}` in the CSV")
                    });
                    let shown = if column.ends_with("_pct") {
                        f * 100.0
                    } else {
                        *f
                    };
                    assert!((shown - value).abs() < 1e-9, "{at}: {shown} ≠ {value}");
                }
                Data::Int(i) => assert_eq!(i.to_string(), *text, "{at}: integer"),
                Data::Bool(b) => assert_eq!(b.to_string(), *text, "{at}: boolean"),
                Data::DateTime(d) => {
                    assert!(d.is_datetime(), "{at}: a date cell");
                    let day = d.as_datetime().expect("a date").date();
                    assert_eq!(day.to_string(), *text, "{at}: date");
                }
                other => panic!("{at}: unexpected cell {other:?}"),
            }
        }
    }
}

#[test]
fn every_export_is_a_typed_workbook_with_the_csv_exports_values() {
    let dir = fixture();
    for export in EXPORTS {
        let mut args = vec!["export"];
        args.extend_from_slice(export);
        let csv = csv_rows(&ok(plan(dir.path(), &args), "csv"));
        let file = dir.path().join("export.xlsx");
        args.extend(["-o", "export.xlsx"]);
        ok(plan(dir.path(), &args), "xlsx");
        let mut book = open(&file);
        let names = book.sheet_names();
        assert_eq!(names.len(), 1, "{export:?}: one sheet");
        assert_sheet_is_the_csv(&mut book, &names[0], &csv, &format!("{export:?}"));
    }
}

#[test]
fn cells_have_their_kind() {
    let dir = fixture();
    ok(
        plan(dir.path(), &["export", "budget", "-o", "budget.xlsx"]),
        "xlsx",
    );
    let mut book = open(&dir.path().join("budget.xlsx"));
    let range = book.worksheet_range("Budget").expect("sheet");
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let first = range.rows().nth(1).expect("a budget");
    assert!(
        matches!(first[col("total")], Data::Float(_)),
        "money is a number"
    );
    assert!(
        matches!(first[col("spent_pct")], Data::Float(_)),
        "a share is a number"
    );
    assert!(
        matches!(first[col("budget")], Data::String(_)),
        "an id is text"
    );

    ok(
        plan(dir.path(), &["export", "status", "-o", "status.xlsx"]),
        "xlsx",
    );
    let mut book = open(&dir.path().join("status.xlsx"));
    let range = book.worksheet_range("Status").expect("sheet");
    let i1 = range.rows().nth(1).expect("I1");
    // A title that starts with `=` is the string itself, not a formula's result.
    assert_eq!(i1[2], Data::String("=SUM(1;2) platform".into()));
    assert!(
        matches!(&i1[5], Data::DateTime(d) if d.is_datetime()),
        "start is a date"
    );
    assert_eq!(i1[8], Data::Bool(false), "stale is a boolean");
    assert!(matches!(i1[10], Data::Float(_)), "a count is a number");
}

/// The parts of the file calamine does not read: bold header, frozen first row, autofilter
/// over the whole table, number formats and fitted column widths.
#[test]
fn the_header_is_bold_frozen_and_filtered_and_columns_are_fitted() {
    let dir = fixture();
    ok(
        plan(dir.path(), &["export", "budget", "-o", "budget.xlsx"]),
        "xlsx",
    );
    let file = std::fs::File::open(dir.path().join("budget.xlsx")).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("a zip file");
    let mut part = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .expect(name)
            .read_to_string(&mut text)
            .expect("utf-8");
        text
    };
    let sheet = part("xl/worksheets/sheet1.xml");
    let styles = part("xl/styles.xml");
    assert!(sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#));
    assert!(sheet.contains("<autoFilter ref=\"A1:"), "autofilter");
    assert!(sheet.contains("customWidth=\"1\""), "fitted columns");
    assert!(styles.contains("<b/>"), "a bold font");
    assert!(
        styles.contains(r##"formatCode="#,##0.00""##),
        "money format"
    );
    assert!(styles.contains(r#"formatCode="0.0%""#), "share format");
}

#[test]
fn export_all_has_one_sheet_per_export_named_in_the_language() {
    let dir = fixture();
    for (lang, names) in [
        (
            "en",
            [
                "Status",
                "Milestones",
                "Criteria",
                "Budget",
                "Ledger",
                "Scores",
                "Rounds",
                "Series",
                "Effects",
            ],
        ),
        (
            "da",
            [
                "Status",
                "Milepæle",
                "Succeskriterier",
                "Budget",
                "Posteringer",
                "Målinger",
                "Statusrunder",
                "Tidsserier",
                "Effekter",
            ],
        ),
    ] {
        let file = format!("plan-{lang}.xlsx");
        ok(
            plan(dir.path(), &["--lang", lang, "export", "all", "-o", &file]),
            "export all",
        );
        let mut book = open(&dir.path().join(&file));
        assert_eq!(book.sheet_names(), names);
        let exports = [
            "status",
            "milestones",
            "criteria",
            "budget",
            "ledger",
            "scores",
            "rounds",
            "series",
            "effects",
        ];
        for (name, export) in names.iter().zip(exports) {
            let csv = csv_rows(&ok(plan(dir.path(), &["export", export]), "csv"));
            assert_sheet_is_the_csv(&mut book, name, &csv, &format!("all/{export}"));
        }
    }
}

/// SPEC 5.4: a unit below the minimum group size shows no figures in the workbook either.
#[test]
fn small_groups_stay_hidden_in_the_workbook() {
    let dir = fixture();
    ok(
        plan(
            dir.path(),
            &["export", "scores", "--by", "unit", "-o", "units.xlsx"],
        ),
        "xlsx",
    );
    let mut book = open(&dir.path().join("units.xlsx"));
    let range = book.worksheet_range("Scores").expect("sheet");
    let suppressed: Vec<&[Data]> = range
        .rows()
        .filter(|row| row.last() == Some(&Data::Bool(true)))
        .collect();
    assert!(!suppressed.is_empty(), "the example has a small group");
    for row in suppressed {
        // n, mean and sd are empty cells, not zeros.
        assert_eq!(&row[3..6], &[Data::Empty, Data::Empty, Data::Empty]);
    }
}

fn calendar(dir: &Path, extra: &[&str]) -> (String, Calendar) {
    let mut args = vec!["export", "milestones", "--format", "ics"];
    args.extend_from_slice(extra);
    let text = String::from_utf8(ok(plan(dir, &args), "ics")).expect("utf-8");
    let parsed: Calendar = text.parse().expect("the calendar parses");
    (text, parsed)
}

fn events(calendar: &Calendar) -> Vec<&icalendar::Event> {
    calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// Dated milestones (due column filled) and criteria, from the CSV exports.
fn dated_deadlines(dir: &Path, owner: Option<&str>) -> usize {
    let mut args = vec!["export", "milestones"];
    if let Some(owner) = owner {
        args.extend(["--owner", owner]);
    }
    let milestones = csv_rows(&ok(plan(dir, &args), "csv"));
    let due = milestones[0].iter().position(|c| c == "due").expect("due");
    let dated = milestones[1..]
        .iter()
        .filter(|r| !r[due].is_empty())
        .count();
    let criteria = csv_rows(&ok(plan(dir, &["export", "criteria"]), "csv")).len() - 1;
    dated + if owner.is_none() { criteria } else { 0 }
}

#[test]
fn the_calendar_has_an_event_per_deadline_with_stable_unique_uids() {
    let dir = fixture();
    let (text, first) = calendar(dir.path(), &[]);
    let events = events(&first);
    assert_eq!(events.len(), dated_deadlines(dir.path(), None));
    // Lines end in CRLF and are at most 75 octets.
    assert!(text.lines().count() > 0 && text.split("\r\n").all(|l| l.len() <= 75));
    assert!(!text.replace("\r\n", "").contains('\n'), "a bare LF");
    let uids: Vec<&str> = events.iter().map(|e| e.get_uid().expect("a UID")).collect();
    let mut unique = uids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), uids.len(), "UIDs are unique");
    assert!(uids.contains(&"fjordby-digitaliseringsplan-2020-2023/I1/I1-M1"));
    // A second run gives the same file, so a re-import updates every event.
    let (again, _) = calendar(dir.path(), &[]);
    assert_eq!(text, again);
    // The title with `,;\` and a line break comes back whole, with both titles.
    let m1 = events
        .iter()
        .find(|e| e.get_uid() == Some("fjordby-digitaliseringsplan-2020-2023/I1/I1-M1"))
        .expect("I1-M1");
    assert_eq!(
        m1.get_summary(),
        Some("Udbud, afsluttet; og \\ kontrakt\nunderskrevet – =SUM(1;2) platform")
    );
    let description = m1.get_description().expect("a description");
    for part in [
        "Owner: Center for Borgerservice",
        "State: done",
        "Plan: Digitaliseringsplan",
    ] {
        assert!(description.contains(part), "{part} in {description}");
    }
    assert_eq!(
        m1.get_start(),
        Some(icalendar::DatePerhapsTime::Date(
            "2020-06-30".parse().expect("date")
        ))
    );
}

/// Every shipped plan: its workbook is its CSV exports, and its calendar has an event per
/// dated deadline, a period's on its last day.
#[test]
fn every_shipped_plan_round_trips() {
    for example in [
        "plan",
        "examples/greve/digital",
        "examples/greve/klima",
        "examples/greve/voksen",
    ] {
        let dir = tempfile::tempdir().expect("temporary folder");
        copy(&Path::new(ROOT).join(example), &dir.path().join("plan"));
        ok(
            plan(dir.path(), &["export", "all", "-o", "all.xlsx"]),
            "export all",
        );
        let mut book = open(&dir.path().join("all.xlsx"));
        let names = book.sheet_names();
        let exports = [
            "status",
            "milestones",
            "criteria",
            "budget",
            "ledger",
            "scores",
            "rounds",
        ];
        for (name, export) in names.iter().zip(exports) {
            let csv = csv_rows(&ok(plan(dir.path(), &["export", export]), "csv"));
            assert_sheet_is_the_csv(&mut book, name, &csv, &format!("{example}/{export}"));
        }
        let (_, parsed) = calendar(dir.path(), &[]);
        assert_eq!(
            events(&parsed).len(),
            dated_deadlines(dir.path(), None),
            "{example}"
        );
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    copy(
        &Path::new(ROOT).join("examples/greve/digital"),
        &dir.path().join("plan"),
    );
    let (_, parsed) = calendar(dir.path(), &[]);
    let pilot = events(&parsed)
        .into_iter()
        .find(|e| {
            e.get_uid()
                .is_some_and(|u| u.ends_with("/digital-genoptraening/pilot-hjemmepleje"))
        })
        .expect("the milestone due 2026-Q1");
    assert_eq!(
        pilot.get_start(),
        Some(icalendar::DatePerhapsTime::Date(
            "2026-03-31".parse().expect("date")
        ))
    );
}

#[test]
fn uids_differ_between_plans() {
    let dir = fixture();
    let (_, fjordby) = calendar(dir.path(), &[]);
    let other = tempfile::tempdir().expect("temporary folder");
    copy(&Path::new(ROOT).join("plan"), &other.path().join("plan"));
    let (_, greve) = calendar(other.path(), &[]);
    let theirs: Vec<&str> = events(&greve).iter().filter_map(|e| e.get_uid()).collect();
    assert!(!theirs.is_empty());
    for event in events(&fjordby) {
        assert!(!theirs.contains(&event.get_uid().expect("uid")));
    }
}

#[test]
fn owner_gives_one_persons_deadlines() {
    let dir = fixture();
    let owner = "Center for Borgerservice";
    let (_, calendar) = calendar(dir.path(), &["--owner", owner]);
    let events = events(&calendar);
    assert!(!events.is_empty());
    assert_eq!(events.len(), dated_deadlines(dir.path(), Some(owner)));
    for event in &events {
        let description = event.get_description().expect("description");
        assert!(description.contains(owner), "{description}");
    }
}

/// `-o FILE` chooses the format by its extension; an extension no format has writes nothing.
#[test]
fn the_extension_chooses_the_format_and_an_unknown_one_writes_nothing() {
    let dir = fixture();
    ok(
        plan(dir.path(), &["export", "criteria", "-o", "criteria.xlsx"]),
        "xlsx",
    );
    let bytes = std::fs::read(dir.path().join("criteria.xlsx")).expect("written");
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip file, not CSV");
    ok(
        plan(dir.path(), &["export", "milestones", "-o", "deadlines.ics"]),
        "ics",
    );
    let text = std::fs::read_to_string(dir.path().join("deadlines.ics")).expect("written");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    ok(
        plan(dir.path(), &["export", "status", "-o", "status.json"]),
        "json",
    );
    let json = std::fs::read(dir.path().join("status.json")).expect("written");
    serde_json::from_slice::<serde_json::Value>(&json).expect("JSON");

    for (args, file) in [
        (&["export", "status", "-o", "status.pdf"][..], "status.pdf"),
        (&["report", "-o", "report.csv"], "report.csv"),
        (&["export", "all", "-o", "all.csv"], "all.csv"),
        (&["export", "status", "-o", "status.ics"], "status.ics"),
    ] {
        let output = plan(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!dir.path().join(file).exists(), "{args:?} wrote {file}");
    }
    // An existing file is left as it was.
    let kept: PathBuf = dir.path().join("kept.pdf");
    std::fs::write(&kept, "old").expect("write");
    let output = plan(dir.path(), &["export", "status", "-o", "kept.pdf"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&kept).expect("read"), "old");
}

/// SPEC 14: a page or a workbook is not printed to a terminal, but to a pipe it still is.
#[cfg(unix)]
#[test]
fn a_page_or_a_workbook_is_refused_on_a_terminal() {
    let dir = fixture();
    for (args, says) in [
        ("report", "-o report.html"),
        ("export status --format xlsx", "-o FILE.xlsx"),
    ] {
        let command = format!(
            "{} --plan {} --as-of {AS_OF} {args}",
            env!("CARGO_BIN_EXE_plan"),
            dir.path().join("plan").display()
        );
        let mut session = rexpect::spawn(&command, Some(30_000)).expect("spawn in a pty");
        session
            .exp_string(says)
            .expect("the refusal says to use -o");
        session.exp_eof().expect("the command ends");
        match session.process().wait().expect("exit status") {
            rexpect::process::WaitStatus::Exited(_, code) => {
                assert_eq!(code, 2, "{args}")
            }
            other => panic!("{args}: {other:?}"),
        }
    }
    // Piped, the page is written as before.
    let piped = ok(plan(dir.path(), &["report"]), "report");
    assert!(String::from_utf8_lossy(&piped).starts_with("<!DOCTYPE html>"));
}
