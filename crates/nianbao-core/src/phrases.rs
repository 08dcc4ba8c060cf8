//! Hand-written matchers for the phrases the parser and the prose checks look for: the
//! spec's title and period patterns, the preamble's year and compiler, a date line, and
//! the sentences NB401 and NB501 read.
//!
//! Each one matches exactly what the regular expression written in its documentation
//! matches (leftmost-first, as the `regex` crate does), and the unit tests hold them to it
//! by running both on generated text. They exist because the language server analyses a
//! report on every edit, usually after the machine has idled for a while: with cold caches a
//! regex engine's code and tables cost several times what these few loops cost, and the
//! regexes were a quarter of an edit's time.
//!
//! All but [`mojibake`] (which reads the text as written) take *folded* text (see
//! [`crate::fold`]): full-width digits are ASCII there, so `\d` is an ASCII digit, and `\s`
//! is Unicode white space (as in `regex`). Ranges are byte ranges into the text given.

use std::ops::Range;

use memchr::memmem;

/// A position in a text, moved forward by the `eat_*` methods.
#[derive(Clone, Copy)]
struct Cur<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cur<'a> {
    fn at(s: &'a str, i: usize) -> Self {
        Cur { s, i }
    }

    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }

    /// Consumes one char if `f` accepts it.
    fn eat_if(&mut self, f: impl Fn(char) -> bool) -> bool {
        match self.peek() {
            Some(c) if f(c) => {
                self.i += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    fn eat(&mut self, t: &str) -> bool {
        if self.s[self.i..].starts_with(t) {
            self.i += t.len();
            true
        } else {
            false
        }
    }

    /// The first of `alts` that is here (`(?:a|b|c)`).
    fn eat_one_of(&mut self, alts: &[&str]) -> bool {
        alts.iter().any(|t| self.eat(t))
    }

    /// `\s*`
    fn ws(&mut self) {
        while self.eat_if(char::is_whitespace) {}
    }

    /// `\d{min,max}`, greedy; the digits' range.
    fn digits(&mut self, min: usize, max: usize) -> Option<Range<usize>> {
        let start = self.i;
        let n = self.s.as_bytes()[start..]
            .iter()
            .take(max)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if n < min {
            return None;
        }
        self.i += n;
        Some(start..self.i)
    }

    /// `20\d{2}`: a year of this century; its range.
    fn year(&mut self) -> Option<Range<usize>> {
        let start = self.i;
        let mut c = *self;
        (c.eat("20") && c.digits(2, 2).is_some()).then(|| {
            *self = c;
            start..self.i
        })
    }
}

/// Runs `m` at every start where `20` is, leftmost first; the first success.
fn at_years<T>(s: &str, mut m: impl FnMut(Cur<'_>) -> Option<T>) -> Option<T> {
    words!(["20"]).finders[0]
        .find_iter(s.as_bytes())
        .find_map(|i| m(Cur::at(s, i)))
}

/// `.{0,n}?` then `tail`: the first (fewest chars skipped, never `\n`) place where `tail`
/// matches, and where it ends.
fn lazy_any(c: Cur<'_>, n: usize, tail: impl Fn(&mut Cur<'_>) -> bool) -> Option<usize> {
    lazy_class(c, 0, n, |ch| ch != '\n', tail)
}

/// `[class]{min,max}?` then `tail`: where `tail`'s first match ends.
fn lazy_class(
    mut c: Cur<'_>,
    min: usize,
    max: usize,
    class: impl Fn(char) -> bool,
    tail: impl Fn(&mut Cur<'_>) -> bool,
) -> Option<usize> {
    for k in 0..=max {
        if k >= min {
            let mut t = c;
            if tail(&mut t) {
                return Some(t.i);
            }
        }
        if k == max || !c.eat_if(&class) {
            return None;
        }
    }
    None
}

/// The spec's title pattern,
/// `(?P<year>20\d{2})\s*年度?\s*政府信息公[开開]工作\s*年度\s*[报報]告`: the year's range.
pub(crate) fn title(s: &str) -> Option<Range<usize>> {
    at_years(s, |mut c| {
        let year = c.year()?;
        c.ws();
        (c.eat("年")).then_some(())?;
        c.eat("度");
        c.ws();
        (c.eat("政府信息公") && c.eat_one_of(&["开", "開"]) && c.eat("工作")).then_some(())?;
        c.ws();
        c.eat("年度").then_some(())?;
        c.ws();
        (c.eat_one_of(&["报", "報"]) && c.eat("告")).then_some(year)
    })
}

/// A looser title,
/// `(?P<year>20\d{2})\s*年度?.{0,24}?政府信息公开(?:工作)?\s*(?:年度)?\s*报告`: the year's range.
pub(crate) fn title_loose(s: &str) -> Option<Range<usize>> {
    let tail = |c: &mut Cur<'_>| {
        if !c.eat("政府信息公开") {
            return false;
        }
        c.eat("工作");
        c.ws();
        c.eat("年度");
        c.ws();
        c.eat("报告")
    };
    at_years(s, |mut c| {
        let year = c.year()?;
        c.ws();
        c.eat("年").then_some(())?;
        let mut with_du = c;
        if with_du.eat("度") && lazy_any(with_du, 24, tail).is_some() {
            return Some(year);
        }
        lazy_any(c, 24, tail).map(|_| year)
    })
}

/// A statistical period, the spec's
/// `(?P<y1>20\d{2})年\s*1\s*月\s*1\s*日.{0,6}?(?:至|到|—|-)\s*(?:(?P<y2>20\d{2})年)?\s*12\s*月\s*31\s*日`.
pub(crate) struct PeriodMatch {
    pub whole: Range<usize>,
    pub y1: Range<usize>,
    pub y2: Option<Range<usize>>,
}

pub(crate) fn period(s: &str) -> Option<PeriodMatch> {
    at_years(s, |mut c| {
        let start = c.i;
        let y1 = c.year()?;
        let head = c.eat("年")
            && {
                c.ws();
                c.eat("1")
            }
            && {
                c.ws();
                c.eat("月")
            }
            && {
                c.ws();
                c.eat("1")
            }
            && {
                c.ws();
                c.eat("日")
            };
        if !head {
            return None;
        }
        let y2 = std::cell::Cell::new(None);
        let end = lazy_any(c, 6, |t| {
            if !t.eat_one_of(&["至", "到", "—", "-"]) {
                return false;
            }
            t.ws();
            let mut y = *t;
            y2.set(None);
            if let Some(r) = y.year()
                && y.eat("年")
            {
                *t = y;
                y2.set(Some(r));
            }
            t.ws();
            t.eat("12")
                && {
                    t.ws();
                    t.eat("月")
                }
                && {
                    t.ws();
                    t.eat("31")
                }
                && {
                    t.ws();
                    t.eat("日")
                }
        })?;
        Some(PeriodMatch {
            whole: start..end,
            y1,
            y2: y2.take(),
        })
    })
}

/// The preamble's year, `(?P<year>20\d{2})\s*年度?\s*政府信息公开`: its range.
pub(crate) fn preamble_year(s: &str) -> Option<Range<usize>> {
    at_years(s, |mut c| {
        let year = c.year()?;
        c.ws();
        c.eat("年").then_some(())?;
        c.eat("度");
        c.ws();
        c.eat("政府信息公开").then_some(year)
    })
}

/// The first year in a text, `(?P<year>20\d{2})\s*年`: its range.
pub(crate) fn year_word(s: &str) -> Option<Range<usize>> {
    at_years(s, |mut c| {
        let year = c.year()?;
        c.ws();
        c.eat("年").then_some(year)
    })
}

/// The compiler, `由(?P<body>[^,，。、《》()]{2,30}?)(?:编制|制定|编写)`: the body's range.
pub(crate) fn compiled_by(s: &str) -> Option<Range<usize>> {
    words!(["由"]).finders[0]
        .find_iter(s.as_bytes())
        .find_map(|i| {
            let c = Cur::at(s, i + "由".len());
            let body_start = c.i;
            let end = lazy_class(
                c,
                2,
                30,
                |ch| !matches!(ch, ',' | '，' | '。' | '、' | '《' | '》' | '(' | ')'),
                |t| {
                    let before = t.i;
                    // The body ends where the verb begins: remember it through the verb's length.
                    t.eat_one_of(&["编制", "制定", "编写"]) && {
                        t.i = before;
                        true
                    }
                },
            )?;
            Some(body_start..end)
        })
}

/// A date line on its own, `^\s*20\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$`.
pub(crate) fn is_date_line(s: &str) -> bool {
    let mut c = Cur::at(s, 0);
    c.ws();
    let ok = c.year().is_some()
        && {
            c.ws();
            c.eat("年")
        }
        && {
            c.ws();
            c.digits(1, 2).is_some()
        }
        && {
            c.ws();
            c.eat("月")
        }
        && {
            c.ws();
            c.digits(1, 2).is_some()
        }
        && {
            c.ws();
            c.eat("日")
        };
    c.ws();
    ok && c.i == s.len()
}

/// The length of a page prefix at the start of a line,
/// `^(?:标题\s*[:：]\s*|Page\s*\d+\s*-\s*|#{1,6}\s+)`; 0 when there is none.
pub(crate) fn page_prefix_len(s: &str) -> usize {
    let mut c = Cur::at(s, 0);
    if c.eat("标题") {
        c.ws();
        if c.eat_one_of(&[":", "："]) {
            c.ws();
            return c.i;
        }
        return 0;
    }
    let mut c = Cur::at(s, 0);
    if c.eat("Page") {
        c.ws();
        if c.digits(1, usize::MAX).is_some() && {
            c.ws();
            c.eat("-")
        } {
            c.ws();
            return c.i;
        }
        return 0;
    }
    let hashes = s.bytes().take(6).take_while(|&b| b == b'#').count();
    let mut c = Cur::at(s, hashes);
    if hashes > 0 && c.eat_if(char::is_whitespace) {
        c.ws();
        return c.i;
    }
    0
}

/// Substring searchers for a list of constant words, built once: building a `memmem`
/// searcher costs more than searching the short lines the phrases read.
pub(crate) struct Words {
    words: &'static [&'static str],
    finders: Vec<memmem::Finder<'static>>,
}

impl Words {
    pub(crate) fn new(words: &'static [&'static str]) -> Self {
        Words {
            words,
            finders: words.iter().map(memmem::Finder::new).collect(),
        }
    }
}

/// The [`Words`] of a constant list, built on first use.
macro_rules! words {
    ($words:expr) => {{
        static W: std::sync::LazyLock<crate::phrases::Words> =
            std::sync::LazyLock::new(|| crate::phrases::Words::new(&$words));
        &*W
    }};
}
pub(crate) use words;

/// Where one of `words` begins in `s` at or after `from`, the earliest (and of those
/// beginning together, the first listed): `(?:a|b|…)`'s leftmost match start.
fn first_of(s: &str, from: usize, words: &Words) -> Option<usize> {
    words
        .finders
        .iter()
        .filter_map(|f| f.find(&s.as_bytes()[from..]).map(|i| from + i))
        .min()
}

/// The starts of `words` in `s` at or after `from`, ascending.
fn starts_of(s: &str, from: usize, words: &Words) -> Vec<usize> {
    let mut v: Vec<usize> = words
        .finders
        .iter()
        .flat_map(|f| f.find_iter(&s.as_bytes()[from..]).map(|i| from + i))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The leftmost match (at or after `from`) of one of `leads`, one of `verbs`, up to `n`
/// chars of `class` (lazily), then `tail`.
fn lead_verb_match(
    s: &str,
    leads: &Words,
    verbs: &[&str],
    n: usize,
    class: impl Fn(char) -> bool + Copy,
    tail: impl Fn(&mut Cur<'_>) -> bool,
) -> Option<Range<usize>> {
    starts_of(s, 0, leads).into_iter().find_map(|start| {
        let mut c = Cur::at(s, start);
        (c.eat_one_of(leads.words) && c.eat_one_of(verbs)).then_some(())?;
        lazy_class(c, 0, n, class, &tail).map(|end| start..end)
    })
}

/// Applications received,
/// `(?:共|累计|全年|本年度?)?(?:收到|新收|受理)[^。；，,、\d]{0,10}?申请\s*(\d+)\s*(?:件|个|条)`:
/// every match (non-overlapping, in order) and its number's range.
pub(crate) fn received(s: &str) -> Vec<(Range<usize>, Range<usize>)> {
    const LEADS: [&str; 5] = ["共", "累计", "全年", "本年度", "本年"];
    const VERBS: [&str; 3] = ["收到", "新收", "受理"];
    let class = |ch: char| !matches!(ch, '。' | '；' | '，' | ',' | '、') && !ch.is_ascii_digit();
    let mut out = Vec::new();
    let mut from = 0;
    for verb in starts_of(s, 0, words!(VERBS)) {
        if verb < from {
            continue;
        }
        let mut c = Cur::at(s, verb);
        c.eat_one_of(&VERBS);
        let number = std::cell::Cell::new(None);
        let Some(end) = lazy_class(c, 0, 10, class, |t| {
            let n = t.eat("申请").then(|| {
                t.ws();
                t.digits(1, usize::MAX)
            });
            let n = n.flatten().filter(|_| {
                t.ws();
                t.eat_one_of(&["件", "个", "条"])
            });
            let ok = n.is_some();
            number.set(n);
            ok
        }) else {
            continue;
        };
        // The lead word right before the verb, unless the previous match took it.
        let start = LEADS
            .iter()
            .filter_map(|w| {
                verb.checked_sub(w.len())
                    .filter(|&b| b >= from && s.as_bytes()[b..].starts_with(w.as_bytes()))
            })
            .min()
            .unwrap_or(verb);
        out.push((start..end, number.take().expect("tail matched")));
        from = end;
    }
    out
}

/// No application received, `(?:未|没有)(?:收到|发生|受理)[^。；，,]{0,12}?申请`: the first.
pub(crate) fn none_received(s: &str) -> Option<Range<usize>> {
    lead_verb_match(
        s,
        words!(["未", "没有"]),
        &["收到", "发生", "受理"],
        12,
        |ch| !matches!(ch, '。' | '；' | '，' | ','),
        |t| t.eat("申请"),
    )
}

/// No case, `(?:未|没有)(?:发生|收到)[^。；]{0,24}?(?:行政复议|行政诉讼)`: the first.
pub(crate) fn none_cases(s: &str) -> Option<Range<usize>> {
    lead_verb_match(
        s,
        words!(["未", "没有"]),
        &["发生", "收到"],
        24,
        |ch| !matches!(ch, '。' | '；'),
        |t| t.eat_one_of(&["行政复议", "行政诉讼"]),
    )
}

/// Cases of a kind, `{kind}(?:案件)?\s*(\d+)\s*(?:件|起)` (`kind` 行政复议 or 行政诉讼): every
/// match and its number's range.
pub(crate) fn cases(s: &str, kind: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    let mut from = 0;
    let finder = match kind {
        "行政复议" => &words!(["行政复议"]).finders[0],
        "行政诉讼" => &words!(["行政诉讼"]).finders[0],
        _ => &memmem::Finder::new(kind),
    };
    for start in finder.find_iter(s.as_bytes()) {
        if start < from {
            continue;
        }
        let mut c = Cur::at(s, start + kind.len());
        c.eat("案件");
        c.ws();
        let Some(n) = c.digits(1, usize::MAX) else {
            continue;
        };
        c.ws();
        if c.eat_one_of(&["件", "起"]) {
            out.push((start..c.i, n));
            from = c.i;
        }
    }
    out
}

/// All closed, `均已办结|全部办结|均已按时办结|全部按时办结`: the first.
pub(crate) fn all_closed(s: &str) -> Option<Range<usize>> {
    const WORDS: [&str; 4] = ["均已办结", "全部办结", "均已按时办结", "全部按时办结"];
    let start = first_of(s, 0, words!(WORDS))?;
    let w = WORDS.iter().find(|w| s[start..].starts_with(**w))?;
    Some(start..start + w.len())
}

/// Whether `c` is of the Han script (`\p{Han}`, as the `regex` crate's Unicode tables have
/// it).
pub(crate) fn is_han(c: char) -> bool {
    const HAN: [(u32, u32); 22] = [
        (0x2E80, 0x2E99),
        (0x2E9B, 0x2EF3),
        (0x2F00, 0x2FD5),
        (0x3005, 0x3005),
        (0x3007, 0x3007),
        (0x3021, 0x3029),
        (0x3038, 0x303B),
        (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF),
        (0xF900, 0xFA6D),
        (0xFA70, 0xFAD9),
        (0x16FE2, 0x16FE3),
        (0x16FF0, 0x16FF1),
        (0x20000, 0x2A6DF),
        (0x2A700, 0x2B739),
        (0x2B740, 0x2B81D),
        (0x2B820, 0x2CEA1),
        (0x2CEB0, 0x2EBE0),
        (0x2EBF0, 0x2EE5D),
        (0x2F800, 0x2FA1D),
        (0x30000, 0x3134A),
        (0x31350, 0x323AF),
    ];
    let c = c as u32;
    if (0x4E00..=0x9FFF).contains(&c) {
        return true;
    }
    c >= 0x2E80 && HAN.iter().any(|&(a, b)| (a..=b).contains(&c))
}

/// Mojibake, `\x{FFFD}+|\p{Han}[?？][!！]?\p{Han}{0,8}|\p{Han}{2}[a-zA-Z]\p{Han}{2}`: every
/// match (non-overlapping, in order).
pub(crate) fn mojibake(s: &str) -> Vec<Range<usize>> {
    let b = s.as_bytes();
    // Where a match can begin: at U+FFFD, one char before a question mark, two before a
    // Latin letter.
    let mut starts: Vec<usize> = Vec::new();
    let back = |mut i: usize, n: usize| {
        for _ in 0..n {
            if i == 0 {
                return None;
            }
            i -= 1;
            while !s.is_char_boundary(i) {
                i -= 1;
            }
        }
        Some(i)
    };
    // `?`, and the lead byte 0xEF of U+FFFD (EF BF BD) and `？` (EF BC 9F): one vectorised
    // search for both.
    for i in memchr::memchr2_iter(b'?', 0xEF, b) {
        let cand = if b[i] == b'?' {
            back(i, 1)
        } else if b[i..].starts_with("\u{FFFD}".as_bytes()) {
            Some(i)
        } else if b[i..].starts_with("？".as_bytes()) {
            back(i, 1)
        } else {
            None
        };
        starts.extend(cand);
    }
    // A Latin letter with a non-ASCII byte on both sides (only such a letter can be the lone
    // letter between ideographs).
    ascii_letters(b, |i| {
        if i > 0 && b[i - 1] >= 0x80 && b.get(i + 1).is_some_and(|&n| n >= 0x80) {
            starts.extend(back(i, 2));
        }
    });
    starts.sort_unstable();
    starts.dedup();
    let mut out = Vec::new();
    let mut from = 0;
    for st in starts {
        if st < from {
            continue;
        }
        if let Some(end) = mojibake_at(s, st) {
            out.push(st..end);
            from = end;
        }
    }
    out
}

/// Calls `found` with the index of each ASCII letter of `b`, in order. Eight bytes at a time:
/// a report has few letters among its ideographs.
fn ascii_letters(b: &[u8], mut found: impl FnMut(usize)) {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    let mut words = b.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
        // Each byte's low 7 bits with bit 5 set (upper case as lower case); no sum below
        // carries out of its byte. A letter is 0x61..=0x7A there, with bit 7 clear in `w`.
        let x = (w | (0x20 * ONES)) & (0x7F * ONES);
        let mut letters =
            (x + (0x80 - 0x61) * ONES) & !(x + (0x80 - 0x7B) * ONES) & !w & (0x80 * ONES);
        while letters != 0 {
            found(at + letters.trailing_zeros() as usize / 8);
            letters &= letters - 1;
        }
        at += 8;
    }
    for (i, c) in words.remainder().iter().enumerate() {
        if c.is_ascii_alphabetic() {
            found(at + i);
        }
    }
}

fn mojibake_at(s: &str, at: usize) -> Option<usize> {
    let mut c = Cur::at(s, at);
    if c.eat("\u{FFFD}") {
        while c.eat("\u{FFFD}") {}
        return Some(c.i);
    }
    let mut q = c;
    if q.eat_if(is_han) && q.eat_one_of(&["?", "？"]) {
        q.eat_one_of(&["!", "！"]);
        for _ in 0..8 {
            if !q.eat_if(is_han) {
                break;
            }
        }
        return Some(q.i);
    }
    let ok = c.eat_if(is_han)
        && c.eat_if(is_han)
        && c.eat_if(|ch| ch.is_ascii_alphabetic())
        && c.eat_if(is_han)
        && c.eat_if(is_han);
    ok.then_some(c.i)
}

#[cfg(test)]
mod tests;
