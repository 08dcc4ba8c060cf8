//! `textDocument/documentSymbol`: the six sections, their tables and the tables' rows (the
//! editor's outline and breadcrumbs).

use nianbao_core::{Report, Table, TextRange};
use tower_lsp_server::ls_types::*;

use crate::convert::Place;
use crate::encoding::Encoding;
use crate::state::State;

fn table_name(t: &Table) -> String {
    match t.id {
        "t3" => "表三 收到和处理政府信息公开申请情况".into(),
        "t4" => "表四 政府信息公开行政复议、行政诉讼情况".into(),
        id => format!(
            "表二 {}",
            nianbao_core::schema()
                .table_shapes(id)
                .next()
                .and_then(|s| s.caption)
                .unwrap_or(id)
        ),
    }
}

#[allow(deprecated)]
fn symbol(
    place: &Place<'_>,
    enc: Encoding,
    name: String,
    kind: SymbolKind,
    range: TextRange,
    sel: TextRange,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    let range = range.cover(sel);
    DocumentSymbol {
        name: if name.trim().is_empty() {
            "（无名）".into()
        } else {
            name
        },
        detail: None,
        kind,
        tags: None,
        deprecated: None,
        range: place.range(range, enc),
        selection_range: place.range(sel, enc),
        children: (!children.is_empty()).then_some(children),
    }
}

fn table_symbol(place: &Place<'_>, enc: Encoding, t: &Table) -> DocumentSymbol {
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let name = if r.label.is_empty() {
                "数据行".to_string()
            } else {
                r.label.trim().to_string()
            };
            let end = r
                .cells
                .last()
                .map(|c| c.range.end)
                .unwrap_or(r.label_range.end);
            let range = TextRange::new(r.label_range.start.min(end), end.max(r.label_range.end));
            symbol(
                place,
                enc,
                name,
                SymbolKind::FIELD,
                range,
                r.label_range,
                Vec::new(),
            )
        })
        .collect();
    let sel = t
        .caption_range
        .unwrap_or(TextRange::new(t.range.start, t.range.start));
    symbol(
        place,
        enc,
        table_name(t),
        SymbolKind::STRUCT,
        t.range,
        sel,
        rows,
    )
}

/// A report's sections with their tables (and tables outside any section).
fn report_symbols(place: &Place<'_>, enc: Encoding, r: &Report) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    let mut used = vec![false; r.tables.len()];
    for s in &r.sections {
        let whole = TextRange::new(
            s.heading_range.start,
            s.body_range.end.max(s.heading_range.end),
        );
        let children: Vec<DocumentSymbol> = r
            .tables
            .iter()
            .enumerate()
            .filter(|(_, t)| whole.start <= t.range.start && t.range.end <= whole.end)
            .map(|(i, t)| {
                used[i] = true;
                table_symbol(place, enc, t)
            })
            .collect();
        out.push(symbol(
            place,
            enc,
            s.heading.trim().to_string(),
            SymbolKind::NAMESPACE,
            whole,
            s.heading_range,
            children,
        ));
    }
    for (i, t) in r.tables.iter().enumerate() {
        if !used[i] {
            out.push(table_symbol(place, enc, t));
        }
    }
    out
}

pub async fn document_symbol(
    state: &State,
    p: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let a = super::current(state, &p.text_document.uri).await?;
    if !a.is_report {
        return Some(DocumentSymbolResponse::Nested(Vec::new()));
    }
    let enc = state.encoding();
    let out = match &a.parts[..] {
        [p] => report_symbols(&a.place(), enc, &p.part.report),
        // A document of several reports: one entry per report, named by its title.
        _ => a
            .reports()
            .enumerate()
            .map(|(i, (place, r))| {
                let (name, sel) = match &r.title {
                    Some(t) => (t.text.clone(), t.range),
                    None => (format!("第{}份报告", i + 1), TextRange::empty(0)),
                };
                let whole = TextRange::new(0, place.text.len());
                let children = report_symbols(&place, enc, r);
                symbol(&place, enc, name, SymbolKind::MODULE, whole, sel, children)
            })
            .collect(),
    };
    Some(DocumentSymbolResponse::Nested(out))
}
