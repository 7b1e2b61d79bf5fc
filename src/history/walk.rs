//! The walk over commits behind `plan log` (SPEC 10.3): for each first-parent commit that
//! changed a plan file, its changes against its first parent as `plan diff` computes them,
//! and between two commits what the passage of time alone changed.
//!
//! The commits are handled oldest first: a commit's parent is the state handled just before,
//! kept for one step rather than loaded again, and each state reuses what the loads before it
//! read (files by content id, the ledger read on from where the parent's ended: SPEC 10.5).
//! A commit whose plan directory's tree id equals its parent's changed no plan file and loads
//! nothing.
//!
//! Between two commits, what the passage of time alone changed in the older one's state (a
//! milestone becoming overdue, an initiative stale, a target year ending) is listed as dated
//! events of their own, found by computing that state as of other days (no load), and each
//! commit is compared with its parent's state as of the commit's own day (SPEC 10.3).

use std::collections::HashSet;

use anyhow::Result;
use serde::Serialize;

use super::History;
use super::side::{SideLoad, load_side};
use crate::git::{CommitInfo, ObjectId};
use crate::model::Date;
use crate::report::diff::{Change, Side, concerns, diff, time_events};

/// One commit of the log with its changes, or what time alone changed on a day.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The full commit id.
    pub commit: String,
    /// The short id tables print.
    #[serde(skip)]
    pub short: String,
    /// The committer date.
    pub date: String,
    /// The author's name.
    pub author: String,
    /// The first line of the message.
    pub summary: String,
    /// What changed against the first parent.
    pub changes: Vec<Change>,
}

impl Entry {
    /// What the passage of time alone changed on `day` (SPEC 10.3): no commit, no author,
    /// the summary `time`.
    fn time(day: Date, changes: Vec<Change>) -> Entry {
        Entry {
            commit: String::new(),
            short: String::new(),
            date: day.to_string(),
            author: String::new(),
            summary: "time".to_string(),
            changes,
        }
    }

    /// Whether it is a time event rather than a commit.
    pub fn is_time(&self) -> bool {
        self.commit.is_empty()
    }
}

/// Which part of the history [`History::log`] walks, and what it keeps.
#[derive(Debug, Clone, Default)]
pub struct LogOptions {
    /// The newest commit; `None` for HEAD.
    pub start: Option<CommitInfo>,
    /// Leave out what happened before this day.
    pub since: Option<Date>,
    /// Leave out what happened after this day.
    pub until: Option<Date>,
    /// Keep only the changes that concern this item (an initiative, `INITIATIVE/MILESTONE`,
    /// a budget, an indicator or a criterion).
    pub id: Option<String>,
}

impl History {
    /// Load `commit`'s state for the walk: the plan trees whose errors were printed are in
    /// `shown` (a state loaded again, or the same files at another commit, prints them once);
    /// `previous` is the state it follows, whose figures it may share ([`Side::new`]).
    fn walk_load(
        &mut self,
        commit: &CommitInfo,
        (whole, previous): (bool, Option<&Side>),
        shown: &mut HashSet<ObjectId>,
    ) -> Result<Side> {
        let Some(tree) = self.repo.try_tree_at(commit)? else {
            return Ok(Side::empty(commit.date));
        };
        // Whether its errors are printed is asked only of a state with errors.
        let plan_tree = self.repo.plan_tree_id(commit)?;
        let mut show_errors = || plan_tree.is_none_or(|id| shown.insert(id));
        let how = SideLoad {
            whole,
            show_errors: Some(&mut show_errors),
            spare: std::mem::take(&mut self.spare),
        };
        let cache = (&mut self.raw, &mut self.memo);
        let color = self.options.color_err;
        Ok(load_side(&tree, commit.date, cache, (how, previous), color)?.0)
    }

    /// Hand a state nothing else holds to the loads after it, which take what did not
    /// change from it (SPEC 10.5).
    fn recycle(&mut self, side: Side) {
        let (raw, plan, figures) = side.into_parts();
        if let Some(raw) = raw {
            self.raw.keep_spare(raw);
        }
        if let Some(plan) = plan {
            self.memo.keep_spare_initiatives(plan.initiatives);
        }
        if self.memo.enabled() {
            self.spare = figures;
        }
    }

    /// The log (SPEC 10.3): newest first, each first-parent commit that changed a plan file
    /// with its changes, and the time events between commits.
    pub fn log(&mut self, options: &LogOptions) -> Result<Vec<Entry>> {
        let start = match &options.start {
            Some(commit) => commit.clone(),
            None => match self.repo.head()? {
                Some(head) => head,
                None => anyhow::bail!("the repository has no commits yet"),
            },
        };
        let mut commits = Vec::new();
        let mut walk = self.repo.first_parents(&start);
        while let Some(commit) = walk.next_commit()? {
            if options.since.is_some_and(|since| commit.date < since) {
                break;
            }
            commits.push(commit);
        }
        // Oldest first, so that each state is loaded right after its parent's and its ledger
        // read on from where the parent's ended (SPEC 10.5); returned newest first.
        let mut entries = Vec::new();
        // The state of the commit handled last, which the next commit's parent usually is.
        let mut last: Option<(String, Side)> = None;
        let mut shown = HashSet::new();
        for (at, commit) in commits.iter().enumerate().rev() {
            // The walk has the parent already, but for the oldest commit it reached.
            let resolved;
            let parent = match (&commit.first_parent, commits.get(at + 1)) {
                (Some(id), Some(next)) if next.id == *id => Some(next),
                (Some(id), _) => {
                    resolved = self.repo.resolve(id)?.0;
                    Some(&resolved)
                }
                (None, _) => None,
            };
            let own_tree = self.repo.plan_tree_id(commit)?;
            let parent_tree = match &parent {
                Some(p) => self.repo.plan_tree_id(p)?,
                None => None,
            };
            if own_tree == parent_tree || options.until.is_some_and(|until| commit.date > until) {
                last = None;
                continue;
            }
            let mut before = match (last.take(), &parent) {
                (Some((id, side)), Some(p)) if id == p.id => side,
                (_, Some(p)) => self.walk_load(p, (false, None), &mut shown)?,
                (_, None) => Side::empty(commit.date),
            };
            // The parent's state as of this commit's day: the commit's state takes its
            // figures where they hold (those of an unchanged initiative are computed once),
            // and is compared with it.
            let mut on_the_day = before.at(commit.date);
            let mut after = self.walk_load(commit, (false, Some(&on_the_day)), &mut shown)?;
            if !after.follows(&before) {
                // Compared whole: the ledger did not grow by appended rows.
                if let Some(p) = parent.as_ref().filter(|_| before.partial()) {
                    before = self.walk_load(p, (true, None), &mut shown)?;
                    on_the_day = before.at(commit.date);
                }
                after = self.walk_load(commit, (true, Some(&on_the_day)), &mut shown)?;
            }
            // What time alone changed in the parent's state up to this commit's day is dated
            // events of its own; the commit is credited with what its edits changed from
            // there (SPEC 10.3).
            let events = time_events(&before, &on_the_day);
            for (day, mut changes) in events {
                let outside = options.since.is_some_and(|since| day < since)
                    || options.until.is_some_and(|until| day > until);
                if let Some(id) = &options.id {
                    changes.retain(|c| concerns(c, id));
                }
                if outside || changes.is_empty() {
                    continue;
                }
                entries.push(Entry::time(day, changes));
            }
            let mut changes = diff(&on_the_day, &after);
            drop(on_the_day);
            self.recycle(before);
            last = Some((commit.id.clone(), after));
            if let Some(id) = &options.id {
                changes.retain(|c| concerns(c, id));
                if changes.is_empty() {
                    continue;
                }
            }
            entries.push(Entry {
                commit: commit.id.clone(),
                short: commit.short.clone(),
                date: commit.date.to_string(),
                author: commit.author.clone(),
                summary: commit.summary.clone(),
                changes,
            });
        }
        entries.reverse();
        Ok(entries)
    }
}
