//! The `--fail-on-missed` gate of `plan scores` and `plan check` (SPEC 2, exit 3): whether any
//! indicator target or criterion is missed as of the date.

use crate::model::{Date, Plan};
use crate::report::scores::scores_report;
use crate::report::status::{CriterionStatus, criterion_lines};

/// A missed target or a missed criterion.
pub fn any_missed(plan: &Plan, as_of: Date) -> bool {
    scores_report(plan, as_of).any_missed()
        || criterion_lines(plan, as_of)
            .iter()
            .any(|c| c.status == CriterionStatus::Missed)
}
