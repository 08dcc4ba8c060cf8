//! T4Total (NB304 `t4-total`): 表四：总计 ≠ 结果维持 + 结果纠正 + 其他结果 + 尚未审结

use super::{Context, Family, Rule, RuleMeta, arith};
use crate::diagnostic::{Applicability, Diagnostic, Severity};

pub(crate) struct T4Total;

static META: RuleMeta = RuleMeta {
    code: "NB304",
    name: "t4-total",
    family: Family::Arithmetic,
    default_severity: Severity::Error,
    fix: Some(Applicability::Safe),
    summary: "表四：总计 ≠ 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
    cross_year: false,
};

impl Rule for T4Total {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        arith::report_findings(cx, &META, |id| id.starts_with("T4_"), false, out);
    }
}
