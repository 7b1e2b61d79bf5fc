//! The streaming ledger reader against the whole-file reader: on generated ledgers of every
//! dialect and encoding, clean and broken, in date order and not, large enough to cross the
//! stream's chunk boundaries, both must give the same figures, the same exports and the same
//! diagnostics, byte for byte.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use chrono::{Days, NaiveDate};
use plan::report::budget::{By, breakdown, breakdown_table, budget_table, figures, ledger_table};
use plan::{Context, LoadOptions, diag, load_with, render};

/// Deterministic pseudo-random numbers (a 64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

const PLAN: &str = "format = 1\nid = \"gen\"\ntitle = \"Generated\"\norganisation = \"Testby\"\n\
    period = { start = 2019-01-01, end = 2021-12-31 }\n\
    ledger = [\"ledger.csv\", \"excel/*.csv\"]\n\n\
    [[budget]]\nid = \"penge\"\ntitle = \"Penge\"\nkind = \"money\"\namount = 900000\n\
    period = { start = 2019-03-01, end = 2021-02-28 }\n\n\
    [[budget]]\nid = \"pulje\"\ntitle = \"Pulje\"\nkind = \"money\"\namount = 500000\n\n\
    [[budget]]\nid = \"tid\"\ntitle = \"Tid\"\nkind = \"hours\"\nfte = 0.75\n";

/// One ledger row in the canonical or the Danish form; every `broken`-th row has a problem.
fn row(rng: &mut Lcg, i: u64, rows: u64, danish: bool, broken: u64) -> String {
    let pick = rng.next(10);
    let date = NaiveDate::from_ymd_opt(2019, 1, 1)
        .unwrap()
        .checked_add_days(Days::new(i * 1000 / rows))
        .unwrap();
    let (budget, kind) = match if danish { 0 } else { pick } {
        0..=1 => ("tid", "hours"),
        2..=5 => (
            "penge",
            ["grant", "expense", "expense", "release"][rng.next(4) as usize],
        ),
        _ => (
            "pulje",
            ["grant", "expense", "Expense"][rng.next(3) as usize],
        ),
    };
    let amount = 1 + rng.next(2_000_000);
    let (sep, dec) = if danish { (';', ',') } else { (',', '.') };
    let date = if danish {
        date.format("%d.%m.%Y").to_string()
    } else {
        date.to_string()
    };
    let mut f = vec![
        date,
        budget.to_string(),
        kind.to_string(),
        format!("{}{dec}{:02}", amount / 100, amount % 100),
        ["Skole", "Ældre", "", "Teknik"][rng.next(4) as usize].to_string(),
        format!("R{}", rng.next(40)),
        ["", "Faktura", "\"med; og, tegn\"", "\"to\nlinjer\""][rng.next(4) as usize].to_string(),
    ];
    if broken > 0 && i.is_multiple_of(broken) {
        match rng.next(8) {
            0 => f[0] = "31-02-2020".into(),
            1 => f[1] = "penga".into(),
            2 => f[2] = "granted".into(),
            3 => f[3] = "-5".into(),
            4 => f[3] = "1.2.3".into(),
            5 => f.truncate(5),
            6 => f[6] = "\"lukket\"x".into(),
            _ => f[1] = String::new(),
        }
    }
    f.join(&sep.to_string())
}

fn write_plan(dir: &Path, rows: u64, broken: u64, shuffled: bool, seed: u64) {
    let mut rng = Lcg(seed);
    std::fs::write(dir.join("plan.toml"), PLAN).unwrap();
    let mut canonical: Vec<String> = Vec::new();
    let mut danish: Vec<String> = Vec::new();
    // The Excel files hold hours rows only: each money budget's entries then come in date
    // order (all in ledger.csv), and the streaming reader judges W101-W103 online.
    for i in 0..rows {
        if i % 5 == 0 {
            danish.push(row(&mut rng, i, rows, true, broken));
        } else {
            canonical.push(row(&mut rng, i, rows, false, broken));
        }
    }
    if shuffled {
        for i in (1..canonical.len()).rev() {
            let j = rng.next(i as u64 + 1) as usize;
            canonical.swap(i, j);
        }
    }
    let canonical = format!(
        "date,budget,kind,amount,unit,ref,note\n{}\n",
        canonical.join("\n")
    );
    std::fs::write(dir.join("ledger.csv"), canonical).unwrap();
    // The Danish file as Excel saves it: `;`, CRLF, Windows-1252.
    let excel = format!(
        "Date;Budget;Kind;Amount;Unit;Ref;Note\r\n{}\r\n",
        danish.join("\r\n")
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&excel);
    std::fs::create_dir_all(dir.join("excel")).unwrap();
    std::fs::write(dir.join("excel/export.csv"), bytes).unwrap();
    // The same rows once more in UTF-16 with a BOM.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(excel.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.join("excel/utf16.csv"), utf16).unwrap();
}

/// Everything the reports and `plan check` print, for one way of reading.
fn everything(dir: &Path, stream_above: u64, as_of: NaiveDate) -> Vec<u8> {
    let ctx = Context {
        plan_dir: dir.to_path_buf(),
        as_of,
        today: chrono::NaiveDate::MAX,
        format: None,
        color_out: false,
        color_err: false,
        lang: plan::render::lang::Lang::En,
        rev: None,
        baseline: None,
    };
    let options = LoadOptions {
        keep_entries: true,
        stream_above,
        ..LoadOptions::default()
    };
    let loaded = load_with(&ctx, &options).unwrap();
    let mut out = Vec::new();
    diag::render_text(&mut out, &loaded.sources, &loaded.diags, false).unwrap();
    diag::render_json(&mut out, &loaded.sources, &loaded.diags, None).unwrap();
    diag::render_github(&mut out, &loaded.sources, &loaded.diags).unwrap();
    let plan = loaded.plan.as_ref().unwrap();
    let ledger = &loaded.ledger;
    let mut tables = vec![
        budget_table(&figures(plan, ledger, as_of)),
        ledger_table(plan, ledger, as_of),
    ];
    for by in [By::Month, By::Year, By::Unit] {
        tables.push(breakdown_table(&breakdown(plan, ledger, as_of, by)));
    }
    for table in &tables {
        render::write_csv(&mut out, table, render::Dialect::Standard).unwrap();
    }
    out
}

/// Compare the two readers at three dates; return what the last printed.
fn agree(rows: u64, broken: u64, shuffled: bool, seed: u64) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut last = Vec::new();
    write_plan(dir.path(), rows, broken, shuffled, seed);
    for as_of in ["2019-06-30", "2020-12-31", "2030-01-01"] {
        let as_of: NaiveDate = as_of.parse().unwrap();
        let whole = everything(dir.path(), u64::MAX, as_of);
        let streamed = everything(dir.path(), 0, as_of);
        assert!(
            whole == streamed,
            "streamed and whole differ ({rows} rows, broken every {broken}, shuffled {shuffled}, as of {as_of}):\n{}",
            first_difference(&whole, &streamed)
        );
        last = whole;
    }
    String::from_utf8(last).unwrap()
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  whole:    {x}\n  streamed: {y}", i + 1);
        }
    }
    format!("lengths {} and {}", a.len(), b.len())
}

#[test]
fn clean_ledger_in_date_order() {
    let out = agree(30_000, 0, false, 1);
    assert!(
        out.contains("W003"),
        "the Windows-1252 file is warned about"
    );
    assert!(!out.contains("error["), "{out}");
}

#[test]
fn broken_ledger_caps_and_shows_the_same_diagnostics() {
    let out = agree(30_000, 97, false, 2);
    for code in ["E008", "E009", "E011", "E101", "E103"] {
        assert!(out.contains(&format!("error[{code}]")), "{code} missing");
    }
    assert!(out.contains("(only the first 50 of each code in a file are shown)"));
}

#[test]
fn unsorted_ledger_is_read_again_and_agrees() {
    agree(5_000, 0, true, 3);
}

// ---------------------------------------------------------------------------------------------
// Survey files
// ---------------------------------------------------------------------------------------------

const SURVEY_PLAN: &str = "format = 1\nid = \"gen\"\ntitle = \"Generated\"\norganisation = \"Testby\"\n\
    period = { start = 2019-01-01, end = 2021-12-31 }\n\n[privacy]\nmin_group_size = 5\n\n\
    [[indicator]]\nid = \"udvikle\"\ntitle = \"Udvikle\"\nscale = { min = 1, max = 10 }\nprecision = 2\n\
    baseline = { wave = \"2019\" }\ntarget = [ { wave = \"2020\", delta = 0.3 }, { wave = \"2021\", delta = 0.5 } ]\n\
    direction = \"increase\"\n\n\
    [[indicator]]\nid = \"implementere\"\ntitle = \"Implementere\"\nscale = { min = 1, max = 5 }\nprecision = 1\n\
    baseline = { wave = \"2019\" }\ntarget = [ { wave = \"2021\", value = 4.0 } ]\ndirection = \"increase\"\n\n\
    [[survey]]\nwave = \"2019\"\ndate = 2019-11-15\nfile = \"surveys/lang.csv\"\n\n\
    [[survey]]\nwave = \"2020\"\ndate = 2020-11-15\nfile = \"surveys/bred.csv\"\nlayout = \"respondents\"\n\
    columns = { respondent = \"Besvarelse\", unit = \"Afdeling\", udvikle = \"Q1\", implementere = \"Q2\" }\n\
    missing = [\"Ved ikke\", \"99\"]\n\n\
    [[survey]]\nwave = \"2021\"\ndate = 2021-11-15\nfile = \"surveys/utf16.csv\"\n\n\
    [[survey]]\nwave = \"2021\"\ndate = 2021-11-15\nfile = \"surveys/frekvenser.csv\"\nmissing = [\"Ved ikke\"]\n";

const SURVEY_UNITS: [&str; 7] = [
    "Skole",
    "Ældre",
    "Teknik",
    "Børn og unge",
    "Kultur",
    "HR",
    "Lille",
];

/// A score as a respondent file holds it: whole or with a decimal, in the file's number form;
/// every `broken`-th one (when `broken` > 0) is a problem or an unusual form.
fn score(rng: &mut Lcg, i: u64, max: u64, danish: bool, broken: u64) -> String {
    let whole = 1 + rng.next(max);
    let mut s = match rng.next(4) {
        0 if whole < max => format!("{whole}{}5", if danish { ',' } else { '.' }),
        1 => String::new(),
        _ => whole.to_string(),
    };
    if broken > 0 && i.is_multiple_of(broken) {
        s = [
            "11",
            "0",
            if danish { "7.5" } else { "7,5" },
            "x",
            "7.12345",
            "-1",
            " 4 ",
            "\"3\"",
            "0004",
            "1e1",
        ][rng.next(10) as usize]
            .to_string();
    }
    s
}

/// Long rows `respondent,unit,indicator,score` in the given separator.
fn long_rows(rng: &mut Lcg, rows: u64, danish: bool, broken: u64) -> Vec<String> {
    let sep = if danish { ";" } else { "," };
    let mut out = Vec::new();
    let mut i = 0;
    let mut respondent = 0;
    while i < rows {
        respondent += 1;
        // The small unit has few respondents: it is suppressed.
        let unit = if rng.next(8000) == 0 {
            "Lille"
        } else {
            SURVEY_UNITS[rng.next(6) as usize]
        };
        for (id, max) in [("udvikle", 10), ("implementere", 5)] {
            let id = if broken > 0 && (i + 3).is_multiple_of(broken * 7) {
                "udvikel"
            } else {
                id
            };
            let s = score(rng, i, max, danish, broken);
            let mut row = [
                format!("r{respondent}"),
                unit.to_string(),
                id.to_string(),
                s,
            ]
            .join(sep);
            if broken > 0 && (i + 5).is_multiple_of(broken * 5) {
                row = match rng.next(4) {
                    0 => format!("{row}{sep}extra"),
                    1 => format!("r{respondent}{sep}\"lukket\"x{sep}{id}{sep}3"),
                    2 => String::new(),
                    _ => format!("r{respondent}{sep}\"{unit}\"{sep}{id}{sep}\"2\""),
                };
            }
            out.push(row);
            i += 1;
        }
    }
    out
}

fn write_survey_plan(dir: &Path, rows: u64, broken: u64, seed: u64) {
    let mut rng = Lcg(seed);
    std::fs::write(dir.join("plan.toml"), SURVEY_PLAN).unwrap();
    std::fs::create_dir_all(dir.join("surveys")).unwrap();
    // Long, UTF-8, `,`, LF.
    let long = format!(
        "respondent,unit,indicator,score\n{}\n",
        long_rows(&mut rng, rows, false, broken).join("\n")
    );
    std::fs::write(dir.join("surveys/lang.csv"), long).unwrap();
    // Wide, as Excel saves it: `;`, CRLF, Windows-1252, the vendor's headers, missing codes.
    let mut wide = vec!["Besvarelse;Afdeling;Q1;Q2;Kommentar".to_string()];
    for r in 0..rows / 2 {
        let unit = SURVEY_UNITS[rng.next(6) as usize];
        let q1 = match rng.next(10) {
            0 => "Ved ikke".to_string(),
            1 => "99".to_string(),
            _ => score(&mut rng, r, 10, true, broken),
        };
        let q2 = score(&mut rng, r + 1, 5, true, broken);
        let comment = ["", "Godt", "\"med; og\nlinjer\"", "Øv"][rng.next(4) as usize];
        wide.push(format!("{r};{unit};{q1};{q2};{comment}"));
        if broken > 0 && r.is_multiple_of(broken * 3) {
            wide.push(";;;;".to_string());
        }
    }
    let wide = format!("{}\r\n", wide.join("\r\n"));
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&wide);
    std::fs::write(dir.join("surveys/bred.csv"), bytes).unwrap();
    // Long, Danish numbers, UTF-16 LE with a BOM.
    let danish = format!(
        "respondent;unit;indicator;score\r\n{}\r\n",
        long_rows(&mut rng, rows / 2, true, broken).join("\r\n")
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(danish.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.join("surveys/utf16.csv"), utf16).unwrap();
    // A small frequency table.
    let mut freq = vec!["indicator,unit,score,count".to_string()];
    for unit in &SURVEY_UNITS[..6] {
        for s in 1..=5 {
            freq.push(format!("implementere,{unit},{s},{}", rng.next(40)));
        }
        freq.push(format!("implementere,{unit},Ved ikke,{}", rng.next(9)));
    }
    if broken > 0 {
        freq.push("implementere,Skole,6,2".into());
        freq.push("implementere,Skole,3,-1".into());
    }
    std::fs::write(dir.join("surveys/frekvenser.csv"), freq.join("\n") + "\n").unwrap();
}

/// Diagnostics and the scores exports, for one way of reading.
fn survey_output(dir: &Path, stream_above: u64, as_of: NaiveDate) -> Vec<u8> {
    use plan::report::scores::{by_unit, by_unit_table, scores_report, scores_table};
    let ctx = Context {
        plan_dir: dir.to_path_buf(),
        as_of,
        today: chrono::NaiveDate::MAX,
        format: None,
        color_out: false,
        color_err: false,
        lang: plan::render::lang::Lang::En,
        rev: None,
        baseline: None,
    };
    let options = LoadOptions {
        keep_entries: false,
        stream_above,
        ..LoadOptions::default()
    };
    let loaded = load_with(&ctx, &options).unwrap();
    let mut out = Vec::new();
    diag::render_text(&mut out, &loaded.sources, &loaded.diags, false).unwrap();
    diag::render_json(&mut out, &loaded.sources, &loaded.diags, None).unwrap();
    diag::render_github(&mut out, &loaded.sources, &loaded.diags).unwrap();
    let plan = loaded.plan.as_ref().unwrap();
    for table in [
        scores_table(&scores_report(plan, as_of)),
        by_unit_table(&by_unit(plan, as_of)),
    ] {
        render::write_csv(&mut out, &table, render::Dialect::Standard).unwrap();
    }
    out
}

/// Compare the two readers on generated survey files; return what the whole reader printed.
fn surveys_agree(rows: u64, broken: u64, seed: u64) -> String {
    let dir = tempfile::tempdir().unwrap();
    write_survey_plan(dir.path(), rows, broken, seed);
    let as_of: NaiveDate = "2022-06-30".parse().unwrap();
    let whole = survey_output(dir.path(), u64::MAX, as_of);
    let streamed = survey_output(dir.path(), 0, as_of);
    assert!(
        whole == streamed,
        "streamed and whole survey readings differ ({rows} rows, broken every {broken}):\n{}",
        first_difference(&whole, &streamed)
    );
    String::from_utf8(whole).unwrap()
}

#[test]
fn clean_survey_files_agree() {
    let out = surveys_agree(40_000, 0, 4);
    assert!(
        out.contains("W003"),
        "the Windows-1252 file is warned about"
    );
    assert!(!out.contains("error["), "{out}");
    assert!(out.contains(",Lille,,,,true"), "{out}");
}

#[test]
fn broken_survey_files_agree() {
    let out = surveys_agree(40_000, 89, 5);
    for code in ["E008", "E101", "E103", "E201"] {
        assert!(out.contains(&format!("error[{code}]")), "{code} missing");
    }
    assert!(out.contains("(only the first 50 of each code in a file are shown)"));
}

/// Files the stream hands back to the whole-file reader: UTF-8 text followed by a byte that is
/// not UTF-8 (the whole file is then Windows-1252), and a header without a needed column.
#[test]
fn survey_files_read_whole_after_all_agree() {
    let dir = tempfile::tempdir().unwrap();
    write_survey_plan(dir.path(), 20_000, 0, 6);
    let path = dir.path().join("surveys/lang.csv");
    let mut bytes = std::fs::read(&path).unwrap();
    let late = bytes.len() - 100;
    let at = late + bytes[late..].iter().position(|&b| b == b',').unwrap();
    bytes.splice(at..at, *b"\xE6");
    std::fs::write(&path, &bytes).unwrap();
    let as_of: NaiveDate = "2022-06-30".parse().unwrap();
    let whole = survey_output(dir.path(), u64::MAX, as_of);
    assert!(whole == survey_output(dir.path(), 0, as_of));
    assert!(String::from_utf8_lossy(&whole).contains("W003"));

    let wide = dir.path().join("surveys/bred.csv");
    let mut bytes = std::fs::read(&wide).unwrap();
    bytes.splice(0..10, *b"Respondent");
    std::fs::write(&wide, &bytes).unwrap();
    let whole = survey_output_any(dir.path(), u64::MAX, as_of);
    assert!(whole == survey_output_any(dir.path(), 0, as_of));
    assert!(String::from_utf8_lossy(&whole).contains("E102"));
}

/// The diagnostics only (the plan may have errors).
fn survey_output_any(dir: &Path, stream_above: u64, as_of: NaiveDate) -> Vec<u8> {
    let ctx = Context {
        plan_dir: dir.to_path_buf(),
        as_of,
        today: chrono::NaiveDate::MAX,
        format: None,
        color_out: false,
        color_err: false,
        lang: plan::render::lang::Lang::En,
        rev: None,
        baseline: None,
    };
    let options = LoadOptions {
        stream_above,
        ..LoadOptions::default()
    };
    let loaded = load_with(&ctx, &options).unwrap();
    let mut out = Vec::new();
    diag::render_text(&mut out, &loaded.sources, &loaded.diags, false).unwrap();
    out
}
