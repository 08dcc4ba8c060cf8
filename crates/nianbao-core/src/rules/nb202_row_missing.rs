//! RowMissing (NB202 `row-missing`): a table lacks a required row.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::names::{row_label, table_name};
use crate::schema::{FormatVersion, schema};
use crate::text::TextRange;

pub(crate) struct RowMissing;

static META: RuleMeta = RuleMeta {
    code: "NB202",
    name: "row-missing",
    family: Family::Table,
    default_severity: Severity::Error,
    fix: None,
    summary: "表格缺少规定的行",
    cross_year: false,
};

impl Rule for RowMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen = Vec::new();
        for t in &cx.report.tables {
            if seen.contains(&t.id) {
                continue;
            }
            seen.push(t.id);
            // Validate against the shape the table has (spec §2.3).
            let shape = t
                .shape
                .or(cx.settings.expected_format)
                .or(cx.report.format.expected)
                .unwrap_or(FormatVersion::V2021);
            let Some(ts) = schema().table(t.id, shape) else {
                continue;
            };
            if t.id == "t4" {
                if t.rows.is_empty() {
                    let mut d = cx.diag(
                        &META,
                        t.range,
                        "表四只有表头，没有找到15个数字组成的数据行".into(),
                    );
                    d.data = cx.data(|| serde_json::json!({ "table": "t4", "row": "cases" }));
                    out.push(d);
                }
                continue;
            }
            for (i, rs) in ts.rows.iter().enumerate() {
                if !rs.numeric || !rs.in_version(shape) && t.id == "t3" || t.row(rs.key).is_some() {
                    continue;
                }
                // Where it belongs: after the last earlier row present.
                let at = ts.rows[..i]
                    .iter()
                    .rev()
                    .find_map(|p| t.row(p.key))
                    .map(|r| {
                        r.cells
                            .last()
                            .map(|c| c.range.end)
                            .unwrap_or(r.label_range.end)
                    })
                    .unwrap_or(t.range.start);
                let mut d = cx.diag(
                    &META,
                    TextRange::empty(at),
                    format!("{}缺少“{}”一行", table_name(t.id), row_label(t.id, rs.key)),
                );
                d.data =
                    cx.data(|| serde_json::json!({ "table": t.id, "row": rs.key, "shape": shape }));
                out.push(d);
            }
        }
    }
}
