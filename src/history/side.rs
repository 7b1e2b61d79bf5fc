//! One state of the plan loaded for comparing (a "side" of `plan diff`): from a revision, a
//! commit or the working tree, as data to compare, with the number of its errors.

use anyhow::Result;

use super::History;
use crate::git::CommitInfo;
use crate::load::memo::LoadMemo;
use crate::load::plan_data::{RawCache, read_raw};
use crate::model::Date;
use crate::render::lang::Lang;
use crate::report::diff::{Side, Spare};

/// A state loaded: the data to compare, where it comes from, and how many errors it has.
pub struct Loaded {
    /// The state as data.
    pub side: Side,
    /// The commit it was read from; `None` for the working tree.
    pub commit: Option<CommitInfo>,
    /// The number of errors of its plan.
    pub errors: usize,
}

impl Loaded {
    /// How tables name it, in the words of `lang`: `1a2b3c4 (15 Jan 2021, Plan adopted)` or
    /// `the working tree`.
    pub fn name(&self, lang: Lang) -> String {
        match &self.commit {
            Some(commit) => format!(
                "{} ({}, {})",
                commit.short,
                lang.date(commit.date),
                commit.summary
            ),
            None => match lang {
                Lang::En => "the working tree",
                Lang::Da => "arbejdskopien",
            }
            .to_string(),
        }
    }
}

/// How a state is loaded.
pub struct SideLoad<'s> {
    /// Read the ledger whole even when it extends the state loaded before.
    pub whole: bool,
    /// Whether to print the diagnostics to standard error, asked when the state has errors
    /// (`None`: always).
    pub show_errors: Option<&'s mut dyn FnMut() -> bool>,
    /// The figures of a state no longer held, to take the same ones from.
    pub spare: Spare,
}

impl SideLoad<'_> {
    /// What `plan diff` and the report do: the ledger read on where it can, errors shown.
    const USUAL: SideLoad<'static> = SideLoad {
        whole: false,
        show_errors: None,
        spare: Spare::NONE,
    };
}

/// What every state loads: the ledger's rows are compared one by one.
fn options() -> crate::LoadOptions {
    crate::LoadOptions {
        keep_entries: true,
        ..crate::LoadOptions::default()
    }
}

/// Load a state from a tree (see [`SideLoad`]), sharing `raw` and `memo` with the loads
/// before it, and with `previous`, a state loaded before, its figures that still hold
/// ([`Side::new`]); with the number of its errors.
pub(super) fn load_side(
    tree: &dyn crate::tree::Tree,
    as_of: Date,
    (raw, memo): (&mut RawCache, &mut LoadMemo),
    (how, previous): (SideLoad<'_>, Option<&Side>),
    color_err: bool,
) -> Result<(Side, usize)> {
    if how.whole {
        memo.forget_ledger();
    }
    let mut loaded = crate::load_tree_with(tree, as_of, &options(), memo)?;
    let errors = loaded.diags.errors();
    if errors > 0 && how.show_errors.is_none_or(|show| show()) {
        loaded.write_diagnostics(&mut std::io::stderr().lock(), color_err)?;
    }
    // The side keeps the plan, to compute it as of other days (`plan log`'s time events).
    let valid = match loaded.plan.take() {
        Some(plan) if errors == 0 => Some((plan, &loaded.ledger)),
        _ => None,
    };
    let load = memo.last_load();
    let side = Side::new(
        read_raw(tree, raw, memo),
        as_of,
        valid,
        (errors, load),
        (previous, memo.enabled(), how.spare),
    );
    // The next state's ledger is read on from these sums, and its files taken from these.
    memo.keep_ledger_sums(std::mem::take(&mut loaded.ledger.budgets));
    memo.keep_sources(loaded.sources);
    Ok((side, errors))
}

impl History {
    /// A REV's state, as of the commit's date, or the date a date REV names.
    pub fn at_rev(&mut self, rev: &str) -> Result<Loaded> {
        let (commit, day) = self.repo.resolve(rev)?;
        let as_of = day.unwrap_or(commit.date);
        self.at_commit(commit, as_of)
    }

    /// A commit's state as of `as_of`; exit 2 when the plan folder did not exist there.
    pub fn at_commit(&mut self, commit: CommitInfo, as_of: Date) -> Result<Loaded> {
        let tree = self.repo.tree_at(&commit)?;
        let (cache, color) = ((&mut self.raw, &mut self.memo), self.options.color_err);
        let (side, errors) = load_side(&tree, as_of, cache, (SideLoad::USUAL, None), color)?;
        Ok(Loaded {
            side,
            commit: Some(commit),
            errors,
        })
    }

    /// The working tree's state as of `as_of`, its files as git sees them: a file whose
    /// bytes are HEAD's after git's end-of-line conversion (`core.autocrlf`) is read as
    /// HEAD's, so a CRLF checkout shows no phantom change (a quoted CSV field holding a line
    /// break, say).
    pub fn working_tree(&mut self, as_of: Date) -> Result<Loaded> {
        let disk = crate::tree::DirTree::new(&self.plan_dir);
        let converted = match self.repo.head()? {
            Some(head) => self.repo.converted_files(&head)?,
            None => Default::default(),
        };
        let tree = converted
            .into_iter()
            .fold(crate::tree::Overlay::new(&disk), |tree, (rel, bytes)| {
                tree.with(rel, bytes)
            });
        let (cache, color) = ((&mut self.raw, &mut self.memo), self.options.color_err);
        let (side, errors) = load_side(&tree, as_of, cache, (SideLoad::USUAL, None), color)?;
        Ok(Loaded {
            side,
            commit: None,
            errors,
        })
    }
}
