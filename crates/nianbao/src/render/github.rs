//! `--format github`: GitHub Actions workflow commands, shown as annotations on the
//! pull request.

use nianbao_core::Severity;

use super::{FileReport, Render, Totals, summary};
use crate::check::Options;

pub struct Github;

/// Escapes a property value or message of a workflow command.
fn escape(s: &str, property: bool) -> String {
    let mut o = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        o = o.replace(':', "%3A").replace(',', "%2C");
    }
    o
}

impl Render for Github {
    fn shows_data(&self) -> bool {
        false
    }

    fn file(&self, f: &FileReport<'_>) -> String {
        let mut o = String::new();
        for d in f.diags {
            let cmd = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "notice",
            };
            if let Some(place) = f.place(d.range.start) {
                // A Word document has no lines: the annotation is on the file.
                o.push_str(&format!(
                    "::{cmd} file={},title={}::{}\n",
                    escape(f.path, true),
                    escape(&format!("{} {}", d.code, d.rule), true),
                    escape(&format!("{place}：{}", d.message), false)
                ));
                continue;
            }
            let (a, b) = (
                f.idx.line_col(f.text, d.range.start),
                f.idx.line_col(f.text, d.range.end),
            );
            o.push_str(&format!(
                "::{cmd} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape(f.path, true),
                a.line,
                a.column,
                b.line,
                b.column.max(a.column),
                escape(&format!("{} {}", d.code, d.rule), true),
                escape(&d.message, false)
            ));
        }
        o
    }

    fn error(&self, path: &str, message: &str) -> String {
        format!(
            "::error file={}::{}\n",
            escape(path, true),
            escape(message, false)
        )
    }

    fn finish(&self, t: &Totals, opts: &Options) -> String {
        summary(t, opts)
    }
}
