//! The coordinator's screen (`plan status`) as text and Markdown.

use std::io::Write;

use crate::render::{new_text_table, paint, scores, write_text_table};
use crate::report::scores::IndicatorLine;
use crate::report::status::{CriterionStatus, InitiativeLine, Status, StatusReport};

/// ANSI colour of a status word: green when well, yellow when at risk, red when late.
///
/// Every code has two digits (39 is the default colour): comfy-table counts the bytes of
/// the escapes as width, so painted cells of one column stay aligned only when their
/// escapes are equally long.
pub fn status_color(status: Status) -> &'static str {
    match status {
        Status::OnTrack | Status::Done => "32",
        Status::AtRisk | Status::Paused => "33",
        Status::Delayed => "31",
        Status::Planned | Status::Active | Status::Cancelled => "39",
    }
}

fn criterion_color(status: CriterionStatus) -> &'static str {
    match status {
        CriterionStatus::Met => "32",
        CriterionStatus::MetLate | CriterionStatus::Open => "33",
        CriterionStatus::Missed => "31",
    }
}

/// A 20-cell bar of a percentage.
pub fn bar(pct: f64) -> String {
    let filled = ((pct / 5.0).round() as usize).min(20);
    format!("{}{}", "█".repeat(filled), "░".repeat(20 - filled))
}

/// The counts line: "8: 4 on-track · 1 at-risk · …", in a fixed order.
fn counts(lines: &[InitiativeLine]) -> String {
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
            (n > 0).then(|| format!("{n} {}", s.word()))
        })
        .collect();
    format!("{}: {}", lines.len(), parts.join(" · "))
}

/// The status word with its flags: "delayed · stale 120 d · 2 overdue".
pub fn status_cell(l: &InitiativeLine, color: bool) -> String {
    let mut cell = paint(l.status.word(), status_color(l.status), color);
    if let Some(days) = l.stale_days {
        cell.push_str(&format!(" · stale {days} d"));
    }
    if l.overdue > 0 {
        cell.push_str(&format!(" · {} overdue", l.overdue));
    }
    cell
}

fn next_cell(l: &InitiativeLine, as_of: crate::model::Date) -> (String, String) {
    match &l.next_milestone {
        Some((_, title, due)) => {
            let late = if *due < as_of { " (overdue)" } else { "" };
            (format!("{title}{late}"), due.to_string())
        }
        None => ("–".to_string(), String::new()),
    }
}

fn header_lines(r: &StatusReport) -> [String; 3] {
    let title = match &r.subtitle {
        Some(s) => format!("{} — {s}", r.title),
        None => r.title.clone(),
    };
    let mut who = vec![r.organisation.clone()];
    who.extend(r.adopted_by.clone());
    who.extend(r.case.clone());
    who.extend(r.coordinator.as_ref().map(|c| format!("tovholder: {c}")));
    let when = format!(
        "As of {} · {} → {} · {:.1} % of the period gone",
        r.as_of, r.period.start, r.period.end, r.elapsed_pct
    );
    [title, who.join(" · "), when]
}

/// The change of the latest wave with a result, with its test: "+0.19, p = 0.003: a real change".
fn latest_change(ind: &IndicatorLine) -> String {
    ind.waves
        .iter()
        .rev()
        .find(|w| w.role == "target" && w.actual.is_some())
        .map(|w| {
            let delta = w
                .delta
                .map(|d| format!("{d:+.prec$}", prec = ind.precision as usize))
                .unwrap_or_default();
            let test = scores::change_text(w);
            match (delta.is_empty(), test.is_empty()) {
                (false, false) => format!("{} {delta}, {test}", w.wave),
                (false, true) => format!("{} {delta}", w.wave),
                _ => test,
            }
        })
        .unwrap_or_default()
}

/// `plan status` as text.
pub fn write_text(out: &mut dyn Write, r: &StatusReport, color: bool) -> std::io::Result<()> {
    let [title, who, when] = header_lines(r);
    writeln!(out, "{}", paint(&title, "1", color))?;
    writeln!(out, "{who}")?;
    writeln!(out, "{when} {}", bar(r.elapsed_pct))?;
    writeln!(out)?;

    writeln!(out, "Initiatives  {}", counts(&r.initiatives))?;
    let mut table = new_text_table();
    table.set_header([
        "#",
        "Initiative",
        "Focus",
        "Status",
        "Next milestone",
        "Due",
    ]);
    for l in &r.initiatives {
        let (next, due) = next_cell(l, r.as_of);
        table.add_row([
            l.number.map_or_else(|| l.id.clone(), |n| n.to_string()),
            l.title.clone(),
            l.focus_area.clone().unwrap_or_default(),
            status_cell(l, color),
            next,
            due,
        ]);
    }
    write_text_table(out, &table)?;

    if !r.budgets.is_empty() {
        writeln!(out)?;
        writeln!(out, "Budgets")?;
        write_text_table(
            out,
            &crate::render::budget::figures_table(&r.budgets, false),
        )?;
        writeln!(out, "{}", crate::render::budget::LEGEND)?;
    }
    if !r.targets.indicators.is_empty() {
        writeln!(out)?;
        writeln!(out, "Targets")?;
        let mut table = new_text_table();
        table.set_header(["Indicator", "Baseline → targets", "Change"]);
        for ind in &r.targets.indicators {
            table.add_row([
                ind.title.clone(),
                scores::trajectory(ind, r.targets.min_group_size, color),
                latest_change(ind),
            ]);
        }
        write_text_table(out, &table)?;
    }

    if !r.criteria.is_empty() {
        writeln!(out)?;
        writeln!(out, "Criteria")?;
        let mut table = new_text_table();
        table.set_header(["Criterion", "Deadline", "Achieved", "Status"]);
        for c in &r.criteria {
            table.add_row([
                c.title.clone(),
                c.deadline.to_string(),
                c.achieved
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "–".into()),
                paint(c.status.word(), criterion_color(c.status), color),
            ]);
        }
        write_text_table(out, &table)?;
    }

    writeln!(out)?;
    match r.warnings {
        0 => writeln!(out, "No warnings.")?,
        1 => writeln!(out, "1 warning — run `plan check` for details")?,
        n => writeln!(out, "{n} warnings — run `plan check` for details")?,
    }
    Ok(())
}

/// `plan status --format markdown`: the same content as headed Markdown tables.
pub fn write_markdown(out: &mut dyn Write, r: &StatusReport) -> std::io::Result<()> {
    let [title, who, when] = header_lines(r);
    let escape = |s: &str| s.replace('|', "\\|");
    writeln!(out, "# {title}\n\n{who}  \n{when}\n")?;
    writeln!(out, "## Initiatives ({})\n", counts(&r.initiatives))?;
    writeln!(
        out,
        "| # | Initiative | Focus | Status | Next milestone | Due |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for l in &r.initiatives {
        let (next, due) = next_cell(l, r.as_of);
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            l.number.map_or_else(|| l.id.clone(), |n| n.to_string()),
            escape(&l.title),
            l.focus_area.clone().unwrap_or_default(),
            status_cell(l, false),
            escape(&next),
            due
        )?;
    }
    if !r.budgets.is_empty() {
        writeln!(out, "\n## Budgets\n")?;
        writeln!(out, "| Budget | Total | Committed | Spent | Plan by now |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for b in &r.budgets {
            let [total, committed, spent, plan] = crate::render::budget::summary_cells(b);
            writeln!(
                out,
                "| {} | {total} | {committed} | {spent} | {plan} |",
                escape(&b.title)
            )?;
        }
    }
    if !r.targets.indicators.is_empty() {
        writeln!(out, "\n## Targets\n")?;
        writeln!(out, "| Indicator | Baseline → targets | Change |")?;
        writeln!(out, "|---|---|---|")?;
        for ind in &r.targets.indicators {
            writeln!(
                out,
                "| {} | {} | {} |",
                escape(&ind.title),
                scores::trajectory(ind, r.targets.min_group_size, false),
                latest_change(ind)
            )?;
        }
    }
    if !r.criteria.is_empty() {
        writeln!(out, "\n## Criteria\n")?;
        writeln!(out, "| Criterion | Deadline | Achieved | Status |")?;
        writeln!(out, "|---|---|---|---|")?;
        for c in &r.criteria {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                escape(&c.title),
                c.deadline,
                c.achieved.map(|d| d.to_string()).unwrap_or_default(),
                c.status.word()
            )?;
        }
    }
    writeln!(out, "\n{} warnings", r.warnings)?;
    Ok(())
}
