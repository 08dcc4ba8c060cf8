//! InForceRollforward (NB403 `in-force-rollforward`): 现行有效件数 does not roll forward
//! from last year by this year's 制发 and 废止 (needs last year's report; v2021 tables).

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::model::Table;
use crate::rules::names::row_label;
use crate::schema::FormatVersion;

pub(crate) struct InForceRollforward;

static META: RuleMeta = RuleMeta {
    code: "NB403",
    name: "in-force-rollforward",
    family: Family::Consistency,
    default_severity: Severity::Warning,
    fix: None,
    summary: "现行有效件数 ≠ 上年现行有效件数 + 本年制发件数 − 本年废止件数",
    cross_year: true,
};

fn get(t: &Table, row: &str, col: &str) -> Option<i64> {
    t.cell(row, col).and_then(|c| c.as_i64())
}

impl Rule for InForceRollforward {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some((_, prev)) = cx.previous else { return };
        let (Some(now), Some(before)) = (cx.report.table("t2_1"), prev.table("t2_1")) else {
            return;
        };
        // The columns changed meaning in 2021: compare only two v2021 tables.
        if now.shape != Some(FormatVersion::V2021) || before.shape != Some(FormatVersion::V2021) {
            return;
        }
        for row in ["regulations", "normative_docs"] {
            let (Some(last), Some(issued), Some(repealed), Some(in_force)) = (
                get(before, row, "in_force"),
                get(now, row, "issued"),
                get(now, row, "repealed"),
                get(now, row, "in_force"),
            ) else {
                continue;
            };
            let expected = last + issued - repealed;
            if expected == in_force {
                continue;
            }
            let cell = now.cell(row, "in_force").expect("cell");
            let mut d = cx.diag(
                &META,
                cell.range,
                format!(
                    "表二“{}”现行有效件数为 {in_force}，按上年 {last} + 本年制发 {issued} − 本年废止 {repealed} 应为 {expected}（文件也可能因有效期届满而失效，请核实）",
                    row_label("t2_1", row)
                ),
            );
            if let Some(p) = before.cell(row, "in_force") {
                d.related.push(Related {
                    message: format!("上年报告的现行有效件数 = {last}"),
                    range: p.range,
                    in_previous: true,
                });
            }
            d.data = cx.data(|| serde_json::json!({ "cell": format!("t2_1.{row}.in_force"), "expected": expected, "actual": in_force }));
            out.push(d);
        }
    }
}
