//! FractionalCount (NB208 `fractional-count`): a count has decimals.

use super::{Context, Family, Rule, RuleMeta, cell_ref};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::CellState;
use crate::rules::names::cell_name;
use crate::schema::CellType;

pub(crate) struct FractionalCount;

static META: RuleMeta = RuleMeta {
    code: "NB208",
    name: "fractional-count",
    family: Family::Table,
    default_severity: Severity::Error,
    fix: None,
    summary: "件数带有小数",
    cross_year: false,
};

impl Rule for FractionalCount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for &(t, r, c, col) in cx.notable_cells() {
            if col.is_some_and(|c| c.ty == CellType::Money) || c.state != CellState::Number {
                continue;
            }
            let Some(v) = c.value else { continue };
            if v.is_integer() {
                continue;
            }
            let name = cell_name(t.id, r.key.unwrap_or("?"), c.column);
            let mut d = cx.diag(&META, c.range, format!("{name}为 {v}：件数应为整数"));
            d.data = cx.data(|| serde_json::json!({ "cell": cell_ref(t, r, c), "actual": v }));
            out.push(d);
        }
    }
}
