//! The label vocabulary of tables 二, 三 and 四 (from `templates.json`), and classification
//! of a cell's text as a label, a value, or something else.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::fold::{FoldMode, fold_phrase, fold_prefix, fold_str, has_cjk};

use crate::grammar::{ParsedNumber, parse_marker, parse_number};
use crate::schema::{FormatVersion, schema};

/// A memo for the process of answers that depend on a cell's text alone (row labels repeat
/// from report to report). One for the process, under a lock: a per-thread one grew with
/// every new thread of a long-running language server. At most 4,096 texts are kept.
struct Memo<V>(OnceLock<std::sync::Mutex<HashMap<String, V>>>);

impl<V: Clone> Memo<V> {
    const fn new() -> Self {
        Memo(OnceLock::new())
    }

    /// The answer for `key`, made by `make` the first time.
    fn get_or(&self, key: &str, make: impl FnOnce() -> V) -> V {
        let memo = self.0.get_or_init(Default::default);
        if let Some(v) = memo.lock().ok().and_then(|m| m.get(key).cloned()) {
            return v;
        }
        let v = make();
        if let Ok(mut m) = memo.lock() {
            if m.len() >= 4096 {
                m.clear();
            }
            m.insert(key.to_string(), v.clone());
        }
        v
    }
}

/// Phrase folds already made: OpenCC's phrase conversion is the costliest step of reading
/// a label.
static PHRASES: Memo<String> = Memo::new();

/// [`fold_phrase`] of a label (Label mode, the schema's phrase variants), memoised.
fn phrase_folded(raw: &str) -> String {
    PHRASES.get_or(raw, || {
        fold_phrase(raw, FoldMode::Label, &schema().phrase_variants)
    })
}

/// Cell texts already classified by [`Vocab::classify_text`], for texts of at most
/// [`MEMO_MAX_BYTES`].
static CLASSES: Memo<Class> = Memo::new();

/// Longer cell texts are sentences, which do not repeat: they are not memoised.
const MEMO_MAX_BYTES: usize = 192;

/// Whether `s` has more than `n` lead bytes E4–E9 (ideographs U+4000–U+9FFF): counted 64
/// bytes at a time (a vectorised count), stopping once past `n` — long texts are prose,
/// past it within their first few hundred bytes.
fn more_ideographs_than(s: &str, n: usize) -> bool {
    let mut count = 0;
    for chunk in s.as_bytes().chunks(64) {
        count += chunk.iter().filter(|b| (0xE4..=0xE9).contains(*b)).count();
        if count > n {
            return true;
        }
    }
    false
}

/// The class of a paragraph (a text whose fold is longer than any label) by the head of
/// its fold: the table-三 note, or prose.
fn paragraph(folded_head: &str) -> Class {
    if folded_head.starts_with(T3_NOTE_PREFIX) {
        Class::Labels(&[Label::T3Note], How::Exact)
    } else {
        Class::Prose
    }
}

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    /// 第二十条第（X）项: a table-二 sub-table.
    Caption(&'static str),
    /// A table-二 column header, in the versions whose shape has it.
    T2Header {
        table: &'static str,
        column: &'static str,
        version: FormatVersion,
    },
    /// 信息内容
    T2HeaderLead,
    /// A table-二 row.
    T2Row {
        table: &'static str,
        row: &'static str,
    },
    /// A table-三 row label (numeric or group). `（六）其他处理` is `r3_6` and is resolved by
    /// what follows it.
    T3Row(&'static str),
    /// Table-三 header words (自然人 …); `start` for 申请人情况, which only table 三 has.
    T3Header { start: bool },
    /// The note cell at the top left of table 三.
    T3Note,
    /// Table-四 header words; `start` for 行政复议 (the table's first header cell).
    T4Header { start: bool },
}

/// How a label matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    Exact,
    Alias,
    Fuzzy,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Class {
    Labels(&'static [Label], How),
    Number(ParsedNumber),
    Placeholder,
    Blank,
    /// Short text that is neither a label nor a number.
    Other,
    /// A sentence: not a cell.
    Prose,
}

pub(crate) struct Vocab {
    exact: HashMap<String, (&'static [Label], How)>,
    /// Row labels (t2 and t3) for fuzzy matching: folded text without marker → label.
    fuzzy: Vec<(Vec<char>, &'static [Label])>,
    /// All keys, for finding labels inside glued crawled text.
    pub ac: AhoCorasick,
    pub ac_labels: Vec<&'static [Label]>,
    placeholders: Vec<String>,
    /// Text that folds to more chars than this is a paragraph (see [`Vocab::classify_text`]).
    long_chars: usize,
}

/// How the table-三 note cell starts (it is matched by prefix).
const T3_NOTE_PREFIX: &str = "(本列数据的勾稽关系";

fn leak_labels(v: Vec<Label>) -> &'static [Label] {
    Box::leak(v.into_boxed_slice())
}

/// The key a label is compared by: folded, with its list marker in canonical form.
pub(crate) fn key_of(folded: &str) -> String {
    match parse_marker(folded) {
        Some(m) => {
            let mut k = m.canonical();
            k.push_str(&folded[m.len..]);
            k
        }
        None => folded.to_string(),
    }
}

fn strip_marker(key: &str) -> &str {
    match parse_marker(key) {
        Some(m) => &key[m.len..],
        None => key,
    }
}

pub(crate) fn vocab() -> &'static Vocab {
    static V: OnceLock<Vocab> = OnceLock::new();
    V.get_or_init(build)
}

fn build() -> Vocab {
    let s = schema();
    let mut map: HashMap<String, (Vec<Label>, How)> = HashMap::default();
    let mut add = |text: &str, l: Label, how: How| {
        let k = key_of(&fold_str(text, FoldMode::Label));
        let e = map.entry(k).or_insert_with(|| (Vec::new(), how));
        if !e.0.contains(&l) {
            e.0.push(l);
        }
    };
    for t in &s.tables {
        match t.id {
            "t3" => {
                for r in &t.rows {
                    add(
                        r.label,
                        Label::T3Row(if r.key == "r3_6_other" { "r3_6" } else { r.key }),
                        How::Exact,
                    );
                    for a in &r.aliases {
                        add(a, Label::T3Row(r.key), How::Alias);
                    }
                }
                add("申请人情况", Label::T3Header { start: true }, How::Exact);
                add(
                    "法人或其他组织",
                    Label::T3Header { start: false },
                    How::Exact,
                );
                for c in &t.columns {
                    add(c.label, Label::T3Header { start: false }, How::Exact);
                }
            }
            "t4" => {
                add("行政复议", Label::T4Header { start: true }, How::Exact);
                add(
                    "行政复议行政诉讼",
                    Label::T4Header { start: true },
                    How::Exact,
                );
                for w in [
                    "行政诉讼",
                    "未经复议直接起诉",
                    "复议后起诉",
                    "结果维持",
                    "结果纠正",
                    "其他结果",
                    "尚未审结",
                    "总计",
                    "结果",
                    "维持",
                    "纠正",
                    "其他",
                    "尚未",
                    "审结",
                    "总",
                    "计",
                ] {
                    add(w, Label::T4Header { start: false }, How::Exact);
                }
            }
            id => {
                let version = t.version.unwrap_or(FormatVersion::V2021);
                if let Some(c) = t.caption {
                    add(c, Label::Caption(t.id), How::Exact);
                }
                add("信息内容", Label::T2HeaderLead, How::Exact);
                for c in &t.columns {
                    add(
                        c.label,
                        Label::T2Header {
                            table: id,
                            column: c.key,
                            version,
                        },
                        How::Exact,
                    );
                    for a in &c.aliases {
                        add(
                            a,
                            Label::T2Header {
                                table: id,
                                column: c.key,
                                version,
                            },
                            How::Alias,
                        );
                    }
                }
                for r in &t.rows {
                    add(
                        r.label,
                        Label::T2Row {
                            table: id,
                            row: r.key,
                        },
                        How::Exact,
                    );
                    for a in &r.aliases {
                        add(
                            a,
                            Label::T2Row {
                                table: id,
                                row: r.key,
                            },
                            How::Alias,
                        );
                    }
                }
            }
        }
    }
    // The note cell is matched by prefix in `classify`.
    add(
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
        Label::T3Note,
        How::Exact,
    );
    let exact: HashMap<String, (&'static [Label], How)> = map
        .into_iter()
        .map(|(k, (v, h))| (k, (leak_labels(v), h)))
        .collect();
    let mut fuzzy = Vec::new();
    for (k, (labels, how)) in &exact {
        let rowish = labels
            .iter()
            .any(|l| matches!(l, Label::T2Row { .. } | Label::T3Row(_)));
        let stripped = strip_marker(k);
        if rowish && *how == How::Exact && stripped.chars().count() >= 4 {
            fuzzy.push((stripped.chars().collect(), *labels));
        }
    }
    fuzzy.sort_by(|a: &(Vec<char>, _), b| a.0.cmp(&b.0));
    let mut keys: Vec<(&String, &'static [Label])> = exact
        .iter()
        .filter(|(k, _)| k.chars().count() >= 2)
        .map(|(k, (l, _))| (k, *l))
        .collect();
    keys.sort_by(|a, b| a.0.cmp(b.0));
    // A contiguous NFA, not the DFA the builder picks for this many keys: the DFA took 15 M
    // instructions to build (half of a one-file check) and searched no faster here (the
    // labels are found in few, short texts).
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(keys.iter().map(|(k, _)| k.as_str()))
        .expect("label automaton");
    let ac_labels = keys.iter().map(|(_, l)| *l).collect();
    let placeholders: Vec<String> = s
        .placeholder_tokens
        .iter()
        .map(|p| fold_str(p, FoldMode::Label))
        .collect();
    // Past `long_chars` folded chars, no check in `classify` can match except the note's
    // prefix: numbers are at most 32 bytes (see `parse_number`), the phrase, header and fuzzy
    // checks stop at 60 chars, placeholders and keys are shorter, and `key_of` shortens a
    // text by at most two chars (`〇十五、` → `五、`).
    let long_chars = exact
        .keys()
        .map(|k| k.chars().count() + 2)
        .chain(placeholders.iter().map(|p| p.chars().count()))
        .fold(60, usize::max);
    Vocab {
        exact,
        fuzzy,
        ac,
        ac_labels,
        placeholders,
        long_chars,
    }
}

/// The edit distance between `a` and `b` if it is at most `budget`, else `None`. `rows`
/// holds the two rows of the table, reused between calls.
fn levenshtein_within(
    a: &[char],
    b: &[char],
    budget: usize,
    rows: &mut (Vec<usize>, Vec<usize>),
) -> Option<usize> {
    let (prev, cur) = rows;
    prev.clear();
    prev.extend(0..=b.len());
    cur.clear();
    cur.resize(b.len() + 1, 0);
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        // A row's minimum never decreases further down: past the budget, stop.
        if cur.iter().min().is_some_and(|m| *m > budget) {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    Some(prev[b.len()]).filter(|d| *d <= budget)
}

impl Vocab {
    /// Classifies a cell's text, folding it into `buf` (a buffer reused between cells).
    ///
    /// The same as `classify(raw, &fold_str(raw, FoldMode::Label))`, but a paragraph is not
    /// folded whole: once its fold is longer than `long_chars`, only the note's prefix can
    /// still match, and the head of the fold decides.
    pub(crate) fn classify_text(&self, raw: &str, buf: &mut String) -> Class {
        // Labels repeat from row to row and from report to report: short cell texts are
        // classified once per process (the answer depends on the text alone).
        if raw.len() > MEMO_MAX_BYTES {
            return self.classify_text_uncached(raw, buf);
        }
        CLASSES.get_or(raw, || self.classify_text_uncached(raw, buf))
    }

    fn classify_text_uncached(&self, raw: &str, buf: &mut String) -> Class {
        buf.clear();
        // A lead byte E4–E9 starts an ideograph of U+4000–U+9FFF, which folds to exactly
        // one char: with more of them than `long_chars`, the fold is longer for sure, and
        // only its head (the note's prefix) needs folding. (A byte count, vectorised.)
        if raw.len() > 3 * self.long_chars && more_ideographs_than(raw, self.long_chars) {
            fold_prefix(raw, FoldMode::Label, T3_NOTE_PREFIX.chars().count(), buf);
            return paragraph(buf);
        }
        if !fold_prefix(raw, FoldMode::Label, self.long_chars, buf) {
            return paragraph(buf);
        }
        self.classify(raw, buf)
    }

    /// Classifies a cell's text, given its label-folded form.
    pub(crate) fn classify(&self, raw: &str, folded: &str) -> Class {
        if folded.is_empty() || folded == "&nbsp;" || folded == "&nbsp" {
            return Class::Blank;
        }
        if (folded.as_bytes()[0].is_ascii_digit() || folded.starts_with(['+', '-']))
            && let Some(n) = parse_number(folded)
        {
            return Class::Number(n);
        }
        if self.placeholders.iter().any(|p| p == folded) {
            return Class::Placeholder;
        }
        if let Some(c) = self.lookup(folded) {
            return c;
        }
        if folded.starts_with(T3_NOTE_PREFIX) {
            return Class::Labels(&[Label::T3Note], How::Exact);
        }
        let chars = folded.chars().count();
        if has_cjk(folded) && chars <= 60 {
            // Phrase-level Traditional forms (反覆, 檔案) and wrapped header text.
            let p = phrase_folded(raw);
            if p != folded
                && let Some(c) = self.lookup(&p)
            {
                return c;
            }
            // "现行有效件数 (历史累计)", "本年收费金额(单位:万元,保留4位小数)"
            if let Some(i) = folded.find('(')
                && i > 0
            {
                let head = &folded[..i];
                if let Some(Class::Labels(l, _)) = self.lookup(head)
                    && l.iter().any(|l| matches!(l, Label::T2Header { .. }))
                {
                    return Class::Labels(l, How::Alias);
                }
                if head == "本年收费金额"
                    && let Some(Class::Labels(l, _)) = self.lookup("本年收费金额(单位:万元)")
                {
                    return Class::Labels(l, How::Alias);
                }
            }
            if let Some(l) = self.fuzzy(folded) {
                return Class::Labels(l, How::Fuzzy);
            }
        }
        if chars > 40
            || folded.contains(['。', ';', '；'])
            || (chars > 16 && folded.contains([',', '，']))
        {
            return Class::Prose;
        }
        Class::Other
    }

    fn lookup(&self, folded: &str) -> Option<Class> {
        if let Some((l, how)) = self.exact.get(folded) {
            return Some(Class::Labels(l, *how));
        }
        let k = key_of(folded);
        if k != folded
            && let Some((l, how)) = self.exact.get(&k)
        {
            return Some(Class::Labels(l, *how));
        }
        None
    }

    fn fuzzy(&self, folded: &str) -> Option<&'static [Label]> {
        let s: Vec<char> = strip_marker(folded).chars().collect();
        if s.len() < 4 {
            return None;
        }
        let budget = if s.len() <= 8 { 1 } else { 2 + s.len() / 12 };
        let mut best: Option<(usize, &'static [Label])> = None;
        let mut tie = false;
        let mut rows = (Vec::new(), Vec::new());
        for (cand, labels) in &self.fuzzy {
            if cand.len().abs_diff(s.len()) > budget {
                continue;
            }
            let Some(d) = levenshtein_within(&s, cand, budget, &mut rows) else {
                continue;
            };
            match best {
                Some((bd, bl)) if d == bd && bl != *labels => tie = true,
                Some((bd, _)) if d >= bd => {}
                _ => {
                    best = Some((d, labels));
                    tie = false;
                }
            }
        }
        if tie { None } else { best.map(|(_, l)| l) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The chunked count with its early stop answers what counting every byte answers.
        #[test]
        fn more_ideographs_than_is_a_count(
            s in "[a一鿿㐀、\u{E000}😀é]{0,150}",
        ) {
            let all = s.bytes().filter(|b| (0xE4..=0xE9).contains(b)).count();
            for n in [0, all.saturating_sub(1), all, all + 1, 40] {
                proptest::prop_assert_eq!(more_ideographs_than(&s, n), all > n, "{}", n);
            }
        }
    }

    fn class(s: &str) -> Class {
        vocab().classify(s, &fold_str(s, FoldMode::Label))
    }

    #[test]
    fn levenshtein_within_budget() {
        fn full(a: &[char], b: &[char]) -> usize {
            let mut d: Vec<Vec<usize>> = (0..=a.len())
                .map(|i| (0..=b.len()).map(|j| if i == 0 { j } else { i }).collect())
                .collect();
            for i in 1..=a.len() {
                for j in 1..=b.len() {
                    let sub = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
                    d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
                }
            }
            d[a.len()][b.len()]
        }
        let words = [
            "",
            "予以公开",
            "予以公開",
            "部分公开",
            "其他处理",
            "行政复议",
            "公开",
        ];
        let mut rows = (Vec::new(), Vec::new());
        for a in words {
            for b in words {
                let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                for budget in 0..5 {
                    let d = full(&a, &b);
                    let want = (d <= budget).then_some(d);
                    assert_eq!(levenshtein_within(&a, &b, budget, &mut rows), want);
                }
            }
        }
    }

    /// `classify_text` folds only the head of a paragraph; it must agree with a full fold.
    #[test]
    fn classify_text_agrees_with_full_fold() {
        let v = vocab();
        let mut buf = String::new();
        let mut check = |s: &str| {
            let full = v.classify(s, &fold_str(s, FoldMode::Label));
            assert_eq!(v.classify_text(s, &mut buf), full, "{s}");
        };
        let note = "（本列數據的勾稽關係為：第一項加第二項之和，等於第三項加第四項之和）";
        check(note);
        check(&format!(
            "  “{note}” 另有很长的说明文字。{}",
            "说明".repeat(40)
        ));
        check(&format!("{note}{}", "说明".repeat(40)));
        check(&"1".repeat(70));
        check(&format!("〇十五、{}", "其".repeat(59)));
        check(&" ".repeat(200));
        check(&format!("{}总计", " \u{3000}".repeat(100)));
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
        let mut files = 0;
        for sub in ["samples", "real", "excerpts", "rules"] {
            for e in std::fs::read_dir(format!("{dir}/{sub}")).expect("fixtures") {
                let path = e.expect("entry").path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue; // not UTF-8 text
                };
                files += 1;
                for line in text.lines() {
                    check(line);
                    check(line.trim());
                    for field in line.split(['|', '\t']) {
                        check(field.trim());
                    }
                }
            }
        }
        assert!(files > 20);
    }

    #[test]
    fn labels_and_values() {
        assert!(matches!(
            class("(一)予以公開 "),
            Class::Labels([Label::T3Row("r3_1_open")], How::Exact)
        ));
        assert!(matches!(
            class("2.其他法律法规禁止公开"),
            Class::Labels([Label::T3Row("r3_3_2_law_forbidden")], How::Alias)
        ));
        assert!(matches!(
            class("4.無正當理由大量反覆申請"),
            Class::Labels([Label::T3Row("r3_5_4_mass_repeat")], _)
        ));
        assert!(matches!(
            class("第二十條 第(一)項"),
            Class::Labels([Label::Caption("t2_1")], _)
        ));
        assert!(matches!(class("１２"), Class::Number(_)));
        assert!(matches!(class("/"), Class::Placeholder));
        assert!(matches!(class("&nbsp;"), Class::Blank));
        assert!(matches!(
            class("本年收费金额(单位:万元,保留4位小数)"),
            Class::Labels(_, How::Alias)
        ));
        assert!(matches!(
            class("3.其他"),
            Class::Labels([Label::T3Row("r3_6_3_other")], _)
        ));
        assert!(matches!(class("其他主动公开文件"), Class::Other));
        assert!(matches!(
            class("2021年度,本局未發生政府信息依公開申請。"),
            Class::Prose
        ));
    }
}
