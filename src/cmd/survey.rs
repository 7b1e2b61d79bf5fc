//! `plan survey add FILE --wave W --date D [--layout L]`: copy a survey file into `surveys/`
//! (unless it is there already) and declare it with a `[[survey]]` entry in plan.toml.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::cli::{SurveyAddArgs, SurveyCommand};
use crate::diag::Code;
use crate::write::prompt::UsageError;
use crate::write::{self, Change, RefusalAt, prompt, toml};
use crate::{Context, Outcome};

const USAGE: &str =
    "plan survey add FILE --wave WAVE --date YYYY-MM-DD [--layout LAYOUT] [--column NAME=HEADER]…";

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
    let shown_source = crate::source::display_path(source);
    // The file is copied and checked as a stream, never held whole (issue 19).
    let opened = std::fs::File::open(source)
        .and_then(|f| f.metadata().map(|m| (f, m)))
        .with_context(|| format!("cannot read {shown_source}"))?;
    if !opened.1.is_file() {
        // What reading it says (a folder: "Is a directory").
        std::fs::read(source).with_context(|| format!("cannot read {shown_source}"))?;
    }
    let Some(name) = source.file_name().and_then(|n| n.to_str()) else {
        bail!("{} names no file", source.display());
    };
    // A file already in surveys/ (or a folder of it) is declared where it is.
    let surveys = ctx.plan_dir.join("surveys").canonicalize().ok();
    let in_surveys = match (source.canonicalize(), &surveys) {
        (Ok(file), Some(dir)) => file
            .strip_prefix(dir)
            .ok()
            .map(|inner| Path::new("surveys").join(inner)),
        _ => None,
    };
    let rel = in_surveys
        .clone()
        .unwrap_or_else(|| PathBuf::from("surveys").join(name));
    let target = write::inside(&ctx.plan_dir, &rel)?;
    let mut change = Change::default();
    // The copy, beside the plan until the change is written (removed when it is not).
    let mut copy: Option<tempfile::TempPath> = None;
    // Already in surveys/ (the same file, or one with the same bytes): nothing to copy.
    if in_surveys.is_none() {
        match same_bytes(opened.0, &target) {
            Ok(true) => {}
            Ok(false) => {
                return write::refuse(
                    ctx,
                    RefusalAt {
                        code: Code::DuplicateId,
                        file: Some(rel),
                        span: None,
                        message: format!("another file named `{name}` is in surveys/ already"),
                        help: Some("rename the file to add, or remove the old one".into()),
                    },
                );
            }
            Err(_) => {
                let temp = copy_beside(source, &ctx.plan_dir)?;
                change.add_file(&rel, temp.to_path_buf());
                copy = Some(temp);
            }
        }
    }

    let plan_rel = Path::new("plan.toml");
    let plan_bytes = write::read(&ctx.plan_dir, plan_rel)?;
    let mut plan = toml::TomlText::parse(&plan_bytes)
        .map_err(|why| anyhow::anyhow!("cannot edit {}: {why}", plan_rel.display()))?;
    if let Some(refusal) = write::inline_array_refusal(plan_rel, &plan, "survey") {
        return write::refuse(ctx, refusal);
    }
    // SPEC 11 rule 2: the same file declared again for the same wave would count every
    // respondent twice.
    let tree = crate::tree::DirTree::new(&ctx.plan_dir);
    let declared = plan.items("survey").into_iter().find(|item| {
        item.text("wave").as_deref() == Some(wave.as_str())
            && item
                .text("file")
                .and_then(|f| crate::tree::resolve(&tree, &f).ok())
                .is_some_and(|f| f == rel)
    });
    if let Some(item) = declared {
        let closed = item
            .text("date")
            .map(|d| format!(" (closed {d})"))
            .unwrap_or_default();
        return write::refuse(
            ctx,
            write::repeat_refusal(
                plan_rel,
                item.span("file"),
                format!(
                    "{} is declared for wave `{wave}` already{closed}",
                    rel.display()
                ),
                "nothing to add: a second [[survey]] entry would count every respondent twice (to change its date, edit `date` in the entry)",
            ),
        );
    }
    let file_value = rel.to_string_lossy().replace('\\', "/");
    let mut pairs = vec![
        ("wave".to_string(), toml::string(&wave)),
        ("date".to_string(), toml::date(date)),
        ("file".to_string(), toml::string(&file_value)),
    ];
    if let Some(layout) = &args.layout {
        pairs.push(("layout".to_string(), toml::string(layout)));
    }
    if !args.columns.is_empty() {
        let mut mapping = Vec::new();
        for column in &args.columns {
            let Some((name, header)) = column.split_once('=') else {
                return Err(UsageError(format!(
                    "--column takes NAME=HEADER (the canonical column, then the file's header), not `{column}`\n\nUsage: {USAGE}"
                ))
                .into());
            };
            mapping.push((name.trim().to_string(), toml::string(header.trim())));
        }
        pairs.push(("columns".to_string(), toml::inline(&mapping)));
    }
    plan.append_item("survey", &pairs)
        .map_err(|why| anyhow::anyhow!("cannot edit {}: {why}", plan_rel.display()))?;
    // The survey file first: plan.toml only names it once it is there.
    change.edit(plan_rel, Some(plan_bytes), plan.to_bytes());
    let outcome = write::finish(ctx, &change, args.dry.dry_run, out)?;
    if outcome == Outcome::Failed
        && args.columns.is_empty()
        && let Some(hint) = mapping_hint(
            &head_of(copy.as_deref().unwrap_or(&target))?,
            args.layout.as_deref(),
            &format!(
                "plan survey add {} --wave {wave} --date {date}",
                crate::source::display_path(source)
            ),
        )
    {
        eprintln!("{hint}");
    }
    Ok(outcome)
}

/// Whether the file at `other` holds the bytes `file` holds, compared a piece at a time.
/// `Err`: `other` cannot be read (it does not exist).
fn same_bytes(file: std::fs::File, other: &Path) -> std::io::Result<bool> {
    let theirs = std::fs::File::open(other)?;
    if theirs.metadata()?.len() != file.metadata()?.len() {
        return Ok(false);
    }
    let (mut a, mut b) = (
        std::io::BufReader::with_capacity(1 << 16, file),
        std::io::BufReader::with_capacity(1 << 16, theirs),
    );
    let (mut x, mut y) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = read_full(&mut a, &mut x)?;
        let m = read_full(&mut b, &mut y)?;
        if n != m || x[..n] != y[..m] {
            return Ok(false);
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

/// Read until `buf` is full or the file ends; the number of bytes read.
fn read_full(reader: &mut impl std::io::Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Copy the file at `source` into a temporary file in the plan folder (the disk of
/// surveys/, so that writing the change is a rename), as a stream. The copy gets the usual
/// permissions of a new file (0644).
fn copy_beside(source: &Path, plan_dir: &Path) -> Result<tempfile::TempPath> {
    let shown = crate::source::display_path(source);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".plan-survey-").suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut temp = builder
        .tempfile_in(plan_dir)
        .with_context(|| format!("cannot copy {shown} into {}", plan_dir.display()))?;
    let mut from = std::fs::File::open(source).with_context(|| format!("cannot read {shown}"))?;
    std::io::copy(&mut from, &mut temp).with_context(|| format!("cannot copy {shown}"))?;
    Ok(temp.into_temp_path())
}

/// The first lines of the survey file (what its header needs), at most 64 KB cut at a line
/// break.
fn head_of(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)?
        .take(64 * 1024)
        .read_to_end(&mut head)?;
    if head.len() == 64 * 1024
        && let Some(end) = head.iter().rposition(|&b| b == b'\n')
    {
        head.truncate(end + 1);
    }
    Ok(head)
}

/// When the file's header has the columns of no layout: the `columns` mapping it needs, with
/// the file's headers paired to the layout's columns in order, for the user to correct.
fn mapping_hint(bytes: &[u8], layout: Option<&str>, command: &str) -> Option<String> {
    use crate::load::survey::Layout;
    let (text, _) = crate::load::csv::decode(bytes);
    let header = crate::load::csv::detect_header(&text, &[]).ok()?;
    let layouts = [
        ("aggregated", Layout::Aggregated),
        ("respondents", Layout::Long),
        ("frequencies", Layout::Frequencies),
    ];
    if layouts
        .iter()
        .any(|(_, l)| l.required().iter().all(|c| header.index_of(c).is_some()))
    {
        return None;
    }
    let (name, chosen) = layouts
        .iter()
        .find(|(n, _)| Some(*n) == layout)
        .copied()
        .unwrap_or(layouts[0]);
    let mut headers = header.columns.iter().map(|c| c.name.as_str());
    let mut pairs = Vec::new();
    for canonical in chosen.required() {
        let theirs = headers.next().unwrap_or("…");
        pairs.push(format!(
            " --column {}",
            shell_word(&format!("{canonical}={theirs}"))
        ));
    }
    for canonical in chosen.optional() {
        if let Some(theirs) = headers.next() {
            pairs.push(format!(
                " --column {}",
                shell_word(&format!("{canonical}={theirs}"))
            ));
        }
    }
    let list: Vec<String> = header
        .columns
        .iter()
        .map(|c| format!("`{}`", c.name))
        .collect();
    Some(format!(
        "plan: the file's headers are {}; say which is which, e.g. (check each pair; `…` is a column the file must have):\n  {command} --layout {name}{}",
        list.join(", "),
        pairs.concat()
    ))
}

/// A word as a POSIX shell reads it back.
fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_alphanumeric() || "=._-/".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
