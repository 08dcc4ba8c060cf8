//! Each matcher against the regular expression it stands for, on generated text made of
//! the pieces those expressions look for (so that matches, near misses and overlaps are
//! common), and on a few fixed cases.

use std::sync::OnceLock;

use proptest::prelude::*;
use regex::Regex;

use super::*;
use crate::schema::schema;

const PIECES: &[&str] = &[
    "20",
    "2023",
    "2024",
    "1",
    "12",
    "31",
    "0",
    "5",
    "66",
    " ",
    "\u{3000}",
    "\n",
    "\t",
    "年",
    "度",
    "月",
    "日",
    "政府信息公开",
    "政府信息公",
    "开",
    "開",
    "工作",
    "年度",
    "报告",
    "报",
    "報",
    "告",
    "至",
    "到",
    "—",
    "-",
    "由",
    "编制",
    "制定",
    "编写",
    "编",
    "，",
    ",",
    "。",
    "、",
    "；",
    "《",
    "》",
    "(",
    ")",
    "标题",
    "：",
    ":",
    "Page",
    "#",
    "收到",
    "新收",
    "受理",
    "收",
    "共",
    "累计",
    "全年",
    "本年",
    "申请",
    "件",
    "个",
    "条",
    "起",
    "未",
    "没有",
    "发生",
    "行政复议",
    "行政诉讼",
    "案件",
    "均已",
    "全部",
    "按时",
    "办结",
    "中",
    "文",
    "局",
    "a",
    "Z",
    "?",
    "？",
    "!",
    "！",
    "\u{FFFD}",
    "〇",
    "々",
    "ぁ",
    "x",
    "𠀀",
    "收到申请",
    "申请3件",
    "1月1日",
    "12月31日",
    "2023年",
    "中文",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

fn re(src: &'static str) -> &'static Regex {
    // One compiled oracle per pattern, kept for the whole test run.
    static CACHE: OnceLock<std::sync::Mutex<Vec<(&'static str, &'static Regex)>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap();
    if let Some((_, r)) = cache.iter().find(|(s, _)| *s == src) {
        return r;
    }
    let r: &'static Regex = Box::leak(Box::new(Regex::new(src).unwrap()));
    cache.push((src, r));
    r
}

fn group(s: &str, src: &'static str, name: &str) -> Option<Range<usize>> {
    re(src)
        .captures(s)
        .and_then(|c| c.name(name))
        .map(|m| m.range())
}

const TITLE_LOOSE: &str =
    r"(?P<year>20\d{2})\s*年度?.{0,24}?政府信息公开(?:工作)?\s*(?:年度)?\s*报告";
const PREAMBLE_YEAR: &str = r"(?P<year>20\d{2})\s*年度?\s*政府信息公开";
const YEAR_WORD: &str = r"(?P<year>20\d{2})\s*年";
const COMPILED_BY: &str = r"由(?P<body>[^,，。、《》()]{2,30}?)(?:编制|制定|编写)";
const DATE_LINE: &str = r"^\s*20\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$";
const PAGE_PREFIX: &str = r"^(?:标题\s*[:：]\s*|Page\s*\d+\s*-\s*|#{1,6}\s+)";
const RECEIVED: &str =
    r"(?:共|累计|全年|本年度?)?(?:收到|新收|受理)[^。；，,、\d]{0,10}?申请\s*(\d+)\s*(?:件|个|条)";
const NONE_RECEIVED: &str = r"(?:未|没有)(?:收到|发生|受理)[^。；，,]{0,12}?申请";
const NONE_CASES: &str = r"(?:未|没有)(?:发生|收到)[^。；]{0,24}?(?:行政复议|行政诉讼)";
const REVIEW: &str = r"行政复议(?:案件)?\s*(\d+)\s*(?:件|起)";
const LITIGATION: &str = r"行政诉讼(?:案件)?\s*(\d+)\s*(?:件|起)";
const ALL_CLOSED: &str = r"均已办结|全部办结|均已按时办结|全部按时办结";
const MOJIBAKE: &str = r"\x{FFFD}+|\p{Han}[?？][!！]?\p{Han}{0,8}|\p{Han}{2}[a-zA-Z]\p{Han}{2}";

fn all_groups(s: &str, src: &'static str) -> Vec<(Range<usize>, Range<usize>)> {
    re(src)
        .captures_iter(s)
        .map(|c| (c.get(0).unwrap().range(), c.get(1).unwrap().range()))
        .collect()
}

fn first(s: &str, src: &'static str) -> Option<Range<usize>> {
    re(src).find(s).map(|m| m.range())
}

/// Every matcher's answer for `s` equals its regex's.
fn agree(s: &str) {
    assert_eq!(
        title(s),
        group(s, schema().title_regex, "year"),
        "title {s:?}"
    );
    assert_eq!(
        title_loose(s),
        group(s, TITLE_LOOSE, "year"),
        "title_loose {s:?}"
    );
    let p = re(schema().period_regex).captures(s).map(|c| {
        (
            c.get(0).unwrap().range(),
            c.name("y1").unwrap().range(),
            c.name("y2").map(|m| m.range()),
        )
    });
    assert_eq!(period(s).map(|m| (m.whole, m.y1, m.y2)), p, "period {s:?}");
    assert_eq!(
        preamble_year(s),
        group(s, PREAMBLE_YEAR, "year"),
        "preamble {s:?}"
    );
    assert_eq!(year_word(s), group(s, YEAR_WORD, "year"), "year_word {s:?}");
    assert_eq!(
        compiled_by(s),
        group(s, COMPILED_BY, "body"),
        "compiled_by {s:?}"
    );
    assert_eq!(
        is_date_line(s),
        re(DATE_LINE).is_match(s),
        "date_line {s:?}"
    );
    let pp = re(PAGE_PREFIX).find(s).map_or(0, |m| m.end());
    assert_eq!(page_prefix_len(s), pp, "page_prefix {s:?}");
    assert_eq!(received(s), all_groups(s, RECEIVED), "received {s:?}");
    assert_eq!(
        none_received(s),
        first(s, NONE_RECEIVED),
        "none_received {s:?}"
    );
    assert_eq!(none_cases(s), first(s, NONE_CASES), "none_cases {s:?}");
    assert_eq!(cases(s, "行政复议"), all_groups(s, REVIEW), "review {s:?}");
    assert_eq!(
        cases(s, "行政诉讼"),
        all_groups(s, LITIGATION),
        "litigation {s:?}"
    );
    assert_eq!(all_closed(s), first(s, ALL_CLOSED), "all_closed {s:?}");
    let mj: Vec<_> = re(MOJIBAKE).find_iter(s).map(|m| m.range()).collect();
    assert_eq!(mojibake(s), mj, "mojibake {s:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn matchers_agree_with_their_regexes(s in text()) {
        agree(&s);
    }

    #[test]
    fn matchers_agree_on_any_text(s in "\\PC{0,60}") {
        agree(&s);
    }

    /// The eight-bytes-at-a-time letter search finds what a byte loop finds.
    #[test]
    fn ascii_letters_are_every_letter(b in prop::collection::vec(any::<u8>(), 0..80)) {
        let mut found = Vec::new();
        ascii_letters(&b, |i| found.push(i));
        let want: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_alphabetic()).collect();
        prop_assert_eq!(found, want);
    }
}

#[test]
fn fixed_cases() {
    for s in [
        "",
        "某局2023年政府信息公开工作年度报告",
        "某局2023年度政府信息公開工作 年度 報告",
        "2022年上海市政府信息公开工作年度报告",
        "本报告统计期限为2023年1月1日至12月31日。",
        "本报告统计期限为2023年1月1日起至2023年12月31日止。",
        "本报告由某某区人民政府办公室编制。",
        "由由由编制",
        "2024年1月20日",
        " 2024 年 1 月 20 日 ",
        "标题：某局2023年政府信息公开工作年度报告",
        "Page 3 - 正文",
        "### 一、总体情况",
        "####### 七",
        "本年度共收到政府信息公开申请66件，",
        "本年新收申请人申请5件",
        "收到申请，申请5件",
        "本年度未收到政府信息公开申请。",
        "未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况",
        "行政复议案件 3 起，行政诉讼2件",
        "均已按时办结",
        "六?!奔訌娬甙l布",
        "\u{FFFD}\u{FFFD}中文a中文",
        "中文a中文b中文",
        "中?中?中",
        "2022年,新受理政府信息公开申请6件",
        "x累计收到申请1件",
        "a本年收到申请1件",
    ] {
        agree(s);
    }
}

#[test]
fn is_han_is_regexs_han_script() {
    let han = Regex::new(r"^\p{Han}$").unwrap();
    let mut buf = [0u8; 4];
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        assert_eq!(
            is_han(c),
            han.is_match(c.encode_utf8(&mut buf)),
            "{c:?} U+{:X}",
            c as u32
        );
    }
}

#[test]
fn bounded_repeats_end_where_their_regexes_do() {
    // Each bounded repeat with one char fewer than, as many as, and more than its bound.
    for k in 0..34 {
        let fill = |c: &str| c.repeat(k);
        for s in [
            format!("2023年{}政府信息公开报告", fill("局")),
            format!("2023年度{}政府信息公开报告", fill("度")),
            format!("2023年1月1日{}至12月31日", fill("起")),
            format!("由{}编制", fill("区")),
            format!("共收到{}申请3件", fill("的")),
            format!("未收到{}申请", fill("的")),
            format!("没有发生{}行政诉讼", fill("的")),
            format!("中?{}x", fill("文")),
            format!("{}a中文", fill("中")),
            fill("\u{FFFD}"),
        ] {
            agree(&s);
        }
    }
}
