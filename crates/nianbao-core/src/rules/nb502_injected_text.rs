//! InjectedText (NB502 `injected-text`): text injected into a hacked web page (gambling
//! and lottery brands, pinyin after every character) inside a government report.

use std::sync::OnceLock;

use regex::Regex;

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fold::{FoldMode, IdeographMap, fold};
use crate::text::{TextRange, line_around};

pub(crate) struct InjectedText;

static META: RuleMeta = RuleMeta {
    code: "NB502",
    name: "injected-text",
    family: Family::Hygiene,
    default_severity: Severity::Warning,
    fix: None,
    summary: "疑似网站被篡改后注入的赌博、彩票等垃圾文字（安全问题）",
    cross_year: false,
};

/// Brand and keyword fragments of gambling/lottery spam seen on hacked government pages.
const SPAM: &[&str] = &[
    "老虎机",
    "即时比分",
    "比分网",
    "365bet",
    "bet365",
    "体育平台",
    "买球",
    "欧洲杯决赛竞猜",
    "世界杯竞猜",
    "博彩",
    "百家乐",
    "娱乐城",
    "真人视讯",
    "棋牌游戏",
    "开户送",
    "赌场",
    "澳门赌",
    "彩票平台",
    "时时彩",
    "六合彩",
    "线上app官网",
    "游戏手机版平台",
];

struct Res {
    keywords: aho_corasick::AhoCorasick,
    pinyin: Regex,
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| Res {
        keywords: aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(SPAM)
            .expect("spam automaton"),
        pinyin: Regex::new(
            r"\p{Han}(?:\([a-z]{1,6}\)){1,2}(?:\p{Han}{1,3}(?:\([a-z]{1,6}\)){1,2}){2,}",
        )
        .expect("regex"),
    })
}

/// Where the Light fold of `text` holds a keyword or pinyin after characters: the lines
/// with a match, those close enough for [`spam_runs`] to join a run across them merged
/// into one stretch (from the start of the first line to the end of the last) — the same
/// matches and runs as searching `fold_str(text)`, found by folding only the lines that can
/// match, and later by folding only these stretches with a source map.
///
/// The fold is char by char and neither pattern spans a line, so a match lies in one line's
/// fold. A line is folded and searched only when its fold has every char of some keyword
/// (ASCII in either case), or three `(` each followed by a lower-case letter (pinyin after
/// characters has at least three): see [`candidate_lines`]. Runs join matches at most
/// [`MAX_JOIN_GAP`] folded chars apart; each char folds to at least one char (NFKC and the
/// Traditional → Simplified table never map a char to nothing), so two lines whose
/// matches can be joined are at most `4 × MAX_JOIN_GAP` bytes apart.
fn hit_regions(text: &str) -> Vec<TextRange> {
    let r = res();
    let mut buf = String::new();
    let mut regions: Vec<TextRange> = Vec::new();
    candidate_lines(text, |line| {
        buf.clear();
        crate::fold::fold_into(line.slice(text), FoldMode::Light, &mut buf);
        if r.keywords.find(&buf).is_some() || r.pinyin.is_match(&buf) {
            match regions.last_mut() {
                Some(last) if line.start - last.end <= 4 * MAX_JOIN_GAP => last.end = line.end,
                _ => regions.push(line),
            }
        }
    });
    regions
}

#[cfg(test)]
fn quick_hit(text: &str) -> bool {
    !hit_regions(text).is_empty()
}

/// One char of each keyword made of ideographs alone, the one rarest in reports. Every other
/// keyword has an ASCII letter, and so has pinyin: a line whose fold has none of these chars
/// and no ASCII letter can hold no match, and most lines are ruled out by that alone.
const RARE: [char; 13] = [
    '虎', // 老虎机
    '即', // 即时比分
    '比', // 比分网
    '育', // 体育平台
    '球', // 买球
    '猜', // 欧洲杯决赛竞猜, 世界杯竞猜
    '彩', // 博彩, 彩票平台, 时时彩, 六合彩
    '乐', // 百家乐, 娱乐城
    '讯', // 真人视讯
    '棋', // 棋牌游戏
    '送', // 开户送
    '赌', // 赌场, 澳门赌
    '戏', // 游戏手机版平台
];

/// Whether folded char `f` puts its line through [`line_may_match`]: see [`RARE`].
fn is_trigger(f: char) -> bool {
    f.is_ascii_alphabetic() || RARE.contains(&f)
}

/// The chars the keywords are made of, one bit each, for [`line_may_match`], and the search
/// for the ideographs that fold to a [`RARE`] char, for [`candidate_lines`].
struct Filter {
    /// The ideographs (`U+3400..U+A000`) whose fold [`is_trigger`], in UTF-8: a few dozen
    /// three-byte strings, which the searcher finds with SIMD without reading char by char.
    rare: crate::text::Needles,
    /// Every char of every keyword, ASCII in lower case, sorted: char `chars[i]` is bit `i`.
    chars: Vec<char>,
    /// The bit of each ASCII char (`u8::MAX` for none), upper case as lower case.
    ascii: [u8; 128],
    /// The least non-ASCII char in `chars`: a char below it (CJK punctuation, say) has no
    /// bit, without a search.
    least_non_ascii: char,
    /// Per keyword, the bits of its chars.
    needs: Vec<u128>,
    /// Per ideograph, the bit of its fold in `chars`, [`NOT_KEY`] when it folds to no
    /// keyword char (it only means the last folded char is not a `(`), or [`SLOW`] when
    /// it folds to something other than an ideograph.
    ideographs: IdeographMap,
}

/// [`Filter::ideographs`] of an ideograph that folds to no keyword char.
const NOT_KEY: u8 = u8::MAX;
/// [`Filter::ideographs`] of an ideograph whose fold is not an ideograph: stepped through
/// [`Seen::step`].
const SLOW: u8 = u8::MAX - 1;

fn filter() -> &'static Filter {
    static F: OnceLock<Filter> = OnceLock::new();
    F.get_or_init(|| {
        let mut chars: Vec<char> = SPAM
            .iter()
            .flat_map(|k| k.chars())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        chars.sort_unstable();
        chars.dedup();
        assert!(
            chars.len() <= 128,
            "too many keyword chars for the line filter"
        );
        let bit = |c: char| chars.binary_search(&c.to_ascii_lowercase()).ok();
        let mut ascii = [u8::MAX; 128];
        for (b, slot) in ascii.iter_mut().enumerate() {
            if let Some(i) = bit(char::from(b as u8)) {
                *slot = i as u8;
            }
        }
        let needs = SPAM
            .iter()
            .map(|k| {
                k.chars()
                    .map(|c| 1u128 << bit(c).unwrap_or(0))
                    .fold(0, |a, b| a | b)
            })
            .collect();
        let ideographs = IdeographMap::by_fold(NOT_KEY, |f| match bit(f) {
            _ if f.is_ascii() => SLOW,
            Some(i) => i as u8,
            None => NOT_KEY,
        });
        let rare: Vec<String> = crate::fold::ideographs_folding_to(is_trigger)
            .into_iter()
            .map(String::from)
            .collect();
        Filter {
            rare: crate::text::Needles::new(&rare),
            least_non_ascii: chars
                .iter()
                .copied()
                .find(|c| !c.is_ascii())
                .unwrap_or(char::MAX),
            chars,
            ascii,
            needs,
            ideographs,
        }
    })
}

impl Filter {
    /// The bit of folded char `f`, or 0.
    fn bit(&self, f: char) -> u128 {
        if f.is_ascii() {
            let i = self.ascii[f as usize];
            return if i == u8::MAX { 0 } else { 1 << i };
        }
        if f < self.least_non_ascii {
            return 0;
        }
        match self.chars.binary_search(&f) {
            Ok(i) => 1 << i,
            Err(_) => 0,
        }
    }
}

/// What [`line_may_match`] has seen of a line's fold so far.
#[derive(Default)]
struct Seen {
    /// The bits of the keyword chars seen.
    chars: u128,
    /// Whether the last folded char was `(`.
    paren: bool,
    /// How many `(` were followed by a lower-case letter.
    pinyin: u32,
}

impl Seen {
    fn step(&mut self, filter: &Filter, f: char) {
        self.chars |= filter.bit(f);
        if self.paren && f.is_ascii_lowercase() {
            self.pinyin += 1;
        }
        self.paren = f == '(';
    }

    /// Whether the line seen can hold a match.
    fn may_match(&self, filter: &Filter) -> bool {
        self.pinyin >= 3 || (self.chars != 0 && filter.needs.iter().any(|&n| n & !self.chars == 0))
    }
}

/// Calls `found`, in order, with the range of each line (without its `\n`) whose fold can
/// hold a match: it has every char of a keyword, or three `(` followed by a lower-case
/// letter ([`line_may_match`]). Only the lines with a char that folds to a [`RARE`] char or
/// an ASCII letter are asked: one SIMD search finds the ideographs among those, and a
/// byte scan the rest, stepping over the ideographs three bytes at a time.
fn candidate_lines(text: &str, mut found: impl FnMut(TextRange)) {
    let filter = filter();
    let b = text.as_bytes();
    let mut lines: Vec<TextRange> = Vec::new();
    filter.rare.each(text, |p| {
        if lines.last().is_none_or(|l| p >= l.end) {
            lines.push(line_around(text, p));
        }
    });
    let by_rare = lines.len();
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        let trigger = if x < 0x80 {
            i += 1;
            x.is_ascii_alphabetic()
        } else if (0xE4..=0xE9).contains(&x) {
            // U+4000..U+9FFF: ideographs, found by the search above.
            i += 3;
            false
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            other_is_trigger(c)
        };
        if trigger {
            let line = line_around(text, i - 1);
            lines.push(line);
            i = line.end;
        }
    }
    if lines.len() > by_rare && by_rare > 0 {
        lines.sort_unstable_by_key(|l| l.start);
        lines.dedup();
    }
    for line in lines {
        if line_may_match(filter, line.slice(text)) {
            found(line);
        }
    }
}

/// The char that stands for the Light fold of `c` in the filters, for the common non-ideograph
/// chars that need no folding machinery: CJK punctuation folds to itself (U+3000 to a
/// space), full-width ASCII to ASCII, and common punctuation (dashes, quotes, ellipsis,
/// middle dot, ×) to itself or to ASCII punctuation — no keyword char, letter or `(` either
/// way. `None` for the other chars.
fn filter_fold(c: char) -> Option<char> {
    match c {
        '\u{3000}' => Some(' '),
        '\u{3001}'..='\u{303f}' | '\u{2010}'..='\u{2027}' | '\u{b7}' | '\u{d7}' => Some(c),
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0),
        _ => None,
    }
}

/// Whether the fold of `c`, a char the search for [`Filter::rare`] does not look at (not an
/// ideograph `U+4000..U+9FFF` nor ASCII), has a char that [`is_trigger`].
fn other_is_trigger(c: char) -> bool {
    if let Some(f) = filter_fold(c) {
        return is_trigger(f);
    }
    match c {
        // Ideographs of Extension A: found by the search.
        '\u{3400}'..='\u{9fff}' => false,
        // The rest of general punctuation, arrows, box drawing and shapes fold to chars of
        // their own blocks or to ASCII punctuation.
        '\u{2028}'..='\u{206f}' | '\u{2190}'..='\u{21ff}' | '\u{2500}'..='\u{25ff}' => false,
        // Anything else (compatibility ideographs, circled letters, kana …): folded as the
        // fold does it, NFKC included.
        _ => {
            let mut buf = [0u8; 4];
            crate::fold::fold_str(c.encode_utf8(&mut buf), FoldMode::Light)
                .chars()
                .any(is_trigger)
        }
    }
}

/// Whether the fold of `line` (one line, without its `\n`) has every char of a keyword
/// (ASCII in either case), or three `(` each followed by a lower-case letter. Reads the
/// UTF-8 bytes itself: most chars are ideographs, told apart by one bit each.
fn line_may_match(filter: &Filter, line: &str) -> bool {
    let b = line.as_bytes();
    let mut seen = Seen::default();
    let mut other = String::new();
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            seen.step(filter, char::from(x));
            i += 1;
            continue;
        }
        if (0xE3..=0xE9).contains(&x) {
            // U+3000..U+9FFF, three bytes.
            let cp = crate::text::decode3(b, i);
            if cp >= 0x3400 {
                i += 3;
                // Folded by the Traditional → Simplified table alone; most fold to an
                // ideograph no keyword has.
                match filter.ideographs.get(cp) {
                    NOT_KEY => seen.paren = false,
                    SLOW => {
                        let c = char::from_u32(cp).unwrap_or(' ');
                        seen.step(filter, crate::fold::ideograph_fold(c).unwrap_or(c));
                    }
                    // An ideograph: not a `(`, nor a letter after one.
                    bit => {
                        seen.chars |= 1 << bit;
                        seen.paren = false;
                    }
                }
                continue;
            }
        }
        let c = line[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        match filter_fold(c) {
            Some(f) => seen.step(filter, f),
            // Anything else (compatibility ideographs, circled letters, kana …): folded as
            // the fold does it, NFKC included.
            None => {
                other.clear();
                let mut buf = [0u8; 4];
                crate::fold::fold_into(c.encode_utf8(&mut buf), FoldMode::Light, &mut other);
                for f in other.chars() {
                    seen.step(filter, f);
                }
            }
        }
    }
    seen.may_match(filter)
}

fn is_glue(c: char) -> bool {
    matches!(c, '_' | '¥' | '$' | '-' | '—') || c.is_ascii_alphanumeric()
}

/// The most folded chars between two keyword matches that [`spam_runs`] joins.
const MAX_JOIN_GAP: usize = 8;

/// The spam runs of folded text: keyword matches joined when only a short stretch of
/// brand text (`_`, `¥`, letters, up to [`MAX_JOIN_GAP`] characters) separates them, extended by a
/// leading "最新"-like word of at most 2 characters and a trailing colon.
fn spam_runs(t: &str) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for m in res().keywords.find_iter(t) {
        if let Some(last) = runs.last_mut() {
            let gap = &t[last.1..m.start()];
            if gap.chars().count() <= MAX_JOIN_GAP && gap.chars().any(is_glue) {
                last.1 = m.end();
                continue;
            }
        }
        runs.push((m.start(), m.end()));
    }
    for r in &mut runs {
        // Brand text glued on the right: "网¥游戏" is joined above; a trailing ':' closes it.
        let rest = &t[r.1..];
        let tail: usize = rest
            .chars()
            .take_while(|c| is_glue(*c))
            .map(char::len_utf8)
            .sum();
        r.1 += tail;
        if t[r.1..].starts_with([':', '：']) {
            r.1 += 1 + usize::from(t[r.1..].starts_with('：')) * 2;
        }
        // A short lead-in word before the brand ("最新").
        let before = &t[..r.0];
        let lead: Vec<char> = before.chars().rev().take(2).collect();
        if lead.len() == 2 && lead.iter().all(|c| "最新官方正规顶级十大".contains(*c)) {
            r.0 -= lead.iter().map(|c| c.len_utf8()).sum::<usize>();
        }
    }
    runs
}

impl Rule for InjectedText {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // Most reports are clean: fold and search only the lines that could match, without
        // a source map (see `hit_regions`), and fold the lines with a match with their map
        // only when there is something to report.
        let (spam, pinyin) = matches(cx.text, &hit_regions(cx.text));
        for range in spam {
            let s = range.slice(cx.text);
            let mut d = cx.diag(
                &META,
                range,
                format!("“{s}”是赌博、彩票类垃圾文字，不应出现在政府信息公开年度报告中：网页可能已被篡改，请检查发布系统的安全并恢复原文"),
            );
            d.data = cx.data(|| serde_json::json!({ "text": s, "kind": "gambling" }));
            out.push(d);
        }
        for range in pinyin {
            let s = range.slice(cx.text);
            let mut d = cx.diag(
                &META,
                range,
                format!("“{s}”在汉字后插入了拼音，像是网页被篡改后注入的文字"),
            );
            d.data = cx.data(|| serde_json::json!({ "text": s, "kind": "pinyin" }));
            out.push(d);
        }
    }
}

/// The spam runs and the pinyin in the folds of `regions` of `text` (each folded on its
/// own), as source ranges, in order.
fn matches(text: &str, regions: &[TextRange]) -> (Vec<TextRange>, Vec<TextRange>) {
    let (mut spam, mut pinyin) = (Vec::new(), Vec::new());
    for &region in regions {
        let f = fold(text, region, FoldMode::Light);
        spam.extend(
            spam_runs(&f.text)
                .into_iter()
                .map(|(a, b)| f.source_range(a, b)),
        );
        pinyin.extend(
            res()
                .pinyin
                .find_iter(&f.text)
                .map(|m| f.source_range(m.start(), m.end())),
        );
    }
    (spam, pinyin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold_str;
    use proptest::prelude::*;

    /// The search `quick_hit` stands for: the fold of the whole text.
    fn whole_fold_hit(text: &str) -> bool {
        let f = fold_str(text, FoldMode::Light);
        res().keywords.find(&f).is_some() || res().pinyin.is_match(&f)
    }

    #[test]
    fn every_keyword_char_has_a_bit() {
        let f = filter();
        for k in SPAM {
            for c in k.chars() {
                assert_ne!(f.bit(c), 0, "{c} of {k}");
                assert_ne!(f.bit(c.to_ascii_uppercase()), 0, "{c} of {k}");
            }
        }
        // Common report text sets no keyword's full set of chars.
        let candidate = |line: &str| {
            let mut any = false;
            candidate_lines(line, |_| any = true);
            any
        };
        assert!(!candidate(
            "本机关2023年主动公开政府信息（含比分析）共计365条"
        ));
        assert!(candidate("欢迎访问365BET官方网站"));
    }

    #[test]
    fn every_keyword_has_a_trigger_char() {
        for k in SPAM {
            assert!(k.chars().any(is_trigger), "{k}");
        }
    }

    /// Every char whose fold has a trigger char puts its line through `line_may_match`:
    /// checked for every char against the fold itself. And every char folds to at least
    /// one (what `hit_regions` relies on to bound the bytes between joined matches).
    #[test]
    fn the_trigger_chars_are_those_whose_fold_has_one() {
        let filter = filter();
        let mut rare = 0;
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let s = c.encode_utf8(&mut buf);
            let folded = fold_str(s, FoldMode::Light);
            assert!(!folded.is_empty(), "U+{:04X} folds to nothing", c as u32);
            let expected = folded.chars().any(is_trigger);
            let found = match c as u32 {
                0..0x80 => c.is_ascii_alphabetic(),
                0x3400..0xA000 => {
                    let hit = filter.rare.any_in(s);
                    rare += usize::from(hit);
                    hit
                }
                _ => other_is_trigger(c),
            };
            assert_eq!(found, expected, "{c:?} U+{:04X}", c as u32);
        }
        assert!(
            (RARE.len()..64).contains(&rare),
            "{rare} ideographs searched for"
        );
    }

    /// A line that can match only through one kind of char the scan steps over differently:
    /// ASCII, a Traditional ideograph (found by the search), full-width letters (EF), circled
    /// letters (E2), a unit square (E3, `㎏` → `kg`), mathematical letters (four bytes).
    #[test]
    fn every_kind_of_trigger_char_puts_its_line_through() {
        for line in [
            "欢迎访问bet365",
            "最新百家樂官网",
            "欢迎访问ｂｅｔ365",
            "欢迎访问ⓑⓔⓣ365",
            "测(㎏)试(㎏)文(㎏)本",
            "欢迎访问𝐛𝐞𝐭365",
        ] {
            let t = format!("一、总体情况\n本机关认真落实。\n{line}\n二、主动公开政府信息情况\n");
            assert!(whole_fold_hit(&t), "{line}");
            let start = t.find(line).unwrap();
            assert_eq!(
                hit_regions(&t),
                [TextRange::new(start, start + line.len())],
                "{line}"
            );
        }
    }

    #[test]
    fn close_lines_with_matches_make_one_region_and_far_ones_two() {
        // A run joined across lines: the gap between the matches is 8 chars (the most a run
        // joins), two line breaks and six mathematical letters of four bytes each, which
        // fold to glue (`a`): 26 bytes between the lines with a match.
        let t = "一、总体情况\n百家乐\n𝐚𝐚𝐚𝐚𝐚𝐚\n365bet\n本机关认真落实条例要求，做好政府信息公开工作。\n时时彩\n";
        let first = t.find("百家乐").unwrap();
        let bet = t.find("365bet").unwrap() + "365bet".len();
        let last = t.find("时时彩").unwrap();
        assert_eq!(
            hit_regions(t),
            [
                TextRange::new(first, bet),
                TextRange::new(last, last + "时时彩".len())
            ]
        );
        let (spam, _) = matches(t, &[TextRange::new(0, t.len())]);
        assert_eq!(
            spam[0],
            TextRange::new(first, bet),
            "one run over two lines"
        );
        assert_eq!(spam.len(), 2);
    }

    #[test]
    fn keywords_without_the_common_trigger_chars_are_found() {
        // These have none of the chars an earlier pre-check looked for (虎, 比, 彩 …).
        for k in ["真人视讯", "开户送", "线上app官网"] {
            let t = format!("某局2023年政府信息公开工作年度报告\n一、总体情况\n{k}\n");
            let report = crate::parse(&t);
            let mut out = Vec::new();
            InjectedText.check(
                &crate::rules::Context::new(&t, &report, &Default::default()),
                &mut out,
            );
            assert_eq!(out.len(), 1, "{k}");
        }
    }

    #[test]
    fn quick_hit_agrees_with_the_whole_fold_on_the_samples() {
        let samples = [
            include_str!("../../../../tests/fixtures/samples/000_50e7ba10f32f5ee2.txt"),
            include_str!("../../../../tests/fixtures/samples/001_db8b9a3c8d2b1499.txt"),
            include_str!("../../../../tests/fixtures/samples/002_596eb627cbefc53e.txt"),
            include_str!("../../../../tests/fixtures/samples/003_dfabd5f7c7b088c2.txt"),
            include_str!("../../../../tests/fixtures/samples/004_cf43867c2f1e63a9.txt"),
        ];
        let mut hits = 0;
        for t in samples {
            assert_eq!(quick_hit(t), whole_fold_hit(t));
            hits += usize::from(quick_hit(t));
            for k in SPAM {
                let spiked = t.replacen('\n', &format!("\n前文{k}后文"), 3);
                assert!(quick_hit(&spiked), "{k}");
            }
        }
        assert_eq!(hits, 1, "sample 002 has injected text");
        // Pinyin after characters, in ASCII and in full-width brackets and letters.
        for p in [
            "测(ce)试(shi)文(wen)本(ben)",
            "测（ｃｅ）试（ｓｈｉ）文（ｗｅｎ）本（ｂｅｎ）",
        ] {
            let t = format!("一、总体情况\n{p}\n");
            assert!(whole_fold_hit(&t), "{p}");
            assert!(quick_hit(&t), "{p}");
        }
    }

    fn spam_char() -> impl Strategy<Value = char> {
        prop_oneof![
            6 => prop::sample::select(vec![
                '老', '虎', '机', '即', '时', '比', '分', '网', 'b', 'e', 't', 'B', 'E', 'T', '3', '6',
                '5', '体', '育', '平', '台', '买', '球', '竞', '猜', '競', '博', '彩', '百', '家', '乐',
                '樂', '娱', '娛', '城', '真', '人', '视', '視', '讯', '訊', '棋', '牌', '游', '戏', '戲',
                '开', '開', '户', '送', '赌', '賭', '场', '澳', '门', '票', '六', '合', 'a', 'p', '线',
                '上', '官', '手', '版', '(', ')', '（', '）', 'ｂ', 'ｅ', 'ｔ', 'Ｂ', 'ｐ', '\n', ' ',
                '\u{3000}', '、', '。', 'ⓑ', '⑴', '﹙', '\u{f9b4}', '\u{fa1f}', '𠀀', 'x', 'y', 'n', '“', '”', '…', '—', '·', '×', '\u{2024}', '\u{2011}', '_', '¥', '\r', '𝐚',
            ]),
            1 => any::<char>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn quick_hit_agrees_with_the_whole_fold(s in prop::collection::vec(spam_char(), 0..60)) {
            let t: String = s.into_iter().collect();
            prop_assert_eq!(quick_hit(&t), whole_fold_hit(&t), "{:?}", t);
        }

        /// Searching the hit regions one by one finds the matches and runs that searching the
        /// whole text finds.
        #[test]
        fn the_hit_regions_have_every_match(s in prop::collection::vec(spam_char(), 0..80)) {
            let t: String = s.into_iter().collect();
            let whole = matches(&t, &[TextRange::new(0, t.len())]);
            prop_assert_eq!(matches(&t, &hit_regions(&t)), whole, "{:?}", t);
        }
    }
}
