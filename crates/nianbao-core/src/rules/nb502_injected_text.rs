//! InjectedText (NB502 `injected-text`): text injected into a hacked web page (gambling
//! and lottery brands, pinyin after every character) inside a government report.

use std::sync::OnceLock;

use regex::Regex;

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fold::{FoldMode, fold};
use crate::text::TextRange;

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

/// Whether the Light fold of `text` holds a keyword or pinyin after characters — the same
/// answer as searching `fold_str(text)`, found by folding only the lines that can match.
///
/// The fold is char by char and neither pattern spans a line, so a match lies in one line's
/// fold and needs a source char there whose fold has one of the match's chars. A line is
/// folded when a char's fold is a key char ([`is_key`]: every keyword has one),
/// or a `(` followed by a lower-case letter (pinyin).
fn quick_hit(text: &str) -> bool {
    let r = res();
    let mut buf = String::new();
    text.split('\n').filter(|l| may_match(l)).any(|line| {
        buf.clear();
        crate::fold::fold_into(line, FoldMode::Light, &mut buf);
        r.keywords.find(&buf).is_some() || r.pinyin.is_match(&buf)
    })
}

/// One char of each keyword, the rarest in reports, and the `b` of `bet` (either case): a
/// line can hold a keyword only if it has a char whose fold is one of these.
fn is_key(c: char) -> bool {
    matches!(
        c,
        'b' | 'B'
            | '虎'
            | '比'
            | '育'
            | '球'
            | '猜'
            | '彩'
            | '乐'
            | '娱'
            | '讯'
            | '棋'
            | '户'
            | '赌'
            | '官'
            | '戏'
    )
}

fn may_match(line: &str) -> bool {
    // Whether the last folded char was `(`: a lower-case letter after it may be pinyin.
    let mut paren = false;
    let mut step = |f: char| -> bool {
        if is_key(f) || (paren && f.is_ascii_lowercase()) {
            return true;
        }
        paren = f == '(';
        false
    };
    let mut other = String::new();
    let mut buf = [0u8; 4];
    for c in line.chars() {
        let hit = match c {
            '\u{0}'..='\u{7f}' => step(c),
            // Folded by the Traditional → Simplified table alone.
            '\u{3400}'..='\u{9fff}' => step(crate::fold::ideograph_fold(c).unwrap_or(c)),
            // CJK punctuation folds to itself (U+3000 to a space); full-width ASCII to ASCII.
            '\u{3000}' => step(' '),
            '\u{3001}'..='\u{303f}' => step(c),
            '\u{ff01}'..='\u{ff5e}' => step(char::from_u32(c as u32 - 0xfee0).unwrap_or(c)),
            // Common punctuation (dashes, quotes, ellipsis, middle dot, ×): its fold has no
            // key char, bracket or letter, so it counts as itself.
            '\u{2010}'..='\u{2027}' | '\u{b7}' | '\u{d7}' => step(c),
            // Anything else (quotes, dots, compatibility ideographs, circled letters …):
            // folded as the fold does it, NFKC included.
            _ => {
                other.clear();
                crate::fold::fold_into(c.encode_utf8(&mut buf), FoldMode::Light, &mut other);
                other.chars().any(&mut step)
            }
        };
        if hit {
            return true;
        }
    }
    false
}

fn is_glue(c: char) -> bool {
    matches!(c, '_' | '¥' | '$' | '-' | '—') || c.is_ascii_alphanumeric()
}

/// The spam runs of folded text: keyword matches joined when only a short stretch of
/// brand text (`_`, `¥`, letters, up to 8 characters) separates them, extended by a
/// leading "最新"-like word of at most 2 characters and a trailing colon.
fn spam_runs(t: &str) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for m in res().keywords.find_iter(t) {
        if let Some(last) = runs.last_mut() {
            let gap = &t[last.1..m.start()];
            if gap.chars().count() <= 8 && gap.chars().any(is_glue) {
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
        let r = res();
        // Most reports are clean: search the fold of only the lines that could match, without
        // a source map (see `quick_hit`), and fold the whole text with its map only when there
        // is something to report.
        if !quick_hit(cx.text) {
            return;
        }
        let f = fold(cx.text, TextRange::new(0, cx.text.len()), FoldMode::Light);
        for (a, b) in spam_runs(&f.text) {
            let range = f.source_range(a, b);
            let s = range.slice(cx.text);
            let mut d = cx.diag(
                &META,
                range,
                format!("“{s}”是赌博、彩票类垃圾文字，不应出现在政府信息公开年度报告中：网页可能已被篡改，请检查发布系统的安全并恢复原文"),
            );
            d.data = serde_json::json!({ "text": s, "kind": "gambling" });
            out.push(d);
        }
        for m in r.pinyin.find_iter(&f.text) {
            let range = f.source_range(m.start(), m.end());
            let mut d = cx.diag(
                &META,
                range,
                format!(
                    "“{}”在汉字后插入了拼音，像是网页被篡改后注入的文字",
                    range.slice(cx.text)
                ),
            );
            d.data = serde_json::json!({ "text": range.slice(cx.text), "kind": "pinyin" });
            out.push(d);
        }
    }
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
    fn every_keyword_has_a_key_char() {
        for k in SPAM {
            assert!(
                k.chars().any(is_key),
                "{k} has no key char: quick_hit would miss it"
            );
        }
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
                '\u{3000}', '、', '。', 'ⓑ', '⑴', '﹙', '\u{f9b4}', '\u{fa1f}', '𠀀', 'x', 'y', 'n', '“', '”', '…', '—', '·', '×', '\u{2024}', '\u{2011}',
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
    }
}
