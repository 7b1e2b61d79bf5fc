//! The coordinator's screen (`plan status`) as text and Markdown, in the language of
//! `--lang` (labels, numbers and dates; the plan's own text as written).

use std::io::Write;

use crate::model::StatusLabels;
use crate::render::lang::Lang;
use crate::render::series::spark_block;
use crate::render::{new_text_table, paint, visible, write_text_table};
use crate::report::rounds::RoundChange;
use crate::report::scores::{IndicatorLine, TargetStatus, p_value_text};
use crate::report::status::{CriterionStatus, InitiativeLine, Status, StatusReport};

/// How a status reads: well, at risk, late, or neither. The terminal's colours and the page's
/// classes both follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// On track, done, met.
    Good,
    /// At risk, paused, met late, open.
    Warn,
    /// Delayed, missed.
    Bad,
    /// Planned, active, cancelled.
    Plain,
}

/// The tone of an initiative's status.
pub fn status_tone(status: Status) -> Tone {
    match status {
        Status::OnTrack | Status::Done => Tone::Good,
        Status::AtRisk | Status::Paused => Tone::Warn,
        Status::Delayed => Tone::Bad,
        Status::Planned | Status::Active | Status::Cancelled => Tone::Plain,
    }
}

/// The tone of a criterion's status.
pub fn criterion_tone(status: CriterionStatus) -> Tone {
    match status {
        CriterionStatus::Met => Tone::Good,
        CriterionStatus::MetLate | CriterionStatus::Open => Tone::Warn,
        CriterionStatus::Missed => Tone::Bad,
    }
}

/// ANSI colour of a status word: green when well, yellow when at risk, red when late.
///
/// Every code has two digits (39 is the default colour): comfy-table counts the bytes of
/// the escapes as width, so painted cells of one column stay aligned only when their
/// escapes are equally long.
pub fn status_color(status: Status) -> &'static str {
    tone_color(status_tone(status))
}

fn criterion_color(status: CriterionStatus) -> &'static str {
    tone_color(criterion_tone(status))
}

fn tone_color(tone: Tone) -> &'static str {
    match tone {
        Tone::Good => "32",
        Tone::Warn => "33",
        Tone::Bad => "31",
        Tone::Plain => "39",
    }
}

/// A 20-cell bar of a percentage.
pub fn bar(pct: f64) -> String {
    let filled = ((pct / 5.0).round() as usize).min(20);
    format!("{}{}", "█".repeat(filled), "░".repeat(20 - filled))
}

/// A status as people read it: the plan's own word (`[labels]`) when it has one, else the
/// language's word.
pub fn status_word(labels: &StatusLabels, status: Status, lang: Lang) -> String {
    crate::report::status_label(labels, status.word())
        .map_or_else(|| lang.status(status).to_string(), str::to_string)
}

/// "Status 2/2025 (30 Jun 2025), since Status 1/2025 (30 Apr 2025): at-risk 2 → 4 · done 1 → 3".
pub fn round_change_line(c: &RoundChange, labels: &StatusLabels, lang: Lang) -> String {
    let l = lang.labels();
    let changes = if c.changes.is_empty() {
        l.no_change.to_string()
    } else {
        c.changes
            .iter()
            .map(|(s, from, to)| format!("{} {from} → {to}", status_word(labels, *s, lang)))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let round = |r: &crate::report::rounds::RoundRow| {
        let reported = if r.reported {
            format!(", {}", l.reported)
        } else {
            String::new()
        };
        format!("{} ({}{reported})", r.title, lang.date(r.date))
    };
    format!(
        "{}, {} {}: {changes}",
        round(&c.round),
        l.since,
        round(&c.previous)
    )
}

/// The counts line: "8: 4 on-track · 1 at-risk · …", in a fixed order.
fn counts(lines: &[InitiativeLine], labels: &StatusLabels, lang: Lang) -> String {
    let order = [
        Status::OnTrack,
        Status::AtRisk,
        Status::Delayed,
        Status::Active,
        Status::Paused,
        Status::Planned,
        Status::Done,
        Status::Cancelled,
    ];
    let parts: Vec<String> = order
        .iter()
        .filter_map(|s| {
            let n = lines.iter().filter(|l| l.status == *s).count();
            (n > 0).then(|| format!("{n} {}", status_word(labels, *s, lang)))
        })
        .collect();
    format!("{}: {}", lines.len(), parts.join(" · "))
}

/// The status word with its flags: "delayed · stale 120 d · 2 overdue".
pub fn status_cell(l: &InitiativeLine, color: bool, lang: Lang) -> String {
    let word = l.label.as_deref().unwrap_or(lang.status(l.status));
    let mut cell = paint(&visible(word), status_color(l.status), color);
    if let Some(days) = l.stale_days {
        cell.push_str(&format!(" · {}", lang.stale(days)));
    }
    if l.overdue > 0 {
        cell.push_str(&format!(" · {}", lang.overdue(l.overdue)));
    }
    cell
}

/// The next milestone and its due date, with the slip since the baseline beside the date
/// when there is one (SPEC 10.4): "31-12-2022 · +365 dage siden vedtaget".
fn next_cell(
    l: &InitiativeLine,
    as_of: crate::model::Date,
    baseline: Option<&str>,
    lang: Lang,
) -> (String, String) {
    match &l.next_milestone {
        Some((_, title, due)) => {
            let late = if due.as_ref().is_some_and(|d| d.date < as_of) {
                format!(" ({})", lang.labels().overdue)
            } else {
                String::new()
            };
            let slip = baseline
                .zip(l.next_slip.as_ref())
                .and_then(|(since, slip)| lang.slip_since(slip, since))
                .map(|s| format!(" · {s}"))
                .unwrap_or_default();
            (
                visible(&format!("{title}{late}")).into_owned(),
                format!(
                    "{}{slip}",
                    due.as_ref().map(|d| lang.when(d)).unwrap_or_default()
                ),
            )
        }
        None => ("–".to_string(), String::new()),
    }
}

fn header_lines(r: &StatusReport, lang: Lang) -> [String; 3] {
    let l = lang.labels();
    let title = match &r.subtitle {
        Some(s) => format!("{} — {s}", r.title),
        None => r.title.clone(),
    };
    let mut who = vec![r.organisation.clone()];
    who.extend(r.adopted_by.clone());
    who.extend(r.case.clone());
    who.extend(
        r.coordinator
            .as_ref()
            .map(|c| format!("{}: {c}", l.coordinator)),
    );
    let gone = if r.ended() {
        format!("{} {}", l.plan_ended, lang.date(r.period.end))
    } else {
        format!("{} {}", lang.pct(r.elapsed_pct), l.period_gone)
    };
    let when = format!(
        "{} {} · {} → {} · {gone}",
        l.as_of,
        lang.date(r.as_of),
        lang.date(r.period.start),
        lang.date(r.period.end),
    );
    // The plan's own text, shown and not sent to the terminal.
    [
        visible(&title).into_owned(),
        visible(&who.join(" · ")).into_owned(),
        when,
    ]
}

/// "N warnings — run `plan check` for details", or "No warnings.".
fn warnings_line(n: usize, lang: Lang) -> String {
    let l = lang.labels();
    match n {
        0 => l.no_warnings.to_string(),
        n => format!("{} — {}", lang.warnings(n), l.run_check),
    }
}

/// ANSI colour of a target status (two digits each, for comfy-table's width count).
fn target_color(status: TargetStatus) -> &'static str {
    match status {
        TargetStatus::Met => "32",
        TargetStatus::Missed => "31",
        TargetStatus::NoData => "33",
        TargetStatus::Pending | TargetStatus::Baseline => "39",
    }
}

/// `6.80 → 7.05 (7.12 met) → 7.30 (pending)`: the baseline, then each target with the actual
/// where one may be shown. A withheld result says so and shows no figure (SPEC 5.4).
pub fn trajectory(ind: &IndicatorLine, min_group_size: u64, color: bool, lang: Lang) -> String {
    // A measured value in the language's own form, thousands separators too (SPEC 12.6).
    let number = |d: rust_decimal::Decimal| {
        if ind.measured {
            lang.figure(&d.to_string())
        } else {
            lang.decimal_str(&d.to_string())
        }
    };
    // An indicator without a baseline (every target a value, SPEC 9.2) starts at its first target.
    let mut text = if ind.has_baseline() {
        ind.baseline_rounded.map_or_else(|| "?".to_string(), number)
    } else {
        String::new()
    };
    for w in ind.waves.iter().filter(|w| w.role == "target") {
        let target = w.target.map_or_else(|| "?".to_string(), number);
        if !text.is_empty() {
            text.push_str(" → ");
        }
        let mut detail = paint(lang.target_status(w.status), target_color(w.status), color);
        if let Some(actual) = w.actual.as_ref().and_then(|f| f.rounded) {
            detail = format!("{} {detail}", number(actual));
        }
        if w.suppressed {
            detail = format!("{detail}, {}", lang.suppressed(min_group_size));
        }
        text.push_str(&format!("{target} ({detail})"));
    }
    text
}

/// One block character per wave, its height the wave's result between the lowest and the
/// highest value of the indicator's baseline, targets and results; `·` where there is no
/// result to show (not yet measured, or withheld). Plain UTF-8 text, coloured on a terminal.
pub fn sparkline(ind: &IndicatorLine, color: bool) -> String {
    use rust_decimal::prelude::ToPrimitive;
    let result = |w: &crate::report::scores::WaveLine| match w.role {
        "baseline" => w.actual.as_ref().map(|f| f.mean).or(ind.baseline),
        _ => w.actual.as_ref().map(|f| f.mean),
    };
    let values: Vec<f64> = ind
        .waves
        .iter()
        .filter_map(|w| result(w).or_else(|| w.target.and_then(|t| t.to_f64())))
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    ind.waves
        .iter()
        .map(|w| match result(w) {
            Some(v) => paint(
                &spark_block(v, lo, hi).to_string(),
                target_color(w.status),
                color,
            ),
            None => "·".to_string(),
        })
        .collect()
}

/// The change of the latest wave with a result, with Welch's test: "2013 +0.19, p = 0.003: a
/// real change".
fn latest_change(ind: &IndicatorLine, lang: Lang) -> String {
    ind.waves
        .iter()
        .rev()
        .find(|w| w.role == "target" && w.actual.is_some())
        .map(|w| {
            let delta = w
                .delta
                .map(|d| lang.decimal_str(&format!("{d:+.prec$}", prec = ind.precision as usize)));
            let test = w
                .welch
                .map(|x| lang.change(&p_value_text(x.p_value), x.significant));
            match (delta, test) {
                (Some(d), Some(t)) => format!("{} {d}, {t}", w.wave),
                (Some(d), None) => format!("{} {d}", w.wave),
                (None, Some(t)) => t,
                (None, None) => String::new(),
            }
        })
        .unwrap_or_default()
}

/// `plan status` as text. Colour only when `color` is on (a terminal); the bars are plain
/// UTF-8 block characters either way, so piped output stays readable text.
pub fn write_text(
    out: &mut dyn Write,
    r: &StatusReport,
    color: bool,
    lang: Lang,
) -> std::io::Result<()> {
    let l = lang.labels();
    let [title, who, when] = header_lines(r, lang);
    writeln!(out, "{}", paint(&title, "1", color))?;
    writeln!(out, "{who}")?;
    writeln!(out, "{when} {}", bar(r.elapsed_pct))?;
    if let Some(revision) = &r.revision {
        writeln!(out, "{}", visible(&lang.revision(revision)))?;
    }
    writeln!(out)?;

    writeln!(
        out,
        "{}  {}",
        l.initiatives,
        visible(&counts(&r.initiatives, &r.labels, lang))
    )?;
    if let Some(change) = &r.since_round {
        writeln!(
            out,
            "{}",
            visible(&round_change_line(change, &r.labels, lang))
        )?;
    }
    let mut table = new_text_table();
    table.set_header([
        l.number,
        l.initiative,
        l.focus,
        l.status,
        l.next_milestone,
        l.due,
    ]);
    for i in &r.initiatives {
        let (next, due) = next_cell(i, r.as_of, r.baseline.as_deref(), lang);
        table.add_row([
            i.number.map_or_else(|| i.id.clone(), |n| n.to_string()),
            visible(&crate::report::initiatives::indented(&i.title, i.depth)).into_owned(),
            i.focus_text(),
            status_cell(i, color, lang),
            next,
            due,
        ]);
    }
    write_text_table(out, &table)?;

    if !r.budgets.is_empty() {
        // A plan whose budgets are all savings targets shows only their table.
        if r.budgets.iter().any(|b| !b.savings) {
            writeln!(out)?;
            writeln!(out, "{}", l.budgets)?;
            write_text_table(
                out,
                &crate::render::budget::figures_table(&r.budgets, false, color, lang),
            )?;
            writeln!(out, "{}", l.legend)?;
        }
        crate::render::budget::write_extras(out, &r.budgets, color, lang)?;
    }

    if !r.targets.indicators.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", l.targets)?;
        let mut table = new_text_table();
        table.set_header([l.indicator, "", l.trajectory, l.change]);
        for ind in &r.targets.indicators {
            table.add_row([
                visible(&ind.title).into_owned(),
                sparkline(ind, color),
                trajectory(ind, r.targets.min_group_size, color, lang),
                latest_change(ind, lang),
            ]);
        }
        write_text_table(out, &table)?;
        writeln!(out, "{}", l.spark_legend)?;
        // The gap between what the targets need and what the initiatives plan (SPEC 12.4),
        // for the target waves with a known need.
        for e in r.effects.iter().filter(|e| e.needed.is_some()) {
            let Some(ind) = r.targets.indicators.iter().find(|i| i.id == e.indicator) else {
                continue;
            };
            writeln!(
                out,
                "{} · {}",
                visible(&ind.title),
                crate::render::series::effect_line_in(e, ind.precision, lang)
            )?;
        }
    }

    if !r.criteria.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", l.criteria)?;
        let mut table = new_text_table();
        table.set_header([l.criterion, l.deadline, l.achieved, l.status]);
        for c in &r.criteria {
            table.add_row([
                visible(&c.title).into_owned(),
                lang.date(c.deadline),
                c.achieved
                    .map(|d| lang.date(d))
                    .unwrap_or_else(|| "–".into()),
                paint(lang.criterion(c.status), criterion_color(c.status), color),
            ]);
        }
        write_text_table(out, &table)?;
    }

    writeln!(out)?;
    writeln!(out, "{}", warnings_line(r.warnings, lang))?;
    Ok(())
}

/// `plan status --format markdown`: the same content as headed Markdown tables.
pub fn write_markdown(out: &mut dyn Write, r: &StatusReport, lang: Lang) -> std::io::Result<()> {
    let l = lang.labels();
    let [title, who, when] = header_lines(r, lang);
    let escape = super::md_cell;
    match &r.revision {
        Some(revision) => writeln!(
            out,
            "# {title}\n\n{who}  \n{when}  \n{}\n",
            visible(&lang.revision(revision))
        )?,
        None => writeln!(out, "# {title}\n\n{who}  \n{when}\n")?,
    }
    writeln!(
        out,
        "## {} ({})\n",
        l.initiatives,
        visible(&counts(&r.initiatives, &r.labels, lang))
    )?;
    if let Some(change) = &r.since_round {
        writeln!(
            out,
            "{}\n",
            visible(&round_change_line(change, &r.labels, lang))
        )?;
    }
    writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |",
        l.number, l.initiative, l.focus, l.status, l.next_milestone, l.due
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for i in &r.initiatives {
        let (next, due) = next_cell(i, r.as_of, r.baseline.as_deref(), lang);
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            i.number.map_or_else(|| i.id.clone(), |n| n.to_string()),
            escape(&crate::report::initiatives::indented(&i.title, i.depth)),
            i.focus_text(),
            status_cell(i, false, lang),
            escape(&next),
            due
        )?;
    }
    if !r.budgets.is_empty() {
        writeln!(out, "\n## {}\n", l.budgets)?;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            l.budget, l.total, l.committed, l.spent, l.plan_by_now
        )?;
        writeln!(out, "|---|---|---|---|---|")?;
        for b in &r.budgets {
            let [total, committed, spent, plan] = crate::render::budget::summary_cells(b, lang);
            writeln!(
                out,
                "| {} | {total} | {committed} | {spent} | {plan} |",
                escape(&b.title)
            )?;
        }
    }
    // Where the money comes from (SPEC 9.6), under the budgets.
    let funding = crate::render::budget::funding_lines(&r.budgets, lang);
    if !funding.is_empty() {
        writeln!(out)?;
        for line in funding {
            writeln!(out, "- {}", escape(&line))?;
        }
    }
    if !r.targets.indicators.is_empty() {
        writeln!(out, "\n## {}\n", l.targets)?;
        writeln!(out, "| {} | {} | {} |", l.indicator, l.trajectory, l.change)?;
        writeln!(out, "|---|---|---|")?;
        for ind in &r.targets.indicators {
            writeln!(
                out,
                "| {} | {} | {} |",
                escape(&ind.title),
                trajectory(ind, r.targets.min_group_size, false, lang),
                latest_change(ind, lang)
            )?;
        }
    }
    if !r.criteria.is_empty() {
        writeln!(out, "\n## {}\n", l.criteria)?;
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            l.criterion, l.deadline, l.achieved, l.status
        )?;
        writeln!(out, "|---|---|---|---|")?;
        for c in &r.criteria {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                escape(&c.title),
                lang.date(c.deadline),
                c.achieved.map(|d| lang.date(d)).unwrap_or_default(),
                lang.criterion(c.status)
            )?;
        }
    }
    writeln!(out, "\n{}", lang.warnings(r.warnings))?;
    Ok(())
}
