//! Validation of SPEC 12.1-12.4: an indicator's parts, breaks, benchmarks and projection, the
//! `[[effect]]` items of initiative files, and the checks across indicators that only make
//! sense once every indicator (and, for the sums, every measurement) is known.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashSet};

use rust_decimal::Decimal;
use toml::Spanned;

use super::values::Ctx;
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::figures::series;
use crate::load::{InitiativeFile, PlanFiles};
use crate::model::{self, Benchmark, Direction, Effect, Source, Split};
use crate::raw;

/// What SPEC 12 adds to an indicator, as validated from its own entry.
pub struct Extras {
    /// Named splits.
    pub parts: Vec<Split>,
    /// Breaks of the series.
    pub breaks: Vec<(String, Option<String>)>,
    /// Comparator values.
    pub benchmarks: Vec<Benchmark>,
    /// The forecast.
    pub projection: Vec<(String, Decimal)>,
    /// Targets per unit.
    pub unit_targets: Vec<(String, String, Decimal)>,
}

/// Read an indicator's `parts`, `breaks`, `benchmarks` and `projection`. `None` when one of
/// them has an error (reported).
pub fn extras(i: &raw::Indicator, cx: &mut Ctx<'_>) -> Option<Extras> {
    let mut ok = true;
    let own = i.id.get_ref();
    let mut parts = Vec::new();
    for (name, list) in &i.parts {
        let mut seen: HashSet<&str> = HashSet::default();
        let mut ids = Vec::new();
        for part in list.get_ref() {
            if !cx.id(part, "part indicator") {
                ok = false;
                continue;
            }
            let id = part.get_ref().as_str();
            if id == own {
                cx.push(
                    Diagnostic::at(
                        Code::PartsCycle,
                        cx.file,
                        part.span(),
                        format!("indicator `{own}` names itself as a part of split `{name}`"),
                    )
                    .with_help(
                        "a total is the sum of other indicators: remove it from its own parts",
                    ),
                );
                // The error stops every report; the indicator is kept so that its other
                // parts and its effects are still checked in this run.
            } else if !seen.insert(id) {
                cx.push(
                    Diagnostic::at(
                        Code::PartTwice,
                        cx.file,
                        part.span(),
                        format!("`{id}` is listed twice in split `{name}` of indicator `{own}`"),
                    )
                    .with_help("a split adds each part once: remove the second"),
                );
            } else {
                ids.push(id.to_string());
            }
        }
        parts.push(Split {
            name: name.clone(),
            parts: ids,
        });
    }
    let mut breaks = Vec::new();
    for b in &i.breaks {
        ok &= cx.id(&b.wave, "wave");
        breaks.push((b.wave.get_ref().clone(), b.note.clone()));
    }
    let mut benchmarks = Vec::new();
    for b in &i.benchmarks {
        ok &= cx.id(&b.wave, "wave");
        match cx.decimal(&b.value, "the benchmark's value", Code::InvalidValue) {
            Some(value) => benchmarks.push(Benchmark {
                wave: b.wave.get_ref().clone(),
                value,
                label: b.label.clone(),
            }),
            None => ok = false,
        }
    }
    let mut projection: Vec<(String, Decimal)> = Vec::new();
    for p in &i.projection {
        if !cx.id(&p.wave, "wave") {
            ok = false;
            continue;
        }
        if projection.iter().any(|(w, _)| w == p.wave.get_ref()) {
            cx.report(
                Code::DuplicateId,
                p.wave.span(),
                format!(
                    "indicator `{own}` has two projection values for wave `{}`",
                    p.wave.get_ref()
                ),
            );
            ok = false;
            continue;
        }
        match cx.decimal(&p.value, "the projection's value", Code::InvalidValue) {
            Some(value) => projection.push((p.wave.get_ref().clone(), value)),
            None => ok = false,
        }
    }
    let mut unit_targets = Vec::new();
    for u in &i.unit_targets {
        ok &= cx.id(&u.wave, "wave");
        match cx.decimal(&u.value, "the unit's target", Code::InvalidValue) {
            Some(value) => {
                unit_targets.push((u.unit.trim().to_string(), u.wave.get_ref().clone(), value))
            }
            None => ok = false,
        }
    }
    ok.then_some(Extras {
        parts,
        breaks,
        benchmarks,
        projection,
        unit_targets,
    })
}

/// E312: `relative_to = "projection"` on a target whose wave has no projection value.
pub fn projection_bases(i: &raw::Indicator, cx: &mut Ctx<'_>) -> bool {
    let mut ok = true;
    for t in &i.target {
        let t = t.get_ref();
        let Some(r) = t
            .relative_to
            .as_ref()
            .filter(|r| r.get_ref() == "projection")
        else {
            continue;
        };
        if i.projection
            .iter()
            .any(|p| p.wave.get_ref() == t.wave.get_ref())
        {
            continue;
        }
        cx.push(
            Diagnostic::at(
                Code::NoProjection,
                cx.file,
                r.span(),
                format!(
                    "indicator `{}` has no projection for wave `{}` for this target to build on",
                    i.id.get_ref(),
                    t.wave.get_ref()
                ),
            )
            .with_help(format!(
                "add `{{ wave = \"{}\", value = … }}` to the indicator's `projection`, or build the target on another base",
                t.wave.get_ref()
            )),
        );
        ok = false;
    }
    ok
}

/// E311: a context figure (`direction = "none"`) with targets.
pub fn context_targets(i: &raw::Indicator, direction: Option<Direction>, cx: &mut Ctx<'_>) -> bool {
    if direction != Some(Direction::None) || i.target.is_empty() {
        return true;
    }
    let span = i
        .direction
        .as_ref()
        .map_or_else(|| i.id.span(), Spanned::span);
    cx.push(
        Diagnostic::at(
            Code::ContextTarget,
            cx.file,
            span,
            format!(
                "indicator `{}` is a context figure (`direction = \"none\"`) but has targets",
                i.id.get_ref()
            ),
        )
        .with_help("a context figure is shown, never judged: remove its targets (`target = []`), or give it `direction = \"increase\"` or `\"decrease\"`"),
    );
    false
}

/// The checks across indicators (SPEC 12.2): every part is a declared indicator (E008), a
/// measured one like its total (E310), in at most one total per split name (E308), and no
/// total is a part of itself (E309). A part that writes no `direction` takes its total's.
pub fn check_parts(files: &PlanFiles, plan: &mut model::Plan, diags: &mut Diagnostics) {
    let Some(plan_file) = &files.plan else {
        return;
    };
    let mut cx = Ctx {
        file: plan_file.file,
        diags,
    };
    let sources: HashMap<String, Source> = plan
        .indicators
        .iter()
        .map(|i| (i.id.clone(), i.source))
        .collect();
    // Raw entries may have failed to validate: a part naming one is not "unknown".
    let declared: HashSet<&str> = plan_file
        .indicators
        .iter()
        .map(|i| i.id.get_ref().as_str())
        .collect();
    // (split name, part) → the total it was first seen in.
    let mut owner: HashMap<(String, String), String> = HashMap::default();
    for raw in &plan_file.indicators {
        let total = raw.id.get_ref();
        for (name, list) in &raw.parts {
            for part in list.get_ref() {
                let id = part.get_ref();
                if !declared.contains(id.as_str()) {
                    let d = Diagnostic::at(
                        Code::UnknownReference,
                        cx.file,
                        part.span(),
                        format!("part `{id}` of indicator `{total}` is not defined"),
                    );
                    // In declaration order: a tie between two near ids is broken the same
                    // way on every run.
                    let ids = plan_file.indicators.iter().map(|i| i.id.get_ref().as_str());
                    cx.push(match did_you_mean(id, ids) {
                        Some(near) => d.with_label(format!("did you mean `{near}`?")),
                        None => d.with_help(
                            "declare the part as an [[indicator]] of its own, or fix the id",
                        ),
                    });
                    continue;
                }
                let survey = |id: &str| sources.get(id) == Some(&Source::Survey);
                if survey(id) || survey(total) {
                    cx.push(
                        Diagnostic::at(
                            Code::PartsNotMeasured,
                            cx.file,
                            part.span(),
                            format!("part `{id}` of indicator `{total}`: a sum of parts is a measured figure, and one of them is a survey indicator"),
                        )
                        .with_help("set `source = \"measurement\"` on the total and on each of its parts"),
                    );
                    continue;
                }
                // The parts add up in the total's unit (SPEC 12.2).
                let unit = |id: &str| {
                    plan.indicators
                        .iter()
                        .find(|i| i.id == id)
                        .and_then(|i| i.unit.as_deref())
                };
                if let (Some(part_unit), Some(total_unit)) = (unit(id), unit(total))
                    && part_unit.trim() != total_unit.trim()
                {
                    cx.push(
                        Diagnostic::at(
                            Code::PartUnit,
                            cx.file,
                            part.span(),
                            format!("part `{id}` is in `{part_unit}`, its total `{total}` in `{total_unit}`"),
                        )
                        .with_help("a split adds its parts in the total's unit: give the part the same `unit`, or convert its figures"),
                    );
                }
                let key = (name.clone(), id.clone());
                match owner.get(&key) {
                    Some(first) if first != total => cx.push(
                        Diagnostic::at(
                            Code::PartTwice,
                            cx.file,
                            part.span(),
                            format!("`{id}` is a part of split `{name}` of both `{first}` and `{total}`"),
                        )
                        .with_help("a part belongs to at most one total per split: remove it from one of them"),
                    ),
                    _ => {
                        owner.insert(key, total.clone());
                    }
                }
            }
        }
    }
    // Cycles: a depth-first walk from every total, over every split.
    let children = part_children(plan);
    let mut reported: HashSet<&str> = HashSet::default();
    for start in children.keys() {
        if reported.contains(start) {
            continue;
        }
        if let Some(path) = cycle_from(start, &children) {
            reported.extend(path.iter().copied());
            let span = plan_file
                .indicators
                .iter()
                .find(|r| r.id.get_ref() == start)
                .map(|r| r.id.span());
            let message = format!(
                "indicators are parts of each other in a circle: {}",
                path.join(" → ")
            );
            let d = match span {
                Some(span) => Diagnostic::at(Code::PartsCycle, cx.file, span, message),
                None => Diagnostic::in_file(Code::PartsCycle, cx.file, message),
            };
            cx.push(
                d.with_help("a total cannot be a part of itself: remove one part of the circle"),
            );
        }
    }
    inherit_directions(plan_file, plan);
}

/// Each indicator's parts, over every split.
fn part_children(plan: &model::Plan) -> BTreeMap<&str, Vec<&str>> {
    plan.indicators
        .iter()
        .map(|i| {
            let parts = i.parts.iter().flat_map(|s| &s.parts).map(String::as_str);
            (i.id.as_str(), parts.collect())
        })
        .collect()
}

/// Whether totals name each other as parts in a circle (E309).
pub(crate) fn has_parts_cycle(plan: &model::Plan) -> bool {
    let children = part_children(plan);
    children
        .keys()
        .any(|start| cycle_from(start, &children).is_some())
}

/// The path of a cycle through `start`, ending with `start` again.
fn cycle_from<'a>(
    start: &'a str,
    children: &BTreeMap<&'a str, Vec<&'a str>>,
) -> Option<Vec<&'a str>> {
    let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
    let mut on_path: Vec<&str> = vec![start];
    let mut done: HashSet<&str> = HashSet::default();
    while let Some((node, index)) = stack.last_mut() {
        let next = children.get(node).and_then(|c| c.get(*index)).copied();
        *index += 1;
        match next {
            Some(child) if child == start => {
                let mut path = on_path.clone();
                path.push(start);
                return Some(path);
            }
            Some(child) if !done.contains(child) && !on_path.contains(&child) => {
                stack.push((child, 0));
                on_path.push(child);
            }
            Some(_) => {}
            None => {
                done.insert(node);
                stack.pop();
                on_path.pop();
            }
        }
    }
    None
}

/// A part that writes no `direction` takes its total's (the sectors of an emissions total
/// decrease with it), so that an effect on it is judged by the direction that matters. Only
/// a direction that is written (or inherited so) is passed down: a total that writes none
/// says nothing about its parts.
fn inherit_directions(plan_file: &crate::load::PlanFile, plan: &mut model::Plan) {
    let mut decided: HashSet<String> = plan_file
        .indicators
        .iter()
        .filter(|r| r.direction.is_some())
        .map(|r| r.id.get_ref().clone())
        .collect();
    // Nested totals pass their direction down one level per round; a cycle is an error
    // already, and the bound keeps it from looping.
    for _ in 0..plan.indicators.len() {
        let given: Vec<(String, Direction)> = plan
            .indicators
            .iter()
            .filter(|total| decided.contains(&total.id))
            .flat_map(|total| {
                total
                    .parts
                    .iter()
                    .flat_map(|s| &s.parts)
                    .map(move |p| (p.clone(), total.direction))
            })
            .filter(|(part, _)| !decided.contains(part))
            .collect();
        if given.is_empty() {
            break;
        }
        for (part, direction) in given {
            if let Some(ind) = plan.indicators.iter_mut().find(|i| i.id == part) {
                ind.direction = direction;
            }
            decided.insert(part);
        }
    }
}

/// Every wave an effect may name for an indicator: its baseline, targets, projection,
/// breaks and benchmarks, and those of every total it is a part of (an effect on a sector
/// counts towards the total's target).
fn effect_waves<'a>(plan: &'a model::Plan, indicator: &'a model::Indicator) -> Vec<&'a str> {
    let mut waves: Vec<&str> = Vec::new();
    let mut todo: Vec<&model::Indicator> = vec![indicator];
    let mut seen: HashSet<&str> = HashSet::default();
    while let Some(ind) = todo.pop() {
        if !seen.insert(&ind.id) {
            continue;
        }
        let own = ind
            .baseline_wave
            .iter()
            .map(String::as_str)
            .chain(ind.targets.iter().map(|t| t.wave.as_str()))
            .chain(ind.projection.iter().map(|p| p.0.as_str()))
            .chain(ind.breaks.iter().map(|b| b.0.as_str()))
            .chain(ind.benchmarks.iter().map(|b| b.wave.as_str()));
        for wave in own {
            if !waves.contains(&wave) {
                waves.push(wave);
            }
        }
        todo.extend(
            plan.indicators
                .iter()
                .filter(|t| t.parts.iter().any(|s| s.parts.contains(&ind.id))),
        );
    }
    waves
}

/// The `[[effect]]` items of an initiative file (SPEC 12.4): an unknown indicator or wave is
/// E008, an effect against the indicator's direction W304.
pub fn effects(file: &InitiativeFile, plan: &model::Plan, cx: &mut Ctx<'_>) -> Option<Vec<Effect>> {
    let mut ok = true;
    let mut effects = Vec::new();
    for e in &file.effects {
        let id = e.indicator.get_ref();
        let Some(indicator) = plan.indicators.iter().find(|i| &i.id == id) else {
            cx.reference(
                &e.indicator,
                plan.indicators.iter().map(|i| i.id.as_str()),
                "indicator",
            );
            ok = false;
            continue;
        };
        let waves = effect_waves(plan, indicator);
        let wave = e.wave.get_ref();
        if !waves.contains(&wave.as_str()) {
            let d = Diagnostic::at(
                Code::UnknownReference,
                cx.file,
                e.wave.span(),
                format!(
                    "wave `{wave}` is not a wave of indicator `{id}` or of a total it is part of"
                ),
            );
            cx.push(match did_you_mean(wave, waves.iter().copied()) {
                Some(near) => d.with_label(format!("did you mean `{near}`?")),
                None => d.with_help(
                    "name a target wave of the indicator (or of its total), or add the target",
                ),
            });
            ok = false;
            continue;
        }
        let Some(change) = cx.decimal(&e.change, "the effect's change", Code::InvalidValue) else {
            ok = false;
            continue;
        };
        let against = match indicator.direction {
            Direction::Increase => change < Decimal::ZERO,
            Direction::Decrease => change > Decimal::ZERO,
            Direction::None => false,
        };
        if against {
            let (wanted, got) = match indicator.direction {
                Direction::Decrease => ("decrease", "raises"),
                _ => ("increase", "lowers"),
            };
            cx.push(
                Diagnostic::at(
                    Code::EffectAgainstDirection,
                    cx.file,
                    e.change.span(),
                    format!(
                        "this effect {got} indicator `{id}` by {}, which should {wanted}",
                        change.abs().normalize()
                    ),
                )
                .with_help(
                    "check the sign of `change`: a reduction is written as a negative number",
                ),
            );
        }
        effects.push(Effect {
            indicator: id.clone(),
            wave: wave.clone(),
            change,
            note: e.note.clone(),
        });
    }
    ok.then_some(effects)
}

/// W305: effects on one total's wave given on parts of two different splits: they would
/// count twice in its planned change (SPEC 12.4). Reported once per total and wave, at the
/// first effect of the second split.
pub fn effects_two_splits(files: &PlanFiles, plan: &model::Plan, diags: &mut Diagnostics) {
    for total in plan.indicators.iter().filter(|i| i.parts.len() > 1) {
        // wave → (split name, the first effect's file and span in it)
        let mut first_split: BTreeMap<&str, &str> = BTreeMap::new();
        let mut warned: HashSet<&str> = HashSet::default();
        for file in &files.initiatives {
            for e in &file.effects {
                let wave = e.wave.get_ref().as_str();
                let Some(split) = total.parts.iter().find(|s| {
                    s.parts
                        .iter()
                        .any(|p| series::is_within(plan, p, e.indicator.get_ref()))
                }) else {
                    continue;
                };
                match first_split.get(wave) {
                    None => {
                        first_split.insert(wave, &split.name);
                    }
                    Some(first) if *first != split.name && warned.insert(wave) => {
                        diags.push(
                            Diagnostic::at(
                                Code::EffectsTwoSplits,
                                file.file,
                                e.indicator.span(),
                                format!(
                                    "effects on total `{}` in wave `{wave}` are given on parts of split `{first}` and of split `{}`: they count twice in its planned change",
                                    total.id, split.name
                                ),
                            )
                            .with_help("give every effect on this total on the parts of one split (or on the total itself)"),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
    }
}

/// A target whose `value`, `delta` or `change_pct` is a pair `[commitment, ambition]`
/// (SPEC 12.3): the target with the commitment in its place, and the ambition. A list that
/// is not a pair is E016.
pub fn commitment(
    t: &raw::Target,
    cx: &mut Ctx<'_>,
) -> (raw::Target, Option<Spanned<toml::Value>>) {
    let mut t = t.clone();
    let mut ambition = None;
    for slot in [&mut t.value, &mut t.delta, &mut t.change_pct] {
        let Some(v) = slot.as_ref() else {
            continue;
        };
        let toml::Value::Array(pair) = v.get_ref() else {
            continue;
        };
        let span = v.span();
        match pair.as_slice() {
            [first, second] => {
                ambition = Some(Spanned::new(span.clone(), second.clone()));
                *slot = Some(Spanned::new(span, first.clone()));
            }
            _ => {
                cx.push(
                    Diagnostic::at(
                        Code::InvalidTarget,
                        cx.file,
                        span,
                        "a range target is a pair: `[commitment, ambition]`",
                    )
                    .with_help(
                        "write the range as two numbers, `value = [10, 15]`, or give one number",
                    ),
                );
                // Not a number either: the check of the form reports nothing more.
                *slot = Some(Spanned::new(v.span(), toml::Value::Array(Vec::new())));
            }
        }
    }
    (t, ambition)
}

/// The ambition of a range, in the commitment's form.
pub fn ambition(
    rule: model::TargetRule,
    ambition: Option<&Spanned<toml::Value>>,
    cx: &mut Ctx<'_>,
) -> Option<model::TargetRule> {
    let d = cx.decimal(ambition?, "the ambition", Code::InvalidValue)?;
    Some(match rule {
        model::TargetRule::Delta(_) => model::TargetRule::Delta(d),
        model::TargetRule::Value(_) => model::TargetRule::Value(d),
        model::TargetRule::ChangePct(_) => model::TargetRule::ChangePct(d),
    })
}

/// `relative_to = "1990"`: a wave of the series (SPEC 12.3). A wave id begins with a digit
/// (the year); anything else is one of the words, and a misspelt word is told so.
pub fn relative_wave(t: &raw::Target) -> Option<String> {
    let r = t.relative_to.as_ref()?.get_ref();
    let is_word = model::RelativeTo::WORDS.iter().any(|(w, _)| w == r);
    (!is_word && r.starts_with(|c: char| c.is_ascii_digit())).then(|| r.clone())
}
