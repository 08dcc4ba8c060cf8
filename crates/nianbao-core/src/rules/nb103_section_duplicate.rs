//! SectionDuplicate (NB103 `section-duplicate`): a section heading appears twice.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::schema::schema;

pub(crate) struct SectionDuplicate;

static META: RuleMeta = RuleMeta {
    code: "NB103",
    name: "section-duplicate",
    family: Family::Structure,
    default_severity: Severity::Error,
    fix: None,
    summary: "同一部分的标题出现了不止一次",
    cross_year: false,
};

impl Rule for SectionDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let secs = &cx.report.sections;
        for (i, s) in secs.iter().enumerate() {
            if let Some(first) = secs[..i].iter().find(|x| x.key == s.key) {
                let title = schema().section(s.key).map(|x| x.title).unwrap_or(s.key);
                let mut d = cx.diag(
                    &META,
                    s.heading_range,
                    format!("“{title}”重复出现：每个部分只应有一个标题"),
                );
                d.related.push(Related {
                    message: "第一次出现在此".into(),
                    range: first.heading_range,
                    in_previous: false,
                });
                d.data = cx.data(|| serde_json::json!({ "section": s.key }));
                out.push(d);
            }
        }
    }
}
