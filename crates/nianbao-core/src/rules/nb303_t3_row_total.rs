//! T3RowTotal (NB303 `t3-row-total`): 表三：总计列 ≠ 六类申请人之和

use super::{Context, Family, Rule, RuleMeta, arith};
use crate::diagnostic::{Applicability, Diagnostic, Severity};

pub(crate) struct T3RowTotal;

static META: RuleMeta = RuleMeta {
    code: "NB303",
    name: "t3-row-total",
    family: Family::Arithmetic,
    default_severity: Severity::Error,
    fix: Some(Applicability::Safe),
    summary: "表三：总计列 ≠ 六类申请人之和",
    cross_year: false,
};

impl Rule for T3RowTotal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        arith::report_findings(cx, &META, |id| id == "T3_ROW_TOTAL", false, out);
    }
}
