//! The checks of `[[indicator]]` and `[[survey]]` (SPEC 5, 9.1, 9.2): targets, waves, declared
//! survey files, and the baseline warnings that compare a written value with the files.

use foldhash::HashSet;

use rust_decimal::Decimal;
use toml::Spanned;

use super::fields::declared_path;
use super::values::Ctx;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::{PlanFile, PlanFiles};
use crate::model::{self, Date, Direction, RelativeTo, Source, TargetRule};
use crate::raw;
use crate::tree::{self, Tree};

pub(super) fn indicator(i: &raw::Indicator, cx: &mut Ctx<'_>) -> Option<model::Indicator> {
    // Every check runs even when an earlier one failed, so that one run shows them all.
    let source = match &i.source {
        Some(s) => cx.word(
            s,
            &[
                ("survey", Source::Survey),
                ("measurement", Source::Measurement),
            ],
            Code::InvalidValue,
            "indicator source",
        ),
        None => Some(Source::Survey),
    };
    let (min, max, scale_ok) = match &i.scale {
        Some(scale_value) => {
            let scale = scale_value.get_ref();
            let min = cx.decimal(&scale.min, "scale.min", Code::InvalidValue);
            let max = cx.decimal(&scale.max, "scale.max", Code::InvalidValue);
            let ok = match (min, max) {
                (Some(min), Some(max)) if min >= max => {
                    cx.report(
                        Code::InvalidTarget,
                        scale_value.span(),
                        format!("the scale's min ({min}) must be below its max ({max})"),
                    );
                    false
                }
                (Some(_), Some(_)) => true,
                _ => false,
            };
            (min, max, ok)
        }
        // A measured figure needs no scale (SPEC 9.1); a survey answer does.
        None if source == Some(Source::Survey) => {
            cx.push(
                Diagnostic::at(
                    Code::MissingKey,
                    cx.file,
                    i.id.span(),
                    format!("survey indicator `{}` has no `scale`", i.id.get_ref()),
                )
                .with_help("add `scale = { min = …, max = … }`, or `source = \"measurement\"` for a figure from a register or an account"),
            );
            (None, None, false)
        }
        None => (None, None, true),
    };
    let bounds = min.zip(max).filter(|_| scale_ok);
    // A share's figures, its targets too, are percentages, whatever the answers' scale.
    let share = super::shares::measure(i, source, bounds, cx);
    let bounds = super::shares::figure_bounds(i, bounds);
    let off_scale = |cx: &mut Ctx<'_>, d: Decimal, span, what: &str| -> bool {
        match bounds {
            Some((min, max)) if d < min || d > max => {
                cx.report(
                    Code::InvalidTarget,
                    span,
                    format!("{what} {d} is outside the scale {min}..{max}"),
                );
                true
            }
            _ => false,
        }
    };
    let on_scale = |cx: &mut Ctx<'_>, v: &Spanned<toml::Value>, what: &str| -> Option<Decimal> {
        let d = cx.decimal(v, what, Code::InvalidValue)?;
        (!off_scale(cx, d, v.span(), what)).then_some(d)
    };
    let precision = match &i.precision {
        Some(p) if (0..=6).contains(p.get_ref()) => u32::try_from(*p.get_ref()).ok(),
        Some(p) => {
            cx.report(
                Code::InvalidValue,
                p.span(),
                "precision must be between 0 and 6 decimals",
            );
            None
        }
        None => Some(2),
    };
    let baseline = i.baseline.as_ref().map(Spanned::get_ref);
    let mut ok = baseline.is_none_or(|b| cx.id(&b.wave, "wave"));
    let baseline_value = match baseline.and_then(|b| b.value.as_ref()) {
        Some(v) => {
            let value = on_scale(cx, v, "the baseline value");
            ok &= value.is_some();
            value
        }
        None => None,
    };
    let mut targets = Vec::new();
    let mut waves: HashSet<&str> = HashSet::default();
    // The targets that can be computed from plan.toml alone, for the scale check.
    let mut known: Option<Decimal> = baseline_value;
    for (index, t) in i.target.iter().enumerate() {
        // A range `[commitment, ambition]` (SPEC 12.3): the commitment is the target.
        let (commitment, ambition_value) = super::series::commitment(t.get_ref(), cx);
        let target = &commitment;
        if !cx.id(&target.wave, "wave") {
            ok = false;
            continue;
        }
        if !waves.insert(t.get_ref().wave.get_ref()) {
            cx.report(
                Code::DuplicateId,
                target.wave.span(),
                format!(
                    "indicator `{}` has two targets for wave `{}`",
                    i.id.get_ref(),
                    target.wave.get_ref()
                ),
            );
            ok = false;
            continue;
        }
        let rule = match (&target.delta, &target.value, &target.change_pct) {
            (Some(delta), None, None) => cx
                .decimal(delta, "delta", Code::InvalidValue)
                .map(TargetRule::Delta),
            (None, Some(value), None) => {
                on_scale(cx, value, "the target value").map(TargetRule::Value)
            }
            (None, None, Some(pct)) => cx
                .decimal(pct, "change_pct", Code::InvalidValue)
                .map(TargetRule::ChangePct),
            // The messages of format 1 before `change_pct`, unchanged for files without it;
            // the help names every form, `change_pct` too.
            (delta, value, None) => {
                let verb = if delta.is_none() && value.is_none() {
                    "give the target one of"
                } else {
                    "keep one of"
                };
                cx.push(
                    Diagnostic::at(
                        Code::InvalidTarget,
                        cx.file,
                        t.span(),
                        "a target needs exactly one of `delta` or `value`",
                    )
                    .with_help(format!(
                        "{verb} `delta = 0.25` (a change from the baseline), `value = 7.0` (the figure itself) or `change_pct = -2` (a change in per cent)"
                    )),
                );
                None
            }
            (_, _, Some(_)) => {
                cx.push(
                    Diagnostic::at(
                        Code::InvalidTarget,
                        cx.file,
                        t.span(),
                        "a target needs exactly one of `delta`, `value` or `change_pct`",
                    )
                    .with_help("keep the one form the plan states, and remove the others"),
                );
                None
            }
        };
        let relative_wave = super::series::relative_wave(target);
        let relative_to = match &target.relative_to {
            Some(_) if relative_wave.is_some() => Some(RelativeTo::Wave),
            Some(r) => {
                let word = cx.word(r, RelativeTo::WORDS, Code::InvalidValue, "`relative_to`");
                // The list of waves starts with the baseline: without one, the first target
                // is the first wave, with nothing before it (SPEC 9.2).
                let previous = matches!(
                    word,
                    Some(RelativeTo::PreviousActual | RelativeTo::PreviousTarget)
                );
                if previous && index == 0 && i.baseline.is_none() {
                    cx.push(
                        Diagnostic::at(
                            Code::NoPreviousWave,
                            cx.file,
                            r.span(),
                            format!(
                                "the first target of indicator `{}` has no previous wave: the indicator has no `baseline`",
                                i.id.get_ref()
                            ),
                        )
                        .with_help("add a `baseline` (the first wave of the list), or give the first target as a `value`"),
                    );
                    ok = false;
                }
                if matches!(rule, Some(TargetRule::Value(_))) {
                    cx.report(
                        Code::InvalidTarget,
                        r.span(),
                        "`relative_to` applies to `delta` and `change_pct`, not to a `value` target",
                    );
                    ok = false;
                }
                word
            }
            None => Some(RelativeTo::Baseline),
        };
        // A base that is the baseline, where there is none (SPEC 9.2).
        if let (Some(rule), Some(relative)) = (rule, relative_to)
            && rule.needs_base()
            && i.baseline.is_none()
            && relative == RelativeTo::Baseline
        {
            cx.push(
                Diagnostic::at(
                    Code::NoBaseline,
                    cx.file,
                    t.span(),
                    format!(
                        "indicator `{}` has no `baseline` for this target to build on",
                        i.id.get_ref()
                    ),
                )
                .with_help(
                    "add `baseline = { wave = …, value = … }`, or give the target as a `value`",
                ),
            );
            ok = false;
        }
        // A target that lands off the scale can never be met: say so now, not in 2015.
        let computed = match (rule, relative_to, precision) {
            (Some(TargetRule::Value(v)), _, _) => Some(v),
            (Some(rule), Some(RelativeTo::Baseline), Some(p)) => rule.target(baseline_value, p),
            (Some(rule), Some(RelativeTo::PreviousTarget), Some(p)) => rule.target(known, p),
            _ => None,
        };
        if let (Some(value), Some(rule)) = (computed, rule)
            && rule.needs_base()
            && off_scale(cx, value, t.span(), "the target")
        {
            ok = false;
        }
        known = computed;
        match (rule, relative_to) {
            (Some(rule), Some(relative_to)) => targets.push(model::Target {
                wave: target.wave.get_ref().clone(),
                rule,
                relative_to,
                relative_wave,
                ambition: super::series::ambition(rule, ambition_value.as_ref(), cx),
            }),
            _ => ok = false,
        }
    }
    let direction = match &i.direction {
        Some(d) => cx.word(
            d,
            &[
                ("increase", Direction::Increase),
                ("decrease", Direction::Decrease),
                ("none", Direction::None),
            ],
            Code::InvalidValue,
            "direction",
        ),
        None => Some(Direction::Increase),
    };
    let extras = super::series::extras(i, cx);
    ok &= super::series::context_targets(i, direction, cx);
    ok &= super::series::projection_bases(i, cx);
    if !(ok && scale_ok) {
        return None;
    }
    let extras = extras?;
    Some(model::Indicator {
        id: i.id.get_ref().clone(),
        title: i.title.clone(),
        question: i.question.clone(),
        source: source?,
        unit: i.unit.clone(),
        scale_min: bounds.map(|b| b.0),
        scale_max: bounds.map(|b| b.1),
        precision: precision?,
        baseline_wave: baseline.map(|b| b.wave.get_ref().clone()),
        baseline_value,
        targets,
        direction: direction?,
        parts: extras.parts,
        breaks: extras.breaks,
        benchmarks: extras.benchmarks,
        projection: extras.projection,
        unit_targets: extras.unit_targets,
        share: share?,
    })
}

/// E404: `s` declares a file for a wave that an earlier [[survey]] entry declares already, so
/// its respondents would count twice. Reported at the second entry, which is then left out.
pub(super) fn declared_again(
    s: &raw::Survey,
    all: &[raw::Survey],
    tree: &dyn Tree,
    cx: &mut Ctx<'_>,
) -> bool {
    let key = |s: &raw::Survey| {
        tree::resolve(tree, s.file.get_ref())
            .ok()
            .map(|file| (file, s.wave.get_ref().clone()))
    };
    let Some(mine) = key(s) else {
        return false;
    };
    let Some(first) = all
        .iter()
        .take_while(|other| !std::ptr::eq(*other, s))
        .find(|other| key(other).as_ref() == Some(&mine))
    else {
        return false;
    };
    cx.push(
        Diagnostic::at(
            Code::DuplicateSurvey,
            cx.file,
            s.file.span(),
            format!(
                "`{}` is declared a second time for wave `{}`: every respondent would count twice",
                s.file.get_ref(),
                s.wave.get_ref()
            ),
        )
        .with_secondary(cx.file, first.file.span(), "declared first here")
        .with_help("remove one of the two [[survey]] entries"),
    );
    true
}

pub(super) fn survey(s: &raw::Survey, tree: &dyn Tree, cx: &mut Ctx<'_>) -> Option<model::Survey> {
    let wave_ok = cx.id(&s.wave, "wave");
    let date = cx.date(&s.date, "the survey date");
    let file_ok = declared_path(cx, tree, &s.file, true);
    let layout = match &s.layout {
        Some(l) => Some(cx.word(
            l,
            &[
                ("aggregated", "aggregated"),
                ("respondents", "respondents"),
                ("frequencies", "frequencies"),
            ],
            Code::InvalidValue,
            "survey layout",
        )?),
        None => None,
    };
    let invited = super::shares::invited(s, cx);
    if !(wave_ok && file_ok) {
        return None;
    }
    Some(model::Survey {
        wave: s.wave.get_ref().clone(),
        date: date?,
        file: s.file.get_ref().clone(),
        layout: layout.map(str::to_string),
        columns: s
            .columns
            .iter()
            .flatten()
            .map(|(k, v)| model::ColumnMapping {
                canonical: k.clone(),
                header: v.get_ref().clone(),
                written_at: (cx.file, v.span()),
            })
            .collect(),
        missing: s.missing.clone().unwrap_or_default(),
        // A wrong `invited` is reported; the file is still read for its other problems.
        invited: invited.flatten(),
        respondents: None,
    })
}

/// W203: a `[[survey]]` wave that no indicator names as its baseline or a target wave. Its file
/// is read and checked, and then shown nowhere: most often the indicator's wave is misspelt,
/// or the target not yet written. Said once per wave, at its first entry. Indicators are taken
/// as written, so that an indicator with an error of its own does not add this warning.
pub(super) fn unused_waves(file: &PlanFile, cx: &mut Ctx<'_>) {
    let named: HashSet<&str> = file
        .indicators
        .iter()
        .flat_map(|i| {
            let baseline = i.baseline.as_ref().map(|b| b.get_ref().wave.get_ref());
            let targets = i.target.iter().map(|t| t.get_ref().wave.get_ref());
            baseline.into_iter().chain(targets)
        })
        .map(String::as_str)
        .collect();
    let mut warned: HashSet<&str> = HashSet::default();
    for survey in &file.surveys {
        let wave = survey.wave.get_ref().as_str();
        if named.contains(wave) || !warned.insert(wave) {
            continue;
        }
        let message = format!(
            "survey wave `{wave}` is named by no indicator: its file `{}` is read and shown nowhere",
            survey.file.get_ref()
        );
        // No did-you-mean: waves are years, and every year is one letter from the next.
        cx.push(
            Diagnostic::at(Code::UnusedWave, cx.file, survey.wave.span(), message).with_help(
                format!(
                    "name it in an indicator's `baseline` or `target` (`{{ wave = \"{wave}\", … }}`), or remove this [[survey]] entry"
                ),
            ),
        );
    }
}

/// W202: an indicator's written baseline `value` and its baseline wave's file disagree at the
/// indicator's precision (whatever `--as-of` says: the file is there to compare with).
pub fn baseline_mismatches(files: &PlanFiles, plan: &model::Plan, diags: &mut Diagnostics) {
    let Some(plan_file) = &files.plan else {
        return;
    };
    for ind in &plan.indicators {
        let (Some(value), Some(baseline_wave)) = (ind.baseline_value, &ind.baseline_wave) else {
            continue;
        };
        // A figure from too few answers is never shown, not even in a warning; the written
        // value is used for it anyway.
        let Some(actual) = crate::figures::scores::file_actual(plan, ind, baseline_wave)
            .filter(|f| f.visible(plan.min_group_size))
        else {
            continue;
        };
        let Some(rounded) = actual
            .rounded
            .or_else(|| crate::stats::round_f64(actual.mean, ind.precision))
        else {
            continue;
        };
        let written = crate::figures::scores::at_precision(value, ind.precision);
        let rounded = crate::figures::scores::at_precision(rounded, ind.precision);
        if written == rounded {
            continue;
        }
        let span = plan_file
            .indicators
            .iter()
            .find(|raw| raw.id.get_ref() == &ind.id)
            .and_then(|raw| raw.baseline.as_ref()?.get_ref().value.as_ref())
            .map(|v| v.span());
        let file = match ind.source {
            model::Source::Survey => "survey file",
            model::Source::Measurement => "measurement file",
        };
        let message = format!(
            "indicator `{}`: the baseline value {written} differs from wave `{baseline_wave}`'s {file}, which gives {rounded}",
            ind.id
        );
        let diagnostic = match span {
            Some(span) => Diagnostic::at(Code::BaselineMismatch, plan_file.file, span, message),
            None => Diagnostic::in_file(Code::BaselineMismatch, plan_file.file, message),
        };
        diags.push(
            diagnostic.with_help("the file's figure is used; correct the `value` or remove it"),
        );
    }
}

/// W301 (SPEC 9.2): an indicator's baseline wave has no survey declared, no measurement and no
/// written `value`, and the wave's year (for a measured indicator, the year after) is over
/// by the run's date. Its targets are pending meanwhile; a plan adopted before its baseline
/// measurement is no error.
pub fn baseline_missing(
    files: &PlanFiles,
    plan: &model::Plan,
    as_of: Date,
    diags: &mut Diagnostics,
) {
    let Some(plan_file) = &files.plan else {
        return;
    };
    for ind in &plan.indicators {
        let Some(wave) = &ind.baseline_wave else {
            continue;
        };
        if ind.baseline_value.is_some() {
            continue;
        }
        let given = match ind.source {
            model::Source::Survey => plan.surveys.iter().any(|s| &s.wave == wave),
            // Its own row, or the sum of its parts (SPEC 12.2).
            model::Source::Measurement => {
                crate::figures::series::value(plan, &ind.id, wave, None).is_some()
            }
        };
        let late = crate::figures::scores::years_late(ind);
        let over = crate::figures::scores::wave_year_end(wave, late).is_some_and(|end| as_of > end);
        if given || !over {
            continue;
        }
        let span = plan_file
            .indicators
            .iter()
            .find(|raw| raw.id.get_ref() == &ind.id)
            .and_then(|raw| raw.baseline.as_ref())
            .map(|b| b.get_ref().wave.span());
        let (source, help) = match ind.source {
            model::Source::Survey => (
                "no [[survey]]",
                "declare the wave's [[survey]], or give the baseline's `value`; until then its targets are pending",
            ),
            model::Source::Measurement => (
                "no measurement",
                "add the wave's value to a measurement file, or give the baseline's `value`; until then its targets are pending",
            ),
        };
        let message = format!(
            "indicator `{}`: baseline wave `{wave}` has {source} and no `value`, and its year is over",
            ind.id
        );
        let diagnostic = match span {
            Some(span) => Diagnostic::at(Code::BaselineMissing, plan_file.file, span, message),
            None => Diagnostic::in_file(Code::BaselineMissing, plan_file.file, message),
        };
        diags.push(diagnostic.with_help(help));
    }
}
