//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards.

use nianbao_core::Severity;
use nianbao_core::rules::registry;
use serde_json::{Value, json};

use super::{FileReport, Render, Totals};
use crate::check::Options;

/// Unreadable files become tool-execution notifications, collected for the closing part.
#[derive(Default)]
pub struct Sarif {
    notifications: std::sync::Mutex<Vec<Value>>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// Where a range is: its region in a file with lines, or (a Word document, which has
/// none) the file with the paragraph or table cell as a logical location.
fn location(f: &FileReport<'_>, r: nianbao_core::TextRange) -> Value {
    match f.place(r.start) {
        Some(place) => json!({
            "physicalLocation": {"artifactLocation": {"uri": uri(f.path)}},
            "logicalLocations": [{"name": place, "kind": "element"}],
        }),
        None => json!({"physicalLocation": {
            "artifactLocation": {"uri": uri(f.path)},
            "region": region(f, r),
        }}),
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
    fn shows_data(&self) -> bool {
        true
    }

    fn file(&self, f: &FileReport<'_>) -> String {
        let results: Vec<String> = f
            .diags
            .iter()
            .map(|d| {
                let rule_index = registry()
                    .iter()
                    .position(|r| r.meta().code == d.code)
                    .unwrap_or(0);
                let mut v = json!({
                    "ruleId": d.code,
                    "ruleIndex": rule_index,
                    "level": level(d.severity),
                    "message": {"text": d.message},
                    "locations": [location(f, d.range)],
                    "properties": {"rule": d.rule, "data": d.data},
                });
                let related: Vec<Value> = d
                    .related
                    .iter()
                    .filter(|r| !r.in_previous)
                    .enumerate()
                    .map(|(i, r)| {
                        let mut l = location(f, r.range);
                        l["id"] = json!(i);
                        l["message"] = json!({"text": r.message});
                        l
                    })
                    .collect();
                if !related.is_empty() {
                    v["relatedLocations"] = Value::Array(related);
                }
                if let Some(fx) = d.fix.as_ref().filter(|_| f.locations.is_none()) {
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
        self.notifications.lock().expect("lock").push(json!({
            "level": "error",
            "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(path)}}}],
        }));
        String::new()
    }

    fn separator(&self) -> &'static str {
        ","
    }

    fn wrapped(&self) -> bool {
        true
    }

    /// Everything up to the results array: the tool and its rules.
    fn head(&self, _t: &Totals) -> String {
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
        let tool = json!({"driver": {
            "name": "nianbao",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/nianbao-lint/nianbao",
            "rules": rules,
        }});
        format!(
            "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{tool},\"results\":["
        )
    }

    /// The rest of the run: the invocation with its notifications.
    fn finish(&self, _t: &Totals, _opts: &Options) -> String {
        let notifications = std::mem::take(&mut *self.notifications.lock().expect("lock"));
        let invocation = json!({
            "executionSuccessful": notifications.is_empty(),
            "toolExecutionNotifications": notifications,
        });
        format!("],\"invocations\":[{invocation}]}}]}}\n")
    }
}
