//! RowTooLong (NB004 `row-too-long`): 表格一行的数值多于应有的列数

use super::{Context, Family, Rule, RuleMeta, report_parse_issues};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ParseIssueKind;

pub(crate) struct RowTooLong;

static META: RuleMeta = RuleMeta {
    code: "NB004",
    name: "row-too-long",
    family: Family::Reading,
    default_severity: Severity::Warning,
    fix: None,
    summary: "表格一行的数值多于应有的列数",
    cross_year: false,
};

impl Rule for RowTooLong {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        report_parse_issues(cx, ParseIssueKind::RowTooLong, &META, out);
    }
}
