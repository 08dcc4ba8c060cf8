//! CarryOverMismatch (NB402 `carry-over-mismatch`): last year's 结转下年度继续办理 is not
//! this year's 上年结转 (needs last year's report).

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::model::CellState;
use crate::rules::names::{cell_name, column_label};

pub(crate) struct CarryOverMismatch;

static META: RuleMeta = RuleMeta {
    code: "NB402",
    name: "carry-over-mismatch",
    family: Family::Consistency,
    default_severity: Severity::Warning,
    fix: None,
    summary: "上年报告的“结转下年度继续办理”与本年“上年结转”不一致",
    cross_year: true,
};

impl Rule for CarryOverMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some((_, prev)) = cx.previous else { return };
        let (Some(now), Some(before)) = (cx.report.table("t3"), prev.table("t3")) else {
            return;
        };
        let (Some(cin), Some(cout)) = (now.row("r2_carried_in"), before.row("r4_carried_out"))
        else {
            return;
        };
        let py = prev
            .year
            .as_ref()
            .map(|y| y.value.to_string())
            .unwrap_or_else(|| "上一".into());
        for c in &cin.cells {
            let Some(p) = cout.cell(c.column) else {
                continue;
            };
            if c.state != CellState::Number || p.state != CellState::Number {
                continue;
            }
            let (Some(a), Some(b)) = (c.as_i64(), p.as_i64()) else {
                continue;
            };
            if a == b {
                continue;
            }
            let mut d = cx.diag(
                &META,
                c.range,
                format!(
                    "{}为 {a}，但{py}年度报告中“四、结转下年度继续办理”（{}）为 {b}",
                    cell_name("t3", "r2_carried_in", c.column),
                    column_label("t3", c.column)
                ),
            );
            d.related.push(Related {
                message: format!("{py}年度报告中的结转下年度继续办理 = {b}"),
                range: p.range,
                in_previous: true,
            });
            d.data = cx.data(|| {
                serde_json::json!({
                    "cell": format!("t3.r2_carried_in.{}", c.column),
                    "previous_cell": format!("t3.r4_carried_out.{}", c.column),
                    "expected": b, "actual": a,
                })
            });
            out.push(d);
        }
    }
}
