//! YearMissing (NB109 `year-missing`): the reporting year cannot be found.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::TextRange;

pub(crate) struct YearMissing;

static META: RuleMeta = RuleMeta {
    code: "NB109",
    name: "year-missing",
    family: Family::Structure,
    default_severity: Severity::Error,
    fix: None,
    summary: "标题、统计期限和前言中都找不到报告年度",
    cross_year: false,
};

impl Rule for YearMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.report.year.is_some() {
            return;
        }
        let range = cx
            .report
            .title
            .as_ref()
            .map(|t| t.range)
            .unwrap_or(TextRange::empty(0));
        out.push(cx.diag(
            &META,
            range,
            "找不到报告年度：标题应写明“YYYY年政府信息公开工作年度报告”，前言应写明统计期限（自YYYY年1月1日起至YYYY年12月31日止）".into(),
        ));
    }
}
