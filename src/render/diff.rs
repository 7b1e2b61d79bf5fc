//! Render `plan diff` (SPEC 10.2) and `plan log` (10.3): tables grouped under headings the
//! way a coordinator reads the changes aloud, Markdown for the minutes, JSON.
//!
//! Tables and Markdown are read in committee minutes, so they say each change in words, in
//! the language of `--lang`: amounts as the rest of the tool writes money and hours, a
//! target at its indicator's precision, dates as dates, a status in its words, an inline
//! table of a plan file as its fields, a ledger's grants and expenses on lines of their own.
//! CSV and JSON keep the machine values of SPEC 10.2.

use std::io::Write;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::Revision;
use crate::render::lang::Lang;
use crate::render::{md_cell, paint, visible, write_text_rows};
use crate::report::diff::{Change, LedgerPart, Reading, group};

/// One change as people read it: what kind of item, which, and the change in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The kind of item, in words (`budget figures`, `budgettal`).
    pub kind: String,
    /// The item's id.
    pub id: String,
    /// The change in words.
    pub text: String,
}

/// The lines of some changes: one per change, but one per kind of entry for a ledger's rows
/// (whose `entries` and `amount` rows are read together).
pub fn lines(changes: &[&Change], lang: Lang) -> Vec<Line> {
    changes
        .iter()
        .flat_map(|c| {
            change_texts(c, lang).into_iter().map(|text| Line {
                kind: kind_word(&c.kind, lang).to_string(),
                id: c.id.clone(),
                text,
            })
        })
        .collect()
}

/// The words of one change: usually one line; a ledger's `entries` row gives a line per kind
/// of entry and its `amount` row none (its sums are on those lines).
pub fn change_texts(c: &Change, lang: Lang) -> Vec<String> {
    if let Reading::Ledger(parts) = &c.reading {
        return match c.field.as_str() {
            "entries" => parts.iter().map(|p| ledger_text(p, lang)).collect(),
            _ => Vec::new(),
        };
    }
    vec![change_text(c, lang)]
}

/// `status: on-track → at-risk`, `due: 30 Sep 2022 → 31 Dec 2022 (+92 d)`, `added: title`,
/// `no longer stale`.
pub fn change_text(c: &Change, lang: Lang) -> String {
    let da = lang == Lang::Da;
    let after = c.after.as_deref();
    let before = c.before.as_deref();
    match c.field.as_str() {
        "added" | "removed" => {
            let (word, value) = match (c.field.as_str(), da) {
                ("added", false) => ("added", after),
                ("added", true) => ("tilføjet", after),
                (_, false) => ("removed", before),
                (_, true) => ("fjernet", before),
            };
            let value = value.unwrap_or("");
            // Pushed, not formatted: `plan diff` over a history writes one per added update.
            let mut text = String::with_capacity(word.len() + 2 + value.len() + 8);
            text.push_str(word);
            text.push_str(": ");
            if c.kind == "update" {
                push_update_words(&mut text, value, &c.reading, lang);
            } else {
                text.push_str(value);
            }
            text
        }
        "stale" if c.kind == "initiative" => stale_words(c, lang),
        field => {
            let name = match (&c.reading, field) {
                // A savings target's `spent` is what is realised (SPEC 9.6).
                (Reading::Amount { savings: true, .. }, "spent") => {
                    lang.labels().realised.to_lowercase()
                }
                _ => field_word(&c.kind, field, lang),
            };
            if let Reading::Value {
                before: Some(toml::Value::Table(b)),
                after: Some(toml::Value::Table(a)),
            } = &c.reading
            {
                // Two inline tables: the keys that changed, each as a change of its own.
                let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
                keys.sort();
                keys.dedup();
                let unit = value_unit(&c.kind, field);
                let parts: Vec<String> = keys
                    .into_iter()
                    .filter(|k| b.get(*k) != a.get(*k))
                    .map(|k| {
                        let side = |v: Option<&toml::Value>| {
                            v.map_or("–".to_string(), |v| toml_words(v, unit, lang))
                        };
                        format!(
                            "{name} {}: {} → {}",
                            key_word(k, lang),
                            side(b.get(k)),
                            side(a.get(k))
                        )
                    })
                    .collect();
                return parts.join("; ");
            }
            let days = c
                .days
                .map_or(String::new(), |d| format!(" ({})", lang.days_shift(d)));
            format!(
                "{name}: {} → {}{days}",
                value_words(c, true, lang),
                value_words(c, false, lang)
            )
        }
    }
}

/// `now stale: no update since 1 Mar 2021` / `no longer stale`.
fn stale_words(c: &Change, lang: Lang) -> String {
    let last = match &c.reading {
        Reading::Stale(last) => *last,
        _ => None,
    };
    match (c.after.as_deref() == Some("true"), last, lang) {
        (true, Some(d), Lang::En) => format!("now stale: no update since {}", lang.date(d)),
        (true, None, Lang::En) => "now stale: no update yet".to_string(),
        (false, _, Lang::En) => "no longer stale".to_string(),
        (true, Some(d), Lang::Da) => format!("mangler opdatering (seneste {})", lang.date(d)),
        (true, None, Lang::Da) => "mangler opdatering (ingen endnu)".to_string(),
        (false, _, Lang::Da) => "mangler ikke længere opdatering".to_string(),
    }
}

/// The value before (`before`) or after a change, in words; `–` when there is none.
fn value_words(c: &Change, before: bool, lang: Lang) -> String {
    let text = if before { &c.before } else { &c.after };
    let Some(text) = text.as_deref() else {
        return "–".to_string();
    };
    match &c.reading {
        Reading::Amount { hours, .. } => amount_words(text, *hours, lang),
        Reading::Decimals(places) => match text.parse::<Decimal>() {
            Ok(d) => {
                let rounded =
                    d.round_dp_with_strategy(*places, RoundingStrategy::MidpointAwayFromZero);
                let places = *places as usize;
                lang.decimal_str(&format!("{rounded:.places$}"))
            }
            Err(_) => text.to_string(),
        },
        Reading::Value {
            before: b,
            after: a,
        } => {
            let value = if before { b } else { a };
            value.as_ref().map_or_else(
                || "–".to_string(),
                |v| toml_words(v, value_unit(&c.kind, &c.field), lang),
            )
        }
        Reading::Labels(labels) if labels.contains_key(text) => labels[text].clone(),
        _ => status_words(&c.kind, &c.field, text, lang)
            .map_or_else(|| text.to_string(), str::to_string),
    }
}

/// An amount written with two decimals (`1950000.00`) as the tool writes money or hours.
fn amount_words(text: &str, hours: bool, lang: Lang) -> String {
    use rust_decimal::prelude::ToPrimitive;
    // A figure too large for hundredths (a plan file may hold any number) is shown as written.
    let hundredths = text
        .parse::<Decimal>()
        .ok()
        .and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED))
        .and_then(|d| {
            d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                .to_i128()
        });
    match hundredths {
        Some(h) => lang.amount(hours, h),
        None => text.to_string(),
    }
}

/// A status word of a computed change in the words of the status screen.
fn status_words(kind: &str, field: &str, word: &str, lang: Lang) -> Option<&'static str> {
    use crate::report::scores::TargetStatus as T;
    use crate::report::status::{CriterionStatus as C, MilestoneState as M, Status as S};
    const STATUSES: [S; 8] = [
        S::Planned,
        S::Active,
        S::OnTrack,
        S::AtRisk,
        S::Delayed,
        S::Paused,
        S::Done,
        S::Cancelled,
    ];
    const STATES: [M; 5] = [M::Done, M::DoneLate, M::Overdue, M::Open, M::Unscheduled];
    const CRITERIA: [C; 4] = [C::Met, C::MetLate, C::Open, C::Missed];
    const TARGETS: [T; 5] = [T::Baseline, T::Met, T::Missed, T::Pending, T::NoData];
    match (kind, field) {
        ("initiative", "status") => STATUSES
            .into_iter()
            .find(|s| s.word() == word)
            .map(|s| lang.status(s)),
        ("milestone", "state") => STATES
            .into_iter()
            .find(|s| s.word() == word)
            .map(|s| lang.milestone_state(s)),
        ("criterion-status", "status") => CRITERIA
            .into_iter()
            .find(|s| s.word() == word)
            .map(|s| lang.criterion(s)),
        ("target", "status") => TARGETS
            .into_iter()
            .find(|s| s.word() == word)
            .map(|s| lang.target_status(s)),
        _ => None,
    }
}

/// An update as `date status: note` in words: `1 Mar 2021 at-risk: …` / `01-03-2021 i risiko: …`;
/// the plan's own word for the status when it has one (`[labels]`).
fn push_update_words(out: &mut String, text: &str, reading: &Reading, lang: Lang) {
    let (head, note) = match text.split_once(": ") {
        Some((head, note)) => (head, Some(note)),
        None => (text, None),
    };
    let (date, status) = match head.split_once(' ') {
        Some((date, status)) => (date, Some(status)),
        // A note without a status (SPEC 12.6): `date: note`.
        None => (head, None),
    };
    match crate::dates::parse_iso_date(date) {
        Some(d) => out.push_str(&lang.date(d)),
        // Not a date: written as it is, whole.
        None if status.is_none() => return out.push_str(text),
        None => out.push_str(date),
    }
    if let Some(status) = status {
        let label = match reading {
            Reading::Labels(labels) => labels.get(status).map(String::as_str),
            _ => None,
        };
        out.push(' ');
        out.push_str(label.unwrap_or_else(|| {
            crate::model::UpdateStatus::WORDS
                .iter()
                .find(|(w, _)| *w == status)
                .map_or(status, |(_, s)| lang.update(*s))
        }));
    }
    if let Some(note) = note {
        out.push_str(": ");
        out.push_str(note);
    }
}

/// What the numbers of a plan file's field count: money, hours or plain numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Money,
    Hours,
    Plain,
}

/// A budget's `amount`, `amounts` and `funding` are money, its `hours` hours (SPEC 1.1, 9.6).
fn value_unit(kind: &str, field: &str) -> Unit {
    match (kind, field) {
        ("budget", "amount" | "amounts" | "funding") => Unit::Money,
        ("budget", "hours") => Unit::Hours,
        _ => Unit::Plain,
    }
}

/// A TOML value of a plan file in words: a date as a date, money as money, an array as its
/// items, an inline table as its fields (`wave 2021, delta 0.3`), a period as `1 Jan 2020 to
/// 31 Dec 2023`, a funding source as `source amount`.
fn toml_words(v: &toml::Value, unit: Unit, lang: Lang) -> String {
    use toml::Value as V;
    let number = |hundredths: i128, plain: String| match unit {
        Unit::Money => lang.money(hundredths),
        Unit::Hours => lang.hours(hundredths),
        Unit::Plain => plain,
    };
    match v {
        V::String(s) => match (unit, s.parse::<Decimal>()) {
            (Unit::Money | Unit::Hours, Ok(_)) => amount_words(s, unit == Unit::Hours, lang),
            _ => s.clone(),
        },
        V::Integer(i) => number(i128::from(*i) * 100, i.to_string()),
        V::Float(f) => match Decimal::try_from(*f) {
            Ok(d) => match unit {
                Unit::Plain => lang.decimal_str(&d.normalize().to_string()),
                _ => amount_words(&d.to_string(), unit == Unit::Hours, lang),
            },
            Err(_) => lang.decimal_str(&f.to_string()),
        },
        V::Boolean(b) => match (lang, b) {
            (Lang::En, true) => "yes",
            (Lang::En, false) => "no",
            (Lang::Da, true) => "ja",
            (Lang::Da, false) => "nej",
        }
        .to_string(),
        V::Datetime(d) => {
            let text = d.to_string();
            match (d.time, crate::dates::parse_iso_date(&text)) {
                (None, Some(day)) => lang.date(day),
                _ => text,
            }
        }
        V::Array(items) => {
            let tables = items.iter().any(toml::Value::is_table);
            let words: Vec<String> = items.iter().map(|i| toml_words(i, unit, lang)).collect();
            words.join(if tables { "; " } else { ", " })
        }
        V::Table(t) => table_words(t, unit, lang),
    }
}

/// An inline table in words.
fn table_words(t: &toml::Table, unit: Unit, lang: Lang) -> String {
    // A funding source (SPEC 9.6) as the status screen writes it: `Ekstern pulje 5,200,000
    // DKK (not yet secured)`.
    if let (Some(source), Some(amount)) = (t.get("source"), t.get("amount")) {
        let mut text = format!(
            "{} {}",
            toml_words(source, Unit::Plain, lang),
            toml_words(amount, Unit::Money, lang)
        );
        if t.get("secured") == Some(&toml::Value::Boolean(false)) {
            text.push_str(&format!(" ({})", lang.labels().not_secured));
        }
        return text;
    }
    // A period: `1 Jan 2020 to 31 Dec 2023` (an arrow would read as a change).
    if t.len() == 2
        && let (Some(start), Some(end)) = (t.get("start"), t.get("end"))
    {
        let to = match lang {
            Lang::En => "to",
            Lang::Da => "til",
        };
        return format!(
            "{} {to} {}",
            toml_words(start, unit, lang),
            toml_words(end, unit, lang)
        );
    }
    // Ids and waves first, then the rest in the order of their names.
    let mut keys: Vec<&String> = t.keys().collect();
    keys.sort_by_key(|k| !matches!(k.as_str(), "id" | "wave"));
    keys.into_iter()
        .map(|k| format!("{} {}", key_word(k, lang), toml_words(&t[k], unit, lang)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A key inside an inline table in words (`min_group_size` → `min group size`).
fn key_word(key: &str, lang: Lang) -> String {
    field_word("", key, lang)
}

/// A field's name in words: `adopted_by` → `adopted by` / `vedtaget af`.
pub fn field_word(kind: &str, field: &str, lang: Lang) -> String {
    if lang == Lang::Da
        && let Some(word) = danish_field(kind, field)
    {
        return word.to_string();
    }
    field.replace('_', " ")
}

/// The Danish name of the fields of SPEC 1, 9 and 10.2 (another field keeps its own name).
fn danish_field(kind: &str, field: &str) -> Option<&'static str> {
    Some(match (kind, field) {
        ("budget-figures", "spent") => "forbrugt",
        ("target", "target") => "mål",
        ("target", "actual") => "resultat",
        (_, "title") => "titel",
        (_, "subtitle") => "undertitel",
        (_, "organisation") => "organisation",
        (_, "adopted_by") => "vedtaget af",
        (_, "case") => "sag",
        (_, "coordinator") => "tovholder",
        (_, "purpose") => "formål",
        (_, "period") => "periode",
        (_, "start") => "start",
        (_, "end") => "slut",
        (_, "status") => "status",
        (_, "state") => "tilstand",
        (_, "due") => "frist",
        (_, "done") => "nået",
        (_, "deadline") => "frist",
        (_, "achieved") => "opnået",
        (_, "evidence") => "dokumentation",
        (_, "date") => "dato",
        (_, "owner") => "ansvarlig",
        (_, "summary") => "resumé",
        (_, "description") => "beskrivelse",
        (_, "focus_area") => "fokusområde",
        (_, "goals") => "mål",
        (_, "parent") => "del af",
        (_, "partners") => "partnere",
        (_, "number") => "nummer",
        (_, "schedule") => "tidsplan og økonomi",
        (_, "why") => "hvorfor",
        (_, "how") => "hvordan",
        (_, "who") => "hvem",
        (_, "communication") => "kommunikation",
        (_, "initiative") => "initiativ",
        (_, "kind") => "art",
        (_, "amount") => "beløb",
        (_, "amounts") => "beløb pr. år",
        (_, "hours") => "timer",
        (_, "rate") => "timepris",
        (_, "fte") => "årsværk",
        (_, "funding") => "finansiering",
        (_, "source") => "kilde",
        (_, "secured") => "sikret",
        (_, "committed") => "disponeret",
        (_, "spent") => "forbrugt",
        (_, "available") => "til rådighed",
        (_, "remaining") => "tilbage",
        (_, "errors") => "fejl",
        (_, "question") => "spørgsmål",
        (_, "scale") => "skala",
        (_, "precision") => "decimaler",
        (_, "baseline") => "udgangspunkt",
        (_, "target") => "mål",
        (_, "direction") => "retning",
        (_, "wave") => "måling",
        (_, "file") => "fil",
        (_, "columns") => "kolonner",
        (_, "missing") => "ingen svar",
        (_, "value") => "værdi",
        (_, "delta") => "ændring",
        (_, "privacy") => "anonymitet",
        (_, "min_group_size") => "mindste gruppe",
        (_, "stale_after_days") => "opdatering senest efter dage",
        (_, "hours_per_fte") => "timer pr. årsværk",
        (_, "ledger") => "bogføring",
        (_, "unit") => "enhed",
        (_, "note") => "note",
        _ => return None,
    })
}

/// The kind of item in words: `budget-figures` → `budget figures` / `budgettal`.
pub fn kind_word(kind: &str, lang: Lang) -> &str {
    match (lang, kind) {
        (Lang::En, "focus_area") => "focus area",
        (Lang::En, "budget-figures") => "budget figures",
        (Lang::En, "criterion-status") => "criterion status",
        (Lang::Da, "plan") => "plan",
        (Lang::Da, "check") => "kontrol",
        (Lang::Da, "goal") => "mål",
        (Lang::Da, "focus_area") => "fokusområde",
        (Lang::Da, "initiative") => "initiativ",
        (Lang::Da, "milestone") => "milepæl",
        (Lang::Da, "update") => "opdatering",
        (Lang::Da, "budget") => "budget",
        (Lang::Da, "budget-figures") => "budgettal",
        (Lang::Da, "ledger") => "bogføring",
        (Lang::Da, "indicator") => "indikator",
        (Lang::Da, "survey") => "måling",
        (Lang::Da, "target") => "måltal",
        (Lang::Da, "criterion") => "kriterium",
        (Lang::Da, "criterion-status") => "kriteriestatus",
        (Lang::Da, "round") => "statusrunde",
        (_, kind) => kind,
    }
}

/// A ledger kind's rows in words: `grant: 2 entries added (500,000 DKK)`, `expense: 1 entry
/// added (20,000 DKK), 1 removed (5,000 DKK)`.
fn ledger_text(p: &LedgerPart, lang: Lang) -> String {
    let hours = p.kind == "hours";
    let sum = |d: Decimal| amount_words(&format!("{d:.2}"), hours, lang);
    let entries = |n: i64| match (lang, n) {
        (Lang::En, 1) => "1 entry".to_string(),
        (Lang::En, n) => format!("{n} entries"),
        (Lang::Da, 1) => "1 postering".to_string(),
        (Lang::Da, n) => format!("{n} posteringer"),
    };
    let (added, removed) = match lang {
        Lang::En => ("added", "removed"),
        Lang::Da => ("tilføjet", "fjernet"),
    };
    let mut said = Vec::new();
    if p.added > 0 {
        said.push(format!(
            "{} {added} ({})",
            entries(p.added),
            sum(p.added_sum)
        ));
    }
    if p.removed > 0 {
        let count = if said.is_empty() {
            entries(p.removed)
        } else {
            p.removed.to_string()
        };
        said.push(format!("{count} {removed} ({})", sum(p.removed_sum)));
    }
    format!("{}: {}", entry_kind_word(&p.kind, lang), said.join(", "))
}

/// A ledger entry's kind in words (SPEC 1.3).
fn entry_kind_word(kind: &str, lang: Lang) -> &str {
    match (lang, kind) {
        (Lang::En, "grant") => "grants",
        (Lang::En, "release") => "releases",
        (Lang::En, "expense") => "expenses",
        (Lang::En, "hours") => "hours",
        (Lang::En, "saving") => "savings",
        (Lang::Da, "grant") => "bevillinger",
        (Lang::Da, "release") => "frigivelser",
        (Lang::Da, "expense") => "udgifter",
        (Lang::Da, "hours") => "timer",
        (Lang::Da, "saving") => "besparelser",
        (_, kind) => kind,
    }
}

/// A group's heading in words.
pub fn heading_word(heading: &'static str, lang: Lang) -> &'static str {
    match (lang, heading) {
        (Lang::Da, "Plan") => "Planen",
        (Lang::Da, "Goals and focus areas") => "Mål og fokusområder",
        (Lang::Da, "Initiatives") => "Initiativer",
        (Lang::Da, "Budgets") => "Budgetter",
        (Lang::Da, "Targets") => "Måltal",
        (Lang::Da, "Criteria") => "Succeskriterier",
        (Lang::Da, "Other") => "Andet",
        (_, heading) => heading,
    }
}

/// "No changes." in words.
pub fn no_changes(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "No changes.",
        Lang::Da => "Ingen ændringer.",
    }
}

/// The changes grouped under their headings, in the order the groups first appear.
pub fn grouped(changes: &[Change]) -> Vec<(&'static str, Vec<&Change>)> {
    let mut groups: Vec<(&'static str, Vec<&Change>)> = Vec::new();
    for c in changes {
        let g = group(&c.kind);
        match groups.iter_mut().find(|(name, _)| *name == g) {
            Some((_, list)) => list.push(c),
            None => groups.push((g, vec![c])),
        }
    }
    groups
}

/// The text table: a heading per group, one line per change.
pub fn write_changes_text(
    out: &mut dyn Write,
    changes: &[Change],
    color: bool,
    lang: Lang,
) -> std::io::Result<()> {
    if changes.is_empty() {
        return writeln!(out, "{}", no_changes(lang));
    }
    for (i, (heading, list)) in grouped(changes).into_iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}", paint(heading_word(heading, lang), "1", color))?;
        let lines = lines(&list, lang);
        let shown: Vec<_> = lines
            .iter()
            .map(|line| (visible(&line.id), visible(&line.text)))
            .collect();
        let rows: Vec<[&str; 3]> = lines
            .iter()
            .zip(&shown)
            .map(|(line, (id, text))| [line.kind.as_str(), id, text])
            .collect();
        write_text_rows(out, &rows)?;
    }
    Ok(())
}

/// "Changes from A to B" in words.
fn title(from: &str, to: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Changes from {from} to {to}"),
        Lang::Da => format!("Ændringer fra {from} til {to}"),
    }
}

/// `plan diff` as a text table.
pub fn write_text(
    out: &mut dyn Write,
    from: &str,
    to: &str,
    changes: &[Change],
    color: bool,
    lang: Lang,
) -> std::io::Result<()> {
    writeln!(out, "{}", visible(&title(from, to, lang)))?;
    writeln!(out)?;
    write_changes_text(out, changes, color, lang)
}

/// The changes as Markdown: a `###` heading and a table per group.
pub fn write_changes_markdown(
    out: &mut dyn Write,
    changes: &[Change],
    lang: Lang,
) -> std::io::Result<()> {
    if changes.is_empty() {
        return writeln!(out, "{}\n", no_changes(lang));
    }
    let columns = match lang {
        Lang::En => "| Kind | Id | Change |",
        Lang::Da => "| Art | Id | Ændring |",
    };
    for (heading, list) in grouped(changes) {
        writeln!(out, "### {}\n", heading_word(heading, lang))?;
        writeln!(out, "{columns}")?;
        writeln!(out, "|---|---|---|")?;
        for line in lines(&list, lang) {
            writeln!(
                out,
                "| {} | {} | {} |",
                md_cell(&line.kind),
                md_cell(&line.id),
                md_cell(&line.text)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `plan diff` as Markdown, for the minutes.
pub fn write_markdown(
    out: &mut dyn Write,
    from: &str,
    to: &str,
    changes: &[Change],
    lang: Lang,
) -> std::io::Result<()> {
    writeln!(out, "## {}\n", md_cell(&title(from, to, lang)))?;
    write_changes_markdown(out, changes, lang)
}

/// A commit's heading in `plan log`: `432aef3 · 1 Dec 2021 · Tove Holder · Fix the date`,
/// its summary on one line and with its control characters visible.
pub fn commit_heading(short: &str, date: &str, author: &str, summary: &str, lang: Lang) -> String {
    // Pushed, not formatted: one heading per commit of a walk.
    let mut heading = String::with_capacity(short.len() + author.len() + summary.len() + 24);
    heading.push_str(short);
    heading.push_str(" · ");
    match crate::dates::parse_iso_date(date) {
        Some(day) => lang.push_date(&mut heading, day),
        None => heading.push_str(date),
    }
    heading.push_str(" · ");
    heading.push_str(author);
    heading.push_str(" · ");
    for part in summary.split_inclusive(['\r', '\n']) {
        match part.strip_suffix(['\r', '\n']) {
            Some(line) => {
                heading.push_str(line);
                heading.push(' ');
            }
            None => heading.push_str(part),
        }
    }
    match visible(&heading) {
        std::borrow::Cow::Borrowed(_) => heading,
        std::borrow::Cow::Owned(shown) => shown,
    }
}

/// The heading of what time alone changed on a day (SPEC 10.3): `1 Jan 2023 · time`.
pub fn time_heading(date: &str, lang: Lang) -> String {
    let date =
        crate::dates::parse_iso_date(date).map_or_else(|| date.to_string(), |d| lang.date(d));
    let word = match lang {
        Lang::En => "time",
        Lang::Da => "tid",
    };
    format!("{date} · {word}")
}

/// "No commits changed the plan." in words.
pub fn no_commits(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "No commits changed the plan.",
        Lang::Da => "Ingen commits har ændret planen.",
    }
}

/// `{"format":1,"from":REVISION,"to":REVISION,"changes":[…]}`.
pub fn write_json(
    out: &mut dyn Write,
    from: Option<&Revision>,
    to: Option<&Revision>,
    changes: &[Change],
) -> anyhow::Result<()> {
    #[derive(Serialize)]
    struct Document<'a> {
        format: u32,
        from: Option<&'a Revision>,
        to: Option<&'a Revision>,
        changes: &'a [Change],
    }
    serde_json::to_writer_pretty(
        &mut *out,
        &Document {
            format: 1,
            from,
            to,
            changes,
        },
    )?;
    writeln!(out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An update's words: its date, its status in words (or the plan's label), its note; an
    /// update with no status (SPEC 12.6) and a head that is not a date, as written.
    #[test]
    fn an_update_in_words() {
        let words = |text: &str, reading: &Reading, lang: Lang| {
            let mut out = String::from("added: ");
            push_update_words(&mut out, text, reading, lang);
            out
        };
        let text = Reading::Text;
        let en = Lang::En;
        assert_eq!(
            words("2021-03-01 at-risk: Leverandør sprang fra", &text, en),
            "added: 1 Mar 2021 at-risk: Leverandør sprang fra"
        );
        assert_eq!(
            words("2021-03-01 at-risk", &text, Lang::Da),
            "added: 01-03-2021 i risiko"
        );
        assert_eq!(
            words("2021-03-01: Styregruppen orienteret", &text, en),
            "added: 1 Mar 2021: Styregruppen orienteret"
        );
        assert_eq!(words("2021-03-01", &text, en), "added: 1 Mar 2021");
        assert_eq!(words("ukendt: note", &text, en), "added: ukendt: note");
        assert_eq!(
            words("marts at-risk: note", &text, en),
            "added: marts at-risk: note"
        );
        let labels = Reading::Labels(std::collections::BTreeMap::from([(
            "at-risk".into(),
            "gul".into(),
        )]));
        assert_eq!(
            words("2021-03-01 at-risk: note", &labels, en),
            "added: 1 Mar 2021 gul: note"
        );
    }

    #[test]
    fn amounts_read_as_money_and_hours() {
        assert_eq!(amount_words("1950000.00", false, Lang::En), "1,950,000 DKK");
        assert_eq!(amount_words("1190000.50", false, Lang::Da), "1.190.001 kr.");
        assert_eq!(amount_words("-15000.00", false, Lang::En), "-15,000 DKK");
        assert_eq!(amount_words("410.50", true, Lang::Da), "411 timer");
        // Not a number, or too large to count in hundredths: as written, never a panic.
        assert_eq!(amount_words("someday", false, Lang::En), "someday");
        let huge = "79228162514264337593543950335";
        assert_eq!(amount_words(huge, false, Lang::En), huge);
    }

    #[test]
    fn plan_file_values_read_as_words() {
        let value = |s: &str| -> toml::Value {
            let t: toml::Table = toml::from_str(&format!("v = {s}")).expect("toml");
            t["v"].clone()
        };
        let en = |s: &str, unit| toml_words(&value(s), unit, Lang::En);
        assert_eq!(
            en("{ start = 2020-01-01, end = 2023-12-31 }", Unit::Plain),
            "1 Jan 2020 to 31 Dec 2023"
        );
        assert_eq!(
            en(
                r#"[{ source = "Pulje", amount = 5200000 }, { source = "Egen", amount = 2800000, secured = false }]"#,
                Unit::Money
            ),
            "Pulje 5,200,000 DKK; Egen 2,800,000 DKK (not yet secured)"
        );
        assert_eq!(
            en(r#"[{ wave = "2021", delta = 0.3 }]"#, Unit::Plain),
            "wave 2021, delta 0.3"
        );
        assert_eq!(en(r#""350000.00""#, Unit::Money), "350,000 DKK");
        // Too large for money: the number as it is, never a panic.
        assert_eq!(en("1e300", Unit::Money), 1e300_f64.to_string());
        assert_eq!(en("true", Unit::Plain), "yes");
        assert_eq!(
            toml_words(&value("{ min_group_size = 4 }"), Unit::Plain, Lang::Da),
            "mindste gruppe 4"
        );
    }

    #[test]
    fn a_ledger_kind_reads_as_one_line() {
        let part = LedgerPart {
            kind: "expense".into(),
            added: 3,
            added_sum: Decimal::new(80_500_000, 2),
            removed: 1,
            removed_sum: Decimal::new(1_000_000, 2),
        };
        assert_eq!(
            ledger_text(&part, Lang::En),
            "expenses: 3 entries added (805,000 DKK), 1 removed (10,000 DKK)"
        );
        assert_eq!(
            ledger_text(&part, Lang::Da),
            "udgifter: 3 posteringer tilføjet (805.000 kr.), 1 fjernet (10.000 kr.)"
        );
    }
}
