//! SumUnverifiable (NB305 `sum-unverifiable`): 空白单元格按 0 计算时合计不成立，无法核对

use super::{Context, Family, Rule, RuleMeta, arith};
use crate::diagnostic::{Applicability, Diagnostic, Severity};

pub(crate) struct SumUnverifiable;

static META: RuleMeta = RuleMeta {
    code: "NB305",
    name: "sum-unverifiable",
    family: Family::Arithmetic,
    default_severity: Severity::Warning,
    fix: Some(Applicability::Unsafe),
    summary: "空白单元格按 0 计算时合计不成立，无法核对",
    cross_year: false,
};

impl Rule for SumUnverifiable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        arith::report_findings(cx, &META, |_| true, true, out);
    }
}
