//! Section headings (spec §3): matched by their words after normalisation, not by their
//! numbering; found on their own lines or, in crawled text whose line breaks were lost,
//! inside a line.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::fold::{FoldMode, fold, fold_str, last_folded_char};
use crate::grammar::{NumberingStyle, parse_marker};
use crate::model::{Numbering, Section};
use crate::schema::{SectionSchema, schema};
use crate::text::{Line, TextRange, needles, trim};

/// Lines longer than this (bytes) are searched for inline headings.
const INLINE_MIN_LINE: usize = 240;
/// A heading title is at most this many characters (after normalisation).
const MAX_TITLE_CHARS: usize = 40;

struct Titles {
    /// Folded title texts (core, variants without numbering) → section index.
    exact: Vec<(String, usize)>,
    ac: AhoCorasick,
    ac_section: Vec<usize>,
    /// Folded anchor word sets per section.
    anchors: Vec<Vec<Vec<String>>>,
    /// Folded table-三 row labels (never headings).
    table_labels: Vec<String>,
}

fn titles() -> &'static Titles {
    static T: OnceLock<Titles> = OnceLock::new();
    T.get_or_init(|| {
        let s = schema();
        let mut exact = Vec::new();
        for (i, sec) in s.sections.iter().enumerate() {
            for t in std::iter::once(sec.title)
                .chain(std::iter::once(sec.core))
                .chain(sec.variants.iter().copied())
            {
                let f = crate::fold::fold_str(t, FoldMode::Label);
                let f = match parse_marker(&f) {
                    Some(m) => f[m.len..].to_string(),
                    None => f,
                };
                if !exact.iter().any(|(e, _)| *e == f) {
                    exact.push((f, i));
                }
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(exact.iter().map(|(e, _)| e.as_str()))
            .expect("title automaton");
        let ac_section = exact.iter().map(|(_, i)| *i).collect();
        let anchors = s
            .sections
            .iter()
            .map(|sec: &SectionSchema| {
                sec.anchors
                    .iter()
                    .map(|set| {
                        set.iter()
                            .map(|w| crate::fold::fold_str(w, FoldMode::Label))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let table_labels = s
            .table_shapes("t3")
            .flat_map(|t| t.rows.iter())
            .map(|r| crate::fold::fold_str(r.label, FoldMode::Label))
            .collect();
        Titles {
            exact,
            ac,
            ac_section,
            anchors,
            table_labels,
        }
    })
}

/// Which section a heading title (folded, numbering removed) names, and whether it is the
/// canonical title.
fn classify_title(title: &str, allow_anchors: bool) -> Option<(usize, bool)> {
    let t = titles();
    let title = title.trim_end_matches([':', '。', '.']);
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return None;
    }
    if let Some((_, i)) = t.exact.iter().find(|(e, _)| e == title) {
        let canonical = schema().sections[*i].core == title;
        return Some((*i, canonical));
    }
    if !allow_anchors {
        return None;
    }
    for (i, sets) in t.anchors.iter().enumerate() {
        if sets
            .iter()
            .any(|set| set.iter().all(|w| title.contains(w.as_str())))
        {
            return Some((i, false));
        }
    }
    None
}

fn is_toc_line(s: &str) -> bool {
    let t = s.trim_end();
    let digits = t.trim_end_matches(|c: char| c.is_ascii_digit());
    if digits.len() == t.len() {
        return false;
    }
    let before = digits.trim_end();
    before.ends_with("...")
        || before.ends_with("……")
        || before.ends_with("··")
        || before.ends_with("…")
}

/// The text of a Markdown heading or emphasised line: without leading `#`s and
/// surrounding `**`/`__`.
pub(crate) fn markdown_inner(text: &str, r: TextRange) -> TextRange {
    let s = r.slice(text);
    let hashes = s.len() - s.trim_start_matches('#').len();
    let mut start = r.start;
    if (1..=6).contains(&hashes) && s[hashes..].starts_with([' ', '\t']) {
        start += hashes;
    }
    let mut r = trim(text, TextRange::new(start, r.end));
    for mark in ["**", "__"] {
        let s = r.slice(text);
        if s.len() > 4 && s.starts_with(mark) && s.ends_with(mark) {
            r = trim(text, TextRange::new(r.start + 2, r.end - 2));
        }
    }
    r
}

/// Every title and anchor set has one of these chars (情况 / 复议 / 诉讼 / 问题 / 事项,
/// Simplified or Traditional): a line without any is no heading.
const TITLE_CHARS: [&str; 10] = ["况", "況", "议", "議", "讼", "訟", "题", "題", "项", "項"];

/// A heading on a line of its own. `title_char`: whether the trimmed line has one of
/// [`TITLE_CHARS`] (a cheap filter before folding; [`find`] searches the whole text once).
fn line_heading(text: &str, line: &Line, title_char: bool) -> Option<Section> {
    let r = line.trimmed;
    if r.is_empty() || r.len() > 200 {
        return None;
    }
    let raw = r.slice(text);
    // Table cells (`text |`, most lines of a pipe layout) are not headings.
    if raw.ends_with('|') {
        return None;
    }
    if !title_char {
        return None;
    }
    // Tab-separated rows and table-of-contents entries are not headings either.
    if raw.trim_start_matches('\t').contains('\t') || is_toc_line(raw) {
        return None;
    }
    // Markdown: "## 一、总体情况", "**一、总体情况**" — the heading is the text inside.
    let r = markdown_inner(text, r);
    let raw = r.slice(text);
    // Most candidates are rejected: fold without a source map first, and build the map only
    // for a heading.
    let folded = fold_str(raw, FoldMode::Label);
    let marker = parse_marker(&folded);
    let (title_start, numbering) = match marker {
        Some(m) => match m.style {
            NumberingStyle::ChineseComma
            | NumberingStyle::ArabicComma
            | NumberingStyle::ArabicDot => (m.len, Some(m)),
            _ => return None,
        },
        None => (0, None),
    };
    let title = &folded[title_start..];
    if titles().table_labels.contains(&folded) {
        return None;
    }
    let (idx, canonical) = classify_title(title, numbering.is_some())?;
    let sec = &schema().sections[idx];
    if let Some(m) = numbering {
        // Arabic-numbered sub-headings inside 总体情况 ("1.收到和处理…") reuse section
        // titles; an Arabic-numbered heading must carry its own section's number.
        if m.style != NumberingStyle::ChineseComma && m.number != sec.order as u32 {
            return None;
        }
    }
    let f = fold(text, r, FoldMode::Label);
    let title_range = f.source_range(title_start, f.text.len());
    Some(Section {
        key: sec.key,
        heading: raw.to_string(),
        heading_range: r,
        title_range,
        numbering: numbering.map(|m| {
            // The folded marker has no spaces; the source's spaces after it belong to it.
            let r = f.source_range(0, m.len);
            let rest = &text[r.end..title_range.start.max(r.end)];
            Numbering {
                style: m.style,
                number: m.number,
                range: TextRange::new(r.start, r.end + rest.len() - rest.trim_start().len()),
            }
        }),
        body_range: TextRange::empty(r.end),
        canonical,
        inline: false,
    })
}

/// Headings inside a long line: `一、总体情况2019年，…`. Only numbered, exactly known
/// titles count, and lists of titles (`一、总体情况；二、主动公开…`) are not headings.
/// The chars whose fold holds `、`; each folds to exactly `、` (a test checks every char).
const IDEOGRAPHIC_COMMAS: [&str; 4] = ["、", "︑", "﹑", "､"];

/// Whether the fold of `s` has a numbered `、` (`一、` … `六、`, `1、` … `6、`), which every
/// inline heading starts with. Long lines are mostly prose without one, and this is much
/// cheaper than folding them: only the chars just before each comma are folded.
fn may_have_inline_heading(s: &str) -> bool {
    needles!(IDEOGRAPHIC_COMMAS)
        .find(s, |i| {
            matches!(
                last_folded_char(&s[..i], FoldMode::Label),
                Some('一' | '二' | '三' | '四' | '五' | '六' | '1'..='6')
            )
        })
        .is_some()
}

fn inline_headings(text: &str, line: TextRange, out: &mut Vec<Section>) {
    if !may_have_inline_heading(line.slice(text)) {
        return;
    }
    let t = titles();
    let f = fold(text, line, FoldMode::Label);
    let mut found: Vec<(usize, usize, usize, Numbering)> = Vec::new();
    for m in t.ac.find_iter(&f.text) {
        let before = &f.text[..m.start()];
        let Some(num_end) = before.strip_suffix('、').map(|b| b.len()) else {
            continue;
        };
        let prev = f.text[..num_end].chars().next_back();
        let (style, number) = match prev {
            Some(c @ ('一' | '二' | '三' | '四' | '五' | '六')) => (
                NumberingStyle::ChineseComma,
                "一二三四五六".chars().position(|x| x == c).unwrap_or(0) as u32 + 1,
            ),
            Some(c @ '1'..='6') => (NumberingStyle::ArabicComma, c as u32 - '0' as u32),
            _ => continue,
        };
        let num_start = num_end - prev.map(char::len_utf8).unwrap_or(0);
        // "三、本年度办理结果" … are table rows; a numeral preceded by another numeral
        // ("十一、") is not a section number.
        let preceded_by = |set: &str| f.text[..num_start].ends_with(|c: char| set.contains(c));
        let glued_number = match style {
            NumberingStyle::ChineseComma => preceded_by("一二三四五六七八九十"),
            _ => preceded_by("0123456789"),
        };
        if glued_number {
            continue;
        }
        let sec = t.ac_section[m.pattern().as_usize()];
        let numbering = Numbering {
            style,
            number,
            range: f.source_range(num_start, m.start()),
        };
        found.push((num_start, m.end(), sec, numbering));
    }
    // Reject clusters: a heading followed within a few characters by the next one is part
    // of a list of the report's parts.
    let mut keep = vec![true; found.len()];
    for i in 0..found.len().saturating_sub(1) {
        let gap = f.text[found[i].1..found[i + 1].0].chars().count();
        if gap < 8 {
            keep[i] = false;
            keep[i + 1] = false;
        }
    }
    for (i, (start, end, sec, numbering)) in found.into_iter().enumerate() {
        if !keep[i] {
            continue;
        }
        let s = &schema().sections[sec];
        let hr = f.source_range(start, end);
        let title_range = TextRange::new(numbering.range.end, hr.end);
        let title_folded = crate::fold::fold_str(title_range.slice(text), FoldMode::Label);
        out.push(Section {
            key: s.key,
            heading: hr.slice(text).to_string(),
            heading_range: hr,
            title_range,
            numbering: Some(numbering),
            body_range: TextRange::empty(hr.end),
            canonical: title_folded == s.core,
            inline: true,
        });
    }
}

/// Short lines of web-page chrome after a report (扫一扫在手机打开当前页, 打印, 关闭 …).
fn is_chrome_line(s: &str) -> bool {
    const WORDS: [&str; 12] = [
        "扫一扫",
        "打印",
        "关闭",
        "回到顶部",
        "分享",
        "收藏",
        "附件下载",
        "字号",
        "相关链接",
        "TOP",
        "返回顶部",
        "打開",
    ];
    let t = s.trim();
    t.chars().count() <= 24 && WORDS.iter().any(|w| t.contains(w))
}

/// Finds the section headings and fills in their bodies.
pub(crate) fn find(text: &str, lines: &[Line]) -> Vec<Section> {
    let mut out = Vec::new();
    // Where the title chars are, in order; `next` is the first not before the line.
    let mut title_chars = Vec::new();
    needles!(TITLE_CHARS).each(text, |i| title_chars.push(i));
    let mut next = 0;
    for l in lines {
        if l.range.len() >= INLINE_MIN_LINE {
            inline_headings(text, l.range, &mut out);
            continue;
        }
        while title_chars.get(next).is_some_and(|&i| i < l.trimmed.start) {
            next += 1;
        }
        let title_char = title_chars.get(next).is_some_and(|&i| i < l.trimmed.end);
        if let Some(s) = line_heading(text, l, title_char) {
            out.push(s);
        }
    }
    out.sort_by_key(|s| s.heading_range.start);
    // Body: to the next heading; the last one stops before trailing chrome.
    let mut end_of_report = text.len();
    if let Some(last) = out.last() {
        let after = lines
            .iter()
            .filter(|l| l.range.start >= last.heading_range.end)
            .collect::<Vec<_>>();
        let mut cut = None;
        for l in after.iter().rev() {
            let s = l.range.slice(text);
            if s.trim().is_empty() {
                continue;
            }
            if is_chrome_line(s) {
                cut = Some(l.range.start);
            } else {
                break;
            }
        }
        if let Some(c) = cut {
            end_of_report = c;
        }
    }
    for i in 0..out.len() {
        let start = out[i].heading_range.end;
        let end = out
            .get(i + 1)
            .map(|n| n.heading_range.start)
            .unwrap_or(end_of_report)
            .max(start);
        let body = trim(text, TextRange::new(start, end));
        out[i].body_range = if body.is_empty() {
            TextRange::empty(start)
        } else {
            body
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lines;

    fn keys(t: &str) -> Vec<&'static str> {
        find(t, &lines(t)).into_iter().map(|s| s.key).collect()
    }

    #[test]
    fn headings_by_words_not_numbers() {
        let t = "一、總體情況\n正文\n2、 主动公开政府信息情况\n四、復議和訴訟情況\n五、存在的主要問題及改進措施\n六、其他需要報告的事項";
        assert_eq!(
            keys(t),
            [
                "s1_overview",
                "s2_proactive",
                "s4_review_litigation",
                "s5_problems",
                "s6_other"
            ]
        );
    }

    #[test]
    fn traps_are_not_headings() {
        // Table rows, sub-headings, intro lists, TOC entries, Arabic sub-headings.
        let t = "四、結轉下年度繼續辦理 |\n三、本年度办理结果\n(一)主动公开情况\n1、存在问题\n\
                 二、主动公开政府信息情况 ........ 10\n1.收到和处理政府信息公开申请情况\n\
                 全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况。";
        assert!(keys(t).is_empty(), "{:?}", keys(t));
    }

    #[test]
    fn ideographic_commas_are_the_chars_that_fold_to_one() {
        let mut buf = [0u8; 4];
        let found: Vec<(char, String)> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .map(|c| (c, fold_str(c.encode_utf8(&mut buf), FoldMode::Label)))
            .filter(|(_, f)| f.contains('、'))
            .collect();
        let expected: Vec<(char, String)> = IDEOGRAPHIC_COMMAS
            .iter()
            .flat_map(|c| c.chars())
            .map(|c| (c, "、".to_string()))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn inline_headings_in_crawled_text() {
        let filler = "这是一段很长的正文内容，用于模拟爬取的网页文本。".repeat(8);
        let t = format!(
            "本报告包括总体情况、主动公开政府信息情况等六个部分。{filler}一、总体情况2019年，{filler}二、主动公开政府信息情况第二十条{filler}一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况"
        );
        assert_eq!(keys(&t), ["s1_overview", "s2_proactive"]);
    }
}
