//! GroupHasValues (NB005 `group-has-values`): 分组标题（如“（三）不予公开”）后直接跟着数值

use super::{Context, Family, Rule, RuleMeta, report_parse_issues};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ParseIssueKind;

pub(crate) struct GroupHasValues;

static META: RuleMeta = RuleMeta {
    code: "NB005",
    name: "group-has-values",
    family: Family::Reading,
    default_severity: Severity::Warning,
    fix: None,
    summary: "分组标题（如“（三）不予公开”）后直接跟着数值",
    cross_year: false,
};

impl Rule for GroupHasValues {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        report_parse_issues(cx, ParseIssueKind::GroupHasValues, &META, out);
    }
}
