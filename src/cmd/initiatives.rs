//! `plan initiatives [ID]`: the list, or one initiative's card.

use std::io::Write;

use anyhow::{Result, bail};

use crate::cli::InitiativesArgs;
use crate::diag::did_you_mean;
use crate::render::{self, Dialect, Format};
use crate::report::Cell;
use crate::report::initiatives::{card, list_table};
use crate::report::status::status_table;
use crate::{Context, Outcome};

/// Run `plan initiatives`.
pub fn run(ctx: &Context, args: &InitiativesArgs, out: &mut dyn Write) -> Result<Outcome> {
    // The card shows each milestone's slip since the baseline (SPEC 10.4); the list does not.
    let options = crate::LoadOptions {
        baseline: args.id.is_some(),
        owner: args.owner.clone(),
        ..crate::LoadOptions::default()
    };
    let loaded = crate::load_with(ctx, &options)?;
    let Some((plan, ledger)) = loaded.valid(ctx)? else {
        return Ok(Outcome::Failed);
    };
    let format = ctx.format.unwrap_or(Format::Table);
    let Some(id) = &args.id else {
        // Machine formats carry the same rows and columns as `plan export status`;
        // the terminal and Markdown get the columns that fit beside each other, in words.
        match format {
            Format::Table | Format::Github => {
                render::card::write_list_text(out, &list_table(plan, ctx.as_of), ctx.lang)?;
                return Ok(Outcome::Success);
            }
            Format::Markdown => {
                render::card::write_list_markdown(out, &list_table(plan, ctx.as_of), ctx.lang)?;
                return Ok(Outcome::Success);
            }
            Format::Csv | Format::Json => {}
            Format::Html | Format::Xlsx | Format::Ics => {
                return Err(render::not_written("plan initiatives", format));
            }
        }
        let table = status_table(plan, ctx.as_of);
        let revision = ctx.json_revision(format)?;
        render::write_table(
            out,
            &table,
            format,
            Dialect::Standard,
            ctx.as_of,
            revision.as_ref(),
        )?;
        return Ok(Outcome::Success);
    };
    let Some(initiative) = plan.initiatives.iter().find(|i| &i.id == id) else {
        let ids = plan.initiatives.iter().map(|i| i.id.as_str());
        match did_you_mean(id, ids) {
            Some(near) => bail!("no initiative `{id}`; did you mean `{near}`?"),
            None => bail!("no initiative `{id}`; `plan initiatives` lists them"),
        }
    };
    let card = card(initiative, plan, ledger, ctx.as_of);
    match format {
        Format::Table | Format::Github => {
            render::card::write_text(out, &card, ctx.color_out, ctx.lang)?
        }
        Format::Markdown => render::card::write_markdown(out, &card, ctx.lang)?,
        Format::Json => render::write_json(out, &card, ctx.as_of, ctx.revision()?.as_ref())?,
        Format::Csv => {
            // The card's row of `plan export status`.
            let mut table = status_table(plan, ctx.as_of);
            table
                .rows
                .retain(|row| row.first() == Some(&Cell::Text(id.clone())));
            render::write_csv(out, &table, Dialect::Standard)?;
        }
        Format::Html | Format::Xlsx | Format::Ics => {
            return Err(render::not_written("plan initiatives", format));
        }
    }
    Ok(Outcome::Success)
}

/// Run `plan initiatives` (the list) on a portfolio (SPEC 13): every plan's initiatives with
/// a first column `plan`. A member with errors has no rows; its diagnostics go to standard
/// error and the run exits 1.
pub fn run_portfolio(
    ctx: &Context,
    portfolio: &crate::portfolio::Portfolio,
    args: &InitiativesArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    use crate::report::portfolio::concat;
    let options = crate::LoadOptions {
        owner: args.owner.clone(),
        ..crate::LoadOptions::default()
    };
    let loads = portfolio.load_all(ctx, &options)?;
    let format = ctx.format.unwrap_or(Format::Table);
    let valid: Vec<(String, &crate::model::Plan)> = loads
        .iter()
        .filter_map(|l| l.valid().map(|(plan, _)| (l.member.id.clone(), plan)))
        .collect();
    let each = |table: fn(&crate::model::Plan, crate::model::Date) -> crate::report::Table| {
        let parts: Vec<(String, crate::report::Table)> = valid
            .iter()
            .map(|(id, plan)| (id.clone(), table(plan, ctx.as_of)))
            .collect();
        concat(&parts)
    };
    match format {
        Format::Table | Format::Github => {
            render::card::write_list_text(out, &each(list_table), ctx.lang)?
        }
        Format::Markdown => render::card::write_list_markdown(out, &each(list_table), ctx.lang)?,
        Format::Csv | Format::Json => {
            let revision = ctx.json_revision(format)?;
            render::write_table(
                out,
                &each(status_table),
                format,
                Dialect::Standard,
                ctx.as_of,
                revision.as_ref(),
            )?;
        }
        Format::Html | Format::Xlsx | Format::Ics => {
            return Err(render::not_written("plan initiatives", format));
        }
    }
    if crate::portfolio::report_broken(&loads, ctx.color_err)? {
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Success)
}
