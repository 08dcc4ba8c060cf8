//! ExtraRow (NB203 `extra-row`): a row that is not in the official format.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::names::table_name;

pub(crate) struct ExtraRow;

static META: RuleMeta = RuleMeta {
    code: "NB203",
    name: "extra-row",
    family: Family::Table,
    default_severity: Severity::Warning,
    fix: None,
    summary: "表格中有规定格式以外的行（不参与合计）",
    cross_year: false,
};

impl Rule for ExtraRow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for t in &cx.report.tables {
            for r in t.rows.iter().filter(|r| r.key.is_none()) {
                let mut d = cx.diag(
                    &META,
                    r.label_range,
                    format!(
                        "{}中的“{}”一行不在规定格式中，检查合计时不计入",
                        table_name(t.id),
                        r.label.trim()
                    ),
                );
                d.data = cx.data(|| serde_json::json!({ "table": t.id, "label": r.label.trim() }));
                out.push(d);
            }
        }
    }
}
