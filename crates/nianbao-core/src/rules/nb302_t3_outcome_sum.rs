//! T3OutcomeSum (NB302 `t3-outcome-sum`): 表三：（七）总计 ≠ 各项办理结果之和

use super::{Context, Family, Rule, RuleMeta, arith};
use crate::diagnostic::{Applicability, Diagnostic, Severity};

pub(crate) struct T3OutcomeSum;

static META: RuleMeta = RuleMeta {
    code: "NB302",
    name: "t3-outcome-sum",
    family: Family::Arithmetic,
    default_severity: Severity::Error,
    fix: Some(Applicability::Safe),
    summary: "表三：（七）总计 ≠ 各项办理结果之和",
    cross_year: false,
};

impl Rule for T3OutcomeSum {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        arith::report_findings(cx, &META, |id| id.starts_with("T3_OUTCOME_SUM"), false, out);
    }
}
