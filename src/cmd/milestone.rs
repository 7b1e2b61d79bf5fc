//! `plan milestone ID MID --done [D] | --due D | --add --title T --due D`.

use std::io::Write;

use anyhow::Result;

use std::path::Path;

use crate::cli::MilestoneArgs;
use crate::diag::Code;
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
    let (id, file) = write::pick_initiative(&ctx.plan_dir, args.id.as_deref(), USAGE)?;
    let file = match file {
        Ok(file) => file,
        Err(refusal) => return write::refuse(ctx, refusal),
    };
    if let Some(refusal) = write::inline_array_refusal(&file.rel, &file.toml, "milestone") {
        return write::refuse(ctx, refusal);
    }
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
        let mid = prompt::choose_id(args.milestone.as_deref(), "milestone (MID)", USAGE, &ids)?;
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
        let item = file
            .toml
            .items("milestone")
            .into_iter()
            .find(|m| m.text("id").as_deref() == Some(mid.as_str()));
        if let Some(refusal) = item
            .as_ref()
            .and_then(|item| repeats(&file.rel, &id, &mid, item, args))
        {
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

/// SPEC 11 rule 2: `--done` on a milestone that is done already keeps its recorded date: the
/// same date again is a repeat (E403), another date needs `--redate` (E405), and `--done`
/// without a date never puts today's date over the recorded one. `--due` to the date it has
/// is a repeat too.
fn repeats(
    rel: &Path,
    id: &str,
    mid: &str,
    item: &toml::ItemValues,
    args: &MilestoneArgs,
) -> Option<RefusalAt> {
    if let (Some(due), Some(recorded)) = (&args.due, item.text("due")) {
        let wanted = toml::shown(&toml::when(due));
        if wanted == recorded && args.done.is_none() {
            return Some(write::repeat_refusal(
                rel,
                item.span("due"),
                format!("milestone `{mid}` of `{id}` is due {recorded} already"),
                "nothing to change: give --due another date to move it",
            ));
        }
    }
    let done = args.done?;
    let recorded = item.text("done")?;
    let wanted = done.map(|d| toml::shown(&toml::date(d)));
    let same = wanted.as_deref() == Some(recorded.as_str());
    if same || (done.is_none() && !args.redate) {
        return Some(write::repeat_refusal(
            rel,
            item.span("done"),
            format!("milestone `{mid}` of `{id}` is done already, on {recorded}"),
            "nothing to change; if that date is wrong, give the right one with --done DATE --redate",
        ));
    }
    // Here a date was given (without one, a done milestone was refused above or is redated).
    let wanted = wanted.filter(|_| !args.redate)?;
    Some(RefusalAt {
        code: Code::RecordedDate,
        file: Some(rel.to_path_buf()),
        span: item.span("done"),
        message: format!(
            "milestone `{mid}` of `{id}` was done on {recorded}; --done {wanted} would change that recorded date"
        ),
        help: Some(format!(
            "if {recorded} is wrong, add --redate: `plan milestone {id} {mid} --done {wanted} --redate`"
        )),
    })
}
