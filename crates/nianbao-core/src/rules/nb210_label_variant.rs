//! LabelVariant (NB210 `label-variant`): a row label differs from the official wording.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::LabelMatch;
use crate::rules::names::table_name;
use crate::schema::schema;

pub(crate) struct LabelVariant;

static META: RuleMeta = RuleMeta {
    code: "NB210",
    name: "label-variant",
    family: Family::Table,
    default_severity: Severity::Info,
    fix: Some(Applicability::Unsafe),
    summary: "表格行名与规定的措辞不一致",
    cross_year: false,
};

impl Rule for LabelVariant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for t in &cx.report.tables {
            for r in &t.rows {
                if !matches!(r.label_match, LabelMatch::Alias | LabelMatch::Fuzzy) {
                    continue;
                }
                let Some(key) = r.key else { continue };
                let shape = t.shape;
                let Some(official) = schema()
                    .table_shapes(t.id)
                    .filter(|s| shape.is_none() || s.version.is_none() || s.version == shape)
                    .find_map(|s| s.row(key))
                    .map(|rs| rs.label)
                else {
                    continue;
                };
                let mut d = cx.diag(
                    &META,
                    r.label_range,
                    format!(
                        "{}行名“{}”与规定的“{official}”不一致",
                        table_name(t.id),
                        r.label.trim()
                    ),
                );
                d.fix = Some(Fix {
                    title: format!("改为“{official}”"),
                    applicability: Applicability::Unsafe,
                    edits: vec![Edit {
                        range: r.label_range,
                        new_text: official.to_string(),
                    }],
                });
                d.data = cx.data(
                    || serde_json::json!({ "table": t.id, "row": key, "official": official }),
                );
                out.push(d);
            }
        }
    }
}
