//! `plan new initiative ID --title T [--focus-area F] [--owner O] [--start D] [--end D]
//! [--parent P]`: a new file `initiatives/NN-slug.toml`, NN the next number.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::cli::{NewCommand, NewInitiativeArgs};
use crate::diag::Code;
use crate::write::{self, Change, RefusalAt, prompt, toml};
use crate::{Context, Outcome};

const USAGE: &str = "plan new initiative ID --title TITLE [--focus-area F] [--owner O] [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--parent P]";

/// Run `plan new …`.
pub fn run(ctx: &Context, command: &NewCommand, out: &mut dyn Write) -> Result<Outcome> {
    match command {
        NewCommand::Initiative(args) => initiative(ctx, args, out),
    }
}

fn initiative(ctx: &Context, args: &NewInitiativeArgs, out: &mut dyn Write) -> Result<Outcome> {
    let id = prompt::required(args.id.as_deref(), "Id of the new initiative (ID)", USAGE)?;
    let title = prompt::required(args.title.as_deref(), "Title (--title)", USAGE)?;
    let files = write::initiative_files(&ctx.plan_dir)?;
    let mut next = 0;
    let mut neighbour: Option<toml::TomlText> = None;
    for (rel, bytes) in &files {
        let Ok(text) = toml::TomlText::parse(bytes) else {
            continue;
        };
        if text.root_str("id").as_deref() == Some(id.as_str()) {
            return write::refuse(
                ctx,
                RefusalAt {
                    code: Code::DuplicateId,
                    file: Some(rel.clone()),
                    span: None,
                    message: format!("initiative `{id}` exists already"),
                    help: Some(
                        "choose another id, or change the existing one with `plan update`".into(),
                    ),
                },
            );
        }
        let from_name = rel
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.split(['-', '_', '.']).next())
            .and_then(|n| n.parse::<i64>().ok());
        next = next
            .max(text.root_int("number").unwrap_or(0))
            .max(from_name.unwrap_or(0));
        neighbour = Some(text);
    }
    let number = next + 1;
    let rel = Path::new("initiatives").join(format!("{number:02}-{}.toml", write::slug(&title)));

    // The new file copies its neighbours: their #:schema line and their line ending.
    let (schema, newline) = match &neighbour {
        Some(text) => (
            text.text()
                .lines()
                .next()
                .filter(|l| l.starts_with("#:schema"))
                .map(|l| l.trim_end().to_string()),
            text.newline(),
        ),
        None => (
            Some("#:schema ../../schema/initiative.schema.json".to_string()),
            "\n",
        ),
    };
    let s = |v: &str| toml::repr(&toml::string(v));
    let mut text = String::new();
    if let Some(schema) = schema {
        text.push_str(&schema);
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "id = {}\nnumber = {number}\ntitle = {}\n",
        s(&id),
        s(&title)
    ));
    if let Some(f) = &args.focus_area {
        text.push_str(&format!("focus_area = {}\n", s(f)));
    }
    if let Some(p) = &args.parent {
        text.push_str(&format!("parent = {}\n", s(p)));
    }
    if let Some(o) = &args.owner {
        text.push_str(&format!("owner = {}\n", s(o)));
    }
    let start = match &args.start {
        Some(start) => toml::when(start),
        None => toml::date(ctx.as_of),
    };
    text.push_str(&format!("start = {}\n", toml::repr(&start)));
    if let Some(e) = &args.end {
        text.push_str(&format!("end = {}\n", toml::repr(&toml::when(e))));
    }
    text.push_str(
        "# What the initiative does, in a few sentences from the plan's text.\nsummary = \"\"\n",
    );
    let text = toml::TomlText::new(&text, newline);
    let mut change = Change::default();
    change.edit(rel, None, text.to_bytes());
    write::finish(ctx, &change, args.dry.dry_run, out)
}
