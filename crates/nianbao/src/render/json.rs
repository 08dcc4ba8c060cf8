//! `--format json`: the documented JSON contract (README, "JSON output").

use nianbao_core::Diagnostic;
use serde_json::{Value, json};

use super::{FileReport, Render, Totals, range_json, report_json};
use crate::check::Options;

pub struct Json;

/// `text`, `html` or `docx`: what the file was read as (see README, "JSON output").
pub fn source_kind(f: &FileReport<'_>) -> &'static str {
    if f.locations.is_some() {
        "docx"
    } else if nianbao_formats::Kind::from_path(f.path) == Some(nianbao_formats::Kind::Html) {
        "html"
    } else {
        "text"
    }
}

pub fn diagnostic_json(f: &FileReport<'_>, d: &Diagnostic) -> Value {
    let (text, idx) = (f.text, f.idx);
    let mut v = json!({
        "code": d.code,
        "rule": d.rule,
        "severity": d.severity.as_str(),
        "message": d.message,
        "range": range_json(text, idx, d.range),
        "related": d.related.iter().map(|r| json!({
            "message": r.message,
            // A place in last year's report: byte offsets only (its text is not at hand).
            "range": if r.in_previous {
                json!({"start": {"offset": r.range.start}, "end": {"offset": r.range.end}})
            } else {
                range_json(text, idx, r.range)
            },
            "in_previous": r.in_previous,
        })).collect::<Vec<_>>(),
        "data": d.data,
        "fix": d.fix.as_ref().map(|fx| json!({
            "applicability": fx.applicability,
            "title": fx.title,
            "edits": fx.edits.iter().map(|e| json!({"range": range_json(text, idx, e.range), "new_text": e.new_text})).collect::<Vec<_>>(),
        })),
    });
    // A Word document: ranges are in the text read from it; the place is in words.
    if let Some(place) = f.place(d.range.start) {
        v["location"] = json!(place);
        v["fix"] = Value::Null;
        for (r, j) in d
            .related
            .iter()
            .zip(v["related"].as_array_mut().into_iter().flatten())
        {
            if !r.in_previous {
                j["location"] = json!(f.place(r.range.start));
            }
        }
    }
    v
}

impl Render for Json {
    fn file(&self, f: &FileReport<'_>) -> String {
        let v = json!({
            "path": f.path,
            "source": source_kind(f),
            "report": report_json(f.text, f.idx, f.report),
            "note": f.note,
            "diagnostics": f.diags.iter().map(|d| diagnostic_json(f, d)).collect::<Vec<_>>(),
        });
        v.to_string()
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
