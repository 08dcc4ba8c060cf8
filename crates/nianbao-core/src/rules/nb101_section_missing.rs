//! SectionMissing (NB101 `section-missing`): one of the six sections is missing.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::SECTION_KEYS;
use crate::schema::schema;
use crate::text::TextRange;

pub(crate) struct SectionMissing;

static META: RuleMeta = RuleMeta {
    code: "NB101",
    name: "section-missing",
    family: Family::Structure,
    default_severity: Severity::Error,
    fix: None,
    summary: "缺少规定的六个部分之一",
    cross_year: false,
};

impl Rule for SectionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let secs = &cx.report.sections;
        for (i, key) in SECTION_KEYS.iter().enumerate() {
            if secs.iter().any(|s| s.key == *key) {
                continue;
            }
            // Where it belongs: before the first later section present, else after the
            // last earlier one.
            let later = secs
                .iter()
                .filter(|s| {
                    SECTION_KEYS
                        .iter()
                        .position(|k| *k == s.key)
                        .is_some_and(|p| p > i)
                })
                .map(|s| s.heading_range.start)
                .min();
            let at = later.unwrap_or_else(|| {
                secs.iter()
                    .map(|s| s.body_range.end.max(s.heading_range.end))
                    .max()
                    .unwrap_or(0)
            });
            let sec = schema().section(key).expect("section");
            let mut d = cx.diag(
                &META,
                TextRange::empty(at),
                format!(
                    "缺少第{}部分“{}”：年度报告必须包含规定的六个部分",
                    "一二三四五六".chars().nth(i).unwrap_or('?'),
                    sec.title
                ),
            );
            d.data = cx.data(|| serde_json::json!({ "section": key }));
            out.push(d);
        }
    }
}
