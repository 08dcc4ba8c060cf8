//! TitleMissing (NB108 `title-missing`): the report has no title line.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::TextRange;

pub(crate) struct TitleMissing;

static META: RuleMeta = RuleMeta {
    code: "NB108",
    name: "title-missing",
    family: Family::Structure,
    default_severity: Severity::Warning,
    fix: None,
    summary: "没有“<机关名称><年份>年政府信息公开工作年度报告”标题",
    cross_year: false,
};

impl Rule for TitleMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.report.title.is_some() {
            return;
        }
        // The first char of the first non-blank line (after a BOM), found without
        // splitting the text into lines.
        let bom = if cx.text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        let first = cx.text[bom..]
            .char_indices()
            .find(|(_, c)| !c.is_whitespace())
            .map(|(i, c)| TextRange::new(bom + i, bom + i + c.len_utf8()))
            .unwrap_or_default();
        let year = cx
            .report
            .year
            .as_ref()
            .map(|y| y.value.to_string())
            .unwrap_or_else(|| "YYYY".into());
        let body = cx
            .report
            .body
            .as_ref()
            .map(|b| b.name.clone())
            .unwrap_or_else(|| "<机关名称>".into());
        let mut d = cx.diag(
            &META,
            first,
            format!("报告没有标题；应在开头写明“{body}{year}年政府信息公开工作年度报告”"),
        );
        d.data =
            cx.data(|| serde_json::json!({ "year": cx.report.year.as_ref().map(|y| y.value) }));
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range_of(t: &str) -> Option<TextRange> {
        let report = crate::parse(t);
        let mut out = Vec::new();
        TitleMissing.check(
            &crate::rules::Context::new(t, &report, &Default::default()),
            &mut out,
        );
        out.first().map(|d| d.range)
    }

    #[test]
    fn points_at_the_first_char_after_blank_lines_and_a_bom() {
        let t = "\u{feff}\r\n  \n\u{3000}一、总体情况\n本年度……\n";
        let at = t.find('一').unwrap();
        assert_eq!(range_of(t), Some(TextRange::new(at, at + 3)));
        let t = "一、总体情况\n";
        assert_eq!(range_of(t), Some(TextRange::new(0, 3)));
        assert_eq!(range_of("\u{feff} \n"), Some(TextRange::new(0, 0)));
    }
}
