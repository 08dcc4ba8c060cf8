//! Title, reporting year, statistical period and issuing body (spec §2.2, §6.1, §6.2).

use crate::fold::{FoldMode, Folded, fold, fold_str, fold_until};
use crate::model::{IssuingBody, Period, Section, Title, Year, YearSource};
use crate::phrases;
use crate::text::{Line, TextRange, trim};

pub(crate) struct Meta {
    pub title: Option<Title>,
    pub year: Option<Year>,
    pub period: Option<Period>,
    pub body: Option<IssuingBody>,
}

/// Whether a title line (folded light, the page prefix stripped, a split title joined)
/// names a report of a year: the spec's title regex or the looser one. What
/// [`crate::parts`] splits a document at.
pub(crate) fn names_report_of_year(folded: &str) -> bool {
    title_year_range(folded).is_some()
}

/// The year's range in a title line (folded): the spec's title pattern, else the looser one.
fn title_year_range(folded: &str) -> Option<std::ops::Range<usize>> {
    phrases::title(folded).or_else(|| phrases::title_loose(folded))
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

/// Source range of a match on folded text.
fn src(f: &Folded, m: std::ops::Range<usize>) -> TextRange {
    f.source_range(m.start, m.end)
}

pub(crate) fn find(text: &str, lines: &[Line], sections: &[Section]) -> Meta {
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
        let stripped = phrases::page_prefix_len(&folded);
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
        let m = title_year_range(&joined);
        let is_title =
            m.is_some() || (joined.contains("政府信息公开") && joined.trim_end().ends_with("报告"));
        if !is_title {
            continue;
        }
        let start = fold_until(text, lr, FoldMode::Light, stripped)
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
        if let Some(y) = m {
            // The year's position: search the original title range for the digits.
            let y = &joined[y];
            if let Some(yv) = year_of(y) {
                let ys = range.slice(text).find(y).map(|o| range.start + o);
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
        // Fold without a source map; fold again with the map, as far as the match, only
        // when something matched (the line may be a whole crawled report).
        let folded = fold_str(s, FoldMode::Light);
        let source_of = |m: std::ops::Range<usize>| {
            fold_until(text, lr, FoldMode::Light, m.end).source_range(m.start, m.end)
        };
        if period.is_none()
            && let Some(m) = phrases::period(&folded)
        {
            period = Some(Period {
                start_year: year_of(&folded[m.y1]).unwrap_or(0),
                end_year: m.y2.and_then(|y| year_of(&folded[y])),
                range: source_of(m.whole),
            });
        }
        if preamble_year.is_none()
            && lr.start < first_heading.max(1)
            && let Some(y) = phrases::preamble_year(&folded)
            && let Some(v) = year_of(&folded[y.clone()])
        {
            preamble_year = Some(Year {
                value: v,
                source: YearSource::Preamble,
                range: source_of(y),
            });
        }
        if body_guess.is_none()
            && lr.start < first_heading.max(1)
            && let Some(b) = phrases::compiled_by(&folded)
        {
            let range = source_of(b);
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
            if let Some(y) = phrases::year_word(&f.text)
                && let Some(v) = year_of(&f.text[y.clone()])
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
            if phrases::is_date_line(&fb) && sa.chars().count() <= 30 && !has_sentence_punct(sa) {
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
