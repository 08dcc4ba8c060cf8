//! `textDocument/foldingRange`: sections and tables.

use nianbao_core::TextRange;
use tower_lsp_server::ls_types::*;

use crate::state::State;

pub async fn folding_range(state: &State, p: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
    let a = super::current(state, &p.text_document.uri).await?;
    if !a.is_report {
        return Some(Vec::new());
    }
    let enc = state.encoding();
    let mut out = Vec::new();
    let mut push = |r: TextRange, label: &str| {
        let range = a.lines.range(&a.text, r, enc);
        if range.end.line > range.start.line {
            out.push(FoldingRange {
                start_line: range.start.line,
                start_character: None,
                end_line: range.end.line,
                end_character: None,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: Some(label.to_string()),
            });
        }
    };
    for s in &a.report().sections {
        push(
            TextRange::new(
                s.heading_range.start,
                s.body_range.end.max(s.heading_range.end),
            ),
            s.heading.trim(),
        );
    }
    for t in &a.report().tables {
        push(t.range, t.id);
    }
    Some(out)
}
