//! `--format json`: the documented JSON contract (README, "JSON output").

use nianbao_core::{Applicability, Diagnostic};
use serde::Serialize;
use serde_json::{Value, json};

use super::{FileReport, RangeOut, Render, ReportSummary, Totals, range_out, report_json};
use crate::check::Options;

pub struct Json;

#[derive(Serialize)]
#[serde(untagged)]
enum RelatedRange {
    Here(RangeOut),
    /// A place in last year's report: byte offsets only (its text is not at hand).
    Previous {
        start: Offset,
        end: Offset,
    },
}

#[derive(Serialize)]
struct Offset {
    offset: usize,
}

#[derive(Serialize)]
struct RelatedOut<'a> {
    message: &'a str,
    range: RelatedRange,
    in_previous: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
}

#[derive(Serialize)]
struct EditOut<'a> {
    range: RangeOut,
    new_text: &'a str,
}

#[derive(Serialize)]
struct FixOut<'a> {
    applicability: Applicability,
    title: &'a str,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct DiagnosticOut<'a> {
    code: &'static str,
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    range: RangeOut,
    related: Vec<RelatedOut<'a>>,
    data: &'a Value,
    fix: Option<FixOut<'a>>,
    /// A Word document: the place in words (ranges are in the text read from it).
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
}

#[derive(Serialize)]
struct FileOut<'a> {
    path: &'a str,
    source: &'static str,
    report: ReportSummary<'a>,
    note: Option<&'a str>,
    diagnostics: Vec<DiagnosticOut<'a>>,
}

fn diagnostic_out<'a>(f: &FileReport<'a>, d: &'a Diagnostic) -> DiagnosticOut<'a> {
    let (text, idx) = (f.text, f.idx);
    let docx = f.locations.is_some();
    DiagnosticOut {
        code: d.code,
        rule: d.rule,
        severity: d.severity.as_str(),
        message: &d.message,
        range: range_out(text, idx, d.range),
        related: d
            .related
            .iter()
            .map(|r| RelatedOut {
                message: &r.message,
                range: if r.in_previous {
                    RelatedRange::Previous {
                        start: Offset {
                            offset: r.range.start,
                        },
                        end: Offset {
                            offset: r.range.end,
                        },
                    }
                } else {
                    RelatedRange::Here(range_out(text, idx, r.range))
                },
                in_previous: r.in_previous,
                location: (!r.in_previous).then(|| f.place(r.range.start)).flatten(),
            })
            .collect(),
        data: &d.data,
        // A fix of a Word document's text cannot be written back.
        fix: d.fix.as_ref().filter(|_| !docx).map(|fx| FixOut {
            applicability: fx.applicability,
            title: &fx.title,
            edits: fx
                .edits
                .iter()
                .map(|e| EditOut {
                    range: range_out(text, idx, e.range),
                    new_text: &e.new_text,
                })
                .collect(),
        }),
        location: f.place(d.range.start),
    }
}

impl Render for Json {
    fn shows_data(&self) -> bool {
        true
    }

    fn file(&self, f: &FileReport<'_>) -> String {
        let out = FileOut {
            path: f.path,
            source: super::source_kind(f.path, f.locations.is_some()),
            report: report_json(f.text, f.idx, f.report),
            note: f.note,
            diagnostics: f.diags.iter().map(|d| diagnostic_out(f, d)).collect(),
        };
        serde_json::to_string(&out).unwrap_or_default()
    }

    fn error(&self, path: &str, message: &str) -> String {
        json!({"path": path, "error": message, "diagnostics": []}).to_string()
    }

    fn separator(&self) -> &'static str {
        ","
    }

    fn wrapped(&self) -> bool {
        true
    }

    fn head(&self, _t: &Totals) -> String {
        "{\"version\":1,\"files\":[".into()
    }

    fn finish(&self, t: &Totals, _opts: &Options) -> String {
        let [hint, info, warning, error] = t.by_severity;
        format!(
            "],\"summary\":{}}}\n",
            json!({"files": t.files, "error": error, "warning": warning, "info": info, "hint": hint, "fixed": t.fixed, "unreadable": t.unreadable})
        )
    }
}
