//! `plan ledger add BUDGET KIND AMOUNT [--date D] [--unit U] [--ref R] [--note N] [--file F]`:
//! one row appended to a ledger file, in that file's dialect and encoding.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cli::{LedgerAddArgs, LedgerCommand};
use crate::diag::Code;
use rust_decimal::Decimal;

use crate::load::csv::{Dialect, parse_decimal, thousands_lookalike};
use crate::load::ledger::REQUIRED;
use crate::tree::Tree as _;
use crate::write::csv::{AppendError, Cell, append_row, first_row_like};
use crate::write::prompt::{self, UsageError};
use crate::write::{self, Change, RefusalAt, toml};
use crate::{Context, Outcome};

const USAGE: &str = "plan ledger add BUDGET KIND AMOUNT [--date YYYY-MM-DD] [--unit U] [--ref R] [--note N] [--file F]";

/// Run `plan ledger …`.
pub fn run(ctx: &Context, command: &LedgerCommand, out: &mut dyn Write) -> Result<Outcome> {
    match command {
        LedgerCommand::Add(args) => add(ctx, args, out),
    }
}

fn add(ctx: &Context, args: &LedgerAddArgs, out: &mut dyn Write) -> Result<Outcome> {
    let plan_rel = Path::new("plan.toml");
    let plan_text = toml::TomlText::parse(&write::read(&ctx.plan_dir, plan_rel)?)
        .map_err(|why| anyhow::anyhow!("cannot read {}: {why}", plan_rel.display()))?;
    let budgets: Vec<(String, String)> = plan_text
        .ids("budget")
        .into_iter()
        .map(|b| (b, String::new()))
        .collect();
    let kinds: Vec<(String, String)> = crate::model::EntryKind::WORDS
        .iter()
        .map(|(k, _)| (k.to_string(), String::new()))
        .collect();
    // Unknown budgets and kinds are written as given: validation refuses them with its usual
    // diagnostics (E008 with the nearest budget, E004).
    let budget = prompt::choose(args.budget.as_deref(), "budget (BUDGET)", USAGE, &budgets)?;
    let kind = prompt::choose(args.kind.as_deref(), "kind (KIND)", USAGE, &kinds)?;
    let amount_text = prompt::required(args.amount.as_deref(), "amount (AMOUNT)", USAGE)?;
    let amount = parse_amount(&amount_text)?;

    let files = canonical_files(&ctx.plan_dir, &plan_text)?;
    // A new file that a glob of `ledger` names (next month's `okonomi/2026-12.csv`) is created
    // like the files the glob has already: this is its first row.
    let mut sibling_of_new: Option<PathBuf> = None;
    let rel = match &args.file {
        Some(given) => {
            let tree = crate::tree::DirTree::new(&ctx.plan_dir);
            let given_path =
                crate::tree::resolve(&tree, given).unwrap_or_else(|_| PathBuf::from(given));
            let absent = crate::tree::resolve(&tree, given).is_ok()
                && matches!(tree.entry(&given_path), Ok(crate::tree::Entry::Missing));
            if absent && let Some(siblings) = glob_siblings(&ctx.plan_dir, &plan_text, &given_path)
            {
                // With no sibling yet, the new file gets the canonical header, as below.
                sibling_of_new = siblings.last().cloned();
            } else if !files.contains(&given_path) {
                let mut refusal = RefusalAt::unknown(
                    "ledger file",
                    given,
                    files.iter().filter_map(|f| f.to_str()),
                    "its ledger files are",
                );
                refusal.help = Some(format!(
                    "{}; a file must be listed in `ledger` in plan.toml, as a path or a glob",
                    refusal.help.unwrap_or_default()
                ));
                return write::refuse(ctx, refusal);
            }
            given_path
        }
        None => match files.as_slice() {
            [only] => only.clone(),
            // No ledger file yet: the first plain path of `ledger` (by default `ledger.csv`)
            // is created with the canonical header.
            [] => match first_path(&plan_text) {
                Some(path) => path,
                None => {
                    return Err(UsageError(format!(
                        "the plan has no ledger file to add to: create one (its header: {}), or give --file\n\nUsage: {USAGE}",
                        crate::load::ledger::canonical_header()
                    ))
                    .into());
                }
            },
            several => {
                let list: Vec<String> = several.iter().map(|f| f.display().to_string()).collect();
                return Err(UsageError(format!(
                    "the plan has several ledger files: say which with --file ({})\n\nUsage: {USAGE}",
                    list.join(", ")
                ))
                .into());
            }
        },
    };

    let existing = match write::read(&ctx.plan_dir, &rel) {
        Ok(bytes) => Some(bytes),
        Err(_) if !ctx.plan_dir.join(&rel).exists() => None,
        Err(error) => return Err(error),
    };
    let sibling = match sibling_of_new {
        Some(sibling) if existing.is_none() => Some(write::read(&ctx.plan_dir, &sibling)?),
        _ => None,
    };
    let bytes = existing
        .clone()
        .unwrap_or_else(|| write::csv::ledger_header().into_bytes());
    let text = |t: &Option<String>| Cell::Text(t.clone().unwrap_or_default());
    let row = [
        ("date", Cell::Date(args.date.unwrap_or(ctx.as_of))),
        ("budget", Cell::Text(budget)),
        ("kind", Cell::Text(kind)),
        ("amount", amount),
        ("unit", text(&args.unit)),
        ("ref", text(&args.reference)),
        ("note", text(&args.note)),
    ];
    let written = match &sibling {
        Some(sibling) => first_row_like(sibling, &REQUIRED, &row),
        None => append_row(&bytes, &REQUIRED, &row),
    };
    let after = match written {
        Ok(after) => after,
        Err(error) => {
            let code = match error {
                AppendError::Unencodable { .. } => Code::Unencodable,
                AppendError::Header(_) => Code::MissingColumn,
                AppendError::Unsafe => Code::NotText,
            };
            let help = match error {
                AppendError::Unencodable { .. } => Some(
                    "write the text without that character, or save the file as \"CSV UTF-8\" in Excel"
                        .to_string(),
                ),
                _ => None,
            };
            return write::refuse(
                ctx,
                RefusalAt {
                    code,
                    file: Some(rel),
                    span: None,
                    message: error.to_string(),
                    help,
                },
            );
        }
    };
    let mut change = Change::default();
    change.edit(&rel, existing, after);
    write::finish(ctx, &change, args.dry.dry_run, out)
}

/// AMOUNT as `45000.50` or `45.000,50` (docs/decisions.md, "Amounts"). It is refused (exit 2)
/// when two readers would read it differently — one separator before exactly three digits
/// (`45,000`, `1.005`, `45.000`: a decimal mark or a thousands separator?) — and when it is
/// written with more than two decimals (`0.001`, `1.5000`). Text that is a number in neither
/// form (`abc`, `1 000`) is kept as text: validation then refuses it with its usual
/// diagnostic at the row it would have been.
fn parse_amount(s: &str) -> Result<Cell> {
    let t = s.trim();
    if let Some((decimal, thousands)) =
        thousands_lookalike(t, '.').or_else(|| thousands_lookalike(t, ','))
    {
        // The decimal reading is offered only when it is an amount (`45.000`: 45, not `1.005`).
        let or_decimal = if decimal.normalize().scale() <= 2 {
            format!(", or `{decimal:.2}` for {}", decimal.normalize())
        } else {
            String::new()
        };
        return Err(UsageError(format!(
            "`{t}` reads as {} with a decimal mark and as {thousands} with a thousands separator: write `{thousands}.00` or `{}` for {thousands}{or_decimal}\n\nUsage: {USAGE}",
            decimal.normalize(),
            danish(thousands),
        ))
        .into());
    }
    let plain = parse_decimal(t, Dialect::COMMA);
    let danish_form = parse_decimal(t, Dialect::SEMICOLON);
    let value = match (plain, danish_form) {
        // Only a lookalike reads as two different numbers; kept as a guard.
        (Ok(a), Ok(b)) if a != b => {
            return Err(UsageError(format!(
                "`{t}` reads as {a} in one form and {b} in the other: write it with two decimals (`45000.00` or `45.000,00`)\n\nUsage: {USAGE}"
            ))
            .into());
        }
        (Ok(a), _) | (_, Ok(a)) => a,
        _ => return Ok(Cell::Text(s.to_string())),
    };
    if value.scale() > 2 {
        return Err(UsageError(format!(
            "`{t}` has {} decimals: an amount has at most two (øre, or hundredths of an hour)\n\nUsage: {USAGE}",
            value.scale()
        ))
        .into());
    }
    match crate::validate::values::in_hundredths(value) {
        Some(h) => Ok(Cell::Hundredths(h)),
        None => Err(UsageError(format!("`{t}` is too large\n\nUsage: {USAGE}")).into()),
    }
}

/// A whole number in the Danish form, `45000` → `45.000,00`.
fn danish(whole: Decimal) -> String {
    let digits = whole.abs().trunc().to_string();
    let sign = if whole.is_sign_negative() { "-" } else { "" };
    format!("{sign}{},00", crate::load::csv::group_thousands(&digits))
}

/// The first plain path (not a glob) of `ledger`, default `ledger.csv`: where a new ledger goes.
fn first_path(plan: &toml::TomlText) -> Option<PathBuf> {
    plan.root_strings("ledger")
        .unwrap_or_else(|| vec!["ledger.csv".into()])
        .into_iter()
        .find(|p| !p.contains(['*', '?', '[']))
        .map(PathBuf::from)
}

/// When `rel` is a file a glob item of `ledger` matches: the files that glob matches now,
/// sorted (the last is the newest month, by the usual names); `None` when no glob matches it.
fn glob_siblings(plan_dir: &Path, plan: &toml::TomlText, rel: &Path) -> Option<Vec<PathBuf>> {
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    let tree = crate::tree::DirTree::new(plan_dir);
    plan.root_strings("ledger")?
        .into_iter()
        .filter(|p| p.contains(['*', '?', '[']))
        .find(|pattern| {
            glob::Pattern::new(pattern.trim_start_matches("./"))
                .is_ok_and(|p| p.matches_path_with(rel, options))
        })
        .map(|pattern| {
            let mut found: Vec<PathBuf> = crate::tree::glob(&tree, &pattern)
                .unwrap_or_default()
                .into_iter()
                .filter(|f| matches!(tree.entry(f), Ok(crate::tree::Entry::File { .. })))
                .collect();
            found.sort();
            found
        })
}

/// The plan's canonical ledger files (the path and glob items of `ledger`, default
/// `ledger.csv`) that exist, relative to the plan directory.
fn canonical_files(plan_dir: &Path, plan: &toml::TomlText) -> Result<Vec<PathBuf>> {
    let patterns = plan
        .root_strings("ledger")
        .unwrap_or_else(|| vec!["ledger.csv".into()]);
    let tree = crate::tree::DirTree::new(plan_dir);
    let mut files = Vec::new();
    for pattern in patterns {
        if let Ok(found) = crate::tree::glob(&tree, &pattern) {
            files.extend(
                found
                    .into_iter()
                    .filter(|rel| matches!(tree.entry(rel), Ok(crate::tree::Entry::File { .. }))),
            );
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_either_form() {
        let hundredths = |s: &str| match parse_amount(s) {
            Ok(Cell::Hundredths(h)) => Some(h),
            _ => None,
        };
        assert_eq!(hundredths("45000.50"), Some(4_500_050));
        assert_eq!(hundredths("45.000,50"), Some(4_500_050));
        assert_eq!(hundredths("45000,50"), Some(4_500_050));
        assert_eq!(hundredths("1.000.000"), Some(100_000_000));
        assert_eq!(hundredths("7,5"), Some(750));
        assert_eq!(hundredths("1,5"), Some(150));
        assert_eq!(hundredths("1.5"), Some(150));
        assert_eq!(hundredths("1.50"), Some(150));
        assert_eq!(hundredths("45000"), Some(4_500_000));
        assert_eq!(hundredths("-5"), Some(-500));
        assert_eq!(parse_amount("abc").ok(), Some(Cell::Text("abc".into())));
        assert_eq!(parse_amount("1 000").ok(), Some(Cell::Text("1 000".into())));
        assert_eq!(parse_amount("-").ok(), Some(Cell::Text("-".into())));
        assert_eq!(
            parse_amount("45,000.50").ok(),
            Some(Cell::Text("45,000.50".into()))
        );
    }

    #[test]
    fn amounts_two_readers_read_differently_are_refused() {
        for s in [
            "45.000", "45,000", "1.005", "1,005", "0,001", "0.001", "1.000", "-1.000",
        ] {
            let Err(e) = parse_amount(s) else {
                panic!("`{s}` was accepted");
            };
            assert!(e.to_string().contains("thousands separator"), "{s}: {e}");
        }
    }

    #[test]
    fn amounts_with_more_than_two_decimals_are_refused() {
        for s in ["1.5000", "20000.500", "20000,505", "0.0001", "45.000,505"] {
            let Err(e) = parse_amount(s) else {
                panic!("`{s}` was accepted");
            };
            assert!(e.to_string().contains("at most two"), "{s}: {e}");
        }
    }
}
