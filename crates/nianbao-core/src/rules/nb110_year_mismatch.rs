//! YearMismatch (NB110 `year-mismatch`): the title's year and the statistical period
//! disagree, or the period is not one calendar year.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::model::YearSource;

pub(crate) struct YearMismatch;

static META: RuleMeta = RuleMeta {
    code: "NB110",
    name: "year-mismatch",
    family: Family::Structure,
    default_severity: Severity::Error,
    fix: None,
    summary: "标题年份与统计期限不一致，或统计期限不是一个完整年度",
    cross_year: false,
};

impl Rule for YearMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(p) = &cx.report.period else { return };
        if let Some(end) = p.end_year
            && end != p.start_year
        {
            let mut d = cx.diag(
                &META,
                p.range,
                format!("统计期限从{}年1月1日到{end}年12月31日，跨了{}个年度；年度报告的统计期限应为一个自然年", p.start_year, end.abs_diff(p.start_year) + 1),
            );
            d.data = cx.data(|| serde_json::json!({ "start_year": p.start_year, "end_year": end }));
            out.push(d);
        }
        if let Some(y) = &cx.report.year
            && y.source == YearSource::Title
            && y.value != p.start_year
        {
            let mut d = cx.diag(
                &META,
                p.range,
                format!(
                    "统计期限为{}年，但标题写的是{}年度报告",
                    p.start_year, y.value
                ),
            );
            d.related.push(Related {
                message: format!("标题中的年份 {}", y.value),
                range: y.range,
                in_previous: false,
            });
            d.data = cx
                .data(|| serde_json::json!({ "title_year": y.value, "period_year": p.start_year }));
            out.push(d);
        }
    }
}
