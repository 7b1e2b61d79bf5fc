//! The language of the words and numbers people read (`--lang da|en`): every label of the
//! terminal tables and the HTML report, and how numbers and dates are written in each
//! language. Machine formats (CSV, JSON, GitHub annotations) never come here: they do not
//! change with the language. The plan's own text is never translated.

use chrono::Datelike;

use crate::model::Date;
use crate::report::status::{CriterionStatus, MilestoneState, Status};

/// A language for labels, numbers and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// Danish: `500.000 kr.`, `1.924 timer`, `30-06-2014`.
    Da,
    /// English: `500,000 DKK`, `1,924 hours`, `30 Jun 2014`.
    #[default]
    En,
}

impl Lang {
    /// The language a locale names, the way POSIX picks one: the first non-empty of
    /// `LC_ALL`, `LC_MESSAGES`, `LANG`; Danish when it starts with `da` (`da_DK.UTF-8`),
    /// English otherwise (including `C` and `POSIX`).
    pub fn from_locale(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Lang {
        let locale = [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty())
            .unwrap_or("");
        if locale.to_ascii_lowercase().starts_with("da") {
            Lang::Da
        } else {
            Lang::En
        }
    }

    /// The `lang` attribute of the HTML page.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    /// The labels of this language.
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::Da => &DA,
            Lang::En => &EN,
        }
    }

    fn thousands(self) -> char {
        match self {
            Lang::Da => '.',
            Lang::En => ',',
        }
    }

    fn decimal(self) -> char {
        match self {
            Lang::Da => ',',
            Lang::En => '.',
        }
    }

    /// A figure written with `.` as decimal point (`1016000.5`) with this language's thousands
    /// separator and decimal sign: `1.016.000,5` / `1,016,000.5` (a measured value, SPEC 12.6).
    pub fn figure(self, plain: &str) -> String {
        let (sign, digits) = match (plain.strip_prefix('-'), plain.strip_prefix('+')) {
            (Some(rest), _) => ("-", rest),
            (None, Some(rest)) => ("+", rest),
            (None, None) => ("", plain),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (digits, None),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return self.decimal_str(plain);
        }
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(self.thousands());
            }
            grouped.push(c);
        }
        match fraction {
            Some(f) => format!("{sign}{grouped}{}{f}", self.decimal()),
            None => format!("{sign}{grouped}"),
        }
    }

    /// A whole number with thousands separators: `1.924` / `1,924`.
    pub fn integer(self, n: i128) -> String {
        let digits = n.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(self.thousands());
            }
            grouped.push(c);
        }
        let sign = if n < 0 { "-" } else { "" };
        format!("{sign}{grouped}")
    }

    /// Hundredths (øre, hundredths of an hour) as a whole number, rounded half away from zero.
    fn whole(hundredths: i128) -> i128 {
        let sign = if hundredths < 0 { -1 } else { 1 };
        sign * ((hundredths.abs() + 50) / 100)
    }

    /// Money in whole kroner: `500.000 kr.` / `500,000 DKK`.
    pub fn money(self, ore: i128) -> String {
        let n = self.integer(Self::whole(ore));
        match self {
            Lang::Da => format!("{n} kr."),
            Lang::En => format!("{n} DKK"),
        }
    }

    /// Hours in whole hours: `1.924 timer` / `1,924 hours`.
    pub fn hours(self, hundredths: i128) -> String {
        let whole = Self::whole(hundredths);
        let n = self.integer(whole);
        match (self, whole.abs() == 1) {
            (Lang::Da, true) => format!("{n} time"),
            (Lang::Da, false) => format!("{n} timer"),
            (Lang::En, true) => format!("{n} hour"),
            (Lang::En, false) => format!("{n} hours"),
        }
    }

    /// A money or hours amount in hundredths.
    pub fn amount(self, hours: bool, hundredths: i128) -> String {
        if hours {
            self.hours(hundredths)
        } else {
            self.money(hundredths)
        }
    }

    /// The unit a money or hours axis counts in: `kr.` / `DKK`, `timer` / `hours`.
    pub fn amount_unit(self, hours: bool) -> &'static str {
        match (self, hours) {
            (Lang::Da, false) => "kr.",
            (Lang::En, false) => "DKK",
            (Lang::Da, true) => "timer",
            (Lang::En, true) => "hours",
        }
    }

    /// Tenths of a percent: `49,8 %` / `49.8 %`.
    pub fn pct_tenths(self, tenths: i128) -> String {
        let sign = if tenths < 0 { "-" } else { "" };
        let a = tenths.unsigned_abs();
        format!("{sign}{}{}{} %", a / 10, self.decimal(), a % 10)
    }

    /// A float percentage with one decimal: `49,8 %` / `49.8 %`.
    pub fn pct(self, pct: f64) -> String {
        self.decimal_str(&format!("{pct:.1}")) + " %"
    }

    /// A number already written with `.` as decimal point (`7.05`), in this language's form.
    pub fn decimal_str(self, plain: &str) -> String {
        match self {
            Lang::Da => plain.replace('.', ","),
            Lang::En => plain.to_string(),
        }
    }

    /// A float with `places` decimals in this language's form.
    pub fn float(self, value: f64, places: usize) -> String {
        self.decimal_str(&format!("{value:.places$}"))
    }

    /// A date in a table: `30-06-2014` / `30 Jun 2014`.
    pub fn date(self, d: Date) -> String {
        let mut text = String::with_capacity(12);
        self.push_date(&mut text, d);
        text
    }

    /// [`Lang::date`] written to the end of `text` (`plan log` heads every commit with one).
    pub fn push_date(self, text: &mut String, d: Date) {
        use std::fmt::Write;
        // Writing to a String does not fail.
        let _ = match self {
            // chrono's `%d-%m-%Y`, which pads a year of fewer digits to four (and signs one
            // of more, or before year 0).
            Lang::Da if (0..=9999).contains(&d.year()) => {
                write!(text, "{:02}-{:02}-{:04}", d.day(), d.month(), d.year())
            }
            Lang::Da => write!(text, "{}", d.format("%d-%m-%Y")),
            Lang::En => write!(
                text,
                "{} {} {}",
                d.day(),
                self.month_abbr(d.month()),
                d.year()
            ),
        };
    }

    /// A date as written (SPEC 9.3): a period as its text (`2025-H2`), a day as [`Lang::date`].
    pub fn when(self, w: &crate::model::When) -> String {
        match &w.period {
            Some(p) => p.clone(),
            None => self.date(w.date),
        }
    }

    /// A date in running text: `30. juni 2014` / `30 June 2014`.
    pub fn date_long(self, d: Date) -> String {
        let month = self.month_name(d.month());
        match self {
            Lang::Da => format!("{}. {month} {}", d.day(), d.year()),
            Lang::En => format!("{} {month} {}", d.day(), d.year()),
        }
    }

    /// The short name of month 1..=12: `jun.` / `Jun`.
    pub fn month_abbr(self, month: u32) -> &'static str {
        const DA: [&str; 12] = [
            "jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.",
            "dec.",
        ];
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let i = (month.clamp(1, 12) - 1) as usize;
        match self {
            Lang::Da => DA[i],
            Lang::En => EN[i],
        }
    }

    fn month_name(self, month: u32) -> &'static str {
        const DA: [&str; 12] = [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let i = (month.clamp(1, 12) - 1) as usize;
        match self {
            Lang::Da => DA[i],
            Lang::En => EN[i],
        }
    }

    /// An initiative status as people read it. (Exports keep the words of SPEC 3.)
    pub fn status(self, s: Status) -> &'static str {
        match (self, s) {
            (Lang::En, s) => s.word(),
            (Lang::Da, Status::Planned) => "planlagt",
            (Lang::Da, Status::Active) => "i gang",
            (Lang::Da, Status::OnTrack) => "som planlagt",
            (Lang::Da, Status::AtRisk) => "i risiko",
            (Lang::Da, Status::Delayed) => "forsinket",
            (Lang::Da, Status::Paused) => "sat i bero",
            (Lang::Da, Status::Done) => "gennemført",
            (Lang::Da, Status::Cancelled) => "aflyst",
        }
    }

    /// The status word of an update as people read it (the words of an initiative status).
    pub fn update(self, s: crate::model::UpdateStatus) -> &'static str {
        use crate::model::UpdateStatus as U;
        self.status(match s {
            U::OnTrack => Status::OnTrack,
            U::AtRisk => Status::AtRisk,
            U::Delayed => Status::Delayed,
            U::Paused => Status::Paused,
            U::Done => Status::Done,
            U::Cancelled => Status::Cancelled,
        })
    }

    /// A milestone state as people read it.
    pub fn milestone_state(self, s: MilestoneState) -> &'static str {
        match (self, s) {
            (Lang::En, MilestoneState::Done) => "done",
            (Lang::En, MilestoneState::DoneLate) => "done late",
            (Lang::En, MilestoneState::Overdue) => "overdue",
            (Lang::En, MilestoneState::Open) => "open",
            (Lang::En, MilestoneState::Unscheduled) => "unscheduled",
            (Lang::Da, MilestoneState::Done) => "nået",
            (Lang::Da, MilestoneState::DoneLate) => "nået for sent",
            (Lang::Da, MilestoneState::Overdue) => "overskredet",
            (Lang::Da, MilestoneState::Open) => "åben",
            (Lang::Da, MilestoneState::Unscheduled) => "ikke planlagt",
        }
    }

    /// A criterion status as people read it.
    pub fn criterion(self, s: CriterionStatus) -> &'static str {
        match (self, s) {
            (Lang::En, s) => s.word(),
            (Lang::Da, CriterionStatus::Met) => "opfyldt",
            (Lang::Da, CriterionStatus::MetLate) => "opfyldt for sent",
            (Lang::Da, CriterionStatus::Open) => "åben",
            (Lang::Da, CriterionStatus::Missed) => "ikke opfyldt",
        }
    }

    /// A target status as people read it. (Exports keep the words of SPEC 5.2.)
    pub fn target_status(self, s: crate::report::scores::TargetStatus) -> &'static str {
        use crate::report::scores::TargetStatus as T;
        match (self, s) {
            (Lang::En, s) => s.word(),
            (Lang::Da, T::Baseline) => "udgangspunkt",
            (Lang::Da, T::Met) => "nået",
            (Lang::Da, T::Missed) => "ikke nået",
            (Lang::Da, T::Pending) => "afventer",
            (Lang::Da, T::NoData) => "ingen data",
        }
    }

    /// Why a wave shows no figure: "suppressed: n < 5" / "skjult: n < 5".
    pub fn suppressed(self, min_group_size: u64) -> String {
        match self {
            Lang::Da => format!("skjult: n < {min_group_size}"),
            Lang::En => format!("suppressed: n < {min_group_size}"),
        }
    }

    /// Welch's test in words: "p = 0.003: a real change".
    pub fn change(self, p_value: &str, significant: bool) -> String {
        let p = self.decimal_str(p_value);
        match (self, significant) {
            (Lang::Da, true) => format!("p = {p}: en reel ændring"),
            (Lang::Da, false) => format!("p = {p}: kan ikke skelnes fra tilfældig variation"),
            (Lang::En, true) => format!("p = {p}: a real change"),
            (Lang::En, false) => format!("p = {p}: not distinguishable from noise"),
        }
    }

    /// The header line naming what a report shows (SPEC 10.1): "Commit 1a2b3c4 · 1 Mar 2022 ·
    /// Adopted", or "Working tree · HEAD 1a2b3c4 · … · plan files changed since HEAD".
    pub fn revision(self, r: &crate::Revision) -> String {
        let date =
            crate::dates::parse_iso_date(&r.date).map_or_else(|| r.date.clone(), |d| self.date(d));
        let commit = format!("{} · {date} · {}", r.short, r.summary);
        match (self, r.dirty) {
            (Lang::Da, None) => format!("Commit {commit}"),
            (Lang::En, None) => format!("Commit {commit}"),
            (Lang::Da, Some(true)) => {
                format!("Arbejdskopi · HEAD {commit} · planfilerne er ændret siden HEAD")
            }
            (Lang::Da, Some(false)) => {
                format!("Arbejdskopi · HEAD {commit} · planfilerne er som i HEAD")
            }
            (Lang::En, Some(true)) => {
                format!("Working tree · HEAD {commit} · plan files changed since HEAD")
            }
            (Lang::En, Some(false)) => {
                format!("Working tree · HEAD {commit} · plan files as committed")
            }
        }
    }

    /// "N warnings" with the right plural.
    pub fn warnings(self, n: usize) -> String {
        match (self, n) {
            (Lang::Da, 1) => "1 advarsel".to_string(),
            (Lang::Da, n) => format!("{n} advarsler"),
            (Lang::En, 1) => "1 warning".to_string(),
            (Lang::En, n) => format!("{n} warnings"),
        }
    }

    /// "stale 120 d" / "ikke opdateret i 120 dage".
    pub fn stale(self, days: i64) -> String {
        match self {
            Lang::Da => format!("ingen opdatering i {days} dage"),
            Lang::En => format!("stale {days} d"),
        }
    }

    /// "2 overdue" / "2 overskredet".
    pub fn overdue(self, n: usize) -> String {
        match self {
            Lang::Da => format!("{n} overskredet"),
            Lang::En => format!("{n} overdue"),
        }
    }

    /// A shift in days with its sign: "+92 d" / "+92 dage", "-14 d", "0 d".
    pub fn days_shift(self, days: i64) -> String {
        let sign = if days > 0 { "+" } else { "" };
        match self {
            Lang::Da if days.abs() == 1 => format!("{sign}{days} dag"),
            Lang::Da => format!("{sign}{days} dage"),
            Lang::En => format!("{sign}{days} d"),
        }
    }

    /// The slip beside the next milestone on the status screen (SPEC 10.4): "+92 d since
    /// vedtaget" / "+92 dage siden vedtaget", "new since vedtaget" for a milestone the
    /// baseline did not have; nothing when it has not moved, or has no due date here or at
    /// the baseline.
    pub fn slip_since(self, slip: &crate::report::slip::Slip, since: &str) -> Option<String> {
        let word = match self {
            Lang::Da => "siden",
            Lang::En => "since",
        };
        match slip.slip_days {
            Some(0) => None,
            Some(days) => Some(format!("{} {word} {since}", self.days_shift(days))),
            None if slip.new => Some(match self {
                Lang::Da => format!("ny {word} {since}"),
                Lang::En => format!("new {word} {since}"),
            }),
            None => None,
        }
    }

    /// The slip column of a card's milestones: "+92 d · moved 2×" / "+92 dage · flyttet 2
    /// gange", "new" / "ny" for a milestone the baseline did not have, "–" for one without a
    /// due date here or at the baseline.
    pub fn slip_cell(self, slip: &crate::report::slip::Slip) -> String {
        let mut cell = match slip.slip_days {
            Some(days) => self.days_shift(days),
            None if slip.new => match self {
                Lang::Da => "ny".to_string(),
                Lang::En => "new".to_string(),
            },
            None => "–".to_string(),
        };
        if slip.moves > 0 {
            cell.push_str(&match (self, slip.moves) {
                (Lang::Da, 1) => " · flyttet 1 gang".to_string(),
                (Lang::Da, n) => format!(" · flyttet {n} gange"),
                (Lang::En, n) => format!(" · moved {n}×"),
            });
        }
        cell
    }

    /// The timeline legend's hollow marker: "due at vedtaget" / "frist ved vedtaget".
    pub fn baseline_due(self, baseline: &str) -> String {
        match self {
            Lang::Da => format!("frist ved {baseline}"),
            Lang::En => format!("due at {baseline}"),
        }
    }

    /// The heading of the slip column: "Since vedtaget" / "Siden vedtaget".
    pub fn since(self, baseline: &str) -> String {
        match self {
            Lang::Da => format!("Siden {baseline}"),
            Lang::En => format!("Since {baseline}"),
        }
    }

    /// The name of an export's sheet in a workbook (SPEC 14; at most 31 characters, none of
    /// `[]:*?/\\`, as Excel wants).
    pub fn sheet_name(self, export: super::ExportReport) -> &'static str {
        use super::ExportReport as E;
        match (self, export) {
            (Lang::Da, E::Status) => "Status",
            (Lang::Da, E::Milestones) => "Milepæle",
            (Lang::Da, E::Criteria) => "Succeskriterier",
            (Lang::Da, E::Budget) => "Budget",
            (Lang::Da, E::Ledger) => "Posteringer",
            (Lang::Da, E::Scores) => "Målinger",
            (Lang::Da, E::Rounds) => "Statusrunder",
            (Lang::Da, E::Series) => "Tidsserier",
            (Lang::Da, E::Effects) => "Effekter",
            (Lang::Da, E::All) => "Handleplan",
            (Lang::En, E::Status) => "Status",
            (Lang::En, E::Milestones) => "Milestones",
            (Lang::En, E::Criteria) => "Criteria",
            (Lang::En, E::Budget) => "Budget",
            (Lang::En, E::Ledger) => "Ledger",
            (Lang::En, E::Scores) => "Scores",
            (Lang::En, E::Rounds) => "Rounds",
            (Lang::En, E::Series) => "Series",
            (Lang::En, E::Effects) => "Effects",
            (Lang::En, E::All) => "Plan",
        }
    }

    /// The words of a calendar event's description (SPEC 14): owner, state, plan, criterion.
    pub fn event_words(self) -> EventWords {
        match self {
            Lang::Da => EventWords {
                owner: "Ansvarlig",
                state: "Tilstand",
                initiative: "Initiativ",
                plan: "Plan",
                criterion: "Succeskriterium",
            },
            Lang::En => EventWords {
                owner: "Owner",
                state: "State",
                initiative: "Initiative",
                plan: "Plan",
                criterion: "Success criterion",
            },
        }
    }
}

/// The labels of a calendar event's description lines.
#[derive(Debug, Clone, Copy)]
pub struct EventWords {
    /// "Owner".
    pub owner: &'static str,
    /// "State".
    pub state: &'static str,
    /// "Initiative".
    pub initiative: &'static str,
    /// "Plan".
    pub plan: &'static str,
    /// "Success criterion".
    pub criterion: &'static str,
}

/// Every fixed word people read, in one language. Fields are named for what they label.
#[derive(Debug)]
pub struct Labels {
    /// "As of".
    pub as_of: &'static str,
    /// "of the period gone".
    pub period_gone: &'static str,
    /// "the plan ended on" (a date follows).
    pub plan_ended: &'static str,
    /// "coordinator".
    pub coordinator: &'static str,
    /// Section: initiatives.
    pub initiatives: &'static str,
    /// Section: timeline.
    pub timeline: &'static str,
    /// Section: budgets.
    pub budgets: &'static str,
    /// Section: indicators.
    pub indicators: &'static str,
    /// Section: criteria.
    pub criteria: &'static str,
    /// Section: warnings.
    pub warnings: &'static str,
    /// Column: number.
    pub number: &'static str,
    /// Column: initiative.
    pub initiative: &'static str,
    /// Column: focus area.
    pub focus: &'static str,
    /// Column: owner.
    pub owner: &'static str,
    /// Column: status.
    pub status: &'static str,
    /// Column: next milestone.
    pub next_milestone: &'static str,
    /// Column: due.
    pub due: &'static str,
    /// Column: start.
    pub start: &'static str,
    /// Column: end.
    pub end: &'static str,
    /// Column: budget.
    pub budget: &'static str,
    /// Column: total.
    pub total: &'static str,
    /// Column and series: committed.
    pub committed: &'static str,
    /// Column and series: spent.
    pub spent: &'static str,
    /// Column: plan by now.
    pub plan_by_now: &'static str,
    /// Column: projected.
    pub projected: &'static str,
    /// Column: burn bar.
    pub burn: &'static str,
    /// Column: criterion.
    pub criterion: &'static str,
    /// Column: deadline.
    pub deadline: &'static str,
    /// Column: achieved.
    pub achieved: &'static str,
    /// Column: evidence.
    pub evidence: &'static str,
    /// Column: period (of a breakdown).
    pub period: &'static str,
    /// Column: cumulative spent.
    pub cumulative_spent: &'static str,
    /// Series: the straight-line plan of a money budget.
    pub plan_line: &'static str,
    /// Series: the capacity of an hours budget.
    pub capacity: &'static str,
    /// Chart: hours used.
    pub hours_used: &'static str,
    /// Legend of the terminal burn bar.
    pub legend: &'static str,
    /// The note under `plan budget`.
    pub budget_note: &'static str,
    /// "No warnings."
    pub no_warnings: &'static str,
    /// "— run `plan check` for details".
    pub run_check: &'static str,
    /// "No budgets."
    pub no_budgets: &'static str,
    /// "No budget figures to show."
    pub no_breakdown: &'static str,
    /// "overdue" beside a milestone.
    pub overdue: &'static str,
    /// Indicator chart: baseline.
    pub baseline: &'static str,
    /// Indicator chart: target.
    pub target: &'static str,
    /// Indicator chart: actual with its 95 % interval.
    pub actual: &'static str,
    /// Column: a measured indicator's value (no interval, SPEC 12.6).
    pub value: &'static str,
    /// Column: when a measured value became known.
    pub known: &'static str,
    /// Column: wave.
    pub wave: &'static str,
    /// Section of the status screen: targets.
    pub targets: &'static str,
    /// Column: indicator.
    pub indicator: &'static str,
    /// Column: baseline → targets.
    pub trajectory: &'static str,
    /// Column: change (Welch's test).
    pub change: &'static str,
    /// An update without a status (SPEC 12.6).
    pub note: &'static str,
    /// A money budget's spending when no ledger row names it (SPEC 12.6).
    pub not_reported: &'static str,
    /// Column: a wave's response rate (SPEC 12.5).
    pub response_rate: &'static str,
    /// What a share indicator's figures are (SPEC 12.5).
    pub share_unit: &'static str,
    /// Column: survey date.
    pub survey: &'static str,
    /// Legend of the sparkline.
    pub spark_legend: &'static str,
    /// Indicator: scale.
    pub scale: &'static str,
    /// Timeline legend: an initiative without an end date.
    pub open_ended: &'static str,
    /// Timeline legend: the as-of line.
    pub today_line: &'static str,
    /// Column: code.
    pub code: &'static str,
    /// Column: where.
    pub location: &'static str,
    /// Column: message.
    pub message: &'static str,
    /// The page's footer: how it was made.
    pub made_by: &'static str,
    /// Heading: purpose.
    pub purpose: &'static str,
    /// Heading: goals.
    pub goals: &'static str,
    /// Heading: milestones.
    pub milestones: &'static str,
    /// A chart's accessible description: "Chart".
    pub chart: &'static str,
    /// Card: "Focus area".
    pub focus_area: &'static str,
    /// Card: "Goal".
    pub goal: &'static str,
    /// Card: "Part of" (the parent initiative).
    pub part_of: &'static str,
    /// Card: "Measures" (the initiatives under this one).
    pub children: &'static str,
    /// Card and report: "Partners".
    pub partners: &'static str,
    /// Card: "Updates".
    pub updates: &'static str,
    /// Card: "from" (an initiative without an end).
    pub from: &'static str,
    /// Column: milestone.
    pub milestone: &'static str,
    /// Column: done.
    pub done: &'static str,
    /// Column: state.
    pub state: &'static str,
    /// Text when a section has nothing.
    pub none: &'static str,
    /// Section: savings targets.
    pub savings: &'static str,
    /// Column: a savings target.
    pub savings_target: &'static str,
    /// Column: savings realised.
    pub realised: &'static str,
    /// Column: the gap between the plan by now and what is realised.
    pub gap: &'static str,
    /// Heading of the funding lines.
    pub funding: &'static str,
    /// Beside a funding source with `secured = false`.
    pub not_secured: &'static str,
    /// Column: a year's allocation (`--by year`).
    pub allocated: &'static str,
    /// Section: reporting rounds.
    pub rounds: &'static str,
    /// Column: round.
    pub round: &'static str,
    /// "since" before the previous round on the status screen.
    pub since: &'static str,
    /// "no change".
    pub no_change: &'static str,
    /// Beside a round's counts from the minutes.
    pub reported: &'static str,
    /// Column: date.
    pub date: &'static str,
}

/// Danish.
pub static DA: Labels = Labels {
    as_of: "Status pr.",
    period_gone: "af perioden er gået",
    plan_ended: "planen sluttede",
    coordinator: "tovholder",
    initiatives: "Initiativer",
    timeline: "Tidslinje",
    budgets: "Budgetter",
    indicators: "Indikatorer",
    criteria: "Succeskriterier",
    warnings: "Advarsler",
    number: "#",
    initiative: "Initiativ",
    focus: "Fokus",
    owner: "Ansvarlig",
    status: "Status",
    next_milestone: "Næste milepæl",
    due: "Frist",
    start: "Start",
    end: "Slut",
    budget: "Budget",
    total: "I alt",
    committed: "Disponeret",
    spent: "Forbrugt",
    plan_by_now: "Plan til dato",
    projected: "Prognose",
    burn: "Forbrug",
    criterion: "Kriterium",
    deadline: "Frist",
    achieved: "Opnået",
    evidence: "Dokumentation",
    period: "Periode",
    cumulative_spent: "Forbrugt i alt",
    plan_line: "Lineær plan",
    capacity: "Kapacitet",
    hours_used: "Brugte timer",
    legend: "█ forbrugt  ▒ disponeret  ░ ikke disponeret  │ plan til dato  ▶ over budgettet",
    budget_note: "Plan til dato: penge fordelt efter periodens dage; timer kapaciteten til dato. \
                  Prognose: forbruget i samme tempo til periodens slut.",
    no_warnings: "Ingen advarsler.",
    run_check: "kør `plan check` for detaljer",
    no_budgets: "Ingen budgetter.",
    no_breakdown: "Ingen budgettal at vise.",
    overdue: "overskredet",
    baseline: "Udgangspunkt",
    target: "Mål",
    actual: "Resultat (95 % interval)",
    value: "Resultat",
    known: "Kendt fra",
    wave: "Måling",
    targets: "Mål",
    indicator: "Indikator",
    trajectory: "Udgangspunkt → mål",
    change: "Ændring",
    response_rate: "Svarprocent",
    not_reported: "ikke indberettet",
    note: "notat",
    share_unit: "Andel af svarene, i %",
    survey: "Måling lukket",
    spark_legend: "▁…█ resultat pr. måling (lav…høj)  · intet resultat endnu",
    scale: "Skala",
    open_ended: "uden slutdato",
    today_line: "statusdato",
    code: "Kode",
    location: "Sted",
    message: "Besked",
    made_by: "Lavet med plan ud fra planens filer",
    purpose: "Formål",
    goals: "Mål",
    milestones: "Milepæle",
    chart: "Diagram",
    focus_area: "Fokusområde",
    goal: "Mål",
    part_of: "Del af",
    children: "Delinitiativer",
    partners: "Partnere",
    updates: "Opdateringer",
    from: "fra",
    milestone: "Milepæl",
    done: "Nået",
    state: "Tilstand",
    none: "Ingen.",
    savings: "Besparelser",
    savings_target: "Krav",
    realised: "Realiseret",
    gap: "Mangler",
    funding: "Finansiering",
    not_secured: "endnu ikke sikret",
    allocated: "Afsat",
    rounds: "Statusrunder",
    round: "Runde",
    since: "siden",
    no_change: "ingen ændring",
    reported: "indberettet",
    date: "Dato",
};

/// English.
pub static EN: Labels = Labels {
    as_of: "As of",
    period_gone: "of the period gone",
    plan_ended: "the plan ended on",
    coordinator: "coordinator",
    initiatives: "Initiatives",
    timeline: "Timeline",
    budgets: "Budgets",
    indicators: "Indicators",
    criteria: "Criteria",
    warnings: "Warnings",
    number: "#",
    initiative: "Initiative",
    focus: "Focus",
    owner: "Owner",
    status: "Status",
    next_milestone: "Next milestone",
    due: "Due",
    start: "Start",
    end: "End",
    budget: "Budget",
    total: "Total",
    committed: "Committed",
    spent: "Spent",
    plan_by_now: "Plan by now",
    projected: "Projected",
    burn: "Burn",
    criterion: "Criterion",
    deadline: "Deadline",
    achieved: "Achieved",
    evidence: "Evidence",
    period: "Period",
    cumulative_spent: "Cumulative spent",
    plan_line: "Straight-line plan",
    capacity: "Capacity",
    hours_used: "Hours used",
    legend: "█ spent  ▒ committed  ░ not committed  │ plan by now  ▶ above the total",
    budget_note: "Plan by now: money prorated by days of the period; hours the capacity to date. \
                  Projected: spent at the pace so far, to the period's end.",
    no_warnings: "No warnings.",
    run_check: "run `plan check` for details",
    no_budgets: "No budgets.",
    no_breakdown: "No budget figures to show.",
    overdue: "overdue",
    baseline: "Baseline",
    target: "Target",
    actual: "Actual (95 % interval)",
    value: "Actual",
    known: "Known",
    wave: "Wave",
    targets: "Targets",
    indicator: "Indicator",
    trajectory: "Baseline → targets",
    change: "Change",
    response_rate: "Response rate",
    not_reported: "not reported",
    note: "note",
    share_unit: "Share of the answers, in %",
    survey: "Survey closed",
    spark_legend: "▁…█ result per wave (low…high)  · no result yet",
    scale: "Scale",
    open_ended: "no end date",
    today_line: "as-of date",
    code: "Code",
    location: "Where",
    message: "Message",
    made_by: "Made by plan from the plan's files",
    purpose: "Purpose",
    goals: "Goals",
    milestones: "Milestones",
    chart: "Chart",
    focus_area: "Focus area",
    goal: "Goal",
    part_of: "Part of",
    children: "Parts",
    partners: "Partners",
    updates: "Updates",
    from: "from",
    milestone: "Milestone",
    done: "Done",
    state: "State",
    none: "None.",
    savings: "Savings",
    savings_target: "Target",
    realised: "Realised",
    gap: "Gap",
    funding: "Funding",
    not_secured: "not yet secured",
    allocated: "Allocated",
    rounds: "Reporting rounds",
    round: "Round",
    since: "since",
    no_change: "no change",
    reported: "reported",
    date: "Date",
};

#[cfg(test)]
mod tests {
    #[test]
    fn figures_get_the_languages_thousands_separator() {
        assert_eq!(Lang::En.figure("1016000.5"), "1,016,000.5");
        assert_eq!(Lang::Da.figure("1016000.5"), "1.016.000,5");
        assert_eq!(Lang::Da.figure("-849000"), "-849.000");
        assert_eq!(Lang::En.figure("+1234.25"), "+1,234.25");
        assert_eq!(Lang::En.figure("975.5"), "975.5");
    }

    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("test date")
    }

    #[test]
    fn the_locale_decides_the_default() {
        assert_eq!(Lang::from_locale(None, None, Some("da_DK.UTF-8")), Lang::Da);
        assert_eq!(Lang::from_locale(Some(""), None, Some("da_DK")), Lang::Da);
        assert_eq!(Lang::from_locale(Some("C"), None, Some("da_DK")), Lang::En);
        assert_eq!(Lang::from_locale(None, Some("da"), Some("en_GB")), Lang::Da);
        assert_eq!(Lang::from_locale(None, None, None), Lang::En);
        assert_eq!(Lang::from_locale(None, None, Some("POSIX")), Lang::En);
    }

    #[test]
    fn numbers_in_each_language() {
        assert_eq!(Lang::Da.money(50_000_000), "500.000 kr.");
        assert_eq!(Lang::En.money(50_000_000), "500,000 DKK");
        assert_eq!(Lang::Da.hours(192_400), "1.924 timer");
        assert_eq!(Lang::En.hours(192_400), "1,924 hours");
        assert_eq!(Lang::En.hours(100), "1 hour");
        assert_eq!(Lang::Da.money(-123_456_789), "-1.234.568 kr.");
        assert_eq!(Lang::En.money(49), "0 DKK");
        assert_eq!(Lang::Da.pct_tenths(498), "49,8 %");
        assert_eq!(Lang::En.pct_tenths(1043), "104.3 %");
        assert_eq!(Lang::En.pct_tenths(-3), "-0.3 %");
        assert_eq!(Lang::Da.pct(62.43), "62,4 %");
        assert_eq!(Lang::Da.decimal_str("7.05"), "7,05");
    }

    #[test]
    fn dates_in_each_language() {
        assert_eq!(Lang::Da.date(d("2014-06-30")), "30-06-2014");
        assert_eq!(Lang::En.date(d("2014-06-30")), "30 Jun 2014");
        assert_eq!(Lang::Da.date_long(d("2014-06-30")), "30. juni 2014");
        assert_eq!(Lang::En.date_long(d("2014-06-01")), "1 June 2014");
    }

    /// Written digit by digit, as chrono's `%d-%m-%Y` writes the same day, years of one to
    /// five digits and before year 0 included.
    #[test]
    fn a_danish_date_is_written_as_chrono_writes_it() {
        let days = [
            "-0044-03-15",
            "0007-01-09",
            "0999-12-31",
            "2024-02-29",
            "9999-12-31",
        ]
        .into_iter()
        .map(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a day"))
        .chain(chrono::NaiveDate::from_ymd_opt(10_000, 1, 1))
        .chain(d("2023-12-25").iter_days().take(400));
        for day in days {
            assert_eq!(Lang::Da.date(day), day.format("%d-%m-%Y").to_string());
        }
    }
}
