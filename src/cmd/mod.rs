//! One module per subcommand: each reads what it needs through the pipeline and hands
//! report data to a renderer. Glue only.

pub mod budget;
pub mod check;
pub mod codes;
pub mod completions;
pub mod criterion;
pub mod diff;
pub mod export;
pub mod init;
pub mod initiatives;
pub mod ledger;
pub mod log;
pub mod man;
pub mod milestone;
pub mod new;
pub mod report;
pub mod schema;
pub mod scores;
pub mod status;
pub mod survey;
pub mod update;

use std::io::Write;

use anyhow::{Result, bail};

use crate::cli::Command;
use crate::{Context, Outcome};

/// Run a subcommand, writing its report to `out`. A write command that writes (not
/// `--dry-run`) runs holding the plan's lock from its first read to its last rename, so that
/// two of them on one plan never lose a change (SPEC 11 rule 3). `plan init` needs none: it
/// builds the new folder aside and renames it into place in one step.
pub fn run(ctx: &Context, command: &Command, out: &mut dyn Write) -> Result<Outcome> {
    let locks = command.writes_plan()
        && !command.dry_run()
        && !matches!(command, Command::Init(_))
        // No folder, no plan to lock: the command says what is missing.
        && ctx.plan_dir.is_dir();
    if locks {
        crate::write::lock::while_locked(&ctx.plan_dir, crate::write::lock::WAIT, || {
            run_command(ctx, command, out)
        })
    } else {
        run_command(ctx, command, out)
    }
}

fn run_command(ctx: &Context, command: &Command, out: &mut dyn Write) -> Result<Outcome> {
    match command {
        Command::Status(args) => status::run(ctx, args, out),
        Command::Initiatives(args) => initiatives::run(ctx, args, out),
        Command::Budget(args) => budget::run(ctx, args, out),
        Command::Report(args) => report::run(ctx, args, out),
        Command::Check(args) => check::run(ctx, args, out),
        Command::Scores(args) => scores::run(ctx, args, out),
        Command::Export(args) => export::run(ctx, args, out),
        Command::Completions(args) => completions::run(args, out),
        Command::Man(args) => man::run(args, out),
        Command::Schema(args) => schema::run(args, out),
        Command::Codes => codes::run(ctx, out),
        Command::Diff(args) => diff::run(ctx, args, out),
        Command::Log(args) => log::run(ctx, args, out),
        Command::Init(args) => init::run(ctx, args, out),
        Command::New(command) => new::run(ctx, command, out),
        Command::Update(args) => update::run(ctx, args, out),
        Command::Milestone(args) => milestone::run(ctx, args, out),
        Command::Criterion(args) => criterion::run(ctx, args, out),
        Command::Ledger(command) => ledger::run(ctx, command, out),
        Command::Survey(command) => survey::run(ctx, command, out),
    }
}

/// Run a subcommand on every plan of a portfolio (SPEC 13). The reports across plans are
/// built from each member's own pipeline; a command that acts on one plan (a write, a card,
/// a breakdown) says to choose the member with `--plan ID`.
pub fn run_portfolio(
    ctx: &Context,
    portfolio: &crate::portfolio::Portfolio,
    command: &Command,
    out: &mut dyn Write,
) -> Result<Outcome> {
    match command {
        Command::Status(args) => status::run_portfolio(ctx, portfolio, args, out),
        Command::Check(args) => check::run_portfolio(ctx, portfolio, args, out),
        Command::Report(args) => report::run_portfolio(ctx, portfolio, args, out),
        Command::Diff(args) => diff::run_portfolio(ctx, portfolio, args, out),
        Command::Log(args) => log::run_portfolio(ctx, portfolio, args, out),
        Command::Export(args) => export::run_portfolio(ctx, portfolio, args, out),
        Command::Initiatives(args) if args.id.is_none() => {
            initiatives::run_portfolio(ctx, portfolio, args, out)
        }
        Command::Completions(_) | Command::Man(_) | Command::Schema(_) | Command::Codes => {
            run_command(ctx, command, out)
        }
        _ => {
            let ids: Vec<String> = portfolio
                .members
                .iter()
                .map(|m| format!("`{}`", m.id))
                .collect();
            bail!(
                "`plan {}` works on one plan, and {} is a portfolio: choose the plan with --plan ID (its plans: {})",
                command.name(),
                crate::source::display_path(&portfolio.root.join(crate::portfolio::FILE)),
                ids.join(", ")
            )
        }
    }
}
