//! A complete skeleton of the current official format (v2021): six headings, tables
//! 二/三/四 with every row and zeros. It passes every check, and is the starting point of
//! a draft (`nianbao new`); the table renderers also serve editors' completions.

use crate::schema::{FormatVersion, schema};

/// How the tables are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// Markdown (GitHub) tables.
    Markdown,
    /// Plain text, one row per line, cells separated by TAB.
    Text,
}

fn row(m: Markup, cells: &[&str]) -> String {
    match m {
        Markup::Markdown => format!("| {} |", cells.join(" | ")),
        Markup::Text => cells.join("\t"),
    }
}

fn table(m: Markup, rows: Vec<Vec<String>>) -> String {
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        out.push(row(m, &cells));
        if i == 0 && m == Markup::Markdown {
            out.push(row(m, &vec!["---"; r.len()]));
        }
    }
    out.join("\n")
}

fn zeros(n: usize) -> Vec<String> {
    vec!["0".to_string(); n]
}

fn pad(mut v: Vec<String>, n: usize) -> Vec<String> {
    v.resize(n, String::new());
    v
}

/// Table 二 (the v2021 sub-tables), each with its caption row, header and rows of zeros.
pub fn table_2(m: Markup) -> String {
    let s = schema();
    let mut parts = Vec::new();
    for id in ["t2_1", "t2_5", "t2_6", "t2_8"] {
        let t = s.table(id, FormatVersion::V2021).expect("t2 schema");
        let mut rows = vec![pad(vec![t.caption.unwrap_or(id).to_string()], 4)];
        rows.push(pad(t.header.iter().map(|h| h.to_string()).collect(), 4));
        for r in &t.rows {
            let mut v = vec![r.label.to_string()];
            v.extend(zeros(t.columns.len()));
            rows.push(pad(v, 4));
        }
        parts.push(table(m, rows));
    }
    parts.join("\n\n")
}

/// Table 三 with every row of the v2021 shape.
pub fn table_3(m: Markup) -> String {
    let s = schema();
    let t = s.table("t3", FormatVersion::V2021).expect("t3 schema");
    let note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）".to_string();
    let mut header = vec![note];
    header.extend(t.columns.iter().map(|c| c.label.to_string()));
    let mut rows = vec![header];
    for r in t.rows.iter().filter(|r| r.in_version(FormatVersion::V2021)) {
        let mut v = vec![r.label.to_string()];
        if r.numeric {
            v.extend(zeros(t.columns.len()));
        }
        rows.push(pad(v, t.columns.len() + 1));
    }
    table(m, rows)
}

/// Table 四: its header rows and a data row of 15 zeros.
pub fn table_4(m: Markup) -> String {
    let blocks = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    let mut r1 = vec!["行政复议".to_string()];
    r1 = pad(r1, 5);
    r1.push("行政诉讼".into());
    let r1 = pad(r1, 15);
    let mut r2 = pad(Vec::new(), 5);
    r2.push("未经复议直接起诉".into());
    r2 = pad(r2, 10);
    r2.push("复议后起诉".into());
    let r2 = pad(r2, 15);
    let r3: Vec<String> = blocks
        .iter()
        .cycle()
        .take(15)
        .map(|s| s.to_string())
        .collect();
    table(m, vec![r1, r2, r3, zeros(15)])
}

/// The whole skeleton for `body`'s report on `year`.
///
/// ```
/// use nianbao_core::template::{skeleton, Markup};
/// let text = skeleton(2025, "某某局", Markup::Text);
/// let (report, diags) = nianbao_core::lint(&text, &Default::default());
/// assert_eq!(report.year.as_ref().unwrap().value, 2025);
/// assert!(diags.is_empty(), "{diags:?}");
/// ```
pub fn skeleton(year: u16, body: &str, m: Markup) -> String {
    let h = |s: &str| match m {
        Markup::Markdown => format!("## {s}"),
        Markup::Text => s.to_string(),
    };
    let title = match m {
        Markup::Markdown => format!("# {body}{year}年政府信息公开工作年度报告"),
        Markup::Text => format!("{body}{year}年政府信息公开工作年度报告"),
    };
    let sections = &schema().sections;
    let title_of = |i: usize| sections[i].title;
    [
        title,
        format!(
            "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）编制。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        ),
        h(title_of(0)),
        format!("（请概述{year}年本机关贯彻落实《条例》的情况：主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障。）"),
        h(title_of(1)),
        table_2(m),
        h(title_of(2)),
        table_3(m),
        h(title_of(3)),
        table_4(m),
        h(title_of(4)),
        "（请说明政府信息公开工作存在的主要问题，以及已采取和拟采取的改进措施。）".to_string(),
        h(title_of(5)),
        "（请说明信息处理费的收取情况：发出收费通知的件数和总金额、实际收取的总金额；未收取的，写明“本年度未发生政府信息公开收费情形”。）".to_string(),
    ]
    .join("\n\n")
        + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_skeletons_are_clean_and_complete() {
        for m in [Markup::Markdown, Markup::Text] {
            let text = skeleton(2025, "某某局", m);
            let (r, d) = crate::lint(&text, &Default::default());
            assert!(d.is_empty(), "{m:?}: {d:#?}");
            assert_eq!(r.sections.len(), 6, "{m:?}");
            assert_eq!(r.format.version, FormatVersion::V2021, "{m:?}");
            assert_eq!(r.table("t3").map(|t| t.rows.len()), Some(25), "{m:?}");
            assert_eq!(
                r.body.as_ref().map(|b| b.name.as_str()),
                Some("某某局"),
                "{m:?}"
            );
            for id in ["t2_1", "t2_5", "t2_6", "t2_8", "t4"] {
                assert!(r.table(id).is_some(), "{m:?} {id}");
            }
        }
    }
}
