//! `plan milestone ID MID --done [D] | --due D | --add --title T --due D`.

use std::io::Write;

use anyhow::Result;

use crate::cli::MilestoneArgs;
use crate::write::prompt::UsageError;
use crate::write::{self, Change, RefusalAt, prompt, toml};
use crate::{Context, Outcome};

const USAGE: &str = "plan milestone ID MID (--done [YYYY-MM-DD] | --due YYYY-MM-DD | --add --title TITLE --due YYYY-MM-DD)";

/// Run `plan milestone`.
pub fn run(ctx: &Context, args: &MilestoneArgs, out: &mut dyn Write) -> Result<Outcome> {
    if !args.add && args.done.is_none() && args.due.is_none() {
        return Err(UsageError(format!(
            "say what to do: --done, --due or --add\n\nUsage: {USAGE}"
        ))
        .into());
    }
    let choices = if args.id.is_none() && prompt::interactive() {
        write::initiative_ids(&ctx.plan_dir)?
    } else {
        Vec::new()
    };
    let id = prompt::choose(args.id.as_deref(), "initiative (ID)", USAGE, &choices)?;
    let file = match write::find_initiative(&ctx.plan_dir, &id)? {
        Ok(file) => file,
        Err(refusal) => return write::refuse(ctx, refusal),
    };
    let ids = file.toml.ids("milestone");
    let mut edited = file.toml.clone();
    let edit_error = |why: String| anyhow::anyhow!("cannot edit {}: {why}", file.rel.display());
    if args.add {
        let mid = prompt::required(args.milestone.as_deref(), "milestone id (MID)", USAGE)?;
        let title = prompt::required(args.title.as_deref(), "Title (--title)", USAGE)?;
        let due = match &args.due {
            Some(due) => toml::when(due),
            None => toml::date(prompt::date(None, "Due (--due)", USAGE)?),
        };
        let mut pairs = vec![
            ("id".to_string(), toml::string(&mid)),
            ("title".to_string(), toml::string(&title)),
            ("due".to_string(), due),
        ];
        if let Some(done) = args.done {
            pairs.push(("done".to_string(), toml::date(done.unwrap_or(ctx.as_of))));
        }
        // A duplicate id is written as given: validation refuses it (E006).
        edited
            .append_item("milestone", &pairs)
            .map_err(edit_error)?;
    } else {
        let choices: Vec<(String, String)> =
            ids.iter().map(|m| (m.clone(), String::new())).collect();
        let mid = prompt::choose(
            args.milestone.as_deref(),
            "milestone (MID)",
            USAGE,
            &choices,
        )?;
        if !ids.contains(&mid) {
            let mut refusal = RefusalAt::unknown(
                "milestone",
                &mid,
                ids.iter().map(String::as_str),
                "its milestones are",
            );
            refusal.file = Some(file.rel.clone());
            refusal.message = format!("initiative `{id}` has no milestone `{mid}`");
            if !refusal
                .help
                .as_deref()
                .is_some_and(|h| h.starts_with("did"))
            {
                refusal.help = Some(format!(
                    "{}; add one with `plan milestone {id} {mid} --add --title TITLE --due DATE`",
                    refusal.help.unwrap_or_default()
                ));
            }
            return write::refuse(ctx, refusal);
        }
        if let Some(due) = &args.due {
            edited
                .set_in_item("milestone", &mid, "due", &toml::when(due))
                .map_err(edit_error)?;
        }
        if let Some(done) = args.done {
            let done = done.unwrap_or(ctx.as_of);
            edited
                .set_in_item("milestone", &mid, "done", &toml::date(done))
                .map_err(edit_error)?;
        }
    }
    let mut change = Change::default();
    change.edit(&file.rel, Some(file.bytes), edited.to_bytes());
    write::finish(ctx, &change, args.dry.dry_run, out)
}
