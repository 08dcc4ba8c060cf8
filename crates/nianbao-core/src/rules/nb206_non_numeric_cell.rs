//! NonNumericCell (NB206 `non-numeric-cell`): 数字单元格中是文字

use super::{Context, Family, Rule, RuleMeta, cell_ref};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::CellState;
use crate::rules::names::cell_name;

pub(crate) struct NonNumericCell;

static META: RuleMeta = RuleMeta {
    code: "NB206",
    name: "non-numeric-cell",
    family: Family::Table,
    default_severity: Severity::Warning,
    fix: None,
    summary: "数字单元格中是文字",
    cross_year: false,
};

impl Rule for NonNumericCell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for &(t, r, c, _) in cx.notable_cells() {
            if c.state != CellState::Text {
                continue;
            }
            let name = cell_name(t.id, r.key.unwrap_or("?"), c.column);
            let mut d = cx.diag(&META, c.range, format!("{name}应为数字，实为“{}”", c.raw));
            d.data = cx.data(|| serde_json::json!({ "cell": cell_ref(t, r, c), "raw": c.raw }));
            out.push(d);
        }
    }
}
