//! Generate a git history of a plan, as a `git fast-import` stream, for the history benchmark
//! (`benches/history.sh`).
//!
//! ```text
//! cargo run --release --example gen_history -- --commits 1000 --seed 12 | git fast-import --quiet
//! ```
//!
//! One first-parent line on `refs/heads/main`: `--commits` commits spread evenly over three
//! years (2021-2023), by six authors. The plan (in `plan/`) has `--initiatives` initiatives of
//! three milestones each, five money budgets and a ledger. The first commit adds every file;
//! each later commit touches one to three files: it appends rows to the ledger (so that the
//! ledger reaches `--ledger-rows` rows in the last commit), appends an update to an initiative,
//! marks a milestone done, moves a milestone's due date, or changes a budget's amount in
//! plan.toml (`--shape mixed`, the default). `--shape appends`: each later commit changes one
//! or two initiative files (an update appended, sometimes a milestone's due moved or the
//! milestone done) and every fifth also appends 100 ledger rows. `--shape small`: each later
//! commit changes one initiative file (an update appended or its summary changed), and every
//! 200th also appends 20 ledger rows. Every commit is a valid plan as of its date. Everything
//! follows from `--seed`.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};

use anyhow::{Context, Result, bail};
use chrono::{Days, NaiveDate};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

/// What each commit after the first changes (`--shape`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One to three files: ledger rows appended (every other commit, up to `--ledger-rows`),
    /// an update, a milestone done or moved, a budget's amount.
    Mixed,
    /// One or two initiative files: an update appended, sometimes a milestone's due moved or
    /// the milestone marked done; every fifth commit also appends 100 ledger rows
    /// (`--ledger-rows` is not used).
    Appends,
    /// One initiative file: an update appended or its summary changed; every 200th commit
    /// also appends 20 ledger rows (`--ledger-rows` is not used).
    Small,
}

struct Args {
    commits: usize,
    initiatives: usize,
    ledger_rows: usize,
    seed: u64,
    shape: Shape,
}

fn args() -> Result<Args> {
    let mut args = Args {
        commits: 1000,
        initiatives: 50,
        ledger_rows: 20_000,
        seed: 12,
        shape: Shape::Mixed,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--commits" => args.commits = value.parse()?,
            "--initiatives" => args.initiatives = value.parse()?,
            "--ledger-rows" => args.ledger_rows = value.parse()?,
            "--seed" => args.seed = value.parse()?,
            "--shape" => {
                args.shape = match value.as_str() {
                    "mixed" => Shape::Mixed,
                    "appends" => Shape::Appends,
                    "small" => Shape::Small,
                    _ => bail!("unknown shape {value} (mixed, appends, small)"),
                }
            }
            _ => bail!(
                "unknown flag {flag} (--commits, --initiatives, --ledger-rows, --seed, --shape)"
            ),
        }
    }
    if args.commits < 2 || args.initiatives == 0 {
        bail!("--commits must be at least 2 and --initiatives at least 1");
    }
    Ok(args)
}

const AUTHORS: [(&str, &str); 6] = [
    ("Mette Lund", "mette.lund@fjordby.example"),
    ("Karin Holm", "karin.holm@fjordby.example"),
    ("Jonas Berg", "jonas.berg@fjordby.example"),
    ("Sofie Dahl", "sofie.dahl@fjordby.example"),
    ("Hanne Krogh", "hanne.krogh@fjordby.example"),
    ("Peter Lind", "peter.lind@fjordby.example"),
];
const BUDGETS: usize = 5;
const STATUSES: [&str; 3] = ["on-track", "at-risk", "delayed"];

struct Milestone {
    due: NaiveDate,
    done: Option<NaiveDate>,
}

struct Initiative {
    milestones: Vec<Milestone>,
    updates: Vec<(NaiveDate, &'static str, u64)>,
    /// How many times its summary was changed (`--shape small`).
    revision: u64,
}

impl Initiative {
    fn render(&self, n: usize) -> String {
        let revision = match self.revision {
            0 => String::new(),
            r => format!(", revideret {r} gange"),
        };
        let mut s = format!(
            "id = \"I{n}\"\nnumber = {n}\ntitle = \"Indsats {n}\"\nowner = \"Center {c}\"\nstart = 2021-01-01\nend = 2023-12-31\nsummary = \"Indsats nummer {n} i den genererede plan{revision}.\"\n",
            c = n % 7
        );
        for (m, milestone) in self.milestones.iter().enumerate() {
            let _ = write!(
                s,
                "\n[[milestone]]\nid = \"I{n}-M{m}\"\ntitle = \"Milepæl {m} for indsats {n}\"\ndue = {}\n",
                milestone.due
            );
            if let Some(done) = milestone.done {
                let _ = writeln!(s, "done = {done}");
            }
        }
        for (date, status, k) in &self.updates {
            let _ = write!(
                s,
                "\n[[update]]\ndate = {date}\nstatus = \"{status}\"\nnote = \"Status nr. {k}.\"\n"
            );
        }
        s
    }
}

fn plan_toml(amounts: &[u64]) -> String {
    let mut s = String::from(
        "format = 1\nid = \"genereret-historik\"\ntitle = \"Genereret plan med historik\"\norganisation = \"Testby Kommune\"\nperiod = { start = 2021-01-01, end = 2023-12-31 }\nstale_after_days = 365\n",
    );
    for (b, amount) in amounts.iter().enumerate() {
        let _ = write!(
            s,
            "\n[[budget]]\nid = \"b{b}\"\ntitle = \"Budget {b}\"\nkind = \"money\"\namount = {amount}\n"
        );
    }
    s
}

/// One `M` line with inline data.
fn file(out: &mut impl Write, path: &str, data: &[u8]) -> Result<()> {
    writeln!(out, "M 100644 inline {path}\ndata {}", data.len())?;
    out.write_all(data)?;
    writeln!(out)?;
    Ok(())
}

fn main() -> Result<()> {
    let args = args()?;
    let mut rng = Rng(args.seed);
    let start = NaiveDate::from_ymd_opt(2021, 1, 1).context("date")?;
    let days = 3 * 365;
    let day_of = |i: usize| start + Days::new((i * days / args.commits) as u64);

    let mut initiatives: Vec<Initiative> = (0..args.initiatives)
        .map(|_| Initiative {
            milestones: (0..3)
                .map(|m| Milestone {
                    due: start + Days::new(200 + m * 300 + rng.below(120)),
                    done: None,
                })
                .collect(),
            updates: Vec::new(),
            revision: 0,
        })
        .collect();
    let mut amounts = vec![50_000_000u64; BUDGETS];
    let mut ledger = String::from("date,budget,kind,amount,unit,ref,note\n");
    let mut rows = 0usize;

    // Which later commits append to the ledger: every other one, and the rows shared evenly.
    let ledger_commits: Vec<usize> = (1..args.commits).filter(|i| i % 2 == 1).collect();
    let per_commit = |k: usize| {
        let n = ledger_commits.len().max(1);
        (k + 1) * args.ledger_rows / n - k * args.ledger_rows / n
    };

    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut ledger_k = 0;
    for i in 0..args.commits {
        let day = day_of(i);
        let (name, email) = AUTHORS[rng.below(AUTHORS.len() as u64) as usize];
        let time = day
            .and_hms_opt(9, 0, 0)
            .context("time")?
            .and_utc()
            .timestamp();
        let mut changed: Vec<(String, Vec<u8>)> = Vec::new();
        let summary;
        if i == 0 {
            summary = "Planen vedtaget".to_string();
            changed.push(("plan/plan.toml".into(), plan_toml(&amounts).into_bytes()));
            changed.push(("plan/ledger.csv".into(), ledger.clone().into_bytes()));
            for (n, initiative) in initiatives.iter().enumerate() {
                changed.push((
                    format!("plan/initiatives/{:02}-indsats.toml", n + 1),
                    initiative.render(n + 1).into_bytes(),
                ));
            }
        } else if args.shape != Shape::Mixed {
            summary = shaped_commit(
                args.shape,
                i,
                day,
                &mut rng,
                &mut initiatives,
                (&mut ledger, &mut rows),
                &mut changed,
            );
        } else {
            let mut what = Vec::new();
            if ledger_commits.get(ledger_k) == Some(&i) {
                for _ in 0..per_commit(ledger_k) {
                    let b = rng.below(BUDGETS as u64);
                    let kind = if rng.below(3) == 0 {
                        "grant"
                    } else {
                        "expense"
                    };
                    let amount = 1000 + rng.below(20_000);
                    let row_day = (day - Days::new(rng.below(5))).max(start);
                    let _ = writeln!(
                        ledger,
                        "{row_day},b{b},{kind},{amount}.{:02},Center {},,Række {rows}",
                        rng.below(100),
                        rng.below(7)
                    );
                    rows += 1;
                }
                ledger_k += 1;
                changed.push(("plan/ledger.csv".into(), ledger.clone().into_bytes()));
                what.push("bogføring".to_string());
            }
            // Other files besides: one to three files in all.
            let others = if what.is_empty() {
                1 + rng.below(3)
            } else {
                rng.below(3)
            };
            for _ in 0..others {
                if rng.below(20) == 0 {
                    let b = rng.below(BUDGETS as u64) as usize;
                    amounts[b] += 1_000_000;
                    if changed.iter().all(|(p, _)| p != "plan/plan.toml") {
                        changed.push(("plan/plan.toml".into(), Vec::new()));
                    }
                    what.push(format!("budget b{b} hævet"));
                    continue;
                }
                let n = rng.below(args.initiatives as u64) as usize;
                let path = format!("plan/initiatives/{:02}-indsats.toml", n + 1);
                if changed.iter().any(|(p, _)| *p == path) {
                    continue;
                }
                let initiative = &mut initiatives[n];
                match rng.below(6) {
                    0 => {
                        let m = rng.below(3) as usize;
                        let milestone = &mut initiative.milestones[m];
                        if milestone.done.is_none() {
                            milestone.due = milestone.due + Days::new(30 + rng.below(60));
                            what.push(format!("I{}-M{m} flyttet", n + 1));
                        } else {
                            continue;
                        }
                    }
                    1 => {
                        let Some(m) = initiative.milestones.iter().position(|m| m.done.is_none())
                        else {
                            continue;
                        };
                        initiative.milestones[m].done = Some(day);
                        what.push(format!("I{}-M{m} nået", n + 1));
                    }
                    _ => {
                        if initiative.updates.last().is_some_and(|u| u.0 >= day) {
                            continue;
                        }
                        let status = STATUSES[rng.below(3) as usize];
                        let k = initiative.updates.len() as u64 + 1;
                        initiative.updates.push((day, status, k));
                        what.push(format!("I{}: {status}", n + 1));
                    }
                }
                changed.push((path, initiative_text(&initiatives[n], n)));
            }
            if changed.is_empty() {
                // Nothing else was possible: a status update on the first initiative.
                let initiative = &mut initiatives[0];
                let k = initiative.updates.len() as u64 + 1;
                if initiative.updates.last().is_none_or(|u| u.0 < day) {
                    initiative.updates.push((day, "on-track", k));
                }
                changed.push((
                    "plan/initiatives/01-indsats.toml".into(),
                    initiative_text(&initiatives[0], 0),
                ));
                what.push("I1: on-track".into());
            }
            summary = what.join("; ");
        }
        for (path, data) in &mut changed {
            if path == "plan/plan.toml" {
                *data = plan_toml(&amounts).into_bytes();
            }
        }
        let message = format!("{summary}\n");
        writeln!(out, "commit refs/heads/main\nmark :{}", i + 1)?;
        writeln!(out, "author {name} <{email}> {time} +0100")?;
        writeln!(out, "committer {name} <{email}> {time} +0100")?;
        writeln!(out, "data {}\n{message}", message.len())?;
        if i > 0 {
            writeln!(out, "from :{i}")?;
        }
        for (path, data) in &changed {
            file(&mut out, path, data)?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    eprintln!(
        "gen_history: {} commits, {} initiatives, {rows} ledger rows",
        args.commits, args.initiatives
    );
    Ok(())
}

fn initiative_text(initiative: &Initiative, n: usize) -> Vec<u8> {
    initiative.render(n + 1).into_bytes()
}

/// Append `count` ledger rows dated up to `day` (never before 2021-01-01).
fn append_rows(ledger: &mut String, rows: &mut usize, rng: &mut Rng, day: NaiveDate, count: usize) {
    let start = NaiveDate::from_ymd_opt(2021, 1, 1).expect("date");
    for _ in 0..count {
        let b = rng.below(BUDGETS as u64);
        let kind = if rng.below(3) == 0 {
            "grant"
        } else {
            "expense"
        };
        let amount = 1000 + rng.below(20_000);
        let row_day = (day - Days::new(rng.below(5))).max(start);
        let _ = writeln!(
            ledger,
            "{row_day},b{b},{kind},{amount}.{:02},Center {},,Række {rows}",
            rng.below(100),
            rng.below(7)
        );
        *rows += 1;
    }
}

/// One commit after the first of `--shape appends` or `small` (see [`Shape`]): the files it
/// changes go to `changed`; its summary is returned.
fn shaped_commit(
    shape: Shape,
    i: usize,
    day: NaiveDate,
    rng: &mut Rng,
    initiatives: &mut [Initiative],
    (ledger, rows): (&mut String, &mut usize),
    changed: &mut Vec<(String, Vec<u8>)>,
) -> String {
    let last_day = NaiveDate::from_ymd_opt(2023, 12, 31).expect("date");
    let mut what = Vec::new();
    let ledger_rows = match shape {
        Shape::Appends if i.is_multiple_of(5) => 100,
        Shape::Small if i.is_multiple_of(200) => 20,
        _ => 0,
    };
    if ledger_rows > 0 {
        append_rows(ledger, rows, rng, day, ledger_rows);
        changed.push(("plan/ledger.csv".into(), ledger.clone().into_bytes()));
        what.push("bogføring".to_string());
    }
    let files = match shape {
        Shape::Appends => 1 + rng.below(2) as usize,
        _ => 1,
    };
    for _ in 0..files {
        let n = rng.below(initiatives.len() as u64) as usize;
        let path = format!("plan/initiatives/{:02}-indsats.toml", n + 1);
        if changed.iter().any(|(p, _)| *p == path) {
            continue;
        }
        let initiative = &mut initiatives[n];
        let roll = rng.below(6);
        let mut done = false;
        if shape == Shape::Appends && roll == 0 {
            // Move an open milestone's due date, within the plan's period.
            let m = rng.below(3) as usize;
            let milestone = &mut initiative.milestones[m];
            let moved = milestone.due + Days::new(30 + rng.below(60));
            if milestone.done.is_none() && moved <= last_day {
                milestone.due = moved;
                what.push(format!("I{}-M{m} flyttet", n + 1));
                done = true;
            }
        } else if shape == Shape::Appends && roll == 1 {
            if let Some(m) = initiative.milestones.iter().position(|m| m.done.is_none()) {
                initiative.milestones[m].done = Some(day);
                what.push(format!("I{}-M{m} nået", n + 1));
                done = true;
            }
        } else if shape == Shape::Small && roll == 0 {
            initiative.revision += 1;
            what.push(format!("I{}: resumé revideret", n + 1));
            done = true;
        }
        if !done {
            if initiative.updates.last().is_some_and(|u| u.0 >= day) {
                // One update a day: the summary changes instead.
                initiative.revision += 1;
                what.push(format!("I{}: resumé revideret", n + 1));
            } else {
                let status = STATUSES[rng.below(3) as usize];
                let k = initiative.updates.len() as u64 + 1;
                initiative.updates.push((day, status, k));
                what.push(format!("I{}: {status}", n + 1));
            }
        }
        changed.push((path, initiative_text(&initiatives[n], n)));
    }
    what.join("; ")
}
