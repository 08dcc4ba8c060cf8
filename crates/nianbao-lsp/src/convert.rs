//! Core diagnostics and fixes → LSP types.

use nianbao_core::{Diagnostic, Fix, Severity, TextRange};
use serde_json::json;
use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, DiagnosticRelatedInformation, Location, NumberOrString, TextEdit,
    Uri,
};

use crate::encoding::{Encoding, LineMap};

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// A visible range for a diagnostic: a zero-width range (a blank cell) is widened to the
/// character after it on the same line (the `|` or TAB that marks the cell), else before.
pub fn visible(text: &str, r: TextRange) -> TextRange {
    if !r.is_empty() {
        return r;
    }
    if let Some(c) = text[r.start..]
        .chars()
        .next()
        .filter(|c| *c != '\n' && *c != '\r')
    {
        return TextRange::new(r.start, r.start + c.len_utf8());
    }
    if let Some(c) = text[..r.start]
        .chars()
        .next_back()
        .filter(|c| *c != '\n' && *c != '\r')
    {
        return TextRange::new(r.start - c.len_utf8(), r.start);
    }
    r
}

pub fn edits(text: &str, lines: &LineMap, fix: &Fix, enc: Encoding) -> Vec<TextEdit> {
    fix.edits
        .iter()
        .map(|e| TextEdit::new(lines.range(text, e.range, enc), e.new_text.clone()))
        .collect()
}

pub fn diagnostic(
    uri: &Uri,
    text: &str,
    lines: &LineMap,
    d: &Diagnostic,
    enc: Encoding,
    version: i32,
    previous: Option<(&Uri, &str)>,
) -> lsp::Diagnostic {
    let meta = nianbao_core::rules::find_rule(d.code);
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let (u, t) = if r.in_previous {
                previous?
            } else {
                (uri, text)
            };
            let lm;
            let lines = if r.in_previous {
                lm = LineMap::new(t);
                &lm
            } else {
                lines
            };
            Some(DiagnosticRelatedInformation {
                location: Location::new(u.clone(), lines.range(t, r.range, enc)),
                message: r.message.clone(),
            })
        })
        .collect();
    let fix = d.fix.as_ref().map(|f| {
        json!({
            "title": f.title,
            "applicability": f.applicability,
            "edits": edits(text, lines, f, enc),
        })
    });
    lsp::Diagnostic {
        range: lines.range(text, visible(text, d.range), enc),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: meta
            .and_then(|m| m.doc_url().parse().ok())
            .map(|href| CodeDescription { href }),
        source: Some("nianbao".into()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({
            "rule": d.rule,
            "version": version,
            "fix": fix,
            "data": d.data,
        })),
    }
}
