//! `--format full`: rustc-style code frames (annotate-snippets), carets placed under wide
//! CJK characters by display width.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use nianbao_core::rules::find_rule;
use nianbao_core::{Applicability, Diagnostic, Severity, TextRange};

use super::{FileReport, Render, Totals, summary};
use crate::check::Options;

pub struct Full {
    renderer: Renderer,
}

impl Full {
    pub fn new() -> Full {
        use std::io::IsTerminal;
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Full {
            renderer: if color {
                Renderer::styled()
            } else {
                Renderer::plain()
            },
        }
    }
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::HELP,
    }
}

/// The source lines covering `r`, as (window start offset, window text, first line no.).
fn window<'t>(f: &FileReport<'t>, r: TextRange) -> (usize, &'t str, usize) {
    let text = f.text;
    let start = text[..r.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let end = text[r.end..]
        .find('\n')
        .map(|i| r.end + i)
        .unwrap_or(text.len());
    let line = f.idx.line_col(text, start).line;
    (start, &text[start..end], line)
}

/// A diagnostic in a Word document: no lines to show, so the place in words and the text
/// found there.
fn render_docx(f: &FileReport<'_>, d: &Diagnostic) -> String {
    let place = f.place(d.range.start).unwrap_or_default();
    let name = find_rule(d.code).map(|m| m.name).unwrap_or(d.rule);
    let mut s = format!(
        "{}[{}]: {}\n  --> {}：{place}\n",
        d.severity.as_str(),
        d.code,
        d.message,
        f.path
    );
    let found: String = d.range.slice(f.text).chars().take(60).collect();
    if !found.trim().is_empty() {
        s.push_str(&format!("   = 原文：{}（{name}）\n", found.trim()));
    } else {
        s.push_str(&format!("   = 此处为空（{name}）\n"));
    }
    for rel in d.related.iter().take(6) {
        let at = if rel.in_previous {
            "上年报告".to_string()
        } else {
            f.place(rel.range.start).unwrap_or_default()
        };
        s.push_str(&format!("   = 相关：{}（{at}）\n", rel.message));
    }
    if d.related.len() > 6 {
        s.push_str(&format!("   = 相关：……另有 {} 处\n", d.related.len() - 6));
    }
    if let Some(fix) = &d.fix {
        s.push_str(&format!("   = 建议：{}（请在 Word 中修改）\n", fix.title));
    }
    if let Some(m) = find_rule(d.code) {
        s.push_str(&format!(
            "   = 规则 {} {}：{}\n",
            m.code,
            m.name,
            m.doc_url()
        ));
    }
    s.push('\n');
    s
}

fn render_one(renderer: &Renderer, f: &FileReport<'_>, d: &Diagnostic) -> String {
    if f.locations.is_some() {
        return render_docx(f, d);
    }
    let mut r = d.range;
    // Long spans (a whole table): show the first line only.
    if let Some(nl) = f.text[r.start..r.end].find('\n') {
        r.end = r.start + nl;
    }
    // A zero-width range (a blank cell) is shown as a caret at its place.
    let (wstart, src, line) = window(f, r);
    let span = (r.start - wstart)..(r.end - wstart);
    let name = find_rule(d.code).map(|m| m.name).unwrap_or(d.rule);
    let mut notes: Vec<String> = Vec::new();
    for rel in d.related.iter().take(6) {
        let lc = f.idx.line_col(f.text, rel.range.start);
        let place = if rel.in_previous {
            "上年报告".to_string()
        } else {
            format!("{}:{}", lc.line, lc.column)
        };
        notes.push(format!("{}（{place}）", rel.message));
    }
    if d.related.len() > 6 {
        notes.push(format!("……另有 {} 处", d.related.len() - 6));
    }
    let mut groups = vec![
        level(d.severity)
            .primary_title(d.message.as_str())
            .id(d.code)
            .element(
                Snippet::source(src)
                    .line_start(line)
                    .path(f.path)
                    .annotation(AnnotationKind::Primary.span(span).label(name)),
            ),
    ];
    if !notes.is_empty() {
        groups.push(Group::with_title(
            Level::NOTE.secondary_title(format!("相关：\n{}", notes.join("\n"))),
        ));
    }
    if let Some(fix) = &d.fix {
        let how = match fix.applicability {
            Applicability::Safe => "可用 --fix 自动修复",
            Applicability::Unsafe => "不安全的修复，需用 --fix --unsafe-fixes 并人工核对",
        };
        groups.push(Group::with_title(
            Level::HELP.secondary_title(format!("{}（{how}）", fix.title)),
        ));
    }
    if let Some(m) = find_rule(d.code) {
        groups.push(Group::with_title(Level::NOTE.secondary_title(format!(
            "规则 {} {}：{}",
            m.code,
            m.name,
            m.doc_url()
        ))));
    }
    let mut s = renderer.render(&groups).to_string();
    s.push_str("\n\n");
    s
}

impl Render for Full {
    fn shows_data(&self) -> bool {
        false
    }

    fn file(&self, f: &FileReport<'_>) -> String {
        let mut o = String::new();
        if let Some(n) = f.note {
            o.push_str(&format!("{}: 注意：{n}\n\n", f.path));
        }
        for d in f.diags {
            o.push_str(&render_one(&self.renderer, f, d));
        }
        o
    }

    fn error(&self, _path: &str, message: &str) -> String {
        format!("错误：{message}\n\n")
    }

    fn finish(&self, t: &Totals, opts: &Options) -> String {
        summary(t, opts)
    }
}
