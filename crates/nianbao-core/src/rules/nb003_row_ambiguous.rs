//! RowAmbiguous (NB003 `row-ambiguous`): 表格一行两端的空白格无法确定是空单元格还是合并占位

use super::{Context, Family, Rule, RuleMeta, report_parse_issues};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ParseIssueKind;

pub(crate) struct RowAmbiguous;

static META: RuleMeta = RuleMeta {
    code: "NB003",
    name: "row-ambiguous",
    family: Family::Reading,
    default_severity: Severity::Warning,
    fix: None,
    summary: "表格一行两端的空白格无法确定是空单元格还是合并占位",
    cross_year: false,
};

impl Rule for RowAmbiguous {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        report_parse_issues(cx, ParseIssueKind::RowAmbiguous, &META, out);
    }
}
