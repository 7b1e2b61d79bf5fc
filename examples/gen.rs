//! Generate a plan folder of any size in the formats of SPEC 1, for benchmarks and tests.
//!
//! ```text
//! cargo run --release --example gen -- --out /tmp/big --ledger-rows 1000000 --seed 7
//! cargo run --release --example gen -- --out /tmp/big --shape independent --danish \
//!     --respondent-rows 10000000 --respondent-files 3
//! ```
//!
//! Writes `plan.toml` (money and hours budgets over ten years), a few `initiatives/*.toml`
//! and `ledger.csv`; with `--respondent-rows N` also four indicators and long respondent files
//! (`respondent,unit,indicator,score`) of N rows in all, one `[[survey]]` wave per file
//! (`--respondent-files F`, default 1: `surveys/respondenter.csv`; more:
//! `surveys/respondenter-1.csv` …): each respondent answers the four questions in a row, on a
//! 1-10 scale, a few answers blank or with a half point.
//!
//! The ledger's shape (`--shape`):
//! - `ours` (the default, the benchmark's first shape): eight money and two hours budgets;
//!   a grant every ~16 rows with its own ref, expenses from the 64 most recent open grants,
//!   a ref on 49 of 50 expenses, notes from a list of eight.
//! - `independent`: the shape of the independently generated plan of issue 11: ten money
//!   budgets, one grant per ~28 rows (~36 000 in a million), each with its own ref in the form
//!   `ANS-2013-00083`, a release per ten grants, ~86 % expenses that name their grant's ref
//!   (any open grant, old or new), 10 % `hours` rows on one hours budget, and notes that are
//!   mostly unique (an invoice number and a supplier; one in fifty holds a comma, so quoted).
//! - `few-refs`: `ours`, but every budget has only three refs, each shared by many grants.
//! - `grants`: the held-out ledger of issue 19: eight money budgets of about 112 000 rows
//!   each and one hours budget of 100 000 rows (in a million; the counts scale with
//!   `--ledger-rows`), dated over three years (1 095 days); a grant per ~25 money rows
//!   (~36 000), each with its own ref (`ANS-2017-00083`) and its own note, and 11-39
//!   expenses that name the ref and repeat the note, spread over the ~3 months the grant is
//!   open and interleaved with the other ~3 000 open grants' rows, as in a journal.
//! - `grants-excel`: `grants` with a comma in every note (`Projekt 00001, Atea`), so every
//!   note is quoted, as Excel writes any text that holds the delimiter.
//!
//! `--danish` writes the ledger as Danish Excel saves it: `;`, decimal comma with `.`
//! thousands (`45.000,50`), `DD-MM-YYYY`, CRLF, in Windows-1252 (the units hold æ, ø and å).
//! The ledger is a journal: entries in date order, as a finance system appends them
//! (`--shuffle` writes them in random order instead, to exercise the path for unsorted
//! ledgers). Expenses spend from an open grant of the same budget and never more than is left
//! of it, so a generated plan checks clean. Everything follows from `--seed`.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Days, NaiveDate};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

/// The ledger's shape (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Ours,
    Independent,
    FewRefs,
    Grants,
    GrantsExcel,
}

impl Shape {
    fn is_grants(self) -> bool {
        matches!(self, Shape::Grants | Shape::GrantsExcel)
    }
}

/// What to generate.
pub struct Args {
    pub out: PathBuf,
    pub ledger_rows: u64,
    pub seed: u64,
    pub shuffle: bool,
    pub danish: bool,
    pub shape: Shape,
    pub respondent_rows: u64,
    pub respondent_files: u64,
}

impl Args {
    /// The defaults: 10 000 rows of `ours`, seed 1, no respondents.
    pub fn new(out: PathBuf) -> Args {
        Args {
            out,
            ledger_rows: 10_000,
            seed: 1,
            shuffle: false,
            danish: false,
            shape: Shape::Ours,
            respondent_rows: 0,
            respondent_files: 1,
        }
    }
}

const USAGE: &str = "usage: gen --out DIR [--ledger-rows N] [--shape ours|independent|few-refs|grants|grants-excel] [--danish] \
    [--respondent-rows N] [--respondent-files F] [--seed S] [--shuffle]";

fn args() -> Result<Args> {
    let mut a = Args::new(PathBuf::new());
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--out" => a.out = PathBuf::from(value()?),
            "--ledger-rows" => a.ledger_rows = value()?.parse()?,
            "--seed" => a.seed = value()?.parse()?,
            "--shuffle" => a.shuffle = true,
            "--danish" => a.danish = true,
            "--shape" => {
                a.shape = match value()?.as_str() {
                    "ours" => Shape::Ours,
                    "independent" => Shape::Independent,
                    "few-refs" => Shape::FewRefs,
                    "grants" => Shape::Grants,
                    "grants-excel" => Shape::GrantsExcel,
                    other => bail!("unknown shape `{other}`\n{USAGE}"),
                }
            }
            "--respondent-rows" => a.respondent_rows = value()?.parse()?,
            "--respondent-files" => a.respondent_files = value()?.parse::<u64>()?.max(1),
            _ => bail!("{USAGE}"),
        }
    }
    if a.out.as_os_str().is_empty() {
        bail!("--out DIR is required");
    }
    Ok(a)
}

#[allow(dead_code)] // not called when a test includes this file as a module
fn main() -> Result<()> {
    generate(&args()?)
}

/// Write the plan folder `a` describes.
pub fn generate(a: &Args) -> Result<()> {
    std::fs::create_dir_all(a.out.join("initiatives"))
        .with_context(|| format!("cannot create {}", a.out.display()))?;
    let start = NaiveDate::from_ymd_opt(START.0, START.1, START.2).context("start date")?;
    let end = NaiveDate::from_ymd_opt(START.0 + YEARS as i32 - 1, 12, 31).context("end date")?;
    write_plan(a, start, end)?;
    write_initiatives(a, start)?;
    write_ledger(a, start, end)?;
    if a.respondent_rows > 0 {
        write_respondents(a)?;
    }
    Ok(())
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
const SUPPLIERS: [&str; 6] = [
    "Netcompany",
    "KMD",
    "Rambøll",
    "Atea",
    "Deloitte",
    "Københavns Erhvervsakademi",
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
/// The two further money budgets of the independent shape (ten in all).
const MORE_MONEY: [(&str, u64); 2] = [("klima", 1_000_000_000), ("bolig", 1_000_000_000)];
const HOURS: [(&str, &str); 2] = [("facilitering", "250"), ("projektledelse", "400")];

/// Indicators of the generated survey (all on a 1-10 scale).
const INDICATORS: [&str; 4] = ["trivsel", "ledelse", "udvikling", "samarbejde"];

/// The money budgets of a shape.
fn money(shape: Shape) -> Vec<(&'static str, u64)> {
    let mut m = MONEY.to_vec();
    if shape.is_grants() {
        // ~4 500 grants of up to 500 000 kr each per budget.
        for b in &mut m {
            b.1 = b.1.max(3_000_000_000);
        }
    }
    if shape == Shape::Independent {
        m.extend(MORE_MONEY);
        // ~3 600 grants of up to 500 000 kr each per budget.
        for b in &mut m {
            b.1 = b.1.max(2_000_000_000);
        }
    }
    m
}

/// The hours budgets of a shape: one for the independent shape.
fn hours(shape: Shape) -> &'static [(&'static str, &'static str)] {
    if shape == Shape::Independent || shape.is_grants() {
        &HOURS[..1]
    } else {
        &HOURS
    }
}

/// The respondent files: (wave, path).
fn respondent_files(a: &Args) -> Vec<(String, String)> {
    (0..a.respondent_files)
        .map(|i| {
            let wave = (2016 + 2 * i).to_string();
            let path = if a.respondent_files == 1 {
                "surveys/respondenter.csv".to_string()
            } else {
                format!("surveys/respondenter-{}.csv", i + 1)
            };
            (wave, path)
        })
        .collect()
}

fn write_plan(a: &Args, start: NaiveDate, end: NaiveDate) -> Result<()> {
    let mut s = String::new();
    writeln!(
        s,
        "format = 1\nid = \"generated\"\ntitle = \"Genereret plan\"\norganisation = \"Testby Kommune\"\n\
         period = {{ start = {start}, end = {end} }}\n"
    )?;
    writeln!(s, "[[focus_area]]\nid = \"F1\"\ntitle = \"Alt\"\n")?;
    for (i, (id, kroner)) in money(a.shape).iter().enumerate() {
        writeln!(
            s,
            "[[budget]]\nid = \"{id}\"\ntitle = \"Budget {id}\"\ninitiative = \"I{}\"\nkind = \"money\"\namount = {kroner}\n",
            i % 4 + 1
        )?;
    }
    for (id, fte) in hours(a.shape) {
        writeln!(
            s,
            "[[budget]]\nid = \"{id}\"\ntitle = \"Timer {id}\"\nkind = \"hours\"\nfte = {fte}\n"
        )?;
    }
    if a.respondent_rows > 0 {
        // The first wave is the baseline; every later one a target (so every file is read),
        // or 2024 when there is one file.
        let waves: Vec<String> = respondent_files(a).into_iter().map(|(w, _)| w).collect();
        let targets: Vec<String> = match waves.get(1..) {
            Some(later) if !later.is_empty() => later
                .iter()
                .enumerate()
                .map(|(i, w)| format!("{{ wave = \"{w}\", delta = 0.{} }}", i + 1))
                .collect(),
            _ => vec!["{ wave = \"2024\", delta = 0.5 }".to_string()],
        };
        for id in INDICATORS {
            writeln!(
                s,
                "[[indicator]]\nid = \"{id}\"\ntitle = \"Indikator {id}\"\nscale = {{ min = 1, max = 10 }}\n\
                 precision = 2\nbaseline = {{ wave = \"2016\" }}\ntarget = [ {} ]\n",
                targets.join(", ")
            )?;
        }
        for (wave, file) in respondent_files(a) {
            writeln!(
                s,
                "[[survey]]\nwave = \"{wave}\"\ndate = {wave}-11-15\nfile = \"{file}\"\n"
            )?;
        }
    }
    std::fs::write(a.out.join("plan.toml"), s).context("cannot write plan.toml")
}

/// The long respondent files: each respondent in one unit answers every indicator in turn.
fn write_respondents(a: &Args) -> Result<()> {
    let mut rng = Rng(a.seed ^ 0x5EED);
    std::fs::create_dir_all(a.out.join("surveys")).context("cannot create surveys/")?;
    let files = respondent_files(a);
    let per_file = a.respondent_rows.div_ceil(files.len() as u64);
    let mut line = String::new();
    let mut respondent = 0u64;
    let mut unit = UNITS[0];
    for (f, (_, path)) in files.iter().enumerate() {
        let file = std::fs::File::create(a.out.join(path))
            .with_context(|| format!("cannot write {path}"))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        out.write_all(b"respondent,unit,indicator,score\n")?;
        let rows = per_file.min(a.respondent_rows - per_file * f as u64);
        for i in 0..rows {
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
    }
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

/// An open grant: budget, ref, øre left.
struct Grant {
    budget: usize,
    reference: String,
    left: u64,
}

/// One ledger row before it is written.
struct Row {
    budget: &'static str,
    kind: &'static str,
    /// In hundredths.
    amount: u64,
    reference: Option<String>,
    note: String,
}

fn write_ledger(a: &Args, start: NaiveDate, end: NaiveDate) -> Result<()> {
    let mut rng = Rng(a.seed);
    let (start, days) = if a.shape.is_grants() {
        // Three years, 1 095 days.
        let first = NaiveDate::from_ymd_opt(2017, 1, 1).context("start date")?;
        (first, 1_095)
    } else {
        (start, (end - start).num_days() as u64 + 1)
    };
    let money = money(a.shape);
    let mut grants = GrantsShape::new(a.ledger_rows, a.shape == Shape::GrantsExcel);
    let mut book = Book {
        open: Vec::new(),
        next_ref: 0,
        per_year: 0,
        year: 0,
    };
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
    let mut encoded = Vec::new();
    for i in 0..a.ledger_rows {
        let date = start + Days::new(i * days / a.ledger_rows.max(1));
        let unit = UNITS[rng.below(UNITS.len() as u64) as usize];
        let row = match a.shape {
            Shape::Ours | Shape::FewRefs => ours_row(a.shape, &money, &mut rng, &mut book),
            Shape::Independent => independent_row(&money, &mut rng, &mut book, date.year()),
            Shape::Grants | Shape::GrantsExcel => grants.row(&money, &mut rng, date.year()),
        };
        line.clear();
        if a.danish {
            write!(line, "{}", date.format("%d-%m-%Y"))?;
        } else {
            write!(line, "{date}")?;
        }
        let amount = format_amount(row.amount, a.danish);
        let note = if row.note.contains(sep) {
            format!("\"{}\"", row.note)
        } else {
            row.note
        };
        write!(
            line,
            "{sep}{}{sep}{}{sep}{amount}{sep}{unit}{sep}{}{sep}{note}{eol}",
            row.budget,
            row.kind,
            row.reference.unwrap_or_default()
        )?;
        let bytes = if a.danish {
            // Windows-1252, as Excel saves a Danish CSV (every character here has a byte).
            encoded.clear();
            let (cow, _, _) = encoding_rs::WINDOWS_1252.encode(&line);
            encoded.extend_from_slice(&cow);
            &encoded[..]
        } else {
            line.as_bytes()
        };
        if a.shuffle {
            rows.push(String::from_utf8_lossy(bytes).into_owned());
        } else {
            out.write_all(bytes)?;
        }
    }
    if a.shuffle {
        if a.danish {
            bail!("--shuffle and --danish together are not supported");
        }
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

/// `123456789` hundredths → `1234567.89`, or Danish `1.234.567,89`.
fn format_amount(amount: u64, danish: bool) -> String {
    let (whole, cents) = (amount / 100, amount % 100);
    let mut s = whole.to_string();
    if danish {
        let digits = s.clone();
        s.clear();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                s.push('.');
            }
            s.push(c);
        }
    }
    if cents != 0 {
        let dec = if danish { ',' } else { '.' };
        write!(s, "{dec}{cents:02}").ok();
    }
    s
}

/// The open grants, and how refs are numbered.
struct Book {
    open: Vec<Grant>,
    next_ref: u64,
    /// Refs given in `year` (the independent shape numbers them per year).
    per_year: u64,
    year: i32,
}

/// A row of `ours` (or `few-refs`): the benchmark's first shape, unchanged since issue 6.
fn ours_row(shape: Shape, money: &[(&'static str, u64)], rng: &mut Rng, book: &mut Book) -> Row {
    let note = NOTES[rng.below(NOTES.len() as u64) as usize].to_string();
    let roll = rng.below(100);
    let reference = |budget: usize, number: u64| {
        let number = if shape == Shape::FewRefs {
            number % 3
        } else {
            number
        };
        format!("ANS-{budget}-{number:07}")
    };
    if roll < 10 {
        let b = rng.below(HOURS.len() as u64) as usize;
        let amount = 25 * (1 + rng.below(64));
        return Row {
            budget: HOURS[b].0,
            kind: "hours",
            amount,
            reference: None,
            note,
        };
    }
    if roll < 16 || book.open.is_empty() {
        let b = rng.below(money.len() as u64) as usize;
        let amount = 100 * (10_000 + rng.below(490_000));
        book.next_ref += 1;
        let r = reference(b, book.next_ref);
        book.open.push(Grant {
            budget: b,
            reference: r.clone(),
            left: amount,
        });
        return Row {
            budget: money[b].0,
            kind: "grant",
            amount,
            reference: Some(r),
            note,
        };
    }
    // Spend from a recent open grant, never more than is left of it. (With few refs many
    // grants share one ref: what is left of the ref is at least what is left of the grant.)
    let recent = book.open.len().saturating_sub(64);
    let g = recent + rng.below((book.open.len() - recent) as u64) as usize;
    // A ref on 49 of 50 expenses.
    spend(
        money,
        rng,
        book,
        g,
        roll < 18,
        |rng| rng.below(50) != 0,
        note,
    )
}

/// An open grant of the `grants` shape.
struct OpenGrant {
    budget: usize,
    reference: String,
    note: String,
    /// Expenses still to come, and the øre each may take at most.
    expenses: u64,
    each: u64,
}

/// The state of the `grants` shape: its open grants, how many may be open at once, and how
/// refs are numbered (per year).
struct GrantsShape {
    open: Vec<OpenGrant>,
    window: usize,
    per_year: u64,
    year: i32,
    grants: u64,
    /// A comma in every note (`grants-excel`).
    comma: bool,
}

impl GrantsShape {
    fn new(rows: u64, comma: bool) -> Self {
        GrantsShape {
            comma,
            open: Vec::new(),
            // A grant's expenses spread over ~1/12 of the ledger (three months of three years).
            window: (rows / 300).max(1) as usize,
            per_year: 0,
            year: 0,
            grants: 0,
        }
    }

    /// The next row: one in ten on the hours budget; else a new grant while fewer than
    /// `window` are open, or an expense of a random open grant (closed after its last).
    fn row(&mut self, money: &[(&'static str, u64)], rng: &mut Rng, year: i32) -> Row {
        if rng.below(10) == 0 {
            return Row {
                budget: HOURS[0].0,
                kind: "hours",
                amount: 25 * (1 + rng.below(64)),
                reference: None,
                note: String::new(),
            };
        }
        if self.open.len() < self.window {
            if self.year != year {
                self.year = year;
                self.per_year = 0;
            }
            self.per_year += 1;
            self.grants += 1;
            let budget = (self.grants % money.len() as u64) as usize;
            let amount = 100 * (10_000 + rng.below(490_000));
            let expenses = 11 + rng.below(29);
            let reference = format!("ANS-{year}-{:05}", self.per_year);
            let supplier = SUPPLIERS[rng.below(SUPPLIERS.len() as u64) as usize];
            let comma = if self.comma { "," } else { "" };
            let note = format!("Projekt {:05}{comma} {supplier}", self.grants);
            self.open.push(OpenGrant {
                budget,
                reference: reference.clone(),
                note: note.clone(),
                expenses,
                each: amount / expenses,
            });
            return Row {
                budget: money[budget].0,
                kind: "grant",
                amount,
                reference: Some(reference),
                note,
            };
        }
        let g = rng.below(self.open.len() as u64) as usize;
        let grant = &mut self.open[g];
        // Between half and all of its share: never more than is left.
        let amount = (grant.each / 2 + rng.below(grant.each / 2 + 1)).max(1);
        grant.expenses -= 1;
        let row = Row {
            budget: money[grant.budget].0,
            kind: "expense",
            amount,
            reference: Some(grant.reference.clone()),
            note: grant.note.clone(),
        };
        if grant.expenses == 0 {
            self.open.swap_remove(g);
        }
        row
    }
}

/// A row of the independent shape.
fn independent_row(
    money: &[(&'static str, u64)],
    rng: &mut Rng,
    book: &mut Book,
    year: i32,
) -> Row {
    let roll = rng.below(10_000);
    // Notes: mostly an invoice number and a supplier (unique), some from the list, some blank;
    // one in fifty holds a comma (quoted in a `,` file).
    let note_roll = rng.below(100);
    let supplier = SUPPLIERS[rng.below(SUPPLIERS.len() as u64) as usize];
    let invoice = rng.below(10_000_000);
    let note = if note_roll < 2 {
        format!("Faktura {invoice:07}, {supplier}")
    } else if note_roll < 70 {
        format!("Faktura {invoice:07} {supplier}")
    } else if note_roll < 85 {
        NOTES[rng.below(NOTES.len() as u64) as usize].to_string()
    } else {
        String::new()
    };
    if roll < 1_000 {
        let amount = 25 * (1 + rng.below(64));
        return Row {
            budget: HOURS[0].0,
            kind: "hours",
            amount,
            reference: None,
            note,
        };
    }
    if roll < 1_360 || book.open.is_empty() {
        let b = rng.below(money.len() as u64) as usize;
        let amount = 100 * (10_000 + rng.below(490_000));
        if book.year != year {
            book.year = year;
            book.per_year = 0;
        }
        book.per_year += 1;
        let r = format!("ANS-{year}-{:05}", book.per_year);
        book.open.push(Grant {
            budget: b,
            reference: r.clone(),
            left: amount,
        });
        return Row {
            budget: money[b].0,
            kind: "grant",
            amount,
            reference: Some(r),
            note,
        };
    }
    // Any open grant, however old: refs are looked up all over the book.
    let g = rng.below(book.open.len() as u64) as usize;
    spend(money, rng, book, g, roll < 1_396, |_| true, note)
}

/// A row that spends from open grant `g`: a release of a quarter of what is left, or an
/// expense of at most what is left (the grant is closed when nothing is); `named` says
/// whether the expense names the grant's ref (it may draw from `rng`).
fn spend(
    money: &[(&'static str, u64)],
    rng: &mut Rng,
    book: &mut Book,
    g: usize,
    release: bool,
    named: fn(&mut Rng) -> bool,
    note: String,
) -> Row {
    let grant = &mut book.open[g];
    let budget = money[grant.budget].0;
    if release {
        let amount = (grant.left / 4).max(1);
        grant.left -= amount;
        return Row {
            budget,
            kind: "release",
            amount,
            reference: Some(grant.reference.clone()),
            note,
        };
    }
    let amount = (1 + rng.below(2_000_000)).min(grant.left);
    grant.left -= amount;
    let reference = named(rng).then(|| grant.reference.clone());
    if grant.left == 0 {
        book.open.swap_remove(g);
    }
    Row {
        budget,
        kind: "expense",
        amount,
        reference,
        note,
    }
}
