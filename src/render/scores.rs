//! `plan scores` as text: each indicator as its trajectory (baseline → target → target) with
//! actuals, intervals and status beside it; and the breakdown by unit.

use std::io::Write;

use rust_decimal::Decimal;

use crate::render::{new_text_table, paint, visible, write_text_table};
use crate::report::scores::{
    IndicatorLine, ScoresReport, TargetStatus, UnitLine, WaveLine, fixed4, p_value_text,
};

/// ANSI colour of a target status.
pub fn status_color(status: TargetStatus) -> &'static str {
    match status {
        TargetStatus::Met => "32",
        TargetStatus::Missed => "31",
        TargetStatus::NoData => "33",
        TargetStatus::Pending | TargetStatus::Baseline => "0",
    }
}

/// A figure at the indicator's precision (what the target test compares).
fn at(value: f64, precision: u32) -> String {
    let decimals = precision as usize;
    let s = format!("{value:.decimals$}");
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
        s[1..].to_string()
    } else {
        s
    }
}

fn signed(value: f64, precision: u32) -> String {
    let s = at(value, precision);
    if s.starts_with('-') {
        s
    } else {
        format!("+{s}")
    }
}

/// The actual as the target test sees it: rounded half away from zero to precision.
fn actual_text(w: &WaveLine, precision: u32) -> Option<String> {
    let f = w.actual.as_ref()?;
    Some(
        f.rounded
            .map(|r: Decimal| r.to_string())
            .unwrap_or_else(|| at(f.mean, precision)),
    )
}

/// The status word, with why there is no figure when a result was withheld.
fn status_text(w: &WaveLine, min_group_size: u64, color: bool) -> String {
    let word = paint(w.status.word(), status_color(w.status), color);
    if w.suppressed {
        format!("{word} (suppressed: n < {min_group_size})")
    } else {
        word
    }
}

/// Target met and change distinguishable from noise are different judgements (SPEC 5.1):
/// this is the second one.
pub fn change_text(w: &WaveLine) -> String {
    match (&w.welch, &w.actual) {
        (Some(x), _) if x.significant => format!("p = {}: a real change", p_value_text(x.p_value)),
        (Some(x), _) => format!(
            "p = {}: not distinguishable from noise",
            p_value_text(x.p_value)
        ),
        (None, Some(_)) if w.role == "target" => "no test (a wave lacks n or sd)".to_string(),
        _ => String::new(),
    }
}

/// `6.80 → 7.05 (actual 7.12, met) → 7.30 (pending)`.
pub fn trajectory(ind: &IndicatorLine, min_group_size: u64, color: bool) -> String {
    // An indicator without a baseline (every target a value, SPEC 9.2) starts at its first target.
    let mut text = if ind.has_baseline() {
        ind.baseline_rounded
            .map_or_else(|| "?".to_string(), |b| b.to_string())
    } else {
        String::new()
    };
    for w in ind.waves.iter().filter(|w| w.role == "target") {
        let target = w.target.map_or_else(|| "?".to_string(), |t| t.to_string());
        if !text.is_empty() {
            text.push_str(" → ");
        }
        let status = status_text(w, min_group_size, color);
        let mut detail = match actual_text(w, ind.precision) {
            Some(actual) => format!("actual {actual}, {status}"),
            None => status,
        };
        // A range (SPEC 12.3): the ambition beside the commitment.
        if let Some(a) = w.ambition {
            detail.push_str(&match w.ambition_met {
                Some(true) => format!("; ambition {a} met"),
                Some(false) => format!("; ambition {a} not met"),
                None => format!("; ambition {a}"),
            });
        }
        text.push_str(&format!("{target} ({detail})"));
    }
    text
}

/// A measured figure in the language's own form with thousands separators (SPEC 12.6).
fn measured_text(plain: String, lang: crate::render::lang::Lang) -> String {
    lang.figure(&plain)
}

/// A measured indicator's line of targets (SPEC 12.6): its values with thousands separators,
/// and none of the survey's words.
fn measured_line(
    out: &mut dyn Write,
    ind: &IndicatorLine,
    r: &ScoresReport,
    color: bool,
    lang: crate::render::lang::Lang,
) -> std::io::Result<()> {
    let figure = |d: Decimal| measured_text(d.to_string(), lang);
    let mut line = if ind.has_baseline() {
        ind.baseline_rounded.map_or_else(|| "?".to_string(), figure)
    } else {
        String::new()
    };
    for w in ind.waves.iter().filter(|w| w.role == "target") {
        if !line.is_empty() {
            line.push_str(" → ");
        }
        let target = w.target.map_or_else(|| "?".to_string(), figure);
        let status = status_text(w, r.min_group_size, color);
        let detail = match w.actual.as_ref().and_then(|f| f.rounded) {
            Some(actual) => format!("actual {}, {status}", figure(actual)),
            None => status,
        };
        line.push_str(&format!("{target} ({detail})"));
    }
    writeln!(out, "  {line}")
}

/// A measured indicator's table (SPEC 12.6): the day each value became known, and none of the
/// survey's words (no n, sd, interval or test).
fn measured_table(
    out: &mut dyn Write,
    ind: &IndicatorLine,
    r: &ScoresReport,
    color: bool,
    lang: crate::render::lang::Lang,
) -> std::io::Result<()> {
    let figure = |d: Decimal| measured_text(d.to_string(), lang);
    let mut table = new_text_table();
    table.set_header(["Wave", "Role", "Known", "Target", "Actual", "Δ", "Status"]);
    for w in &ind.waves {
        let actual = match (w.role, w.actual.as_ref().and_then(|f| f.rounded)) {
            (_, Some(a)) => figure(a),
            ("baseline", None) => ind
                .baseline_rounded
                .map(|b| format!("({})", figure(b)))
                .unwrap_or_default(),
            _ => String::new(),
        };
        let status = if w.role == "baseline" {
            match ind.baseline_source {
                Some("value") => "baseline (written value)".to_string(),
                _ => "baseline".to_string(),
            }
        } else {
            status_text(w, r.min_group_size, color)
        };
        table.add_row([
            w.wave.clone(),
            w.role.to_string(),
            w.date.map(|d| d.to_string()).unwrap_or_default(),
            w.target.map(figure).unwrap_or_default(),
            actual,
            w.delta
                .map(|d| measured_text(signed(d, ind.precision), lang))
                .unwrap_or_default(),
            status,
        ]);
    }
    write_text_table(out, &table)
}

/// `plan scores` as text, with each indicator's series and its target waves' gap when they
/// say more than the table (SPEC 12.1, 12.4).
pub fn write_text(
    out: &mut dyn Write,
    r: &ScoresReport,
    plan: &crate::model::Plan,
    extras: &crate::render::series::Extras,
    color: bool,
    lang: crate::render::lang::Lang,
) -> std::io::Result<()> {
    if r.indicators.is_empty() {
        writeln!(out, "No indicators: add an [[indicator]] to plan.toml.")?;
        return Ok(());
    }
    for (k, ind) in r.indicators.iter().enumerate() {
        if k > 0 {
            writeln!(out)?;
        }
        let better = match ind.direction {
            crate::model::Direction::Increase => "higher is better",
            crate::model::Direction::Decrease => "lower is better",
            crate::model::Direction::None => "context",
        };
        let unit = match &ind.unit {
            Some(u) => format!(" · {u}"),
            // A share's figures are percentages of the answers (SPEC 12.5).
            None if ind.share => " · % of the answers".to_string(),
            None => String::new(),
        };
        writeln!(
            out,
            "{} ({}) · {better}{}",
            paint(&visible(&ind.title), "1", color),
            ind.id,
            visible(&unit)
        )?;
        if ind.measured {
            measured_line(out, ind, r, color, lang)?;
        } else {
            writeln!(out, "  {}", trajectory(ind, r.min_group_size, color))?;
        }
        let declared = plan.indicators.iter().find(|i| i.id == ind.id);
        let series = extras.series.iter().find(|s| s.indicator == ind.id);
        if let (Some(declared), Some(series)) = (declared, series)
            && crate::report::series::worth_showing(series, declared)
        {
            writeln!(
                out,
                "  {}",
                visible(&crate::render::series::series_line(series, color, lang))
            )?;
        }
        for e in extras.effects.iter().filter(|e| e.indicator == ind.id) {
            writeln!(
                out,
                "  {}",
                crate::render::series::effect_line_in(e, ind.precision, lang)
            )?;
        }
        if ind.measured {
            measured_table(out, ind, r, color, lang)?;
            continue;
        }
        let mut table = new_text_table();
        // A measured figure has a date it became known, and no sample to test.
        let when = if ind.measured { "Known" } else { "Survey" };
        let mut header = vec![
            "Wave", "Role", when, "Target", "Actual", "n", "sd", "95 % CI", "Δ", "Status", "Change",
        ];
        // The response rate, where the plan says how many were invited (SPEC 12.5).
        let rates = r.invited && ind.waves.iter().any(|w| w.response_rate.is_some());
        if rates {
            header.push("Response");
        }
        table.set_header(header);
        for w in &ind.waves {
            let f = w.actual.as_ref();
            let ci = f
                .and_then(|f| f.ci_low.zip(f.ci_high))
                .map(|(lo, hi)| format!("{}–{}", at(lo, ind.precision), at(hi, ind.precision)))
                .unwrap_or_default();
            let status = if w.role == "baseline" {
                match (ind.baseline_source, w.suppressed) {
                    (_, true) => format!("suppressed (n < {})", r.min_group_size),
                    (Some("value"), _) => "baseline (written value)".to_string(),
                    _ => "baseline".to_string(),
                }
            } else {
                status_text(w, r.min_group_size, color)
            };
            let actual = match (w.role, actual_text(w, ind.precision)) {
                (_, Some(a)) => a,
                ("baseline", None) => ind
                    .baseline_rounded
                    .map(|b| format!("({b})"))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let mut row = vec![
                w.wave.clone(),
                w.role.to_string(),
                w.date.map(|d| d.to_string()).unwrap_or_default(),
                w.target.map(|t| t.to_string()).unwrap_or_default(),
                actual,
                f.and_then(|f| f.n)
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                f.and_then(|f| f.sd).map(|s| at(s, 2)).unwrap_or_default(),
                ci,
                w.delta
                    .map(|d| signed(d, ind.precision))
                    .unwrap_or_default(),
                status,
                if ind.measured {
                    String::new()
                } else {
                    change_text(w)
                },
            ];
            if rates {
                row.push(
                    w.response_rate
                        .map(|rate| format!("{} %", crate::report::shares::rate_text(rate)))
                        .unwrap_or_default(),
                );
            }
            table.add_row(row);
        }
        write_text_table(out, &table)?;
    }
    Ok(())
}

/// `plan scores --by unit` as text: suppressed units show why, and no figures.
pub fn write_by_unit_text(
    out: &mut dyn Write,
    lines: &[UnitLine],
    min_group_size: u64,
) -> std::io::Result<()> {
    if lines.is_empty() {
        writeln!(out, "No survey results as of this date.")?;
        return Ok(());
    }
    let targets = lines.iter().any(|l| l.target.is_some());
    let mut table = new_text_table();
    let mut header = vec!["Indicator", "Wave", "Unit", "n", "Mean", "sd"];
    if targets {
        // Units' own targets (SPEC 12.3).
        header.extend(["Target", "Status"]);
    }
    table.set_header(header);
    for l in lines {
        let unit = if l.unit.is_empty() {
            "(no unit)".to_string()
        } else {
            visible(&l.unit).into_owned()
        };
        let mut row = match (&l.figures, l.suppressed) {
            (Some(f), false) => vec![
                l.indicator.clone(),
                l.wave.clone(),
                unit,
                f.n.map(|n| n.to_string()).unwrap_or_default(),
                // A share's figure is a percentage, not a mean (SPEC 12.5).
                if l.share {
                    format!("{} %", fixed4(f.mean))
                } else {
                    fixed4(f.mean)
                },
                f.sd.map(fixed4).unwrap_or_default(),
            ],
            _ => vec![
                l.indicator.clone(),
                l.wave.clone(),
                unit,
                "suppressed".to_string(),
                String::new(),
                String::new(),
            ],
        };
        if targets {
            row.push(l.target.map(|t| t.to_string()).unwrap_or_default());
            row.push(l.status.map(|s| s.word().to_string()).unwrap_or_default());
        }
        table.add_row(row);
    }
    write_text_table(out, &table)?;
    writeln!(
        out,
        "\nUnits with fewer than {min_group_size} answers are not shown, nor the smallest units needed so that none can be worked out from the total."
    )?;
    Ok(())
}
