//! `plan`: a public-sector action plan as code.
//!
//! One pipeline, one direction: read ([`source`]) → load ([`load`]) → validate
//! ([`validate`]) → model ([`model`]) → report ([`report`]) → render ([`render`]).
//! Problems in the user's files are [`diag::Diagnostic`] values; failures of the
//! machine are `anyhow::Error`.

pub mod cli;
pub mod cmd;
pub mod dates;
pub mod diag;
pub mod figures;
pub mod git;
pub mod history;
pub mod load;
pub mod model;
pub mod output;
pub mod portfolio;
pub mod raw;
pub mod render;
pub mod report;
pub mod schema;
pub mod source;
pub mod stats;
pub mod tree;
pub mod validate;
pub mod write;

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::diag::Diagnostics;
use crate::model::{Date, Ledger, Plan};
use crate::render::Format;
use crate::source::Sources;

/// Everything a command needs to know about the run, decided once from the command line.
#[derive(Debug, Clone)]
pub struct Context {
    /// The plan directory.
    pub plan_dir: PathBuf,
    /// The date reports are computed for.
    pub as_of: Date,
    /// The day the command runs (the wall clock's, whatever `--as-of` says): a date of the
    /// plan's files that records what has happened may not lie after it (W005).
    pub today: Date,
    /// `--format`, when given.
    pub format: Option<Format>,
    /// Whether standard output may carry colour.
    pub color_out: bool,
    /// Whether standard error may carry colour.
    pub color_err: bool,
    /// The language of labels, numbers and dates in text tables and the HTML report.
    pub lang: render::lang::Lang,
    /// `--rev`: read the plan as committed in this commit instead of the working tree.
    pub rev: Option<git::CommitInfo>,
    /// `--baseline`: the revision slippage is measured against, over plan.toml's `baseline`.
    pub baseline: Option<String>,
}

/// What a report shows (SPEC 10.1): a commit, or the working tree (HEAD's commit, and
/// whether the plan files differ from it). JSON `"revision"`; `null` outside a repository.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Revision {
    /// The commit's full id (for the working tree: HEAD's).
    pub commit: String,
    /// Its committer date, in the committer's time zone.
    pub date: String,
    /// The first line of its message.
    pub summary: String,
    /// For the working tree only: whether plan files differ from HEAD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dirty: Option<bool>,
    /// The short id tables print (not in JSON: `commit` has it whole).
    #[serde(skip)]
    pub short: String,
}

impl Revision {
    /// A commit as a report names it.
    pub fn of(commit: &git::CommitInfo, dirty: Option<bool>) -> Revision {
        Revision {
            commit: commit.id.clone(),
            date: commit.date.to_string(),
            summary: commit.summary.clone(),
            dirty,
            short: commit.short.clone(),
        }
    }
}

impl Context {
    /// The same run on another plan folder: a portfolio's member (SPEC 13).
    pub fn for_plan(&self, plan_dir: &std::path::Path) -> Context {
        Context {
            plan_dir: plan_dir.to_path_buf(),
            ..self.clone()
        }
    }

    /// What the run reads: the `--rev` commit, or the working tree (HEAD, and whether plan
    /// files differ from it); `None` outside a repository or before the first commit.
    /// Hashes the plan files for the working tree: call it only for output that shows it.
    pub fn revision(&self) -> Result<Option<Revision>> {
        if let Some(commit) = &self.rev {
            return Ok(Some(Revision::of(commit, None)));
        }
        let Some(repo) = git::Repo::discover(&self.plan_dir)? else {
            return Ok(None);
        };
        let Some(head) = repo.head()? else {
            return Ok(None);
        };
        let dirty = repo.plan_dirty(&head)?;
        Ok(Some(Revision::of(&head, Some(dirty))))
    }

    /// [`Context::revision`] when `format` is JSON (the only output of most reports that
    /// shows it), else `None` without looking at the repository.
    pub fn json_revision(&self, format: Format) -> Result<Option<Revision>> {
        match format {
            Format::Json => self.revision(),
            _ => Ok(None),
        }
    }
}

/// How a command ended, mapped to the exit codes of SPEC 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: the plan has errors, or warnings under `--deny-warnings`.
    Failed,
    /// Exit 3: a missed target or criterion under `--fail-on-missed`.
    Missed,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Failed => 1,
            Outcome::Missed => 3,
        }
    }
}

/// The plan directory read and validated.
pub struct Loaded {
    /// Every file read.
    pub sources: Sources,
    /// Every problem found.
    pub diags: Diagnostics,
    /// The model, when plan.toml was readable enough to build one.
    pub plan: Option<Plan>,
    /// The merged ledger (empty when there is no plan to check it against).
    pub ledger: Ledger,
}

/// What a command needs loaded beyond the sums every report uses.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Keep every ledger entry (`plan export ledger`): memory then grows with the ledger.
    pub keep_entries: bool,
    /// Ledger and survey files of at least this many bytes are streamed rather than read whole.
    pub stream_above: u64,
    /// Read the ledger (a report that shows no money, such as `plan scores`, does not need it).
    pub ledger: bool,
    /// Read the survey and measurement files (`plan budget` does not need them).
    pub surveys: bool,
    /// Read the history back to the baseline, when there is one (SPEC 10.4): the reports that
    /// show slippage (status, the card, the milestones export, the HTML report).
    pub baseline: bool,
    /// `--owner NAME` (SPEC 13): keep only the initiatives this person or unit owns, so that
    /// each report and export built on the load shows their own.
    pub owner: Option<String>,
    /// The day the command runs, for W005: [`load_with`] takes it from the [`Context`].
    /// `None` judges how far ahead a date lies by the plan's period only.
    pub today: Option<Date>,
}

/// Files below this size are read whole: it costs nothing, and they are the common case.
pub const STREAM_ABOVE: u64 = 4 * 1024 * 1024;

impl Default for LoadOptions {
    /// Only the sums; large files streamed. `PLAN_STREAM_ABOVE=BYTES` moves the threshold
    /// (tests stream small files with it, to compare the two readers).
    fn default() -> Self {
        let stream_above = std::env::var("PLAN_STREAM_ABOVE")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(STREAM_ABOVE);
        LoadOptions {
            keep_entries: false,
            stream_above,
            ledger: true,
            surveys: true,
            baseline: false,
            owner: None,
            today: None,
        }
    }
}

/// Read and validate the plan directory.
pub fn load(ctx: &Context) -> Result<Loaded> {
    load_with(ctx, &LoadOptions::default())
}

/// [`load`] with options.
pub fn load_with(ctx: &Context, options: &LoadOptions) -> Result<Loaded> {
    load_streaming(ctx, options, None)
}

/// [`load_with`], handing each ledger row that passes its checks to `sink` as it is read,
/// when plan.toml and the initiatives have no errors (`plan export ledger`; issue 19).
pub fn load_streaming(
    ctx: &Context,
    options: &LoadOptions,
    sink: Option<&mut dyn model::EntrySink>,
) -> Result<Loaded> {
    let options = &LoadOptions {
        today: options.today.or(Some(ctx.today)),
        ..options.clone()
    };
    let mut memo = load::memo::LoadMemo::new(false);
    let mut loaded = match &ctx.rev {
        None => load_tree_streaming(
            &tree::DirTree::new(&ctx.plan_dir),
            ctx.as_of,
            options,
            &mut memo,
            sink,
        )?,
        Some(commit) => {
            let repo = git::Repo::open(&ctx.plan_dir)?;
            let tree = repo.tree_at(commit)?;
            load_tree_streaming(&tree, ctx.as_of, options, &mut memo, sink)?
        }
    };
    if let (Some(owner), Some(plan)) = (&options.owner, loaded.plan.as_mut()) {
        plan.initiatives.retain(|i| i.owned_by(owner));
    }
    if options.baseline
        && !loaded.diags.has_errors()
        && let Some(plan) = loaded.plan.as_mut()
    {
        plan.baseline = history::baseline::baseline(
            &ctx.plan_dir,
            ctx.rev.as_ref(),
            ctx.baseline.as_deref(),
            plan.baseline_rev.as_deref(),
        )?;
    }
    Ok(loaded)
}

/// Read and validate the plan in `tree` (the plan directory, a git revision, or edited files
/// over either), as of `as_of`.
pub fn load_tree(tree: &dyn tree::Tree, as_of: Date, options: &LoadOptions) -> Result<Loaded> {
    load_tree_with(tree, as_of, options, &mut load::memo::LoadMemo::new(false))
}

/// [`load_tree`], reusing what `memo` kept from the loads before (`plan log` and `plan diff`
/// load many states of one plan; SPEC 10.5). The result is the same as without it, except
/// that a ledger read on from the state loaded just before holds only the entries appended
/// since ([`Ledger::appended_to`]) and only the warnings of what it read (W101–W103 are not
/// judged, and what was read before is not read again): such a load is for comparing states,
/// which needs their figures and whether they have errors, not for showing their warnings.
pub fn load_tree_with(
    tree: &dyn tree::Tree,
    as_of: Date,
    options: &LoadOptions,
    memo: &mut load::memo::LoadMemo,
) -> Result<Loaded> {
    load_tree_streaming(tree, as_of, options, memo, None)
}

/// [`load_tree_with`], with the ledger's rows handed to `sink` (see [`load_streaming`]).
pub fn load_tree_streaming(
    tree: &dyn tree::Tree,
    as_of: Date,
    options: &LoadOptions,
    memo: &mut load::memo::LoadMemo,
    sink: Option<&mut dyn model::EntrySink>,
) -> Result<Loaded> {
    memo.begin_load();
    let mut sources = memo.take_sources();
    sources.set_dir(tree.name_dir());
    let mut diags = Diagnostics::default();
    let files = load::load_plan_files(tree, &mut sources, &mut diags, memo)?;
    let mut plan = validate::validate(
        &files,
        tree,
        (as_of, options.today),
        Some(&mut *memo),
        &mut diags,
    );
    if let Some(plan) = plan.as_mut()
        && options.surveys
    {
        load::survey::load_surveys(plan, tree, options.stream_above, &mut sources, &mut diags)?;
        let declared: foldhash::HashSet<&str> = files
            .plan
            .iter()
            .flat_map(|p| &p.indicators)
            .map(|i| i.id.get_ref().as_str())
            .collect();
        load::measurements::load_measurements(
            plan,
            &declared,
            options.today,
            tree,
            &mut sources,
            &mut diags,
        )?;
        validate::baseline_mismatches(&files, plan, &mut diags);
        validate::baseline_missing(&files, plan, as_of, &mut diags);
        report::checks::check_sums(&files, plan, &mut diags);

        validate::shares::more_than_invited(&files, plan, &mut diags);
    }
    // Rows are handed out only when the plan files have no errors: a plan with errors gets
    // no export at all.
    let sink = sink.filter(|_| !diags.has_errors());
    // The ledger is read only when there are budgets to check its rows against.
    let ledger = match &plan {
        Some(plan) if options.ledger => {
            let declared: foldhash::HashSet<&str> = files
                .plan
                .iter()
                .flat_map(|p| &p.budgets)
                .map(|b| b.id.get_ref().as_str())
                .collect();
            let ledger_options = load::ledger::LedgerOptions {
                keep_entries: options.keep_entries,
                stream_above: options.stream_above,
                today: options.today,
                plan_file: files.plan.clone(),
            };
            load::ledger::load_ledger(
                tree,
                plan,
                &declared,
                as_of,
                &ledger_options,
                &mut sources,
                &mut diags,
                memo,
                sink,
            )?
        }
        _ => {
            memo.forget_ledger();
            Ledger::default()
        }
    };
    // Only a ledger that was read can say which codes matched.
    if let (Some(plan), true) = (&plan, options.ledger) {
        validate::unused_budget_codes(&files, plan, &ledger, &mut diags);
    }
    memo.keep_initiative_files(files.initiatives);
    Ok(Loaded {
        sources,
        diags,
        plan,
        ledger,
    })
}

impl Loaded {
    /// The plan when it has no errors. Otherwise print the diagnostics to standard error
    /// (a report never runs on files with errors) and return `None`.
    pub fn valid_plan(&self, ctx: &Context) -> Result<Option<&Plan>> {
        match &self.plan {
            Some(plan) if !self.diags.has_errors() => Ok(Some(plan)),
            _ => {
                let mut err = std::io::stderr().lock();
                self.write_diagnostics(&mut err, ctx.color_err)?;
                writeln!(
                    err,
                    "plan: refusing to report on a plan with errors; fix them and run again"
                )?;
                Ok(None)
            }
        }
    }

    /// The plan and its ledger when they have no errors; otherwise as [`Loaded::valid_plan`].
    pub fn valid(&self, ctx: &Context) -> Result<Option<(&Plan, &Ledger)>> {
        Ok(self.valid_plan(ctx)?.map(|plan| (plan, &self.ledger)))
    }

    /// All diagnostics as rustc-style text, then the summary line.
    pub fn write_diagnostics(&self, out: &mut dyn Write, color: bool) -> Result<()> {
        diag::render_text(out, &self.sources, &self.diags, color)?;
        writeln!(out, "{}", self.summary())?;
        Ok(())
    }

    /// `plan: N errors, M warnings`.
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        format!(
            "plan: {}, {}",
            plural(self.diags.errors(), "error"),
            plural(self.diags.warnings(), "warning")
        )
    }
}

/// Run the whole pipeline on a plan directory without printing: load, validate and, when the
/// plan is valid, compute every report and render it to memory. Returns the number of
/// diagnostics. For fuzzing and benchmarks, which must exercise what a user's run exercises.
pub fn run_all(dir: &std::path::Path, as_of: Date) -> Result<usize> {
    let ctx = Context {
        plan_dir: dir.to_path_buf(),
        as_of,
        // No clock: dates are judged by the plan's period only, the same on every run.
        today: Date::MAX,
        format: None,
        color_out: false,
        color_err: false,
        lang: render::lang::Lang::En,
        rev: None,
        baseline: None,
    };
    let options = LoadOptions {
        keep_entries: true,
        ..LoadOptions::default()
    };
    let loaded = load_with(&ctx, &options)?;
    let mut sink = Vec::new();
    diag::render_text(&mut sink, &loaded.sources, &loaded.diags, false)?;
    diag::render_json(&mut sink, &loaded.sources, &loaded.diags, None)?;
    if let (Some(plan), false) = (&loaded.plan, loaded.diags.has_errors()) {
        let ledger = &loaded.ledger;
        let report = report::status::status_report(plan, ledger, as_of, loaded.diags.warnings());
        render::status::write_text(&mut sink, &report, false, ctx.lang)?;
        let budget = report::budget::figures(plan, ledger, as_of);
        let mut tables = vec![
            report::status::status_table(plan, as_of),
            report::status::milestones_table(plan, as_of),
            report::status::criteria_table(plan, as_of),
            report::budget::budget_table(&budget),
            report::budget::ledger_table(plan, ledger, as_of),
        ];
        for by in [
            report::budget::By::Month,
            report::budget::By::Year,
            report::budget::By::Unit,
        ] {
            let rows = report::budget::breakdown(plan, ledger, as_of, by);
            tables.push(report::budget::breakdown_table(&rows));
        }
        for table in &tables {
            render::write_csv(&mut sink, table, render::Dialect::ExcelDa)?;
        }
        for initiative in &plan.initiatives {
            let card = report::initiatives::card(initiative, plan, ledger, as_of);
            render::card::write_text(&mut sink, &card, false, ctx.lang)?;
        }
        let warnings = diag::located(&loaded.sources, &loaded.diags);
        let page = report::page::page_report(plan, ledger, as_of, warnings);
        sink.extend_from_slice(render::html::page(&page, ctx.lang)?.as_bytes());
    }
    Ok(loaded.diags.sorted().len())
}
