//! HeadingNumbering (NB105 `heading-numbering`): a section heading is not numbered
//! 一、 … 六、 in order.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::grammar::NumberingStyle;
use crate::model::SECTION_KEYS;
use crate::text::TextRange;

pub(crate) struct HeadingNumbering;

static META: RuleMeta = RuleMeta {
    code: "NB105",
    name: "heading-numbering",
    family: Family::Structure,
    default_severity: Severity::Warning,
    fix: Some(Applicability::Safe),
    summary: "部分标题的编号不规范（应为“一、”至“六、”）",
    cross_year: false,
};

const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

impl Rule for HeadingNumbering {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let secs = &cx.report.sections;
        let chinese = secs
            .iter()
            .filter(|s| {
                s.numbering
                    .is_some_and(|n| n.style == NumberingStyle::ChineseComma)
            })
            .count();
        for s in secs {
            let Some(idx) = SECTION_KEYS.iter().position(|k| *k == s.key) else {
                continue;
            };
            let want = format!("{}、", NUMERALS[idx]);
            let (range, written, why) = match s.numbering {
                None => (
                    TextRange::empty(s.title_range.start),
                    String::new(),
                    format!("标题没有编号，应为“{want}”"),
                ),
                Some(n) if n.style != NumberingStyle::ChineseComma => {
                    let w = n.range.slice(cx.text).trim().to_string();
                    let mixed = if chinese > 0 {
                        "，与其他标题的“一、”式编号混用"
                    } else {
                        ""
                    };
                    (
                        n.range,
                        w.clone(),
                        format!("标题编号“{w}”不规范{mixed}，应为“{want}”"),
                    )
                }
                Some(n) if n.number as usize != idx + 1 => {
                    let w = n.range.slice(cx.text).trim().to_string();
                    (
                        n.range,
                        w.clone(),
                        format!("第{}部分的标题编号为“{w}”，应为“{want}”", NUMERALS[idx]),
                    )
                }
                _ => continue,
            };
            let mut d = cx.diag(
                &META,
                if range.is_empty() {
                    s.heading_range
                } else {
                    range
                },
                why,
            );
            d.fix = Some(Fix {
                title: format!("把编号改为“{want}”"),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    range,
                    new_text: want.clone(),
                }],
            });
            d.data = cx.data(
                || serde_json::json!({ "section": s.key, "numbering": written, "expected": want }),
            );
            out.push(d);
        }
    }
}
