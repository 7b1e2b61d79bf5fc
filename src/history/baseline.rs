//! The baseline (SPEC 10.4): the milestones' due dates in every first-parent commit from the
//! baseline revision to the revision a report shows, for the slippage the reports compute.
//! [`crate::load_with`] fills `Plan::baseline` from it after validation.

use std::path::Path;

use anyhow::{Context as _, Result};

use crate::git::{CommitInfo, Repo};
use crate::load::memo::LoadMemo;
use crate::model::{Baseline, Dues};

/// The baseline (SPEC 10.4) from `--baseline` (`from_cli`), else plan.toml's `baseline`: the milestones'
/// due dates in every first-parent commit from the baseline to the revision shown (`shown`:
/// `--rev`, or `None` for HEAD and the working tree). A commit whose plan files are the same as the previous
/// one's is not read again; one whose plan has errors is skipped. Exit 2, saying what to do,
/// outside a repository, in a shallow clone that does not reach the baseline, or for a
/// baseline that does not resolve or is not on that first-parent line.
pub fn baseline(
    plan_dir: &Path,
    shown: Option<&CommitInfo>,
    from_cli: Option<&str>,
    from_plan: Option<&str>,
) -> Result<Option<Baseline>> {
    let (rev, named_by) = match (from_cli, from_plan) {
        (Some(rev), _) => (rev, "--baseline"),
        (None, Some(rev)) => (rev, "plan.toml's `baseline`"),
        (None, None) => return Ok(None),
    };
    let repo = Repo::discover(plan_dir)?.ok_or_else(|| {
        anyhow::anyhow!(
            "{named_by} `{rev}` needs the plan's git history, and the plan directory {} is not in a git repository",
            crate::source::display_path(plan_dir)
        )
    })?;
    let context = || format!("{named_by} `{rev}`");
    let (base, _) = repo.resolve(rev).with_context(context)?;
    let start = match shown {
        Some(commit) => commit.clone(),
        None => repo
            .head()?
            .ok_or_else(|| anyhow::anyhow!("{}: the repository has no commits yet", context()))?,
    };
    // Newest first, back to the baseline.
    let mut commits = Vec::new();
    let mut walk = repo.first_parents(&start);
    loop {
        let Some(commit) = walk.next_commit().with_context(context)? else {
            anyhow::bail!(
                "{}: commit {} ({} {}) is not on the first-parent history of {} ({}); give a baseline that is",
                context(),
                base.short,
                base.date,
                base.summary,
                start.short,
                start.summary
            );
        };
        let reached = commit.id == base.id;
        commits.push(commit);
        if reached {
            break;
        }
    }
    commits.reverse();
    let options = crate::LoadOptions {
        ledger: false,
        surveys: false,
        baseline: false,
        ..crate::LoadOptions::default()
    };
    // The files milestones come from, by content id, and their dues.
    type Seen = (Vec<(String, Option<String>)>, Option<Dues>);
    let mut previous: Option<Seen> = None;
    let mut snapshots = Vec::with_capacity(commits.len());
    // Files unchanged since the last commit loaded are not parsed again (SPEC 10.5).
    let mut memo = LoadMemo::for_history();
    for (at, commit) in commits.iter().enumerate() {
        let Some(tree) = repo.try_tree_at(commit)? else {
            if at == 0 {
                // Read as empty, every milestone would be "new since" the baseline.
                anyhow::bail!(
                    "{}: the plan directory `{}` does not exist in the baseline commit {} ({} {}); give a revision where the plan was already committed",
                    context(),
                    repo.plan_path(),
                    commit.short,
                    commit.date,
                    commit.summary
                );
            }
            snapshots.push(None);
            continue;
        };
        // The same content ids give the same dues.
        let mut key = vec![(
            "plan.toml".to_string(),
            tree.blob_id(std::path::Path::new("plan.toml"))
                .map(|id| id.to_string()),
        )];
        for name in tree
            .list(std::path::Path::new("initiatives"))
            .unwrap_or_default()
        {
            let rel = std::path::Path::new("initiatives").join(&name);
            key.push((name, tree.blob_id(&rel).map(|id| id.to_string())));
        }
        if let Some((seen, dues)) = &previous
            && *seen == key
        {
            snapshots.push(dues.clone());
            continue;
        }
        let loaded = crate::load_tree_with(&tree, commit.date, &options, &mut memo)?;
        if at == 0 && (loaded.plan.is_none() || loaded.diags.has_errors()) {
            let first = crate::diag::located(&loaded.sources, &loaded.diags)
                .into_iter()
                .find(|d| d.severity == crate::diag::Severity::Error);
            let place = first.map_or_else(String::new, |d| {
                let file = d.file.unwrap_or_default();
                match d.line {
                    Some(line) => format!(": {file}:{line}: {}", d.message),
                    None => format!(": {file}: {}", d.message),
                }
            });
            anyhow::bail!(
                "{}: the plan at the baseline commit {} ({} {}) cannot be read ({} error(s){place}); fix the plan there, or give a baseline whose plan reads (`plan --rev {rev} check` lists the errors)",
                context(),
                commit.short,
                commit.date,
                commit.summary,
                loaded.diags.errors(),
            );
        }
        let dues = match &loaded.plan {
            Some(plan) if !loaded.diags.has_errors() => Some(
                plan.initiatives
                    .iter()
                    .flat_map(|i| {
                        // An unscheduled milestone has no due to move (SPEC 9.3) but is
                        // there: at the baseline, it is not new. A period counts as its
                        // last day.
                        i.milestones
                            .iter()
                            .map(|m| ((i.id.clone(), m.id.clone()), m.due.as_ref().map(|d| d.date)))
                    })
                    .collect(),
            ),
            _ => None,
        };
        snapshots.push(dues.clone());
        previous = Some((key, dues));
    }
    Ok(Some(Baseline::from_snapshots(rev, snapshots)))
}
