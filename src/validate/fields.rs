//! Small checks every part of the plan uses: unique ids, a period, a positive number, a count
//! of at least one, a declared path that must exist in the plan directory.

use foldhash::HashSet;

use rust_decimal::Decimal;
use toml::Spanned;

use super::values::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::Period;
use crate::raw;
use crate::tree::{self, Entry, Tree};

/// Items whose id is valid and not seen before; duplicates and bad ids are reported.
pub(super) fn unique<'a, T>(
    cx: &mut Ctx<'_>,
    items: &'a [T],
    id: impl Fn(&T) -> &Spanned<String>,
    what: &str,
) -> Vec<&'a T> {
    let mut seen: HashSet<&str> =
        HashSet::with_capacity_and_hasher(items.len(), Default::default());
    let mut keep = Vec::with_capacity(items.len());
    for item in items {
        let item_id = id(item);
        if !cx.id(item_id, what) {
            continue;
        }
        if !seen.insert(item_id.get_ref().as_str()) {
            cx.report(
                Code::DuplicateId,
                item_id.span(),
                format!("{what} `{}` is defined twice", item_id.get_ref()),
            );
            continue;
        }
        keep.push(item);
    }
    keep
}

pub(super) fn period(p: &Spanned<raw::Period>, cx: &mut Ctx<'_>, what: &str) -> Option<Period> {
    let start = cx.date(&p.get_ref().start, format_args!("the start of {what}"));
    let end = cx.date(&p.get_ref().end, format_args!("the end of {what}"));
    let (start, end) = (start?, end?);
    if end < start {
        cx.report(
            Code::ReversedDates,
            p.span(),
            format!("{what} ends ({end}) before it starts ({start})"),
        );
        return None;
    }
    Some(Period { start, end })
}

pub(super) fn positive(cx: &mut Ctx<'_>, v: &Spanned<toml::Value>, what: &str) -> Option<Decimal> {
    let d = cx.decimal(v, what, Code::InvalidValue)?;
    if d <= Decimal::ZERO {
        cx.report(
            Code::InvalidValue,
            v.span(),
            format!("{what} must be greater than 0"),
        );
        return None;
    }
    Some(d)
}

pub(super) fn at_least_one(cx: &mut Ctx<'_>, v: &Spanned<i64>, what: &str) -> Option<i64> {
    if *v.get_ref() < 1 {
        cx.report(
            Code::InvalidValue,
            v.span(),
            format!("{what} must be at least 1"),
        );
        return None;
    }
    Some(*v.get_ref())
}

/// A path declared in plan.toml: inside the plan directory and, when `must_exist`, a regular
/// file. What is there is asked before anything opens it: a named pipe would block `open`
/// for ever, and a directory where a file should be is a mistake in the plan (exit 1), not a
/// failure of the machine.
pub(super) fn declared_path(
    cx: &mut Ctx<'_>,
    tree: &dyn Tree,
    written: &Spanned<String>,
    must_exist: bool,
) -> bool {
    let rel = match tree::resolve(tree, written.get_ref()) {
        Err(why) => {
            cx.report(Code::PathOutsidePlan, written.span(), why);
            return false;
        }
        Ok(rel) => rel,
    };
    if !must_exist {
        return true;
    }
    let shown = tree.display(&rel);
    // A path the machine cannot look at is left to the reading, which exits 2 saying why.
    let entry = tree.entry(&rel).unwrap_or(Entry::File { len: 0 });
    let (code, message, help) = match entry {
        Entry::File { .. } => return true,
        Entry::Missing => (
            Code::MissingFile,
            format!("`{shown}` does not exist"),
            "create the file, or fix the path (it is relative to the plan directory)",
        ),
        Entry::BrokenLink => (
            Code::MissingFile,
            format!("`{shown}` is a link to a file that does not exist"),
            "point the link at a file inside the plan directory, or fix the path",
        ),
        Entry::Dir | Entry::Other(_) => (
            Code::NotText,
            format!(
                "`{shown}` is {}, not a file",
                entry.not_a_file().unwrap_or("not a regular file")
            ),
            "point the path at a CSV file (it is relative to the plan directory)",
        ),
    };
    cx.push(Diagnostic::at(code, cx.file, written.span(), message).with_help(help));
    false
}
