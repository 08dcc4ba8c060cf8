//! BlankCell (NB204 `blank-cell`): 数字单元格为空

use super::{Context, Family, Rule, RuleMeta, cell_ref};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::CellState;
use crate::rules::names::cell_name;

pub(crate) struct BlankCell;

static META: RuleMeta = RuleMeta {
    code: "NB204",
    name: "blank-cell",
    family: Family::Table,
    default_severity: Severity::Warning,
    fix: None,
    summary: "数字单元格为空",
    cross_year: false,
};

impl Rule for BlankCell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for &(t, r, c, _) in cx.notable_cells() {
            if c.state != CellState::Blank {
                continue;
            }
            let name = cell_name(t.id, r.key.unwrap_or("?"), c.column);
            let mut d = cx.diag(
                &META,
                c.range,
                format!("{name}为空；没有发生也应填写 0（检查合计时按 0 计算）"),
            );
            d.data = cx.data(|| serde_json::json!({ "cell": cell_ref(t, r, c), "raw": c.raw }));
            out.push(d);
        }
    }
}
