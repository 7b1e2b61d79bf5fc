//! `plan survey add FILE --wave W --date D [--layout L]`: copy a survey file into `surveys/`
//! (unless it is there already) and declare it with a `[[survey]]` entry in plan.toml.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::cli::{SurveyAddArgs, SurveyCommand};
use crate::diag::Code;
use crate::write::{self, Change, RefusalAt, prompt, toml};
use crate::{Context, Outcome};

const USAGE: &str = "plan survey add FILE --wave WAVE --date YYYY-MM-DD [--layout LAYOUT]";

/// Run `plan survey …`.
pub fn run(ctx: &Context, command: &SurveyCommand, out: &mut dyn Write) -> Result<Outcome> {
    match command {
        SurveyCommand::Add(args) => add(ctx, args, out),
    }
}

fn add(ctx: &Context, args: &SurveyAddArgs, out: &mut dyn Write) -> Result<Outcome> {
    let wave = prompt::required(args.wave.as_deref(), "Wave (--wave)", USAGE)?;
    let date = prompt::date(args.date, "Date the survey closed (--date)", USAGE)?;
    let source = &args.file;
    let bytes = std::fs::read(source)
        .with_context(|| format!("cannot read {}", crate::source::display_path(source)))?;
    let Some(name) = source.file_name().and_then(|n| n.to_str()) else {
        bail!("{} names no file", source.display());
    };
    let rel = PathBuf::from("surveys").join(name);
    let target = write::inside(&ctx.plan_dir, &rel)?;
    let mut change = Change::default();
    // Already in surveys/ (the same file, or one with the same bytes): nothing to copy.
    let same_file = matches!(
        (source.canonicalize(), target.canonicalize()),
        (Ok(a), Ok(b)) if a == b
    );
    if !same_file {
        match std::fs::read(&target) {
            Ok(existing) if existing == bytes => {}
            Ok(_) => {
                return write::refuse(
                    ctx,
                    RefusalAt {
                        code: Code::DuplicateId,
                        file: Some(rel),
                        message: format!("another file named `{name}` is in surveys/ already"),
                        help: Some("rename the file to add, or remove the old one".into()),
                    },
                );
            }
            Err(_) => change.edit(&rel, None, bytes),
        }
    }

    let plan_rel = Path::new("plan.toml");
    let plan_bytes = write::read(&ctx.plan_dir, plan_rel)?;
    let mut plan = toml::TomlText::parse(&plan_bytes)
        .map_err(|why| anyhow::anyhow!("cannot edit {}: {why}", plan_rel.display()))?;
    let file_value = rel.to_string_lossy().replace('\\', "/");
    let mut pairs = vec![
        ("wave".to_string(), toml::string(&wave)),
        ("date".to_string(), toml::date(date)),
        ("file".to_string(), toml::string(&file_value)),
    ];
    if let Some(layout) = &args.layout {
        pairs.push(("layout".to_string(), toml::string(layout)));
    }
    plan.append_item("survey", &pairs)
        .map_err(|why| anyhow::anyhow!("cannot edit {}: {why}", plan_rel.display()))?;
    // The survey file first: plan.toml only names it once it is there.
    change.edit(plan_rel, Some(plan_bytes), plan.to_bytes());
    write::finish(ctx, &change, args.dry.dry_run, out)
}
