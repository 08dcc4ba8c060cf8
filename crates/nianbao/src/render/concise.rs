//! `--format concise`: `path:line:col: severity[code] message`.

use super::{FileReport, Render, Totals, summary};
use crate::check::Options;

pub struct Concise;

impl Render for Concise {
    fn shows_data(&self) -> bool {
        false
    }

    fn file(&self, f: &FileReport<'_>) -> String {
        let mut o = String::new();
        if let Some(n) = f.note {
            o.push_str(&format!("{}: 注意：{n}\n", f.path));
        }
        // Pushed piece by piece: one line per diagnostic, tens of thousands in a folder.
        let mut num = itoa::Buffer::new();
        for d in f.diags {
            o.push_str(f.path);
            o.push(':');
            match f.place(d.range.start) {
                Some(place) => o.push_str(&place),
                None => {
                    let lc = f.idx.line_col(f.text, d.range.start);
                    o.push_str(num.format(lc.line));
                    o.push(':');
                    o.push_str(num.format(lc.column));
                }
            }
            o.push_str(": ");
            o.push_str(d.severity.as_str());
            o.push('[');
            o.push_str(d.code);
            o.push_str("] ");
            o.push_str(&d.message);
            o.push('\n');
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
