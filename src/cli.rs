//! The command line: global options and one subcommand per report (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::Date;
use crate::render::lang::Lang;
use crate::render::{Dialect, Format};
use crate::report::budget::By;

/// Keep a public-sector action plan as code: validate it and see where it stands.
#[derive(Debug, Parser)]
#[command(name = "plan", version, about, max_term_width = 100)]
#[command(
    after_help = "Examples:\n  plan status\n  plan --as-of 2014-06-30 status\n  plan check --format github\n  plan export status --dialect excel-da -o status.csv"
)]
pub struct Cli {
    /// The plan directory [default: ./plan]
    #[arg(long, global = true, env = "PLAN_DIR", value_name = "DIR")]
    pub plan: Option<PathBuf>,

    /// The date every report is computed for: later entries do not exist yet [default: today]
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<Date>,

    /// Output format [default: table; csv for export; text for check]
    #[arg(long, global = true, value_enum, value_name = "FMT")]
    pub format: Option<Format>,

    /// When to use colour: `auto` on a terminal only; never with NO_COLOR set
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Language of labels, numbers and dates in tables and the HTML report (CSV and JSON never
    /// change) [default: da when LC_ALL, LC_MESSAGES or LANG starts with "da", else en]
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<Lang>,

    /// Write the output to FILE (atomically: a temporary file, then renamed into place)
    #[arg(short = 'o', long = "output", global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    /// Colour the text formats even off a terminal (`| less -R`), unless NO_COLOR is set.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// One screen for the coordinator: where the plan stands as of the date.
    #[command(after_help = "Example:\n  plan --as-of 2014-06-30 status")]
    Status,
    /// List the initiatives, or show one initiative's full card.
    #[command(after_help = "Examples:\n  plan initiatives\n  plan initiatives I2")]
    Initiatives(InitiativesArgs),
    /// Budget burn: committed and spent against the straight-line plan, per budget.
    #[command(
        after_help = "Examples:\n  plan --as-of 2014-06-30 budget\n  plan budget --by month\n  plan budget --by unit --format csv"
    )]
    Budget(BudgetArgs),
    /// The HTML report: one self-contained page (inline CSS and SVG charts, no scripts, nothing
    /// fetched) to mail, open in any browser or print to A4.
    #[command(
        after_help = "Examples:\n  plan --as-of 2014-06-30 report -o report.html\n  plan --lang en report -o report.html"
    )]
    Report,
    /// Validate every plan file and report every problem found.
    #[command(after_help = "Examples:\n  plan check\n  plan check --deny-warnings --format github")]
    Check(CheckArgs),
    /// Indicator targets against survey results: baseline → target → target, with actuals.
    #[command(
        after_help = "Examples:\n  plan --as-of 2014-06-30 scores\n  plan scores --by unit\n  plan scores --fail-on-missed"
    )]
    Scores(ScoresArgs),
    /// Write one report as CSV (default) or JSON with stable columns.
    #[command(
        after_help = "Examples:\n  plan export status\n  plan export milestones --format json\n  plan export criteria --dialect excel-da -o criteria.csv\n  plan export budget --by month\n  plan export ledger --format json"
    )]
    Export(ExportArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  plan completions bash > ~/.local/share/bash-completion/completions/plan\n  plan completions zsh > ~/.zfunc/_plan\n  plan completions fish > ~/.config/fish/completions/plan.fish\n  plan completions powershell >> $PROFILE"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of plan, or of one of its commands.
    #[command(
        after_help = "Examples:\n  plan man | man -l -\n  plan man > ~/.local/share/man/man1/plan.1\n  plan man check > ~/.local/share/man/man1/plan-check.1"
    )]
    Man(ManArgs),
    /// Print the JSON Schema of plan.toml or of an initiative file, for editors and linters.
    #[command(
        after_help = "Examples:\n  plan schema plan > schema/plan.schema.json\n  plan schema initiative\n\nEditors that use taplo (Even Better TOML) read a first line such as\n  #:schema ../schema/plan.schema.json"
    )]
    Schema(SchemaArgs),
    /// List every diagnostic code with its severity, cause and fix.
    #[command(
        after_help = "Examples:\n  plan codes\n  plan codes --format markdown\n  plan codes --format json"
    )]
    Codes,
}

/// `plan initiatives [ID]`.
#[derive(Debug, Args)]
pub struct InitiativesArgs {
    /// Show this initiative's card instead of the list.
    pub id: Option<String>,
}

/// `plan budget [--by month|year|unit]`.
#[derive(Debug, Args)]
pub struct BudgetArgs {
    /// Break committed and spent down per budget by month, year or unit.
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub by: Option<By>,
}

/// `plan check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Exit 1 when there are warnings too.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Exit 3 when a target or criterion is missed as of the date (a gate CI may opt into).
    #[arg(long)]
    pub fail_on_missed: bool,
}

/// `plan scores`.
#[derive(Debug, Args)]
pub struct ScoresArgs {
    /// Break each indicator and wave down by unit (small units are suppressed).
    #[arg(long, value_enum, value_name = "WHAT")]
    pub by: Option<ScoresBy>,

    /// Exit 3 when a target or criterion is missed as of the date.
    #[arg(long)]
    pub fail_on_missed: bool,
}

/// `plan scores --by`: survey results break down by unit only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoresBy {
    /// One row per organisational unit.
    Unit,
}

/// `plan export WHAT`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Which report.
    #[arg(value_enum)]
    pub report: ExportReport,

    /// CSV dialect: standard, or excel-da for Danish Excel (`;`, decimal comma, BOM).
    #[arg(long, value_enum, default_value_t = Dialect::Standard)]
    pub dialect: Dialect,

    /// Break the report down: `budget` by month, year or unit; `scores` by unit.
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub by: Option<By>,
}

/// `plan completions SHELL`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `plan man [COMMAND]`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The page of this command (plan-COMMAND(1)) instead of plan(1).
    pub command: Option<String>,
}

/// `plan schema WHICH`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file's schema.
    #[arg(value_enum)]
    pub file: SchemaFile,
}

/// The TOML files that have a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFile {
    /// `plan.toml`.
    Plan,
    /// `initiatives/*.toml`.
    Initiative,
}

/// The exports of SPEC 7 that exist so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportReport {
    /// One row per initiative.
    Status,
    /// One row per milestone.
    Milestones,
    /// One row per criterion.
    Criteria,
    /// One row per budget (or per budget and period with `--by`).
    Budget,
    /// The merged ledger, one row per entry.
    Ledger,
    /// One row per indicator and wave: baseline, then each target.
    Scores,
    /// One row per reporting round: initiatives per status (SPEC 9.5).
    Rounds,
}

fn parse_date(s: &str) -> Result<Date, String> {
    crate::validate::values::parse_iso_date(s)
        .ok_or_else(|| format!("`{s}` is not a date of the form YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_shows_an_example_in_its_help() {
        let plan = Cli::command();
        let mut commands = vec![&plan];
        commands.extend(plan.get_subcommands());
        for command in commands {
            let help = command
                .get_after_help()
                .map(ToString::to_string)
                .unwrap_or_default();
            assert!(
                help.contains("Example"),
                "`plan {}` has no example in its --help",
                command.get_name()
            );
        }
    }
}
