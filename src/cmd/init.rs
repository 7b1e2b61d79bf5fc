//! `plan init [DIR] --title T --organisation O --start D --end D`: a new plan folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::cli::InitArgs;
use crate::model::Date;
use crate::write::{self, Change, prompt, slug, toml};
use crate::{Context, Outcome};

const USAGE: &str =
    "plan init [DIR] --title TITLE --organisation ORG --start YYYY-MM-DD --end YYYY-MM-DD";

/// Run `plan init`.
pub fn run(ctx: &Context, args: &InitArgs, out: &mut dyn Write) -> Result<Outcome> {
    let dir: PathBuf = args.dir.clone().unwrap_or_else(|| ctx.plan_dir.clone());
    let shown = crate::source::display_path(&dir);
    if dir.exists() {
        let empty = dir.is_dir() && std::fs::read_dir(&dir)?.next().is_none();
        if !empty {
            bail!(
                "`{shown}` exists and is not empty: plan init starts a new plan in a new or empty folder"
            );
        }
    }
    let title = prompt::required(args.title.as_deref(), "Title (--title)", USAGE)?;
    let organisation = prompt::required(
        args.organisation.as_deref(),
        "Organisation (--organisation)",
        USAGE,
    )?;
    let start = prompt::date(args.start, "Start of the plan period (--start)", USAGE)?;
    let end = prompt::date(args.end, "End of the plan period (--end)", USAGE)?;

    let mut change = Change {
        dirs: vec![PathBuf::from("initiatives"), PathBuf::from("surveys")],
        new_folder: true,
        ..Change::default()
    };
    let plan = plan_toml(&title, &organisation, start, end);
    change.edit("plan.toml", None, plan.into_bytes());
    change.edit("ledger.csv", None, write::csv::ledger_header().into_bytes());
    // Git keeps no empty folders: a placeholder keeps them in a fresh clone.
    change.edit(Path::new("initiatives").join(".gitkeep"), None, Vec::new());
    change.edit(Path::new("surveys").join(".gitkeep"), None, Vec::new());
    change.edit(".gitignore", None, GITIGNORE.as_bytes().to_vec());
    let ctx = Context {
        plan_dir: dir,
        ..ctx.clone()
    };
    write::finish(&ctx, &change, args.dry.dry_run, out)
}

/// The new plan folder's `.gitignore`: the write commands' lock file, which only a killed
/// command leaves behind, is never part of the plan.
const GITIGNORE: &str = "# Left only by a plan command that was killed while writing; never part of the plan.\n/.plan.lock\n";

fn plan_toml(title: &str, organisation: &str, start: Date, end: Date) -> String {
    let s = |v: &str| toml::repr(&toml::string(v));
    let d = |v: Date| toml::repr(&toml::date(v));
    format!(
        r#"#:schema ../schema/plan.schema.json
# The plan, as code. `plan check` validates this folder, `plan status` shows where the plan
# stands. Initiatives live in initiatives/ (one file each: `plan new initiative`), the budget
# ledger in ledger.csv (`plan ledger add`), survey results in surveys/ (`plan survey add`).
#
# The #:schema line above lets an editor (taplo, Even Better TOML) check this file as you type:
# write the schema beside this folder with `plan schema plan > schema/plan.schema.json`.

format = 1
id = {id}
title = {title}
organisation = {organisation}
# adopted_by = "Byrådet"
# case = "…"
# coordinator = "…"
# purpose = "…"
period = {{ start = {start}, end = {end} }}

# [[goal]]
# id = "G1"
# title = "…"

# [[focus_area]]
# id = "F1"
# title = "…"

# [[budget]]                       # money: amount in DKK; or kind = "hours" with fte = 0.25
# id = "pulje"
# title = "…"
# kind = "money"
# amount = 500000

# [[indicator]]                    # a measured target, with [[survey]] files for its waves
# id = "trivsel"
# title = "…"
# scale = {{ min = 1, max = 10 }}
# baseline = {{ wave = "2024", value = 6.8 }}
# target = [ {{ wave = "2026", delta = 0.5 }} ]

# [[criterion]]                    # a qualitative success criterion: `plan criterion` records it
# id = "…"
# title = "…"
# deadline = {end}
"#,
        id = s(&slug(title)),
        title = s(title),
        organisation = s(organisation),
        start = d(start),
        end = d(end),
    )
}
