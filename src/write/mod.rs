//! The writing stage (SPEC 11): the write commands change the plan's files through here.
//!
//! A command reads the files it changes, edits their own text ([`toml`], [`csv`]: never
//! regenerated from the model), and hands the result to [`finish`] as a [`Change`]. `finish`
//! puts the edited files over the working directory in memory and runs the same load → validate
//! pipeline on them: a change that adds an error writes nothing, prints the diagnostics and
//! exits 1. Otherwise it prints the warnings the change causes, and either prints the change as
//! a unified diff (`--dry-run`) or writes it: each file atomically (a temporary file beside it,
//! then a rename, the mode kept), and only when no file changed on disk since it was read and
//! none is read-only. Two commands never interleave: `cmd::run` holds the plan's [`lock`] around
//! a whole write command. A file that has an error of its own is never written into.

pub mod csv;
pub mod lock;
pub mod prompt;
pub mod toml;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::{Sources, display_path};
use crate::{Context, Outcome};

/// A date, or a period as people write it (SPEC 9.3), for the write commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateOrPeriod {
    /// `2026-03-31`.
    Date(crate::model::Date),
    /// `2026`, `2025-H2`, `2026-Q1`, `2026-03`, as written.
    Period(String),
}

/// One file's change.
#[derive(Debug, Clone)]
pub struct FileEdit {
    /// The file, relative to the plan directory.
    pub rel: PathBuf,
    /// Its bytes when read; `None` for a new file.
    pub before: Option<Vec<u8>>,
    /// Its bytes after the edit (empty when `from` holds them).
    pub after: Vec<u8>,
    /// A new file whose bytes are in this file (beside the plan, on the same disk), moved
    /// into place rather than held in memory (`plan survey add`; issue 19).
    pub from: Option<PathBuf>,
}

/// Everything one command changes.
#[derive(Debug, Clone, Default)]
pub struct Change {
    /// The files, in the order they are written (a file a plan file refers to comes first).
    pub edits: Vec<FileEdit>,
    /// Folders to create (relative to the plan directory), for `plan init`.
    pub dirs: Vec<PathBuf>,
    /// The change makes the plan folder itself (`plan init`): all of it lands, or none.
    pub new_folder: bool,
}

impl Change {
    /// Add a file's change.
    pub fn edit(&mut self, rel: impl Into<PathBuf>, before: Option<Vec<u8>>, after: Vec<u8>) {
        self.edits.push(FileEdit {
            rel: rel.into(),
            before,
            after,
            from: None,
        });
    }

    /// Add a new file whose bytes are in the file at `from`, moved into place by
    /// [`Change::apply`].
    pub fn add_file(&mut self, rel: impl Into<PathBuf>, from: PathBuf) {
        self.edits.push(FileEdit {
            rel: rel.into(),
            before: None,
            after: Vec::new(),
            from: Some(from),
        });
    }

    /// The change as a unified diff, file by file (`--dry-run`).
    pub fn diff(&self, plan_dir: &Path) -> Result<String> {
        let mut out = String::new();
        for dir in &self.dirs {
            out.push_str(&format!(
                "new folder {}/\n",
                display_path(&plan_dir.join(dir))
            ));
        }
        for edit in &self.edits {
            let shown = display_path(&plan_dir.join(&edit.rel));
            let before = edit.before.as_deref().map(text_of).unwrap_or_default();
            let after = match &edit.from {
                Some(from) => text_of(
                    &std::fs::read(from)
                        .with_context(|| format!("cannot read {}", from.display()))?,
                ),
                None => text_of(&edit.after),
            };
            let old_name = match edit.before {
                Some(_) => format!("a/{shown}"),
                None => "/dev/null".to_string(),
            };
            let diff = similar::TextDiff::from_lines(&before, &after);
            let unified = diff
                .unified_diff()
                .context_radius(3)
                .header(&old_name, &format!("b/{shown}"))
                .missing_newline_hint(true)
                .to_string();
            // CRLF files: the diff shows the lines, not their carriage returns.
            out.push_str(&unified.replace("\r\n", "\n"));
        }
        Ok(out)
    }

    /// Write the change: every file is first checked to be as it was read, then written
    /// atomically. Nothing outside `plan_dir` is ever written.
    pub fn apply(&self, plan_dir: &Path) -> Result<()> {
        if self.new_folder {
            return self.apply_new_folder(plan_dir);
        }
        for edit in &self.edits {
            let path = inside(plan_dir, &edit.rel)?;
            let now = match std::fs::read(&path) {
                Ok(bytes) => Some(bytes),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot read {}", display_path(&path)));
                }
            };
            if now != edit.before {
                bail!(
                    "{} changed on disk while plan was working; nothing was written: run again",
                    display_path(&path)
                );
            }
            // A rename would replace a write-protected file without a word (only the folder's
            // permissions count for it): someone protected it, so it is left alone.
            if now.is_some() && std::fs::metadata(&path).is_ok_and(|m| m.permissions().readonly()) {
                bail!(
                    "{} is read-only, so plan does not replace it; nothing was written: make it writable (chmod u+w) and run again",
                    display_path(&path)
                );
            }
        }
        for dir in &self.dirs {
            let path = inside(plan_dir, dir)?;
            std::fs::create_dir_all(&path)
                .with_context(|| format!("cannot create {}", display_path(&path)))?;
        }
        for edit in &self.edits {
            let path = inside(plan_dir, &edit.rel)?;
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", display_path(parent)))?;
            }
            match &edit.from {
                Some(from) => move_into_place(from, &path)?,
                None => write_atomically(&path, &edit.after)?,
            }
        }
        Ok(())
    }

    /// `plan init`: all or nothing, so that a failed run never leaves a folder that blocks its
    /// own retry ("exists and is not empty"). A new folder is built beside its place under a
    /// hidden name and renamed into place in one step (a run killed halfway leaves only that
    /// hidden folder, which blocks nothing); into an existing empty folder the files are
    /// written directly, and taken out again when one fails.
    fn apply_new_folder(&self, plan_dir: &Path) -> Result<()> {
        let shown = display_path(plan_dir);
        let inner = Change {
            new_folder: false,
            ..self.clone()
        };
        if plan_dir.is_dir() {
            let result = inner.apply(plan_dir);
            if result.is_err() {
                for edit in self.edits.iter().rev() {
                    let _ = std::fs::remove_file(plan_dir.join(&edit.rel));
                }
                for dir in self.dirs.iter().rev() {
                    let _ = std::fs::remove_dir(plan_dir.join(dir));
                }
            }
            return result;
        }
        let name = plan_dir
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| anyhow::anyhow!("{shown} names no folder to create"))?;
        let parent = match plan_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // The folders above are not the plan's: made as needed, and left when a run fails.
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", display_path(parent)))?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let staging = parent.join(format!(".{name}.plan-init-{}-{stamp}", std::process::id()));
        // Created as any folder is (the umask decides its mode), not privately as a temporary one.
        std::fs::DirBuilder::new()
            .create(&staging)
            .with_context(|| format!("cannot create a folder in {}", display_path(parent)))?;
        let result = inner.apply(&staging).and_then(|()| {
            std::fs::rename(&staging, plan_dir).map_err(|e| {
                if plan_dir.exists() {
                    anyhow::anyhow!(
                        "`{shown}` appeared while plan init was working and is not empty; nothing was written"
                    )
                } else {
                    anyhow::Error::new(e).context(format!("cannot create {shown}"))
                }
            })
        });
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        result
    }

    /// The files that change, for the message after writing.
    pub fn files(&self, plan_dir: &Path) -> Vec<String> {
        self.edits
            .iter()
            .map(|e| display_path(&plan_dir.join(&e.rel)))
            .collect()
    }
}

/// Bytes as text for the diff: decoded as the loader decodes them.
fn text_of(bytes: &[u8]) -> String {
    crate::load::csv::decode(bytes).0
}

/// `plan_dir/rel`, refused when it would lie outside the plan directory.
pub fn inside(plan_dir: &Path, rel: &Path) -> Result<PathBuf> {
    let Some(rel_text) = rel.to_str() else {
        bail!("{} is not a path plan can write", rel.display());
    };
    match crate::tree::resolve(&crate::tree::DirTree::new(plan_dir), rel_text) {
        Ok(rel) => Ok(plan_dir.join(rel)),
        Err(why) => bail!("refusing to read or write outside the plan folder: {why}"),
    }
}

/// Read a file of the plan (`rel` relative to the plan directory).
pub fn read(plan_dir: &Path, rel: &Path) -> Result<Vec<u8>> {
    let path = inside(plan_dir, rel)?;
    std::fs::read(&path).with_context(|| format!("cannot read {}", display_path(&path)))
}

/// Move the file at `from` to `path` in one rename; across disks, copy it as
/// [`write_atomically`] writes a file.
fn move_into_place(from: &Path, path: &Path) -> Result<()> {
    if std::fs::rename(from, path).is_ok() {
        return Ok(());
    }
    let shown = display_path(path);
    let mut file = AtomicFile::create(path)?;
    let mut source = std::fs::File::open(from).with_context(|| format!("cannot write {shown}"))?;
    std::io::copy(&mut source, &mut file).with_context(|| format!("cannot write {shown}"))?;
    file.commit()
}

/// Write to a temporary file beside `path`, then rename it into place: a reader never sees
/// half a file, and a failed or killed run leaves the old file as it was. The new file gets the
/// permissions of the file it replaces (0644 for a new one).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", file.path.display()))?;
    file.commit()
}

/// A file written as [`write_atomically`] writes one, but a piece at a time: a temporary
/// file beside it, renamed into place by [`AtomicFile::commit`]; dropped without, it is
/// removed and the old file stays as it was (`plan export -o FILE` of a failed run).
pub struct AtomicFile {
    temp: tempfile::NamedTempFile,
    path: std::path::PathBuf,
}

impl AtomicFile {
    /// Start writing `path`.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        // A link is written through: the file it leads to gets the new contents, the link stays.
        let linked = match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path).ok(),
            _ => None,
        };
        let path = linked.as_deref().unwrap_or(path);
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let shown = path.display();
        let mut builder = tempfile::Builder::new();
        // A temporary file is created private (0600); the file is meant to be shared, so it gets
        // the permissions of the file it replaces, or the usual 0644 for a new one.
        #[cfg(unix)]
        let permissions = {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(path)
                .map(|m| m.permissions())
                .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644))
        };
        #[cfg(unix)]
        builder.permissions(permissions);
        let temp = builder.tempfile_in(dir).with_context(|| {
            format!(
                "cannot write {shown}: cannot create a file in {}",
                dir.display()
            )
        })?;
        Ok(AtomicFile {
            temp,
            path: path.to_path_buf(),
        })
    }

    /// Empty the file, to write it again from its start (nobody has seen it).
    pub fn restart(&mut self) -> Result<()> {
        use std::io::Seek as _;
        self.temp.as_file().set_len(0)?;
        self.temp.rewind()?;
        Ok(())
    }

    /// Put the file in its place.
    pub fn commit(self) -> Result<()> {
        let shown = self.path.display();
        self.temp
            .as_file()
            .sync_all()
            .with_context(|| format!("cannot write {shown}"))?;
        self.temp
            .persist(&self.path)
            .with_context(|| format!("cannot write {shown}"))?;
        Ok(())
    }
}

impl std::io::Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.temp.flush()
    }
}

/// A refusal found before the plan is validated (an id that does not exist, a character the
/// file cannot hold): print it as a diagnostic and exit 1.
pub fn refuse(ctx: &Context, diagnostic: RefusalAt) -> Result<Outcome> {
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    // With a place to point at, the file's text is shown around it (a TOML file: its BOM
    // is not part of the text the place was found in).
    let text = match (&diagnostic.file, &diagnostic.span) {
        (Some(rel), Some(_)) => read(&ctx.plan_dir, rel)
            .ok()
            .and_then(|bytes| toml::TomlText::parse(&bytes).ok())
            .map(|t| t.text().to_string()),
        _ => None,
    };
    let span = diagnostic
        .span
        .filter(|s| text.as_ref().is_some_and(|t| t.get(s.clone()).is_some()));
    let file = diagnostic.file.map(|rel| {
        let path = ctx.plan_dir.join(rel);
        sources.add(display_path(&path), text.clone().unwrap_or_default())
    });
    diags.push(Diagnostic {
        code: diagnostic.code,
        file,
        span,
        message: diagnostic.message,
        label: None,
        help: diagnostic.help,
        also: Vec::new(),
    });
    let mut err = std::io::stderr().lock();
    crate::diag::render_text(&mut err, &sources, &diags, ctx.color_err)?;
    writeln!(err, "plan: 1 error, 0 warnings; nothing was written")?;
    Ok(Outcome::Failed)
}

/// What [`refuse`] prints.
#[derive(Debug, Clone)]
pub struct RefusalAt {
    /// The code.
    pub code: Code,
    /// The file it is about, relative to the plan directory.
    pub file: Option<PathBuf>,
    /// The place in that file (a TOML file's text, without BOM) it is about.
    pub span: Option<std::ops::Range<usize>>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
}

impl RefusalAt {
    /// An id the plan does not have, with the nearest one it has.
    pub fn unknown<'a>(
        what: &str,
        id: &str,
        known: impl IntoIterator<Item = &'a str> + Clone,
        list: &str,
    ) -> RefusalAt {
        let help = match crate::diag::did_you_mean(id, known.clone()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => {
                let all: Vec<&str> = known.into_iter().collect();
                if all.is_empty() {
                    format!("the plan has no {what} yet")
                } else {
                    format!("{list}: {}", all.join(", "))
                }
            }
        };
        RefusalAt {
            code: Code::UnknownItem,
            file: None,
            span: None,
            message: format!("the plan has no {what} `{id}`"),
            help: Some(help),
        }
    }
}

/// The refusal of an edit of `[[array]]` items in a file that writes them as an inline array
/// (`milestone = [ { … } ]`): valid TOML, but not the form the edits know (E407).
pub fn inline_array_refusal(rel: &Path, text: &toml::TomlText, array: &str) -> Option<RefusalAt> {
    let span = text.inline_array(array)?;
    Some(RefusalAt {
        code: Code::InlineArray,
        file: Some(rel.to_path_buf()),
        span: Some(span),
        message: format!(
            "`{array}` is written as an inline array (`{array} = [ {{ … }} ]`), which plan does not edit"
        ),
        help: Some(format!(
            "write each item as a [[{array}]] table, the form plan writes, then run the command again; or edit the array by hand"
        )),
    })
}

/// A refusal of a change that repeats what is there (E403), pointing at what is there.
pub fn repeat_refusal(
    rel: &Path,
    span: Option<std::ops::Range<usize>>,
    message: String,
    help: &str,
) -> RefusalAt {
    RefusalAt {
        code: Code::RepeatsWhatIsThere,
        file: Some(rel.to_path_buf()),
        span,
        message,
        help: Some(help.to_string()),
    }
}

/// The initiative files of the plan: `initiatives/*.toml`, sorted by name, with their text.
pub fn initiative_files(plan_dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let dir = plan_dir.join("initiatives");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", display_path(&dir)))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| crate::load::is_initiative_file(n))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let rel = Path::new("initiatives").join(name);
            let bytes = read(plan_dir, &rel)?;
            Ok((rel, bytes))
        })
        .collect()
}

/// One initiative file found by the initiative's id.
#[derive(Debug)]
pub struct InitiativeFile {
    /// Relative to the plan directory.
    pub rel: PathBuf,
    /// The bytes read.
    pub bytes: Vec<u8>,
    /// Its text, to edit.
    pub toml: toml::TomlText,
}

/// A plan's id from its title: lower case, ASCII letters and digits joined by `-`.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'é' | 'è' => out.push('e'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ if !out.ends_with('-') && !out.is_empty() => out.push('-'),
            _ => {}
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if out.len() > 60 {
        out.truncate(60);
        out = out.trim_end_matches('-').to_string();
    }
    if out.is_empty() { "plan".into() } else { out }
}

/// Every initiative's id and title, in file order (for lists and suggestions).
pub fn initiative_ids(plan_dir: &Path) -> Result<Vec<(String, String)>> {
    Ok(initiative_files(plan_dir)?
        .into_iter()
        .filter_map(|(_, bytes)| toml::TomlText::parse(&bytes).ok())
        .filter_map(|t| Some((t.root_str("id")?, t.root_str("title").unwrap_or_default())))
        .collect())
}

/// The initiative a write command edits: `given`, or one picked from the plan's initiatives on
/// a terminal; its id, and its file or the refusal to print.
pub fn pick_initiative(
    plan_dir: &Path,
    given: Option<&str>,
    usage: &str,
) -> Result<(String, std::result::Result<InitiativeFile, RefusalAt>)> {
    // The list is read only when it will be shown.
    let choices = if given.is_none() && prompt::interactive() {
        initiative_ids(plan_dir)?
    } else {
        Vec::new()
    };
    let id = prompt::choose(given, "initiative (ID)", usage, &choices)?;
    let file = find_initiative(plan_dir, &id)?;
    Ok((id, file))
}

/// The file of initiative `id`, or the refusal to print.
pub fn find_initiative(
    plan_dir: &Path,
    id: &str,
) -> Result<std::result::Result<InitiativeFile, RefusalAt>> {
    let mut ids = Vec::new();
    let mut unreadable = Vec::new();
    for (rel, bytes) in initiative_files(plan_dir)? {
        let Ok(toml) = toml::TomlText::parse(&bytes) else {
            unreadable.push(display_path(&plan_dir.join(&rel)));
            continue;
        };
        match toml.root_str("id") {
            Some(found) if found == id => return Ok(Ok(InitiativeFile { rel, bytes, toml })),
            Some(found) => ids.push(found),
            None => {}
        }
    }
    let mut refusal = RefusalAt::unknown(
        "initiative",
        id,
        ids.iter().map(String::as_str),
        "the initiatives are",
    );
    if !unreadable.is_empty() {
        refusal.help = Some(format!(
            "{}; {} could not be read as TOML: `plan check` shows why",
            refusal.help.unwrap_or_default(),
            unreadable.join(", ")
        ));
    }
    Ok(Err(refusal))
}

/// The last step of every write command: validate the plan with the change in memory; then
/// print the diff (`dry_run`) or write the change.
pub fn finish(
    ctx: &Context,
    change: &Change,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let verdict = validate::check(ctx, change)?;
    let mut err = std::io::stderr().lock();
    if verdict.refused {
        err.write_all(&verdict.report)?;
        writeln!(err, "{}", verdict.why)?;
        return Ok(Outcome::Failed);
    }
    err.write_all(&verdict.report)?;
    if dry_run {
        out.write_all(change.diff(&ctx.plan_dir)?.as_bytes())?;
        return Ok(Outcome::Success);
    }
    change.apply(&ctx.plan_dir)?;
    for file in change.files(&ctx.plan_dir) {
        writeln!(err, "plan: wrote {file}")?;
    }
    Ok(Outcome::Success)
}

mod validate;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let file = dir.path().join("plan.toml");
        std::fs::write(&file, "id = \"a\"\n").expect("write");
        std::fs::write(dir.path().join("ledger.csv"), "date\n").expect("write");
        let mut change = Change::default();
        // Two files: the first is as read, the second changed since; neither is written.
        change.edit(
            "ledger.csv",
            Some(b"date\n".to_vec()),
            b"date\nx\n".to_vec(),
        );
        change.edit(
            "plan.toml",
            Some(b"id = \"a\"\n".to_vec()),
            b"id = \"b\"\n".to_vec(),
        );
        std::fs::write(&file, "id = \"someone else\"\n").expect("write");
        let error = change.apply(dir.path()).expect_err("refused");
        assert!(error.to_string().contains("run again"), "{error}");
        assert_eq!(
            std::fs::read_to_string(&file).ok().as_deref(),
            Some("id = \"someone else\"\n")
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("ledger.csv"))
                .ok()
                .as_deref(),
            Some("date\n")
        );

        // A new file that appeared meanwhile is not overwritten either.
        let mut change = Change::default();
        change.edit("new.toml", None, b"x = 1\n".to_vec());
        std::fs::write(dir.path().join("new.toml"), "mine = 1\n").expect("write");
        assert!(change.apply(dir.path()).is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("new.toml"))
                .ok()
                .as_deref(),
            Some("mine = 1\n")
        );
    }

    #[test]
    fn nothing_is_written_outside_the_plan_folder() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let plan = dir.path().join("plan");
        std::fs::create_dir(&plan).expect("mkdir");
        for rel in ["../x.toml", "/tmp/x.toml", "a/../../x.toml"] {
            let mut change = Change::default();
            change.edit(rel, None, b"x".to_vec());
            assert!(change.apply(&plan).is_err(), "{rel}");
        }
        assert!(!dir.path().join("x.toml").exists());
    }

    #[test]
    fn the_diff_is_unified() {
        let mut change = Change::default();
        change.edit(
            "a.toml",
            Some(b"x = 1\r\ny = 2\r\n".to_vec()),
            b"x = 1\r\ny = 3\r\n".to_vec(),
        );
        change.edit("b.csv", None, b"date\n".to_vec());
        assert_eq!(
            change.diff(Path::new("plan")).expect("a change in memory"),
            "--- a/plan/a.toml\n+++ b/plan/a.toml\n@@ -1,2 +1,2 @@\n x = 1\n-y = 2\n+y = 3\n--- /dev/null\n+++ b/plan/b.csv\n@@ -0,0 +1 @@\n+date\n"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Innovation i Helsingør Kommune 2013-2015"),
            "innovation-i-helsingoer-kommune-2013-2015"
        );
        assert_eq!(slug("  Ærø: «Plan»  "), "aeroe-plan");
        assert_eq!(slug("→"), "plan");
    }
}
