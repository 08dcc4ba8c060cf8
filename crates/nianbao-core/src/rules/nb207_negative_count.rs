//! NegativeCount (NB207 `negative-count`): a count is negative.

use super::{Context, Family, Rule, RuleMeta, cell_ref};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::CellState;
use crate::rules::names::cell_name;
use crate::schema::CellType;

pub(crate) struct NegativeCount;

static META: RuleMeta = RuleMeta {
    code: "NB207",
    name: "negative-count",
    family: Family::Table,
    default_severity: Severity::Error,
    fix: None,
    summary: "件数为负数",
    cross_year: false,
};

impl Rule for NegativeCount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for &(t, r, c, col) in cx.notable_cells() {
            let signed = col.is_some_and(|c| c.ty == CellType::SignedInt);
            let Some(v) = c.value.filter(|_| c.state == CellState::Number) else {
                continue;
            };
            if signed || v.mantissa >= 0 {
                continue;
            }
            let name = cell_name(t.id, r.key.unwrap_or("?"), c.column);
            let mut d = cx.diag(&META, c.range, format!("{name}为 {v}：件数不能为负数"));
            d.data = cx.data(|| serde_json::json!({ "cell": cell_ref(t, r, c), "actual": v }));
            out.push(d);
        }
    }
}
