//! Stage 3, validate: shares of respondents and response rates (SPEC 12.5): an indicator's
//! `measure` and `positive`, a survey's `invited`.

use rust_decimal::Decimal;
use toml::Spanned;

use super::values::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::{Share, Source};
use crate::raw;

/// What a share's figures range over: a percentage.
pub const SHARE_BOUNDS: (Decimal, Decimal) = (Decimal::ZERO, Decimal::ONE_HUNDRED);

/// What an indicator's figures (baseline and target values) range over: a share's are
/// percentages whatever the answers' scale, also while its definition has an error.
pub fn figure_bounds(
    i: &raw::Indicator,
    answers: Option<(Decimal, Decimal)>,
) -> Option<(Decimal, Decimal)> {
    match &i.measure {
        Some(m) if m.get_ref() == "share" => Some(SHARE_BOUNDS),
        _ => answers,
    }
}

/// The indicator's `measure`: `Some(None)` for a mean (the default), `Some(Some)` for a
/// share, `None` when something is wrong (reported). `answers`: the indicator's scale, when valid.
pub fn measure(
    i: &raw::Indicator,
    source: Option<Source>,
    answers: Option<(Decimal, Decimal)>,
    cx: &mut Ctx<'_>,
) -> Option<Option<Share>> {
    let share = match &i.measure {
        Some(m) => cx.word(
            m,
            &[("mean", false), ("share", true)],
            Code::InvalidValue,
            "indicator measure",
        )?,
        None => false,
    };
    let id = i.id.get_ref();
    let Some(positive) = &i.positive else {
        if share {
            let at = i.measure.as_ref().map_or(i.id.span(), Spanned::span);
            cx.push(
                Diagnostic::at(
                    Code::ShareDefinition,
                    cx.file,
                    at,
                    format!("share indicator `{id}` does not say which answers count"),
                )
                .with_help(
                    "add `positive = [4, 5]`: the answers on the scale that count as positive",
                ),
            );
            return None;
        }
        return Some(None);
    };
    if !share {
        cx.push(
            Diagnostic::at(
                Code::ShareDefinition,
                cx.file,
                positive.span(),
                format!("indicator `{id}` has `positive` answers, but it is a mean"),
            )
            .with_help("add `measure = \"share\"` to count the share of positive answers, or remove `positive`"),
        );
        return None;
    }
    if source == Some(Source::Measurement) {
        cx.push(
            Diagnostic::at(
                Code::ShareDefinition,
                cx.file,
                i.measure.as_ref().map_or(i.id.span(), Spanned::span),
                format!("indicator `{id}` is measured, so it has no answers to count a share of"),
            )
            .with_help("give a measured share as its value in % (with `unit = \"%\"`) and remove `measure` and `positive`, or read the answers from a [[survey]]"),
        );
        return None;
    }
    if positive.get_ref().is_empty() {
        cx.push(
            Diagnostic::at(
                Code::ShareDefinition,
                cx.file,
                positive.span(),
                format!("share indicator `{id}` has an empty `positive` list: its share would always be 0 %"),
            )
            .with_help("list the answers that count, such as `positive = [4, 5]`"),
        );
        return None;
    }
    let mut ok = true;
    let mut answers_that_count = Vec::new();
    for p in positive.get_ref() {
        let Some(value) = cx.decimal(p, "a positive answer", Code::InvalidValue) else {
            ok = false;
            continue;
        };
        if let Some((min, max)) = answers
            && (value < min || value > max)
        {
            cx.push(
                Diagnostic::at(
                    Code::ShareDefinition,
                    cx.file,
                    p.span(),
                    format!("the positive answer {value} is outside the scale {min}..{max} of indicator `{id}`"),
                )
                .with_help("list answers on the scale, or correct the indicator's `scale`"),
            );
            ok = false;
            continue;
        }
        if !answers_that_count.contains(&value) {
            answers_that_count.push(value);
        }
    }
    if !ok {
        return None;
    }
    Some(Some(Share {
        positive: answers_that_count,
    }))
}

/// A survey's `invited`: a whole number ≥ 1, or absent; `None` when wrong (reported).
pub fn invited(s: &raw::Survey, cx: &mut Ctx<'_>) -> Option<Option<u64>> {
    let Some(invited) = &s.invited else {
        return Some(None);
    };
    match u64::try_from(*invited.get_ref()) {
        Ok(n) if n >= 1 => Some(Some(n)),
        _ => {
            cx.push(
                Diagnostic::at(
                    Code::InvalidValue,
                    cx.file,
                    invited.span(),
                    format!("`invited` is {}: it must be at least 1", invited.get_ref()),
                )
                .with_help("write how many were invited to answer, or remove `invited`"),
            );
            None
        }
    }
}

/// W320: a wave has more respondents than its surveys invited (a response rate above
/// 100 %), judged on every file whatever `--as-of` says. Said at the first `invited` of the
/// wave.
pub fn more_than_invited(
    files: &crate::load::PlanFiles,
    plan: &crate::model::Plan,
    diags: &mut crate::diag::Diagnostics,
) {
    let Some(plan_file) = &files.plan else {
        return;
    };
    let mut waves: Vec<&str> = Vec::new();
    for s in &plan.surveys {
        if s.invited.is_some() && !waves.contains(&s.wave.as_str()) {
            waves.push(&s.wave);
        }
    }
    for wave in waves {
        let Some((invited, respondents)) =
            crate::figures::scores::wave_respondents(plan, wave, chrono::NaiveDate::MAX)
        else {
            continue;
        };
        if respondents <= invited {
            continue;
        }
        let span = plan_file
            .surveys
            .iter()
            .filter(|s| s.wave.get_ref() == wave)
            .find_map(|s| s.invited.as_ref().map(Spanned::span));
        let message = format!(
            "wave `{wave}` has {respondents} respondents, but {invited} were invited: a response rate above 100 %"
        );
        let d = match span {
            Some(span) => Diagnostic::at(Code::MoreThanInvited, plan_file.file, span, message),
            None => Diagnostic::in_file(Code::MoreThanInvited, plan_file.file, message),
        };
        diags.push(d.with_help(
            "check `invited` (everyone asked to answer, in all the wave's files), and that no file is declared for the wave twice",
        ));
    }
}
