//! A second method: generate a ledger (one canonical file, one Danish Excel file in
//! Windows-1252), load it through the real pipeline, and hold every budget figure to an
//! independent computation that walks the calendar day by day in plain i128 arithmetic.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use chrono::{Datelike, Days, NaiveDate};
use plan::report::budget::{BudgetFigures, figures};
use plan::{Context, LoadOptions, load_with};

/// Deterministic pseudo-random numbers (a 64-bit LCG), so the test is the same on every run.
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

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// 1234567 hundredths → "12.345,67" (Danish, with thousands separators).
fn danish(h: i64) -> String {
    let whole = (h / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}", h % 100)
}

struct Row {
    date: NaiveDate,
    budget: &'static str,
    kind: &'static str,
    amount: i64,
}

const BUDGETS: [(&str, &str, &str, &str); 3] = [
    // id, kind, start, end
    ("penge", "money", "2019-03-01", "2021-02-28"),
    ("pulje", "money", "2020-01-01", "2020-12-31"),
    ("tid", "hours", "2019-07-01", "2021-06-30"),
];
const TOTALS: [i64; 2] = [123_456_789, 50_000_000]; // øre
const FTE_HUNDREDTHS: i128 = 75; // 0.75 FTE
const HOURS_PER_FTE: i128 = 1924;

fn write_plan(dir: &Path, rows: &[Row]) {
    let plan = "format = 1\nid = \"gen\"\ntitle = \"Generated\"\norganisation = \"Testby\"\n\
         period = { start = 2019-01-01, end = 2021-12-31 }\n\
         ledger = [\"ledger.csv\", \"excel/*.csv\"]\n\n\
         [[budget]]\nid = \"penge\"\ntitle = \"Penge\"\nkind = \"money\"\namount = \"1234567.89\"\n\
         period = { start = 2019-03-01, end = 2021-02-28 }\n\n\
         [[budget]]\nid = \"pulje\"\ntitle = \"Pulje\"\nkind = \"money\"\namount = 500000\n\
         period = { start = 2020-01-01, end = 2020-12-31 }\n\n\
         [[budget]]\nid = \"tid\"\ntitle = \"Tid\"\nkind = \"hours\"\nfte = 0.75\n\
         period = { start = 2019-07-01, end = 2021-06-30 }\n";
    std::fs::write(dir.join("plan.toml"), plan).unwrap();
    let mut canonical = String::from("date,budget,kind,amount,unit,ref,note\n");
    let mut excel = String::from("Date;Budget;Kind;Amount;Unit;Ref;Note\r\n");
    for (i, r) in rows.iter().enumerate() {
        if i % 2 == 0 {
            canonical.push_str(&format!(
                "{},{},{},{}.{:02},Enhed {},,\n",
                r.date,
                r.budget,
                r.kind,
                r.amount / 100,
                r.amount % 100,
                i % 3
            ));
        } else {
            let date = if i % 4 == 1 {
                r.date.format("%d-%m-%Y").to_string()
            } else {
                r.date.format("%d.%m.%Y").to_string()
            };
            excel.push_str(&format!(
                "{date};{};{};{};Ældreområdet;;Bemærkning æøå\r\n",
                r.budget,
                r.kind,
                danish(r.amount)
            ));
        }
    }
    std::fs::write(dir.join("ledger.csv"), canonical).unwrap();
    std::fs::create_dir_all(dir.join("excel")).unwrap();
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&excel);
    std::fs::write(dir.join("excel/export.csv"), bytes).unwrap();
}

/// n / d rounded half away from zero, for n, d ≥ 0.
fn round(n: i128, d: i128) -> i128 {
    (2 * n + d) / (2 * d)
}

/// The independent figures of one budget: (total, to_date, committed, spent, elapsed tenths, projected).
fn expected(
    b: usize,
    rows: &[Row],
    as_of: NaiveDate,
) -> (i128, i128, Option<i128>, i128, i128, Option<i128>) {
    let (id, kind, start, end) = BUDGETS[b];
    let (start, end) = (d(start), d(end));
    let mut committed = 0i128;
    let mut spent = 0i128;
    // SPEC 12.6: a money budget that no row (dated by the day) names is not reported: its
    // committed and projected figures are unknown, not 0.
    let named = rows.iter().any(|r| r.budget == id && r.date <= as_of);
    for r in rows.iter().filter(|r| r.budget == id && r.date <= as_of) {
        match r.kind {
            "grant" => committed += r.amount as i128,
            "release" => committed -= r.amount as i128,
            _ => spent += r.amount as i128,
        }
    }
    // Walk the period day by day: count days, and weight each day by 1/(days in its year)
    // over the common denominator 365 × 366.
    let (mut days, mut gone, mut weight_all, mut weight_gone) = (0i128, 0i128, 0i128, 0i128);
    let mut day = start;
    while day <= end {
        let leap = NaiveDate::from_ymd_opt(day.year(), 2, 29).is_some();
        let w = if leap { 365 } else { 366 };
        days += 1;
        weight_all += w;
        if day <= as_of {
            gone += 1;
            weight_gone += w;
        }
        day = day.checked_add_days(Days::new(1)).unwrap();
    }
    let elapsed = round(1000 * gone, days);
    let projected = (gone > 0).then(|| round(spent * days, gone));
    if kind == "money" {
        let total = TOTALS[b] as i128;
        (
            total,
            round(total * gone, days),
            Some(committed).filter(|_| named),
            spent,
            elapsed,
            projected.filter(|_| named),
        )
    } else {
        // hundredths of an hour = fte/100 × hpf × 100 × weight / (365 × 366)
        let cap = |w: i128| round(FTE_HUNDREDTHS * HOURS_PER_FTE * w, 365 * 366);
        (
            cap(weight_all),
            cap(weight_gone),
            None,
            spent,
            elapsed,
            projected,
        )
    }
}

#[test]
fn figures_agree_with_a_day_by_day_computation() {
    let mut rng = Lcg(20_130_101);
    let mut rows = Vec::new();
    for _ in 0..300 {
        let b = rng.next(3) as usize;
        let date = d("2019-01-01")
            .checked_add_days(Days::new(rng.next(365 * 3)))
            .unwrap();
        let (budget, kind) = match b {
            2 => ("tid", "hours"),
            _ => (
                BUDGETS[b].0,
                ["grant", "grant", "release", "expense", "expense"][rng.next(5) as usize],
            ),
        };
        // Up to 99.999,99 kr. or hours; never 0.
        rows.push(Row {
            date,
            budget,
            kind,
            amount: 1 + rng.next(9_999_999) as i64,
        });
    }
    let dir = tempfile::tempdir().unwrap();
    write_plan(dir.path(), &rows);

    for as_of in [
        "2018-12-31",
        "2019-03-01",
        "2019-12-31",
        "2020-02-29",
        "2020-06-30",
        "2021-01-15",
        "2021-06-30",
        "2022-01-01",
    ] {
        let ctx = Context {
            plan_dir: dir.path().to_path_buf(),
            as_of: d(as_of),
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
            ..LoadOptions::default()
        };
        let loaded = load_with(&ctx, &options).unwrap();
        assert_eq!(loaded.diags.errors(), 0, "as of {as_of}");
        assert_eq!(loaded.ledger.entries.len(), rows.len());
        let plan = loaded.plan.as_ref().unwrap();
        let got: Vec<BudgetFigures> = figures(plan, &loaded.ledger, d(as_of));
        for (b, f) in got.iter().enumerate() {
            let (total, to_date, committed, spent, elapsed, projected) =
                expected(b, &rows, d(as_of));
            let what = format!("{} as of {as_of}", f.id);
            assert_eq!(f.total, total, "total of {what}");
            assert_eq!(f.to_date, to_date, "to_date of {what}");
            assert_eq!(f.committed, committed, "committed of {what}");
            assert_eq!(f.spent, spent, "spent of {what}");
            assert_eq!(
                f.available,
                committed.map(|c| total - c),
                "available of {what}"
            );
            assert_eq!(f.remaining, total - spent, "remaining of {what}");
            assert_eq!(f.elapsed_pct, elapsed, "elapsed of {what}");
            assert_eq!(f.projected, projected, "projected of {what}");
            // Percentages: compare as exact fractions against the rounded tenths.
            let check_pct = |got: Option<i128>, part: i128| {
                let g = got.unwrap();
                assert!(
                    (20 * part * 1000 - 20 * g * total).abs() <= 10 * total,
                    "pct of {what}: {g} for {part}/{total}"
                );
            };
            if f.reported {
                check_pct(f.spent_pct, spent);
            } else {
                assert_eq!((f.spent, f.spent_pct), (0, None), "not reported: {what}");
            }
            if let Some(c) = committed {
                check_pct(f.committed_pct, c);
            }
        }
    }
}
