//! The plain passes of the benchmark (issues 6, 11 and 19): a plain aggregation of a ledger
//! as a skilled engineer writes it first, on one thread, with the minimum of parsing. Sums the
//! amounts per budget, kind and month and prints the number of groups and the grand total, so
//! that the work cannot be optimised away.
//!
//! ```text
//! cargo run --release --example baseline -- ledger-csv PATH/ledger.csv        # the yardstick
//! cargo run --release --example baseline -- respondents-csv PATH/surveys/*.csv
//! cargo run --release --example baseline -- ledger PATH/ledger.csv            # needed columns only
//! cargo run --release --example baseline -- respondents PATH/surveys/*.csv
//! ```
//!
//! It does only what any program must do to answer `plan budget --by month`: read every
//! record, find its budget, kind, date and amount, and add the amount up in integers. It does
//! not validate, point at errors, or render anything.
//!
//! `ledger-csv` and `respondents-csv` are the yardstick of `benches/run.sh` and
//! `benches/export.sh` (issue 19; docs/decisions.md, "The benchmark's yardstick"): the `csv`
//! crate's `ByteRecord`, every field of every record split (as `plan` must read them to check
//! them), the maps with foldhash (an FxHash-style hasher), the date and amount parsed by hand.
//!
//! `ledger` and `respondents` go further and are timed beside it for scale: the file is read
//! in 1 MiB chunks and split by hand (`memchr` for line ends, the delimiter by a byte loop,
//! only up to the last column needed, so a ref, unit or note is never looked at); a line that
//! holds a `"` before that goes through `csv_core` instead (a quoted field with a line break
//! in it is not supported: no generated file has one). The budget is interned in a `foldhash`
//! map (the last budget is remembered, as journals repeat it), the date and amount are parsed
//! by hand from the bytes, and the sums are kept in a table indexed by (budget, kind, month).
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

/// The maps of both passes: `std`'s table with foldhash, an FxHash-style hasher.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

use anyhow::{Context, Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [what, path] if what == "ledger" => fast::ledger(path),
        [what, paths @ ..] if what == "respondents" && !paths.is_empty() => {
            fast::respondents(paths)
        }
        [what, path] if what == "ledger-csv" => ledger(path),
        [what, paths @ ..] if what == "respondents-csv" && !paths.is_empty() => respondents(paths),
        _ => bail!(
            "usage: baseline ledger|ledger-csv FILE | baseline respondents|respondents-csv FILE…"
        ),
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
    let mut budgets: HashMap<Vec<u8>, usize> = HashMap::default();
    let mut sums: HashMap<(usize, u8, i32), i128> = HashMap::default();
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
    let mut units: HashMap<Vec<u8>, usize> = HashMap::default();
    let mut indicators: HashMap<Vec<u8>, usize> = HashMap::default();
    let mut sums: HashMap<(usize, usize, usize), (i64, u64)> = HashMap::default();
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
    print_means(sums.values().copied(), sums.len());
    Ok(())
}

fn print_means(sums: impl Iterator<Item = (i64, u64)> + Clone, groups: usize) {
    let (total, n) = sums
        .clone()
        .fold((0i64, 0u64), |(t, n), (s, c)| (t + s, n + c));
    let mean_of_means: f64 =
        sums.map(|(s, c)| s as f64 / c as f64 / 1e4).sum::<f64>() / groups.max(1) as f64;
    println!(
        "{groups} groups, {n} answers, mean {:.4}, mean of group means {:.4}",
        total as f64 / n.max(1) as f64 / 1e4,
        mean_of_means
    );
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

/// The fast plain pass (issue 19).
mod fast {
    use std::io::Read;

    use anyhow::{Context, Result, bail};

    type Map<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

    /// The header's fields and the delimiter (`;` when the header line holds one).
    fn header(path: &str) -> Result<(Vec<Vec<u8>>, u8)> {
        let mut head = vec![0u8; 1 << 16];
        let n = std::fs::File::open(path)
            .with_context(|| format!("cannot open {path}"))?
            .read(&mut head)?;
        let line = head[..n].split(|&b| b == b'\n').next().unwrap_or_default();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let delimiter = if line.contains(&b';') { b';' } else { b',' };
        Ok((
            line.split(|&b| b == delimiter)
                .map(<[u8]>::to_vec)
                .collect(),
            delimiter,
        ))
    }

    /// Calls `f` with the first `need` fields (at most 16) of every data line of `path`.
    fn each_line(
        path: &str,
        delimiter: u8,
        need: usize,
        mut f: impl FnMut(&[&[u8]]) -> Result<()>,
    ) -> Result<()> {
        let mut file = std::fs::File::open(path).with_context(|| format!("cannot open {path}"))?;
        let mut buf = vec![0u8; 1 << 20];
        let mut filled = 0;
        let mut eof = false;
        let mut header = true;
        let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        loop {
            while !eof && filled < buf.len() {
                let n = file.read(&mut buf[filled..])?;
                filled += n;
                eof = n == 0;
            }
            let mut at = 0;
            while at < filled {
                let end = match memchr::memchr(b'\n', &buf[at..filled]) {
                    Some(i) => at + i,
                    None if eof => filled,
                    None => break,
                };
                let mut line = &buf[at..end];
                at = end + 1;
                if let [rest @ .., b'\r'] = line {
                    line = rest;
                }
                if header {
                    header = false;
                    continue;
                }
                if line.is_empty() {
                    continue;
                }
                // Split at the delimiter up to the last field needed; a quote after that does
                // not matter (a quoted note).
                let mut fields: [&[u8]; 16] = [&[]; 16];
                let mut n = 0;
                let mut start = 0;
                let mut end = line.len();
                for (i, &b) in line.iter().enumerate() {
                    if b == delimiter {
                        fields[n] = &line[start..i];
                        n += 1;
                        start = i + 1;
                        if n == need {
                            end = i;
                            break;
                        }
                    }
                }
                if n < need {
                    fields[n] = &line[start..];
                    n += 1;
                }
                if memchr::memchr(b'"', &line[..end]).is_none() {
                    if n < need {
                        bail!("too few fields");
                    }
                    f(&fields[..n])?;
                } else {
                    let owned = quoted(&mut core, line)?;
                    let refs: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
                    if refs.len() < need {
                        bail!("too few fields");
                    }
                    f(&refs)?;
                }
            }
            if eof && at >= filled {
                break;
            }
            buf.copy_within(at..filled, 0);
            filled -= at;
            if filled == buf.len() {
                buf.resize(buf.len() * 2, 0);
            }
        }
        Ok(())
    }

    /// A line with quotes, split by csv_core.
    fn quoted(reader: &mut csv_core::Reader, line: &[u8]) -> Result<Vec<Vec<u8>>> {
        reader.reset();
        let mut out = vec![0u8; line.len() + 1];
        let mut ends = [0usize; 64];
        let (_, _, written, n) = reader.read_record(line, &mut out, &mut ends);
        let (_, _, _, _) = reader.read_record(&[], &mut out[written..], &mut ends[n..]);
        let mut fields = Vec::new();
        let mut start = 0;
        for &end in &ends[..n] {
            fields.push(out[start..end].to_vec());
            start = end;
        }
        Ok(fields)
    }

    fn column(names: &[Vec<u8>], name: &str) -> Result<usize> {
        names
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name.as_bytes()))
            .with_context(|| format!("no column {name}"))
    }

    /// Two ASCII digits.
    fn two(d: &[u8]) -> Result<u32> {
        match d {
            [a @ b'0'..=b'9', b @ b'0'..=b'9'] => {
                Ok(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
            }
            _ => bail!("not a digit"),
        }
    }

    pub fn ledger(path: &str) -> Result<()> {
        let (names, delimiter) = header(path)?;
        let danish = delimiter == b';';
        let col = |name: &str| column(&names, name);
        let (date, budget, kind, amount) =
            (col("date")?, col("budget")?, col("kind")?, col("amount")?);
        let need = date.max(budget).max(kind).max(amount) + 1;
        let mut budgets: Map<Vec<u8>, usize> = Map::default();
        // The budgets by index, and the last one found.
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let mut last = usize::MAX;
        // (budget × 5 kinds × month since the first) → øre; months from year 1900.
        let mut sums: Vec<i64> = Vec::new();
        const MONTHS: usize = 200 * 12;
        each_line(path, delimiter, need, |fields| {
            let d = fields[date];
            if d.len() != 10 {
                bail!("bad date");
            }
            // YYYY-MM-DD, or DD-MM-YYYY.
            let (year, month) = if d[4] == b'-' {
                (two(&d[0..2])? * 100 + two(&d[2..4])?, two(&d[5..7])?)
            } else {
                (two(&d[6..8])? * 100 + two(&d[8..10])?, two(&d[3..5])?)
            };
            let month = (year.saturating_sub(1900) * 12 + month) as usize % MONTHS;
            let b = fields[budget];
            let b = if keys.get(last).is_some_and(|k| k.as_slice() == b) {
                last
            } else {
                let next = budgets.len();
                last = match budgets.get(b) {
                    Some(&i) => i,
                    None => {
                        keys.push(b.to_vec());
                        *budgets.entry(b.to_vec()).or_insert(next)
                    }
                };
                last
            };
            let k = match fields[kind].first().copied().unwrap_or(b'?') | 0x20 {
                b'g' => 0,
                b'r' => 1,
                b'e' => 2,
                b'h' => 3,
                _ => 4,
            };
            let slot = (b * 5 + k) * MONTHS + month;
            if slot >= sums.len() {
                sums.resize(slot + 1, 0);
            }
            sums[slot] += hundredths(fields[amount], danish)?;
            Ok(())
        })?;
        let groups = sums.iter().filter(|&&s| s != 0).count();
        let total: i128 = sums.iter().map(|&s| i128::from(s)).sum();
        println!("{groups} groups, total {total}");
        Ok(())
    }

    /// `12345.6` → 1234560; Danish (`danish`): `12.345,6` → 1234560.
    fn hundredths(s: &[u8], danish: bool) -> Result<i64> {
        let (point, group) = if danish { (b',', b'.') } else { (b'.', 0xff) };
        let mut n: i64 = 0;
        let mut frac: Option<u32> = None;
        for &b in s {
            match b {
                b'0'..=b'9' => {
                    n = n * 10 + i64::from(b - b'0');
                    if let Some(f) = &mut frac {
                        *f += 1;
                    }
                }
                _ if b == point && frac.is_none() => frac = Some(0),
                _ if b == group => {}
                _ => bail!("not a digit"),
            }
        }
        Ok(match frac.unwrap_or(0) {
            0 => n * 100,
            1 => n * 10,
            2 => n,
            _ => bail!("more than two decimals"),
        })
    }

    pub fn respondents(paths: &[String]) -> Result<()> {
        let mut units: Map<Vec<u8>, usize> = Map::default();
        let mut indicators: Map<Vec<u8>, usize> = Map::default();
        // (file, indicator, unit) → (sum, count)
        let mut sums: Map<(usize, usize, usize), (i64, u64)> = Map::default();
        let intern = |map: &mut Map<Vec<u8>, usize>, key: &[u8]| {
            let next = map.len();
            match map.get(key) {
                Some(&i) => i,
                None => *map.entry(key.to_vec()).or_insert(next),
            }
        };
        for (f, path) in paths.iter().enumerate() {
            let (names, delimiter) = header(path)?;
            let col = |name: &str| column(&names, name);
            let (unit, indicator, score) = (col("unit")?, col("indicator")?, col("score")?);
            let need = unit.max(indicator).max(score) + 1;
            each_line(path, delimiter, need, |fields| {
                let s = fields[score];
                if s.is_empty() {
                    return Ok(());
                }
                let x = super::ten_thousandths(s)?;
                let u = intern(&mut units, fields[unit]);
                let i = intern(&mut indicators, fields[indicator]);
                let sum = sums.entry((f, i, u)).or_insert((0, 0));
                sum.0 += x;
                sum.1 += 1;
                Ok(())
            })?;
        }
        super::print_means(sums.values().copied(), sums.len());
        Ok(())
    }
}
