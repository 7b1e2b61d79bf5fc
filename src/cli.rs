//! The command line: global options and one subcommand per report (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::Date;
use crate::render::lang::Lang;
use crate::render::{Dialect, Format};
use crate::report::budget::By;
use crate::write::DateOrPeriod;

// The commands name these through the command line; they live in the layer that means them
// (the renderers' exports, the schemas' files), below this one.
pub use crate::render::ExportReport;
pub use crate::schema::SchemaFile;

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

    /// Read the plan as committed in REV (commit id, tag, branch, HEAD~N, REV^, or a date
    /// YYYY-MM-DD: the newest first-parent commit of HEAD on or before it); without --as-of,
    /// reports are computed as of the commit's date (for a date: that date)
    #[arg(long, global = true, value_name = "REV")]
    pub rev: Option<String>,

    /// Show how far each milestone's due date has slipped since REV and how often it moved
    /// (status, initiatives, export milestones, report); overrides `baseline` in plan.toml
    #[arg(long, global = true, value_name = "REV")]
    pub baseline: Option<String>,

    /// Output format [default: the extension of -o FILE; else table; csv for export; text for
    /// check; html for report]
    #[arg(long, global = true, value_enum, value_name = "FMT")]
    pub format: Option<Format>,

    /// When to use colour: `auto` on a terminal only; never with NO_COLOR set
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Language of labels, numbers and dates in tables and the HTML report (CSV and JSON never
    /// change) [default: da when LC_ALL, LC_MESSAGES or LANG starts with "da", else en]
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<Lang>,

    /// Write the output to FILE (atomically: a temporary file, then renamed into place); without
    /// --format, its extension chooses the format: .csv .json .md .html .xlsx .ics .txt
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
    #[command(
        after_help = "Examples:\n  plan --as-of 2014-06-30 status\n  plan status --owner \"Center for Dagtilbud\""
    )]
    Status(StatusArgs),
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
        after_help = "Examples:\n  plan --as-of 2014-06-30 report -o report.html\n  plan --lang en report -o report.html\n  plan report --since udvalg-2022-03 -o report.html"
    )]
    Report(ReportArgs),
    /// Validate every plan file and report every problem found.
    #[command(after_help = "Examples:\n  plan check\n  plan check --deny-warnings --format github")]
    Check(CheckArgs),
    /// Indicator targets against survey results: baseline → target → target, with actuals.
    #[command(
        after_help = "Examples:\n  plan --as-of 2014-06-30 scores\n  plan scores --by unit\n  plan scores --fail-on-missed"
    )]
    Scores(ScoresArgs),
    /// Write one report as CSV (default), JSON, an Excel workbook or (milestones) a calendar,
    /// with stable columns; `-o FILE` chooses the format by its extension.
    #[command(
        after_help = "Examples:\n  plan export status\n  plan export milestones --format json\n  plan export all -o plan.xlsx\n  plan export milestones --owner \"Center for Dagtilbud\" -o deadlines.ics\n  plan export criteria --dialect excel-da -o criteria.csv\n  plan export budget --by month\n  plan export ledger --format json"
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
    /// What changed between two states of the plan, compared as data matched by id: FROM
    /// (default HEAD) and TO (default the working tree) are revisions or dates; each side is
    /// computed as of its own date (the working tree as of --as-of).
    #[command(
        after_help = "Examples:\n  plan diff\n  plan diff vedtaget HEAD\n  plan diff 2021-06-30 2021-12-31 --format markdown\n  plan diff origin/main HEAD --format json"
    )]
    Diff(DiffArgs),
    /// The plan's history as data: each first-parent commit from HEAD (or --rev) back that
    /// changed a plan file, newest first, with its changes as `plan diff` shows them.
    #[command(
        after_help = "Examples:\n  plan log\n  plan log I2\n  plan log I6/I6-M2 --since 2021-01-01\n  plan log --format csv"
    )]
    Log(LogArgs),
    /// Start a new plan folder: a commented plan.toml, initiatives/, a ledger and surveys/.
    #[command(
        after_help = "Example:\n  plan init plan --title \"Klimaplan 2025-2028\" --organisation \"Fjordby Kommune\" --start 2025-01-01 --end 2028-12-31"
    )]
    Init(InitArgs),
    /// Add something new to the plan (an initiative).
    #[command(
        subcommand,
        after_help = "Example:\n  plan new initiative I9 --title \"Borgerpanel\" --focus-area F3 --start 2014-01-01"
    )]
    New(NewCommand),
    /// Add a dated status update to an initiative.
    #[command(
        after_help = "Examples:\n  plan update I2 on-track --note \"Første ansøgningsrunde afsluttet\"\n  plan update I2 at-risk --date 2014-06-30 --dry-run\n  plan update        (on a terminal: choose the initiative and status from a list)"
    )]
    Update(UpdateArgs),
    /// Mark a milestone done, move its due date, or add a milestone.
    #[command(
        after_help = "Examples:\n  plan milestone I2 M1 --done 2013-06-20\n  plan milestone I2 M1 --done 2013-06-18 --redate     (the recorded date was wrong)\n  plan milestone I2 M2 --due 2014-09-30\n  plan milestone I2 M3 --add --title \"Evaluering\" --due 2015-06-30"
    )]
    Milestone(MilestoneArgs),
    /// Record that a success criterion was achieved.
    #[command(
        after_help = "Example:\n  plan criterion kl-innovationspris --achieved 2015-03-01 --evidence \"Nomineret til KL's innovationspris\""
    )]
    Criterion(CriterionArgs),
    /// Change the budget ledger (add a row).
    #[command(
        subcommand,
        after_help = "Example:\n  plan ledger add investeringspulje expense 45.000,50 --date 2013-06-01 --ref ANS-2013-01"
    )]
    Ledger(LedgerCommand),
    /// Declare survey results (add a wave's file).
    #[command(
        subcommand,
        after_help = "Example:\n  plan survey add ~/Downloads/trivsel-2015.csv --wave 2015 --date 2015-11-20"
    )]
    Survey(SurveyCommand),
    /// List every diagnostic code with its severity, cause and fix.
    #[command(
        after_help = "Examples:\n  plan codes\n  plan codes --format markdown\n  plan codes --format json"
    )]
    Codes,
}

impl Command {
    /// Whether the command reads the plan (and so `--rev` applies to it).
    pub fn reads_plan(&self) -> bool {
        !matches!(
            self,
            Command::Completions(_) | Command::Man(_) | Command::Schema(_) | Command::Codes
        )
    }

    /// Whether the command is a write command run with `--dry-run` (it writes nothing).
    pub fn dry_run(&self) -> bool {
        match self {
            Command::Init(a) => a.dry.dry_run,
            Command::New(NewCommand::Initiative(a)) => a.dry.dry_run,
            Command::Update(a) => a.dry.dry_run,
            Command::Milestone(a) => a.dry.dry_run,
            Command::Criterion(a) => a.dry.dry_run,
            Command::Ledger(LedgerCommand::Add(a)) => a.dry.dry_run,
            Command::Survey(SurveyCommand::Add(a)) => a.dry.dry_run,
            _ => false,
        }
    }

    /// `--owner NAME`, on the commands that take it (SPEC 13).
    pub fn owner(&self) -> Option<&str> {
        match self {
            Command::Status(a) => a.owner.as_deref(),
            Command::Initiatives(a) => a.owner.as_deref(),
            Command::Export(a) => a.owner.as_deref(),
            _ => None,
        }
    }

    /// The subcommand's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Status(_) => "status",
            Command::Initiatives(_) => "initiatives",
            Command::Budget(_) => "budget",
            Command::Report(_) => "report",
            Command::Check(_) => "check",
            Command::Scores(_) => "scores",
            Command::Export(_) => "export",
            Command::Completions(_) => "completions",
            Command::Man(_) => "man",
            Command::Schema(_) => "schema",
            Command::Diff(_) => "diff",
            Command::Log(_) => "log",
            Command::Init(_) => "init",
            Command::New(_) => "new",
            Command::Update(_) => "update",
            Command::Milestone(_) => "milestone",
            Command::Criterion(_) => "criterion",
            Command::Ledger(_) => "ledger",
            Command::Survey(_) => "survey",
            Command::Codes => "codes",
        }
    }

    /// Whether the command writes plan files (a revision cannot be written to).
    pub fn writes_plan(&self) -> bool {
        matches!(
            self,
            Command::Init(_)
                | Command::New(_)
                | Command::Update(_)
                | Command::Milestone(_)
                | Command::Criterion(_)
                | Command::Ledger(_)
                | Command::Survey(_)
        )
    }
}

/// `--dry-run`, shared by every write command.
#[derive(Debug, Args)]
pub struct DryRun {
    /// Print the change as a unified diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `plan init [DIR]`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new plan folder [default: --plan, or ./plan]; it must not exist or be empty.
    pub dir: Option<PathBuf>,
    /// The plan's title.
    #[arg(long)]
    pub title: Option<String>,
    /// The organisation whose plan it is.
    #[arg(long)]
    pub organisation: Option<String>,
    /// The first day of the plan period.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub start: Option<Date>,
    /// The last day of the plan period.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub end: Option<Date>,
    #[command(flatten)]
    pub dry: DryRun,
}

/// `plan new …`.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A new initiative file, initiatives/NN-slug.toml (NN the next number).
    #[command(
        after_help = "Example:\n  plan new initiative I9 --title \"Borgerpanel\" --focus-area F3 --start 2014-01-01"
    )]
    Initiative(NewInitiativeArgs),
}

/// `plan new initiative ID`.
#[derive(Debug, Args)]
pub struct NewInitiativeArgs {
    /// The new initiative's id.
    pub id: Option<String>,
    /// Its title.
    #[arg(long)]
    pub title: Option<String>,
    /// The focus area it belongs to.
    #[arg(long, value_name = "ID")]
    pub focus_area: Option<String>,
    /// The unit with the main responsibility.
    #[arg(long)]
    pub owner: Option<String>,
    /// When it starts: a date, or a period such as 2026-Q1 [default: --as-of, i.e. today].
    #[arg(long, value_name = "WHEN", value_parser = parse_when)]
    pub start: Option<DateOrPeriod>,
    /// When it ends: a date, or a period such as 2027 or 2026-H2.
    #[arg(long, value_name = "WHEN", value_parser = parse_when)]
    pub end: Option<DateOrPeriod>,
    /// The initiative it is part of.
    #[arg(long, value_name = "ID")]
    pub parent: Option<String>,
    #[command(flatten)]
    pub dry: DryRun,
}

/// `plan update ID STATUS`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The initiative.
    pub id: Option<String>,
    /// on-track, at-risk, delayed, paused, done or cancelled.
    pub status: Option<String>,
    /// What happened.
    #[arg(long)]
    pub note: Option<String>,
    /// The update's date [default: --as-of, i.e. today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<Date>,
    #[command(flatten)]
    pub dry: DryRun,
}

/// `plan milestone ID MID`.
#[derive(Debug, Args)]
pub struct MilestoneArgs {
    /// The initiative.
    pub id: Option<String>,
    /// The milestone.
    pub milestone: Option<String>,
    /// Mark it done, on this date [default: --as-of, i.e. today].
    #[arg(long, value_name = "YYYY-MM-DD", num_args = 0..=1, value_parser = parse_date)]
    pub done: Option<Option<Date>>,
    /// Move its due date (or, with --add, the new milestone's due date): a date, or a period
    /// such as 2026-Q1 (due by its last day).
    #[arg(long, value_name = "WHEN", value_parser = parse_when)]
    pub due: Option<DateOrPeriod>,
    /// Add a new milestone (with --title and --due).
    #[arg(long)]
    pub add: bool,
    /// The new milestone's title (with --add).
    #[arg(long, requires = "add")]
    pub title: Option<String>,
    /// With --done on a milestone that is done already: replace its recorded date (without it,
    /// the recorded date is kept and the command refused).
    #[arg(long, requires = "done")]
    pub redate: bool,
    #[command(flatten)]
    pub dry: DryRun,
}

/// `plan criterion ID`.
#[derive(Debug, Args)]
pub struct CriterionArgs {
    /// The criterion.
    pub id: Option<String>,
    /// The day it was achieved.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub achieved: Option<Date>,
    /// What shows it (a decision, an article, a prize).
    #[arg(long)]
    pub evidence: Option<String>,
    /// On a criterion that is achieved already: replace its recorded date and evidence
    /// (without it, what is recorded is kept and the command refused).
    #[arg(long)]
    pub redate: bool,
    #[command(flatten)]
    pub dry: DryRun,
}

/// `plan ledger …`.
#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Append one row to a ledger file, in that file's dialect and encoding.
    #[command(
        after_help = "Examples:\n  plan ledger add investeringspulje grant 45000 --unit \"Center for Dagtilbud\" --ref ANS-2013-01\n  plan ledger add investeringspulje expense 45.000,50 --date 2013-06-01 --ref ANS-2013-01\n  plan ledger add facilitering hours 7.5 --note Workshop"
    )]
    Add(LedgerAddArgs),
}

/// `plan ledger add BUDGET KIND AMOUNT`.
#[derive(Debug, Args)]
pub struct LedgerAddArgs {
    /// The budget's id.
    pub budget: Option<String>,
    /// grant, release, expense or hours.
    pub kind: Option<String>,
    /// DKK or hours: `45000.50` or `45.000,50`.
    ///
    /// At most two decimals. A decimal point (`45000.50`, `1.5`) or a decimal comma
    /// (`45000,50`, `1,5`), `.` between thousands only with a decimal comma or in groups
    /// (`45.000,50`, `1.000.000`). Refused: one separator before exactly three digits
    /// (`45.000`, `45,000`, `1.005`: thousands or decimals?), and more than two decimals.
    #[arg(allow_negative_numbers = true)]
    pub amount: Option<String>,
    /// The day the entry takes effect [default: --as-of, i.e. today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<Date>,
    /// The organisational unit.
    #[arg(long)]
    pub unit: Option<String>,
    /// The application or case number.
    #[arg(long = "ref", value_name = "REF")]
    pub reference: Option<String>,
    /// Free text.
    #[arg(long)]
    pub note: Option<String>,
    /// The ledger file (relative to the plan folder); needed when the plan has several.
    #[arg(long, value_name = "FILE")]
    pub file: Option<String>,
    #[command(flatten)]
    pub dry: DryRun,
}

/// `plan survey …`.
#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Copy a survey file into surveys/ and declare it with a [[survey]] entry.
    #[command(
        after_help = "Examples:\n  plan survey add ~/Downloads/trivsel-2015.csv --wave 2015 --date 2015-11-20\n  plan survey add rambøll.csv --wave 2017 --date 2017-11-01 --layout aggregated --column indicator=Spørgsmål --column unit=Enhed --column n=Antal --column mean=Gns."
    )]
    Add(SurveyAddArgs),
}

/// `plan survey add FILE`.
#[derive(Debug, Args)]
pub struct SurveyAddArgs {
    /// The survey file.
    pub file: PathBuf,
    /// The wave it belongs to.
    #[arg(long)]
    pub wave: Option<String>,
    /// When the survey closed.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<Date>,
    /// aggregated, respondents or frequencies [default: detected from the header].
    #[arg(long)]
    pub layout: Option<String>,
    /// A canonical column and the file's own header for it (repeatable): `--column n=Antal`.
    #[arg(long = "column", value_name = "NAME=HEADER")]
    pub columns: Vec<String>,
    #[command(flatten)]
    pub dry: DryRun,
}

/// `plan report [--since REV]`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Add a section "Changes since REV": what changed from REV (a tag such as the last
    /// meeting's, a commit, a date YYYY-MM-DD) to the state the page shows, as `plan diff`
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
}

/// `plan initiatives [ID]`.
#[derive(Debug, Args)]
pub struct InitiativesArgs {
    /// Show this initiative's card instead of the list.
    pub id: Option<String>,

    /// Only the initiatives this person or unit owns (case-insensitive, whole words).
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
}

/// `plan status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Only the initiatives this person or unit owns (case-insensitive, whole words): their
    /// own initiatives and deadlines; across a portfolio's plans, the plans where they own one.
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
}

/// `plan diff [FROM] [TO]`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier state: a revision or a date YYYY-MM-DD [default: HEAD].
    pub from: Option<String>,
    /// The later state: a revision or a date [default: the working tree].
    pub to: Option<String>,
}

/// `plan log [ID]`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Keep only the changes of this initiative (with its milestones and updates),
    /// INITIATIVE/MILESTONE, budget, indicator or criterion.
    pub id: Option<String>,
    /// Only commits dated on or after this day (the walk stops at the first older commit).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub since: Option<Date>,
    /// Only commits dated on or before this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub until: Option<Date>,
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

/// `plan scores --by`: by unit, or a total by its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoresBy {
    /// One row per organisational unit.
    Unit,
    /// One row per part of each split of a total (SPEC 12.2).
    Part,
}

/// `plan export --by`: `budget` by month, year or unit; `scores` by unit or part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportBy {
    /// Calendar months (`YYYY-MM`).
    Month,
    /// Calendar years (`YYYY`).
    Year,
    /// Organisational units.
    Unit,
    /// The parts of each split of a total (`scores` only; SPEC 12.2).
    Part,
}

impl ExportBy {
    /// The budget breakdown it names; `None` for `part`.
    pub fn budget(self) -> Option<By> {
        match self {
            ExportBy::Month => Some(By::Month),
            ExportBy::Year => Some(By::Year),
            ExportBy::Unit => Some(By::Unit),
            ExportBy::Part => None,
        }
    }
}

/// `plan export WHAT`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Which report.
    #[arg(value_enum)]
    pub report: ExportReport,

    /// CSV dialect: standard, or excel-da for Danish Excel (`;`, decimal comma, BOM).
    #[arg(long, value_enum, default_value_t = Dialect::Standard)]
    pub dialect: Dialect,

    /// Break the report down: `budget` by month, year or unit; `scores` by unit or part.
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub by: Option<ExportBy>,

    /// `status` and `milestones` only: the initiatives (and deadlines) of one person or unit,
    /// the owner of the initiatives, case-insensitive, whole words (in a calendar, criteria
    /// belong to the plan's coordinator).
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,

    // Not an option: set when `-o FILE` is written again with the ledger held and sorted,
    // after rows of a ledger not in date order were written (issue 19).
    #[arg(skip)]
    pub held: bool,
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

fn parse_when(s: &str) -> Result<DateOrPeriod, String> {
    if let Some(date) = crate::dates::parse_iso_date(s) {
        return Ok(DateOrPeriod::Date(date));
    }
    match crate::validate::values::parse_period(s) {
        Ok(Some(_)) => Ok(DateOrPeriod::Period(s.trim().to_string())),
        Ok(None) => Err(format!(
            "`{s}` is not a date (YYYY-MM-DD) or a period (2026, 2025-H2, 2026-Q1, 2026-03)"
        )),
        Err(why) => Err(why),
    }
}

fn parse_date(s: &str) -> Result<Date, String> {
    crate::dates::parse_iso_date(s)
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
        commands.extend(plan.get_subcommands().flat_map(|c| c.get_subcommands()));
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
