//! Every export parses back with a standard reader to the same rows in each format, and
//! text that a spreadsheet would run as a formula arrives guarded in every CSV export.

use std::process::Command;

use serde_json::Value;

const EXPORTS: &[&[&str]] = &[
    &["status"],
    &["milestones"],
    &["criteria"],
    &["budget"],
    &["budget", "--by", "month"],
    &["budget", "--by", "year"],
    &["budget", "--by", "unit"],
    &["ledger"],
    &["scores"],
    &["scores", "--by", "unit"],
];

fn run(plan: &str, as_of: &str, args: &[&str]) -> Vec<u8> {
    let output = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(["--plan", plan, "--as-of", as_of])
        .args(args)
        .output()
        .expect("run plan");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn csv_rows(bytes: &[u8], delimiter: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(bytes);
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn json_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn csv_json_and_excel_da_carry_the_same_rows() {
    for export in EXPORTS {
        let mut args = vec!["export"];
        args.extend_from_slice(export);
        let csv = run("examples/fjordby", "2023-12-31", &args);
        let (header, rows) = csv_rows(&csv, b',');
        assert!(!rows.is_empty(), "{export:?} has no rows");

        let mut json_args = vec!["--format", "json"];
        json_args.extend_from_slice(&args);
        let doc: Value = serde_json::from_slice(&run("examples/fjordby", "2023-12-31", &json_args))
            .expect("json");
        assert_eq!(doc["format"], 1);
        assert_eq!(doc["as_of"], "2023-12-31");
        let json_rows = doc["rows"].as_array().expect("rows");
        assert_eq!(json_rows.len(), rows.len(), "{export:?}");
        for (csv_row, json_row) in rows.iter().zip(json_rows) {
            let object = json_row.as_object().expect("object");
            let keys: Vec<&String> = object.keys().collect();
            assert_eq!(
                keys,
                header.iter().collect::<Vec<_>>(),
                "{export:?}: column order"
            );
            for ((column, csv_cell), value) in header.iter().zip(csv_row).zip(object.values()) {
                // CSV guards text against formulas; JSON carries the text as it is.
                let unguarded = csv_cell.strip_prefix('\'').filter(|_| value.is_string());
                assert_eq!(
                    unguarded.unwrap_or(csv_cell),
                    json_cell(value),
                    "{export:?} {column}"
                );
            }
        }

        let mut da_args = args.clone();
        da_args.extend_from_slice(&["--dialect", "excel-da"]);
        let da = run("examples/fjordby", "2023-12-31", &da_args);
        assert!(da.starts_with("\u{feff}".as_bytes()), "{export:?}: no BOM");
        let (da_header, da_rows) = csv_rows(&da[3..], b';');
        assert_eq!(da_header, header);
        for ((da_row, row), json_row) in da_rows.iter().zip(&rows).zip(json_rows) {
            for ((da_cell, cell), value) in da_row
                .iter()
                .zip(row)
                .zip(json_row.as_object().expect("object").values())
            {
                if value.is_number() {
                    assert_eq!(
                        *da_cell,
                        cell.replace('.', ","),
                        "{export:?}: decimal comma"
                    );
                } else {
                    assert_eq!(da_cell, cell, "{export:?}");
                }
            }
        }
    }
}

#[test]
fn formula_text_is_guarded_in_every_csv_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path();
    std::fs::create_dir_all(plan.join("initiatives")).expect("mkdir");
    std::fs::write(
        plan.join("plan.toml"),
        r#"format = 1
id = "p"
title = "=HYPERLINK(\"http://x\")"
organisation = "O"
period = { start = 2020-01-01, end = 2020-12-31 }
[[focus_area]]
id = "F1"
title = "+fokus"
[[budget]]
id = "pulje"
title = "=SUM(A1:A9)"
kind = "money"
amount = 1000
[[indicator]]
id = "tilfredshed"
title = "@trivsel"
scale = { min = 1, max = 10 }
baseline = { wave = "2019", value = 6.5 }
target = [{ wave = "2020", delta = 0.5 }]
[[criterion]]
id = "pris"
title = "-prisen"
deadline = 2020-12-31
"#,
    )
    .expect("plan.toml");
    std::fs::write(
        plan.join("initiatives/a.toml"),
        "id = \"I1\"\ntitle = \"=cmd|' /C calc'!A0\"\nfocus_area = \"F1\"\nowner = \"\tTab\"\nstart = 2020-01-01\nsummary = \"s\"\n[[milestone]]\nid = \"M1\"\ntitle = \"=1+1\"\ndue = 2020-06-01\n",
    )
    .expect("initiative");
    std::fs::write(
        plan.join("ledger.csv"),
        "date,budget,kind,amount,unit,ref,note\n2020-02-01,pulje,grant,100,=Enhed,-REF,@note\n",
    )
    .expect("ledger");
    let dir_arg = plan.to_str().expect("utf-8 path");
    for export in EXPORTS {
        let mut args = vec!["export"];
        args.extend_from_slice(export);
        for dialect in ["standard", "excel-da"] {
            let mut with_dialect = args.clone();
            with_dialect.extend_from_slice(&["--dialect", dialect]);
            let bytes = run(dir_arg, "2020-12-31", &with_dialect);
            let text = String::from_utf8(bytes).expect("utf-8");
            let delimiter = if dialect == "standard" { b',' } else { b';' };
            let (_, rows) = csv_rows(text.trim_start_matches('\u{feff}').as_bytes(), delimiter);
            for cell in rows.iter().flatten() {
                let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                    || (cell.starts_with('-') && cell.parse::<f64>().is_err());
                assert!(!formula, "{export:?} {dialect}: unguarded cell {cell:?}");
            }
        }
    }
    // The guarded texts arrive with their quote.
    let status =
        String::from_utf8(run(dir_arg, "2020-12-31", &["export", "status"])).expect("utf-8");
    assert!(status.contains("'=cmd|' /C calc'!A0"), "{status}");
    let budget =
        String::from_utf8(run(dir_arg, "2020-12-31", &["export", "budget"])).expect("utf-8");
    assert!(budget.contains("'=SUM(A1:A9)"), "{budget}");
}
