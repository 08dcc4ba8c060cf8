//! Output formats of `nianbao check`. Each renders one file at a time (so files can be
//! checked in parallel and printed in order) and then a closing part.

use nianbao_core::{Diagnostic, Report, TextRange};
use serde_json::Value;

use crate::check::Options;

mod concise;
mod full;
mod github;
mod json;
mod junit;
mod positions;
mod sarif;

pub use positions::Positions;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style code frames with the Chinese message (default)
    Full,
    /// one line per diagnostic: path:line:col: severity[code] message
    Concise,
    /// the JSON contract (see README)
    Json,
    /// SARIF 2.1.0
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// JUnit XML
    Junit,
}

/// One checked file.
pub struct FileReport<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub report: &'a Report,
    pub diags: &'a [Diagnostic],
    pub idx: &'a Positions,
    /// A note about the file (its encoding was converted, fixes were applied).
    pub note: Option<&'a str>,
    /// A Word document: `text` is the text read from it, and places are named by
    /// paragraph and table cell (a .docx has no lines).
    pub locations: Option<&'a nianbao_formats::Locations>,
}

impl FileReport<'_> {
    /// Where `offset` is, in words, for a Word document (`表三 第5行 第2列`); `None` for a
    /// file with lines.
    pub fn place(&self, offset: usize) -> Option<String> {
        self.locations.map(|l| l.describe(offset, self.report))
    }
}

#[derive(Debug, Default)]
pub struct Totals {
    pub files: usize,
    /// Indexed by `Severity as usize` (hint, info, warning, error).
    pub by_severity: [usize; 4],
    pub fixable: usize,
    pub fixed: usize,
    pub unreadable: usize,
}

pub trait Render: Sync + Send {
    fn file(&self, f: &FileReport<'_>) -> String;
    /// Whether the output shows the diagnostics' `data` (the JSON contract, SARIF): the
    /// rules build it only then ([`nianbao_core::Settings::data`]).
    fn shows_data(&self) -> bool;
    /// A file that could not be read.
    fn error(&self, path: &str, message: &str) -> String;
    /// Written between two non-empty file parts.
    fn separator(&self) -> &'static str {
        ""
    }
    /// Formats whose opening needs the totals (a JSON document, SARIF, JUnit): the parts
    /// are spooled to a temporary file and written after [`Render::head`].
    fn wrapped(&self) -> bool {
        false
    }
    /// The opening of a wrapped format.
    fn head(&self, _totals: &Totals) -> String {
        String::new()
    }
    /// The closing output.
    fn finish(&self, totals: &Totals, opts: &Options) -> String;
}

pub fn renderer(f: Format) -> Box<dyn Render> {
    match f {
        Format::Full => Box::new(full::Full::new()),
        Format::Concise => Box::new(concise::Concise),
        Format::Json => Box::new(json::Json),
        Format::Sarif => Box::new(sarif::Sarif::default()),
        Format::Github => Box::new(github::Github),
        Format::Junit => Box::new(junit::Junit::default()),
    }
}

/// `{"line", "column", "offset"}`: 1-based line and character column, byte offset.
#[derive(serde::Serialize)]
pub struct Position {
    line: usize,
    column: usize,
    offset: usize,
}

/// `{"start": Position, "end": Position}`.
#[derive(serde::Serialize)]
pub struct RangeOut {
    start: Position,
    end: Position,
}

pub fn position(text: &str, idx: &Positions, offset: usize) -> Position {
    let lc = idx.line_col(text, offset);
    Position {
        line: lc.line,
        column: lc.column,
        offset,
    }
}

pub fn range_out(text: &str, idx: &Positions, r: TextRange) -> RangeOut {
    RangeOut {
        start: position(text, idx, r.start),
        end: position(text, idx, r.end),
    }
}

pub fn range_json(text: &str, idx: &Positions, r: TextRange) -> Value {
    serde_json::to_value(range_out(text, idx, r)).unwrap_or(Value::Null)
}

#[derive(serde::Serialize)]
pub struct SectionOut {
    key: &'static str,
    range: RangeOut,
}

/// The `report` summary shared by `check` and `extract`.
#[derive(serde::Serialize)]
pub struct ReportSummary<'a> {
    year: Option<u16>,
    format: &'static str,
    title: Option<&'a str>,
    body: Option<&'a str>,
    sections: Vec<SectionOut>,
}

pub fn report_json<'a>(text: &str, idx: &Positions, r: &'a Report) -> ReportSummary<'a> {
    ReportSummary {
        year: r.year.as_ref().map(|y| y.value),
        format: r.format.version.as_str(),
        title: r.title.as_ref().map(|t| t.text.as_str()),
        body: r.body.as_ref().map(|b| b.name.as_str()),
        sections: r
            .sections
            .iter()
            .map(|s| SectionOut {
                key: s.key,
                range: range_out(text, idx, s.heading_range),
            })
            .collect(),
    }
}

/// `text`, `html` or `docx`: what a file was read as (the JSON `source`; see README).
pub fn source_kind(path: &str, docx: bool) -> &'static str {
    if docx {
        "docx"
    } else if crate::input::kind(path) == crate::input::Kind::Html {
        "html"
    } else {
        "text"
    }
}

/// The summary line of the human formats.
pub fn summary(t: &Totals, opts: &Options) -> String {
    let [hint, info, warn, err] = t.by_severity;
    if opts.diff {
        // Nothing was checked after the fixes, nor written.
        let mut s = format!(
            "共检查 {} 个文件：{} 处可修复（--diff 只显示，未写入）",
            t.files, t.fixed
        );
        if t.unreadable > 0 {
            s.push_str(&format!("，{} 个文件无法读取", t.unreadable));
        }
        s.push('\n');
        return s;
    }
    let mut s = format!(
        "共检查 {} 个文件：{err} 个错误，{warn} 个警告，{} 个提示",
        t.files,
        info + hint
    );
    if t.unreadable > 0 {
        s.push_str(&format!("，{} 个文件无法读取", t.unreadable));
    }
    if t.fixed > 0 {
        s.push_str(&format!("；已修复 {} 处", t.fixed));
    }
    if t.fixable > 0 && !opts.fix {
        s.push_str(&format!("；{} 处可用 --fix 自动修复", t.fixable));
    }
    s.push('\n');
    s
}

/// A unified diff of a fix.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
