//! The plan with the change, validated in memory before anything is written (SPEC 11 rule 2):
//! the edited files lie over the working directory in an [`Overlay`], and the same
//! load → validate pipeline that every report uses reads them.

use std::collections::HashMap;

use anyhow::Result;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::Sources;
use crate::tree::{DirTree, Overlay};
use crate::{Context, LoadOptions, Loaded};

use super::Change;

/// What validation found: whether the change is refused, and the diagnostics to print.
pub struct Verdict {
    /// The change adds an error to the plan, or writes into a file that has one.
    pub refused: bool,
    /// The last line of a refusal: why nothing was written.
    pub why: &'static str,
    /// The errors and warnings the change adds, rendered with the summary.
    pub report: Vec<u8>,
}

/// Validate the plan as it would be with `change`.
pub fn check(ctx: &Context, change: &Change) -> Result<Verdict> {
    // The same options as `plan check`: large files streamed (from memory, for an edited one),
    // and the day the command runs, so that a date decades ahead is warned about (W005).
    let options = LoadOptions {
        today: Some(ctx.today),
        ..LoadOptions::default()
    };
    let base_tree = DirTree::new(&ctx.plan_dir);
    let mut overlay = Overlay::new(&base_tree);
    for edit in &change.edits {
        overlay = match &edit.from {
            Some(path) => overlay.with_file(&edit.rel, path.clone()),
            None => overlay.with(&edit.rel, edit.after.clone()),
        };
    }
    let after = crate::load_tree(&overlay, ctx.as_of, &options)?;
    // Only what the change adds is the change's (SPEC 11 rule 2: "a change that would add an
    // error"): compare with the plan as it is, when there is something to sort out (the plan
    // is then read twice).
    let before = if after.diags.is_empty() && after.plan.is_some() {
        None
    } else {
        crate::load_tree(&base_tree, ctx.as_of, &options).ok()
    };
    // SPEC 11 rule 2: a file that has an error itself is never written into, even when the
    // change adds none (a row appended after an unclosed quote becomes part of the quoted
    // field, and the file's error stays the same one). Such a file still has an error with the
    // change; the plan as it is then says whether it had one before.
    if let Some(before) = &before {
        let broken: Vec<String> = change
            .edits
            .iter()
            .filter(|e| e.before.is_some())
            .map(|e| crate::source::display_path(&ctx.plan_dir.join(&e.rel)))
            .filter(|shown| has_error_in(&after, shown) && has_error_in(before, shown))
            .collect();
        if !broken.is_empty() {
            return refuse_broken(ctx, before, &broken);
        }
    }
    let mut known: HashMap<(String, String, String), usize> = HashMap::new();
    if let Some(before) = &before {
        for d in before.diags.sorted() {
            *known.entry(key(&before.sources, d)).or_default() += 1;
        }
    }
    let mut shown = Diagnostics::default();
    for d in after.diags.sorted() {
        match known.get_mut(&key(&after.sources, d)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => shown.push(d.clone()),
        }
    }
    let had_plan = before.as_ref().is_none_or(|b| b.plan.is_some());
    let refused = shown.has_errors() || (after.plan.is_none() && had_plan);
    let mut report = Vec::new();
    if !shown.is_empty() {
        crate::diag::render_text(&mut report, &after.sources, &shown, ctx.color_err)?;
        let summary = Loaded {
            sources: Sources::default(),
            diags: shown,
            plan: None,
            ledger: Default::default(),
        }
        .summary();
        std::io::Write::write_all(&mut report, format!("{summary}\n").as_bytes())?;
    }
    Ok(Verdict {
        refused,
        why: "plan: the change would add errors to the plan; nothing was written",
        report,
    })
}

/// Whether the load has an error in the file shown as `shown`.
fn has_error_in(loaded: &Loaded, shown: &str) -> bool {
    loaded.diags.sorted().iter().any(|d| {
        d.code.severity() == crate::diag::Severity::Error
            && d.file.is_some_and(|f| loaded.sources.name(f) == shown)
    })
}

/// The refusal of a change to files that have errors of their own: those errors, and E406
/// for each file.
fn refuse_broken(ctx: &Context, before: &Loaded, broken: &[String]) -> Result<Verdict> {
    let mut shown = Diagnostics::default();
    let mut files = Vec::new();
    for d in before.diags.sorted() {
        let Some(file) = d
            .file
            .filter(|f| broken.iter().any(|b| before.sources.name(*f) == b.as_str()))
        else {
            continue;
        };
        if d.code.severity() == crate::diag::Severity::Error {
            shown.push(d.clone());
            if !files.contains(&file) {
                files.push(file);
            }
        }
    }
    for id in files {
        let file = before.sources.name(id);
        shown.push(Diagnostic {
            code: Code::FileHasErrors,
            file: Some(id),
            span: None,
            message: format!(
                "{file} has errors of its own: plan writes nothing into a file with errors, where the change could land inside one"
            ),
            label: None,
            help: Some("fix the errors shown above (`plan check` lists them), then run the command again".into()),
            also: Vec::new(),
        });
    }
    let mut report = Vec::new();
    crate::diag::render_text(&mut report, &before.sources, &shown, ctx.color_err)?;
    Ok(Verdict {
        refused: true,
        why: "plan: nothing was written",
        report,
    })
}

/// A diagnostic as the user reads it: code, file and message (its place moves with the edit).
fn key(sources: &Sources, d: &crate::diag::Diagnostic) -> (String, String, String) {
    let file = d
        .file
        .map(|f| sources.name(f).to_string())
        .unwrap_or_default();
    (d.code.as_str().to_string(), file, d.message.clone())
}
