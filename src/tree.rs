//! Stage 1, read: where plan files come from. The pipeline reads every file through a
//! [`Tree`]: the plan directory on disk ([`DirTree`]), a git revision (the git module's tree), or
//! edited files held in memory over another tree ([`Overlay`], for the writing commands).
//!
//! Paths are relative to the plan directory. A tree says what is at a path before anything
//! opens it: a named pipe where a survey file should be would block `open` for ever, and a
//! directory is a mistake in the plan, not a failure of the machine.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// What a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A regular file (after following a symlink) of this many bytes.
    File {
        /// Size in bytes.
        len: u64,
    },
    /// A directory.
    Dir,
    /// Nothing.
    Missing,
    /// A symlink whose target does not exist.
    BrokenLink,
    /// Something that cannot be read as a file: "a named pipe", "a socket", "a device".
    Other(&'static str),
}

impl Entry {
    /// Whether it is a regular file.
    pub fn is_file(self) -> bool {
        matches!(self, Entry::File { .. })
    }

    /// Why a declared file cannot be read, when it is not a regular file.
    pub fn not_a_file(self) -> Option<&'static str> {
        match self {
            Entry::File { .. } => None,
            Entry::Dir => Some("a directory"),
            Entry::Missing => Some("missing"),
            Entry::BrokenLink => Some("a link to a file that does not exist"),
            Entry::Other(what) => Some(what),
        }
    }
}

/// A source of plan files. Every method takes a path relative to the plan directory;
/// `Path::new("")` is the plan directory itself.
pub trait Tree: Send + Sync {
    /// What is at `rel`, after following a symlink. `Err` only when the machine cannot tell
    /// (a permission problem), never for a path that does not exist.
    fn entry(&self, rel: &Path) -> io::Result<Entry>;

    /// Whether `rel` is a regular file (after following a symlink): what [`Tree::entry`]
    /// says without its size, which a tree may tell for less (a git tree without reading
    /// the blob's header).
    fn is_file(&self, rel: &Path) -> bool {
        matches!(self.entry(rel), Ok(Entry::File { .. }))
    }

    /// The whole contents of a regular file.
    fn read(&self, rel: &Path) -> io::Result<Vec<u8>>;

    /// A reader over a regular file, for the streaming reader of large CSV files.
    fn open(&self, rel: &Path) -> io::Result<Box<dyn Read + Send>>;

    /// The names in a directory, sorted; empty when there is no such directory.
    fn list(&self, rel: &Path) -> io::Result<Vec<String>>;

    /// The names in a directory with the [`Tree::content_id`] of each: what a history run
    /// asks of every state it loads (SPEC 10.5), which a tree may answer in one pass.
    fn list_with_ids(&self, rel: &Path) -> io::Result<Vec<(String, Option<ContentId>)>> {
        Ok(with_content_ids(self, rel, self.list(rel)?))
    }

    /// [`Tree::list_with_ids`] into `listed`, whose names a tree may write over rather than
    /// make new ones (a walk lists the same names for every state it loads).
    fn list_with_ids_into(
        &self,
        rel: &Path,
        listed: &mut Vec<(String, Option<ContentId>)>,
    ) -> io::Result<()> {
        *listed = self.list_with_ids(rel)?;
        Ok(())
    }

    /// The name diagnostics and progress lines use for `rel`.
    fn display(&self, rel: &Path) -> String;

    /// [`Tree::display`] of `rel` for [`crate::source::Sources`]: joined to the tree's
    /// [`Tree::name_dir`], when it has one, only when a diagnostic shows it.
    fn file_name(&self, rel: String) -> crate::source::FileName {
        match self.name_dir() {
            Some(_) => crate::source::FileName::joined(rel),
            None => self.display(Path::new(&rel)).into(),
        }
    }

    /// The name of the directory the tree's files are named under, with its separator
    /// (`1a2b3c4:plan/`), when its [`Tree::display`] is that name and a file's path: set on
    /// the [`crate::source::Sources`] a load of it adds its files to.
    fn name_dir(&self) -> Option<std::sync::Arc<str>> {
        None
    }

    /// Why `rel` (lexically inside the plan directory) leads outside it, if it does: a
    /// symlink that points out.
    fn escapes(&self, rel: &Path) -> Option<String>;

    /// Whether a path may lead elsewhere than it reads (the tree may hold a symlink): without
    /// links, a name listed in a directory leads out only when it is `.` or `..`.
    fn has_links(&self) -> bool {
        true
    }

    /// A key that is the same for two paths naming the same file (a file matched by two
    /// globs, or through a symlink, is read once).
    fn identity(&self, rel: &Path) -> PathBuf {
        normalise(rel)
    }

    /// An id of the regular file's contents, when the tree has one: equal ids mean equal
    /// bytes (a git blob id). `None` when it has none (files on disk): nothing is cached.
    fn content_id(&self, _rel: &Path) -> Option<ContentId> {
        None
    }
}

/// `names` of the directory `rel`, each with its content id looked up on its own (what
/// [`Tree::list_with_ids`] gives unless a tree knows better).
pub fn with_content_ids<T: Tree + ?Sized>(
    tree: &T,
    rel: &Path,
    names: Vec<String>,
) -> Vec<(String, Option<ContentId>)> {
    names
        .into_iter()
        .map(|name| {
            let id = tree.content_id(&rel.join(&name));
            (name, id)
        })
        .collect()
}

/// The id of a file's contents ([`Tree::content_id`]): a git blob id, 20 bytes that a
/// history run compares and hashes for every file of every state it loads (SPEC 10.5), so
/// it is a plain value rather than text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentId(pub [u8; 20]);

impl std::hash::Hash for ContentId {
    /// Its first eight bytes: a hash already (SHA-1), and hashing all twenty took a walk
    /// longer. Two ids alike there are still told apart by `Eq`.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let [a, b, c, d, e, f, g, h, ..] = self.0;
        state.write_u64(u64::from_le_bytes([a, b, c, d, e, f, g, h]));
    }
}

/// Resolve a path written in a plan file to a path relative to the plan directory.
/// `Err` says why it is not allowed: absolute, leaving the directory, or a symlink out.
pub fn resolve(tree: &dyn Tree, written: &str) -> Result<PathBuf, String> {
    let rel = Path::new(written);
    if let Some(why) = lexical_escape(rel) {
        return Err(format!("`{written}` {why}"));
    }
    let rel = normalise(rel);
    match tree.escapes(&rel) {
        Some(why) => Err(why),
        None => Ok(rel),
    }
}

/// The files a glob (or a plain path) written in a plan file matches, sorted by path.
/// A plain path is returned when anything is there (what it is, the caller checks).
/// Matching is done one path component at a time over [`Tree::list`], so it works the same
/// on every kind of tree; `**` matches any number of directories.
pub fn glob(tree: &dyn Tree, pattern: &str) -> Result<Vec<PathBuf>, String> {
    if !pattern.contains(['*', '?', '[']) {
        let rel = normalise(Path::new(pattern));
        return Ok(match tree.entry(&rel) {
            Ok(Entry::Missing) | Err(_) => Vec::new(),
            Ok(_) => vec![rel],
        });
    }
    if let Some(why) = lexical_escape(Path::new(pattern)) {
        return Err(format!("`{pattern}` {why}"));
    }
    let parts: Vec<glob::Pattern> = pattern
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .map(glob::Pattern::new)
        .collect::<Result<_, _>>()
        .map_err(|e| e.msg.to_string())?;
    let mut found = Vec::new();
    walk(tree, PathBuf::new(), &parts, &mut found);
    found.sort();
    found.dedup();
    Ok(found)
}

fn walk(tree: &dyn Tree, at: PathBuf, parts: &[glob::Pattern], found: &mut Vec<PathBuf>) {
    let Some((part, rest)) = parts.split_first() else {
        found.push(at);
        return;
    };
    if part.as_str() == "**" {
        // Zero directories, or one more and `**` again.
        walk(tree, at.clone(), rest, found);
        for name in tree.list(&at).unwrap_or_default() {
            let next = at.join(&name);
            if matches!(tree.entry(&next), Ok(Entry::Dir)) {
                walk(tree, next, parts, found);
            }
        }
        return;
    }
    for name in tree.list(&at).unwrap_or_default() {
        if !part.matches(&name) {
            continue;
        }
        let next = at.join(&name);
        if rest.is_empty() || matches!(tree.entry(&next), Ok(Entry::Dir)) {
            walk(tree, next, rest, found);
        }
    }
}

/// `a/./b` → `a/b`, `a/../b` → `b` (only for paths that [`lexical_escape`] accepts).
fn normalise(rel: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in rel.components() {
        match component {
            Component::Normal(name) => out.push(name),
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    out
}

/// Why a written path leaves the plan directory on its face: absolute, or `..` past its top.
pub fn lexical_escape(relative: &Path) -> Option<&'static str> {
    if relative.is_absolute() || relative.has_root() {
        return Some("is absolute: write it relative to the plan directory");
    }
    let mut depth = 0i32;
    for component in relative.components() {
        match component {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::Prefix(_) | Component::RootDir => {
                return Some("is absolute: write it relative to the plan directory");
            }
            Component::CurDir => {}
        }
        if depth < 0 {
            return Some("leaves the plan directory");
        }
    }
    None
}

/// The plan directory on disk.
#[derive(Debug, Clone)]
pub struct DirTree {
    root: PathBuf,
}

impl DirTree {
    /// The plan directory at `root` (as given on the command line).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirTree { root: root.into() }
    }

    /// The plan directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, rel: &Path) -> PathBuf {
        if rel.as_os_str().is_empty() {
            self.root.clone()
        } else if rel.to_string_lossy().contains(char::REPLACEMENT_CHARACTER) {
            real_path(&self.root, rel)
        } else {
            self.root.join(rel)
        }
    }
}

/// `root/rel`, where `rel` may hold names that [`Tree::list`] gave lossily (a file name that
/// is not UTF-8, `01-selvbetj\xe6ning.toml` from a Latin-1 system, is listed with `�`): each
/// such name that is not there as written is the entry of its folder whose name reads the
/// same, so the file listed is the file read.
fn real_path(root: &Path, rel: &Path) -> PathBuf {
    let mut path = root.to_path_buf();
    for component in rel.components() {
        let name = component.as_os_str();
        let written = path.join(name);
        let lossy = name.to_string_lossy();
        if lossy.contains(char::REPLACEMENT_CHARACTER)
            && std::fs::symlink_metadata(&written).is_err()
            && let Some(real) = std::fs::read_dir(&path).ok().and_then(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name())
                    .find(|n| n.to_string_lossy() == lossy)
            })
        {
            path.push(real);
        } else {
            path.push(name);
        }
    }
    path
}

impl Tree for DirTree {
    fn entry(&self, rel: &Path) -> io::Result<Entry> {
        let path = self.path(rel);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => Ok(Entry::File { len: m.len() }),
            Ok(m) if m.is_dir() => Ok(Entry::Dir),
            Ok(m) => Ok(Entry::Other(special_kind(&m))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink()) {
                    Ok(Entry::BrokenLink)
                } else {
                    Ok(Entry::Missing)
                }
            }
            // A path through a regular file (`ledger.csv/x`) names nothing.
            Err(e) if e.raw_os_error() == Some(20) => Ok(Entry::Missing),
            Err(e) => Err(e),
        }
    }

    fn read(&self, rel: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(self.path(rel))
    }

    fn open(&self, rel: &Path) -> io::Result<Box<dyn Read + Send>> {
        Ok(Box::new(std::fs::File::open(self.path(rel))?))
    }

    fn list(&self, rel: &Path) -> io::Result<Vec<String>> {
        let entries = match std::fs::read_dir(self.path(rel)) {
            Ok(entries) => entries,
            // No such directory, or a file where it would be: nothing in it.
            Err(e) if e.kind() == io::ErrorKind::NotFound || e.raw_os_error() == Some(20) => {
                return Ok(Vec::new());
            }
            Err(e) => return Err(e),
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Ok(names)
    }

    fn display(&self, rel: &Path) -> String {
        crate::source::display_path(&self.path(rel))
    }

    fn escapes(&self, rel: &Path) -> Option<String> {
        let path = self.path(rel);
        let shown = self.display(rel);
        let (Ok(root), Ok(target)) = (self.root.canonicalize(), path.canonicalize()) else {
            // A path that does not exist cannot be followed; a dangling symlink is judged
            // by its own target, lexically.
            let relative = match std::fs::read_link(&path) {
                Ok(target) if target.is_absolute() => target,
                Ok(target) => rel.parent().unwrap_or(Path::new("")).join(target),
                Err(_) => rel.to_path_buf(),
            };
            if let Some(why) = lexical_escape(&relative) {
                return Some(format!("`{shown}` {why}"));
            }
            // A file not there yet (one a write command would create): the deepest folder on
            // its way that exists must lie inside, or a symlinked `surveys/` pointing out
            // would take the new file with it.
            let root = self.root.canonicalize().ok()?;
            let folder = path
                .ancestors()
                .skip(1)
                .find_map(|a| a.canonicalize().ok())?;
            return (!folder.starts_with(&root)).then(|| {
                format!(
                    "`{shown}` leads outside the plan directory (through {})",
                    folder.display()
                )
            });
        };
        if target.starts_with(&root) {
            None
        } else {
            Some(format!(
                "`{shown}` leads outside the plan directory (to {})",
                target.display()
            ))
        }
    }

    fn identity(&self, rel: &Path) -> PathBuf {
        let path = self.path(rel);
        path.canonicalize().unwrap_or(path)
    }
}

#[cfg(unix)]
fn special_kind(m: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    if t.is_fifo() {
        "a named pipe"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::Metadata) -> &'static str {
    "not a regular file"
}

/// Edited files held in memory over another tree: the writing commands check a change with
/// the whole plan before anything is written.
pub struct Overlay<'a> {
    base: &'a dyn Tree,
    files: BTreeMap<PathBuf, Contents>,
}

/// What an edited or new file of an [`Overlay`] holds.
enum Contents {
    /// These bytes.
    Bytes(Vec<u8>),
    /// The bytes of a file elsewhere on disk (a survey file copied beside the plan, not held
    /// in memory).
    File(PathBuf),
}

impl<'a> Overlay<'a> {
    /// No edits yet.
    pub fn new(base: &'a dyn Tree) -> Self {
        Overlay {
            base,
            files: BTreeMap::new(),
        }
    }

    /// The file at `rel` (new or replaced) with the contents of the file at `path`, read
    /// from there when it is read.
    pub fn with_file(mut self, rel: impl Into<PathBuf>, path: PathBuf) -> Self {
        self.files
            .insert(normalise(&rel.into()), Contents::File(path));
        self
    }

    /// The file at `rel` (new or replaced) with these contents.
    pub fn with(mut self, rel: impl Into<PathBuf>, bytes: Vec<u8>) -> Self {
        self.files
            .insert(normalise(&rel.into()), Contents::Bytes(bytes));
        self
    }
}

impl Tree for Overlay<'_> {
    fn entry(&self, rel: &Path) -> io::Result<Entry> {
        match self.files.get(rel) {
            Some(Contents::Bytes(bytes)) => Ok(Entry::File {
                len: bytes.len() as u64,
            }),
            Some(Contents::File(path)) => Ok(Entry::File {
                len: std::fs::metadata(path)?.len(),
            }),
            None => match self.base.entry(rel)? {
                Entry::Missing if self.files.keys().any(|p| p.starts_with(rel)) => Ok(Entry::Dir),
                entry => Ok(entry),
            },
        }
    }

    fn read(&self, rel: &Path) -> io::Result<Vec<u8>> {
        match self.files.get(rel) {
            Some(Contents::Bytes(bytes)) => Ok(bytes.clone()),
            Some(Contents::File(path)) => std::fs::read(path),
            None => self.base.read(rel),
        }
    }

    fn open(&self, rel: &Path) -> io::Result<Box<dyn Read + Send>> {
        match self.files.get(rel) {
            Some(Contents::Bytes(bytes)) => Ok(Box::new(io::Cursor::new(bytes.clone()))),
            Some(Contents::File(path)) => Ok(Box::new(std::fs::File::open(path)?)),
            None => self.base.open(rel),
        }
    }

    fn list(&self, rel: &Path) -> io::Result<Vec<String>> {
        let mut names = self.base.list(rel)?;
        for path in self.files.keys() {
            if let Ok(rest) = path.strip_prefix(rel)
                && let Some(Component::Normal(first)) = rest.components().next()
            {
                names.push(first.to_string_lossy().into_owned());
            }
        }
        names.sort();
        names.dedup();
        Ok(names)
    }

    fn display(&self, rel: &Path) -> String {
        self.base.display(rel)
    }

    fn escapes(&self, rel: &Path) -> Option<String> {
        // An edited or new file is written where the base says it lies: ask the base.
        self.base.escapes(rel)
    }

    fn identity(&self, rel: &Path) -> PathBuf {
        if self.files.contains_key(rel) {
            return normalise(rel);
        }
        self.base.identity(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree_with(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for f in files {
            let path = dir.path().join(f);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, "x").expect("write");
        }
        dir
    }

    #[test]
    fn lexical_rules() {
        assert!(lexical_escape(Path::new("/etc/passwd")).is_some());
        assert!(lexical_escape(Path::new("../x.csv")).is_some());
        assert!(lexical_escape(Path::new("a/../../x.csv")).is_some());
        assert!(lexical_escape(Path::new("a/../x.csv")).is_none());
        assert!(lexical_escape(Path::new("surveys/2013.csv")).is_none());
    }

    #[test]
    fn glob_matches_component_by_component() {
        let dir = tree_with(&[
            "ledger.csv",
            "okonomi/a.csv",
            "okonomi/b.csv",
            "okonomi/b.txt",
            "okonomi/2024/c.csv",
        ]);
        let tree = DirTree::new(dir.path());
        let names = |p: &str| -> Vec<String> {
            glob(&tree, p)
                .expect("glob")
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(names("okonomi/*.csv"), ["okonomi/a.csv", "okonomi/b.csv"]);
        assert_eq!(
            names("okonomi/**/*.csv"),
            ["okonomi/2024/c.csv", "okonomi/a.csv", "okonomi/b.csv"]
        );
        assert_eq!(names("ledger.csv"), ["ledger.csv"]);
        assert!(names("nothing.csv").is_empty());
        assert!(glob(&tree, "../*.csv").is_err());
    }

    #[test]
    fn an_overlay_adds_and_replaces_files() {
        let dir = tree_with(&["plan.toml", "initiatives/01-a.toml"]);
        let base = DirTree::new(dir.path());
        let overlay = Overlay::new(&base)
            .with("initiatives/02-b.toml", b"new".to_vec())
            .with("plan.toml", b"edited".to_vec());
        assert_eq!(
            overlay.list(Path::new("initiatives")).expect("list"),
            ["01-a.toml", "02-b.toml"]
        );
        assert_eq!(
            overlay.read(Path::new("plan.toml")).expect("read"),
            b"edited"
        );
        assert_eq!(
            overlay
                .entry(Path::new("initiatives/02-b.toml"))
                .expect("entry"),
            Entry::File { len: 3 }
        );
        // The base is untouched.
        assert_eq!(base.read(Path::new("plan.toml")).expect("read"), b"x");
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_not_a_file_and_is_never_opened() {
        let dir = tree_with(&[]);
        let fifo = dir.path().join("pipe.csv");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        let tree = DirTree::new(dir.path());
        assert_eq!(
            tree.entry(Path::new("pipe.csv")).expect("entry"),
            Entry::Other("a named pipe")
        );
    }
}
