//! `--format concise`: `path:line:col: severity[code] message`.

use super::{FileReport, Render, Totals, summary};
use crate::check::Options;

pub struct Concise;

impl Render for Concise {
    fn file(&self, f: &FileReport<'_>) -> String {
        let mut o = String::new();
        if let Some(n) = f.note {
            o.push_str(&format!("{}: 注意：{n}\n", f.path));
        }
        for d in f.diags {
            let place = f.place(d.range.start).unwrap_or_else(|| {
                let lc = f.idx.line_col(f.text, d.range.start);
                format!("{}:{}", lc.line, lc.column)
            });
            o.push_str(&format!(
                "{}:{place}: {}[{}] {}\n",
                f.path,
                d.severity.as_str(),
                d.code,
                d.message
            ));
        }
        o
    }

    fn error(&self, _path: &str, message: &str) -> String {
        format!("{message}\n")
    }

    fn finish(&self, t: &Totals, opts: &Options) -> String {
        summary(t, opts)
    }
}
