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
    let several = a.parts.len() > 1;
    let mut out = Vec::new();
    for (place, r) in a.reports() {
        let mut push = |range: TextRange, label: &str| {
            let range = place.range(range, enc);
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
        // In a document of several reports, each report folds as a whole too.
        if several {
            let title = r.title.as_ref().map_or("年度报告", |t| t.text.as_str());
            push(TextRange::new(0, place.text.len()), title);
        }
        for s in &r.sections {
            push(
                TextRange::new(
                    s.heading_range.start,
                    s.body_range.end.max(s.heading_range.end),
                ),
                s.heading.trim(),
            );
        }
        for t in &r.tables {
            push(t.range, t.id);
        }
    }
    Some(out)
}
