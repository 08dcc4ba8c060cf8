//! TitleMissing (NB108 `title-missing`): the report has no title line.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::{TextRange, lines, trim};

pub(crate) struct TitleMissing;

static META: RuleMeta = RuleMeta {
    code: "NB108",
    name: "title-missing",
    family: Family::Structure,
    default_severity: Severity::Warning,
    fix: None,
    summary: "没有“<机关名称><年份>年政府信息公开工作年度报告”标题",
    cross_year: false,
};

impl Rule for TitleMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.report.title.is_some() {
            return;
        }
        let first = lines(cx.text)
            .into_iter()
            .map(|l| trim(cx.text, l.range))
            .find(|r| !r.is_empty())
            .map(|r| {
                TextRange::new(
                    r.start,
                    r.start + r.slice(cx.text).chars().next().map_or(0, char::len_utf8),
                )
            })
            .unwrap_or_default();
        let year = cx
            .report
            .year
            .as_ref()
            .map(|y| y.value.to_string())
            .unwrap_or_else(|| "YYYY".into());
        let body = cx
            .report
            .body
            .as_ref()
            .map(|b| b.name.clone())
            .unwrap_or_else(|| "<机关名称>".into());
        let mut d = cx.diag(
            &META,
            first,
            format!("报告没有标题；应在开头写明“{body}{year}年政府信息公开工作年度报告”"),
        );
        d.data =
            cx.data(|| serde_json::json!({ "year": cx.report.year.as_ref().map(|y| y.value) }));
        out.push(d);
    }
}
