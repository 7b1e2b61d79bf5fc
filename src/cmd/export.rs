//! `plan export …`: one report as CSV or JSON with stable columns (SPEC 7), an Excel
//! workbook of one or every export, or the calendar of the deadlines (SPEC 14).

use std::io::Write;

use anyhow::{Result, bail};

use crate::cli::{ExportArgs, ExportBy, ExportReport};
use crate::model::{Date, Ledger, Plan};
use crate::render::ics::Deadlines;
use crate::render::xlsx::Sheet;
use crate::render::{self, Format};
use crate::report::Table;
use crate::report::budget::{self, ledger_table};
use crate::report::rounds::{rounds, rounds_table};
use crate::report::status::{criteria_table, milestones_table, status_table};
use crate::report::{scores, series};
use crate::{Context, Outcome};

/// The exports `plan export all` writes, one sheet each, in this order.
const ALL: [ExportReport; 9] = [
    ExportReport::Status,
    ExportReport::Milestones,
    ExportReport::Criteria,
    ExportReport::Budget,
    ExportReport::Ledger,
    ExportReport::Scores,
    ExportReport::Rounds,
    ExportReport::Series,
    ExportReport::Effects,
];

/// Run `plan export`.
pub fn run(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<Outcome> {
    check_args(ctx, args)?;
    let format = ctx.format.unwrap_or(Format::Csv);
    if args.report == ExportReport::Ledger
        && matches!(format, Format::Csv | Format::Json)
        && !args.held
        && let Some(outcome) = stream_ledger(ctx, args, format, out)?
    {
        return Ok(outcome);
    }
    if format == Format::Xlsx
        && matches!(args.report, ExportReport::Ledger | ExportReport::All)
        && let Some(outcome) = stream_workbook(ctx, args, out)?
    {
        return Ok(outcome);
    }
    let loaded = crate::load_with(ctx, &load_options(args))?;
    let Some((plan, ledger)) = loaded.valid(ctx)? else {
        return Ok(Outcome::Failed);
    };
    match format {
        Format::Ics => {
            let which = Deadlines {
                owner: args.owner.as_deref(),
            };
            render::ics::write_calendar(out, plan, ctx.as_of, ctx.lang, which)?;
        }
        Format::Xlsx => {
            let tables = tables(ctx, plan, ledger, args);
            write_workbook(ctx, out, &tables)?;
        }
        _ => render::write_table(
            out,
            &table(ctx, plan, ledger, args, args.report),
            format,
            args.dialect,
            ctx.as_of,
            ctx.json_revision(format)?.as_ref(),
        )?,
    }
    Ok(Outcome::Success)
}

/// Run `plan export` on a portfolio (SPEC 13): every member's rows of each export, one
/// member after the other, with a first column `plan`; the calendar holds every member's
/// deadlines. A member with errors has no rows: its diagnostics go to standard error, the
/// other members' rows are written as they would be alone, and the run exits 1.
pub fn run_portfolio(
    ctx: &Context,
    portfolio: &crate::portfolio::Portfolio,
    args: &ExportArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    check_args(ctx, args)?;
    let format = ctx.format.unwrap_or(Format::Csv);
    if matches!(args.report, ExportReport::Ledger | ExportReport::All)
        && matches!(format, Format::Csv | Format::Json | Format::Xlsx)
    {
        return stream_portfolio(ctx, portfolio, args, format, out);
    }
    let loads = portfolio.load_all(ctx, &load_options(args))?;
    let valid: Vec<(&str, &Plan, &Ledger)> = loads
        .iter()
        .filter_map(|l| {
            l.valid()
                .map(|(p, ledger)| (l.member.id.as_str(), p, ledger))
        })
        .collect();
    match format {
        Format::Ics => {
            let which = Deadlines {
                owner: args.owner.as_deref(),
            };
            let calendars = valid
                .iter()
                .map(|(_, plan, _)| render::ics::calendar(plan, ctx.as_of, ctx.lang, which));
            let calendar = render::ics::merged(&portfolio.title, calendars);
            out.write_all(calendar.to_string().as_bytes())?;
        }
        _ => {
            // Each member's tables, computed from its own model, then put together.
            let members: Vec<(String, Vec<(ExportReport, Table)>)> = valid
                .iter()
                .map(|(id, plan, ledger)| (id.to_string(), tables(ctx, plan, ledger, args)))
                .collect();
            let reports: &[ExportReport] = if args.report == ExportReport::All {
                &ALL
            } else {
                std::slice::from_ref(&args.report)
            };
            let combined: Vec<(ExportReport, Table)> = reports
                .iter()
                .enumerate()
                .map(|(at, &report)| {
                    let parts: Vec<(String, Table)> = members
                        .iter()
                        .map(|(id, tables)| (id.clone(), tables[at].1.clone()))
                        .collect();
                    let table = crate::report::portfolio::concat(&parts);
                    (report, table)
                })
                .collect();
            match format {
                Format::Xlsx => write_workbook(ctx, out, &combined)?,
                _ => {
                    let table = combined.first().map(|(_, t)| t.clone()).unwrap_or(Table {
                        columns: vec!["plan"],
                        rows: vec![],
                    });
                    render::write_table(
                        out,
                        &table,
                        format,
                        args.dialect,
                        ctx.as_of,
                        ctx.json_revision(format)?.as_ref(),
                    )?
                }
            }
        }
    }
    if crate::portfolio::report_broken(&loads, ctx.color_err)? {
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Success)
}

/// `plan export ledger` (CSV, JSON, xlsx) and `plan export all` of a portfolio, the ledger
/// written member after member (issue 19): every member is first read and checked without
/// keeping its entries, noting whether its ledger is in date order; then the ledger of each
/// member without errors is read again and each row written as it is read (or into the
/// workbook's ledger sheet), after a first cell naming the plan. A member whose ledger is not
/// in date order is exported as before, its entries held and sorted. The rows are those of
/// the members' tables put together (`report::portfolio::concat`).
fn stream_portfolio(
    ctx: &Context,
    portfolio: &crate::portfolio::Portfolio,
    args: &ExportArgs,
    format: Format,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let options = crate::LoadOptions {
        keep_entries: false,
        ..load_options(args)
    };
    let firsts = portfolio.each(ctx, |_, ctx| {
        let mut order = OrderSink {
            order: DateOrder::new(ctx.as_of),
            ordered: true,
        };
        let loaded = crate::load_streaming(ctx, &options, Some(&mut order))?;
        Ok((loaded, order.ordered))
    })?;
    let mut loads = Vec::with_capacity(firsts.len());
    let mut ordered = Vec::with_capacity(firsts.len());
    for (member, (loaded, in_order)) in portfolio.members.iter().zip(firsts) {
        loads.push(crate::portfolio::MemberLoad { member, loaded });
        ordered.push(in_order);
    }
    // The columns `concat` gives: `plan` alone when no member has rows to give.
    let mut columns = vec!["plan"];
    if loads.iter().any(|l| l.valid().is_some()) {
        columns.extend(budget::LEDGER_COLUMNS);
    }
    if format == Format::Xlsx {
        let mut book = render::xlsx::Book::new(ctx.lang, ctx.as_of);
        let mut sheet = SheetOut {
            sheet: book.rows(ctx.lang.sheet_name(ExportReport::Ledger), &columns)?,
            error: None,
        };
        write_members(ctx, &loads, &ordered, &options, &mut sheet)?;
        let mut ledger_sheet = Some(sheet.sheet);
        let valid: Vec<(&str, &Plan, &Ledger)> = loads
            .iter()
            .filter_map(|l| {
                l.valid()
                    .map(|(p, ledger)| (l.member.id.as_str(), p, ledger))
            })
            .collect();
        for &report in reports(args) {
            if report == ExportReport::Ledger {
                if let Some(sheet) = ledger_sheet.take() {
                    book.push(sheet)?;
                }
                continue;
            }
            let parts: Vec<(String, Table)> = valid
                .iter()
                .map(|(id, plan, ledger)| (id.to_string(), table(ctx, plan, ledger, args, report)))
                .collect();
            let table = crate::report::portfolio::concat(&parts);
            book.sheet(Sheet {
                name: ctx.lang.sheet_name(report),
                table: &table,
            })?;
        }
        book.save(out)?;
    } else {
        let mut buf = Vec::with_capacity(PIECE * 2);
        let writer = crate::render::rows::RowWriter::start(
            &mut buf,
            columns,
            format,
            args.dialect,
            ctx.as_of,
            ctx.json_revision(format)?.as_ref(),
        )?;
        let mut piped = Piped {
            out,
            writer,
            buf,
            error: None,
        };
        write_members(ctx, &loads, &ordered, &options, &mut piped)?;
        let Piped {
            out,
            writer,
            mut buf,
            ..
        } = piped;
        writer.finish(&mut buf);
        out.write_all(&buf)?;
    }
    if crate::portfolio::report_broken(&loads, ctx.color_err)? {
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Success)
}

/// The ledger rows of every member without errors, each after its plan's id (see
/// [`stream_portfolio`]).
fn write_members(
    ctx: &Context,
    loads: &[crate::portfolio::MemberLoad<'_>],
    ordered: &[bool],
    options: &crate::LoadOptions,
    rows: &mut dyn RowOut,
) -> Result<()> {
    use crate::report::Cell;
    for (load, &in_order) in loads.iter().zip(ordered) {
        if load.valid().is_none() {
            continue;
        }
        let id = &load.member.id;
        let member = ctx.for_plan(&load.member.dir);
        let changed = || {
            anyhow::anyhow!("the plan `{id}` changed while it was exported: run the export again")
        };
        if in_order {
            let mut sink = RowsSink::new(&mut *rows, Some(Cell::Text(id.clone())), ctx.as_of);
            let again = crate::load_streaming(&member, options, Some(&mut sink))?;
            let broken = sink.broken;
            if let Some(error) = rows.error() {
                return Err(error);
            }
            if broken || again.plan.is_none() || again.diags.has_errors() {
                return Err(changed());
            }
        } else {
            let held = crate::LoadOptions {
                keep_entries: true,
                ..options.clone()
            };
            let again = crate::load_with(&member, &held)?;
            let (Some(plan), false) = (&again.plan, again.diags.has_errors()) else {
                return Err(changed());
            };
            let table = ledger_table(plan, &again.ledger, ctx.as_of);
            let mut row = Vec::with_capacity(table.columns.len() + 1);
            for cells in &table.rows {
                row.clear();
                row.push(Cell::Text(id.clone()));
                row.extend_from_slice(cells);
                if !rows.row(&row) {
                    break;
                }
            }
            if let Some(error) = rows.error() {
                return Err(error);
            }
        }
    }
    Ok(())
}

/// Where rows go as they come.
trait RowOut {
    /// Write a row. `false`: it cannot be written ([`RowOut::error`] says why).
    fn row(&mut self, cells: &[crate::report::Cell]) -> bool;
    /// What kept a row from being written, once.
    fn error(&mut self) -> Option<anyhow::Error>;
}

/// Rows into a workbook's sheet written a row at a time.
struct SheetOut {
    sheet: render::xlsx::RowSheet,
    error: Option<anyhow::Error>,
}

impl RowOut for SheetOut {
    fn row(&mut self, cells: &[crate::report::Cell]) -> bool {
        if self.error.is_some() {
            return false;
        }
        if let Err(error) = self.sheet.row(cells) {
            self.error = Some(error);
            return false;
        }
        true
    }

    fn error(&mut self) -> Option<anyhow::Error> {
        self.error.take()
    }
}

/// The ledger export's rule for the rows it is handed: it lists the entries dated on or
/// before as-of, by date. The one place every sink below asks where a row stands.
struct DateOrder {
    as_of: Date,
    /// The date of the last row listed.
    last: Option<Date>,
}

/// Where a row stands (see [`DateOrder::place`]).
#[derive(PartialEq)]
enum Place {
    /// Dated after as-of: not listed.
    After,
    /// Next in date order: listed.
    Next,
    /// Dated before a row already listed.
    Before,
}

impl DateOrder {
    fn new(as_of: Date) -> Self {
        DateOrder { as_of, last: None }
    }

    /// Where a row dated `date` stands; a row that is `Next` becomes the last one listed.
    fn place(&mut self, date: Date) -> Place {
        if date > self.as_of {
            Place::After
        } else if self.last.is_some_and(|last| date < last) {
            Place::Before
        } else {
            self.last = Some(date);
            Place::Next
        }
    }
}

/// Notes whether the rows of a ledger dated on or before as-of come in date order.
struct OrderSink {
    order: DateOrder,
    ordered: bool,
}

impl crate::model::EntrySink for OrderSink {
    fn entry(&mut self, e: &crate::model::EntryRef<'_>) -> bool {
        if self.order.place(e.date) == Place::Before {
            self.ordered = false;
            self.order.last = Some(e.date);
        }
        true
    }

    fn restart(&mut self) {
        self.order.last = None;
        self.ordered = true;
    }
}

/// Rows formatted into a buffer and written in pieces.
struct Piped<'o> {
    out: &'o mut dyn Write,
    writer: crate::render::rows::RowWriter,
    buf: Vec<u8>,
    /// The output was closed (or cannot be written).
    error: Option<std::io::Error>,
}

impl RowOut for Piped<'_> {
    /// Format a row, and write what is formatted once it is a piece.
    fn row(&mut self, cells: &[crate::report::Cell]) -> bool {
        if self.error.is_some() {
            return false;
        }
        self.writer.row(&mut self.buf, cells);
        if self.buf.len() >= PIECE {
            if let Err(error) = self.out.write_all(&self.buf) {
                self.error = Some(error);
                return false;
            }
            self.buf.clear();
        }
        true
    }

    fn error(&mut self) -> Option<anyhow::Error> {
        self.error.take().map(anyhow::Error::from)
    }
}

/// Hands each ledger row, as it is read, to a [`RowOut`]: a workbook's ledger sheet, or a
/// portfolio's rows after the member's plan id (`first`). Rows written cannot be taken back:
/// a row out of date order, or the ledger read again after rows were written, breaks it.
struct RowsSink<'r> {
    rows: &'r mut dyn RowOut,
    first: Option<crate::report::Cell>,
    cells: Vec<crate::report::Cell>,
    row: Vec<crate::report::Cell>,
    order: DateOrder,
    /// A row came out of date order, or the ledger was read again after rows were written.
    broken: bool,
}

impl<'r> RowsSink<'r> {
    fn new(rows: &'r mut dyn RowOut, first: Option<crate::report::Cell>, as_of: Date) -> Self {
        RowsSink {
            rows,
            first,
            cells: Vec::new(),
            row: Vec::new(),
            order: DateOrder::new(as_of),
            broken: false,
        }
    }
}

impl crate::model::EntrySink for RowsSink<'_> {
    fn entry(&mut self, e: &crate::model::EntryRef<'_>) -> bool {
        if self.broken {
            return false;
        }
        match self.order.place(e.date) {
            Place::After => return true,
            Place::Before => {
                self.broken = true;
                return false;
            }
            Place::Next => {}
        }
        budget::ledger_cells_into(&mut self.cells, e);
        let Some(first) = &self.first else {
            return self.rows.row(&self.cells);
        };
        if self.row.is_empty() {
            self.row.push(first.clone());
        }
        self.row.truncate(1);
        self.row.extend_from_slice(&self.cells);
        self.rows.row(&self.row)
    }

    fn restart(&mut self) {
        if self.order.last.is_some() {
            self.broken = true;
        }
    }
}

/// Output bytes held before the first are written: a ledger whose export fits in it is
/// written only once it is read without errors and in date order, as before issue 19.
const HEAD: usize = 8 * 1024 * 1024;
/// Once rows are being written, they are written in pieces of about this size.
const PIECE: usize = 64 * 1024;

/// `plan export ledger` in CSV or JSON, each row written as soon as it is read and checked
/// (issue 19; docs/decisions.md): memory stays flat, and a reader that stops early (`| head`)
/// stops the run. `None`: the ledger is not in date order, and the caller exports it sorted,
/// holding its entries, as before.
fn stream_ledger(
    ctx: &Context,
    args: &ExportArgs,
    format: Format,
    out: &mut dyn Write,
) -> Result<Option<Outcome>> {
    let mut buf = Vec::with_capacity(PIECE * 2);
    let writer = crate::render::rows::RowWriter::start(
        &mut buf,
        budget::LEDGER_COLUMNS.to_vec(),
        format,
        args.dialect,
        ctx.as_of,
        ctx.json_revision(format)?.as_ref(),
    )?;
    let mut sink = LedgerSink {
        out,
        writer,
        buf,
        written: false,
        order: DateOrder::new(ctx.as_of),
        flow: Flow::Writing,
    };
    let options = crate::LoadOptions {
        keep_entries: false,
        ..load_options(args)
    };
    let loaded = crate::load_streaming(ctx, &options, Some(&mut sink))?;
    match std::mem::replace(&mut sink.flow, Flow::Writing) {
        Flow::Writing => {}
        Flow::Closed(error) => return Err(error.into()),
        Flow::Unordered => return Ok(None),
        Flow::Broken { file, line } => return Err(NotInDateOrder { file, line }.into()),
    }
    if loaded.valid(ctx)?.is_none() {
        // What was written stays written (a ledger larger than the head); `-o FILE` keeps
        // no file of a failed run.
        return Ok(Some(Outcome::Failed));
    }
    let LedgerSink {
        out,
        writer,
        mut buf,
        ..
    } = sink;
    writer.finish(&mut buf);
    out.write_all(&buf)?;
    Ok(Some(Outcome::Success))
}

/// `plan export ledger` found a row dated before rows it has already written. To standard
/// output, the run ends with this error; `-o FILE` is written again, the ledger held and
/// sorted ([`ExportArgs::held`]), into the temporary file nobody has seen.
#[derive(Debug)]
pub struct NotInDateOrder {
    /// The row's file.
    pub file: String,
    /// Its line.
    pub line: usize,
}

impl std::fmt::Display for NotInDateOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let NotInDateOrder { file, line } = self;
        write!(
            f,
            "the ledger is not in date order: {file} line {line} is dated before rows already written. \
             `plan export ledger` lists the entries by date and writes them as it reads them; a ledger whose export \
             is over 8 MB is not held to be sorted. Put its rows in date order (in one file, or in files whose dates \
             follow each other in the order the plan names them)"
        )
    }
}

impl std::error::Error for NotInDateOrder {}

/// What became of the rows handed to a [`LedgerSink`].
enum Flow {
    /// Every row so far is in date order and written or held.
    Writing,
    /// A row came before a row held but not written: export the ledger sorted instead.
    Unordered,
    /// A row came before a row already written: the export cannot be sorted.
    Broken { file: String, line: usize },
    /// The output was closed (or cannot be written).
    Closed(std::io::Error),
}

/// Writes each row of the ledger as it is read (see [`stream_ledger`]).
struct LedgerSink<'o> {
    out: &'o mut dyn Write,
    writer: crate::render::rows::RowWriter,
    buf: Vec<u8>,
    /// Some bytes have gone to `out`.
    written: bool,
    order: DateOrder,
    flow: Flow,
}

impl crate::model::EntrySink for LedgerSink<'_> {
    fn entry(&mut self, e: &crate::model::EntryRef<'_>) -> bool {
        if !matches!(self.flow, Flow::Writing) {
            return false;
        }
        match self.order.place(e.date) {
            Place::After => return true,
            Place::Before => {
                self.flow = if self.written {
                    Flow::Broken {
                        file: e.file.to_string(),
                        line: e.line,
                    }
                } else {
                    Flow::Unordered
                };
                return false;
            }
            Place::Next => {}
        }
        self.writer.ledger_entry(&mut self.buf, e);
        let limit = if self.written { PIECE } else { HEAD };
        if self.buf.len() >= limit {
            self.written = true;
            if let Err(error) = self.out.write_all(&self.buf) {
                self.flow = Flow::Closed(error);
                return false;
            }
            self.buf.clear();
        }
        true
    }

    fn restart(&mut self) {
        if self.written {
            self.flow = Flow::Broken {
                file: "the ledger".into(),
                line: 0,
            };
        } else {
            self.flow = Flow::Unordered;
        }
    }
}

/// `plan export ledger --format xlsx` and `plan export all`: the ledger sheet is written a
/// row at a time into a temporary file as the ledger is read (rust_xlsxwriter's
/// constant-memory mode; issue 19), the other sheets once the plan is loaded, and the
/// workbook only when the plan has no errors. `None`: the ledger is not in date order (or was
/// read again), and the caller exports it sorted, holding its entries, as before.
fn stream_workbook(
    ctx: &Context,
    args: &ExportArgs,
    out: &mut dyn Write,
) -> Result<Option<Outcome>> {
    let mut book = render::xlsx::Book::new(ctx.lang, ctx.as_of);
    let mut sheet = SheetOut {
        sheet: book.rows(
            ctx.lang.sheet_name(ExportReport::Ledger),
            &budget::LEDGER_COLUMNS,
        )?,
        error: None,
    };
    let mut sink = RowsSink::new(&mut sheet, None, ctx.as_of);
    let options = crate::LoadOptions {
        keep_entries: false,
        ..load_options(args)
    };
    let loaded = crate::load_streaming(ctx, &options, Some(&mut sink))?;
    let broken = sink.broken;
    if let Some(error) = sheet.error.take() {
        return Err(error);
    }
    if broken {
        return Ok(None);
    }
    let Some((plan, ledger)) = loaded.valid(ctx)? else {
        return Ok(Some(Outcome::Failed));
    };
    let mut ledger_sheet = Some(sheet.sheet);
    for &report in reports(args) {
        if report == ExportReport::Ledger {
            if let Some(sheet) = ledger_sheet.take() {
                book.push(sheet)?;
            }
        } else {
            let table = table(ctx, plan, ledger, args, report);
            book.sheet(Sheet {
                name: ctx.lang.sheet_name(report),
                table: &table,
            })?;
        }
    }
    book.save(out)?;
    Ok(Some(Outcome::Success))
}

/// Refuse the combinations of report, `--by`, `--owner` and format that make no export,
/// before anything is read.
fn check_args(ctx: &Context, args: &ExportArgs) -> Result<()> {
    match (args.report, args.by) {
        (_, None) | (ExportReport::Scores, Some(ExportBy::Unit | ExportBy::Part)) => {}
        (ExportReport::Budget, Some(by)) if by.budget().is_some() => {}
        (ExportReport::Budget, Some(_)) => {
            bail!("`plan export budget` breaks down `--by month`, `year` or `unit`")
        }
        (ExportReport::Scores, Some(_)) => {
            bail!("`plan export scores` breaks down `--by unit` or `--by part` only")
        }
        _ => bail!("--by applies to `plan export budget` and `plan export scores` only"),
    }
    if args.owner.is_some()
        && !matches!(args.report, ExportReport::Milestones | ExportReport::Status)
    {
        bail!("--owner applies to `plan export status` and `plan export milestones` only");
    }
    let format = ctx.format.unwrap_or(Format::Csv);
    if args.report == ExportReport::All && format != Format::Xlsx {
        bail!(
            "plan export all writes one workbook with a sheet per export: use -o FILE.xlsx or --format xlsx"
        );
    }
    Ok(())
}

/// What an export needs loaded.
fn load_options(args: &ExportArgs) -> crate::LoadOptions {
    let all = args.report == ExportReport::All;
    // Only the ledger export lists every entry; the others need the sums alone. Money
    // exports do not read the survey files, nor the scores the ledger (SPEC 2).
    let money = matches!(args.report, ExportReport::Budget | ExportReport::Ledger);
    // The rounds count initiatives: they need neither the ledger nor the surveys.
    let initiatives_only = args.report == ExportReport::Rounds;
    crate::LoadOptions {
        keep_entries: args.report == ExportReport::Ledger || all,
        ledger: !matches!(
            args.report,
            ExportReport::Scores | ExportReport::Series | ExportReport::Effects
        ) && !initiatives_only,
        surveys: !money && !initiatives_only,
        // The milestones export ends with the slip since the baseline (SPEC 10.4).
        baseline: matches!(args.report, ExportReport::Milestones | ExportReport::All),
        owner: args.owner.clone(),
        ..crate::LoadOptions::default()
    }
}

/// The exports of `args`: every one for `all`.
fn reports(args: &ExportArgs) -> &[ExportReport] {
    if args.report == ExportReport::All {
        &ALL
    } else {
        std::slice::from_ref(&args.report)
    }
}

/// The tables of the export (every sheet for `all`).
fn tables(
    ctx: &Context,
    plan: &Plan,
    ledger: &Ledger,
    args: &ExportArgs,
) -> Vec<(ExportReport, Table)> {
    reports(args)
        .iter()
        .map(|&report| (report, table(ctx, plan, ledger, args, report)))
        .collect()
}

/// A workbook with a sheet per table.
fn write_workbook(
    ctx: &Context,
    out: &mut dyn Write,
    tables: &[(ExportReport, Table)],
) -> Result<()> {
    let sheets: Vec<Sheet<'_>> = tables
        .iter()
        .map(|(report, table)| Sheet {
            name: ctx.lang.sheet_name(*report),
            table,
        })
        .collect();
    render::xlsx::write_workbook(out, &sheets, ctx.lang, ctx.as_of)
}

/// The rows of one export: the same rows whatever the format, so that what a workbook shows
/// is what the CSV says, the privacy rules included (SPEC 5.4).
fn table(
    ctx: &Context,
    plan: &Plan,
    ledger: &Ledger,
    args: &ExportArgs,
    report: ExportReport,
) -> Table {
    match report {
        ExportReport::Status => status_table(plan, ctx.as_of),
        // With --owner, the load kept that person's initiatives only.
        ExportReport::Milestones => milestones_table(plan, ctx.as_of),
        ExportReport::Criteria => criteria_table(plan, ctx.as_of),
        ExportReport::Budget => {
            budget::table(plan, ledger, ctx.as_of, args.by.and_then(ExportBy::budget))
        }
        ExportReport::Ledger => ledger_table(plan, ledger, ctx.as_of),
        ExportReport::Scores if args.by == Some(ExportBy::Part) => {
            series::by_part_table(&series::by_part(plan, ctx.as_of))
        }
        ExportReport::Scores if args.by.is_some() => {
            scores::by_unit_table(&scores::by_unit(plan, ctx.as_of))
        }
        ExportReport::Scores => scores::scores_table(&scores::scores_report(plan, ctx.as_of)),
        ExportReport::Rounds => rounds_table(&rounds(plan, ctx.as_of)),
        ExportReport::Series => series::series_table(&series::all_series(plan, ctx.as_of)),
        ExportReport::Effects => {
            let report = scores::scores_report(plan, ctx.as_of);
            series::effects_table(&series::effects(plan, &report, ctx.as_of))
        }
        // `all` is a workbook of the others; `output::choose` lets it reach no other format.
        ExportReport::All => Table {
            columns: vec![],
            rows: vec![],
        },
    }
}
