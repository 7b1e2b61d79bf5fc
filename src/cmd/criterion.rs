//! `plan criterion ID --achieved D --evidence TEXT`: set a criterion's `achieved`.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::cli::CriterionArgs;
use crate::write::{self, Change, RefusalAt, prompt, toml};
use crate::{Context, Outcome};

const USAGE: &str = "plan criterion ID --achieved YYYY-MM-DD --evidence TEXT";

/// Run `plan criterion`.
pub fn run(ctx: &Context, args: &CriterionArgs, out: &mut dyn Write) -> Result<Outcome> {
    let rel = Path::new("plan.toml");
    let bytes = write::read(&ctx.plan_dir, rel)?;
    let text = toml::TomlText::parse(&bytes)
        .map_err(|why| anyhow::anyhow!("cannot edit {}: {why}", rel.display()))?;
    let ids = text.ids("criterion");
    let choices: Vec<(String, String)> = ids.iter().map(|c| (c.clone(), String::new())).collect();
    let id = prompt::choose(args.id.as_deref(), "criterion (ID)", USAGE, &choices)?;
    if !ids.contains(&id) {
        let mut refusal = RefusalAt::unknown(
            "criterion",
            &id,
            ids.iter().map(String::as_str),
            "the criteria are",
        );
        refusal.file = Some(rel.to_path_buf());
        return write::refuse(ctx, refusal);
    }
    let achieved = prompt::date(args.achieved, "Achieved on (--achieved)", USAGE)?;
    let evidence = prompt::required(args.evidence.as_deref(), "Evidence (--evidence)", USAGE)?;
    let value = toml::inline(&[
        ("date".to_string(), toml::date(achieved)),
        ("evidence".to_string(), toml::string(&evidence)),
    ]);
    let mut edited = text.clone();
    edited
        .set_in_item("criterion", &id, "achieved", &value)
        .map_err(|why| anyhow::anyhow!("cannot edit {}: {why}", rel.display()))?;
    let mut change = Change::default();
    change.edit(rel, Some(bytes), edited.to_bytes());
    write::finish(ctx, &change, args.dry.dry_run, out)
}
