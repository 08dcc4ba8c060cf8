//! Title, reporting year, statistical period and issuing body (spec §2.2, §6.1, §6.2).

use std::cell::OnceCell;
use std::sync::OnceLock;

use regex::Regex;

use crate::fold::{FoldMode, Folded, fold, fold_str};
use crate::model::{IssuingBody, Period, Section, Title, Year, YearSource};
use crate::schema::schema;
use crate::text::{Line, TextRange, trim};

pub(crate) struct Meta {
    pub title: Option<Title>,
    pub year: Option<Year>,
    pub period: Option<Period>,
    pub body: Option<IssuingBody>,
}

struct Res {
    title: Regex,
    title_loose: Regex,
    period: Regex,
    preamble_year: Regex,
    year_word: Regex,
    compiled_by: Regex,
    date_line: Regex,
    page_prefix: Regex,
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| {
        // The spec's regexes, run on Simplified, NFKC-folded text (so 開/報 are folded).
        let s = schema();
        Res {
            title: Regex::new(s.title_regex).expect("title regex"),
            title_loose: Regex::new(
                r"(?P<year>20\d{2})\s*年度?.{0,24}?政府信息公开(?:工作)?\s*(?:年度)?\s*报告",
            )
            .expect("regex"),
            period: Regex::new(s.period_regex).expect("period regex"),
            preamble_year: Regex::new(r"(?P<year>20\d{2})\s*年度?\s*政府信息公开").expect("regex"),
            year_word: Regex::new(r"(?P<year>20\d{2})\s*年").expect("regex"),
            compiled_by: Regex::new(r"由(?P<body>[^,，。、《》()]{2,30}?)(?:编制|制定|编写)")
                .expect("regex"),
            date_line: Regex::new(r"^\s*20\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
                .expect("regex"),
            page_prefix: Regex::new(r"^(?:标题\s*[:：]\s*|Page\s*\d+\s*-\s*|#{1,6}\s+)")
                .expect("regex"),
        }
    })
}

/// Whether a title line (folded light, the page prefix stripped, a split title joined)
/// names a report of a year: the spec's title regex or the looser one. What
/// [`crate::parts`] splits a document at.
pub(crate) fn names_report_of_year(folded: &str) -> bool {
    let r = res();
    r.title.is_match(folded) || r.title_loose.is_match(folded)
}

/// The length of a page prefix (`标题：`, `Page 3 - `, a Markdown `#`) at the start of a
/// folded line.
pub(crate) fn page_prefix_len(folded: &str) -> usize {
    res().page_prefix.find(folded).map(|m| m.end()).unwrap_or(0)
}

/// The second line of a title split over two (`…政府信息公开工作` / `年度报告`), folded.
pub(crate) fn is_title_tail(folded: &str) -> bool {
    folded.chars().count() <= 12 && folded.ends_with("报告")
}

/// A line (trimmed) that can be the body's name above a title that begins with its year
/// (`晋城市城区人民政府办公室` / `2022年政府信息公开工作年度报告`).
pub(crate) fn is_body_name_line(line: &str) -> bool {
    !line.is_empty()
        && line.chars().count() <= 30
        && !has_sentence_punct(line)
        && !line.contains([':', '：'])
}

pub(crate) fn has_sentence_punct(s: &str) -> bool {
    s.contains(['。', '，', ',', '；', ';', '！'])
}

fn year_of(s: &str) -> Option<u16> {
    s.parse().ok()
}

/// Source range of a regex match on folded text.
fn src(f: &Folded, m: regex::Match<'_>) -> TextRange {
    f.source_range(m.start(), m.end())
}

pub(crate) fn find(text: &str, lines: &[Line], sections: &[Section]) -> Meta {
    let r = res();
    let first_heading = sections
        .first()
        .map(|s| s.heading_range.start)
        .unwrap_or(text.len());
    let s2_start = sections
        .iter()
        .find(|s| s.key != "s1_overview")
        .map(|s| s.heading_range.start)
        .unwrap_or(text.len());
    let head_lines: Vec<&Line> = lines
        .iter()
        .filter(|l| l.range.start < first_heading.max(1))
        .take(60)
        .collect();

    // Title: a short line (or two joined) naming the report.
    let mut title: Option<Title> = None;
    let mut title_year: Option<Year> = None;
    let mut title_line_idx = None;
    for (i, l) in head_lines.iter().enumerate() {
        let lr = trim(text, l.range);
        if lr.is_empty() || lr.len() > 300 {
            continue;
        }
        // The source map is only needed for the title line: fold without it first.
        let folded = fold_str(lr.slice(text), FoldMode::Light);
        let stripped = r.page_prefix.find(&folded).map(|m| m.end()).unwrap_or(0);
        let body = &folded[stripped..];
        if has_sentence_punct(body) || body.chars().count() > 80 {
            continue;
        }
        // A title split over two lines: "…政府信息公开工作" / "年度报告".
        let mut joined = body.to_string();
        let mut end = lr.end;
        if !joined.trim_end().ends_with("报告")
            && let Some(next) = head_lines.get(i + 1)
        {
            let nr = trim(text, next.range);
            let nf = fold_str(nr.slice(text), FoldMode::Light);
            if is_title_tail(&nf) {
                joined.push_str(&nf);
                end = nr.end;
            }
        }
        let m = r
            .title
            .captures(&joined)
            .or_else(|| r.title_loose.captures(&joined));
        let is_title =
            m.is_some() || (joined.contains("政府信息公开") && joined.trim_end().ends_with("报告"));
        if !is_title {
            continue;
        }
        let start = fold(text, lr, FoldMode::Light)
            .source_range(stripped, stripped)
            .start;
        let mut range = TextRange::new(start, end);
        // "晋城市城区人民政府办公室" / "2022年政府信息公开工作年度报告"
        if joined.trim_start().starts_with("20")
            && i > 0
            && let Some(prev) = head_lines.get(i - 1)
        {
            let pr = trim(text, prev.range);
            if is_body_name_line(pr.slice(text)) {
                range = TextRange::new(pr.start, end);
            }
        }
        let text_joined: String = range
            .slice(text)
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("");
        if let Some(c) = m
            && let Some(y) = c.name("year")
        {
            // The year's position: search the original title range for the digits.
            let yv = year_of(y.as_str());
            if let Some(yv) = yv {
                let ys = range.slice(text).find(y.as_str()).map(|o| range.start + o);
                title_year = Some(Year {
                    value: yv,
                    source: YearSource::Title,
                    range: ys.map(|s| TextRange::new(s, s + 4)).unwrap_or(range),
                });
            }
        }
        title = Some(Title {
            text: text_joined,
            range,
        });
        title_line_idx = Some(i);
        break;
    }

    // Statistical period, in the text before section 二.
    let mut period = None;
    let mut preamble_year = None;
    let mut body_guess: Option<IssuingBody> = None;
    for l in lines.iter().filter(|l| l.range.start < s2_start) {
        if l.range.is_empty() {
            continue;
        }
        let end = l.range.end.min(s2_start.max(l.range.start));
        let lr = TextRange::new(l.range.start, end.max(l.range.start));
        if lr.is_empty() {
            continue;
        }
        let s = lr.slice(text);
        // A period needs "…年1月1日…12月31日"; a preamble year "…年…政府信息公开/公開";
        // the compiler "由…编制/編制". Skip lines that can have none of them.
        let maybe_period =
            period.is_none() && s.contains('月') && (s.contains("31") || s.contains("３１"));
        // The year and the compiler are only looked for before the first heading.
        let in_preamble = lr.start < first_heading.max(1);
        let maybe_year = in_preamble
            && preamble_year.is_none()
            && s.contains('年')
            && (s.contains("公开") || s.contains("公開"));
        let maybe_body = in_preamble
            && body_guess.is_none()
            && s.contains('由')
            && (s.contains('编') || s.contains('編') || s.contains('制'));
        if !(maybe_period || maybe_year || maybe_body) {
            continue;
        }
        // Fold without a source map; build the map only when something matched.
        let folded = fold_str(s, FoldMode::Light);
        let map = OnceCell::new();
        let map = || map.get_or_init(|| fold(text, lr, FoldMode::Light));
        if period.is_none()
            && let Some(c) = r.period.captures(&folded)
        {
            let whole = c.get(0).expect("match");
            period = Some(Period {
                start_year: c.name("y1").and_then(|y| year_of(y.as_str())).unwrap_or(0),
                end_year: c.name("y2").and_then(|y| year_of(y.as_str())),
                range: src(map(), whole),
            });
        }
        if preamble_year.is_none()
            && lr.start < first_heading.max(1)
            && let Some(c) = r.preamble_year.captures(&folded)
        {
            let y = c.name("year").expect("year");
            if let Some(v) = year_of(y.as_str()) {
                preamble_year = Some(Year {
                    value: v,
                    source: YearSource::Preamble,
                    range: src(map(), y),
                });
            }
        }
        if body_guess.is_none()
            && lr.start < first_heading.max(1)
            && let Some(c) = r.compiled_by.captures(&folded)
        {
            let b = c.name("body").expect("body");
            let range = src(map(), b);
            body_guess = Some(IssuingBody {
                name: range.slice(text).to_string(),
                range,
            });
        }
        if period.is_some() && preamble_year.is_some() {
            break;
        }
    }

    let mut year = title_year.or_else(|| {
        period.as_ref().map(|p| Year {
            value: p.start_year,
            source: YearSource::Period,
            range: p.range,
        })
    });
    if year.is_none() {
        year = preamble_year;
    }
    if year.is_none() {
        // Last resort: the first "YYYY年" of the overview section.
        if let Some(s1) = sections.iter().find(|s| s.key == "s1_overview") {
            let br = TextRange::new(
                s1.body_range.start,
                (s1.body_range.start + 600).min(s1.body_range.end),
            );
            let br = clamp_to_char(text, br);
            let f = fold(text, br, FoldMode::Light);
            if let Some(c) = r.year_word.captures(&f.text) {
                let y = c.name("year").expect("year");
                if let Some(v) = year_of(y.as_str())
                    && (2000..2100).contains(&v)
                {
                    year = Some(Year {
                        value: v,
                        source: YearSource::Body,
                        range: src(&f, y),
                    });
                }
            }
        }
    }

    // Issuing body: the title before the year; else "由…编制"; else the signature.
    let mut body = None;
    if let (Some(t), Some(y)) = (&title, &year)
        && y.source == YearSource::Title
        && y.range.start >= t.range.start
    {
        let before = trim(text, TextRange::new(t.range.start, y.range.start));
        let name: String = before.slice(text).lines().map(str::trim).collect();
        if !name.is_empty() {
            body = Some(IssuingBody {
                name,
                range: before,
            });
        } else {
            // "2022年上海市政府信息公开…": the name after the year.
            let after_year = TextRange::new(y.range.end, t.range.end);
            let s = after_year.slice(text);
            let s = s.trim_start_matches(['年', '度', ' ']);
            if let Some(p) = s.find("政府信息公") {
                let name = s[..p].trim();
                if !name.is_empty() {
                    let off = t.range.end - s.len();
                    body = Some(IssuingBody {
                        name: name.to_string(),
                        range: TextRange::new(off, off + name.len()),
                    });
                }
            }
        }
    }
    if body.is_none() {
        body = body_guess;
    }
    if body.is_none() {
        // Signature: a short line followed by a date line at the end of the report.
        let non_empty: Vec<&Line> = lines
            .iter()
            .filter(|l| !trim(text, l.range).is_empty())
            .collect();
        for w in non_empty.windows(2).rev().take(8) {
            let (a, b) = (trim(text, w[0].range), trim(text, w[1].range));
            let fb = fold_str(b.slice(text), FoldMode::Light);
            let sa = a.slice(text);
            if r.date_line.is_match(&fb) && sa.chars().count() <= 30 && !has_sentence_punct(sa) {
                body = Some(IssuingBody {
                    name: sa.to_string(),
                    range: a,
                });
                break;
            }
        }
    }
    let _ = title_line_idx;
    Meta {
        title,
        year,
        period,
        body,
    }
}

fn clamp_to_char(text: &str, r: TextRange) -> TextRange {
    let mut end = r.end.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    TextRange::new(r.start.min(end), end)
}
