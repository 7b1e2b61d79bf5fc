//! Stage 5, render: the plan's deadlines → an iCalendar file (RFC 5545; SPEC 14).
//!
//! One all-day event per milestone with a due date (a period on its last day; unscheduled
//! milestones have no day to show) and one per success criterion's deadline. The UID is the
//! plan's, initiative's and milestone's ids (`<plan>/<initiative>/<milestone>`; a criterion:
//! `<plan>/criteria/<criterion>`), so a calendar that imports the file again updates each
//! event instead of adding a copy, and two plans never share one. The `icalendar` crate
//! writes the lines: CRLF, folded at 75 octets, `,;\` and line breaks escaped.

use std::io::Write;

use chrono::{Days, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

use crate::model::{Date, Plan};
use crate::render::lang::Lang;
use crate::report::status::{criterion_lines, milestone_state};

/// Which deadlines go into the calendar.
#[derive(Debug, Clone, Copy, Default)]
pub struct Deadlines<'a> {
    /// Only the milestones of initiatives this person or unit owns, and the criteria when
    /// they are the plan's coordinator (compared without case).
    pub owner: Option<&'a str>,
}

/// Write the calendar of `plan`'s deadlines as of `as_of` (the states in the descriptions,
/// and every event's DTSTAMP, so that the same plan on the same day gives the same bytes).
pub fn write_calendar(
    out: &mut dyn Write,
    plan: &Plan,
    as_of: Date,
    lang: Lang,
    which: Deadlines<'_>,
) -> anyhow::Result<()> {
    out.write_all(calendar(plan, as_of, lang, which).to_string().as_bytes())?;
    Ok(())
}

/// One calendar of several plans' calendars (a portfolio, SPEC 13): every event of each, in
/// the order given, under the portfolio's name. The UIDs start with each plan's id, so no
/// two plans' events collide.
pub fn merged(title: &str, calendars: impl IntoIterator<Item = Calendar>) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//plan//plan//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .name(&plain(title));
    for member in calendars {
        calendar.components.extend(member.components);
    }
    calendar
}

/// The calendar as a value.
pub fn calendar(plan: &Plan, as_of: Date, lang: Lang, which: Deadlines<'_>) -> Calendar {
    let words = lang.event_words();
    let owns_name = |owner: Option<&str>| match which.owner {
        None => true,
        Some(wanted) => owner.is_some_and(|o| crate::model::owned_by(o, wanted)),
    };
    // Co-owners too: a person's deadlines are those of everything they share (SPEC 12.6).
    let owns = |initiative: &crate::model::Initiative| match which.owner {
        None => true,
        Some(wanted) => initiative.owned_by(wanted),
    };
    let stamp = Utc.from_utc_datetime(&as_of.and_hms_opt(0, 0, 0).unwrap_or_default());
    let plan_line = format!("{}: {} ({})", words.plan, plan.title, plan.organisation);
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//plan//plan//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .name(&plain(&plan.title));
    for initiative in &plan.initiatives {
        if !owns(initiative) {
            continue;
        }
        for milestone in &initiative.milestones {
            let Some(due) = &milestone.due else {
                continue;
            };
            let mut description = vec![format!(
                "{}: {} {}",
                words.initiative, initiative.id, initiative.title
            )];
            if let Some(owner) = &initiative.owners_text() {
                description.push(format!("{}: {owner}", words.owner));
            }
            description.push(format!(
                "{}: {}",
                words.state,
                lang.milestone_state(milestone_state(milestone, as_of))
            ));
            description.push(plan_line.clone());
            calendar.push(event(
                &format!("{}/{}/{}", plan.id, initiative.id, milestone.id),
                due.date,
                &format!("{} – {}", milestone.title, initiative.title),
                &description.join("\n"),
                stamp,
            ));
        }
    }
    if owns_name(plan.coordinator.as_deref()) {
        for criterion in criterion_lines(plan, as_of) {
            let mut description = vec![format!("{}: {}", words.criterion, criterion.id)];
            if let Some(coordinator) = &plan.coordinator {
                description.push(format!("{}: {coordinator}", words.owner));
            }
            description.push(format!(
                "{}: {}",
                words.state,
                lang.criterion(criterion.status)
            ));
            description.push(plan_line.clone());
            calendar.push(event(
                &format!("{}/criteria/{}", plan.id, criterion.id),
                criterion.deadline,
                &format!("{} – {}", criterion.title, plan.title),
                &description.join("\n"),
                stamp,
            ));
        }
    }
    calendar.done()
}

/// An all-day event on `day` (DTEND is the next day: the end of an all-day event is exclusive).
fn event(
    uid: &str,
    day: Date,
    summary: &str,
    description: &str,
    stamp: chrono::DateTime<Utc>,
) -> Event {
    let mut event = Event::new();
    event
        .uid(uid)
        .timestamp(stamp)
        .summary(&plain(summary))
        .description(&plain(description))
        .starts(day);
    if let Some(next) = day.checked_add_days(Days::new(1)) {
        event.ends(next);
    }
    // Free time: a deadline does not block the day in anyone's calendar.
    event.add_property("TRANSP", "TRANSPARENT");
    event.done()
}

/// Line breaks as `\n` only: the crate escapes LF, and a bare CR would end a content line.
fn plain(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}
