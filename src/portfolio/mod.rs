//! A portfolio (SPEC 13): the plans of one organisation, declared in a `portfolio.toml` by
//! globs. A layer above one plan's pipeline, never a second one: this module finds the plan
//! folder or portfolio a run is about, lists the members, and runs one plan's pipeline per
//! member, the members in parallel (they are independent). What it gathers becomes the
//! overview ([`crate::report::portfolio`]) and the exports with a `plan` column.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;
use serde::Deserialize;

use crate::Context;

/// The file that makes a folder a portfolio.
pub const FILE: &str = "portfolio.toml";

/// `portfolio.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PortfolioFile {
    /// File format version; must be 1.
    format: i64,
    /// The portfolio's title.
    title: String,
    /// The organisation whose plans these are.
    organisation: String,
    /// Plan folders, as globs relative to the portfolio folder.
    members: Vec<String>,
    /// Folders the member globs match that are not members, as globs.
    #[serde(default)]
    exclude: Vec<String>,
}

/// A portfolio read from its `portfolio.toml`, with its members found.
#[derive(Debug, Clone)]
pub struct Portfolio {
    /// The portfolio folder (as the run names it: relative to the current folder when found
    /// by walking up, so that paths in diagnostics stay short).
    pub root: PathBuf,
    /// Title.
    pub title: String,
    /// Organisation.
    pub organisation: String,
    /// The member plans, by folder name.
    pub members: Vec<Member>,
}

/// One plan of a portfolio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The plan's `id` from its plan.toml, else its folder's name (a plan.toml too broken to
    /// say keeps its row under that name).
    pub id: String,
    /// The plan folder: the portfolio folder joined with `rel`.
    pub dir: PathBuf,
    /// The folder relative to the portfolio folder, with `/`.
    pub rel: String,
}

/// What a run is about.
#[derive(Debug, Clone)]
pub enum Target {
    /// One plan folder.
    Plan(PathBuf),
    /// Every plan of a portfolio.
    Portfolio(Portfolio),
}

/// Find what the run is about (SPEC 13 "Finding the plan"). `given` is `--plan` (or
/// `PLAN_DIR`): a plan folder, a portfolio folder, or a member's id in the portfolio found
/// from `cwd`. Without it: `./plan` when that folder exists (as before portfolios), else the
/// nearest folder at or above `cwd` with a plan.toml (a plan) or a portfolio.toml (a
/// portfolio); else an error that says where it looked.
pub fn discover(given: Option<&Path>, cwd: &Path) -> Result<Target> {
    if let Some(given) = given {
        if given.is_dir() {
            if given.join(FILE).is_file() && !given.join("plan.toml").is_file() {
                return Ok(Target::Portfolio(Portfolio::read(given)?));
            }
            return Ok(Target::Plan(given.to_path_buf()));
        }
        let as_id = given.to_str().filter(|s| is_id(s));
        if let Some(id) = as_id
            && let Some(root) = nearest(cwd, |dir| dir.join(FILE).is_file())
        {
            let portfolio = Portfolio::read(&root)?;
            return match portfolio.members.iter().find(|m| m.id == id) {
                Some(member) => Ok(Target::Plan(member.dir.clone())),
                None => {
                    let ids = portfolio.members.iter().map(|m| m.id.as_str());
                    let hint = match crate::diag::did_you_mean(id, ids) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!(
                            "its members are {}",
                            portfolio
                                .members
                                .iter()
                                .map(|m| format!("`{}`", m.id))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    bail!(
                        "--plan `{id}` is neither a folder nor a member of the portfolio {}: {hint}",
                        crate::source::display_path(&root.join(FILE))
                    )
                }
            };
        }
        return Ok(Target::Plan(given.to_path_buf()));
    }
    let default = PathBuf::from("plan");
    if cwd.join(&default).is_dir() {
        return Ok(Target::Plan(default));
    }
    let found = nearest(cwd, |dir| {
        dir.join("plan.toml").is_file() || dir.join(FILE).is_file()
    });
    match found {
        Some(dir) if dir.join("plan.toml").is_file() => Ok(Target::Plan(dir)),
        Some(dir) => Ok(Target::Portfolio(Portfolio::read(&dir)?)),
        None => bail!(
            "no plan here: no `plan` folder, and no plan.toml or portfolio.toml in {} or a folder above it; give the plan with --plan DIR (or PLAN_DIR), or start one with `plan init`",
            cwd.display()
        ),
    }
}

/// The nearest folder at or above `cwd` for which `found` holds, named relative to `cwd`
/// (`.`, `..`, `../..`): the paths shown in diagnostics then stay relative to where the
/// command runs, as for a plan given by `--plan`.
fn nearest(cwd: &Path, found: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let mut relative = PathBuf::from(".");
    for (up, dir) in cwd.ancestors().enumerate() {
        if found(dir) {
            return Some(relative);
        }
        relative = if up == 0 {
            PathBuf::from("..")
        } else {
            relative.join("..")
        };
    }
    None
}

/// Whether `s` has the form of an id (SPEC 1.1), not of a path.
fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

impl Portfolio {
    /// Read `root/portfolio.toml` and find its members. A portfolio.toml that cannot be read,
    /// or two members with one id, is a failure of the run (exit 2): without its members
    /// there is nothing to report on.
    pub fn read(root: &Path) -> Result<Portfolio> {
        let path = root.join(FILE);
        let shown = crate::source::display_path(&path);
        let text =
            std::fs::read_to_string(&path).with_context(|| format!("cannot read {shown}"))?;
        let file: PortfolioFile =
            toml::from_str(&text).with_context(|| format!("{shown} is not a valid portfolio"))?;
        if file.format != 1 {
            bail!(
                "{shown}: `format = {}` is not a format this version reads; write `format = 1`",
                file.format
            );
        }
        let exclude = file
            .exclude
            .iter()
            .map(|p| {
                glob::Pattern::new(p)
                    .with_context(|| format!("{shown}: `exclude` pattern `{p}` is not a glob"))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut members: Vec<Member> = Vec::new();
        let escaped_root = glob::Pattern::escape(&root.to_string_lossy());
        for pattern in &file.members {
            let full = format!("{escaped_root}/{pattern}");
            let paths = glob::glob(&full)
                .with_context(|| format!("{shown}: `members` pattern `{pattern}` is not a glob"))?;
            // A folder the glob matches that holds no plan.toml (a README, an archive of
            // documents) is not a plan: skipped, as Cargo skips non-packages.
            for dir in paths.flatten() {
                if !dir.join("plan.toml").is_file() {
                    continue;
                }
                let rel = dir
                    .strip_prefix(root)
                    .unwrap_or(&dir)
                    .to_string_lossy()
                    .replace('\\', "/");
                if exclude.iter().any(|p| p.matches(&rel)) || members.iter().any(|m| m.rel == rel) {
                    continue;
                }
                let id = plan_id(&dir).unwrap_or_else(|| {
                    dir.file_name()
                        .map_or_else(|| rel.clone(), |n| n.to_string_lossy().into_owned())
                });
                members.push(Member { id, dir, rel });
            }
        }
        members.sort_by(|a, b| a.rel.cmp(&b.rel));
        for (at, member) in members.iter().enumerate() {
            if let Some(other) = members[..at].iter().find(|m| m.id == member.id) {
                bail!(
                    "{shown}: the plans in `{}` and `{}` both have the id `{}`; give each plan its own id",
                    other.rel,
                    member.rel,
                    member.id
                );
            }
        }
        Ok(Portfolio {
            root: root.to_path_buf(),
            title: file.title,
            organisation: file.organisation,
            members,
        })
    }

    /// Run `each` on every member, in parallel, and return the results in the members'
    /// order. Each call gets a [`Context`] for its member's folder.
    pub fn each<T: Send>(
        &self,
        ctx: &Context,
        each: impl Fn(&Member, &Context) -> Result<T> + Sync,
    ) -> Result<Vec<T>> {
        self.members
            .par_iter()
            .map(|member| each(member, &ctx.for_plan(&member.dir)))
            .collect()
    }
}

/// A member read through one plan's pipeline.
pub struct MemberLoad<'p> {
    /// The member.
    pub member: &'p Member,
    /// Its files read and validated.
    pub loaded: crate::Loaded,
}

impl MemberLoad<'_> {
    /// The plan and ledger when the member has no errors.
    pub fn valid(&self) -> Option<(&crate::model::Plan, &crate::model::Ledger)> {
        match &self.loaded.plan {
            Some(plan) if !self.loaded.diags.has_errors() => Some((plan, &self.loaded.ledger)),
            _ => None,
        }
    }
}

impl Portfolio {
    /// Load every member with `options`, in parallel.
    pub fn load_all(
        &self,
        ctx: &Context,
        options: &crate::LoadOptions,
    ) -> Result<Vec<MemberLoad<'_>>> {
        let loaded = self.each(ctx, |_, ctx| crate::load_with(ctx, options))?;
        Ok(self
            .members
            .iter()
            .zip(loaded)
            .map(|(member, loaded)| MemberLoad { member, loaded })
            .collect())
    }
}

impl Portfolio {
    /// The overview (SPEC 13) of the loaded members, with each one's last change from git.
    /// With `owned_only` (`--owner`), only the plans where the person owns an initiative, and
    /// those that cannot be read (their errors still count).
    pub fn overview(
        &self,
        ctx: &Context,
        loads: &[MemberLoad<'_>],
        owned_only: bool,
    ) -> Result<crate::report::portfolio::Overview> {
        use crate::report::portfolio::{MemberInput, overview};
        let changes = self.each(ctx, |member, ctx| Ok(last_change(ctx, &member.dir)))?;
        let inputs: Vec<MemberInput<'_>> = loads
            .iter()
            .zip(changes)
            .map(|(load, last_change)| MemberInput {
                id: &load.member.id,
                dir: &load.member.rel,
                valid: load.valid(),
                plan: load.loaded.plan.as_ref(),
                errors: load.loaded.diags.errors(),
                warnings: load.loaded.diags.warnings(),
                last_change,
            })
            .filter(|input| {
                !owned_only
                    || input.valid.is_none()
                    || input
                        .valid
                        .is_some_and(|(plan, _)| !plan.initiatives.is_empty())
            })
            .collect();
        Ok(overview(
            &self.title,
            &self.organisation,
            &inputs,
            ctx.as_of,
        ))
    }
}

/// Print the diagnostics of every member with errors to standard error, in the members'
/// order (not as the threads finish), each saying that its rows are left out, and return
/// whether there was one. The other members are reported: one broken plan does not hide
/// the organisation's others.
pub fn report_broken(loads: &[MemberLoad<'_>], color: bool) -> Result<bool> {
    use std::io::Write as _;
    let mut err = std::io::stderr().lock();
    let mut any = false;
    for load in loads.iter().filter(|l| l.valid().is_none()) {
        any = true;
        load.loaded.write_diagnostics(&mut err, color)?;
        writeln!(
            err,
            "plan: `{}` ({}) has errors: it is left out; fix them and run again",
            load.member.id,
            crate::source::display_path(&load.member.dir)
        )?;
    }
    Ok(any)
}

/// The last first-parent commit (from `--rev`, else HEAD) that changed the plan files in
/// `dir`: the newest whose plan tree differs from its parent's. `None` outside a repository,
/// before the first commit, or when the history is cut (a shallow clone) before the change.
pub fn last_change(ctx: &Context, dir: &Path) -> Option<crate::report::portfolio::LastChange> {
    let repo = crate::git::Repo::discover(dir).ok()??;
    let start = match &ctx.rev {
        Some(commit) => commit.clone(),
        None => repo.head().ok()??,
    };
    let tree = repo.plan_tree_id(&start).ok()?;
    tree?;
    let mut walk = repo.first_parents(&start);
    let mut newest = walk.next_commit().ok()??;
    loop {
        let Ok(older) = walk.next_commit() else {
            return None;
        };
        match older {
            Some(older) if repo.plan_tree_id(&older).ok()? == tree => newest = older,
            // The root commit, or one whose parent had other plan files: it made them so.
            _ => {
                return Some(crate::report::portfolio::LastChange {
                    date: newest.date,
                    author: newest.author,
                });
            }
        }
    }
}

/// The `id` of the plan.toml in `dir`, when the file reads as TOML and has one. The
/// pipeline validates it properly; this only names the member.
fn plan_id(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("plan.toml")).ok()?;
    let table: toml::Table = toml::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    table.get("id")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_not_paths() {
        assert!(is_id("greve-klima"));
        assert!(is_id("plan_2.0"));
        assert!(!is_id("planer/klima"));
        assert!(!is_id("../klima"));
        assert!(!is_id(""));
    }

    #[test]
    fn nearest_names_the_folder_relative_to_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b/c");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(dir.path().join("a/plan.toml"), "").unwrap();
        let found = nearest(&deep, |d| d.join("plan.toml").is_file());
        assert_eq!(found, Some(PathBuf::from("../..")));
        assert_eq!(
            nearest(&dir.path().join("a"), |d| d.join("plan.toml").is_file()),
            Some(PathBuf::from("."))
        );
    }
}
