//! Stage 4, report: slippage against the baseline (SPEC 10.4). Pure: it reads the plan's
//! [`Baseline`](crate::model::Baseline), which the history stage filled.

use serde::Serialize;

use crate::model::{Baseline, Date, Milestone};

/// One milestone against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Slip {
    /// Its due date at the baseline; blank for a milestone added since.
    pub baseline_due: Option<Date>,
    /// Due − baseline due, in days (positive: later); blank without a baseline due.
    pub slip_days: Option<i64>,
    /// How many first-parent commits since the baseline changed its due date.
    pub moves: u32,
    /// Added since the baseline: the baseline did not have it. A milestone the baseline had
    /// without a due date (unscheduled) is not new, though it has no baseline due either.
    pub new: bool,
}

/// Milestone `m` of initiative `initiative` against the baseline (the plan's `baseline`);
/// `None` without one. A due written as a period counts as its last day (SPEC 9.3); an
/// unscheduled milestone has no slip.
pub fn slip(baseline: Option<&Baseline>, initiative: &str, m: &Milestone) -> Option<Slip> {
    let baseline = baseline?;
    let at = baseline
        .milestones
        .get(&(initiative.to_string(), m.id.clone()))
        .copied()
        .unwrap_or_default();
    Some(Slip {
        baseline_due: at.due,
        slip_days: at
            .due
            .zip(m.due.as_ref())
            .map(|(b, due)| crate::dates::days_between(b, due.date)),
        moves: at.moves,
        new: !at.at_baseline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BaselineMilestone, Dues};

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn dues(rows: &[(&str, &str, &str)]) -> Dues {
        rows.iter()
            .map(|(i, m, due)| {
                // "" is an unscheduled milestone.
                let due = (!due.is_empty()).then(|| d(due));
                ((i.to_string(), m.to_string()), due)
            })
            .collect()
    }

    fn key(i: &str, m: &str) -> (String, String) {
        (i.to_string(), m.to_string())
    }

    #[test]
    fn moves_count_the_commits_that_changed_a_due_since_the_baseline() {
        let baseline = Baseline::from_snapshots(
            "vedtaget",
            [
                // the baseline
                Some(dues(&[
                    ("I6", "M2", "2021-12-31"),
                    ("I1", "M1", "2020-06-30"),
                ])),
                // unchanged
                Some(dues(&[
                    ("I6", "M2", "2021-12-31"),
                    ("I1", "M1", "2020-06-30"),
                ])),
                // I6-M2 moved; I8-M1 added
                Some(dues(&[
                    ("I6", "M2", "2022-06-30"),
                    ("I1", "M1", "2020-06-30"),
                    ("I8", "M1", "2022-09-30"),
                ])),
                // a commit whose plan could not be read: skipped
                None,
                // I6-M2 moved again, I8-M1 moved once; I1-M1 removed
                Some(dues(&[
                    ("I6", "M2", "2022-12-31"),
                    ("I8", "M1", "2022-10-31"),
                ])),
                // I1-M1 back with the same due: not a move
                Some(dues(&[
                    ("I6", "M2", "2022-12-31"),
                    ("I8", "M1", "2022-10-31"),
                    ("I1", "M1", "2020-06-30"),
                ])),
            ],
        );
        assert_eq!(baseline.name, "vedtaget");
        assert_eq!(
            baseline.milestones[&key("I6", "M2")],
            BaselineMilestone {
                due: Some(d("2021-12-31")),
                moves: 2,
                at_baseline: true,
            }
        );
        assert_eq!(
            baseline.milestones[&key("I8", "M1")],
            BaselineMilestone {
                due: None,
                moves: 1,
                at_baseline: false,
            }
        );
        assert_eq!(
            baseline.milestones[&key("I1", "M1")],
            BaselineMilestone {
                due: Some(d("2020-06-30")),
                moves: 0,
                at_baseline: true,
            }
        );
    }

    #[test]
    fn an_unreadable_baseline_commit_gives_no_baseline_dues() {
        let baseline = Baseline::from_snapshots(
            "v1",
            [
                None,
                Some(dues(&[("A", "M1", "2021-01-31")])),
                Some(dues(&[("A", "M1", "2021-02-28")])),
            ],
        );
        assert_eq!(
            baseline.milestones[&key("A", "M1")],
            BaselineMilestone {
                due: None,
                moves: 1,
                at_baseline: false,
            }
        );
    }

    #[test]
    fn an_unscheduled_milestone_at_the_baseline_is_not_new() {
        let baseline = Baseline::from_snapshots(
            "vedtaget",
            [
                // A-M2 unscheduled at the baseline.
                Some(dues(&[("A", "M1", "2021-06-30"), ("A", "M2", "")])),
                // A-M3 added, unscheduled.
                Some(dues(&[
                    ("A", "M1", "2021-06-30"),
                    ("A", "M2", ""),
                    ("A", "M3", ""),
                ])),
                // A-M2 scheduled: not a move.
                Some(dues(&[
                    ("A", "M1", "2021-06-30"),
                    ("A", "M2", "2021-10-31"),
                    ("A", "M3", ""),
                ])),
            ],
        );
        let m2 = baseline.milestones[&key("A", "M2")];
        assert_eq!(
            m2,
            BaselineMilestone {
                due: None,
                moves: 0,
                at_baseline: true,
            }
        );
        assert!(!baseline.milestones[&key("A", "M3")].at_baseline);
        let unscheduled = |id: &str| Milestone {
            id: id.to_string(),
            title: "t".to_string(),
            due: None,
            done: None,
        };
        let at = Some(&baseline);
        assert_eq!(
            slip(at, "A", &unscheduled("M2")),
            Some(Slip {
                baseline_due: None,
                slip_days: None,
                moves: 0,
                new: false,
            })
        );
        assert_eq!(slip(at, "A", &unscheduled("M3")).map(|s| s.new), Some(true));
        // As the card and the status screen show them.
        let m2 = slip(at, "A", &unscheduled("M2")).expect("slip");
        assert_eq!(crate::render::lang::Lang::En.slip_cell(&m2), "–");
        assert_eq!(
            crate::render::lang::Lang::En.slip_since(&m2, "vedtaget"),
            None
        );
        let m3 = slip(at, "A", &unscheduled("M3")).expect("slip");
        assert_eq!(crate::render::lang::Lang::Da.slip_cell(&m3), "ny");
    }

    #[test]
    fn slip_days_are_due_minus_baseline_due() {
        let milestone = |id: &str, due: &str| Milestone {
            id: id.to_string(),
            title: "t".to_string(),
            due: Some(crate::model::When::exact(d(due))),
            done: None,
        };
        let mut milestones = std::collections::BTreeMap::new();
        milestones.insert(
            key("I6", "M2"),
            BaselineMilestone {
                due: Some(d("2021-12-31")),
                moves: 2,
                at_baseline: true,
            },
        );
        milestones.insert(
            key("I6", "M1"),
            BaselineMilestone {
                due: Some(d("2021-03-31")),
                moves: 1,
                at_baseline: true,
            },
        );
        let baseline = Baseline {
            name: "vedtaget".into(),
            milestones,
        };
        let plan = Some(&baseline);
        assert_eq!(
            slip(plan, "I6", &milestone("M2", "2022-12-31")),
            Some(Slip {
                baseline_due: Some(d("2021-12-31")),
                slip_days: Some(365),
                moves: 2,
                new: false,
            })
        );
        // Earlier than the baseline: negative.
        assert_eq!(
            slip(plan, "I6", &milestone("M1", "2021-03-01")).and_then(|s| s.slip_days),
            Some(-30)
        );
        // Added since the baseline: no baseline due, no slip, no moves.
        assert_eq!(
            slip(plan, "I6", &milestone("M9", "2022-01-01")),
            Some(Slip {
                baseline_due: None,
                slip_days: None,
                moves: 0,
                new: true,
            })
        );
        // No baseline: nothing.
        assert_eq!(slip(None, "I6", &milestone("M2", "2022-12-31")), None);
    }
}

/// The reports and renderers with a baseline given as plain data (the history stage fills the
/// same field): the Fjordby example as of 2022-06-30, with I6-M2 moved twice from 2021-12-31,
/// I5-M2 once from 2022-06-30 and I8 added after the baseline.
#[cfg(test)]
mod rendered {
    use crate::model::{Baseline, BaselineMilestone, Date, Dues, Ledger, Plan};
    use crate::render::lang::Lang;
    use crate::report::Cell;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn fjordby(baseline: bool) -> (Plan, Ledger) {
        let ctx = crate::Context {
            plan_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/examples/fjordby").into(),
            as_of: d("2022-06-30"),
            today: Date::MAX,
            format: None,
            color_out: false,
            color_err: false,
            lang: Lang::En,
            rev: None,
            baseline: None,
        };
        let loaded = crate::load(&ctx).expect("load");
        let mut plan = loaded.plan.expect("plan");
        if baseline {
            // Every milestone as it is today, but those that moved; I8 is not in it.
            let now: Dues = plan
                .initiatives
                .iter()
                .filter(|i| i.id != "I8")
                .flat_map(|i| {
                    i.milestones
                        .iter()
                        .map(|m| ((i.id.clone(), m.id.clone()), m.due.as_ref().map(|w| w.date)))
                })
                .collect();
            let mut at_baseline = now.clone();
            at_baseline.insert(("I6".into(), "I6-M2".into()), Some(d("2021-12-31")));
            at_baseline.insert(("I5".into(), "I5-M2".into()), Some(d("2022-06-30")));
            let mut between = now.clone();
            between.insert(("I6".into(), "I6-M2".into()), Some(d("2022-06-30")));
            let mut today = now;
            today.extend(
                plan.initiatives
                    .iter()
                    .filter(|i| i.id == "I8")
                    .flat_map(|i| {
                        i.milestones
                            .iter()
                            .map(|m| ((i.id.clone(), m.id.clone()), m.due.as_ref().map(|w| w.date)))
                    }),
            );
            plan.baseline = Some(Baseline::from_snapshots(
                "vedtaget",
                [Some(at_baseline), Some(between), Some(today)],
            ));
        }
        (plan, loaded.ledger)
    }

    fn status_text(plan: &Plan, ledger: &Ledger, lang: Lang) -> String {
        let report = crate::report::status::status_report(plan, ledger, d("2022-06-30"), 0);
        let mut out = Vec::new();
        crate::render::status::write_text(&mut out, &report, false, lang).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    fn line<'a>(text: &'a str, title: &str) -> &'a str {
        text.lines()
            .find(|l| l.contains(title))
            .unwrap_or_else(|| panic!("no line with {title}:\n{text}"))
    }

    #[test]
    fn the_baseline_is_built_as_given() {
        let (plan, _) = fjordby(true);
        let baseline = plan.baseline.expect("baseline");
        let get = |i: &str, m: &str| baseline.milestones[&(i.to_string(), m.to_string())];
        assert_eq!(
            get("I6", "I6-M2"),
            BaselineMilestone {
                due: Some(d("2021-12-31")),
                moves: 2,
                at_baseline: true,
            }
        );
        assert_eq!(
            get("I8", "I8-M1"),
            BaselineMilestone {
                due: None,
                moves: 0,
                at_baseline: false,
            }
        );
    }

    #[test]
    fn status_shows_the_slip_beside_the_next_milestone() {
        let (plan, ledger) = fjordby(true);
        let text = status_text(&plan, &ledger, Lang::En);
        assert!(
            line(&text, "Trådløst netværk").contains("31 Dec 2022 · +365 d since vedtaget"),
            "{text}"
        );
        assert!(
            line(&text, "Fælles datavarehus").contains("1 Oct 2022 · +93 d since vedtaget"),
            "{text}"
        );
        assert!(
            line(&text, "Afprøvning af velfærdsteknologi").contains("new since vedtaget"),
            "{text}"
        );
        // A milestone that has not moved shows no slip.
        assert!(
            !line(&text, "Mobile arbejdsgange").contains("since"),
            "{text}"
        );
        let da = status_text(&plan, &ledger, Lang::Da);
        assert!(
            line(&da, "Trådløst netværk").contains("31-12-2022 · +365 dage siden vedtaget"),
            "{da}"
        );

        // Without a baseline the screen is as before: no slip anywhere.
        let (plain, ledger) = fjordby(false);
        let text = status_text(&plain, &ledger, Lang::En);
        assert!(!text.contains("since"), "{text}");
        // The status JSON carries the slip only with a baseline.
        let report = crate::report::status::status_report(&plan, &ledger, d("2022-06-30"), 0);
        let json = serde_json::to_value(&report).expect("json");
        assert_eq!(json["baseline"], "vedtaget");
        let i6 = json["initiatives"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["id"] == "I6"))
            .expect("I6");
        assert_eq!(i6["next_slip"]["slip_days"], 365);
        assert_eq!(i6["next_slip"]["moves"], 2);
        assert_eq!(i6["next_slip"]["baseline_due"], "2021-12-31");
        let report = crate::report::status::status_report(&plain, &ledger, d("2022-06-30"), 0);
        let json = serde_json::to_value(&report).expect("json");
        assert!(json.get("baseline").is_none());
        assert!(json["initiatives"][0].get("next_slip").is_none());
    }

    #[test]
    fn the_milestones_export_ends_with_baseline_due_slip_days_and_moves() {
        let (plan, _) = fjordby(true);
        let table = crate::report::status::milestones_table(&plan, d("2022-06-30"));
        assert_eq!(table.columns[6..], ["baseline_due", "slip_days", "moves"]);
        let row = |m: &str| {
            table
                .rows
                .iter()
                .find(|r| r[1] == Cell::Text(m.to_string()))
                .map(|r| r[6..].to_vec())
                .unwrap_or_else(|| panic!("no row {m}"))
        };
        assert_eq!(
            row("I6-M2"),
            [
                Cell::Date(d("2021-12-31")),
                Cell::Integer(365),
                Cell::Integer(2)
            ]
        );
        assert_eq!(
            row("I5-M2"),
            [
                Cell::Date(d("2022-06-30")),
                Cell::Integer(93),
                Cell::Integer(1)
            ]
        );
        assert_eq!(
            row("I1-M1"),
            [
                Cell::Date(d("2020-06-30")),
                Cell::Integer(0),
                Cell::Integer(0)
            ]
        );
        // Added since the baseline: no baseline due, no slip, no moves.
        assert_eq!(row("I8-M1"), [Cell::Blank, Cell::Blank, Cell::Integer(0)]);

        // Without a baseline the columns are there and blank.
        let (plain, _) = fjordby(false);
        let table = crate::report::status::milestones_table(&plain, d("2022-06-30"));
        assert_eq!(table.columns.len(), 9);
        assert!(
            table
                .rows
                .iter()
                .all(|r| r[6..] == [Cell::Blank, Cell::Blank, Cell::Blank])
        );
    }

    #[test]
    fn the_card_shows_every_milestones_slip() {
        let (plan, ledger) = fjordby(true);
        let i6 = plan.initiatives.iter().find(|i| i.id == "I6").expect("I6");
        let card = crate::report::initiatives::card(i6, &plan, &ledger, d("2022-06-30"));
        let mut out = Vec::new();
        crate::render::card::write_text(&mut out, &card, false, Lang::En).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("Since vedtaget"), "{text}");
        assert!(line(&text, "I6-M2").contains("+365 d · moved 2×"), "{text}");
        assert!(line(&text, "I6-M1").trim_end().ends_with("0 d"), "{text}");

        let mut out = Vec::new();
        crate::render::card::write_markdown(&mut out, &card, Lang::Da).expect("write");
        let md = String::from_utf8(out).expect("utf-8");
        assert!(
            md.contains("| Siden vedtaget |\n|---|---|---|---|---|---|"),
            "{md}"
        );
        assert!(
            line(&md, "I6-M2").ends_with("| +365 dage · flyttet 2 gange |"),
            "{md}"
        );

        let i8 = plan.initiatives.iter().find(|i| i.id == "I8").expect("I8");
        let card = crate::report::initiatives::card(i8, &plan, &ledger, d("2022-06-30"));
        let mut out = Vec::new();
        crate::render::card::write_text(&mut out, &card, false, Lang::En).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(line(&text, "I8-M1").trim_end().ends_with("new"), "{text}");

        // Without a baseline: no slip column.
        let (plain, ledger) = fjordby(false);
        let i6 = plain.initiatives.iter().find(|i| i.id == "I6").expect("I6");
        let card = crate::report::initiatives::card(i6, &plain, &ledger, d("2022-06-30"));
        let mut out = Vec::new();
        crate::render::card::write_text(&mut out, &card, false, Lang::En).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(!text.contains("Since"), "{text}");
    }

    #[test]
    fn the_reports_timeline_draws_a_hollow_marker_at_each_baseline_due() {
        let page = |baseline: bool| {
            let (plan, ledger) = fjordby(baseline);
            let report = crate::report::page::page_report(&plan, &ledger, d("2022-06-30"), vec![]);
            crate::render::html::page(&report, Lang::En).expect("page")
        };
        let with = page(true);
        let without = page(false);
        // One hollow diamond per milestone the baseline has (all but I8-M1), and one line per
        // milestone that moved (I6-M2, I5-M2).
        let (plan, _) = fjordby(true);
        let at_baseline = plan
            .baseline
            .as_ref()
            .map(|b| b.milestones.values().filter(|m| m.due.is_some()).count())
            .expect("baseline");
        assert_eq!(at_baseline, 18);
        let count = |page: &str, what: &str| page.matches(what).count();
        assert_eq!(
            count(&with, "<polygon") - count(&without, "<polygon"),
            at_baseline
        );
        assert_eq!(
            count(&with, "<polyline") - count(&without, "<polyline"),
            at_baseline + 2
        );
        assert!(with.contains("◇</span> due at vedtaget"), "legend");
        assert!(!without.contains("due at"));
        // The initiatives table shows the slip beside the next due date; a table under the
        // timeline lists every milestone that moved or is new since the baseline.
        assert!(with.contains("+365 d since vedtaget"));
        let doc = scraper::Html::parse_document(&with);
        let rows = scraper::Selector::parse("#timeline table.slips tbody tr").expect("selector");
        let rows: Vec<String> = doc
            .select(&rows)
            .map(|r| r.text().collect::<Vec<_>>().join("|"))
            .collect();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(
            rows.iter()
                .any(|r| r.contains("I6-M2") && r.contains("+365 d · moved 2×")),
            "{rows:?}"
        );
        assert!(
            rows.iter()
                .any(|r| r.contains("I8-M1") && r.ends_with("new")),
            "{rows:?}"
        );
        assert!(!without.contains("class=\"slips\""));
    }
}
