//! Generate a plan folder of any size in the formats of SPEC 1, for benchmarks and tests.
//!
//! ```text
//! cargo run --release --example gen -- --out /tmp/big --ledger-rows 1000000 --seed 7
//! ```
//!
//! Writes `plan.toml` (money and hours budgets over ten years), a few `initiatives/*.toml`
//! and `ledger.csv`; with `--respondent-rows N` also four indicators, a `[[survey]]` and
//! `surveys/respondenter.csv`, a long respondent file (`respondent,unit,indicator,score`) of
//! N rows: each respondent answers the four questions in a row, on a 1-10 scale, a few
//! answers blank or with a half point. The ledger is a journal: entries in date order, as a finance system
//! appends them (`--shuffle` writes them in random order instead, to exercise the path for
//! unsorted ledgers; `--danish` writes Danish Excel form: `;`, decimal comma, `DD-MM-YYYY`).
//! Grants carry a ref; expenses spend from an open grant of the same budget and never more
//! than is left of it, so a generated plan checks clean. Everything follows from `--seed`.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use chrono::{Days, NaiveDate};

/// A small, fast, seeded generator (SplitMix64): the same seed gives the same plan.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

struct Args {
    out: PathBuf,
    ledger_rows: u64,
    seed: u64,
    shuffle: bool,
    danish: bool,
    respondent_rows: u64,
}

fn args() -> Result<Args> {
    let mut a = Args {
        out: PathBuf::new(),
        ledger_rows: 10_000,
        seed: 1,
        shuffle: false,
        danish: false,
        respondent_rows: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--out" => a.out = PathBuf::from(value()?),
            "--ledger-rows" => a.ledger_rows = value()?.parse()?,
            "--seed" => a.seed = value()?.parse()?,
            "--shuffle" => a.shuffle = true,
            "--danish" => a.danish = true,
            "--respondent-rows" => a.respondent_rows = value()?.parse()?,
            _ => bail!(
                "usage: gen --out DIR [--ledger-rows N] [--respondent-rows N] [--seed S] [--shuffle] [--danish]"
            ),
        }
    }
    if a.out.as_os_str().is_empty() {
        bail!("--out DIR is required");
    }
    Ok(a)
}

const START: (i32, u32, u32) = (2015, 1, 1);
const YEARS: u64 = 10;
const UNITS: [&str; 12] = [
    "Center for Dagtilbud",
    "Center for Skole",
    "Center for Sundhed",
    "Center for Ældre",
    "Center for Teknik",
    "Borgerservice",
    "Digitalisering og IT",
    "Økonomi",
    "HR",
    "Kultur og Fritid",
    "Jobcenter",
    "Socialområdet",
];
const NOTES: [&str; 8] = [
    "Rate",
    "Faktura",
    "Konsulent",
    "Licens",
    "Workshop",
    "Kursus",
    "Indkøb af udstyr",
    "",
];
/// Money budgets (id, total in kroner) and hours budgets (id, fte).
const MONEY: [(&str, u64); 8] = [
    ("pulje", 2_000_000_000),
    ("platform", 1_500_000_000),
    ("velfaerd", 1_200_000_000),
    ("data", 900_000_000),
    ("skole", 800_000_000),
    ("sikkerhed", 700_000_000),
    ("kompetencer", 400_000_000),
    ("drift", 3_000_000_000),
];
const HOURS: [(&str, &str); 2] = [("facilitering", "250"), ("projektledelse", "400")];

fn main() -> Result<()> {
    let a = args()?;
    std::fs::create_dir_all(a.out.join("initiatives"))
        .with_context(|| format!("cannot create {}", a.out.display()))?;
    let start = NaiveDate::from_ymd_opt(START.0, START.1, START.2).context("start date")?;
    let end = NaiveDate::from_ymd_opt(START.0 + YEARS as i32 - 1, 12, 31).context("end date")?;
    write_plan(&a, start, end)?;
    write_initiatives(&a, start)?;
    write_ledger(&a, start, end)?;
    if a.respondent_rows > 0 {
        write_respondents(&a)?;
    }
    Ok(())
}

/// Indicators of the generated survey (all on a 1-10 scale).
const INDICATORS: [&str; 4] = ["trivsel", "ledelse", "udvikling", "samarbejde"];

fn write_plan(a: &Args, start: NaiveDate, end: NaiveDate) -> Result<()> {
    let mut s = String::new();
    writeln!(
        s,
        "format = 1\nid = \"generated\"\ntitle = \"Genereret plan\"\norganisation = \"Testby Kommune\"\n\
         period = {{ start = {start}, end = {end} }}\n"
    )?;
    writeln!(s, "[[focus_area]]\nid = \"F1\"\ntitle = \"Alt\"\n")?;
    for (i, (id, kroner)) in MONEY.iter().enumerate() {
        writeln!(
            s,
            "[[budget]]\nid = \"{id}\"\ntitle = \"Budget {id}\"\ninitiative = \"I{}\"\nkind = \"money\"\namount = {kroner}\n",
            i % 4 + 1
        )?;
    }
    for (id, fte) in HOURS {
        writeln!(
            s,
            "[[budget]]\nid = \"{id}\"\ntitle = \"Timer {id}\"\nkind = \"hours\"\nfte = {fte}\n"
        )?;
    }
    if a.respondent_rows > 0 {
        for id in INDICATORS {
            writeln!(
                s,
                "[[indicator]]\nid = \"{id}\"\ntitle = \"Indikator {id}\"\nscale = {{ min = 1, max = 10 }}\n\
                 precision = 2\nbaseline = {{ wave = \"2016\" }}\ntarget = [ {{ wave = \"2024\", delta = 0.5 }} ]\n"
            )?;
        }
        writeln!(
            s,
            "[[survey]]\nwave = \"2016\"\ndate = 2016-11-15\nfile = \"surveys/respondenter.csv\"\n"
        )?;
    }
    std::fs::write(a.out.join("plan.toml"), s).context("cannot write plan.toml")
}

/// The long respondent file: each respondent in one unit answers every indicator in turn.
fn write_respondents(a: &Args) -> Result<()> {
    let mut rng = Rng(a.seed ^ 0x5EED);
    std::fs::create_dir_all(a.out.join("surveys")).context("cannot create surveys/")?;
    let file = std::fs::File::create(a.out.join("surveys/respondenter.csv"))
        .context("cannot write surveys/respondenter.csv")?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    out.write_all(b"respondent,unit,indicator,score\n")?;
    let mut line = String::new();
    let mut respondent = 0u64;
    let mut unit = UNITS[0];
    for i in 0..a.respondent_rows {
        let q = (i % INDICATORS.len() as u64) as usize;
        if q == 0 {
            respondent += 1;
            unit = UNITS[rng.below(UNITS.len() as u64) as usize];
        }
        let roll = rng.below(100);
        let score = 1 + rng.below(10);
        line.clear();
        write!(line, "{respondent},{unit},{},", INDICATORS[q])?;
        if roll < 3 {
            // No answer.
        } else if roll < 8 && score < 10 {
            write!(line, "{score}.5")?;
        } else {
            write!(line, "{score}")?;
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

fn write_initiatives(a: &Args, start: NaiveDate) -> Result<()> {
    for i in 1..=4 {
        let s = format!(
            "id = \"I{i}\"\nnumber = {i}\ntitle = \"Indsats {i}\"\nfocus_area = \"F1\"\nstart = {start}\n\
             summary = \"Genereret.\"\n\n[[milestone]]\nid = \"M1\"\ntitle = \"Første milepæl\"\ndue = 2016-06-30\ndone = 2016-06-01\n\n\
             [[update]]\ndate = 2016-06-01\nstatus = \"on-track\"\nnote = \"Genereret.\"\n"
        );
        std::fs::write(a.out.join(format!("initiatives/{i:02}.toml")), s)
            .context("cannot write an initiative")?;
    }
    Ok(())
}

/// An open grant: budget, ref number, øre left.
struct Grant {
    budget: usize,
    number: u64,
    left: u64,
}

fn write_ledger(a: &Args, start: NaiveDate, end: NaiveDate) -> Result<()> {
    let mut rng = Rng(a.seed);
    let days = (end - start).num_days() as u64 + 1;
    let mut open: Vec<Grant> = Vec::new();
    let mut next_ref = 0u64;
    let mut rows: Vec<String> = Vec::new();
    let file =
        std::fs::File::create(a.out.join("ledger.csv")).context("cannot write ledger.csv")?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let (sep, eol) = if a.danish { (';', "\r\n") } else { (',', "\n") };
    write!(
        out,
        "date{sep}budget{sep}kind{sep}amount{sep}unit{sep}ref{sep}note{eol}"
    )?;
    let mut line = String::new();
    for i in 0..a.ledger_rows {
        let date = start + Days::new(i * days / a.ledger_rows.max(1));
        let unit = UNITS[rng.below(UNITS.len() as u64) as usize];
        let note = NOTES[rng.below(NOTES.len() as u64) as usize];
        let roll = rng.below(100);
        // (budget id, kind, amount in hundredths, ref)
        let (budget, kind, amount, reference): (&str, &str, u64, Option<String>) = if roll < 10 {
            let b = rng.below(HOURS.len() as u64) as usize;
            (HOURS[b].0, "hours", 25 * (1 + rng.below(64)), None)
        } else if roll < 16 || open.is_empty() {
            let b = rng.below(MONEY.len() as u64) as usize;
            let amount = 100 * (10_000 + rng.below(490_000));
            next_ref += 1;
            open.push(Grant {
                budget: b,
                number: next_ref,
                left: amount,
            });
            (MONEY[b].0, "grant", amount, Some(reference(b, next_ref)))
        } else {
            // Spend from a recent open grant, never more than is left of it.
            let recent = open.len().saturating_sub(64);
            let g = recent + rng.below((open.len() - recent) as u64) as usize;
            let grant = &mut open[g];
            let (b, number) = (grant.budget, grant.number);
            if roll < 18 {
                let amount = (grant.left / 4).max(1);
                grant.left -= amount;
                (MONEY[b].0, "release", amount, Some(reference(b, number)))
            } else {
                let amount = (1 + rng.below(2_000_000)).min(grant.left);
                grant.left -= amount;
                if grant.left == 0 {
                    open.swap_remove(g);
                }
                let r = (rng.below(50) != 0).then(|| reference(b, number));
                (MONEY[b].0, "expense", amount, r)
            }
        };
        line.clear();
        if a.danish {
            write!(line, "{}", date.format("%d-%m-%Y"))?;
        } else {
            write!(line, "{date}")?;
        }
        let whole = amount / 100;
        let cents = amount % 100;
        let dec = if a.danish { ',' } else { '.' };
        let amount = if cents == 0 {
            whole.to_string()
        } else {
            format!("{whole}{dec}{cents:02}")
        };
        let note = if note.contains(sep) {
            format!("\"{note}\"")
        } else {
            note.to_string()
        };
        write!(
            line,
            "{sep}{budget}{sep}{kind}{sep}{amount}{sep}{unit}{sep}{}{sep}{note}{eol}",
            reference.unwrap_or_default()
        )?;
        if a.shuffle {
            rows.push(line.clone());
        } else {
            out.write_all(line.as_bytes())?;
        }
    }
    if a.shuffle {
        for i in (1..rows.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            rows.swap(i, j);
        }
        for row in &rows {
            out.write_all(row.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

fn reference(budget: usize, number: u64) -> String {
    format!("ANS-{budget}-{number:07}")
}
