//! SPEC 3 on plans the project has never seen: random initiatives, milestones and updates,
//! judged at random dates by the binary and by an independent, literal reading of the rules
//! written here (day numbers instead of dates, no shared code), row by row.

use std::fmt::Write as _;
use std::process::Command;

use chrono::{Days, NaiveDate};
use serde_json::Value;

/// xorshift64*: deterministic, so a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const STATUSES: [&str; 6] = [
    "on-track",
    "at-risk",
    "delayed",
    "paused",
    "done",
    "cancelled",
];
const STALE_AFTER: i64 = 45;
/// The plan period ends on this day: as-of dates fall on both sides of it (SPEC 3.2: once
/// the period has ended, staleness counts to its end).
const PLAN_END: i64 = 700;

struct Milestone {
    due: i64,
    done: Option<i64>,
}

struct Initiative {
    start: i64,
    milestones: Vec<Milestone>,
    /// (day, status) in file order; days may repeat.
    updates: Vec<(i64, &'static str)>,
}

fn day(origin: NaiveDate, d: i64) -> NaiveDate {
    origin
        .checked_add_days(Days::new(u64::try_from(d).expect("non-negative day")))
        .expect("date in range")
}

/// The latest update on or before `d`; for equal days, the last one in the file.
fn latest(i: &Initiative, d: i64) -> Option<(i64, &'static str)> {
    let mut best: Option<(i64, &'static str)> = None;
    for &(day, status) in &i.updates {
        if day <= d && best.is_none_or(|(b, _)| day >= b) {
            best = Some((day, status));
        }
    }
    best
}

fn milestone_state(m: &Milestone, d: i64) -> &'static str {
    match m.done.filter(|&x| x <= d) {
        Some(x) if x <= m.due => "done",
        Some(_) => "done-late",
        None if m.due < d => "overdue",
        None => "open",
    }
}

fn status(i: &Initiative, d: i64) -> &'static str {
    let last = latest(i, d);
    if last.is_none() && i.start > d {
        return "planned";
    }
    if let Some((_, s @ ("done" | "cancelled" | "paused"))) = last {
        return s;
    }
    if i.milestones
        .iter()
        .any(|m| milestone_state(m, d) == "overdue")
    {
        return "delayed";
    }
    match last {
        Some((_, s)) => s,
        None => "active",
    }
}

fn stale(i: &Initiative, d: i64) -> bool {
    let s = status(i, d);
    i.start <= d
        && s != "done"
        && s != "cancelled"
        && d.min(PLAN_END) - latest(i, d).map_or(i.start, |(day, _)| day) > STALE_AFTER
}

fn random_initiative(rng: &mut Rng) -> Initiative {
    let start = rng.below(400) as i64;
    let milestones = (0..rng.below(4))
        .map(|_| {
            let due = start + rng.below(500) as i64;
            let done = (rng.below(2) == 0).then(|| start + rng.below(600) as i64);
            Milestone { due, done }
        })
        .collect();
    let updates = (0..rng.below(5))
        .map(|_| {
            let when = rng.below(800) as i64;
            (when, STATUSES[rng.below(6) as usize])
        })
        .collect();
    Initiative {
        start,
        milestones,
        updates,
    }
}

fn write_plan(dir: &std::path::Path, origin: NaiveDate, initiatives: &[Initiative]) {
    let end = day(origin, PLAN_END);
    std::fs::write(
        dir.join("plan.toml"),
        format!("format = 1\nid = \"p\"\ntitle = \"T\"\norganisation = \"O\"\nstale_after_days = {STALE_AFTER}\nperiod = {{ start = {origin}, end = {end} }}\n"),
    )
    .expect("plan.toml");
    std::fs::create_dir_all(dir.join("initiatives")).expect("mkdir");
    for (n, i) in initiatives.iter().enumerate() {
        let mut text = format!(
            "id = \"I{n}\"\nnumber = {n}\ntitle = \"t\"\nstart = {}\nsummary = \"s\"\n",
            day(origin, i.start)
        );
        for (k, m) in i.milestones.iter().enumerate() {
            write!(
                text,
                "[[milestone]]\nid = \"M{k}\"\ntitle = \"m\"\ndue = {}\n",
                day(origin, m.due)
            )
            .expect("fmt");
            if let Some(done) = m.done {
                writeln!(text, "done = {}", day(origin, done)).expect("fmt");
            }
        }
        for (when, s) in &i.updates {
            write!(
                text,
                "[[update]]\ndate = {}\nstatus = \"{s}\"\n",
                day(origin, *when)
            )
            .expect("fmt");
        }
        std::fs::write(dir.join(format!("initiatives/{n:03}.toml")), text).expect("write");
    }
}

fn export(dir: &std::path::Path, report: &str, as_of: NaiveDate) -> Vec<Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_plan"))
        .arg("--plan")
        .arg(dir)
        .args([
            "--as-of",
            &as_of.to_string(),
            "--format",
            "json",
            "export",
            report,
        ])
        .output()
        .expect("run plan");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: Value = serde_json::from_slice(&output.stdout).expect("json");
    doc["rows"].as_array().expect("rows").clone()
}

#[test]
fn status_and_milestones_follow_spec_3_on_random_plans() {
    let origin = NaiveDate::from_ymd_opt(2019, 12, 30).expect("date");
    for seed in 1..=12u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let initiatives: Vec<Initiative> = (0..25).map(|_| random_initiative(&mut rng)).collect();
        let dir = tempfile::tempdir().expect("tempdir");
        write_plan(dir.path(), origin, &initiatives);
        for _ in 0..4 {
            let d = rng.below(900) as i64;
            let as_of = day(origin, d);
            let rows = export(dir.path(), "status", as_of);
            assert_eq!(rows.len(), initiatives.len());
            for (n, (row, i)) in rows.iter().zip(&initiatives).enumerate() {
                let at = format!("seed {seed}, I{n}, as of {as_of}");
                assert_eq!(row["status"], status(i, d), "{at}");
                assert_eq!(row["stale"], stale(i, d), "{at}");
                let overdue = i
                    .milestones
                    .iter()
                    .filter(|m| milestone_state(m, d) == "overdue")
                    .count();
                assert_eq!(row["overdue"], overdue, "{at}");
                let last = latest(i, d).map(|(day_, _)| day(origin, day_).to_string());
                assert_eq!(
                    row["last_update"].as_str().map(str::to_string),
                    last,
                    "{at}"
                );
                let next_due = i
                    .milestones
                    .iter()
                    .filter(|m| matches!(milestone_state(m, d), "open" | "overdue"))
                    .map(|m| m.due)
                    .min()
                    .map(|due| day(origin, due).to_string());
                assert_eq!(
                    row["next_due"].as_str().map(str::to_string),
                    next_due,
                    "{at}"
                );
            }
            let states: Vec<&str> = initiatives
                .iter()
                .flat_map(|i| i.milestones.iter().map(|m| milestone_state(m, d)))
                .collect();
            let rows = export(dir.path(), "milestones", as_of);
            let exported: Vec<&str> = rows
                .iter()
                .map(|r| r["state"].as_str().expect("state"))
                .collect();
            assert_eq!(exported, states, "seed {seed}, as of {as_of}");
        }
    }
}
