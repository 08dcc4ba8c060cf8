//! RowIncomplete (NB002 `row-incomplete`): 表格一行的数值少于应有的列数

use super::{Context, Family, Rule, RuleMeta, report_parse_issues};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ParseIssueKind;

pub(crate) struct RowIncomplete;

static META: RuleMeta = RuleMeta {
    code: "NB002",
    name: "row-incomplete",
    family: Family::Reading,
    default_severity: Severity::Error,
    fix: None,
    summary: "表格一行的数值少于应有的列数",
    cross_year: false,
};

impl Rule for RowIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        report_parse_issues(cx, ParseIssueKind::RowIncomplete, &META, out);
    }
}
