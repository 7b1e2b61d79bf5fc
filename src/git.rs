//! Stage 1, read — from git history (SPEC 10). One job: answer what git holds about the plan
//! directory, as the rest of the program needs it. It is the one module that calls `gix`:
//! every other module sees commits as [`CommitInfo`] and a plan directory at a revision as a
//! [`GitTree`] (a [`crate::tree::Tree`], its links followed inside the plan directory).
//!
//! In order: finding the repository ([`Repo::discover`]); revisions and commits
//! ([`Repo::resolve`], [`Repo::commit`], the first-parent walk [`FirstParents`]); the plan
//! directory at a commit ([`Repo::try_tree_at`], [`GitTree`]); the working tree against HEAD
//! as git compares it ([`Repo::plan_dirty`], [`Repo::converted_files`]). Loading and
//! comparing the states it reads is the history engine's (`src/history/`), not this module's.
//!
//! gix's API moves between minor versions, so it is pinned exactly in Cargo.toml and kept
//! behind this module. Nothing here runs the `git` program.
//!
//! Failures here are machine failures (`anyhow`, exit 2): no repository, a REV that does not
//! resolve, a shallow clone whose history ends before what was asked, a plan directory that
//! did not exist at a revision. Each message says what to do.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, Result, anyhow, bail};
use chrono::DateTime;
pub use gix::ObjectId;
use gix::objs::tree::EntryKind;

use crate::dates::Date;

/// What to tell a user whose clone is shallow.
const FETCH_ALL: &str = "this is a shallow clone and its history ends before that; fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)";

/// The repository that holds a plan directory.
pub struct Repo {
    repo: Mutex<gix::Repository>,
    /// The working tree's root.
    workdir: PathBuf,
    /// The plan directory inside the repository, `/`-separated components (empty at the root),
    /// as shown (a name that is not UTF-8 with `�`).
    plan_path: Vec<String>,
    /// The same path as the file system has it, for looking it up in trees and on disk: a
    /// folder name that is not UTF-8 is found by its own bytes.
    plan_rel: PathBuf,
    /// The plan directory's tree of the commits asked for last ([`Repo::plan_tree_id`]).
    recent_trees: Mutex<Vec<(String, Option<ObjectId>)>>,
    /// The entries of the last tree dropped ([`GitTree`]), whose paths the next tree read
    /// writes over rather than make new ones (a walk reads a tree for every commit).
    spare_nodes: Mutex<Vec<(String, Node)>>,
    /// The boundary commits of a shallow clone, read once: a walk asks of every commit.
    shallow: std::sync::OnceLock<HashSet<String>>,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo")
            .field("workdir", &self.workdir)
            .field("plan_path", &self.plan_path)
            .finish()
    }
}

/// One commit, as reports show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    /// The full id, 40 hex digits.
    pub id: String,
    /// The first 7 hex digits (fixed, so that outputs do not depend on the repository's size).
    pub short: String,
    /// The committer date, in the committer's own time zone.
    pub date: Date,
    /// The author's name.
    pub author: String,
    /// The first line of the message.
    pub summary: String,
    /// The first parent, when there is one.
    pub first_parent: Option<String>,
    /// Its root tree: a walk finds the plan directory from it without reading the commit
    /// again.
    tree: ObjectId,
}

/// What a path in a commit's tree is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A regular file (executable or not): its blob id.
    File(ObjectId),
    /// A directory.
    Dir,
    /// A symbolic link: its target as written.
    Link(String),
    /// A submodule.
    Submodule,
}

impl Repo {
    /// The repository that holds `plan_dir`, found from the plan directory upwards as git
    /// does; `Ok(None)` outside any repository (or when the plan directory does not exist).
    pub fn discover(plan_dir: &Path) -> Result<Option<Repo>> {
        let Ok(abs) = std::fs::canonicalize(plan_dir) else {
            return Ok(None);
        };
        use gix::discover::upwards::Error as Upwards;
        // As git does: GIT_DIR, GIT_CEILING_DIRECTORIES and GIT_DISCOVERY_ACROSS_FILESYSTEM
        // are honoured (the golden tests set a ceiling to run outside any repository).
        // A ceiling that is no prefix of the plan directory is ignored, as git ignores it
        // (gix's default refuses to discover at all then).
        let options = gix::discover::upwards::Options {
            match_ceiling_dir_or_error: false,
            ..Default::default()
        };
        let repo = match gix::ThreadSafeRepository::discover_with_environment_overrides_opts(
            &abs,
            options,
            Default::default(),
        ) {
            Ok(repo) => repo.to_thread_local(),
            Err(error) => {
                return match error.downcast_any_ref::<Upwards>() {
                    Some(
                        Upwards::NoGitRepository { .. }
                        | Upwards::NoGitRepositoryWithinCeiling { .. }
                        | Upwards::NoGitRepositoryWithinFs { .. },
                    ) => Ok(None),
                    _ => Err(anyhow!(
                        "cannot open the git repository that holds {}: {error}",
                        shown(plan_dir)
                    )),
                };
            }
        };
        let Some(workdir) = repo.workdir() else {
            // A bare repository has no working tree for a plan directory to be in.
            return Ok(None);
        };
        let workdir = std::fs::canonicalize(workdir).unwrap_or_else(|_| workdir.to_path_buf());
        if beyond_ceiling(&abs, &workdir) {
            return Ok(None);
        }
        let rel = abs.strip_prefix(&workdir).map_err(|_| {
            anyhow!(
                "the plan directory {} is not inside the working tree of its repository {}",
                shown(plan_dir),
                workdir.display()
            )
        })?;
        let plan_path = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        let plan_rel = rel
            .components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .collect();
        Ok(Some(Repo {
            repo: Mutex::new(repo),
            workdir,
            plan_path,
            plan_rel,
            recent_trees: Mutex::new(Vec::new()),
            spare_nodes: Mutex::new(Vec::new()),
            shallow: std::sync::OnceLock::new(),
        }))
    }

    /// [`Repo::discover`], or exit 2 saying there is no repository.
    pub fn open(plan_dir: &Path) -> Result<Repo> {
        Repo::discover(plan_dir)?.ok_or_else(|| {
            anyhow!(
                "the plan directory {} is not in a git repository; history (--rev, diff, log) needs one (`git init`, then commit the plan)",
                shown(plan_dir)
            )
        })
    }

    /// The plan directory's path inside the repository (`plan`, `examples/fjordby`, or `.`).
    pub fn plan_path(&self) -> String {
        if self.plan_path.is_empty() {
            ".".to_string()
        } else {
            self.plan_path.join("/")
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, gix::Repository> {
        lock(&self.repo)
    }

    /// Whether the repository is a shallow clone.
    #[cfg(test)]
    pub fn is_shallow(&self) -> bool {
        self.lock().is_shallow().unwrap_or(false)
    }

    /// HEAD's commit; `None` when HEAD points to a branch with no commit yet.
    /// A HEAD that cannot be read for another reason (a damaged `packed-refs`, a symbolic
    /// reference in a circle) is an error saying so, not "no commits".
    pub fn head(&self) -> Result<Option<CommitInfo>> {
        let repo = self.lock();
        let id = match repo.head_id() {
            Ok(id) => id.detach(),
            Err(_) => {
                let unborn = repo.head().is_ok_and(|head| head.is_unborn())
                    && repo
                        .references()
                        .ok()
                        .and_then(|refs| refs.all().ok().map(|mut refs| refs.all(|r| r.is_ok())))
                        .unwrap_or(false);
                drop(repo);
                if unborn {
                    return Ok(None);
                }
                return Err(self.unresolved("HEAD"));
            }
        };
        drop(repo);
        self.commit(id).map(Some)
    }

    /// Resolve REV to a commit: a full or abbreviated id, a tag, a branch, `HEAD`, `HEAD~N`,
    /// `REV^`, … (git's revision syntax, without `@{…}`), or a date `YYYY-MM-DD`: the newest
    /// commit on HEAD's first-parent line whose committer date (in its own time zone) is on
    /// or before that day. For a date, the date is returned too; for an annotated tag, the
    /// day it was tagged (its tagger date, in the tagger's time zone): the day reports take.
    pub fn resolve(&self, rev: &str) -> Result<(CommitInfo, Option<Date>)> {
        if rev.contains("@{") {
            bail!(
                "`{rev}`: `@{{…}}` reads the local reflog, which a fresh clone does not have; give a date as YYYY-MM-DD, a tag, a branch or a commit id"
            );
        }
        if let Some(day) = crate::dates::parse_iso_date(rev) {
            return self.resolve_date(rev, day).map(|c| (c, Some(day)));
        }
        let found = {
            let repo = self.lock();
            repo.rev_parse_single(rev)
                .map_err(|e| e.to_string())
                .and_then(|id| {
                    let object = id.object().map_err(|e| e.to_string())?;
                    // An annotated tag records when it was made (the meeting that adopted
                    // the plan): its tagger date is the day the revision stands for.
                    let tagged = match object.kind {
                        gix::object::Kind::Tag => object
                            .to_tag_ref()
                            .tagger()
                            .ok()
                            .flatten()
                            .and_then(|tagger| tagger.time().ok())
                            .and_then(|time| local_date(time.seconds, time.offset)),
                        _ => None,
                    };
                    let commit = object.peel_to_commit().map_err(|e| e.to_string())?;
                    Ok((commit.id, tagged))
                })
        };
        match found {
            Ok((id, tagged)) => self.commit(id).map(|c| (c, tagged)),
            Err(_) => Err(self.unresolved(rev)),
        }
    }

    /// Why REV does not resolve, in the user's words rather than gix's: no commits yet, a
    /// damaged `packed-refs`, a symbolic reference that leads in a circle, a shallow clone,
    /// or a name that is not there (with the tags and branches it may have been meant as).
    fn unresolved(&self, rev: &str) -> anyhow::Error {
        let repo = self.lock();
        let mut names = Vec::new();
        let listed = repo
            .references()
            .map_err(|e| e.to_string())
            .and_then(|refs| {
                for reference in refs.all().map_err(|e| e.to_string())? {
                    let reference = reference.map_err(|e| e.to_string())?;
                    names.push(reference.name().as_bstr().to_string());
                }
                Ok(())
            });
        if let Err(damaged) = listed {
            let packed = repo.common_dir().join("packed-refs");
            return anyhow!(
                "revision `{rev}`: the repository's references cannot be read ({damaged}); {} is damaged, and git cannot read it either: restore it (or clone the repository again)",
                if packed.exists() {
                    shown(&packed)
                } else {
                    "a file under .git/refs".to_string()
                }
            );
        }
        if names.is_empty() && repo.head().is_ok_and(|head| head.is_unborn()) {
            return anyhow!(
                "revision `{rev}`: the repository has no commits yet; commit the plan first (`git add` the plan folder, then `git commit`)"
            );
        }
        if let Some(circle) = symbolic_circle(&repo, rev) {
            return anyhow!(
                "revision `{rev}`: the symbolic reference leads in a circle ({circle}); point one of them at a branch or commit (`git symbolic-ref`, `git update-ref`)"
            );
        }
        if repo.is_shallow().unwrap_or(false) {
            return anyhow!("revision `{rev}` does not resolve: {FETCH_ALL}");
        }
        drop(repo);
        // Tags and branches by their short names, as people type them.
        let short: Vec<&str> = names
            .iter()
            .filter_map(|n| {
                n.strip_prefix("refs/tags/")
                    .or_else(|| n.strip_prefix("refs/heads/"))
                    .or_else(|| n.strip_prefix("refs/remotes/"))
            })
            .collect();
        let near = crate::diag::did_you_mean(rev, short.iter().copied())
            .map(|near| format!(" (did you mean `{near}`?)"))
            .unwrap_or_default();
        anyhow!(
            "revision `{rev}` does not resolve: no commit id, tag or branch of this repository is called that{near}; give a commit id, tag, branch, HEAD~N or a date YYYY-MM-DD"
        )
    }

    fn resolve_date(&self, rev: &str, day: Date) -> Result<CommitInfo> {
        let Some(head) = self.head()? else {
            bail!("revision `{rev}`: the repository has no commits yet");
        };
        let mut walk = self.first_parents(&head);
        while let Some(commit) = walk.next_commit()? {
            if commit.date <= day {
                return Ok(commit);
            }
        }
        bail!("revision `{rev}`: no commit on HEAD's first-parent line is dated on or before {day}")
    }

    /// Read one commit.
    pub fn commit(&self, id: ObjectId) -> Result<CommitInfo> {
        let repo = self.lock();
        let commit = repo.find_commit(id).map_err(|e| {
            if repo.is_shallow().unwrap_or(false) {
                anyhow!("commit {id} is missing: {FETCH_ALL}")
            } else {
                anyhow!("cannot read commit {id}: {e}")
            }
        })?;
        // The header read once, field by field (decoding the commit whole, then its parents
        // again, cost a walk a tenth more per commit).
        use gix::objs::commit::ref_iter::Token;
        let (mut tree, mut first_parent, mut author, mut committer) = (None, None, None, None);
        let (mut encoding, mut message) = (None, None);
        for token in commit.iter() {
            match token.with_context(|| format!("cannot read commit {id}"))? {
                Token::Tree { id } => tree = Some(id),
                Token::Parent { id } => first_parent = first_parent.or(Some(id)),
                Token::Author { signature } => author = Some(signature),
                Token::Committer { signature } => committer = Some(signature),
                Token::Encoding(name) => encoding = Some(name),
                Token::ExtraHeader(_) => {}
                Token::Message(text) => message = Some(text),
            }
        }
        let time = committer
            .with_context(|| format!("cannot read the committer of {id}"))?
            .time()
            .with_context(|| format!("cannot read the committer date of {id}"))?;
        // Names and messages are in the encoding the commit's header names (git's
        // `i18n.commitEncoding`), UTF-8 without one, as `git log` shows them.
        let author = author
            .map(|a| commit_text(a.trim().name, encoding))
            .unwrap_or_default();
        let summary = message.map_or_else(String::new, |text| {
            let summary = gix::objs::commit::MessageRef::from_bytes(text).summary();
            commit_text(summary.as_ref(), encoding)
        });
        let hex = id.to_hex().to_string();
        Ok(CommitInfo {
            short: hex[..7].to_string(),
            id: hex,
            date: local_date(time.seconds, time.offset)
                .ok_or_else(|| anyhow!("commit {id} has a committer date out of range"))?,
            author,
            summary,
            first_parent: first_parent.map(|p| p.to_hex().to_string()),
            tree: tree.with_context(|| format!("cannot read the tree of commit {id}"))?,
        })
    }

    /// Walk the first-parent line from `start` (included) back to the root. Only one commit
    /// is held at a time: memory does not grow with the length of history.
    pub fn first_parents(&self, start: &CommitInfo) -> FirstParents<'_> {
        FirstParents {
            repo: self,
            next: Some(start.clone()),
            cut: false,
        }
    }

    /// Whether `commit` is a boundary of a shallow clone: its parents are not in the repository.
    pub fn is_shallow_boundary(&self, commit: &CommitInfo) -> bool {
        let boundary = self.shallow.get_or_init(|| {
            let repo = self.lock();
            match repo.shallow_commits() {
                Ok(Some(ids)) => ids.iter().map(|id| id.to_hex().to_string()).collect(),
                _ => HashSet::new(),
            }
        });
        boundary.contains(&commit.id)
    }

    /// The plan directory as committed in `commit`; exit 2 when it did not exist there.
    pub fn tree_at(&self, commit: &CommitInfo) -> Result<GitTree<'_>> {
        self.try_tree_at(commit)?.ok_or_else(|| {
            anyhow!(
                "the plan directory `{}` does not exist in commit {} ({} {}); choose a later revision",
                self.plan_path(),
                commit.short,
                commit.date,
                commit.summary
            )
        })
    }

    /// The plan directory as committed in `commit`, or `None` when it did not exist there.
    pub fn try_tree_at(&self, commit: &CommitInfo) -> Result<Option<GitTree<'_>>> {
        let Some(root) = self.plan_tree_id(commit)? else {
            return Ok(None);
        };
        let mut entries = std::mem::take(&mut *lock(&self.spare_nodes));
        let (mut len, mut in_order) = (0, true);
        let mut dir = String::new();
        index(
            &self.lock(),
            root,
            &mut dir,
            (&mut entries, &mut len),
            &mut in_order,
        )?;
        entries.truncate(len);
        let nodes = Nodes::new(entries, in_order);
        let plain = !nodes
            .0
            .iter()
            .any(|(_, n)| matches!(n, Node::Link(_) | Node::Submodule));
        Ok(Some(GitTree {
            repo: self,
            nodes,
            plain,
            base: Arc::from(match self.plan_path.is_empty() {
                true => format!("{}:", commit.short),
                false => format!("{}:{}/", commit.short, self.plan_path.join("/")),
            }),
        }))
    }

    /// The id of the plan directory's tree in `commit`: equal ids mean equal plan files.
    pub fn plan_tree_id(&self, commit: &CommitInfo) -> Result<Option<ObjectId>> {
        // A walk asks for a commit's tree, its parent's, and the tree to load: the last few
        // answers are kept.
        let mut recent = lock(&self.recent_trees);
        if let Some((_, id)) = recent.iter().find(|(c, _)| *c == commit.id) {
            return Ok(*id);
        }
        let id = self.find_plan_tree(commit)?;
        if recent.len() == 4 {
            recent.remove(0);
        }
        recent.push((commit.id.clone(), id));
        Ok(id)
    }

    fn find_plan_tree(&self, commit: &CommitInfo) -> Result<Option<ObjectId>> {
        let repo = self.lock();
        let tree = repo
            .find_tree(commit.tree)
            .with_context(|| format!("cannot read the tree of commit {}", commit.short))?;
        if self.plan_path.is_empty() {
            return Ok(Some(tree.id));
        }
        let entry = tree
            .lookup_entry_by_path(&self.plan_rel)
            .with_context(|| format!("cannot read the tree of commit {}", commit.short))?;
        Ok(entry
            .filter(|e| e.mode().kind() == EntryKind::Tree)
            .map(|e| e.object_id()))
    }

    /// The contents of a blob.
    pub fn blob(&self, id: ObjectId) -> Result<Vec<u8>> {
        let repo = self.lock();
        let mut blob = repo
            .find_blob(id)
            .with_context(|| format!("cannot read blob {id}"))?;
        Ok(blob.take_data())
    }

    /// The size of a blob, without reading it whole.
    pub fn blob_len(&self, id: ObjectId) -> Result<u64> {
        let repo = self.lock();
        Ok(repo
            .find_header(id)
            .with_context(|| format!("cannot read blob {id}"))?
            .size())
    }

    /// Whether the plan directory in the working tree differs from HEAD's: any file added,
    /// removed or changed (untracked files included, ignore rules not consulted), as git
    /// compares it: after its end-of-line conversion ([`Repo::converts_line_ends`]), so a
    /// checkout with `core.autocrlf=true` is clean when git says it is. `false` when HEAD has
    /// no plan directory and the working tree none either.
    pub fn plan_dirty(&self, head: &CommitInfo) -> Result<bool> {
        Ok(self.compare_plan(head, false)?.1)
    }

    /// The working tree's plan files as git reads them when it adds them, where that differs
    /// from their bytes: under `core.autocrlf` a text file's CRLF become LF (unless HEAD's
    /// blob of it holds CRLF itself, which git then leaves alone). By path relative to the
    /// plan directory. Read through them, the working tree is what git sees: `plan diff`
    /// shows no phantom change on a CRLF checkout, and a real edit as git shows it.
    pub fn converted_files(&self, head: &CommitInfo) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
        Ok(self.compare_plan(head, true)?.0)
    }

    /// Whether git converts CRLF to LF when it reads the working tree (`core.autocrlf` is
    /// `true` or `input`).
    fn converts_line_ends(&self) -> bool {
        let repo = self.lock();
        let value = repo.config_snapshot().string("core.autocrlf");
        value.is_some_and(|v| {
            let v = v.to_string().to_ascii_lowercase();
            matches!(v.as_str(), "true" | "yes" | "on" | "1" | "input")
        })
    }

    /// The plan directory of the working tree against HEAD's: when `find_converted`, every
    /// file git converts ([`Repo::converted_files`]; every file is then read), and whether
    /// anything differs. Without it, the first difference ends the comparison.
    fn compare_plan(
        &self,
        head: &CommitInfo,
        find_converted: bool,
    ) -> Result<(BTreeMap<PathBuf, Vec<u8>>, bool)> {
        let mut converted = BTreeMap::new();
        let committed: BTreeMap<PathBuf, Node> = match self.try_tree_at(head)? {
            Some(tree) => tree
                .nodes
                .0
                .iter()
                .filter(|(_, n)| !matches!(n, Node::Dir))
                .map(|(path, node)| (PathBuf::from(path), node.clone()))
                .collect(),
            None => BTreeMap::new(),
        };
        let mut on_disk = BTreeMap::new();
        let dir = self.workdir.join(&self.plan_rel);
        list_dir(&dir, PathBuf::new(), &mut on_disk)?;
        let mut changed = !committed.keys().eq(on_disk.keys());
        if changed && !find_converted {
            return Ok((converted, true));
        }
        let converts = self.converts_line_ends();
        if !converts && find_converted {
            return Ok((converted, changed));
        }
        // As git status does: a file whose stat data match its index entry, and whose index
        // entry is the committed blob, is unchanged without being read. Otherwise sizes
        // first (from the object headers), and a hash only when the size is the committed one.
        let index = self.lock().index_or_empty().ok();
        let unchanged_in_index = |rel: &Path, path: &Path, id: &ObjectId| -> bool {
            let Some(index) = &index else { return false };
            let mut in_repo = self.plan_path.join("/");
            for c in rel.components() {
                if !in_repo.is_empty() {
                    in_repo.push('/');
                }
                in_repo.push_str(&c.as_os_str().to_string_lossy());
            }
            let Some(entry) = index.entry_by_path(in_repo.as_str().into()) else {
                return false;
            };
            let options = gix::index::entry::stat::Options::default();
            let Ok(meta) = gix::index::fs::Metadata::from_path_no_follow(path) else {
                return false;
            };
            let Ok(stat) = gix::index::entry::Stat::from_fs(&meta) else {
                return false;
            };
            entry.id == *id
                && entry.stat.matches(&stat, options)
                && !entry.stat.is_racy(index.timestamp(), options)
        };
        let hash = |bytes: &[u8], path: &Path| -> Result<ObjectId> {
            gix::objs::compute_hash(gix::hash::Kind::Sha1, gix::objs::Kind::Blob, bytes)
                .with_context(|| format!("cannot hash {}", shown(path)))
        };
        for (rel, node) in &on_disk {
            let same = match (node, committed.get(rel)) {
                (OnDisk::Link(target), Some(Node::Link(committed))) => target == committed,
                // A checkout under `core.autocrlf` matches its index entry by stat data while
                // its bytes (CRLF) are not the blob's: it is read when converted files are
                // asked for.
                (OnDisk::File(path, _), Some(Node::File(id)))
                    if !find_converted && unchanged_in_index(rel, path, id) =>
                {
                    true
                }
                (OnDisk::File(path, len), committed) => {
                    let id = match committed {
                        Some(Node::File(id)) => Some(*id),
                        _ => None,
                    };
                    if !converts && id.is_some_and(|id| self.blob_len(id).ok() != Some(*len)) {
                        false
                    } else {
                        let mut bytes = std::fs::read(path)
                            .with_context(|| format!("cannot read {}", shown(path)))?;
                        if converts
                            && let Some(clean) = crlf_to_lf(&bytes)
                            && !id.is_some_and(|id| {
                                self.blob(id)
                                    .is_ok_and(|b| memchr::memmem::find(&b, b"\r\n").is_some())
                            })
                        {
                            bytes = clean.clone();
                            converted.insert(rel.clone(), clean);
                        }
                        id.is_some() && Some(hash(&bytes, path)?) == id
                    }
                }
                _ => false,
            };
            if !same {
                changed = true;
                if !find_converted {
                    break;
                }
            }
        }
        Ok((converted, changed))
    }
}

/// What git's "clean" conversion of a text file makes of `bytes` under `core.autocrlf`:
/// every CRLF as LF; `None` for a binary file (a NUL byte in its first 8,000, git's test)
/// or one without CRLF.
fn crlf_to_lf(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.iter().take(8000).any(|&b| b == 0) || memchr::memmem::find(bytes, b"\r\n").is_none() {
        return None;
    }
    let mut clean = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = memchr::memmem::find(rest, b"\r\n") {
        clean.extend_from_slice(&rest[..at]);
        clean.push(b'\n');
        rest = &rest[at + 2..];
    }
    clean.extend_from_slice(rest);
    Some(clean)
}

/// A file or link of the working tree's plan directory.
enum OnDisk {
    /// A regular file: its path and size.
    File(PathBuf, u64),
    /// A symbolic link: its target.
    Link(String),
}

/// Whether git would not have found a repository whose working tree is `workdir` from
/// `start`: `GIT_CEILING_DIRECTORIES` names a directory above `start` that git does not
/// enter. (gix also looks inside the ceiling directory itself; git does not.)
fn beyond_ceiling(start: &Path, workdir: &Path) -> bool {
    let Some(ceilings) = std::env::var_os("GIT_CEILING_DIRECTORIES") else {
        return false;
    };
    std::env::split_paths(&ceilings)
        .filter(|c| c.is_absolute())
        .filter_map(|c| std::fs::canonicalize(c).ok())
        .any(|c| start.starts_with(&c) && start != c && !(workdir.starts_with(&c) && workdir != c))
}

/// Every file and link under `dir` (not `.git`), by path relative to the plan directory.
fn list_dir(dir: &Path, prefix: PathBuf, out: &mut BTreeMap<PathBuf, OnDisk>) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", shown(dir))),
    };
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", shown(dir)))?;
        let name = entry.file_name();
        if name == ".git" {
            continue;
        }
        let path = entry.path();
        // Keyed as a commit's tree is indexed (a name that is not UTF-8 with `�`).
        let rel = prefix.join(name.to_string_lossy().as_ref());
        let kind = entry
            .file_type()
            .with_context(|| format!("cannot read {}", shown(&path)))?;
        if kind.is_symlink() {
            let target = std::fs::read_link(&path)
                .with_context(|| format!("cannot read {}", shown(&path)))?;
            out.insert(rel, OnDisk::Link(target.to_string_lossy().into_owned()));
        } else if kind.is_dir() {
            list_dir(&path, rel, out)?;
        } else if kind.is_file() {
            let len = entry
                .metadata()
                .with_context(|| format!("cannot read {}", shown(&path)))?
                .len();
            out.insert(rel, OnDisk::File(path, len));
        }
    }
    Ok(())
}

/// The names a symbolic reference named `rev` leads through, when they come back to one
/// already passed (`loop1 → loop2 → loop1`); `None` when there is no such circle.
fn symbolic_circle(repo: &gix::Repository, rev: &str) -> Option<String> {
    use gix::refs::TargetRef;
    let mut passed: Vec<String> = Vec::new();
    let mut name = repo.refs.find(rev).ok()?.name;
    loop {
        let shown = name.shorten().to_string();
        if passed.contains(&shown) {
            passed.push(shown);
            return Some(passed.join(" → "));
        }
        passed.push(shown);
        let reference = repo.refs.find(name.as_ref()).ok()?;
        match reference.target.to_ref() {
            TargetRef::Symbolic(next) => name = next.to_owned(),
            TargetRef::Object(_) => return None,
        }
    }
}

/// The calendar day of a git time in its own time zone. The offset is taken as written, as
/// `git log` takes it, also one beyond any real time zone (`+9959`, written by a misconfigured
/// tool): one odd commit must not make the whole history unreadable.
fn local_date(seconds: i64, offset: i32) -> Option<Date> {
    let local = seconds.checked_add(i64::from(offset))?;
    Some(DateTime::from_timestamp(local, 0)?.date_naive())
}

/// Text of a commit (its author's name, its message) in the encoding its `encoding` header
/// names; UTF-8 without one. Bytes that are not UTF-8 in a commit without the header are
/// read as Windows-1252 (Latin-1 as it is written in practice): `Søren`, not `S�ren`.
fn commit_text(bytes: &[u8], encoding: Option<&gix::bstr::BStr>) -> String {
    let named = encoding.and_then(|label| encoding_rs::Encoding::for_label(label.trim_ascii()));
    match named {
        Some(encoding) => encoding.decode_without_bom_handling(bytes).0.into_owned(),
        None => match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) => encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        },
    }
}

fn shown(path: &Path) -> String {
    crate::source::display_path(path)
}

/// The first-parent line of a commit, newest first (see [`Repo::first_parents`]).
pub struct FirstParents<'r> {
    repo: &'r Repo,
    next: Option<CommitInfo>,
    /// The last commit handed out was a shallow boundary: its parent is not here.
    cut: bool,
}

impl FirstParents<'_> {
    /// The next commit, or `None` after the root. In a shallow clone, walking past the
    /// boundary is an error that says to fetch the whole history.
    pub fn next_commit(&mut self) -> Result<Option<CommitInfo>> {
        if self.cut {
            bail!("the history ends at a shallow boundary: {FETCH_ALL}");
        }
        let Some(current) = self.next.take() else {
            return Ok(None);
        };
        if let Some(parent) = &current.first_parent {
            if self.repo.is_shallow_boundary(&current) {
                self.next = None;
                // Hand out this commit; the caller learns of the cut when it asks for more.
                self.cut = true;
            } else {
                let id = ObjectId::from_hex(parent.as_bytes())
                    .with_context(|| format!("`{parent}` is not a commit id"))?;
                self.next = Some(self.repo.commit(id)?);
            }
        }
        Ok(Some(current))
    }
}

/// The plan directory as committed in one commit: paths relative to the plan directory.
pub struct GitTree<'r> {
    repo: &'r Repo,
    /// Every entry by its path relative to the plan directory, `/`-separated (a name that is
    /// not UTF-8 with `�`): looked up by a plain string compare, which a load does for every
    /// file it reads (SPEC 10.5).
    nodes: Nodes,
    /// Whether it holds only files and directories: a path is then its own key, with no
    /// link on the way to follow.
    plain: bool,
    /// How diagnostics name the plan directory, with the separator a file's path follows:
    /// `SHORTID:path/in/repository/` (every file a load reads is named after it).
    base: Arc<str>,
}

/// A tree's entries by their `/`-separated paths, in the order of the paths (not git's order,
/// which sorts a directory as if its name ended in `/`), each path once: sorted once when the
/// tree is read, then looked up by binary search (a B-tree built for every commit a walk
/// loads cost more than the lookups it saves).
struct Nodes(Vec<(String, Node)>);

impl Nodes {
    /// The entries in any order, or `in_order` of their paths, each path once; of two with
    /// the same path, the later is kept.
    fn new(mut entries: Vec<(String, Node)>, in_order: bool) -> Nodes {
        if in_order {
            return Nodes(entries);
        }
        // A stable sort keeps alike paths in their order; the later takes the earlier's place.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, earlier| {
            let alike = later.0 == earlier.0;
            if alike {
                std::mem::swap(later, earlier);
            }
            alike
        });
        Nodes(entries)
    }

    fn get(&self, path: &str) -> Option<&Node> {
        let i = self
            .0
            .binary_search_by(|(p, _)| crate::source::order_bytes(p.as_bytes(), path.as_bytes()))
            .ok()?;
        Some(&self.0[i].1)
    }

    /// The entries under the directory whose paths start with `start` (its path and a `/`,
    /// or nothing for the root), at any depth: one run of paths.
    fn under(&self, start: &str) -> &[(String, Node)] {
        let first = self.0.partition_point(|(p, _)| {
            crate::source::order_bytes(p.as_bytes(), start.as_bytes()).is_lt()
        });
        let run = self.0[first..].partition_point(|(p, _)| p.starts_with(start));
        &self.0[first..first + run]
    }

    /// The entries right under the directory whose paths start with `start`, by their names.
    fn children<'n>(&'n self, start: &'n str) -> impl Iterator<Item = (&'n str, &'n Node)> {
        self.under(start)
            .iter()
            .map(move |(path, node)| (&path[start.len()..], node))
            // A byte loop: `str::contains` (memchr) cost more than the rest for names this
            // short.
            .filter(|(name, _)| !name.bytes().any(|b| b == b'/'))
    }
}

/// What a path in a [`GitTree`] is, after following links that stay inside the plan directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A regular file, with its blob id.
    File(ObjectId),
    /// A directory.
    Dir,
    /// Nothing there (or a link to nothing).
    Missing,
    /// A link that leaves the plan directory, with a message saying so.
    Escapes(String),
    /// Something else (a submodule, a loop of links).
    Other(&'static str),
}

impl Drop for GitTree<'_> {
    fn drop(&mut self) {
        *lock(&self.repo.spare_nodes) = std::mem::take(&mut self.nodes.0);
    }
}

/// A lock of what only this process changes: a panic while it was held cannot have left it
/// half-changed (the repository is only read).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl GitTree<'_> {
    /// How diagnostics name a file: `SHORTID:path/in/repository`.
    pub fn display(&self, rel: &Path) -> String {
        // `SHORTID:plan/dir/` ([`GitTree::base`]), then the path's parts; a plain relative
        // path (what a load names every file by) as it is written.
        match plain_key(rel) {
            Some(text) => [&self.base, text].concat(),
            None => crate::source::joined_name(&self.base, rel),
        }
    }

    /// What is at `rel`, following links inside the plan directory (at most 40 of them).
    pub fn resolve(&self, rel: &Path) -> Resolved {
        if self.plain {
            // A path written as its key (`initiatives/a.toml`) is looked up as it is.
            if let Some(text) = plain_key(rel) {
                return self.lookup(text);
            }
            if rel.components().all(|c| matches!(c, Component::Normal(_))) {
                return self.lookup(&key(rel));
            }
        }
        self.follow(rel).0
    }

    /// What is at the path `key` ([`GitTree::nodes`]) in a tree with no links or
    /// submodules: every node above an entry is a directory, so the entry is there or not.
    fn lookup(&self, key: &str) -> Resolved {
        match self.nodes.get(key) {
            _ if key.is_empty() => Resolved::Dir,
            Some(Node::File(id)) => Resolved::File(*id),
            Some(_) => Resolved::Dir,
            None => Resolved::Missing,
        }
    }

    /// What is at `rel` and where it really is: its path after following the links on the
    /// way (at most 40), `None` when they lead out of the plan directory or round in a loop.
    /// The one walk behind [`GitTree::resolve`], [`GitTree::list`] and the tree's identity of
    /// a path.
    fn follow(&self, rel: &Path) -> (Resolved, Option<PathBuf>) {
        let Some(mut path) = normalize(Path::new(""), rel) else {
            let message = format!("`{}` leaves the plan directory", rel.display());
            return (Resolved::Escapes(message), None);
        };
        if self.plain {
            return (self.lookup(&key(&path)), Some(path));
        }
        for _ in 0..40 {
            if path.as_os_str().is_empty() {
                return (Resolved::Dir, Some(path));
            }
            // A link in a parent directory leads elsewhere: follow the first one on the way.
            let mut prefix = String::new();
            let mut followed = None;
            let mut found = Resolved::Missing;
            let comps: Vec<_> = path.components().collect();
            for (i, c) in comps.iter().enumerate() {
                if i > 0 {
                    prefix.push('/');
                }
                prefix.push_str(&c.as_os_str().to_string_lossy());
                let last = i + 1 == comps.len();
                match self.nodes.get(&prefix) {
                    None => break,
                    Some(Node::Link(target)) => {
                        let base = Path::new(&prefix).parent().unwrap_or(Path::new(""));
                        let Some(mut next) = normalize(base, Path::new(target)) else {
                            let message = format!(
                                "`{}` is a link to `{target}`, outside the plan directory",
                                rel.display()
                            );
                            return (Resolved::Escapes(message), None);
                        };
                        for rest in &comps[i + 1..] {
                            next.push(rest);
                        }
                        followed = Some(next);
                        break;
                    }
                    Some(Node::File(id)) if last => found = Resolved::File(*id),
                    Some(Node::Dir) if last => found = Resolved::Dir,
                    Some(Node::File(_)) => break,
                    Some(Node::Dir) => continue,
                    Some(Node::Submodule) => {
                        found = Resolved::Other("a submodule");
                        break;
                    }
                }
            }
            match followed {
                Some(next) => path = next,
                None => return (found, Some(path)),
            }
        }
        (Resolved::Other("a loop of symbolic links"), None)
    }

    /// The whole contents of the regular file at `rel`.
    pub fn read(&self, rel: &Path) -> std::io::Result<Vec<u8>> {
        match self.resolve(rel) {
            Resolved::File(id) => self.repo.blob(id).map_err(std::io::Error::other),
            other => Err(not_a_file(&self.display(rel), &other)),
        }
    }

    /// The blob id of the regular file at `rel` (its content id: equal ids, equal bytes).
    pub fn blob_id(&self, rel: &Path) -> Option<ObjectId> {
        match self.resolve(rel) {
            Resolved::File(id) => Some(id),
            _ => None,
        }
    }

    /// The size of the regular file at `rel`.
    #[cfg(test)]
    pub fn len(&self, rel: &Path) -> std::io::Result<u64> {
        match self.resolve(rel) {
            Resolved::File(id) => self.repo.blob_len(id).map_err(std::io::Error::other),
            other => Err(not_a_file(&self.display(rel), &other)),
        }
    }

    /// The names in the directory at `rel`, sorted.
    pub fn list(&self, rel: &Path) -> std::io::Result<Vec<String>> {
        let (Resolved::Dir, Some(dir)) = self.follow(rel) else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} is not a directory", self.display(rel)),
            ));
        };
        let mut start = key(&dir);
        if !start.is_empty() {
            start.push('/');
        }
        // The children of `dir/`, in the order of their names (the index is sorted by path).
        Ok(self
            .nodes
            .children(&start)
            .map(|(name, _)| name.to_string())
            .collect())
    }

    /// Whether `rel` escapes the plan directory (absolute, `..`, or a link pointing out).
    pub fn escapes(&self, rel: &Path) -> Option<String> {
        // Without links, only a path that names a way out (`..`, `/`) leads out.
        if self.plain
            && (plain_key(rel).is_some()
                || rel.components().all(|c| matches!(c, Component::Normal(_))))
        {
            return None;
        }
        match self.resolve(rel) {
            Resolved::Escapes(message) => Some(message),
            _ => None,
        }
    }
}

impl crate::tree::Tree for GitTree<'_> {
    fn entry(&self, rel: &Path) -> std::io::Result<crate::tree::Entry> {
        use crate::tree::Entry;
        Ok(match self.resolve(rel) {
            Resolved::File(id) => Entry::File {
                len: self.repo.blob_len(id).map_err(std::io::Error::other)?,
            },
            Resolved::Dir => Entry::Dir,
            Resolved::Missing => match self.nodes.get(&key(rel)) {
                Some(Node::Link(_)) => Entry::BrokenLink,
                _ => Entry::Missing,
            },
            Resolved::Escapes(_) => Entry::Other("a link that leads outside the plan directory"),
            Resolved::Other(what) => Entry::Other(what),
        })
    }

    fn is_file(&self, rel: &Path) -> bool {
        matches!(self.resolve(rel), Resolved::File(_))
    }

    fn read(&self, rel: &Path) -> std::io::Result<Vec<u8>> {
        GitTree::read(self, rel)
    }

    fn open(&self, rel: &Path) -> std::io::Result<Box<dyn std::io::Read + Send>> {
        // A blob is inflated whole by the object database anyway.
        Ok(Box::new(std::io::Cursor::new(GitTree::read(self, rel)?)))
    }

    fn list(&self, rel: &Path) -> std::io::Result<Vec<String>> {
        match self.resolve(rel) {
            Resolved::Dir => GitTree::list(self, rel),
            _ => Ok(Vec::new()),
        }
    }

    fn list_with_ids(
        &self,
        rel: &Path,
    ) -> std::io::Result<Vec<(String, Option<crate::tree::ContentId>)>> {
        let mut listed = Vec::new();
        self.list_with_ids_into(rel, &mut listed)?;
        Ok(listed)
    }

    fn list_with_ids_into(
        &self,
        rel: &Path,
        listed: &mut Vec<(String, Option<crate::tree::ContentId>)>,
    ) -> std::io::Result<()> {
        if !self.plain {
            // Links may lead elsewhere: each name is looked up on its own way.
            let names = crate::tree::Tree::list(self, rel)?;
            *listed = crate::tree::with_content_ids(self, rel, names);
            return Ok(());
        }
        if !matches!(self.resolve(rel), Resolved::Dir) {
            listed.clear();
            return Ok(());
        }
        // Without links, the directory's entries are one run of keys under its own, in the
        // order of their names, each with its node (a load lists its files this way).
        let mut start = plain_key(rel).map_or_else(|| key(rel), str::to_string);
        if !start.is_empty() {
            start.push('/');
        }
        // Each name written over one listed before, or added.
        let mut len = 0;
        for (name, node) in self.nodes.children(&start) {
            let id = match node {
                Node::File(id) => content_id(id),
                _ => None,
            };
            match listed.get_mut(len) {
                Some(entry) => {
                    entry.0.clear();
                    entry.0.push_str(name);
                    entry.1 = id;
                }
                None => listed.push((name.to_string(), id)),
            }
            len += 1;
        }
        listed.truncate(len);
        Ok(())
    }

    fn display(&self, rel: &Path) -> String {
        GitTree::display(self, rel)
    }

    fn name_dir(&self) -> Option<Arc<str>> {
        Some(Arc::clone(&self.base))
    }

    fn escapes(&self, rel: &Path) -> Option<String> {
        GitTree::escapes(self, rel)
    }

    fn has_links(&self) -> bool {
        !self.plain
    }

    fn content_id(&self, rel: &Path) -> Option<crate::tree::ContentId> {
        content_id(&self.blob_id(rel)?)
    }

    fn identity(&self, rel: &Path) -> PathBuf {
        // The path a link leads to: a file reached two ways is read once.
        self.follow(rel).1.unwrap_or_else(|| rel.to_path_buf())
    }
}

/// A blob id as a content id.
fn content_id(id: &ObjectId) -> Option<crate::tree::ContentId> {
    Some(crate::tree::ContentId(id.as_bytes().try_into().ok()?))
}

fn not_a_file(shown: &str, what: &Resolved) -> std::io::Error {
    let (kind, text) = match what {
        Resolved::Missing => (std::io::ErrorKind::NotFound, "does not exist".to_string()),
        Resolved::Dir => (std::io::ErrorKind::Other, "is a directory".to_string()),
        Resolved::Escapes(m) => (std::io::ErrorKind::Other, m.clone()),
        Resolved::Other(what) => (std::io::ErrorKind::Other, format!("is {what}")),
        Resolved::File(_) => (std::io::ErrorKind::Other, "is a file".to_string()),
    };
    std::io::Error::new(kind, format!("{shown} {text}"))
}

/// Every entry under the tree `id` (recursively), by `/`-separated path under `dir` (see
/// [`GitTree::nodes`]), a directory's entries right after it, each directory's in the order
/// of its tree: a later one of two alike paths (names that are not UTF-8) is the one an index
/// keeps. Mostly the order of the paths already ([`Nodes::new`]). The entries are written
/// over those of `nodes` from `len` on (a tree read before), then added.
fn index(
    repo: &gix::Repository,
    id: ObjectId,
    dir: &mut String,
    (nodes, len): (&mut Vec<(String, Node)>, &mut usize),
    in_order: &mut bool,
) -> Result<()> {
    let tree = repo
        .find_tree(id)
        .with_context(|| format!("cannot read tree {id}"))?;
    let mut before: &[u8] = &[];
    // The length of the separator between `dir` and a name.
    let sep = usize::from(!dir.is_empty());
    for entry in tree.iter() {
        let entry = entry.with_context(|| format!("cannot read tree {id}"))?;
        let raw: &[u8] = entry.inner.filename.as_ref();
        // A tree's order is the paths' but where a name sorts before `/`: git sorts `a.toml`
        // before the directory `a` (as `a/`), which then comes right after it; two alike
        // names (a damaged tree) are out of order too. Told here, the paths need no sort
        // and no check (which cost 2 % of a walk).
        let kind = entry.mode().kind();
        if alike(raw, before)
            || kind == EntryKind::Tree
                && before
                    .strip_prefix(raw)
                    .is_some_and(|rest| rest.first().is_some_and(|&b| b < b'/'))
        {
            *in_order = false;
        }
        before = raw;
        // The entry written over is mostly the same path (the tree before at the same place):
        // then it is kept as it is, its bytes being `raw`'s (so `raw` is UTF-8).
        match nodes.get_mut(*len) {
            Some((path, _)) if is_path(path, dir, raw) => {}
            spare => {
                // UTF-8 checked first: `from_utf8_lossy` alone takes longer for the names
                // that are.
                let name = match std::str::from_utf8(raw) {
                    Ok(name) => std::borrow::Cow::Borrowed(name),
                    Err(_) => {
                        // Two names may read alike.
                        *in_order = false;
                        String::from_utf8_lossy(raw)
                    }
                };
                let path = match spare {
                    Some((path, _)) => {
                        path.clear();
                        path
                    }
                    None => {
                        nodes.push((String::new(), Node::Dir));
                        &mut nodes[*len].0
                    }
                };
                path.push_str(dir);
                if sep > 0 {
                    path.push('/');
                }
                path.push_str(&name);
            }
        }
        let oid = entry.object_id();
        let (path, node) = &mut nodes[*len];
        *node = match kind {
            EntryKind::Tree => Node::Dir,
            EntryKind::Blob | EntryKind::BlobExecutable => Node::File(oid),
            EntryKind::Link => {
                let target = repo
                    .find_blob(oid)
                    .with_context(|| format!("cannot read link {path}"))?;
                Node::Link(String::from_utf8_lossy(&target.data).into_owned())
            }
            EntryKind::Commit => Node::Submodule,
        };
        *len += 1;
        if kind == EntryKind::Tree {
            let at = dir.len();
            dir.push_str(&path[at..]);
            index(repo, oid, dir, (&mut *nodes, &mut *len), in_order)?;
            dir.truncate(at);
        }
    }
    Ok(())
}

/// Whether `path` is `dir` joined with the name `raw` (`dir` empty: the name alone).
fn is_path(path: &str, dir: &str, raw: &[u8]) -> bool {
    let path = path.as_bytes();
    let sep = usize::from(!dir.is_empty());
    path.len() == dir.len() + sep + raw.len()
        && crate::source::same_bytes(&path[dir.len() + sep..], raw)
        && crate::source::same_bytes(&path[..dir.len()], dir.as_bytes())
        && (sep == 0 || path[dir.len()] == b'/')
}

/// Whether two names are the same, told by a byte loop: names are short, and most differ in
/// their first bytes, which a call of `memcmp` for each name of each tree a walk reads cost
/// more than.
fn alike(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// `rel` as written when it is `/`-separated names, none of them empty, `.` or `..` (as a
/// load names the files it reads), which is then its own key: looked at byte by byte, as
/// `Path::components` would take far longer for every file of every state a walk loads.
fn plain_key(rel: &Path) -> Option<&str> {
    let text = rel.to_str()?;
    // The length of the name so far, and how many of its bytes are dots.
    let (mut len, mut dots) = (0, 0);
    let odd = |len: usize, dots: usize| len == 0 || (dots == len && len <= 2);
    for &b in text.as_bytes() {
        if b == b'/' {
            if odd(len, dots) {
                return None;
            }
            (len, dots) = (0, 0);
        } else {
            len += 1;
            dots += usize::from(b == b'.');
        }
    }
    (!odd(len, dots)).then_some(text)
}

/// A path as [`GitTree::nodes`] keys it: its normal components joined by `/`.
fn key(path: &Path) -> String {
    let mut key = String::new();
    for c in path.components() {
        if let Component::Normal(s) = c {
            if !key.is_empty() {
                key.push('/');
            }
            key.push_str(&s.to_string_lossy());
        }
    }
    key
}

/// `base/rel` with `.` and `..` resolved, as a path inside the plan directory; `None` when
/// it is absolute or leaves the directory.
fn normalize(base: &Path, rel: &Path) -> Option<PathBuf> {
    let mut out: Vec<&std::ffi::OsStr> = Vec::new();
    for c in base.components().chain(rel.components()) {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree's index: sorted by path (a directory's entries after `a.toml`, not before it
    /// as git sorts them), the later of two alike paths kept, a directory's children found
    /// by their names alone.
    #[test]
    fn an_index_keeps_the_later_of_alike_paths() {
        let id = |n: u8| Node::File(ObjectId::from_bytes_or_panic(&[n; 20]));
        let nodes = Nodes::new(
            vec![
                ("a.toml".into(), id(1)),
                ("a".into(), Node::Dir),
                ("a/x".into(), id(2)),
                ("a/b".into(), Node::Dir),
                ("a/b/y".into(), id(3)),
                ("a.toml".into(), id(4)),
                ("ab".into(), id(5)),
            ],
            false,
        );
        let paths: Vec<_> = nodes.0.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["a", "a.toml", "a/b", "a/b/y", "a/x", "ab"]);
        assert_eq!(nodes.get("a.toml"), Some(&id(4)));
        assert_eq!(nodes.get("a/b/y"), Some(&id(3)));
        assert_eq!(nodes.get("a/y"), None);
        let children: Vec<_> = nodes.children("a/").map(|(name, _)| name).collect();
        assert_eq!(children, ["b", "x"]);
        let root: Vec<_> = nodes.children("").map(|(name, _)| name).collect();
        assert_eq!(root, ["a", "a.toml", "ab"]);
    }

    #[test]
    fn the_local_date_is_the_committers_own_day() {
        // 2014-06-30 23:30 in UTC+02:00 is 21:30 UTC: still the 30th there.
        let seconds = DateTime::parse_from_rfc3339("2014-06-30T23:30:00+02:00")
            .map(|d| d.timestamp())
            .unwrap_or_default();
        assert_eq!(local_date(seconds, 7200), Date::from_ymd_opt(2014, 6, 30));
        // The same instant in UTC−05:00 is still the 30th; in UTC+03:00 the 1st of July.
        assert_eq!(
            local_date(seconds, -5 * 3600),
            Date::from_ymd_opt(2014, 6, 30)
        );
        assert_eq!(
            local_date(seconds, 3 * 3600),
            Date::from_ymd_opt(2014, 7, 1)
        );
    }

    #[test]
    fn an_offset_beyond_any_time_zone_is_taken_as_written() {
        // 2021-08-26 17:46:40 UTC, 99 h 59 min east: 2021-08-30 21:45:40, as `git log` shows.
        assert_eq!(
            local_date(1_630_000_000, 99 * 3600 + 59 * 60),
            Date::from_ymd_opt(2021, 8, 30)
        );
        assert_eq!(
            local_date(1_630_000_000, -(99 * 3600 + 59 * 60)),
            Date::from_ymd_opt(2021, 8, 22)
        );
    }

    #[test]
    fn commit_text_follows_the_encoding_header() {
        let latin1 = Some(gix::bstr::BStr::new("ISO-8859-1"));
        assert_eq!(commit_text(b"S\xf8ren", latin1), "Søren");
        assert_eq!(commit_text("Søren".as_bytes(), None), "Søren");
        // No header, not UTF-8: read as Windows-1252 rather than with `�`.
        assert_eq!(commit_text(b"S\xf8ren", None), "Søren");
        // An unknown label: as without one.
        let unknown = Some(gix::bstr::BStr::new("x-nonesuch"));
        assert_eq!(commit_text("Søren".as_bytes(), unknown), "Søren");
    }

    #[test]
    fn crlf_becomes_lf_in_text_only() {
        assert_eq!(crlf_to_lf(b"a\r\nb\r\n").as_deref(), Some(&b"a\nb\n"[..]));
        assert_eq!(crlf_to_lf(b"a\rb\n"), None);
        assert_eq!(crlf_to_lf(b"a\0\r\n"), None);
    }

    #[test]
    fn a_plain_key_is_names_only() {
        for plain in ["a", "initiatives/a.toml", "...", ".a/..b", "a./b.."] {
            assert_eq!(plain_key(Path::new(plain)), Some(plain), "{plain}");
        }
        for odd in [
            "", "/a", "a/", "a//b", ".", "..", "a/./b", "a/../b", "./a", "a/..",
        ] {
            assert_eq!(plain_key(Path::new(odd)), None, "{odd}");
        }
    }

    #[test]
    fn normalize_keeps_paths_inside() {
        assert_eq!(
            normalize(Path::new("a"), Path::new("../b")),
            Some(PathBuf::from("b"))
        );
        assert_eq!(
            normalize(Path::new("a"), Path::new("./c/../d")),
            Some(PathBuf::from("a/d"))
        );
        assert_eq!(normalize(Path::new(""), Path::new("../x")), None);
        assert_eq!(normalize(Path::new("a"), Path::new("/etc/passwd")), None);
    }

    #[test]
    fn the_repository_handle_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Repo>();
        shared::<GitTree<'_>>();
    }
}

#[cfg(test)]
mod repo_tests {
    //! Against repositories built with the `git` program (tests only: `plan` never runs it).

    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str], date: &str) {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "Tove Holder")
            .env("GIT_AUTHOR_EMAIL", "tove@example.org")
            .env("GIT_COMMITTER_NAME", "Tove Holder")
            .env("GIT_COMMITTER_EMAIL", "tove@example.org")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .status();
        assert!(status.is_ok_and(|s| s.success()), "git {args:?} failed");
    }

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create the folder");
        }
        std::fs::write(path, text).expect("write the file");
    }

    /// Three commits: plan added (tag v1), a file outside the plan, a change in the plan,
    /// the last one late in the evening of 2014-06-30 in UTC+02:00.
    fn repo() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        git(
            dir,
            &["init", "-q", "-b", "main"],
            "2014-01-01T10:00:00+01:00",
        );
        write(dir, "plan/plan.toml", "format = 1\n");
        write(dir, "plan/initiatives/i1.toml", "id = \"I1\"\n");
        write(dir, "README", "hello\n");
        git(dir, &["add", "."], "2014-01-01T10:00:00+01:00");
        git(
            dir,
            &["commit", "-q", "-m", "Adopted\n\nThe body."],
            "2014-01-01T10:00:00+01:00",
        );
        git(dir, &["tag", "v1"], "2014-01-01T10:00:00+01:00");
        write(dir, "README", "hello again\n");
        git(
            dir,
            &["commit", "-q", "-am", "Readme"],
            "2014-03-01T10:00:00+01:00",
        );
        write(
            dir,
            "plan/initiatives/i1.toml",
            "id = \"I1\"\ntitle = \"x\"\n",
        );
        std::os::unix::fs::symlink("i1.toml", dir.join("plan/initiatives/link.toml")).ok();
        std::os::unix::fs::symlink("../../README", dir.join("plan/initiatives/out.toml")).ok();
        git(dir, &["add", "."], "2014-06-30T23:30:00+02:00");
        git(
            dir,
            &["commit", "-q", "-m", "Title"],
            "2014-06-30T23:30:00+02:00",
        );
        tmp
    }

    #[test]
    fn revisions_resolve_as_git_resolves_them() -> Result<()> {
        let tmp = repo();
        let repo = Repo::open(&tmp.path().join("plan"))?;
        assert_eq!(repo.plan_path(), "plan");
        let head = repo.head()?.expect("a HEAD");
        assert_eq!(head.summary, "Title");
        assert_eq!(head.author, "Tove Holder");
        assert_eq!(head.date, Date::from_ymd_opt(2014, 6, 30).expect("date"));
        let (v1, _) = repo.resolve("v1")?;
        assert_eq!(v1.summary, "Adopted");
        assert_eq!(repo.resolve("HEAD~2")?.0, v1);
        assert_eq!(repo.resolve("HEAD^^")?.0, v1);
        assert_eq!(repo.resolve(&v1.short)?.0, v1);
        assert_eq!(repo.resolve(&v1.id)?.0, v1);
        assert_eq!(repo.resolve("main")?.0, head);
        // A date: the newest first-parent commit dated on or before it, in its own zone.
        let (c, day) = repo.resolve("2014-06-30")?;
        assert_eq!(
            (c.summary.as_str(), day),
            ("Title", Date::from_ymd_opt(2014, 6, 30))
        );
        assert_eq!(repo.resolve("2014-06-29")?.0.summary, "Readme");
        assert_eq!(repo.resolve("2014-02-01")?.0, v1);
        let too_early = repo
            .resolve("2013-12-31")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(too_early.contains("no commit"), "{too_early}");
        let unknown = repo.resolve("nope").map(|_| ()).unwrap_err().to_string();
        assert!(unknown.contains("`nope` does not resolve"), "{unknown}");
        let reflog = repo
            .resolve("HEAD@{2014-06-30}")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(reflog.contains("reflog"), "{reflog}");
        Ok(())
    }

    /// Git sorts the directory `a` as `a/`, after `a-b.toml` and `a.toml`: a tree read in
    /// its order is looked up in the paths' order, read over the entries of the tree read
    /// before it (more of them or fewer) as well as afresh.
    #[test]
    fn a_tree_in_gits_order_is_looked_up_by_path() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path();
        let at = "2014-01-01T10:00:00+01:00";
        git(dir, &["init", "-q", "-b", "main"], at);
        for rel in ["a.toml", "a/x.toml", "a-b.toml", "ab/y.toml", "z.toml"] {
            write(dir, &format!("plan/{rel}"), rel);
        }
        git(dir, &["add", "."], at);
        git(dir, &["commit", "-q", "-m", "All"], at);
        git(dir, &["rm", "-q", "plan/a.toml"], at);
        git(dir, &["commit", "-q", "-m", "Fewer"], at);
        let repo = Repo::open(&dir.join("plan"))?;
        let head = repo.head()?.expect("a HEAD");
        let (all, _) = repo.resolve("HEAD~1")?;
        let check = |commit: &CommitInfo, root: &[&str]| -> Result<()> {
            let tree = repo.tree_at(commit)?;
            assert_eq!(tree.list(Path::new(""))?, root);
            assert_eq!(tree.list(Path::new("a"))?, ["x.toml"]);
            assert_eq!(tree.read(Path::new("a/x.toml"))?, b"a/x.toml");
            assert_eq!(tree.read(Path::new("ab/y.toml"))?, b"ab/y.toml");
            assert_eq!(
                tree.blob_id(Path::new("a.toml")).is_some(),
                root.contains(&"a.toml")
            );
            Ok(())
        };
        let every = ["a", "a-b.toml", "a.toml", "ab", "z.toml"];
        check(&all, &every)?;
        check(&head, &["a", "a-b.toml", "ab", "z.toml"])?;
        check(&all, &every)?;
        Ok(())
    }

    #[test]
    fn the_first_parent_walk_goes_back_to_the_root() -> Result<()> {
        let tmp = repo();
        let repo = Repo::open(&tmp.path().join("plan"))?;
        let head = repo.head()?.expect("a HEAD");
        let mut walk = repo.first_parents(&head);
        let mut seen = Vec::new();
        while let Some(c) = walk.next_commit()? {
            seen.push(c.summary);
        }
        assert_eq!(seen, ["Title", "Readme", "Adopted"]);
        Ok(())
    }

    #[test]
    fn a_tree_at_a_commit_reads_the_plan_directory_then() -> Result<()> {
        let tmp = repo();
        let repo = Repo::open(&tmp.path().join("plan"))?;
        let (v1, _) = repo.resolve("v1")?;
        let (readme, _) = repo.resolve("HEAD~1")?;
        let old = repo.tree_at(&v1)?;
        assert_eq!(
            old.read(Path::new("initiatives/i1.toml"))?,
            b"id = \"I1\"\n"
        );
        assert_eq!(old.list(Path::new("initiatives"))?, ["i1.toml"]);
        assert_eq!(old.list(Path::new(""))?, ["initiatives", "plan.toml"]);
        assert_eq!(
            old.display(Path::new("plan.toml")),
            format!("{}:plan/plan.toml", v1.short)
        );
        // A name joined when shown is the name the tree gives.
        for rel in [
            "plan.toml",
            "initiatives/i1.toml",
            "./initiatives//i1.toml",
            "",
            "a/../b",
        ] {
            let mut sources = crate::source::Sources::default();
            sources.set_dir(crate::tree::Tree::name_dir(&old));
            let name = crate::tree::Tree::file_name(&old, rel.to_string());
            let id = sources.add(name, String::new());
            assert_eq!(sources.name(id), old.display(Path::new(rel)), "{rel:?}");
        }
        // A commit outside the plan folder leaves its tree as it was.
        assert_eq!(repo.plan_tree_id(&readme)?, repo.plan_tree_id(&v1)?);
        let head = repo.head()?.expect("a HEAD");
        let new = repo.tree_at(&head)?;
        assert_ne!(repo.plan_tree_id(&head)?, repo.plan_tree_id(&v1)?);
        // A link inside the plan folder is followed; one that leaves it is not.
        assert_eq!(
            new.read(Path::new("initiatives/link.toml"))?,
            new.read(Path::new("initiatives/i1.toml"))?
        );
        assert_eq!(
            new.blob_id(Path::new("initiatives/link.toml")),
            new.blob_id(Path::new("initiatives/i1.toml"))
        );
        assert!(new.escapes(Path::new("initiatives/out.toml")).is_some());
        assert!(new.read(Path::new("initiatives/out.toml")).is_err());
        assert!(new.escapes(Path::new("../README")).is_some());
        assert_eq!(new.resolve(Path::new("ledger.csv")), Resolved::Missing);
        assert_eq!(new.resolve(Path::new("initiatives")), Resolved::Dir);
        assert_eq!(new.len(Path::new("plan.toml"))?, 11);
        // The plan directory as committed equals the working tree: not dirty; then edited: dirty.
        assert!(!repo.plan_dirty(&head)?);
        write(tmp.path(), "README", "outside\n");
        assert!(!repo.plan_dirty(&head)?);
        write(tmp.path(), "plan/ledger.csv", "date\n");
        assert!(repo.plan_dirty(&head)?);
        std::fs::remove_file(tmp.path().join("plan/ledger.csv"))?;
        assert!(!repo.plan_dirty(&head)?);
        // The same size, other bytes: found by the hash.
        write(tmp.path(), "plan/plan.toml", "format = 2\n");
        assert!(repo.plan_dirty(&head)?);
        Ok(())
    }

    #[test]
    fn links_lead_the_same_way_for_reading_listing_and_identity() -> Result<()> {
        let tmp = repo();
        let dir = tmp.path();
        let link = |target: &str, at: &str| std::os::unix::fs::symlink(target, dir.join(at));
        link("initiatives", "plan/alias")?;
        link("alias", "plan/chain")?;
        link(".", "plan/here")?;
        link("loop2", "plan/loop1")?;
        link("loop1", "plan/loop2")?;
        link("../alias/i1.toml", "plan/initiatives/up.toml")?;
        git(dir, &["add", "."], "2014-07-01T10:00:00+02:00");
        git(
            dir,
            &["commit", "-q", "-m", "Links"],
            "2014-07-01T10:00:00+02:00",
        );
        let repo = Repo::open(&dir.join("plan"))?;
        let head = repo.head()?.expect("a HEAD");
        let tree = repo.tree_at(&head)?;
        let identity = |rel: &str| crate::tree::Tree::identity(&tree, Path::new(rel));
        let file = tree.resolve(Path::new("initiatives/i1.toml"));
        assert!(matches!(file, Resolved::File(_)));
        // A link in a parent directory, a link to a link, a link back up: the same file.
        for rel in [
            "alias/i1.toml",
            "chain/i1.toml",
            "here/chain/i1.toml",
            "alias/up.toml",
        ] {
            assert_eq!(tree.resolve(Path::new(rel)), file, "{rel}");
            assert_eq!(identity(rel), PathBuf::from("initiatives/i1.toml"), "{rel}");
        }
        assert_eq!(tree.resolve(Path::new("here")), Resolved::Dir);
        assert_eq!(identity("here"), PathBuf::new());
        assert_eq!(
            tree.list(Path::new("chain"))?,
            tree.list(Path::new("initiatives"))?
        );
        assert_eq!(tree.list(Path::new("here"))?, tree.list(Path::new(""))?);
        // Below a missing name or a file there is nothing; the links on the way still count.
        assert_eq!(
            tree.resolve(Path::new("alias/none.toml")),
            Resolved::Missing
        );
        assert_eq!(
            identity("alias/none.toml"),
            PathBuf::from("initiatives/none.toml")
        );
        assert_eq!(
            tree.resolve(Path::new("initiatives/i1.toml/x")),
            Resolved::Missing
        );
        assert!(tree.list(Path::new("alias/i1.toml")).is_err());
        // A loop, and a way out, keep the path as it was asked for.
        assert_eq!(
            tree.resolve(Path::new("loop1/x")),
            Resolved::Other("a loop of symbolic links")
        );
        assert_eq!(identity("loop1/x"), PathBuf::from("loop1/x"));
        assert!(tree.list(Path::new("loop1")).is_err());
        assert!(tree.escapes(Path::new("initiatives/out.toml")).is_some());
        assert_eq!(
            identity("initiatives/out.toml"),
            PathBuf::from("initiatives/out.toml")
        );
        Ok(())
    }

    #[test]
    fn a_plan_directory_missing_at_a_commit_is_an_error_that_says_so() -> Result<()> {
        let tmp = repo();
        std::fs::create_dir_all(tmp.path().join("other"))?;
        let repo = Repo::open(&tmp.path().join("other"))?;
        let head = repo.head()?.expect("a HEAD");
        let error = repo.tree_at(&head).map(|_| ()).unwrap_err().to_string();
        assert!(
            error.contains("`other` does not exist in commit"),
            "{error}"
        );
        Ok(())
    }

    #[test]
    fn outside_a_repository_there_is_none() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        assert!(Repo::discover(tmp.path())?.is_none());
        let error = Repo::open(tmp.path()).map(|_| ()).unwrap_err().to_string();
        assert!(error.contains("not in a git repository"), "{error}");
        Ok(())
    }

    #[test]
    fn a_shallow_clone_says_to_fetch_the_whole_history() -> Result<()> {
        let tmp = repo();
        let clone = tempfile::tempdir()?;
        let url = format!("file://{}", tmp.path().display());
        git(
            clone.path(),
            &["clone", "-q", "--depth", "1", &url, "c"],
            "2014-07-01T10:00:00+00:00",
        );
        let repo = Repo::open(&clone.path().join("c/plan"))?;
        assert!(repo.is_shallow());
        let head = repo.head()?.expect("a HEAD");
        assert!(repo.tree_at(&head).is_ok());
        let error = repo.resolve("HEAD~1").map(|_| ()).unwrap_err().to_string();
        assert!(error.contains("fetch-depth: 0"), "{error}");
        let mut walk = repo.first_parents(&head);
        assert!(walk.next_commit()?.is_some());
        let error = walk.next_commit().map(|_| ()).unwrap_err().to_string();
        assert!(error.contains("fetch-depth: 0"), "{error}");
        Ok(())
    }
}
