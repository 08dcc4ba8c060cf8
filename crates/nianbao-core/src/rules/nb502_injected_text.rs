//! InjectedText (NB502 `injected-text`): text injected into a hacked web page (gambling
//! and lottery brands, pinyin after every character) inside a government report.

use std::sync::OnceLock;

use regex::Regex;

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fold::{FoldMode, fold, fold_str};
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
        // Every keyword has one of these characters (either script) or is Latin; pinyin
        // injection needs "(": text with none of them cannot match, and is not folded.
        let maybe = cx.text.contains([
            '虎', '比', '球', '博', '彩', '赌', '賭', '娱', '娛', '棋', '百', '澳', '竞', '競',
            '平', '(',
        ]);
        let latin = cx.text.to_ascii_lowercase().contains("bet");
        if !maybe && !latin {
            return;
        }
        let r = res();
        // Most reports are clean: search a fold without a source map first (no per-char
        // map entries), and build the map only when there is something to report.
        let quick = fold_str(cx.text, FoldMode::Light);
        if r.keywords.find(&quick).is_none() && !r.pinyin.is_match(&quick) {
            return;
        }
        drop(quick);
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
