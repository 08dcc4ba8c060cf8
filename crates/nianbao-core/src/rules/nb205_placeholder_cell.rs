//! PlaceholderCell (NB205 `placeholder-cell`): 数字单元格填写了“/”“-”“无”等占位符

use super::{Context, Family, Rule, RuleMeta, cell_ref};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::CellState;
use crate::rules::names::cell_name;

pub(crate) struct PlaceholderCell;

static META: RuleMeta = RuleMeta {
    code: "NB205",
    name: "placeholder-cell",
    family: Family::Table,
    default_severity: Severity::Warning,
    fix: None,
    summary: "数字单元格填写了“/”“-”“无”等占位符",
    cross_year: false,
};

impl Rule for PlaceholderCell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for &(t, r, c, _) in cx.notable_cells() {
            if c.state != CellState::Placeholder {
                continue;
            }
            let name = cell_name(t.id, r.key.unwrap_or("?"), c.column);
            let mut d = cx.diag(
                &META,
                c.range,
                format!(
                    "{name}填写了“{}”而不是数字；规定格式没有“不适用”，没有发生应填写 0",
                    c.raw
                ),
            );
            d.data = cx.data(|| serde_json::json!({ "cell": cell_ref(t, r, c), "raw": c.raw }));
            out.push(d);
        }
    }
}
