//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards.

use nianbao_core::Severity;
use nianbao_core::rules::registry;
use serde_json::{Value, json};

use super::{FileReport, Render, Totals};
use crate::check::Options;

pub struct Sarif;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn region(f: &FileReport<'_>, r: nianbao_core::TextRange) -> Value {
    let (a, b) = (
        f.idx.line_col(f.text, r.start),
        f.idx.line_col(f.text, r.end),
    );
    json!({
        "startLine": a.line, "startColumn": a.column,
        "endLine": b.line, "endColumn": b.column.max(a.column),
        "charOffset": f.text[..r.start].chars().count(),
        "charLength": f.text[r.start..r.end].chars().count(),
    })
}

/// The artifact URI: a relative path with `/` separators, percent-encoded where needed.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let mut o = String::new();
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

impl Render for Sarif {
    fn file(&self, f: &FileReport<'_>) -> String {
        let results: Vec<String> = f
            .diags
            .iter()
            .map(|d| {
                let rule_index = registry().iter().position(|r| r.meta().code == d.code).unwrap_or(0);
                let mut v = json!({
                    "ruleId": d.code,
                    "ruleIndex": rule_index,
                    "level": level(d.severity),
                    "message": {"text": d.message},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": uri(f.path)},
                        "region": region(f, d.range),
                    }}],
                    "properties": {"rule": d.rule, "data": d.data},
                });
                let related: Vec<Value> = d
                    .related
                    .iter()
                    .filter(|r| !r.in_previous)
                    .enumerate()
                    .map(|(i, r)| json!({
                        "id": i,
                        "message": {"text": r.message},
                        "physicalLocation": {"artifactLocation": {"uri": uri(f.path)}, "region": region(f, r.range)},
                    }))
                    .collect();
                if !related.is_empty() {
                    v["relatedLocations"] = Value::Array(related);
                }
                if let Some(fx) = &d.fix {
                    v["fixes"] = json!([{
                        "description": {"text": fx.title},
                        "artifactChanges": [{
                            "artifactLocation": {"uri": uri(f.path)},
                            "replacements": fx.edits.iter().map(|e| json!({
                                "deletedRegion": region(f, e.range),
                                "insertedContent": {"text": e.new_text},
                            })).collect::<Vec<_>>(),
                        }],
                    }]);
                }
                v.to_string()
            })
            .collect();
        results.join(",")
    }

    fn error(&self, path: &str, message: &str) -> String {
        format!("\u{0}{}", json!({"uri": uri(path), "message": message}))
    }

    fn finish(&self, parts: &[String], _t: &Totals, _opts: &Options) -> String {
        let (errors, results): (Vec<&String>, Vec<&String>) =
            parts.iter().partition(|p| p.starts_with('\u{0}'));
        let results: Vec<&str> = results
            .iter()
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        let notifications: Vec<Value> = errors
            .iter()
            .filter_map(|e| serde_json::from_str::<Value>(&e[1..]).ok())
            .map(|e| {
                json!({
                    "level": "error",
                    "message": {"text": e["message"]},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": e["uri"]}}}],
                })
            })
            .collect();
        let rules: Vec<Value> = registry()
            .iter()
            .map(|r| {
                let m = r.meta();
                json!({
                    "id": m.code,
                    "name": m.name,
                    "shortDescription": {"text": m.summary},
                    "helpUri": m.doc_url(),
                    "help": {"text": m.doc(), "markdown": m.doc()},
                    "defaultConfiguration": {"level": level(m.default_severity)},
                })
            })
            .collect();
        let run = json!({
            "tool": {"driver": {
                "name": "nianbao",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/nianbao-lint/nianbao",
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": [],
        });
        let mut s = run.to_string();
        // Splice the results in without re-parsing them.
        let results_at = s.rfind("\"results\":[]").expect("results");
        s.replace_range(
            results_at..results_at + 12,
            &format!("\"results\":[{}]", results.join(",")),
        );
        format!(
            "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{s}]}}\n"
        )
    }

    fn streams(&self) -> bool {
        false
    }
}
