//! T3Balance (NB301 `t3-balance`): 表三：本年新收 + 上年结转 ≠ （七）总计 + 结转下年度

use super::{Context, Family, Rule, RuleMeta, arith};
use crate::diagnostic::{Applicability, Diagnostic, Severity};

pub(crate) struct T3Balance;

static META: RuleMeta = RuleMeta {
    code: "NB301",
    name: "t3-balance",
    family: Family::Arithmetic,
    default_severity: Severity::Error,
    fix: Some(Applicability::Safe),
    summary: "表三：本年新收 + 上年结转 ≠ （七）总计 + 结转下年度",
    cross_year: false,
};

impl Rule for T3Balance {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        arith::report_findings(cx, &META, |id| id == "T3_BALANCE", false, out);
    }
}
