//! The yardstick of the benchmark (issue 6): a plain, hand-written aggregation of a ledger over
//! the `csv` crate's `ByteRecord`, with the minimum of parsing. Sums the amounts per budget,
//! kind and month of a `,`-separated canonical ledger and prints the number of groups and the
//! grand total, so that the work cannot be optimised away.
//!
//! ```text
//! cargo run --release --example baseline -- ledger PATH/ledger.csv
//! ```
//!
//! It does only what any program must do to answer `plan budget --by month`: read every
//! record, find its budget, kind, date and amount, and add the amount up in integers. It does
//! not validate, decode other encodings, point at errors, or render anything.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [what, path] if what == "ledger" => ledger(path),
        _ => bail!("usage: baseline ledger FILE"),
    }
}

fn ledger(path: &str) -> Result<()> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {path}"))?;
    let mut reader = csv::ReaderBuilder::new()
        .buffer_capacity(1 << 16)
        .from_reader(file);
    let header = reader.byte_headers()?.clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name.as_bytes())
            .with_context(|| format!("no column {name}"))
    };
    let (date, budget, kind, amount) = (col("date")?, col("budget")?, col("kind")?, col("amount")?);
    let mut budgets: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut sums: HashMap<(usize, u8, i32), i128> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record)? {
        let field = |i: usize| record.get(i).unwrap_or_default();
        let d = field(date);
        if d.len() < 7 {
            bail!("bad date");
        }
        let month = digits(&d[0..4])? * 12 + digits(&d[5..7])?;
        let b = field(budget);
        let next = budgets.len();
        let b = match budgets.get(b) {
            Some(&i) => i,
            None => *budgets.entry(b.to_vec()).or_insert(next),
        };
        let k = field(kind).first().copied().unwrap_or(b'?');
        *sums.entry((b, k, month as i32)).or_insert(0) += hundredths(field(amount))?;
    }
    let total: i128 = sums.values().sum();
    println!("{} groups, total {total}", sums.len());
    Ok(())
}

fn digits(s: &[u8]) -> Result<i64> {
    s.iter().try_fold(0i64, |n, &b| {
        if b.is_ascii_digit() {
            Ok(n * 10 + i64::from(b - b'0'))
        } else {
            bail!("not a digit")
        }
    })
}

/// `12345.6` → 1234560.
fn hundredths(s: &[u8]) -> Result<i128> {
    let (int, frac) = match s.iter().position(|&b| b == b'.') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &[][..]),
    };
    let mut f = digits(frac)?;
    for _ in frac.len()..2 {
        f *= 10;
    }
    Ok(i128::from(digits(int)?) * 100 + i128::from(f))
}
