//! FormatVersionMismatch (NB111 `format-version-mismatch`): a table's shape does not fit
//! the year, or tables 二 and 三 use different versions.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::FormatVersion;

pub(crate) struct FormatVersionMismatch;

static META: RuleMeta = RuleMeta {
    code: "NB111",
    name: "format-version-mismatch",
    family: Family::Structure,
    default_severity: Severity::Warning,
    fix: None,
    summary: "表格样式与报告年度应使用的格式版本不一致（或表二、表三版本混用）",
    cross_year: false,
};

fn version_name(v: FormatVersion) -> &'static str {
    match v {
        FormatVersion::V2019 => "2019年格式（国办公开办函〔2019〕60号）",
        FormatVersion::V2021 => "2021年格式（国办公开办函〔2021〕30号）",
        _ => "未知格式",
    }
}

fn what(table: &str, v: FormatVersion) -> &'static str {
    match (table, v) {
        ("t3", FormatVersion::V2019) => "“（六）其他处理”只有一行，没有分为三项",
        ("t3", _) => "“（六）其他处理”分为三项",
        (_, FormatVersion::V2019) => "栏目为“本年新制作数量”“上一年项目数量”等",
        _ => "栏目为“本年制发件数”“本年处理决定数量”等",
    }
}

/// The place that shows the shape: table 三's （六） row, table 二's first caption.
fn evidence(t: &crate::model::Table) -> crate::text::TextRange {
    let six = [
        "r3_6_other",
        "r3_6_1_no_correction",
        "r3_6_2_fee_unpaid",
        "r3_6_3_other",
    ];
    t.rows
        .iter()
        .find(|r| r.key.is_some_and(|k| six.contains(&k)))
        .map(|r| r.label_range)
        .or(t.caption_range)
        .unwrap_or(crate::text::TextRange::new(t.range.start, t.range.start))
}

impl Rule for FormatVersionMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let f = &cx.report.format;
        if f.legacy {
            return;
        }
        let expected = cx.settings.expected_format.or(f.expected);
        let year = cx.report.year.as_ref().map(|y| y.value);
        let mut flagged = false;
        for (key, shape) in [("t2", f.t2), ("t3", f.t3)] {
            let (Some(shape), Some(exp)) = (shape, expected) else {
                continue;
            };
            if shape == exp {
                continue;
            }
            let table = cx
                .report
                .tables
                .iter()
                .find(|t| t.id.starts_with(key) && t.shape == Some(shape));
            let Some(t) = table else { continue };
            let name = if key == "t3" { "表三" } else { "表二" };
            let when = match year {
                Some(y) => format!("{y}年度报告应使用{}", version_name(exp)),
                None => format!("应使用{}", version_name(exp)),
            };
            let mut d = cx.diag(
                &META,
                evidence(t),
                format!(
                    "{name}使用的是{}：{}；{when}",
                    version_name(shape),
                    what(key, shape)
                ),
            );
            d.data = cx.data(|| serde_json::json!({ "table": key, "shape": shape, "expected": exp, "format": f.version }));
            out.push(d);
            flagged = true;
        }
        if !flagged
            && let (Some(a), Some(b)) = (f.t2, f.t3)
            && a != b
        {
            let t = cx.report.table("t3").expect("t3 has a shape");
            let mut d = cx.diag(
                &META,
                evidence(t),
                format!(
                    "表二是{}，表三却是{}：同一份报告的表格应使用同一版本的格式",
                    version_name(a),
                    version_name(b)
                ),
            );
            d.data = cx.data(|| serde_json::json!({ "t2": a, "t3": b, "format": "hybrid" }));
            out.push(d);
        }
    }
}
