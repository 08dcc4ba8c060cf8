//! SectionTitleNoncanonical (NB104 `section-title-noncanonical`): a heading names its
//! section in other words than the official title.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::schema::schema;

pub(crate) struct SectionTitleNoncanonical;

static META: RuleMeta = RuleMeta {
    code: "NB104",
    name: "section-title-noncanonical",
    family: Family::Structure,
    default_severity: Severity::Info,
    fix: Some(Applicability::Unsafe),
    summary: "部分标题与规定标题的措辞不一致",
    cross_year: false,
};

impl Rule for SectionTitleNoncanonical {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for s in cx.report.sections.iter().filter(|s| !s.canonical) {
            let Some(sec) = schema().section(s.key) else {
                continue;
            };
            let written = s.title_range.slice(cx.text);
            let mut d = cx.diag(
                &META,
                s.title_range,
                format!("标题“{written}”与规定标题“{}”不一致", sec.core),
            );
            d.fix = Some(Fix {
                title: format!("改为规定标题“{}”", sec.core),
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    range: s.title_range,
                    new_text: sec.core.to_string(),
                }],
            });
            d.data = cx.data(|| serde_json::json!({ "section": s.key, "canonical": sec.core }));
            out.push(d);
        }
    }
}
