//! Shared helpers for the end-to-end tests in `tests/`. Fixtures live in `fixtures/`.

#[path = "formats.rs"]
pub mod formats;
#[path = "grid.rs"]
pub mod grid;

use std::fmt::Write;
use std::path::{Path, PathBuf};

use nianbao_core::{CellState, Report, TextRange};

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Reads a fixture by its path under `fixtures/`.
pub fn fixture(rel: &str) -> String {
    std::fs::read_to_string(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// All fixture files in a folder of `fixtures/`, sorted.
pub fn fixture_files(dir: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(fixtures().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| format!("{dir}/{}", e.file_name().to_string_lossy()))
        .filter(|p| p.ends_with(".txt") || p.ends_with(".md"))
        .collect();
    v.sort();
    v
}

/// Every fixture of a folder as (snapshot name, text): `samples/000.txt` → `samples__000`.
pub fn fixture_texts(dir: &str) -> Vec<(String, String)> {
    fixture_files(dir)
        .into_iter()
        .map(|rel| {
            let text = fixture(&rel);
            (
                rel.replace('/', "__").trim_end_matches(".txt").to_string(),
                text,
            )
        })
        .collect()
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Every range in the model.
pub fn all_ranges(r: &Report) -> Vec<TextRange> {
    let mut v = Vec::new();
    v.extend(r.title.as_ref().map(|t| t.range));
    v.extend(r.year.as_ref().map(|t| t.range));
    v.extend(r.period.as_ref().map(|t| t.range));
    v.extend(r.body.as_ref().map(|t| t.range));
    for s in &r.sections {
        v.extend([s.heading_range, s.title_range, s.body_range]);
        v.extend(s.numbering.map(|n| n.range));
    }
    for t in &r.tables {
        v.push(t.range);
        v.extend(t.caption_range);
        for row in &t.rows {
            v.push(row.label_range);
            v.extend(row.cells.iter().map(|c| c.range));
        }
    }
    v.extend(r.issues.iter().map(|i| i.range));
    v
}

/// A compact, reviewable rendering of the model: what the snapshots hold.
pub fn render_model(text: &str, r: &Report) -> String {
    let mut o = String::new();
    let q = |x: Option<&str>| x.map(|s| format!("{s:?}")).unwrap_or_else(|| "-".into());
    let _ = writeln!(o, "title: {}", q(r.title.as_ref().map(|t| t.text.as_str())));
    let _ = writeln!(
        o,
        "year: {}",
        r.year
            .as_ref()
            .map(|y| format!(
                "{} ({:?}, line {})",
                y.value,
                y.source,
                line_of(text, y.range.start)
            ))
            .unwrap_or_else(|| "-".into())
    );
    let _ = writeln!(
        o,
        "period: {}",
        r.period
            .as_ref()
            .map(|p| format!("{:?}", p.range.slice(text)))
            .unwrap_or_else(|| "-".into())
    );
    let _ = writeln!(o, "body: {}", q(r.body.as_ref().map(|b| b.name.as_str())));
    let f = &r.format;
    let _ = writeln!(
        o,
        "format: {} (t2 {:?}, t3 {:?}, expected {:?}{})",
        f.version.as_str(),
        f.t2.map(|v| v.as_str()),
        f.t3.map(|v| v.as_str()),
        f.expected.map(|v| v.as_str()),
        if f.legacy { ", legacy" } else { "" }
    );
    let _ = writeln!(o, "sections:");
    for s in &r.sections {
        let _ = writeln!(
            o,
            "  {:<22} line {:>3}{}{} {:?} | body {} bytes",
            s.key,
            line_of(text, s.heading_range.start),
            if s.canonical { " canonical" } else { "" },
            if s.inline { " inline" } else { "" },
            s.heading_range.slice(text),
            s.body_range.len()
        );
    }
    for t in &r.tables {
        let _ = writeln!(
            o,
            "table {} shape {} layout {:?} lines {}-{}",
            t.id,
            t.shape.map(|v| v.as_str()).unwrap_or("-"),
            t.layout,
            line_of(text, t.range.start),
            line_of(text, t.range.end)
        );
        for row in &t.rows {
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|c| match c.state {
                    CellState::Number => {
                        c.value.map(|v| v.to_string()).unwrap_or_default()
                            + c.unit.map(|_| "(unit)").unwrap_or("")
                    }
                    CellState::Blank => "_".into(),
                    CellState::Placeholder => format!("{}(placeholder)", c.raw),
                    CellState::Text => format!("{:?}(text)", c.raw),
                    CellState::Missing => "?".into(),
                })
                .collect();
            let _ = writeln!(
                o,
                "  {:<24} {:<8} {}",
                row.key.unwrap_or("(unknown)"),
                format!("{:?}", row.label_match).to_lowercase(),
                cells.join(" ")
            );
        }
    }
    for i in &r.issues {
        let _ = writeln!(
            o,
            "issue {:?} line {}: {}",
            i.kind,
            line_of(text, i.range.start),
            i.message
        );
    }
    o
}

/// A reviewable rendering of diagnostics: position, severity, code, rule, message, the
/// quoted source, related places and the fix.
pub fn render_diagnostics(text: &str, diags: &[nianbao_core::Diagnostic]) -> String {
    let idx = nianbao_core::LineIndex::new(text);
    let mut o = String::new();
    for d in diags {
        let lc = idx.line_col(text, d.range.start);
        let quoted: String = d.range.slice(text).chars().take(40).collect();
        let _ = writeln!(
            o,
            "{}:{} {} {} {}: {}\n    at {:?}",
            lc.line,
            lc.column,
            d.severity.as_str(),
            d.code,
            d.rule,
            d.message,
            quoted
        );
        if !d.related.is_empty() {
            let _ = writeln!(o, "    related: {}", d.related.len());
        }
        if let Some(f) = &d.fix {
            let _ = writeln!(o, "    fix ({:?}): {}", f.applicability, f.title);
        }
    }
    o
}
