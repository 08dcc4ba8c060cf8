//! SectionOrder (NB102 `section-order`): sections out of the fixed order.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::model::SECTION_KEYS;
use crate::schema::schema;

pub(crate) struct SectionOrder;

static META: RuleMeta = RuleMeta {
    code: "NB102",
    name: "section-order",
    family: Family::Structure,
    default_severity: Severity::Error,
    fix: None,
    summary: "六个部分的顺序不对",
    cross_year: false,
};

fn order(key: &str) -> usize {
    SECTION_KEYS.iter().position(|k| *k == key).unwrap_or(0)
}

impl Rule for SectionOrder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen = Vec::new();
        let mut max: Option<&crate::model::Section> = None;
        for s in &cx.report.sections {
            if seen.contains(&s.key) {
                continue; // duplicates are NB103's
            }
            seen.push(s.key);
            if let Some(m) = max
                && order(s.key) < order(m.key)
            {
                let (a, b) = (
                    schema().section(s.key).expect("s"),
                    schema().section(m.key).expect("s"),
                );
                let mut d = cx.diag(
                    &META,
                    s.heading_range,
                    format!(
                        "“{}”应排在“{}”之前：六个部分的顺序是固定的",
                        a.title, b.title
                    ),
                );
                d.related.push(Related {
                    message: format!("“{}”在此", b.title),
                    range: m.heading_range,
                    in_previous: false,
                });
                d.data = cx.data(|| serde_json::json!({ "section": s.key, "after": m.key }));
                out.push(d);
                continue;
            }
            max = Some(s);
        }
    }
}
