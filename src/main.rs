//! The `plan` binary: parse the command line, run the command, map the outcome to an exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use plan::cli::{Cli, ColorChoice, Command};
use plan::portfolio::Target;
use plan::render::Format;
use plan::render::lang::Lang;
use plan::{Context, cmd};

/// mimalloc rather than the system allocator: `plan log` builds and drops many small values
/// per commit, and glibc's malloc took a sixth of its time. Without transparent huge pages
/// (`no_thp`): the kernel's zeroing of a huge page now and then cost a run more than the
/// allocator saved (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("plan: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> Result<u8> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = |terminal: bool| match cli.color {
        // SPEC 2: never with NO_COLOR set, whatever the flag says.
        _ if no_color => false,
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal,
    };
    // CSV, JSON, Markdown and CI annotations are read by programs: never colour, even `always`.
    // Nor a file written with -o. Diagnostics on stderr are always text, so they may be coloured.
    // SPEC 14: the format is --format, else the one -o FILE's extension names; a format the
    // command cannot write, or a page or workbook bound for a terminal, is refused here,
    // before anything is read or written.
    let format = plan::output::choose(&cli.command, cli.format, cli.output.as_deref())?;
    plan::output::refuse_terminal(
        &cli.command,
        format,
        cli.output.as_deref(),
        std::io::stdout().is_terminal(),
    )?;
    let text_out = matches!(format, None | Some(Format::Table)) && cli.output.is_none();
    // SPEC 13: the plan or portfolio the run is about. `plan init` names the folder it
    // creates, and the commands that read no plan need none.
    let target = if cli.command.reads_plan() && !matches!(cli.command, Command::Init(_)) {
        plan::portfolio::discover(cli.plan.as_deref(), &std::env::current_dir()?)?
    } else {
        Target::Plan(cli.plan.clone().unwrap_or_else(|| "plan".into()))
    };
    let plan_dir = match &target {
        Target::Plan(dir) => dir.clone(),
        Target::Portfolio(portfolio) => portfolio.root.clone(),
    };
    if cli.rev.is_some() && cli.command.writes_plan() {
        anyhow::bail!(
            "--rev shows the plan as committed, which cannot be changed: run the command without --rev, on the working tree"
        );
    }
    // A write command prints no report: an output option would be ignored (and `-o` would
    // leave an empty file), so it is a usage error. `-o` with `--dry-run` saves the diff.
    if cli.command.writes_plan() {
        let ignored: Vec<&str> = [
            (
                cli.output.is_some() && !cli.command.dry_run(),
                "-o/--output",
            ),
            (cli.format.is_some(), "--format"),
            (cli.lang.is_some(), "--lang"),
            (cli.baseline.is_some(), "--baseline"),
        ]
        .into_iter()
        .filter_map(|(given, name)| given.then_some(name))
        .collect();
        if !ignored.is_empty() {
            anyhow::bail!(
                "{} cannot be used with a write command: it prints no report, only what it wrote (with --dry-run, the change as a diff, which -o FILE saves); nothing was written",
                ignored.join(", ")
            );
        }
    }
    // `--rev`: the commit, and the date reports take without --as-of (SPEC 10.1).
    let (rev, rev_date) = match &cli.rev {
        Some(rev) if cli.command.reads_plan() => {
            let repo = plan::git::Repo::open(&plan_dir)?;
            let (commit, day) = repo.resolve(rev)?;
            let date = day.unwrap_or(commit.date);
            (Some(commit), Some(date))
        }
        _ => (None, None),
    };
    // The wall clock is read here and nowhere else: every report takes its date from `ctx`.
    let today = chrono::Local::now().date_naive();
    let ctx = Context {
        plan_dir,
        as_of: cli.as_of.or(rev_date).unwrap_or(today),
        today,
        rev,
        baseline: cli.baseline.clone(),
        format,
        color_out: text_out && color(std::io::stdout().is_terminal()),
        color_err: color(std::io::stderr().is_terminal()),
        // The environment's locale is read here and nowhere else, like the clock.
        lang: cli.lang.unwrap_or_else(|| {
            let var = |name: &str| std::env::var(name).ok();
            Lang::from_locale(
                var("LC_ALL").as_deref(),
                var("LC_MESSAGES").as_deref(),
                var("LANG").as_deref(),
            )
        }),
    };
    // An export is written as it is made (issue 19): to standard output, or to a temporary
    // file beside `-o FILE` that takes its place only when the run succeeds.
    if matches!(cli.command, Command::Export(_)) {
        return export(cli, &ctx, &target);
    }
    let mut buffer = Vec::new();
    let outcome = match &target {
        Target::Plan(_) => cmd::run(&ctx, &cli.command, &mut buffer)?,
        Target::Portfolio(portfolio) => {
            cmd::run_portfolio(&ctx, portfolio, &cli.command, &mut buffer)?
        }
    };
    match &cli.output {
        Some(path) => plan::write::write_atomically(path, &buffer)?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&buffer)?;
            stdout.flush()?;
        }
    }
    Ok(outcome.code())
}

/// Run `plan export`, writing its output as it comes: a plan with errors leaves no `-o` file
/// (not even an empty one), and a half-written file is never in its place.
fn export(cli: &Cli, ctx: &Context, target: &Target) -> Result<u8> {
    let run_command = |command: &Command, out: &mut dyn Write| match target {
        Target::Plan(_) => cmd::run(ctx, command, out),
        Target::Portfolio(portfolio) => cmd::run_portfolio(ctx, portfolio, command, out),
    };
    let run = |out: &mut dyn Write| run_command(&cli.command, out);
    let Some(path) = &cli.output else {
        let stdout = Watched {
            inner: std::io::stdout().lock(),
            broken: false,
        };
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout);
        // A writer in between (csv's) may wrap the error: the pipe says what it was.
        let outcome = match run(&mut out).and_then(|o| Ok(out.flush().map(|()| o)?)) {
            Err(_) if out.get_ref().broken => return Ok(0),
            other => other?,
        };
        return Ok(outcome.code());
    };
    let mut file = plan::write::AtomicFile::create(path)?;
    let first = {
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, &mut file);
        run(&mut out).and_then(|o| Ok(out.flush().map(|()| o)?))
    };
    let outcome = match (first, &cli.command) {
        // A ledger found out of date order after rows were written: the file nobody has seen
        // is written again, the ledger held and sorted.
        (Err(error), Command::Export(args))
            if error
                .downcast_ref::<cmd::export::NotInDateOrder>()
                .is_some() =>
        {
            file.restart()?;
            let held = Command::Export(plan::cli::ExportArgs {
                held: true,
                ..args.clone()
            });
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, &mut file);
            let outcome = run_command(&held, &mut out)?;
            out.flush()?;
            outcome
        }
        (first, _) => first?,
    };
    // A plan with errors exports nothing, and leaves no file. A portfolio's export holds the
    // members without errors even when one has them (SPEC 13): it is kept.
    if outcome != plan::Outcome::Failed || matches!(target, Target::Portfolio(_)) {
        file.commit()?;
    }
    Ok(outcome.code())
}

/// Standard output, noting whether the reader closed the pipe.
struct Watched<W> {
    inner: W,
    broken: bool,
}

impl<W: Write> Write for Watched<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf);
        self.note(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let flushed = self.inner.flush();
        self.note(flushed)
    }
}

impl<W> Watched<W> {
    fn note<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &result
            && e.kind() == std::io::ErrorKind::BrokenPipe
        {
            self.broken = true;
        }
        result
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
