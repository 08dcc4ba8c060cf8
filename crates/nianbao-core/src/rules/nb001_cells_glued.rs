//! CellsGlued (NB001 `cells-glued`): 表格一行的数字粘连在一起，无法确定各单元格的数值

use super::{Context, Family, Rule, RuleMeta, report_parse_issues};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ParseIssueKind;

pub(crate) struct CellsGlued;

static META: RuleMeta = RuleMeta {
    code: "NB001",
    name: "cells-glued",
    family: Family::Reading,
    default_severity: Severity::Warning,
    fix: None,
    summary: "表格一行的数字粘连在一起，无法确定各单元格的数值",
    cross_year: false,
};

impl Rule for CellsGlued {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        report_parse_issues(cx, ParseIssueKind::CellsGlued, &META, out);
    }
}
