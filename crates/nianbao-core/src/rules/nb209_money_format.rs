//! MoneyFormat (NB209 `money-format`): a money cell is not in the unit or precision its
//! header asks for.

use super::{Context, Family, Rule, RuleMeta, cell_ref};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fold::{FoldMode, fold_str};
use crate::grammar::Unit;
use crate::model::CellState;
use crate::rules::names::cell_name;
use crate::schema::CellType;

pub(crate) struct MoneyFormat;

static META: RuleMeta = RuleMeta {
    code: "NB209",
    name: "money-format",
    family: Family::Table,
    default_severity: Severity::Info,
    fix: None,
    summary: "金额单元格的单位或小数位数与表头要求不符",
    cross_year: false,
};

impl Rule for MoneyFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for &(t, r, c, col) in cx.notable_cells() {
            let Some(col) = col.filter(|c| c.ty == CellType::Money) else {
                continue;
            };
            let Some(v) = c.value.filter(|_| c.state == CellState::Number) else {
                continue;
            };
            let name = cell_name(t.id, r.key.unwrap_or("?"), c.column);
            let header_unit = col.unit;
            if let (Some(want), Some(Unit::Yuan)) = (header_unit, c.unit)
                && want == "万元"
            {
                let wan = v.yuan_to_wan().map(|w| w.to_string()).unwrap_or_default();
                let mut d = cx.diag(
                    &META,
                    c.range,
                    format!(
                        "{name}写的是“{}”，表头要求以万元为单位；按 {wan} 万元核对",
                        c.raw
                    ),
                );
                d.data = cx.data(|| serde_json::json!({ "cell": cell_ref(t, r, c), "unit": "元", "expected_unit": want }));
                out.push(d);
            }
            // "本年收费金额(单位:万元,保留4位小数)": at most 4 decimals.
            let header = fold_str(t.range.slice(cx.text), FoldMode::Label);
            if header.contains("保留4位小数") && v.scale > 4 {
                let mut d = cx.diag(
                    &META,
                    c.range,
                    format!("{name}为 {v}，有 {} 位小数；表头要求保留4位小数", v.scale),
                );
                d.data = cx.data(|| serde_json::json!({ "cell": cell_ref(t, r, c), "decimals": v.scale, "expected_decimals": 4 }));
                out.push(d);
            }
        }
    }
}
