//! `plan log [ID]` (SPEC 10.3): for each first-parent commit that changed a plan file,
//! newest first, its changes against its first parent as `plan diff` computes them.
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
use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::diff::{HistoryCache, SideLoad};
use crate::cli::LogArgs;
use crate::git::{CommitInfo, ObjectId, Repo};
use crate::render::{self, Format, paint};
use crate::report::diff::{Change, Side, changes_table, concerns, diff, time_events};
use crate::report::{Cell, Table};
use crate::{Context, Outcome};

/// One commit of the log with its changes.
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
    fn time(day: crate::model::Date, changes: Vec<Change>) -> Entry {
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
    fn is_time(&self) -> bool {
        self.commit.is_empty()
    }

    /// The heading tables and Markdown give it: `1a2b3c4 · 1 May 2022 · Peter Lind · summary`,
    /// or `1 Jan 2023 · time` for a time event.
    fn heading(&self, lang: crate::render::lang::Lang) -> String {
        if self.is_time() {
            render::diff::time_heading(&self.date, lang)
        } else {
            render::diff::commit_heading(&self.short, &self.date, &self.author, &self.summary, lang)
        }
    }
}

/// What one run of `plan log` loads with: the cache, and the plan trees whose errors were
/// printed (a state loaded again, or the same files at another commit, prints them once).
struct Loader<'r> {
    repo: &'r Repo,
    cache: HistoryCache,
    shown: HashSet<ObjectId>,
}

impl Loader<'_> {
    fn load(&mut self, ctx: &Context, commit: &CommitInfo, whole: bool) -> Result<Side> {
        let Some(tree) = self.repo.try_tree_at(commit)? else {
            return Ok(Side::empty(commit.date));
        };
        let show_errors = self
            .repo
            .plan_tree_id(commit)?
            .is_none_or(|id| self.shown.insert(id));
        let how = SideLoad { whole, show_errors };
        Ok(super::diff::load_side(ctx, &tree, commit.date, &mut self.cache, how)?.0)
    }
}

/// Run `plan log`.
pub fn run(ctx: &Context, args: &LogArgs, out: &mut dyn Write) -> Result<Outcome> {
    let repo = Repo::open(&ctx.plan_dir)?;
    let start = match &ctx.rev {
        Some(commit) => commit.clone(),
        None => match repo.head()? {
            Some(head) => head,
            None => anyhow::bail!("the repository has no commits yet"),
        },
    };
    let mut commits = Vec::new();
    let mut walk = repo.first_parents(&start);
    while let Some(commit) = walk.next_commit()? {
        if args.since.is_some_and(|since| commit.date < since) {
            break;
        }
        commits.push(commit);
    }
    // Oldest first, so that each state is loaded right after its parent's and its ledger read
    // on from where the parent's ended (SPEC 10.5); printed newest first.
    let mut entries = Vec::new();
    // The state of the commit handled last, which the next commit's parent usually is.
    let mut last: Option<(String, Side)> = None;
    let mut loader = Loader {
        repo: &repo,
        cache: super::diff::history_cache(),
        shown: HashSet::new(),
    };
    for (at, commit) in commits.iter().enumerate().rev() {
        // The walk has the parent already, but for the oldest commit it reached.
        let parent = match (&commit.first_parent, commits.get(at + 1)) {
            (Some(id), Some(next)) if next.id == *id => Some(next.clone()),
            (Some(id), _) => Some(repo.resolve(id)?.0),
            (None, _) => None,
        };
        let own_tree = repo.plan_tree_id(commit)?;
        let parent_tree = match &parent {
            Some(p) => repo.plan_tree_id(p)?,
            None => None,
        };
        if own_tree == parent_tree || args.until.is_some_and(|until| commit.date > until) {
            last = None;
            continue;
        }
        let mut before = match (last.take(), &parent) {
            (Some((id, side)), Some(p)) if id == p.id => side,
            (_, Some(p)) => loader.load(ctx, p, false)?,
            (_, None) => Side::empty(commit.date),
        };
        let mut after = loader.load(ctx, commit, false)?;
        if !after.follows(&before) {
            // Compared whole: the ledger did not grow by appended rows.
            if let Some(p) = parent.as_ref().filter(|_| before.partial()) {
                before = loader.load(ctx, p, true)?;
            }
            after = loader.load(ctx, commit, true)?;
        }
        // What time alone changed in the parent's state up to this commit's day is dated
        // events of its own; the commit is credited with what its edits changed from there
        // (SPEC 10.3).
        let (before, events) = time_events(&before, commit.date);
        for (day, mut changes) in events {
            let outside = args.since.is_some_and(|since| day < since)
                || args.until.is_some_and(|until| day > until);
            if let Some(id) = &args.id {
                changes.retain(|c| concerns(c, id));
            }
            if outside || changes.is_empty() {
                continue;
            }
            entries.push(Entry::time(day, changes));
        }
        let mut changes = diff(&before, &after);
        last = Some((commit.id.clone(), after));
        if let Some(id) = &args.id {
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
    // Over the whole history an item that ever existed shows at least its `added`: nothing
    // at all means the id names nothing (a typo), which must not read as "no changes".
    if let Some(id) = &args.id
        && entries.is_empty()
        && args.since.is_none()
        && args.until.is_none()
    {
        anyhow::bail!(
            "`{id}` names no initiative, milestone (INITIATIVE/MILESTONE), budget, indicator or criterion in the plan's history"
        );
    }
    write(ctx, out, &entries)?;
    Ok(Outcome::Success)
}

fn write(ctx: &Context, out: &mut dyn Write, entries: &[Entry]) -> Result<()> {
    match ctx.format.unwrap_or(Format::Table) {
        Format::Json => {
            #[derive(Serialize)]
            struct Document<'a> {
                format: u32,
                commits: &'a [Entry],
            }
            serde_json::to_writer_pretty(
                &mut *out,
                &Document {
                    format: 1,
                    commits: entries,
                },
            )?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut columns = vec!["commit", "date", "author"];
            columns.extend(changes_table(&[]).columns);
            let mut table = Table {
                columns,
                rows: Vec::new(),
            };
            for entry in entries {
                for row in changes_table(&entry.changes).rows {
                    let mut full = vec![
                        Cell::Text(entry.commit.clone()),
                        Cell::Text(entry.date.clone()),
                        Cell::Text(entry.author.clone()),
                    ];
                    full.extend(row);
                    table.rows.push(full);
                }
            }
            render::write_csv(out, &table, render::Dialect::Standard)?;
        }
        Format::Markdown => {
            if entries.is_empty() {
                writeln!(out, "{}", render::diff::no_commits(ctx.lang))?;
            }
            for entry in entries {
                let head = entry.heading(ctx.lang);
                writeln!(out, "## {}\n", render::md_cell(&head))?;
                render::diff::write_changes_markdown(out, &entry.changes, ctx.lang)?;
            }
        }
        Format::Table | Format::Github => {
            if entries.is_empty() {
                writeln!(out, "{}", render::diff::no_commits(ctx.lang))?;
            }
            for (i, entry) in entries.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                let head = entry.heading(ctx.lang);
                writeln!(out, "{}", paint(&head, "33", ctx.color_out))?;
                render::diff::write_changes_text(out, &entry.changes, ctx.color_out, ctx.lang)?;
            }
        }
        format @ (Format::Html | Format::Xlsx | Format::Ics) => {
            return Err(render::not_written("plan log", format));
        }
    }
    Ok(())
}
