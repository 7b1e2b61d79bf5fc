//! The history engine (SPEC 10): states of one plan read from its git history and compared.
//! [`History`] loads a state from a revision, a commit or the working tree ([`side`]), and
//! walks the first-parent line for `plan log` ([`walk`]), reusing what the loads before read
//! (SPEC 10.5); [`baseline`] reads the baseline's history (SPEC 10.4). It takes a plan folder and options, not a command's arguments: `plan diff`,
//! `plan log` and `plan report --since` are glue over it, and a portfolio runs it per member.
//!
//! Below the commands, above the pipeline: a state is loaded by [`crate::load_tree_with`]
//! and compared as [`crate::report::diff`] computes it; git is read only through
//! [`crate::git`].

pub mod baseline;
pub mod side;
pub mod walk;

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::git::Repo;
use crate::load::memo::LoadMemo;
use crate::load::plan_data::RawCache;

/// How the engine shows what it loads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Whether the diagnostics of a state with errors, printed to standard error, carry
    /// colour.
    pub color_err: bool,
}

/// The history of one plan folder, and what the states loaded from it share (SPEC 10.5):
/// plan files read as data and as loaded, by the id of their contents, and the ledger of the
/// state loaded last, which the next state's ledger may extend. `PLAN_HISTORY_CACHE=0` turns
/// the sharing off (tests compare the outputs with and without it).
pub struct History {
    repo: Repo,
    plan_dir: PathBuf,
    options: Options,
    raw: RawCache,
    memo: LoadMemo,
    /// The figures of the state a walk handled before last ([`walk`]), no longer held.
    spare: crate::report::diff::Spare,
}

impl History {
    /// The history of the plan in `plan_dir`; exit 2 when it is not in a git repository.
    pub fn open(plan_dir: &Path, options: Options) -> Result<History> {
        let repo = Repo::open(plan_dir)?;
        let memo = LoadMemo::for_history().keeping_plain();
        Ok(History {
            repo,
            plan_dir: plan_dir.to_path_buf(),
            options,
            raw: RawCache::new(memo.enabled()),
            memo,
            spare: Default::default(),
        })
    }

    /// The repository that holds the plan.
    pub fn repo(&self) -> &Repo {
        &self.repo
    }
}
