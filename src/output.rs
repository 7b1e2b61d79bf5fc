//! Where a run's output goes and in which format (SPEC 14): `--format`, else the extension
//! of `-o FILE`; a file format a command cannot write is refused before anything is read or
//! written, and so is a binary or page format (HTML, xlsx) bound for a terminal.

use std::path::Path;

use anyhow::{Result, bail};

use crate::cli::Command;
use crate::render::{ExportReport, Format};

/// The format `-o FILE`'s extension names: `None` for a file without an extension (the
/// command's own default then holds), an error for an extension no format writes.
pub fn format_of_path(path: &Path) -> Result<Option<Format>> {
    let Some(extension) = path.extension() else {
        return Ok(None);
    };
    let extension = extension.to_string_lossy().to_ascii_lowercase();
    Ok(Some(match extension.as_str() {
        // The text a terminal shows, kept in a file (`plan status -o status.txt`).
        "txt" => Format::Table,
        "csv" => Format::Csv,
        "json" => Format::Json,
        "md" | "markdown" => Format::Markdown,
        "html" | "htm" => Format::Html,
        "xlsx" => Format::Xlsx,
        "ics" => Format::Ics,
        _ => bail!(
            "plan cannot write .{extension} files: name the file .csv, .json, .md, .html, .xlsx, .ics or .txt, or choose the format with --format"
        ),
    }))
}

/// The format the run writes: `--format` when given, else the one `-o FILE`'s extension names
/// (for the commands whose format can be chosen), else `None` for the command's default.
/// Refuses a format the command does not write, so that nothing is read or written.
pub fn choose(
    command: &Command,
    format: Option<Format>,
    output: Option<&Path>,
) -> Result<Option<Format>> {
    let format = match (format, output) {
        (Some(format), _) => Some(format),
        // Completions, manual pages and schemas have one format each, whatever the file is
        // called; the write commands write plan files, not reports.
        (None, Some(path)) if chooses_format(command) => format_of_path(path)?,
        (None, _) => None,
    };
    if let Some(format) = format {
        check_writes(command, format)?;
    }
    Ok(format)
}

/// Refuse to print a page or a workbook to a terminal (SPEC 14): it is bytes for a browser
/// or Excel, not for reading in a shell. `terminal` is whether standard output is one.
pub fn refuse_terminal(
    command: &Command,
    format: Option<Format>,
    output: Option<&Path>,
    terminal: bool,
) -> Result<()> {
    if !terminal || output.is_some() {
        return Ok(());
    }
    match (command, format) {
        (Command::Report(_), _) | (_, Some(Format::Html)) => bail!(
            "plan report writes an HTML page, which a terminal cannot show: write it to a file with -o report.html"
        ),
        (_, Some(Format::Xlsx)) => bail!(
            "an Excel workbook cannot be shown on a terminal: write it to a file with -o FILE.xlsx"
        ),
        _ => Ok(()),
    }
}

/// Whether `-o FILE`'s extension chooses the command's format.
fn chooses_format(command: &Command) -> bool {
    !command.writes_plan()
        && !matches!(
            command,
            Command::Completions(_) | Command::Man(_) | Command::Schema(_)
        )
}

/// Refuse the formats a command does not write. The formats older than SPEC 14 stay as they
/// were (each command already says what it does with them); the file formats of SPEC 14 are
/// written by the commands named here only.
fn check_writes(command: &Command, format: Format) -> Result<()> {
    let export = match command {
        Command::Export(args) => Some(args.report),
        _ => None,
    };
    let report = matches!(command, Command::Report(_));
    match format {
        Format::Html if report => Ok(()),
        _ if report => bail!("plan report writes an HTML page only: name the file .html"),
        Format::Html => bail!(
            "only plan report writes HTML: use `plan report -o report.html`, or another format for this command"
        ),
        Format::Xlsx if export.is_some() => Ok(()),
        Format::Xlsx => bail!(
            "only plan export writes Excel workbooks: use `plan export all -o plan.xlsx` or `plan export REPORT -o FILE.xlsx`"
        ),
        Format::Ics if export == Some(ExportReport::Milestones) => Ok(()),
        Format::Ics => bail!(
            "only plan export milestones writes a calendar: use `plan export milestones -o deadlines.ics`"
        ),
        _ if export == Some(ExportReport::All) => bail!(
            "plan export all writes one workbook with a sheet per export: use -o FILE.xlsx or --format xlsx"
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    fn command(args: &[&str]) -> Command {
        let mut argv = vec!["plan"];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv)
            .expect("test command line")
            .command
    }

    #[test]
    fn the_extension_chooses_the_format() {
        let export = command(&["export", "status"]);
        for (file, format) in [
            ("s.csv", Format::Csv),
            ("s.JSON", Format::Json),
            ("s.md", Format::Markdown),
            ("s.xlsx", Format::Xlsx),
        ] {
            assert_eq!(
                choose(&export, None, Some(Path::new(file))).expect(file),
                Some(format)
            );
        }
        // --format wins over the name; a file without an extension keeps the default.
        assert_eq!(
            choose(&export, Some(Format::Json), Some(Path::new("s.xlsx"))).expect("json"),
            Some(Format::Json)
        );
        assert_eq!(
            choose(&export, None, Some(Path::new("status"))).expect("none"),
            None
        );
        assert!(choose(&export, None, Some(Path::new("s.pdf"))).is_err());
        assert!(choose(&export, None, Some(Path::new("s.ics"))).is_err());
        assert!(choose(&export, None, Some(Path::new("s.html"))).is_err());
    }

    #[test]
    fn each_file_format_belongs_to_its_commands() {
        let milestones = command(&["export", "milestones"]);
        assert!(choose(&milestones, None, Some(Path::new("d.ics"))).is_ok());
        let report = command(&["report"]);
        assert!(choose(&report, None, Some(Path::new("r.html"))).is_ok());
        assert!(choose(&report, None, Some(Path::new("r.csv"))).is_err());
        assert!(choose(&command(&["status"]), Some(Format::Xlsx), None).is_err());
        let all = command(&["export", "all"]);
        assert!(choose(&all, None, Some(Path::new("plan.xlsx"))).is_ok());
        assert!(choose(&all, None, Some(Path::new("plan.csv"))).is_err());
        // A manual page is roff whatever the file is called.
        let man = command(&["man"]);
        assert_eq!(
            choose(&man, None, Some(Path::new("plan.1"))).expect("man"),
            None
        );
    }

    #[test]
    fn a_page_or_a_workbook_is_not_printed_to_a_terminal() {
        let report = command(&["report"]);
        assert!(refuse_terminal(&report, None, None, true).is_err());
        assert!(refuse_terminal(&report, None, None, false).is_ok());
        assert!(refuse_terminal(&report, None, Some(Path::new("r.html")), true).is_ok());
        let export = command(&["export", "status"]);
        assert!(refuse_terminal(&export, Some(Format::Xlsx), None, true).is_err());
        assert!(refuse_terminal(&export, Some(Format::Csv), None, true).is_ok());
    }
}
