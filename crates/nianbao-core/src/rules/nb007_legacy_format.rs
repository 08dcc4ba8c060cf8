//! LegacyFormat (NB007 `legacy-format`): 2019年以前格式的年度报告，不在检查范围内

use super::{Context, Family, Rule, RuleMeta, report_parse_issues};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ParseIssueKind;

pub(crate) struct LegacyFormat;

static META: RuleMeta = RuleMeta {
    code: "NB007",
    name: "legacy-format",
    family: Family::Reading,
    default_severity: Severity::Error,
    fix: None,
    summary: "2019年以前格式的年度报告，不在检查范围内",
    cross_year: false,
};

impl Rule for LegacyFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        report_parse_issues(cx, ParseIssueKind::LegacyFormat, &META, out);
    }
}
