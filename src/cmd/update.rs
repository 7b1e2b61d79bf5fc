//! `plan update ID STATUS [--note TEXT] [--date D]`: append an `[[update]]` to an initiative.

use std::io::Write;

use anyhow::Result;

use crate::cli::UpdateArgs;
use crate::model::UpdateStatus;
use crate::write::{self, Change, prompt, toml};
use crate::{Context, Outcome};

const USAGE: &str = "plan update ID STATUS [--note TEXT] [--date YYYY-MM-DD]";

/// Run `plan update`.
pub fn run(ctx: &Context, args: &UpdateArgs, out: &mut dyn Write) -> Result<Outcome> {
    let (id, file) = write::pick_initiative(&ctx.plan_dir, args.id.as_deref(), USAGE)?;
    let file = match file {
        Ok(file) => file,
        Err(refusal) => return write::refuse(ctx, refusal),
    };
    let statuses: Vec<(String, String)> = UpdateStatus::WORDS
        .iter()
        .map(|(w, _)| (w.to_string(), String::new()))
        .collect();
    // An unknown status is written as given: validation refuses it with its usual diagnostic
    // (E015, with the nearest status).
    let status = prompt::choose(args.status.as_deref(), "status (STATUS)", USAGE, &statuses)?;
    let note = if args.id.is_none() || args.status.is_none() {
        prompt::text(args.note.as_deref(), "Note", USAGE, true)?
    } else {
        args.note.clone()
    };
    let date = args.date.unwrap_or(ctx.as_of);

    if let Some(refusal) = write::inline_array_refusal(&file.rel, &file.toml, "update") {
        return write::refuse(ctx, refusal);
    }
    // SPEC 11 rule 2: the same update again (a script run twice) is a repeat.
    let wanted_date = toml::shown(&toml::date(date));
    let same = file.toml.items("update").into_iter().find(|u| {
        u.text("date").as_deref() == Some(wanted_date.as_str())
            && u.text("status").as_deref() == Some(status.as_str())
            && u.text("note") == note
    });
    if let Some(same) = same {
        return write::refuse(
            ctx,
            write::repeat_refusal(
                &file.rel,
                same.span("date"),
                format!("initiative `{id}` has this update already: {wanted_date}, {status}"),
                "nothing to add: an update with the same date, status and note is there",
            ),
        );
    }
    let mut edited = file.toml.clone();
    let mut pairs = vec![
        ("date".to_string(), toml::date(date)),
        ("status".to_string(), toml::string(&status)),
    ];
    if let Some(note) = &note {
        pairs.push(("note".to_string(), toml::string(note)));
    }
    edited
        .append_item("update", &pairs)
        .map_err(|why| anyhow::anyhow!("cannot edit {}: {why}", file.rel.display()))?;
    let mut change = Change::default();
    change.edit(&file.rel, Some(file.bytes), edited.to_bytes());
    write::finish(ctx, &change, args.dry.dry_run, out)
}
