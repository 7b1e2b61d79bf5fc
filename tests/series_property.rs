//! SPEC 12.2 and 12.4 on plans the project has never seen: random totals with two splits
//! (one of its parts a total of its own, some parts sinks), random measurements in random
//! waves, random effects of initiatives in random states. Every attempt checks, from the
//! binary's own exports:
//! - a total whose value comes from its parts equals the sum of a complete split, in
//!   `export series` (CSV and JSON) and in `export scores --by part`, and is blank when no
//!   split is complete;
//! - the planned change of a total is its own effects plus its parts' planned changes, and
//!   so for on-track, at-risk and cancelled (effects on one split only: two would count
//!   twice, W305).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use rust_decimal::Decimal;
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
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// A value with up to two decimals, negative now and then (a sink).
    fn value(&mut self) -> Decimal {
        let cents = i64::try_from(self.below(10_000_000)).unwrap_or(0);
        let sign = if self.chance(15) { -1 } else { 1 };
        Decimal::new(sign * cents, 2)
    }
}

const WAVES: [&str; 5] = ["1990", "2019", "2020", "2021", "2022"];
const STATUSES: [&str; 5] = ["on-track", "at-risk", "done", "cancelled", "paused"];

/// The tree: `total` = a1 + a2 + sub (split `a`), = b1 + b2 (split `b`); `sub` = s1 + s2
/// (split `x`).
const LEAVES_A: [&str; 4] = ["a1", "a2", "s1", "s2"];
const LEAVES_B: [&str; 2] = ["b1", "b2"];

fn plan_toml() -> String {
    let mut s = String::from(
        "format = 1\nid = \"p\"\ntitle = \"P\"\norganisation = \"O\"\n\
         period = { start = 2023-01-01, end = 2030-12-31 }\n",
    );
    let indicator = |s: &mut String, id: &str, parts: &str| {
        let _ = write!(
            s,
            "\n[[indicator]]\nid = \"{id}\"\ntitle = \"{id}\"\nsource = \"measurement\"\n\
             precision = 2\ndirection = \"decrease\"\ntarget = [ {{ wave = \"2030\", value = 0 }} ]\n{parts}"
        );
    };
    indicator(
        &mut s,
        "total",
        "parts.a = [\"a1\", \"a2\", \"sub\"]\nparts.b = [\"b1\", \"b2\"]\n",
    );
    indicator(&mut s, "sub", "parts.x = [\"s1\", \"s2\"]\n");
    for id in ["a1", "a2", "s1", "s2", "b1", "b2"] {
        indicator(&mut s, id, "");
    }
    s
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(["--plan", &dir.to_string_lossy(), "--as-of", "2024-06-30"])
        .args(args)
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C")
        .output()
        .expect("run plan");
    assert!(
        out.status.success(),
        "plan {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn dec(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

/// `export series --format json` as (indicator, wave) → (value, source).
fn series_json(dir: &Path) -> BTreeMap<(String, String), (Option<Decimal>, String)> {
    let json: Value =
        serde_json::from_str(&run(dir, &["--format", "json", "export", "series"])).expect("JSON");
    json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                (
                    r["indicator"].as_str().unwrap_or_default().to_string(),
                    r["wave"].as_str().unwrap_or_default().to_string(),
                ),
                (
                    dec(&r["value"]),
                    r["source"].as_str().unwrap_or_default().to_string(),
                ),
            )
        })
        .collect()
}

/// `export series` as CSV, the same map.
fn series_csv(dir: &Path) -> BTreeMap<(String, String), (Option<Decimal>, String)> {
    run(dir, &["export", "series"])
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (
                (cells[0].to_string(), cells[1].to_string()),
                (cells[3].parse().ok(), cells[5].to_string()),
            )
        })
        .collect()
}

#[test]
fn totals_are_the_sums_of_their_parts_and_effects_add_up() {
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    // Both cases must occur, or the checks below would prove little.
    let (mut summed, mut blank) = (0, 0);
    for attempt in 0..30 {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::write(root.join("plan.toml"), plan_toml()).expect("write plan");

        // Measurements: every leaf now and then; `sub` and `total` their own value rarely.
        let mut values: BTreeMap<(&str, &str), Decimal> = BTreeMap::new();
        let mut csv = String::from("indicator,wave,date,value,unit,note\n");
        for wave in WAVES {
            for id in LEAVES_A.iter().chain(&LEAVES_B) {
                if rng.chance(75) {
                    let v = rng.value();
                    values.insert((id, wave), v);
                    let _ = writeln!(csv, "{id},{wave},2023-01-01,{v},,");
                }
            }
        }
        std::fs::write(root.join("measurements.csv"), csv).expect("write measurements");

        // Effects on the total itself and on the leaves of split `a` only.
        std::fs::create_dir(root.join("initiatives")).expect("initiatives dir");
        let targets = ["total", "a1", "a2", "sub", "s1", "s2"];
        // indicator → (planned, on_track, at_risk, cancelled) of its own effects.
        let mut direct: BTreeMap<&str, [Decimal; 4]> = BTreeMap::new();
        for n in 0..6 {
            let status = STATUSES[usize::try_from(rng.below(5)).unwrap_or(0)];
            let mut text = format!(
                "id = \"i{n}\"\ntitle = \"I{n}\"\nstart = 2023-01-01\nsummary = \"S\"\n\n\
                 [[update]]\ndate = 2024-01-01\nstatus = \"{status}\"\n"
            );
            for _ in 0..=rng.below(3) {
                let id = targets[usize::try_from(rng.below(6)).unwrap_or(0)];
                // Reductions only: an increase would be W304, which is beside the point.
                let change = -rng.value().abs();
                let _ = write!(
                    text,
                    "\n[[effect]]\nindicator = \"{id}\"\nwave = \"2030\"\nchange = {change}\n"
                );
                let slot = direct.entry(id).or_default();
                match status {
                    "cancelled" => slot[3] += change,
                    "on-track" | "done" => {
                        slot[0] += change;
                        slot[1] += change;
                    }
                    _ => {
                        slot[0] += change;
                        slot[2] += change;
                    }
                }
            }
            std::fs::write(root.join(format!("initiatives/i{n}.toml")), text)
                .expect("write initiative");
        }

        // The sums, by an independent reading of SPEC 12.2.
        let leaf = |id: &str, wave: &str| values.get(&(id, wave)).copied();
        let sum = |ids: &[&str], get: &dyn Fn(&str) -> Option<Decimal>| -> Option<Decimal> {
            ids.iter().map(|id| get(id)).sum()
        };
        let json = series_json(root);
        let csv = series_csv(root);
        assert_eq!(json, csv, "attempt {attempt}: CSV and JSON differ");
        for wave in WAVES {
            let sub = sum(&["s1", "s2"], &|id| leaf(id, wave));
            let a = sum(&["a1", "a2"], &|id| leaf(id, wave))
                .zip(sub)
                .map(|(x, y)| x + y);
            let b = sum(&LEAVES_B, &|id| leaf(id, wave));
            // Splits in name order: `a` first.
            let expected = a.or(b);
            let key = ("total".to_string(), wave.to_string());
            let got = json.get(&key).and_then(|(v, _)| *v);
            assert_eq!(got, expected, "attempt {attempt}, wave {wave}: the total");
            if expected.is_some() {
                assert_eq!(json[&key].1, "parts", "attempt {attempt}, wave {wave}");
                summed += 1;
            } else {
                blank += 1;
            }
            let got_sub = json
                .get(&("sub".to_string(), wave.to_string()))
                .and_then(|(v, _)| *v);
            assert_eq!(
                got_sub, sub,
                "attempt {attempt}, wave {wave}: the nested total"
            );
        }

        // `export scores --by part`: each part's value is the part's own series value.
        let parts = run(root, &["export", "scores", "--by", "part"]);
        for line in parts.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            let (wave, part, value) = (cells[1], cells[3], cells[4].parse::<Decimal>().ok());
            let own = json
                .get(&(part.to_string(), wave.to_string()))
                .and_then(|(v, _)| *v);
            assert_eq!(value, own, "attempt {attempt}: --by part, {part} in {wave}");
        }

        // Effects add up across the parts of split `a`.
        let effects: Value =
            serde_json::from_str(&run(root, &["--format", "json", "export", "effects"]))
                .expect("JSON");
        let rows = effects["rows"].as_array().expect("rows");
        let row = |id: &str| rows.iter().find(|r| r["indicator"] == id);
        let figures = |id: &str| -> [Decimal; 4] {
            row(id).map_or([Decimal::ZERO; 4], |r| {
                ["planned", "on_track", "at_risk", "cancelled"]
                    .map(|k| dec(&r[k]).unwrap_or_default())
            })
        };
        let own = |id: &str| direct.get(id).copied().unwrap_or_default();
        let total = figures("total");
        let mut expected = own("total");
        for part in ["a1", "a2", "sub"] {
            for (e, p) in expected.iter_mut().zip(figures(part)) {
                *e += p;
            }
        }
        assert_eq!(total, expected, "attempt {attempt}: the total's effects");
        let mut sub_expected = own("sub");
        for part in ["s1", "s2"] {
            for (e, p) in sub_expected.iter_mut().zip(figures(part)) {
                *e += p;
            }
        }
        assert_eq!(
            figures("sub"),
            sub_expected,
            "attempt {attempt}: the nested total's effects"
        );
    }
    assert!(summed > 10 && blank > 10, "summed {summed}, blank {blank}");
}
