//! SectionEmpty (NB106 `section-empty`): a section has no content, or only 无 where
//! content is required.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fold::{FoldMode, fold_str};
use crate::schema::schema;

pub(crate) struct SectionEmpty;

static META: RuleMeta = RuleMeta {
    code: "NB106",
    name: "section-empty",
    family: Family::Structure,
    default_severity: Severity::Warning,
    fix: None,
    summary: "部分标题下没有内容，或只写了“无”",
    cross_year: false,
};

/// The body says nothing: empty, or only 无 / 无。.
pub(crate) fn is_bare_none(body: &str) -> bool {
    // A body that is only 无/没有/暂无 is a few characters long: skip folding long ones.
    if body.len() > 64 {
        return false;
    }
    let f = fold_str(body, FoldMode::Label);
    matches!(f.trim_end_matches(['。', '.']), "无" | "没有" | "暂无")
}

impl Rule for SectionEmpty {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.report.sections {
            let body = s.body_range.slice(cx.text);
            let title = schema().section(s.key).map(|x| x.title).unwrap_or(s.key);
            let msg = if body.trim().is_empty() {
                format!(
                    "“{title}”下没有任何内容；没有可报告的事项也应写明情况（如“本年度未发生……”）"
                )
            } else if is_bare_none(body) && s.key != "s6_other" {
                format!("“{title}”只写了“{}”；这一部分必须说明实际情况", body.trim())
            } else {
                continue;
            };
            let mut d = cx.diag(&META, s.heading_range, msg);
            d.data = cx.data(|| serde_json::json!({ "section": s.key }));
            out.push(d);
        }
    }
}
