//! The yardstick of the benchmark (issues 6 and 11): a plain, hand-written aggregation of a
//! ledger over the `csv` crate's `ByteRecord`, with the minimum of parsing, on one thread.
//! Sums the amounts per budget, kind and month and prints the number of groups and the grand
//! total, so that the work cannot be optimised away.
//!
//! ```text
//! cargo run --release --example baseline -- ledger PATH/ledger.csv
//! cargo run --release --example baseline -- respondents PATH/surveys/*.csv
//! ```
//!
//! It does only what any program must do to answer `plan budget --by month`: read every
//! record, find its budget, kind, date and amount, and add the amount up in integers. The
//! budget is interned (a hash of its bytes, once per row). It does not validate, point at
//! errors, or render anything.
//!
//! The file's dialect is taken from its header, as `plan` takes it: `;` means Danish numbers
//! (`45.000,50`: `.` groups skipped, `,` the decimal point); a date is `YYYY-MM-DD` or
//! `DD-MM-YYYY`. A file in Windows-1252 needs no decoding here: the fields it reads are
//! compared as bytes, which in a one-byte encoding name the same text (the plain way to read
//! such a file, and the cheapest).
//!
//! `respondents` is the same for `plan scores --by unit` over long respondent files
//! (`respondent,unit,indicator,score`), one or more: the mean score per file, indicator and
//! unit, in integers (scores times 10⁴), blank scores skipped.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [what, path] if what == "ledger" => ledger(path),
        [what, paths @ ..] if what == "respondents" && !paths.is_empty() => respondents(paths),
        _ => bail!("usage: baseline ledger FILE | baseline respondents FILE…"),
    }
}

/// A CSV reader over `path` and its header: the plain way, nothing `plan` does on top. The
/// delimiter is `;` when the header line holds one (as in `plan`), else `,`.
fn open(path: &str) -> Result<(csv::Reader<std::fs::File>, csv::ByteRecord, u8)> {
    let mut head = [0u8; 256];
    let n = std::io::Read::read(
        &mut std::fs::File::open(path).with_context(|| format!("cannot open {path}"))?,
        &mut head,
    )?;
    let line = head[..n].split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = if line.contains(&b';') { b';' } else { b',' };
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {path}"))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .buffer_capacity(1 << 16)
        .from_reader(file);
    let header = reader.byte_headers()?.clone();
    Ok((reader, header, delimiter))
}

fn column(header: &csv::ByteRecord, name: &str) -> Result<usize> {
    header
        .iter()
        .position(|h| h == name.as_bytes())
        .with_context(|| format!("no column {name}"))
}

fn ledger(path: &str) -> Result<()> {
    let (mut reader, header, delimiter) = open(path)?;
    let danish = delimiter == b';';
    let col = |name: &str| column(&header, name);
    let (date, budget, kind, amount) = (col("date")?, col("budget")?, col("kind")?, col("amount")?);
    let mut budgets: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut sums: HashMap<(usize, u8, i32), i128> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record)? {
        let field = |i: usize| record.get(i).unwrap_or_default();
        let d = field(date);
        if d.len() != 10 {
            bail!("bad date");
        }
        // YYYY-MM-DD, or DD-MM-YYYY.
        let (year, month) = if d[4] == b'-' {
            (&d[0..4], &d[5..7])
        } else {
            (&d[6..10], &d[3..5])
        };
        let month = digits(year)? * 12 + digits(month)?;
        let b = field(budget);
        let next = budgets.len();
        let b = match budgets.get(b) {
            Some(&i) => i,
            None => *budgets.entry(b.to_vec()).or_insert(next),
        };
        let k = field(kind).first().copied().unwrap_or(b'?');
        *sums.entry((b, k, month as i32)).or_insert(0) += hundredths(field(amount), danish)?;
    }
    let total: i128 = sums.values().sum();
    println!("{} groups, total {total}", sums.len());
    Ok(())
}

fn respondents(paths: &[String]) -> Result<()> {
    let mut units: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut indicators: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut sums: HashMap<(usize, usize, usize), (i64, u64)> = HashMap::new();
    let intern = |map: &mut HashMap<Vec<u8>, usize>, key: &[u8]| {
        let next = map.len();
        match map.get(key) {
            Some(&i) => i,
            None => *map.entry(key.to_vec()).or_insert(next),
        }
    };
    for (f, path) in paths.iter().enumerate() {
        let (mut reader, header, _) = open(path)?;
        let col = |name: &str| column(&header, name);
        let (unit, indicator, score) = (col("unit")?, col("indicator")?, col("score")?);
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record)? {
            let field = |i: usize| record.get(i).unwrap_or_default();
            let s = field(score);
            if s.is_empty() {
                continue;
            }
            let x = ten_thousandths(s)?;
            let u = intern(&mut units, field(unit));
            let i = intern(&mut indicators, field(indicator));
            let sum = sums.entry((f, i, u)).or_insert((0, 0));
            sum.0 += x;
            sum.1 += 1;
        }
    }
    let (total, n) = sums
        .values()
        .fold((0i64, 0u64), |(t, n), (s, c)| (t + s, n + c));
    let mean_of_means: f64 = sums
        .values()
        .map(|(s, c)| *s as f64 / *c as f64 / 1e4)
        .sum::<f64>()
        / sums.len().max(1) as f64;
    println!(
        "{} groups, {n} answers, mean {:.4}, mean of group means {mean_of_means:.4}",
        sums.len(),
        total as f64 / n.max(1) as f64 / 1e4
    );
    Ok(())
}

/// `7.5` → 75000.
fn ten_thousandths(s: &[u8]) -> Result<i64> {
    let (int, frac) = match s.iter().position(|&b| b == b'.') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &[][..]),
    };
    let mut f = digits(frac)?;
    for _ in frac.len()..4 {
        f *= 10;
    }
    Ok(digits(int)? * 10_000 + f)
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

/// `12345.6` → 1234560; Danish (`danish`): `12.345,6` → 1234560.
fn hundredths(s: &[u8], danish: bool) -> Result<i128> {
    let point = if danish { b',' } else { b'.' };
    let (int, frac) = match s.iter().position(|&b| b == point) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &[][..]),
    };
    let int = if danish {
        int.iter().try_fold(0i64, |n, &b| match b {
            b'0'..=b'9' => Ok(n * 10 + i64::from(b - b'0')),
            b'.' => Ok(n),
            _ => bail!("not a digit"),
        })?
    } else {
        digits(int)?
    };
    let mut f = digits(frac)?;
    for _ in frac.len()..2 {
        f *= 10;
    }
    Ok(i128::from(int) * 100 + i128::from(f))
}
