//! Checks that compare figures only a computed report has (docs/architecture.md, "Checks
//! that need computed figures"): they run after validation, from the pipeline's driver, and
//! push their warnings to the same diagnostics. Validation itself never calls into `report/`.

use rust_decimal::Decimal;
use toml::Spanned;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::figures::scores::at_precision;
use crate::figures::series;
use crate::load::PlanFiles;
use crate::model;
use crate::validate::series::has_parts_cycle;

/// W302 and W303 (SPEC 12.2), once the measurements are read: a total's own value that
/// differs from a complete split's sum, and parts' targets that do not add up to the total's.
pub fn check_sums(files: &PlanFiles, plan: &model::Plan, diags: &mut Diagnostics) {
    let Some(plan_file) = &files.plan else {
        return;
    };
    // A plan without totals has nothing to compare (and no scores to compute for it); a
    // cycle (E309) has no sums to compare: each would be the other's.
    if plan.indicators.iter().all(|i| i.parts.is_empty()) || has_parts_cycle(plan) {
        return;
    }
    let far = crate::model::Date::MAX;
    let report = crate::report::scores::scores_report(plan, far);
    let span_of = |id: &str| {
        plan_file
            .indicators
            .iter()
            .find(|r| r.id.get_ref() == id)
            .map(|r| (r.id.span(), r))
    };
    for total in plan.indicators.iter().filter(|i| !i.parts.is_empty()) {
        let Some((id_span, raw)) = span_of(&total.id) else {
            continue;
        };
        let p = total.precision;
        let show = |d: Decimal| series::thousands(at_precision(d, p));
        for split in &total.parts {
            let split_span = raw
                .parts
                .get(&split.name)
                .map_or_else(|| id_span.clone(), Spanned::span);
            for wave in series::measured_waves(plan, &total.id) {
                let Some(own) = series::own_value(plan, &total.id, &wave, None) else {
                    continue;
                };
                let Some(sum) = series::split_sum(plan, split, &wave, None) else {
                    continue;
                };
                let (own, sum) = (at_precision(own.0, p), at_precision(sum.0, p));
                if own != sum {
                    diags.push(
                        Diagnostic::at(
                            Code::SplitSumDiffers,
                            plan_file.file,
                            split_span.clone(),
                            format!(
                                "indicator `{}` in wave `{wave}`: the {} parts add up to {}, the total's own value is {}",
                                total.id, split.name, show(sum), show(own)
                            ),
                        )
                        .with_help("the total's own value is used: correct a part's value or the total's"),
                    );
                }
            }
            let Some(total_line) = report.indicators.iter().find(|l| l.id == total.id) else {
                continue;
            };
            for wave in total_line.waves.iter().filter(|w| w.role == "target") {
                let Some(total_target) = wave.target else {
                    continue;
                };
                let part_targets: Option<Vec<Decimal>> = split
                    .parts
                    .iter()
                    .map(|part| {
                        report
                            .indicators
                            .iter()
                            .find(|l| &l.id == part)?
                            .waves
                            .iter()
                            .find(|w| w.role == "target" && w.wave == wave.wave)?
                            .target
                    })
                    .collect();
                let Some(part_targets) = part_targets else {
                    continue;
                };
                let sum: Decimal = part_targets.iter().copied().sum();
                if at_precision(sum, p) != total_target {
                    diags.push(
                        Diagnostic::at(
                            Code::TargetSumDiffers,
                            plan_file.file,
                            split_span.clone(),
                            format!(
                                "indicator `{}` in wave `{}`: the {} targets add up to {}, the total target is {}",
                                total.id, wave.wave, split.name, show(sum), show(total_target)
                            ),
                        )
                        .with_help("correct the targets so that the split covers the total"),
                    );
                }
            }
        }
    }
}
