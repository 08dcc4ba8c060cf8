//! `textDocument/completion`: at the start of a line, the missing section headings; inside
//! an empty section 二/三/四, its complete official table in the document's markup.

use nianbao_core::model::SECTION_KEYS;
use nianbao_core::schema::schema;
use nianbao_core::template::{self, Markup};
use tower_lsp_server::ls_types::*;

use crate::state::State;

pub async fn completion(state: &State, p: CompletionParams) -> Option<CompletionResponse> {
    let pos = p.text_document_position.position;
    let uri = p.text_document_position.text_document.uri;
    let a = super::current(state, &uri).await?;
    if a.html {
        // Headings and tables are offered as plain text or Markdown, not as HTML.
        return Some(CompletionResponse::Array(Vec::new()));
    }
    let enc = state.encoding();
    let off = a.lines.offset(&a.text, pos, enc);
    let line_start = a.text[..off].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let typed = &a.text[line_start..off];
    // Only at the start of a line (possibly after a numeral being typed, e.g. "三、").
    if typed.chars().count() > 3 || typed.contains(['|', '\t']) {
        return Some(CompletionResponse::Array(Vec::new()));
    }
    let replace = a
        .lines
        .range(&a.text, nianbao_core::TextRange::new(line_start, off), enc);
    let markup =
        if uri.path().as_str().ends_with(".md") || a.text.lines().any(|l| l.starts_with("## ")) {
            Markup::Markdown
        } else {
            Markup::Text
        };
    let mut items = Vec::new();
    // The report being written (in a document of several, the one at the cursor, in its
    // own coordinates).
    let (_, r, start) = a.report_at(off);
    let off = off - start;
    for (i, key) in SECTION_KEYS.iter().enumerate() {
        if r.section(key).is_some() {
            continue;
        }
        let sec = schema().section(key)?;
        let heading = match markup {
            Markup::Markdown => format!("## {}", sec.title),
            Markup::Text => sec.title.to_string(),
        };
        items.push(CompletionItem {
            label: sec.title.to_string(),
            kind: Some(CompletionItemKind::SNIPPET),
            detail: Some("缺少的部分标题".into()),
            sort_text: Some(format!("0{i}")),
            filter_text: Some(sec.title.to_string()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(replace, heading))),
            ..Default::default()
        });
    }
    // Inside section 二/三/四 without its table.
    let inside = r.sections.iter().rev().find(|s| s.heading_range.end <= off);
    if let Some(s) = inside {
        let (ids, body, label): (&[&str], String, &str) = match s.key {
            "s2_proactive" => (
                &["t2_1", "t2_5", "t2_6", "t2_8"],
                template::table_2(markup),
                "插入表二（主动公开政府信息情况，2021年格式）",
            ),
            "s3_applications" => (
                &["t3"],
                template::table_3(markup),
                "插入表三（收到和处理政府信息公开申请情况）",
            ),
            "s4_review_litigation" => (
                &["t4"],
                template::table_4(markup),
                "插入表四（行政复议、行政诉讼情况）",
            ),
            _ => (&[], String::new(), ""),
        };
        let in_body = off <= s.body_range.end.max(s.heading_range.end + 2);
        let missing = ids.iter().all(|id| {
            !r.tables.iter().any(|t| {
                t.id == *id
                    && s.body_range.start <= t.range.start
                    && t.range.start <= s.body_range.end
            })
        });
        if !ids.is_empty() && in_body && missing {
            items.push(CompletionItem {
                label: label.to_string(),
                kind: Some(CompletionItemKind::SNIPPET),
                detail: Some("规定格式的完整表格，数值为 0".into()),
                sort_text: Some("1".into()),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    replace,
                    body + "\n",
                ))),
                ..Default::default()
            });
        }
    }
    Some(CompletionResponse::Array(items))
}
