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

/// A text with its line map, placed at line `line0` of the document: a whole document
/// (`line0` 0) or one report of a document of several, in the report's own coordinates
/// (it begins at a line start, so only lines move).
#[derive(Clone, Copy)]
pub struct Place<'a> {
    pub text: &'a str,
    pub lines: &'a LineMap,
    pub line0: u32,
}

impl<'a> Place<'a> {
    pub fn whole(text: &'a str, lines: &'a LineMap) -> Place<'a> {
        Place {
            text,
            lines,
            line0: 0,
        }
    }

    pub fn range(&self, r: TextRange, enc: Encoding) -> lsp::Range {
        let mut out = self.lines.range(self.text, r, enc);
        out.start.line += self.line0;
        out.end.line += self.line0;
        out
    }
}

pub fn edits(place: &Place<'_>, fix: &Fix, enc: Encoding) -> Vec<TextEdit> {
    fix.edits
        .iter()
        .map(|e| TextEdit::new(place.range(e.range, enc), e.new_text.clone()))
        .collect()
}

/// Last year's report beside the document: its URI, text and line map.
pub type Previous<'a> = (&'a Uri, &'a str, &'a LineMap);

/// The link to a rule's page, parsed once per rule (a diagnostic is converted on every
/// edit).
fn code_description(code: &'static str) -> Option<CodeDescription> {
    static LINKS: std::sync::OnceLock<Vec<(&'static str, Option<lsp::Uri>)>> =
        std::sync::OnceLock::new();
    LINKS
        .get_or_init(|| {
            nianbao_core::rules::registry()
                .iter()
                .map(|r| (r.meta().code, r.meta().doc_url().parse().ok()))
                .collect()
        })
        .iter()
        .find(|(c, _)| *c == code)
        .and_then(|(_, href)| href.clone())
        .map(|href| CodeDescription { href })
}

pub fn diagnostic(
    uri: &Uri,
    place: &Place<'_>,
    d: &Diagnostic,
    enc: Encoding,
    previous: Option<Previous<'_>>,
) -> lsp::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let (u, range) = if r.in_previous {
                let (u, t, lines) = previous?;
                (u, Place::whole(t, lines).range(r.range, enc))
            } else {
                (uri, place.range(r.range, enc))
            };
            Some(DiagnosticRelatedInformation {
                location: Location::new(u.clone(), range),
                message: r.message.clone(),
            })
        })
        .collect();
    let fix = d.fix.as_ref().map(|f| {
        json!({
            "title": f.title,
            "applicability": f.applicability,
            "edits": edits(place, f, enc),
        })
    });
    lsp::Diagnostic {
        range: place.range(visible(place.text, d.range), enc),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: code_description(d.code),
        source: Some("nianbao".into()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({
            "rule": d.rule,
            "fix": fix,
            "data": d.data,
        })),
    }
}
