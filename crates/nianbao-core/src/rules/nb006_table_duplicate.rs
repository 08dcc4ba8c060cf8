//! TableDuplicate (NB006 `table-duplicate`): 同一张表格出现了不止一次

use super::{Context, Family, Rule, RuleMeta, report_parse_issues};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ParseIssueKind;

pub(crate) struct TableDuplicate;

static META: RuleMeta = RuleMeta {
    code: "NB006",
    name: "table-duplicate",
    family: Family::Reading,
    default_severity: Severity::Warning,
    fix: None,
    summary: "同一张表格出现了不止一次",
    cross_year: false,
};

impl Rule for TableDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        report_parse_issues(cx, ParseIssueKind::TableDuplicate, &META, out);
    }
}
