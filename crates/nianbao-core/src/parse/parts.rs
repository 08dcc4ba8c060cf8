//! Documents that hold several reports one after another — an office's compilation of its
//! subordinate bodies' reports, a crawl saved as one file — are checked a report at a time:
//! the checks of one report (a missing section, a total, a duplicated table) say nothing
//! about the next. This module finds where each report begins.
//!
//! A report begins at a title line that names a report of a year (`某某局2023年政府信息公开
//! 工作年度报告`, the spec's title regexes, also over two lines or after a line with the
//! body's name) — but only where the text before it since the last split already has a
//! section heading (`一、`…`六、`) and the text after it, up to the next title, has one
//! too. So a title repeated above its own report (a page title, then the heading) or quoted
//! at the end of one (an attachment's name) does not cut a report in two.

use std::sync::LazyLock;

use memchr::memmem;

use super::meta::{has_sentence_punct, is_body_name_line, is_title_tail, names_report_of_year};
use crate::fold::{FoldMode, fold_str};
use crate::phrases::page_prefix_len;
use crate::text::TextRange;

/// The reports of `text`, in order: ranges that cover it without gap or overlap, each
/// starting at a line start. A document with one report (or none) is one range, `0..len`.
///
/// ```
/// let one = "某局2023年政府信息公开工作年度报告\n一、总体情况\n正文\n";
/// assert_eq!(nianbao_core::parts(one).len(), 1);
/// let two = format!("{one}乙局2023年政府信息公开工作年度报告\n一、总体情况\n正文\n");
/// let parts = nianbao_core::parts(&two);
/// assert_eq!(parts.len(), 2);
/// assert!(parts[1].slice(&two).starts_with("乙局"));
/// ```
pub fn parts(text: &str) -> Vec<TextRange> {
    let whole = vec![TextRange::new(0, text.len())];
    let titles = title_starts(text);
    if titles.is_empty() {
        return whole;
    }
    let mut out = Vec::new();
    let mut start = 0;
    // A section heading since `start`, before the title being considered.
    let mut heading = has_heading(text, 0, titles[0]);
    for (i, &t) in titles.iter().enumerate() {
        let next = titles.get(i + 1).copied().unwrap_or(text.len());
        let after = has_heading(text, t, next);
        if heading && after && t > start {
            out.push(TextRange::new(start, t));
            start = t;
            heading = after;
        } else {
            heading |= after;
        }
    }
    if out.is_empty() {
        return whole;
    }
    out.push(TextRange::new(start, text.len()));
    out
}

/// Where the title lines that name a report of a year begin (line starts, ascending).
fn title_starts(text: &str) -> Vec<usize> {
    // Every title has 信息公 (开 or 開 after it), in both scripts: only those lines are read,
    // each once (the search goes on from the next line).
    static NEEDLE: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new("信息公".as_bytes()));
    let bytes = text.as_bytes();
    let mut out: Vec<usize> = Vec::new();
    // A line start: the search goes on from here.
    let mut from = 0;
    while let Some(i) = NEEDLE.find(&bytes[from..]) {
        let hit = from + i;
        let ls = memchr::memrchr(b'\n', &bytes[from..hit]).map_or(from, |j| from + j + 1);
        if let Some(s) = title_block(text, ls)
            && out.last().is_none_or(|&l| l < s)
        {
            out.push(s);
        }
        match memchr::memchr(b'\n', &bytes[hit..]) {
            Some(j) => from = hit + j + 1,
            None => break,
        }
    }
    out
}

/// The line starting at `ls`, without its terminator and trimmed, and where the next one
/// starts.
fn line_at(text: &str, ls: usize) -> (&str, usize) {
    let end = memchr::memchr(b'\n', &text.as_bytes()[ls..]).map_or(text.len(), |i| ls + i);
    (text[ls..end].trim(), (end + 1).min(text.len()))
}

/// If the line at `ls` is a report's title (or its first line), where the title begins: the
/// line, or the line before it when that one holds the body's name (`某某区人民政府办公室` /
/// `2022年政府信息公开工作年度报告`).
fn title_block(text: &str, ls: usize) -> Option<usize> {
    let (line, next_start) = line_at(text, ls);
    if line.is_empty() || line.len() > 300 || has_sentence_punct(line) {
        return None;
    }
    // Cheap tests before folding: a year's digits, and 告 (报告) here or on the next line.
    let next = line_at(text, next_start).0;
    if !line.contains(['2', '２']) || !(line.contains('告') || next.contains('告')) {
        return None;
    }
    let folded = fold_str(line, FoldMode::Light);
    let body = &folded[page_prefix_len(&folded)..];
    if body.chars().count() > 80 {
        return None;
    }
    let mut joined = body.trim_end().to_string();
    if !joined.ends_with("报告") && next_start < text.len() {
        let nf = fold_str(next, FoldMode::Light);
        if is_title_tail(&nf) {
            joined.push_str(&nf);
        }
    }
    if !names_report_of_year(&joined) {
        return None;
    }
    if joined.trim_start().starts_with("20") && ls > 0 {
        let ps = memchr::memrchr(b'\n', &text.as_bytes()[..ls - 1]).map_or(0, |i| i + 1);
        if is_body_name_line(line_at(text, ps).0) {
            return Some(ps);
        }
    }
    Some(ls)
}

/// Whether a line in `from..to` (after the first) looks like a section heading: `一、` …
/// `六、` (or `．`/`.`), or `1、` … `6、`, after any indentation or Markdown `#`/`*`.
fn has_heading(text: &str, from: usize, to: usize) -> bool {
    let bytes = &text.as_bytes()[..to];
    let mut ls = match memchr::memchr(b'\n', &bytes[from..]) {
        Some(i) => from + i + 1,
        None => return false,
    };
    while ls < to {
        let end = memchr::memchr(b'\n', &bytes[ls..]).map_or(to, |i| ls + i);
        if is_heading_like(&text[ls..end]) {
            return true;
        }
        ls = end + 1;
    }
    false
}

fn is_heading_like(line: &str) -> bool {
    let s = line.trim_start_matches(|c: char| c.is_whitespace() || c == '#' || c == '*');
    let mut cs = s.chars();
    matches!(
        (cs.next(), cs.next()),
        (Some('一' | '二' | '三' | '四' | '五' | '六'), Some('、' | '．' | '.'))
            | (Some('1'..='6' | '１'..='６'), Some('、'))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(text: &str) -> Vec<&str> {
        parts(text)
            .iter()
            .map(|r| r.slice(text).lines().next().unwrap_or(""))
            .collect()
    }

    const A: &str = "甲局2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n";
    const B: &str =
        "乙局2023年政府信息公開工作年度報告\n根据规定，现公布本报告。\n二、主动公开政府信息情况\n";

    #[test]
    fn one_report_is_one_part() {
        assert_eq!(parts(A), vec![TextRange::new(0, A.len())]);
        assert_eq!(parts(""), vec![TextRange::new(0, 0)]);
    }

    #[test]
    fn reports_one_after_another() {
        let t = format!("{A}{B}{A}");
        assert_eq!(
            starts(&t),
            [
                A.lines().next().unwrap(),
                B.lines().next().unwrap(),
                A.lines().next().unwrap()
            ]
        );
        let ps = parts(&t);
        assert_eq!(ps.first().unwrap().start, 0);
        assert_eq!(ps.last().unwrap().end, t.len());
        assert!(ps.windows(2).all(|w| w[0].end == w[1].start));
    }

    #[test]
    fn a_repeated_title_does_not_split() {
        // A page title, then the report's own title and body.
        let t = format!("标题：甲局2023年政府信息公开工作年度报告\n发布日期：2024-01-20\n{A}");
        assert_eq!(parts(&t).len(), 1);
        // A title quoted after the last section, with nothing like a heading after it.
        let t = format!("{A}附件\n甲局2023年政府信息公开工作年度报告\n（共5页）\n");
        assert_eq!(parts(&t).len(), 1);
    }

    #[test]
    fn a_title_over_two_lines_or_after_the_body_name() {
        let t = format!("{A}丙局\n2023年政府信息公开工作年度报告\n一、总体情况\n");
        assert_eq!(starts(&t)[1], "丙局");
        let t = format!("{A}丁局2023年政府信息公开工作\n年度报告\n一、总体情况\n");
        assert_eq!(starts(&t)[1], "丁局2023年政府信息公开工作");
    }

    #[test]
    fn sentences_and_headings_are_not_titles() {
        let t = format!(
            "{A}现公布2023年政府信息公开工作年度报告，如下。\n一、总体情况\n六、其他需要报告的事项\n"
        );
        assert_eq!(parts(&t).len(), 1);
    }
}
