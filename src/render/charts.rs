//! The charts of the HTML report, drawn with `plotters` into SVG text that the page inlines.
//!
//! Each chart is a function from report data to an SVG string; none computes a figure. The
//! charts read in black and white: states differ by marker shape and line dash, not only by
//! colour. Text is left to the browser's fonts (plotters' SVG backend writes `<text>`, so no
//! font file is read here and the output is the same on every machine).

use anyhow::Result;
use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::prelude::ToPrimitive;

use crate::model::{Date, Period};
use crate::render::lang::Lang;
use crate::report::budget::BurnUp;
use crate::report::page::{IndicatorChart, TimelineRow};
use crate::report::rounds::{RoundRow, STATUSES};
use crate::report::status::{MilestoneState, Status};

/// The page's font; the browser picks the face.
const FONT: &str = "sans-serif";
/// Size of the text in the charts. Plotters writes 1/1.24 of it as the SVG font size, so 16
/// gives text about 13 units high, readable when a chart is scaled to half a 1280 px page.
const TEXT: u32 = 16;
/// Width of the timeline in SVG units; the page scales it to the page's width.
const TIMELINE_WIDTH: u32 = 1100;
/// Size of a budget or indicator chart in SVG units (two side by side on a wide screen).
const CHART: (u32, u32) = (640, 380);

const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
const GREEN: RGBColor = RGBColor(0x1b, 0x7f, 0x3b);
const AMBER: RGBColor = RGBColor(0xb3, 0x6b, 0x00);
const RED: RGBColor = RGBColor(0xc0, 0x1c, 0x28);
const BLUE: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);
const GREY: RGBColor = RGBColor(0x77, 0x77, 0x77);

/// The bar colour of an initiative's status.
fn status_colour(s: Status) -> RGBColor {
    match s {
        Status::OnTrack | Status::Done => GREEN,
        Status::AtRisk | Status::Paused => AMBER,
        Status::Delayed => RED,
        Status::Planned | Status::Active | Status::Cancelled => GREY,
    }
}

/// The house legend: upper left, on a near-white box, in the chart's ink.
fn legend<'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
) -> Result<()> {
    legend_at(chart, SeriesLabelPosition::UpperLeft)
}

/// The house legend at `position`.
fn legend_at<'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
    position: SeriesLabelPosition,
) -> Result<()> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(GRID)
        .label_font((FONT, TEXT).into_font().color(&INK))
        .draw()?;
    Ok(())
}

/// Draw into a fresh SVG of `size` and return its text.
fn svg(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<()>,
) -> Result<String> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(buf)
}

/// The first and last day a chart of these dates shows: a whole number of months around them.
fn date_range(dates: impl IntoIterator<Item = Date>) -> Option<(Date, Date)> {
    use chrono::Datelike;
    let mut dates = dates.into_iter();
    let first = dates.next()?;
    let (lo, hi) = dates.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d)));
    let from = lo.with_day(1)?;
    let (y, m) = if hi.month() == 12 {
        (hi.year() + 1, 1)
    } else {
        (hi.year(), hi.month() + 1)
    };
    let to = Date::from_ymd_opt(y, m, 1)?;
    Some((from, to))
}

/// An x-axis label: the month and year.
fn month_label(lang: Lang, d: &Date) -> String {
    use chrono::Datelike;
    format!("{} {}", lang.month_abbr(d.month()), d.year())
}

/// The width of one character in thousandths of the font size, as a common sans-serif draws
/// it (Helvetica's and Arial's advance widths, rounded up). The browser chooses the face, so
/// this is an estimate; [`text_width`] adds a margin on top.
fn char_width(c: char) -> u32 {
    match c {
        ' ' | 'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 278,
        'f' | 't' | '/' | '[' | ']' => 300,
        'r' | '-' | '(' | ')' | '"' => 333,
        'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' | 'J' => 500,
        'm' | 'M' => 833,
        'w' | 'C' | 'D' | 'H' | 'N' | 'R' | 'U' => 722,
        'G' | 'O' | 'Q' | 'Ø' => 778,
        'W' | 'Æ' | '…' | '↳' | '—' | '%' => 1000,
        'æ' => 889,
        'F' | 'T' | 'Z' | 'ø' => 611,
        'A' | 'B' | 'E' | 'K' | 'P' | 'S' | 'V' | 'X' | 'Y' | 'Å' | 'Ä' | 'Ö' => 667,
        c if c.is_ascii_digit() || c.is_ascii_lowercase() => 556,
        c if c.is_uppercase() => 722,
        _ => 600,
    }
}

/// The estimated width of `s` in SVG units in the charts' font ([`TEXT`]; plotters writes
/// 1/1.24 of it as the font size), with a tenth more for a wider face than [`char_width`]'s.
fn text_width(s: &str) -> u32 {
    width_of(s.chars().map(|c| u64::from(char_width(c))).sum())
}

/// [`text_width`] of characters whose [`char_width`]s add up to `thousandths`.
fn width_of(thousandths: u64) -> u32 {
    let font_px = f64::from(TEXT) / 1.24;
    (thousandths as f64 / 1000.0 * font_px * 1.1).ceil() as u32
}

/// `s` cut to at most `max` SVG units wide ([`text_width`]), on a character boundary, with `…`
/// where it was cut.
fn fit(s: &str, max: u32) -> String {
    if text_width(s) <= max {
        return s.to_string();
    }
    let ellipsis = u64::from(char_width('…'));
    let mut cut = String::new();
    let mut thousandths = 0;
    for c in s.chars() {
        thousandths += u64::from(char_width(c));
        if width_of(thousandths + ellipsis) > max {
            break;
        }
        cut.push(c);
    }
    format!("{}…", cut.trim_end())
}

/// XML text, escaped as plotters escapes the text it writes.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Gives each shortened label of `svg` its whole text as a `<title>` (a browser shows it on
/// hover): `labels` are the pairs of a label as drawn and its whole text. Plotters writes a
/// text as `>\nTEXT\n</text>`, and has no element of its own for a tooltip. One pass over the
/// SVG, however many labels.
fn with_titles(svg: String, labels: &[(String, String)]) -> String {
    let titles: std::collections::HashMap<String, String> = labels
        .iter()
        .filter(|(shown, whole)| shown != whole)
        .map(|(shown, whole)| (xml_escape(shown), xml_escape(whole)))
        .collect();
    if titles.is_empty() {
        return svg;
    }
    let mut out = String::with_capacity(svg.len());
    let mut pieces = svg.split("</text>").peekable();
    while let Some(piece) = pieces.next() {
        out.push_str(piece);
        if pieces.peek().is_none() {
            break;
        }
        let text = piece.rfind('>').map_or("", |at| &piece[at + 1..]);
        if let Some(title) = titles.get(text.trim_matches('\n')) {
            out.push_str(&format!("<title>{title}</title>"));
        }
        out.push_str("</text>");
    }
    out
}

/// The widest label of the timeline, in SVG units: longer ones are cut (the whole title is in
/// the label's tooltip and in the table under the chart).
const TIMELINE_LABEL_MAX: u32 = 420;

/// The label of an initiative on the timeline, whole: its number (or id) and title.
fn row_label(r: &TimelineRow) -> String {
    let number = r.number.map_or_else(|| r.id.clone(), |n| n.to_string());
    format!("{number}  {}", r.title)
}

/// Where a milestone's marker goes: its completion, else its due date (a period's last day).
fn marker_date(m: &crate::report::initiatives::MilestoneLine) -> Option<Date> {
    m.done.or(m.due.as_ref().map(|d| d.date))
}

/// The timeline: one bar per initiative from its start to its end (to the end of the plan
/// period, lighter, when it has none), its milestones as markers — `●` done, `▲` done late,
/// `✕` overdue, `○` open — and a dashed line at the as-of date. With a baseline, a hollow
/// diamond `◇` marks each milestone's due date at the baseline.
pub fn timeline(rows: &[TimelineRow], period: Period, as_of: Date, lang: Lang) -> Result<String> {
    let n = u32::try_from(rows.len()).unwrap_or(u32::MAX).max(1);
    let dates = rows
        .iter()
        .flat_map(|r| {
            let mut d = vec![r.start];
            d.extend(r.end);
            d.extend(r.milestones.iter().filter_map(marker_date));
            d.extend(
                r.milestones
                    .iter()
                    .filter_map(|m| m.slip.and_then(|s| s.baseline_due)),
            );
            d
        })
        .chain([period.start, period.end, as_of]);
    let Some((from, to)) = date_range(dates) else {
        return Ok(String::new());
    };
    let height = 70 + 32 * n;
    // Row 0 is drawn at the top: plotters counts segments from the bottom.
    let y_of = |i: usize| {
        n.saturating_sub(1)
            .saturating_sub(u32::try_from(i).unwrap_or(0))
    };
    let whole: Vec<String> = rows.iter().map(row_label).collect();
    let labels: Vec<String> = whole.iter().map(|l| fit(l, TIMELINE_LABEL_MAX)).collect();
    // Room for the widest label, right-aligned against the axis: plotters puts a label's end
    // 10 units left of the axis, and the chart's left margin is 12.
    let label_area = labels.iter().map(|l| text_width(l)).max().unwrap_or(0) + 16;
    let svg_text = svg((TIMELINE_WIDTH, height), |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .margin_top(24)
            .margin_right(36)
            .x_label_area_size(28)
            .y_label_area_size(label_area.max(60))
            .build_cartesian_2d(RangedDate::from(from..to), (0..n - 1).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FONT, TEXT).into_font().color(&INK))
            .x_labels(8)
            .x_label_formatter(&|d| month_label(lang, d))
            .y_labels(rows.len().max(1))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(k) => (n - 1)
                    .checked_sub(*k)
                    .and_then(|i| usize::try_from(i).ok())
                    .and_then(|i| labels.get(i).cloned())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .draw()?;
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            let y = y_of(i);
            let (end, fill) = match r.end {
                Some(end) => (end, status_colour(r.status).mix(0.55)),
                None => (period.end.max(r.start), status_colour(r.status).mix(0.25)),
            };
            let mut bar = Rectangle::new(
                [
                    (r.start, SegmentValue::Exact(y)),
                    (end, SegmentValue::Exact(y + 1)),
                ],
                fill.filled(),
            );
            bar.set_margin(7, 7, 0, 0);
            bar
        }))?;
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            let y = y_of(i);
            let end = r.end.unwrap_or(period.end).max(r.start);
            let mut outline = Rectangle::new(
                [
                    (r.start, SegmentValue::Exact(y)),
                    (end, SegmentValue::Exact(y + 1)),
                ],
                INK.stroke_width(1),
            );
            outline.set_margin(7, 7, 0, 0);
            outline
        }))?;
        // The baseline's due dates (SPEC 10.4): a hollow grey diamond, joined to where the
        // milestone is due now by a thin line, drawn first so the milestone's marker is on top.
        for (i, r) in rows.iter().enumerate() {
            let y = SegmentValue::CenterOf(y_of(i));
            for m in &r.milestones {
                let Some(was) = m.slip.and_then(|s| s.baseline_due) else {
                    continue;
                };
                if let Some(due) = m.due.as_ref().map(|d| d.date)
                    && was != due
                {
                    chart.draw_series([PathElement::new(
                        [(was, y.clone()), (due, y.clone())],
                        GREY.stroke_width(1),
                    )])?;
                }
                chart.draw_series([EmptyElement::at((was, y.clone()))
                    + Polygon::new([(0, -7), (7, 0), (0, 7), (-7, 0)], WHITE.filled())
                    + PathElement::new(
                        [(0, -7), (7, 0), (0, 7), (-7, 0), (0, -7)],
                        GREY.stroke_width(2),
                    )])?;
            }
        }
        for (i, r) in rows.iter().enumerate() {
            let y = SegmentValue::CenterOf(y_of(i));
            for m in &r.milestones {
                // An unscheduled milestone not yet done has no place in time.
                let Some(day) = marker_date(m) else {
                    continue;
                };
                let at = (day, y.clone());
                // Filled shape, then its outline: the outline keeps it visible in grey print.
                match m.state {
                    MilestoneState::Done => {
                        chart.draw_series([EmptyElement::at(at)
                            + Circle::new((0, 0), 6, GREEN.filled())
                            + Circle::new((0, 0), 6, INK.stroke_width(1))])?;
                    }
                    MilestoneState::DoneLate => {
                        chart.draw_series([TriangleMarker::new(at, 8, AMBER.filled())])?;
                    }
                    MilestoneState::Overdue => {
                        chart.draw_series([Cross::new(at, 6, RED.stroke_width(3))])?;
                    }
                    MilestoneState::Open | MilestoneState::Unscheduled => {
                        chart.draw_series([EmptyElement::at(at)
                            + Circle::new((0, 0), 6, WHITE.filled())
                            + Circle::new((0, 0), 6, INK.stroke_width(2))])?;
                    }
                }
            }
        }
        chart.draw_series(DashedLineSeries::new(
            [(as_of, SegmentValue::Exact(0)), (as_of, SegmentValue::Last)],
            6,
            4,
            BLUE.stroke_width(2),
        ))?;
        chart.draw_series([Text::new(
            lang.date(as_of),
            (as_of, SegmentValue::Last),
            (FONT, TEXT)
                .into_font()
                .color(&BLUE)
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        )])?;
        Ok(())
    })?;
    let pairs: Vec<(String, String)> = labels.into_iter().zip(whole).collect();
    Ok(with_titles(svg_text, &pairs))
}

/// The fill of a status's part of a round's bar. Neighbouring parts differ in lightness too,
/// so that a grey print still tells them apart; the table beside the chart has the numbers.
fn round_colour(s: Status) -> RGBAColor {
    match s {
        Status::Planned => GREY.mix(0.25),
        Status::Active => GREY.mix(0.6),
        Status::OnTrack => GREEN.mix(0.85),
        Status::AtRisk => AMBER.mix(0.75),
        Status::Delayed => RED.mix(0.9),
        Status::Paused => AMBER.mix(0.35),
        Status::Done => BLUE.mix(0.8),
        Status::Cancelled => INK.mix(0.8),
    }
}

/// The label of a value on a segmented axis: the name of the segment it is the centre of.
fn segment_name<T: Copy>(names: &[String], v: &SegmentValue<T>) -> String
where
    usize: TryFrom<T>,
{
    match v {
        SegmentValue::CenterOf(k) => usize::try_from(*k)
            .ok()
            .and_then(|i| names.get(i).cloned())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The titles without the words they all begin with (`Status 1/2023`, `Status 2/2023` →
/// `1/2023`, `2/2023`); the titles unchanged when they share none, or when one has no more.
fn without_common_words(titles: &[&str]) -> Vec<String> {
    let words: Vec<Vec<&str>> = titles.iter().map(|t| t.split(' ').collect()).collect();
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let common = (0..shortest.saturating_sub(1))
        .take_while(|&k| words.iter().all(|w| w[k] == words[0][k]))
        .count();
    words.iter().map(|w| w[common..].join(" ")).collect()
}

/// The label under each round's bar, at most `room` SVG units wide, and never the same for two
/// rounds: the titles when they fit apart, else the titles without the words they all begin
/// with, else the month of each round's date, else its id, else its day, else the rounds'
/// numbers. ("Status oktober 2024" and "Status oktober 2025 (afrapportering …)" both cut to
/// "Status oktob…" say nothing; "Oct 2024" and "Oct 2025" do.)
fn round_labels(rows: &[RoundRow], room: u32, lang: Lang) -> Vec<String> {
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    let candidates: [Vec<String>; 5] = [
        rows.iter().map(|r| r.title.clone()).collect(),
        without_common_words(&titles),
        rows.iter().map(|r| month_label(lang, &r.date)).collect(),
        rows.iter().map(|r| r.id.clone()).collect(),
        rows.iter().map(|r| lang.date(r.date)).collect(),
    ];
    for labels in candidates {
        let names: Vec<String> = labels.iter().map(|l| fit(l, room)).collect();
        let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
        if distinct.len() == names.len() {
            return names;
        }
    }
    (1..=rows.len()).map(|i| i.to_string()).collect()
}

/// Left margin, right margin and y-label area of the rounds chart, in SVG units.
const ROUNDS_MARGINS: (u32, u32, u32) = (12, 24, 50);

/// The reporting rounds (SPEC 9.5): one stacked bar per round, its parts the initiatives in
/// each status (in the order of SPEC 3.1, planned at the bottom), each part labelled with its
/// count when there is room. `words` are the statuses as people read them (the plan's labels).
/// Each round's label says which round it is ([`round_labels`]); its title is its tooltip.
pub fn rounds(rows: &[RoundRow], words: &[String; 8], lang: Lang) -> Result<String> {
    let n = u32::try_from(rows.len()).unwrap_or(u32::MAX).max(1);
    let top = rows.iter().map(RoundRow::total).max().unwrap_or(0).max(1);
    let y_max = top as f64 * 1.15;
    let (left, right, y_area) = ROUNDS_MARGINS;
    // One segment per round and two for the legend; a label keeps a little space either side.
    let room = ((CHART.0 - left - right - y_area) / n.saturating_add(2)).saturating_sub(4);
    let names = round_labels(rows, room, lang);
    let svg_text = svg(CHART, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(left)
            .margin_right(right)
            .x_label_area_size(30)
            .y_label_area_size(y_area)
            // Two empty segments on the right hold the legend, clear of the bars.
            .build_cartesian_2d((0..n + 1).into_segmented(), 0.0..y_max)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FONT, TEXT).into_font().color(&INK))
            .x_labels(rows.len() + 2)
            .x_label_formatter(&|v| segment_name(&names, v))
            .y_labels(6)
            .y_label_formatter(&|v| {
                // Counts are whole: label only the whole ticks.
                if (v - v.round()).abs() < 1e-9 {
                    format!("{}", v.round() as i64)
                } else {
                    String::new()
                }
            })
            .draw()?;
        for (s, status) in STATUSES.iter().enumerate() {
            let colour = round_colour(*status);
            let mut parts = Vec::new();
            for (i, r) in rows.iter().enumerate() {
                let below: u64 = r.counts[..s].iter().sum();
                let count = r.counts[s];
                if count == 0 {
                    continue;
                }
                let x = u32::try_from(i).unwrap_or(0);
                let mut part = Rectangle::new(
                    [
                        (SegmentValue::Exact(x), below as f64),
                        (SegmentValue::Exact(x + 1), (below + count) as f64),
                    ],
                    colour.filled(),
                );
                part.set_margin(0, 0, 14, 14);
                parts.push(part);
            }
            if parts.is_empty() {
                continue;
            }
            chart
                .draw_series(parts)?
                .label(words[s].as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled())
                });
        }
        // The counts on the parts (a part of one initiative is still tall enough at these sizes).
        for (i, r) in rows.iter().enumerate() {
            let x = u32::try_from(i).unwrap_or(0);
            let mut below = 0u64;
            for count in r.counts {
                if count > 0 {
                    let middle = below as f64 + count as f64 / 2.0;
                    chart.draw_series([Text::new(
                        count.to_string(),
                        (SegmentValue::CenterOf(x), middle),
                        (FONT, TEXT)
                            .into_font()
                            .color(&WHITE)
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                    )])?;
                }
                below += count;
            }
        }
        legend_at(&mut chart, SeriesLabelPosition::UpperRight)
    })?;
    let pairs: Vec<(String, String)> = names
        .into_iter()
        .zip(rows.iter().map(|r| r.title.clone()))
        .collect();
    Ok(with_titles(svg_text, &pairs))
}

/// Points as a staircase: a cumulative figure holds its value until the next day with entries.
fn steps(points: &[(Date, i128)]) -> Vec<(Date, f64)> {
    let mut out = Vec::with_capacity(points.len() * 2);
    for (i, (d, v)) in points.iter().enumerate() {
        if i > 0
            && let Some(prev) = out.last().map(|p: &(Date, f64)| p.1)
        {
            out.push((*d, prev));
        }
        out.push((*d, whole(*v)));
    }
    out
}

/// Hundredths as whole units for plotting (pixel positions only; labels use [`Lang`]).
fn whole(hundredths: i128) -> f64 {
    hundredths as f64 / 100.0
}

/// A burn-up chart of one budget: cumulative spent (solid) and committed (dashed) against the
/// straight-line plan or the capacity (dotted), with a dashed line at the as-of date.
pub fn burn_up(b: &BurnUp, lang: Lang) -> Result<String> {
    let l = lang.labels();
    let dates = b
        .plan
        .iter()
        .chain(&b.committed)
        .chain(&b.spent)
        .map(|p| p.0)
        .chain([b.period.start, b.period.end]);
    let Some((from, to)) = date_range(dates) else {
        return Ok(String::new());
    };
    let top = b
        .plan
        .iter()
        .chain(&b.committed)
        .chain(&b.spent)
        .map(|p| p.1)
        .max()
        .unwrap_or(0)
        .max(b.total)
        .max(100);
    let y_max = whole(top) * 1.1;
    let unit = lang.amount_unit(b.hours);
    svg(CHART, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(30)
            .y_label_area_size(100)
            .build_cartesian_2d(RangedDate::from(from..to), 0.0..y_max)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FONT, TEXT).into_font().color(&INK))
            .x_labels(5)
            .x_label_formatter(&|d| month_label(lang, d))
            .y_labels(6)
            .y_label_formatter(&|v| lang.integer(v.round() as i128))
            .y_desc(unit)
            .draw()?;
        let plan_label = if b.hours { l.capacity } else { l.plan_line };
        chart
            .draw_series(DashedLineSeries::new(
                b.plan.iter().map(|(d, v)| (*d, whole(*v))),
                3,
                4,
                GREY.stroke_width(2),
            ))?
            .label(plan_label)
            .legend(|(x, y)| {
                PathElement::new(
                    [(x, y), (x + 8, y), (x + 11, y), (x + 20, y)],
                    GREY.stroke_width(2),
                )
            });
        if !b.committed.is_empty() {
            chart
                .draw_series(DashedLineSeries::new(
                    steps(&b.committed),
                    10,
                    5,
                    BLUE.stroke_width(2),
                ))?
                .label(l.committed)
                .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLUE.stroke_width(2)));
        }
        let spent_label = if b.hours {
            l.hours_used
        } else if b.savings {
            l.realised
        } else {
            l.spent
        };
        chart
            .draw_series(LineSeries::new(steps(&b.spent), INK.stroke_width(3)))?
            .label(spent_label)
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], INK.stroke_width(3)));
        chart.draw_series(DashedLineSeries::new(
            [(b.as_of, 0.0), (b.as_of, y_max)],
            6,
            4,
            BLUE.stroke_width(1),
        ))?;
        legend(&mut chart)
    })
}

/// A chart of one indicator: the baseline as a dashed line, each target as a hollow triangle,
/// each result that may be shown as a dot with its 95 % interval. A withheld result (SPEC 5.4)
/// is not in the data at all; the chart says only that it was withheld.
pub fn indicator(ind: &IndicatorChart, min_group_size: u64, lang: Lang) -> Result<String> {
    let l = lang.labels();
    let line = &ind.line;
    let n = u32::try_from(line.waves.len()).unwrap_or(u32::MAX).max(1);
    let mut values: Vec<f64> = line.baseline.into_iter().collect();
    for w in &line.waves {
        values.extend(w.target.and_then(|t| t.to_f64()));
        if let Some(f) = &w.actual {
            values.extend([Some(f.mean), f.ci_low, f.ci_high].into_iter().flatten());
        }
    }
    // A measured indicator without a scale: from zero (or below, for negative values) to a
    // little above the largest value.
    let (scale_lo, scale_hi) = match (ind.scale_min, ind.scale_max) {
        (Some(min), Some(max)) => (min.to_f64().unwrap_or(0.0), max.to_f64().unwrap_or(1.0)),
        _ => {
            let lo = values.iter().copied().fold(0.0_f64, f64::min);
            let hi = values.iter().copied().fold(0.0_f64, f64::max);
            (lo * 1.1, if hi > lo { hi * 1.1 } else { lo + 1.0 })
        }
    };
    // Zoom to the values, with room around them, but never beyond the answer scale.
    let (lo, hi) = match (
        values.iter().copied().reduce(f64::min),
        values.iter().copied().reduce(f64::max),
    ) {
        (Some(lo), Some(hi)) => {
            let pad = ((hi - lo) * 0.5).max((scale_hi - scale_lo) * 0.05);
            ((lo - pad).max(scale_lo), (hi + pad).min(scale_hi))
        }
        _ => (scale_lo, scale_hi),
    };
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (scale_lo, scale_hi.max(scale_lo + 1.0))
    };
    let precision = usize::try_from(line.precision).unwrap_or(2);
    // A measured value: thousands separators, and no interval in its words (SPEC 12.6).
    let number = |d: rust_decimal::Decimal| {
        if line.measured {
            lang.figure(&d.to_string())
        } else {
            lang.decimal_str(&d.to_string())
        }
    };
    let waves: Vec<String> = line.waves.iter().map(|w| w.wave.clone()).collect();
    svg(CHART, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(30)
            .y_label_area_size(70)
            .build_cartesian_2d((0..n - 1).into_segmented(), lo..hi)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FONT, TEXT).into_font().color(&INK))
            .x_labels(waves.len().max(1))
            .x_label_formatter(&|v| segment_name(&waves, v))
            .y_labels(6)
            .y_label_formatter(&|v| lang.float(*v, precision.min(2)))
            .y_desc(match (ind.scale_min, ind.scale_max) {
                (Some(min), Some(max)) => format!("{} {min}–{max}", l.scale),
                _ => line.unit.clone().unwrap_or_default(),
            })
            .draw()?;
        let x = |i: usize| SegmentValue::CenterOf(u32::try_from(i).unwrap_or(0));
        let font = (FONT, TEXT).into_font().color(&INK);
        if let Some(base) = line.baseline {
            chart
                .draw_series(DashedLineSeries::new(
                    [(SegmentValue::Exact(0), base), (SegmentValue::Last, base)],
                    6,
                    4,
                    GREY.stroke_width(2),
                ))?
                .label(l.baseline)
                .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], GREY.stroke_width(2)));
            // The baseline written in plan.toml has no dot of its own: only a result does.
            if line.baseline_source == Some("value")
                && let Some(text) = line.baseline_rounded.map(number)
            {
                chart.draw_series([Text::new(text, (x(0), base), font.clone())])?;
            }
        }
        let targets: Vec<(usize, f64, String)> = line
            .waves
            .iter()
            .enumerate()
            .filter(|(_, w)| w.role == "target")
            .filter_map(|(i, w)| {
                let t = w.target?;
                Some((i, t.to_f64()?, number(t)))
            })
            .collect();
        if !targets.is_empty() {
            chart
                .draw_series(targets.iter().map(|(i, v, text)| {
                    EmptyElement::at((x(*i), *v))
                        + TriangleMarker::new((0, 0), 8, INK.stroke_width(2))
                        + Text::new(text.clone(), (12, -8), font.clone())
                }))?
                .label(l.target)
                .legend(|(x, y)| TriangleMarker::new((x + 10, y), 6, INK.stroke_width(2)));
        }
        let shown: Vec<(usize, &crate::report::scores::Figures)> = line
            .waves
            .iter()
            .enumerate()
            .filter_map(|(i, w)| w.actual.as_ref().map(|f| (i, f)))
            .collect();
        for (i, f) in &shown {
            if let (Some(low), Some(high)) = (f.ci_low, f.ci_high) {
                chart.draw_series([ErrorBar::new_vertical(
                    x(*i),
                    low,
                    f.mean,
                    high,
                    BLUE.stroke_width(2),
                    12,
                )])?;
            }
        }
        if !shown.is_empty() {
            chart
                .draw_series(shown.iter().map(|(i, f)| {
                    let text = f
                        .rounded
                        .map(number)
                        .unwrap_or_else(|| lang.float(f.mean, precision));
                    EmptyElement::at((x(*i), f.mean))
                        + Circle::new((0, 0), 6, BLUE.filled())
                        + Text::new(
                            text,
                            (-12, -8),
                            font.clone().pos(Pos::new(HPos::Right, VPos::Bottom)),
                        )
                }))?
                .label(if line.measured { l.value } else { l.actual })
                .legend(|(x, y)| Circle::new((x + 10, y), 5, BLUE.filled()));
        }
        for (i, w) in line.waves.iter().enumerate() {
            if w.suppressed {
                chart.draw_series([Text::new(
                    lang.suppressed(min_group_size),
                    (x(i), lo + (hi - lo) * 0.08),
                    font.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
                )])?;
            }
        }
        legend(&mut chart)
    })
}

/// The whole series of an indicator (SPEC 12.1): its values as a line (broken at each break
/// of definition, so no change is drawn across one), targets as hollow triangles, the
/// projection as a dashed line (SPEC 12.3) and benchmarks as crosses.
pub fn series(
    ind: &IndicatorChart,
    series: &crate::report::series::Series,
    lang: Lang,
) -> Result<String> {
    let l = lang.labels();
    let line = &ind.line;
    // The x axis: every wave of the series, the targets and the projection, in wave order.
    let mut waves: Vec<String> = series.points.iter().map(|p| p.wave.clone()).collect();
    let targets: Vec<(String, f64)> = line
        .waves
        .iter()
        .filter(|w| w.role == "target")
        .filter_map(|w| Some((w.wave.clone(), w.target?.to_f64()?)))
        .collect();
    for w in targets
        .iter()
        .map(|t| &t.0)
        .chain(ind.projection.iter().map(|p| &p.0))
    {
        if !waves.contains(w) {
            waves.push(w.clone());
        }
    }
    waves.sort_by(|a, b| crate::report::series::wave_order(a, b));
    let at = |w: &str| waves.iter().position(|x| x == w).unwrap_or(0);
    let n = u32::try_from(waves.len()).unwrap_or(u32::MAX).max(1);
    let mut values: Vec<f64> = series
        .points
        .iter()
        .filter_map(|p| p.value.and_then(|v| v.to_f64()))
        .collect();
    values.extend(targets.iter().map(|t| t.1));
    values.extend(ind.projection.iter().filter_map(|p| p.1.to_f64()));
    values.extend(
        series
            .points
            .iter()
            .filter_map(|p| p.benchmark.as_ref().and_then(|b| b.0.to_f64())),
    );
    let lo = values.iter().copied().fold(0.0_f64, f64::min);
    let hi = values.iter().copied().fold(0.0_f64, f64::max);
    let (lo, hi) = if hi > lo {
        (lo * 1.1, hi * 1.1)
    } else {
        (lo, lo + 1.0)
    };
    let precision = usize::try_from(line.precision).unwrap_or(2);
    // Runs of values between breaks: each is drawn as its own line.
    let mut runs: Vec<Vec<(usize, f64)>> = vec![Vec::new()];
    for p in &series.points {
        if p.break_note.is_some() {
            runs.push(Vec::new());
        }
        if let (Some(v), Some(run)) = (p.value.and_then(|v| v.to_f64()), runs.last_mut()) {
            run.push((at(&p.wave), v));
        }
    }
    let benchmarks: Vec<(usize, f64)> = series
        .points
        .iter()
        .filter_map(|p| Some((at(&p.wave), p.benchmark.as_ref()?.0.to_f64()?)))
        .collect();
    let projection: Vec<(usize, f64)> = ind
        .projection
        .iter()
        .filter_map(|(w, v)| Some((at(w), v.to_f64()?)))
        .collect();
    let word = |en: &'static str, da: &'static str| match lang {
        Lang::Da => da,
        Lang::En => en,
    };
    svg(CHART, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(30)
            .y_label_area_size(80)
            .build_cartesian_2d((0..n - 1).into_segmented(), lo..hi)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FONT, TEXT).into_font().color(&INK))
            .x_labels(waves.len().max(1))
            .x_label_formatter(&|v| segment_name(&waves, v))
            .y_labels(6)
            .y_label_formatter(&|v| lang.float(*v, precision.min(2)))
            .y_desc(line.unit.clone().unwrap_or_default())
            .draw()?;
        let x = |i: usize| SegmentValue::CenterOf(u32::try_from(i).unwrap_or(0));
        let mut labelled = false;
        for run in runs.iter().filter(|r| !r.is_empty()) {
            let drawn = chart.draw_series(
                LineSeries::new(run.iter().map(|(i, v)| (x(*i), *v)), BLUE.stroke_width(2))
                    .point_size(4),
            )?;
            if !labelled {
                drawn
                    .label(word("Series", "Tidsserie"))
                    .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLUE.stroke_width(2)));
                labelled = true;
            }
        }
        if projection.len() > 1 {
            chart
                .draw_series(DashedLineSeries::new(
                    projection.iter().map(|(i, v)| (x(*i), *v)),
                    6,
                    4,
                    GREY.stroke_width(2),
                ))?
                .label(word(
                    "Projection (business as usual)",
                    "Fremskrivning (uændret indsats)",
                ))
                .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], GREY.stroke_width(2)));
        } else if !projection.is_empty() {
            chart
                .draw_series(projection.iter().map(|(i, v)| {
                    EmptyElement::at((x(*i), *v)) + Circle::new((0, 0), 6, GREY.stroke_width(2))
                }))?
                .label(word(
                    "Projection (business as usual)",
                    "Fremskrivning (uændret indsats)",
                ))
                .legend(|(x, y)| Circle::new((x + 10, y), 5, GREY.stroke_width(2)));
        }
        if !targets.is_empty() {
            chart
                .draw_series(targets.iter().map(|(w, v)| {
                    EmptyElement::at((x(at(w)), *v))
                        + TriangleMarker::new((0, 0), 8, INK.stroke_width(2))
                }))?
                .label(l.target)
                .legend(|(x, y)| TriangleMarker::new((x + 10, y), 6, INK.stroke_width(2)));
        }
        if !benchmarks.is_empty() {
            chart
                .draw_series(benchmarks.iter().map(|(i, v)| {
                    EmptyElement::at((x(*i), *v)) + Cross::new((0, 0), 6, AMBER.stroke_width(2))
                }))?
                .label(word("Benchmark", "Sammenligning"))
                .legend(|(x, y)| Cross::new((x + 10, y), 5, AMBER.stroke_width(2)));
        }
        legend(&mut chart)
    })
}

/// What a target needs against what the initiatives plan (SPEC 12.4): the needed change as
/// a grey bar, the planned change as a bar stacked by the initiatives' status (on track or
/// done green, at risk amber, not yet reported blue), the cancelled effects apart, hatched
/// in red, and the gap between the two bars.
pub fn effects(
    e: &crate::report::series::EffectLine,
    unit: Option<&str>,
    lang: Lang,
) -> Result<String> {
    let f = |d: rust_decimal::Decimal| d.to_f64().unwrap_or(0.0);
    let needed = e.needed.map(f).unwrap_or(0.0);
    let (on_track, at_risk, cancelled) = (f(e.on_track), f(e.at_risk), f(e.cancelled));
    let other = f(e.planned) - on_track - at_risk;
    let stack = [(on_track, GREEN), (at_risk, AMBER), (other, BLUE)];
    let values = [needed, f(e.planned), cancelled, on_track, at_risk, other];
    let lo = values.iter().copied().fold(0.0_f64, f64::min);
    let hi = values.iter().copied().fold(0.0_f64, f64::max);
    let (lo, hi) = if hi > lo {
        (lo * 1.15, hi * 1.15)
    } else {
        (-1.0, 1.0)
    };
    let names: Vec<String> = match lang {
        Lang::Da => vec!["Nødvendig".into(), "Planlagt".into(), "Aflyst".into()],
        Lang::En => vec!["Needed".into(), "Planned".into(), "Cancelled".into()],
    };
    let gap_text = e
        .gap
        .map(|g| match lang {
            Lang::Da => format!("Mangler: {}", lang.decimal_str(&g.normalize().to_string())),
            Lang::En => format!("Gap: {}", g.normalize()),
        })
        .unwrap_or_default();
    svg(CHART, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .margin_right(24)
            .caption(gap_text, (FONT, TEXT).into_font().color(&INK))
            .x_label_area_size(30)
            .y_label_area_size(80)
            .build_cartesian_2d((0..2u32).into_segmented(), lo..hi)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FONT, TEXT).into_font().color(&INK))
            .x_labels(3)
            .x_label_formatter(&|v| segment_name(&names, v))
            .y_labels(6)
            .y_label_formatter(&|v| lang.float(*v, 0))
            .y_desc(unit.unwrap_or_default().to_string())
            .draw()?;
        let bar = |i: u32, from: f64, to: f64, style: ShapeStyle| {
            Rectangle::new(
                [
                    (SegmentValue::Exact(i), from),
                    (SegmentValue::Exact(i + 1), to),
                ],
                style,
            )
        };
        chart.draw_series([bar(0, 0.0, needed, GREY.mix(0.6).filled())])?;
        // Stack the planned change part by part from zero.
        let mut base = 0.0;
        for (value, colour) in stack {
            if value != 0.0 {
                chart.draw_series([bar(1, base, base + value, colour.filled())])?;
                base += value;
            }
        }
        if cancelled != 0.0 {
            chart.draw_series([bar(2, 0.0, cancelled, RED.stroke_width(2))])?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("test date")
    }

    #[test]
    fn staircase_holds_until_the_next_entry() {
        let s = steps(&[
            (d("2020-01-01"), 0),
            (d("2020-02-01"), 500),
            (d("2020-03-01"), 800),
        ]);
        assert_eq!(
            s,
            vec![
                (d("2020-01-01"), 0.0),
                (d("2020-02-01"), 0.0),
                (d("2020-02-01"), 5.0),
                (d("2020-03-01"), 5.0),
                (d("2020-03-01"), 8.0),
            ]
        );
    }

    #[test]
    fn ranges_are_whole_months() {
        assert_eq!(
            date_range([d("2013-04-15"), d("2015-12-31")]),
            Some((d("2013-04-01"), d("2016-01-01")))
        );
        assert_eq!(date_range(std::iter::empty()), None);
    }

    #[test]
    fn labels_are_cut_to_a_width_on_a_character_boundary() {
        let whole = "Æblerne på træet";
        assert_eq!(fit(whole, 1000), whole);
        let cut = fit(whole, text_width("Æblerne p"));
        assert!(cut.ends_with('…') && whole.starts_with(cut.trim_end_matches('…')));
        assert!(text_width(&cut) <= text_width("Æblerne p"), "{cut}");
        // No room at all: only the ellipsis, never a panic.
        assert_eq!(fit(whole, 0), "…");
        // Wide letters take more room than narrow ones.
        assert!(text_width("WWWW") > 2 * text_width("iiii"));
    }

    #[test]
    fn titles_lose_the_words_they_all_begin_with() {
        assert_eq!(
            without_common_words(&["Status 1/2023", "Status 2/2023"]),
            ["1/2023", "2/2023"]
        );
        // A title with nothing left keeps its words.
        assert_eq!(
            without_common_words(&["Status", "Status 2"]),
            ["Status", "Status 2"]
        );
        assert_eq!(without_common_words(&["A b", "C d"]), ["A b", "C d"]);
        assert!(without_common_words(&[]).is_empty());
    }

    #[test]
    fn shortened_labels_get_their_whole_text_as_a_tooltip() {
        let svg = "<text x=\"1\">\nA &amp; B…\n</text><text x=\"2\">\nC\n</text>".to_string();
        let titled = with_titles(
            svg,
            &[
                ("A & B…".to_string(), "A & B & C".to_string()),
                ("C".to_string(), "C".to_string()),
            ],
        );
        assert_eq!(
            titled,
            "<text x=\"1\">\nA &amp; B…\n<title>A &amp; B &amp; C</title></text><text x=\"2\">\nC\n</text>"
        );
    }
}
