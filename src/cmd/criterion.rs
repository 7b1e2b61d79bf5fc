//! `plan criterion ID --achieved D --evidence TEXT`: set a criterion's `achieved`.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::cli::CriterionArgs;
use crate::diag::Code;
use crate::write::{self, Change, RefusalAt, prompt, toml};
use crate::{Context, Outcome};

const USAGE: &str = "plan criterion ID --achieved YYYY-MM-DD --evidence TEXT";

/// Run `plan criterion`.
pub fn run(ctx: &Context, args: &CriterionArgs, out: &mut dyn Write) -> Result<Outcome> {
    let rel = Path::new("plan.toml");
    let bytes = write::read(&ctx.plan_dir, rel)?;
    let text = toml::TomlText::parse(&bytes)
        .map_err(|why| anyhow::anyhow!("cannot edit {}: {why}", rel.display()))?;
    if let Some(refusal) = write::inline_array_refusal(rel, &text, "criterion") {
        return write::refuse(ctx, refusal);
    }
    let ids = text.ids("criterion");
    let id = prompt::choose_id(args.id.as_deref(), "criterion (ID)", USAGE, &ids)?;
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
    let item = text
        .items("criterion")
        .into_iter()
        .find(|c| c.text("id").as_deref() == Some(id.as_str()));
    if let Some(refusal) = item
        .as_ref()
        .and_then(|item| repeats(rel, &id, item, achieved, &evidence, args.redate))
    {
        return write::refuse(ctx, refusal);
    }
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

/// SPEC 11 rule 2: a criterion that is achieved already keeps what is recorded. The same
/// achievement again is a repeat (E403); another date or evidence needs `--redate` (E405).
fn repeats(
    rel: &Path,
    id: &str,
    item: &toml::ItemValues,
    achieved: crate::model::Date,
    evidence: &str,
    redate: bool,
) -> Option<RefusalAt> {
    let recorded = item.get("achieved")?;
    let field = |key: &str| {
        recorded
            .as_inline_table()
            .and_then(|t| t.get(key))
            .map(toml::shown)
    };
    let (date, said) = (field("date"), field("evidence"));
    let wanted = toml::shown(&toml::date(achieved));
    let what = match (&date, &said) {
        (Some(d), Some(e)) => format!("on {d} (evidence: {e})"),
        (Some(d), None) => format!("on {d}"),
        _ => toml::shown(recorded),
    };
    if date.as_deref() == Some(wanted.as_str()) && said.as_deref() == Some(evidence) {
        return Some(write::repeat_refusal(
            rel,
            item.span("achieved"),
            format!("criterion `{id}` is achieved already, {what}"),
            "nothing to change",
        ));
    }
    if redate {
        return None;
    }
    if date.as_deref() == Some(wanted.as_str()) {
        return Some(write::repeat_refusal(
            rel,
            item.span("achieved"),
            format!("criterion `{id}` is achieved already, {what}"),
            "to replace its evidence, give --redate",
        ));
    }
    Some(RefusalAt {
        code: Code::RecordedDate,
        file: Some(rel.to_path_buf()),
        span: item.span("achieved"),
        message: format!(
            "criterion `{id}` was achieved {what}; --achieved {wanted} would change that recorded date"
        ),
        help: Some(format!(
            "if the recorded achievement is wrong, add --redate: `plan criterion {id} --achieved {wanted} --evidence … --redate`"
        )),
    })
}
