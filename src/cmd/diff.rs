//! `plan diff [FROM] [TO]` (SPEC 10.2): what changed between two states of the plan.

use std::io::Write;

use anyhow::{Result, bail};

use crate::cli::DiffArgs;
use crate::git::Repo;
use crate::load::memo::LoadMemo;
use crate::load::plan_data::{RawCache, read_raw};
use crate::render::{self, Dialect, Format};
use crate::report::diff::{Side, changes_table, diff};
use crate::{Context, Outcome, Revision};

/// One side of a comparison, loaded: the data to compare, what it is, and whether it had errors.
pub struct Loaded {
    /// The state as data.
    pub side: Side,
    /// What it is, for the JSON output (`None` for the working tree outside a repository, or
    /// when the output is not JSON: the working tree's state is worked out only to be shown).
    pub revision: Option<Revision>,
    /// How tables name it, in the words of `--lang`: `1a2b3c4 (15 Jan 2021, Plan adopted)` or
    /// `the working tree`.
    pub name: String,
}

/// What every side loads: the ledger's rows are compared one by one.
fn options() -> crate::LoadOptions {
    crate::LoadOptions {
        keep_entries: true,
        ..crate::LoadOptions::default()
    }
}

/// What the sides of one run share (SPEC 10.5): plan files read as data and as loaded, by
/// the id of their contents, and the ledger of the side loaded last, which the next side's
/// ledger may extend.
pub struct HistoryCache {
    raw: RawCache,
    memo: LoadMemo,
}

/// The run's cache; `PLAN_HISTORY_CACHE=0` turns it off (tests compare the outputs with and
/// without it).
pub fn history_cache() -> HistoryCache {
    let memo = LoadMemo::for_history();
    HistoryCache {
        raw: RawCache::new(memo.enabled()),
        memo,
    }
}

/// How [`load_side`] loads a side.
#[derive(Debug, Clone, Copy)]
pub struct SideLoad {
    /// Read the ledger whole even when it extends the side loaded before.
    pub whole: bool,
    /// Print the diagnostics to standard error when the side has errors.
    pub show_errors: bool,
}

impl SideLoad {
    /// What `plan diff` and the report do: the ledger read on where it can, errors shown.
    pub const USUAL: SideLoad = SideLoad {
        whole: false,
        show_errors: true,
    };
}

/// Load a side from a tree (see [`SideLoad`]).
pub fn load_side(
    ctx: &Context,
    tree: &dyn crate::tree::Tree,
    as_of: crate::model::Date,
    cache: &mut HistoryCache,
    how: SideLoad,
) -> Result<(Side, usize)> {
    if how.whole {
        cache.memo.forget_ledger();
    }
    let mut loaded = crate::load_tree_with(tree, as_of, &options(), &mut cache.memo)?;
    let errors = loaded.diags.errors();
    if errors > 0 && how.show_errors {
        loaded.write_diagnostics(&mut std::io::stderr().lock(), ctx.color_err)?;
    }
    // The side keeps the plan, to compute it as of other days (`plan log`'s time events).
    let valid = match loaded.plan.take() {
        Some(plan) if errors == 0 => Some((plan, &loaded.ledger)),
        _ => None,
    };
    let load = cache.memo.last_load();
    Ok((
        Side::new(read_raw(tree, &mut cache.raw), as_of, valid, errors, load),
        errors,
    ))
}

/// A REV's side (as of the commit's date, or the date a date REV names), or the working
/// tree's (as of `--as-of`).
pub fn side(
    ctx: &Context,
    repo: &Repo,
    rev: Option<&str>,
    cache: &mut HistoryCache,
) -> Result<(Loaded, usize)> {
    match rev {
        Some(rev) => {
            let (commit, day) = repo.resolve(rev)?;
            let tree = repo.tree_at(&commit)?;
            let (side, errors) = load_side(
                ctx,
                &tree,
                day.unwrap_or(commit.date),
                cache,
                SideLoad::USUAL,
            )?;
            Ok((
                Loaded {
                    side,
                    name: format!(
                        "{} ({}, {})",
                        commit.short,
                        ctx.lang.date(commit.date),
                        commit.summary
                    ),
                    revision: Some(Revision::of(&commit, None)),
                },
                errors,
            ))
        }
        None => {
            let (side, errors) = working_tree_side(ctx, repo, cache)?;
            Ok((
                Loaded {
                    side,
                    name: match ctx.lang {
                        crate::render::lang::Lang::En => "the working tree",
                        crate::render::lang::Lang::Da => "arbejdskopien",
                    }
                    .to_string(),
                    revision: ctx.json_revision(ctx.format.unwrap_or(Format::Table))?,
                },
                errors,
            ))
        }
    }
}

/// The working tree's side (as of `--as-of`), its files as git sees them: a file whose bytes
/// are HEAD's after git's end-of-line conversion (`core.autocrlf`) is read as HEAD's, so a
/// CRLF checkout shows no phantom change (a quoted CSV field holding a line break, say).
pub fn working_tree_side(
    ctx: &Context,
    repo: &Repo,
    cache: &mut HistoryCache,
) -> Result<(Side, usize)> {
    let disk = crate::tree::DirTree::new(&ctx.plan_dir);
    let converted = match repo.head()? {
        Some(head) => repo.converted_files(&head)?,
        None => Default::default(),
    };
    let tree = converted
        .into_iter()
        .fold(crate::tree::Overlay::new(&disk), |tree, (rel, bytes)| {
            tree.with(rel, bytes)
        });
    load_side(ctx, &tree, ctx.as_of, cache, SideLoad::USUAL)
}

/// Run `plan diff`.
pub fn run(ctx: &Context, args: &DiffArgs, out: &mut dyn Write) -> Result<Outcome> {
    if ctx.rev.is_some() {
        bail!("--rev does not apply to `plan diff`: give FROM and TO (`plan diff FROM TO`)");
    }
    let repo = Repo::open(&ctx.plan_dir)?;
    let mut cache = history_cache();
    let (from, from_errors) = side(
        ctx,
        &repo,
        Some(args.from.as_deref().unwrap_or("HEAD")),
        &mut cache,
    )?;
    let (to, to_errors) = side(ctx, &repo, args.to.as_deref(), &mut cache)?;
    let changes = diff(&from.side, &to.side);
    let format = ctx.format.unwrap_or(Format::Table);
    match format {
        Format::Json => {
            render::diff::write_json(out, from.revision.as_ref(), to.revision.as_ref(), &changes)?
        }
        Format::Csv => render::write_csv(out, &changes_table(&changes), Dialect::Standard)?,
        Format::Markdown => {
            render::diff::write_markdown(out, &from.name, &to.name, &changes, ctx.lang)?
        }
        Format::Table | Format::Github => {
            render::diff::write_text(out, &from.name, &to.name, &changes, ctx.color_out, ctx.lang)?
        }
        Format::Html | Format::Xlsx | Format::Ics => {
            return Err(render::not_written("plan diff", format));
        }
    }
    if from_errors + to_errors > 0 {
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Success)
}
