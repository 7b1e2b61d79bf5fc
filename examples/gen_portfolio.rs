//! Generate a portfolio (SPEC 13) of many generated plans, for measuring what a portfolio
//! command costs against the same command on each plan in turn (docs/performance.md).
//!
//! ```text
//! cargo run --release --example gen_portfolio -- --out /tmp/portfolio --plans 100 \
//!     --initiatives 40 --ledger-rows 2000
//! ```
//!
//! Writes `portfolio.toml` (`members = ["planer/*"]`) and `planer/p001` … each a plan of
//! `examples/gen.rs` (its own seed, so the ledgers differ) with its own id and
//! `--initiatives` initiatives, each with two milestones and an update.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

#[path = "gen.rs"]
#[allow(dead_code)]
mod generator;

const USAGE: &str =
    "usage: gen_portfolio --out DIR [--plans N] [--initiatives N] [--ledger-rows N]";

fn main() -> Result<()> {
    let mut out = PathBuf::new();
    let mut plans = 100u64;
    let mut initiatives = 40u64;
    let mut ledger_rows = 2_000u64;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--out" => out = PathBuf::from(value()?),
            "--plans" => plans = value()?.parse()?,
            "--initiatives" => initiatives = value()?.parse()?,
            "--ledger-rows" => ledger_rows = value()?.parse()?,
            _ => bail!("{USAGE}"),
        }
    }
    if out.as_os_str().is_empty() {
        bail!("--out DIR is required\n{USAGE}");
    }
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    std::fs::write(
        out.join("portfolio.toml"),
        "format = 1\ntitle = \"Genererede planer\"\norganisation = \"Testby Kommune\"\nmembers = [\"planer/*\"]\n",
    )?;
    for p in 1..=plans {
        let dir = out.join(format!("planer/p{p:03}"));
        let mut a = generator::Args::new(dir.clone());
        a.ledger_rows = ledger_rows;
        a.seed = p;
        generator::generate(&a)?;
        // Its own id, so that the members can be told apart.
        let toml = std::fs::read_to_string(dir.join("plan.toml"))?;
        std::fs::write(
            dir.join("plan.toml"),
            toml.replacen("id = \"generated\"", &format!("id = \"p{p:03}\""), 1),
        )?;
        for entry in std::fs::read_dir(dir.join("initiatives"))? {
            std::fs::remove_file(entry?.path())?;
        }
        for i in 1..=initiatives {
            let status = ["on-track", "at-risk", "delayed", "on-track"][(i % 4) as usize];
            let text = format!(
                "id = \"I{i}\"\nnumber = {i}\ntitle = \"Indsats {i}\"\nfocus_area = \"F1\"\n\
                 owner = \"Center {}\"\nstart = 2015-01-01\nsummary = \"Genereret.\"\n\n\
                 [[milestone]]\nid = \"M1\"\ntitle = \"Første milepæl\"\ndue = 2016-06-30\ndone = 2016-06-01\n\n\
                 [[milestone]]\nid = \"M2\"\ntitle = \"Anden milepæl\"\ndue = 2023-06-30\n\n\
                 [[update]]\ndate = 2016-06-01\nstatus = \"{status}\"\nnote = \"Genereret.\"\n",
                i % 7
            );
            std::fs::write(dir.join(format!("initiatives/{i:02}.toml")), text)?;
        }
    }
    Ok(())
}
