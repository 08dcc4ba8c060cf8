//! Mojibake (NB501 `mojibake`): replacement characters or text garbled by a broken
//! encoding conversion.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::phrases;
use crate::text::TextRange;

pub(crate) struct Mojibake;

static META: RuleMeta = RuleMeta {
    code: "NB501",
    name: "mojibake",
    family: Family::Hygiene,
    default_severity: Severity::Warning,
    fix: None,
    summary: "文本中有乱码（替换字符或编码转换错误留下的字符）",
    cross_year: false,
};

impl Rule for Mojibake {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // U+FFFD runs; an ASCII "?" inside Chinese text (a character lost in conversion),
        // possibly with "!" — as in "六?!奔訌娬甙l布"; a lone Latin letter between ideographs.
        for m in phrases::mojibake(cx.text) {
            let range = TextRange::new(m.start, m.end);
            let s = range.slice(cx.text);
            let msg = if s.contains('\u{FFFD}') {
                format!(
                    "这里有 {} 个无法识别的字符（U+FFFD），原文在转换编码时已损坏",
                    s.chars().count()
                )
            } else {
                format!("“{s}”像是编码转换出错留下的乱码，请对照原稿核对")
            };
            let mut d = cx.diag(&META, range, msg);
            d.data = cx.data(|| serde_json::json!({ "text": s }));
            out.push(d);
        }
    }
}
