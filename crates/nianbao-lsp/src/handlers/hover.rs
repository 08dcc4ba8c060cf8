//! `textDocument/hover`: on a cell, its value and every identity it takes part in with the
//! operands' values (`一+二 = 64+2 = 66 ≠ 三(七)+四 = 65+0 = 65`); on a row label, what the row
//! counts; on a section heading, its canonical title.

use nianbao_core::Node;
use nianbao_core::rules::arith;
use nianbao_core::schema::schema;
use tower_lsp_server::ls_types::*;

use crate::state::State;

fn short(t: &str, r: &str) -> &'static str {
    match (t, r) {
        (_, "r1_new") => "一",
        (_, "r2_carried_in") => "二",
        (_, "r3_7_total") => "三(七)",
        (_, "r4_carried_out") => "四",
        _ => "",
    }
}

fn side(ops: &[arith::Operand<'_>], along_row: bool) -> (String, String, i64) {
    let names: Vec<String> = ops
        .iter()
        .map(|o| {
            let s = short(o.cell_ref.0, o.cell_ref.1);
            if !s.is_empty() && !along_row {
                s.to_string()
            } else if along_row {
                nianbao_core::schema::schema()
                    .table_shapes(o.cell_ref.0)
                    .find_map(|t| t.column(o.cell_ref.2))
                    .map(|c| c.label.to_string())
                    .unwrap_or_default()
            } else {
                schema()
                    .table_shapes(o.cell_ref.0)
                    .find_map(|t| t.row(o.cell_ref.1))
                    .map(|r| r.label.chars().take(10).collect())
                    .unwrap_or_default()
            }
        })
        .collect();
    let values: Vec<String> = ops
        .iter()
        .map(|o| {
            if o.blank {
                "空".into()
            } else {
                o.value.to_string()
            }
        })
        .collect();
    let sum = ops.iter().map(|o| o.value).sum();
    let n = if names.len() > 6 {
        format!("{}+…（{}项）", names[..3].join("+"), names.len())
    } else {
        names.join("+")
    };
    let v = if values.len() > 8 {
        let nz: Vec<&String> = values.iter().filter(|v| *v != "0").collect();
        format!(
            "{}（其余为 0）",
            nz.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("+")
        )
    } else {
        values.join("+")
    };
    (n, v, sum)
}

/// The report a hover is in: its text and model (the report's own, in a document of
/// several).
struct At<'a> {
    text: &'a str,
    report: &'a nianbao_core::Report,
    settings: &'a nianbao_core::Settings,
}

fn cell_hover(a: &At<'_>, table: &str, row: Option<&str>, column: &str, value: String) -> String {
    let Some(row) = row else { return value };
    let mut md = format!(
        "**{}“{}”（{}）** = {}\n",
        if table == "t3" {
            "表三"
        } else if table == "t4" {
            "表四"
        } else {
            "表二"
        },
        schema()
            .table_shapes(table)
            .find_map(|t| t.row(row))
            .map(|r| r.label)
            .unwrap_or(row),
        schema()
            .table_shapes(table)
            .find_map(|t| t.column(column))
            .map(|c| c.label)
            .unwrap_or(column),
        value
    );
    let an = arith::analyse(a.text, a.report, a.settings);
    let is_this = |o: &arith::Operand<'_>| {
        o.cell_ref.0 == table && o.cell_ref.1 == row && o.cell_ref.2 == column
    };
    for inst in an.instances.iter().filter(|i| i.operands().any(is_this)) {
        let along = inst.row.is_some();
        let (ln, lv, ls) = side(&inst.lhs, along);
        let (rn, rv, rs) = side(&inst.rhs, along);
        let op = if ls == rs { "=" } else { "≠" };
        let mark = if ls == rs { "✓" } else { "✗" };
        md.push_str(&format!(
            "\n- {mark} {}：`{ln} = {lv} = {ls} {op} {rn} = {rv} = {rs}`",
            arith::identity_name(inst)
        ));
        if ls != rs {
            md.push_str(&format!("（相差 {}）", (ls - rs).abs()));
        }
    }
    md
}

pub async fn hover(state: &State, p: HoverParams) -> Option<Hover> {
    let uri = p.text_document_position_params.text_document.uri;
    let a = super::current(state, &uri).await?;
    if !a.is_report {
        return None;
    }
    let enc = state.encoding();
    let off = a
        .lines
        .offset(&a.text, p.text_document_position_params.position, enc);
    // In a document of several reports, the report at the position, in its coordinates.
    let (text, report, start) = a.report_at(off);
    let at = At {
        text,
        report,
        settings: &a.settings,
    };
    let (md, range) = match report.node_at(off - start)? {
        Node::Cell(t, r, c) => {
            let v = match c.value {
                Some(v) => v.to_string(),
                None => format!(
                    "（{}）",
                    match c.state {
                        nianbao_core::CellState::Blank => "空",
                        nianbao_core::CellState::Placeholder => "占位符",
                        nianbao_core::CellState::Missing => "未读取",
                        _ => "文字",
                    }
                ),
            };
            (cell_hover(&at, t.id, r.key, c.column, v), c.range)
        }
        Node::RowLabel(t, r) => {
            let rs = r
                .key
                .and_then(|k| schema().table_shapes(t.id).find_map(|s| s.row(k)));
            let md = match rs {
                Some(rs) => {
                    let parent = rs
                        .parent
                        .and_then(|p| schema().table_shapes(t.id).find_map(|s| s.row(p)))
                        .map(|p| p.label);
                    let kind = if rs.numeric {
                        "统计行"
                    } else {
                        "分组标题（本身没有数值）"
                    };
                    let versions: Vec<&str> = rs.versions.iter().map(|v| v.as_str()).collect();
                    format!(
                        "**{}**（`{}.{}`）\n\n{kind}{}。适用格式：{}。{}",
                        rs.label,
                        t.id,
                        rs.key,
                        parent.map(|p| format!("，属于“{p}”")).unwrap_or_default(),
                        versions.join("、"),
                        if t.id == "t3" && rs.level >= 1 && rs.numeric && rs.key != "r3_7_total" {
                            "每件申请只计入一种办理结果；（七）总计是各办理结果之和。"
                        } else if rs.key == "r3_7_total" {
                            "（七）总计 = 各项办理结果之和；一 + 二 = 三(七) + 四。"
                        } else {
                            ""
                        }
                    )
                }
                None => format!("“{}”不在规定格式中：检查合计时不计入", r.label.trim()),
            };
            (md, r.label_range)
        }
        Node::Heading(s) => {
            let sec = schema().section(s.key)?;
            let md = format!(
                "**{}**（`{}`）\n\n规定标题：{}{}",
                s.heading.trim(),
                s.key,
                sec.title,
                if s.canonical {
                    "（一致）"
                } else {
                    "（本标题与规定措辞不同）"
                }
            );
            (md, s.heading_range)
        }
        Node::Title(t) => {
            let r = report;
            (
                format!(
                    "**{}**\n\n年度：{}　格式：{}　机关：{}",
                    t.text,
                    r.year
                        .as_ref()
                        .map(|y| y.value.to_string())
                        .unwrap_or("未知".into()),
                    r.format.version.as_str(),
                    r.body.as_ref().map(|b| b.name.as_str()).unwrap_or("未知")
                ),
                t.range,
            )
        }
        _ => return None,
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: Some(a.lines.range(
            &a.text,
            nianbao_core::TextRange::new(range.start + start, range.end + start),
            enc,
        )),
    })
}
