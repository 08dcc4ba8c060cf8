//! FeeStatementMissing (NB107 `fee-statement-missing`): in the 2021 format, section 六
//! must state how 信息处理费 was charged.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fold::{FoldMode, fold_str};
use crate::schema::FormatVersion;

pub(crate) struct FeeStatementMissing;

static META: RuleMeta = RuleMeta {
    code: "NB107",
    name: "fee-statement-missing",
    family: Family::Structure,
    default_severity: Severity::Warning,
    fix: None,
    summary: "2021年格式的第六部分没有说明信息处理费的收取情况",
    cross_year: false,
};

impl Rule for FeeStatementMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let f = &cx.report.format;
        let v2021 = cx.settings.expected_format.or(f.expected) == Some(FormatVersion::V2021)
            || (f.expected.is_none() && f.version == FormatVersion::V2021);
        if !v2021 {
            return;
        }
        let Some(s) = cx.report.section("s6_other") else {
            return;
        };
        let body = fold_str(s.body_range.slice(cx.text), FoldMode::Label);
        if body.contains("处理费") || body.contains("收费") || body.contains("收取") {
            return;
        }
        let what = if body.is_empty() {
            "没有任何内容".to_string()
        } else {
            format!(
                "没有提到信息处理费（现为“{}”）",
                truncate(s.body_range.slice(cx.text).trim(), 20)
            )
        };
        let mut d = cx.diag(
            &META,
            s.heading_range,
            format!("第六部分{what}：2021年格式要求说明信息处理费的收取情况（发出收费通知的件数和金额、实际收取的金额），未收取也应写明，如“本年度未发生政府信息公开收费情形”"),
        );
        d.data = cx.data(|| serde_json::json!({ "section": "s6_other" }));
        out.push(d);
    }
}

fn truncate(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}
