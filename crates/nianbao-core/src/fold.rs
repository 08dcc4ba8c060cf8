//! Normalisation for matching (spec §7): NFKC, Traditional → Simplified, and — for label
//! comparison — removal of whitespace and quote characters, keeping a map from every byte of
//! the folded text back to the source so matches point at the original text.
//!
//! The hot path folds one character at a time through a dense table built once from
//! OpenCC's Traditional → Simplified dictionaries (`ferrous-opencc`). Phrase-level
//! conversion (e.g. 反覆 → 反复) is slower and is only used as a fallback for short labels
//! that did not match character-wise.

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use crate::text::TextRange;

/// What to remove while folding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldMode {
    /// Map characters only (NFKC + T→S); keep whitespace and quotes.
    Light,
    /// Also delete whitespace (incl. U+3000, U+00A0, U+2002) and quote characters.
    Label,
}

/// Folded text with a map back to the source.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// One entry per char of `text`, in order: where the char starts in `text` and the source
    /// range of the character it came from. (One entry per char rather than per byte: the
    /// map is built for every folded line, and most lines are never asked for a range.)
    map: Vec<MapEntry>,
}

#[derive(Debug, Clone, Copy)]
struct MapEntry {
    /// Byte offset of the folded char in `Folded::text`.
    out: u32,
    /// Source range of the character it came from.
    src_start: u32,
    src_end: u32,
}

impl Folded {
    /// The map entry of the folded char that contains byte `i` of `text` (`i < text.len()`).
    fn entry_at(&self, i: usize) -> &MapEntry {
        let k = self.map.partition_point(|e| e.out as usize <= i);
        &self.map[k.saturating_sub(1)]
    }

    /// Source range of the folded byte range `start..end` (both on char boundaries).
    pub fn source_range(&self, start: usize, end: usize) -> TextRange {
        let Some(last) = self.map.last() else {
            return TextRange::default();
        };
        if start >= end {
            let s = if start < self.text.len() {
                self.entry_at(start).src_start
            } else {
                last.src_end
            };
            return TextRange::empty(s as usize);
        }
        TextRange::new(
            self.entry_at(start).src_start as usize,
            self.entry_at(end - 1).src_end as usize,
        )
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

const CJK_A_START: u32 = 0x3400;
const CJK_END: u32 = 0xA000;
const COMPAT_START: u32 = 0xF900;
const COMPAT_END: u32 = 0xFB00;

fn t2s_table() -> &'static T2s {
    static TABLE: OnceLock<T2s> = OnceLock::new();
    TABLE.get_or_init(T2s::build)
}

/// OpenCC's Traditional → Simplified converter, for [`fold_phrase`] only: loading its
/// dictionaries is kept off the char-by-char fold.
fn opencc() -> Option<&'static ferrous_opencc::OpenCC> {
    static CC: OnceLock<Option<ferrous_opencc::OpenCC>> = OnceLock::new();
    CC.get_or_init(|| {
        ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s).ok()
    })
    .as_ref()
}

/// Every char of `U+3400..U+A000` and of the compatibility block (`U+F900..U+FB00`) that
/// OpenCC's Traditional → Simplified conversion turns into one other char, one pair per line
/// (`乾干`), in code point order. Generated from `ferrous-opencc` (converting the 27,904 chars
/// one by one took 45 M instructions, most of a one-file check); the test
/// `t2s_pairs_are_opencc_s` regenerates it and fails when the dictionaries change
/// (`NIANBAO_BLESS=1` rewrites the file).
const T2S_PAIRS: &str = include_str!("../data/t2s.txt");

/// The texts that make OpenCC's Traditional → Simplified conversion of a text differ from
/// converting it char by char with the fold's own table, one per line: the keys of its
/// phrase dictionary (反覆, 瞭解 …) and the chars it converts that [`fold_str`] does not
/// fold to the same (most outside `U+3400..U+A000`). Generated from the dictionaries of
/// `ferrous-opencc`; the test `opencc_triggers_are_the_dictionaries` regenerates it and fails
/// when they change (`NIANBAO_BLESS=1` rewrites the file).
const OPENCC_TRIGGERS: &str = include_str!("../data/opencc_triggers.txt");

/// [`OPENCC_TRIGGERS`] by their first char, sorted, for [`has_opencc_trigger`]. (An
/// Aho-Corasick automaton of the 632 texts took 4 M instructions to build, most of a
/// one-file check; the texts searched are short labels.)
fn opencc_triggers() -> &'static [(char, Vec<&'static str>)] {
    static T: OnceLock<Vec<(char, Vec<&'static str>)>> = OnceLock::new();
    T.get_or_init(|| {
        let mut by_first: Vec<(char, Vec<&'static str>)> = Vec::new();
        for t in OPENCC_TRIGGERS.lines() {
            let Some(first) = t.chars().next() else {
                continue;
            };
            match by_first.iter_mut().find(|(c, _)| *c == first) {
                Some((_, ts)) => ts.push(t),
                None => by_first.push((first, vec![t])),
            }
        }
        by_first.sort_unstable_by_key(|(c, _)| *c);
        by_first
    })
}

/// Whether `s` holds one of [`OPENCC_TRIGGERS`].
fn has_opencc_trigger(s: &str) -> bool {
    let triggers = opencc_triggers();
    s.char_indices().any(|(i, c)| {
        !c.is_ascii()
            && triggers
                .binary_search_by_key(&c, |(f, _)| *f)
                .is_ok_and(|k| triggers[k].1.iter().any(|t| s[i..].starts_with(t)))
    })
}

struct T2s {
    /// The Simplified form of every char from `CJK_A_START` to `CJK_END`, then of the
    /// compatibility block (the char itself where it has none).
    map: Box<[char]>,
    /// The ideographs whose Simplified form is another char (most fold to themselves;
    /// 3.4 KB, where `map` is 108 KB).
    changed: IdeographBits,
}

/// Where `c` is in [`T2s::map`], if it is in one of its ranges.
#[inline]
fn t2s_index(c: char) -> Option<usize> {
    let cp = c as u32;
    if (CJK_A_START..CJK_END).contains(&cp) {
        Some((cp - CJK_A_START) as usize)
    } else if (COMPAT_START..COMPAT_END).contains(&cp) {
        Some((CJK_END - CJK_A_START + cp - COMPAT_START) as usize)
    } else {
        None
    }
}

impl T2s {
    fn build() -> Self {
        let mut map: Box<[char]> = (CJK_A_START..CJK_END)
            .chain(COMPAT_START..COMPAT_END)
            .map(|cp| char::from_u32(cp).unwrap_or('\u{fffd}'))
            .collect();
        for line in T2S_PAIRS.lines() {
            let mut it = line.chars();
            if let (Some(from), Some(to), None) = (it.next(), it.next(), it.next())
                && let Some(i) = t2s_index(from)
            {
                map[i] = to;
            }
        }
        let changed = IdeographBits::new(|cp| map[(cp - CJK_A_START) as usize] as u32 != cp);
        T2s { map, changed }
    }

    /// Whether an ideograph in `CJK_A_START..CJK_END` folds to itself.
    #[inline]
    fn keeps(&self, cp: u32) -> bool {
        !self.changed.has(cp)
    }

    /// The Simplified form of an ideograph in `CJK_A_START..CJK_END`.
    #[inline]
    fn ideograph(&self, cp: u32) -> char {
        self.map[(cp - CJK_A_START) as usize]
    }

    #[inline]
    fn get(&self, c: char) -> char {
        t2s_index(c).map_or(c, |i| self.map[i])
    }
}

/// Whether `c` is one of the chars whose Light fold is decided by the Traditional →
/// Simplified table alone (CJK ideographs, Extension A and the unified block), and if so the
/// char it folds to. Other chars go through NFKC (`None`).
#[inline]
pub(crate) fn ideograph_fold(c: char) -> Option<char> {
    let cp = c as u32;
    (CJK_A_START..CJK_END)
        .contains(&cp)
        .then(|| t2s_table().ideograph(cp))
}

/// The CJK ideographs (`U+3400..U+A000`, the chars [`ideograph_fold`] answers for) whose
/// Light fold `is` holds for, in code point order.
pub(crate) fn ideographs_folding_to(is: impl Fn(char) -> bool) -> Vec<char> {
    let table = t2s_table();
    (CJK_A_START..CJK_END)
        .filter(|&cp| is(table.ideograph(cp)))
        .filter_map(char::from_u32)
        .collect()
}

/// A byte for each CJK ideograph (`U+3400..U+A000`, the chars [`ideograph_fold`] answers
/// for), chosen by what it folds to: a scan over a report's text asks it instead of a fold,
/// a search and a comparison per char. Most ideographs share one byte (`common`): a bit
/// per ideograph says which do not, so the usual answer comes from a 5 KB table that stays
/// in the cache.
pub(crate) struct IdeographMap {
    map: Box<[u8]>,
    rare: IdeographBits,
    common: u8,
}

impl IdeographMap {
    /// Each ideograph maps to `f` of its Simplified form; `common` is the usual answer.
    pub(crate) fn by_fold(common: u8, f: impl Fn(char) -> u8) -> Self {
        let table = t2s_table();
        let n = (CJK_END - CJK_A_START) as usize;
        let map: Box<[u8]> = table.map[..n].iter().map(|&c| f(c)).collect();
        let rare = IdeographBits::new(|cp| map[(cp - CJK_A_START) as usize] != common);
        IdeographMap { map, rare, common }
    }

    /// The byte of `cp`, which must be in `U+3400..U+A000`.
    #[inline]
    pub(crate) fn get(&self, cp: u32) -> u8 {
        if self.rare.has(cp) {
            self.map[(cp - CJK_A_START) as usize]
        } else {
            self.common
        }
    }
}

/// A bit per CJK ideograph (`U+3400..U+A000`): 3.4 KB, which stays in the cache.
struct IdeographBits(Box<[u64]>);

impl IdeographBits {
    /// The ideographs `cp` for which `is(cp)` holds.
    fn new(is: impl Fn(u32) -> bool) -> Self {
        let n = (CJK_END - CJK_A_START) as usize;
        let mut bits = vec![0u64; n.div_ceil(64)].into_boxed_slice();
        for cp in CJK_A_START..CJK_END {
            if is(cp) {
                let k = (cp - CJK_A_START) as usize;
                bits[k / 64] |= 1 << (k % 64);
            }
        }
        IdeographBits(bits)
    }

    /// Whether `cp` (in `U+3400..U+A000`) is one of them.
    #[inline]
    fn has(&self, cp: u32) -> bool {
        let k = (cp - CJK_A_START) as usize;
        self.0[k / 64] & (1 << (k % 64)) != 0
    }
}

/// Builds the Traditional → Simplified table now (it is otherwise built on first use).
pub fn warm_up() {
    let _ = t2s_table();
}

#[inline]
fn is_quote(c: char) -> bool {
    matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」')
}

/// Folds one character, calling `emit` for each output character.
#[inline]
fn fold_char(c: char, mode: FoldMode, table: &T2s, mut emit: impl FnMut(char)) {
    let cp = c as u32;
    if c.is_ascii() {
        if mode == FoldMode::Label && (c.is_ascii_whitespace() || c == '"' || c == '\'') {
            return;
        }
        emit(c);
        return;
    }
    // CJK ideographs, most of a report: never whitespace or quotes, and NFKC-stable.
    if (CJK_A_START..CJK_END).contains(&cp) {
        emit(table.ideograph(cp));
        return;
    }
    if mode == FoldMode::Label && (c.is_whitespace() || is_quote(c) || c == '\u{feff}') {
        return;
    }
    // Full-width ASCII: the common NFKC case, done without the normaliser.
    if (0xFF01..=0xFF5E).contains(&cp) {
        let a = char::from_u32(cp - 0xFEE0).unwrap_or(c);
        if mode == FoldMode::Label && is_quote(a) {
            return;
        }
        emit(a);
        return;
    }
    // CJK punctuation (、。〔〕《》 …) is NFKC-stable except U+3000.
    if (0x3001..0x3040).contains(&cp) {
        emit(c);
        return;
    }
    if cp == 0x3000 {
        // Only reached in Light mode (Label mode deleted it as whitespace).
        emit(' ');
        return;
    }
    // Everything else: full NFKC, then T→S on the result.
    for n in std::iter::once(c).nfkc() {
        if mode == FoldMode::Label && (n.is_whitespace() || is_quote(n)) {
            continue;
        }
        emit(table.get(n));
    }
}

/// Folds `range` of `source`, with a map back to the source (see [`Folded::source_range`]).
pub fn fold(source: &str, range: TextRange, mode: FoldMode) -> Folded {
    fold_until(source, range, mode, usize::MAX)
}

/// [`fold`], stopped once the folded text is longer than `upto` bytes: its
/// [`Folded::source_range`] of a range that ends by `upto` is the whole fold's. For a match
/// found in a [`fold_str`] of a long line, near its start: only the line's beginning is
/// folded again, with the map.
pub(crate) fn fold_until(source: &str, range: TextRange, mode: FoldMode, upto: usize) -> Folded {
    let table = t2s_table();
    let s = range.slice(source);
    let cap = s.len().min(upto.saturating_add(16));
    let mut text = String::with_capacity(cap);
    let mut map = Vec::with_capacity(cap / 2);
    for (i, c) in s.char_indices() {
        if text.len() > upto {
            break;
        }
        let src_start = (range.start + i) as u32;
        let src_end = src_start + c.len_utf8() as u32;
        fold_char(c, mode, table, |o| {
            map.push(MapEntry {
                out: text.len() as u32,
                src_start,
                src_end,
            });
            text.push(o);
        });
    }
    Folded { text, map }
}

/// Folds a string for comparison, without a source map.
pub fn fold_str(s: &str, mode: FoldMode) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, mode, &mut out);
    out
}

/// Appends the fold of `s` to `out` (for callers that reuse one buffer).
///
/// Most chars of a report fold to themselves (ideographs already Simplified, ASCII other
/// than what Label mode deletes): runs of them are copied as they are, and only the other
/// chars are folded one by one.
pub(crate) fn fold_into(s: &str, mode: FoldMode, out: &mut String) {
    let table = t2s_table();
    out.reserve(s.len());
    let b = s.as_bytes();
    // The run of chars that fold to themselves, not yet copied, starts at `run`.
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            let deleted =
                mode == FoldMode::Label && (x.is_ascii_whitespace() || x == b'"' || x == b'\'');
            if !deleted {
                i += 1;
                continue;
            }
        } else if (0xE3..=0xE9).contains(&x) {
            // U+3000..U+9FFF, three bytes (the input is valid UTF-8).
            let cp = crate::text::decode3(b, i);
            let keeps = if cp >= CJK_A_START {
                table.keeps(cp)
            } else {
                // CJK punctuation (、。《》 …, every few chars of prose) folds to itself but
                // for U+3000, and for the corner brackets (quotes) that Label mode deletes.
                (0x3001..0x3040).contains(&cp)
                    && !(mode == FoldMode::Label && matches!(cp, 0x300C | 0x300D))
            };
            if keeps {
                i += 3;
                continue;
            }
        }
        out.push_str(&s[run..i]);
        let c = s[i..].chars().next().unwrap_or('\0');
        fold_char(c, mode, table, |o| out.push(o));
        i += c.len_utf8();
        run = i;
    }
    out.push_str(&s[run..]);
}

/// Appends the fold of `s` to `out` while it has at most `max_chars` chars. Returns `true`
/// when all of `s` was folded, `false` when the fold is longer: `out` then holds at least
/// its first `max_chars + 1` chars.
pub(crate) fn fold_prefix(s: &str, mode: FoldMode, max_chars: usize, out: &mut String) -> bool {
    let table = t2s_table();
    let mut n = 0;
    for c in s.chars() {
        fold_char(c, mode, table, |o| {
            out.push(o);
            n += 1;
        });
        if n > max_chars {
            return false;
        }
    }
    true
}

/// The last char of the fold of `s`, folding from the end only as far as needed.
pub(crate) fn last_folded_char(s: &str, mode: FoldMode) -> Option<char> {
    let table = t2s_table();
    s.chars().rev().find_map(|c| {
        let mut last = None;
        fold_char(c, mode, table, |o| last = Some(o));
        last
    })
}

/// Phrase-aware fold: applies `phrase_variants` (e.g. 檔案 → 文件), then OpenCC's phrase-level
/// Traditional → Simplified conversion, then [`fold_str`]. Slower; for short labels only.
///
/// OpenCC runs only on a text with one of [`OPENCC_TRIGGERS`]: on any other it converts char
/// by char as the fold does (most texts; converting costs about 2,000 instructions a char).
pub fn fold_phrase(s: &str, mode: FoldMode, phrase_variants: &[(String, String)]) -> String {
    let mut owned: std::borrow::Cow<str> = match unicode_normalization::is_nfkc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => s.into(),
        _ => s.nfkc().collect::<String>().into(),
    };
    for (from, to) in phrase_variants {
        if owned.contains(from.as_str()) {
            owned = owned.replace(from.as_str(), to).into();
        }
    }
    if has_opencc_trigger(&owned)
        && let Some(cc) = opencc()
    {
        owned = cc.convert(&owned).into();
    }
    fold_str(&owned, mode)
}

/// Whether the string contains a CJK ideograph.
pub fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| (CJK_A_START..CJK_END).contains(&(c as u32)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fold, one char at a time: what `fold_into`'s runs must equal.
    fn fold_by_char(s: &str, mode: FoldMode) -> String {
        let mut out = String::new();
        for c in s.chars() {
            fold_char(c, mode, t2s_table(), |o| out.push(o));
        }
        out
    }

    /// Every char of [`T2s::map`]'s ranges with what OpenCC converts it to when that is one
    /// char (the char itself otherwise).
    fn opencc_chars() -> Vec<(char, char)> {
        let cc = opencc().expect("OpenCC's built-in T2s configuration loads");
        (CJK_A_START..CJK_END)
            .chain(COMPAT_START..COMPAT_END)
            .filter_map(char::from_u32)
            .map(|c| {
                let converted = cc.convert(c.encode_utf8(&mut [0; 4]));
                let mut it = converted.chars();
                match (it.next(), it.next()) {
                    (Some(o), None) => (c, o),
                    _ => (c, c),
                }
            })
            .collect()
    }

    /// [`T2S_PAIRS`] as OpenCC's dictionaries give it now.
    fn t2s_pairs_from_opencc() -> String {
        let mut out = String::new();
        for (c, o) in opencc_chars() {
            if o != c {
                out.push(c);
                out.push(o);
                out.push('\n');
            }
        }
        out
    }

    /// Fails unless `file` (the text of `data/<name>`, as compiled in) is `expected`, what
    /// `ferrous-opencc` gives now; with `NIANBAO_BLESS` set, first rewrites the file.
    fn assert_generated(name: &str, file: &str, expected: &str) {
        if std::env::var_os("NIANBAO_BLESS").is_some() {
            let path = format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"));
            std::fs::write(&path, expected).unwrap_or_else(|e| panic!("write {path}: {e}"));
        }
        assert!(
            file == expected,
            "data/{name} is not what ferrous-opencc gives now: rerun this test with \
             NIANBAO_BLESS=1 to rewrite it, and read the diff"
        );
    }

    #[test]
    fn t2s_pairs_are_opencc_s() {
        assert_generated("t2s.txt", T2S_PAIRS, &t2s_pairs_from_opencc());
    }

    /// A file of the assets (configurations, `dictionaries/`) of the `ferrous-opencc` this
    /// crate is built with, found once with `cargo metadata`.
    fn opencc_asset(name: &str) -> String {
        static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
        let dir = DIR.get_or_init(opencc_assets_dir);
        std::fs::read_to_string(dir.join(name)).expect("read the asset")
    }

    fn opencc_assets_dir() -> std::path::PathBuf {
        // The host's packages only: offline, the other platforms' may not be downloaded.
        let rustc = std::process::Command::new("rustc")
            .arg("-vV")
            .output()
            .expect("run rustc -vV");
        let rustc = String::from_utf8_lossy(&rustc.stdout);
        let host = rustc
            .lines()
            .find_map(|l| l.strip_prefix("host: "))
            .expect("rustc names its host");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--offline"])
            .args(["--filter-platform", host])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run cargo metadata");
        assert!(out.status.success(), "cargo metadata failed");
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
        let manifest = meta["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == "ferrous-opencc")
            .and_then(|p| p["manifest_path"].as_str())
            .expect("ferrous-opencc among the packages");
        std::path::Path::new(manifest)
            .parent()
            .expect("the package's folder")
            .join("assets")
    }

    /// The keys of a dictionary in OpenCC's text format (`key<TAB>values`, `#` comments).
    fn dictionary_keys(text: &str) -> Vec<&str> {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').next())
            .filter(|k| !k.is_empty())
            .collect()
    }

    /// [`OPENCC_TRIGGERS`] as the dictionaries give it now: the phrase keys, and the keys of
    /// the char dictionary (all of one char) whose conversion, folded, is not their fold.
    #[test]
    fn opencc_triggers_are_the_dictionaries() {
        // The configuration converts with these two dictionaries and no other.
        let config: serde_json::Value =
            serde_json::from_str(&opencc_asset("t2s.json")).expect("t2s.json");
        fn files(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    if let Some(f) = m.get("file").and_then(|f| f.as_str()) {
                        out.push(f.to_string());
                    }
                    m.values().for_each(|v| files(v, out));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| files(v, out)),
                _ => {}
            }
        }
        let mut used = Vec::new();
        files(&config["conversion_chain"], &mut used);
        files(&config["segmentation"], &mut used);
        used.sort();
        used.dedup();
        assert_eq!(used, ["TSCharacters.ocd2", "TSPhrases.ocd2"]);
        let cc = opencc().expect("OpenCC's built-in T2s configuration loads");
        let phrases = opencc_asset("dictionaries/TSPhrases.txt");
        let chars = opencc_asset("dictionaries/TSCharacters.txt");
        let mut triggers: Vec<&str> = dictionary_keys(&phrases);
        for key in dictionary_keys(&chars) {
            assert_eq!(
                key.chars().count(),
                1,
                "{key}: a char dictionary key of one char"
            );
            if [FoldMode::Light, FoldMode::Label]
                .iter()
                .any(|&m| fold_str(&cc.convert(key), m) != fold_str(key, m))
            {
                triggers.push(key);
            }
        }
        triggers.sort_unstable();
        triggers.dedup();
        // `has_opencc_trigger` looks for them at non-ASCII chars only.
        assert!(
            triggers
                .iter()
                .all(|t| !t.starts_with(|c: char| c.is_ascii()))
        );
        let expected: String = triggers.iter().map(|t| format!("{t}\n")).collect();
        assert_generated("opencc_triggers.txt", OPENCC_TRIGGERS, &expected);
    }

    /// Without a trigger, the phrase fold is the fold (no OpenCC); with one it is OpenCC's.
    #[test]
    fn fold_phrase_runs_opencc_only_for_a_trigger() {
        let none: &[(String, String)] = &[];
        let cc = opencc().expect("OpenCC loads");
        for s in [
            "鎮江市醫療保障局",
            "開展政策解讀44篇，其中圖文解讀44篇。",
            "不瞭解情況",
            "反覆審議",
            "一目瞭然",
            "ＡＢＣ檔案",
        ] {
            let via_opencc = fold_str(&cc.convert(&s.nfkc().collect::<String>()), FoldMode::Label);
            assert_eq!(fold_phrase(s, FoldMode::Label, none), via_opencc, "{s}");
        }
        assert_eq!(fold_phrase("不瞭解", FoldMode::Label, none), "不了解");
        let variants = [("檔案".to_string(), "文件".to_string())];
        assert_eq!(
            fold_phrase("檔案管理", FoldMode::Label, &variants),
            "文件管理"
        );
    }

    #[test]
    fn t2s_table_folds_as_opencc() {
        let table = t2s_table();
        // Spot checks with known answers, then every char of both ranges against OpenCC.
        assert_eq!(table.get('龜'), '龟');
        assert_eq!(table.get('開'), '开');
        assert_eq!(table.get('开'), '开');
        assert_eq!(table.get('a'), 'a');
        for (c, want) in opencc_chars() {
            assert_eq!(table.get(c), want, "{c} (U+{:04X})", c as u32);
        }
    }

    fn report_char() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => prop::sample::select(vec![
                '公', '開', '开', '報', '告', '況', '议', '議', '〇', '㐀', '䶵', '鿿', '龥', 'a', 'Z',
                '1', ' ', '\t', '\n', '"', '\'', '“', '」', '「', '\u{3000}', '、', '〔', '，',
                '（', 'Ａ', '１', '\u{feff}', '\u{a0}', '\u{f900}', '\u{fa1f}', '①', '⑴', '㈠', '𠀀',
                '。', '《', '』', '\u{303f}', '\u{3040}', '\u{2fff}',
            ]),
            1 => any::<char>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// A fold stopped past `upto` maps every range that ends by `upto` as the whole
        /// fold does (empty ranges included).
        #[test]
        fn fold_until_maps_as_the_whole_fold(
            v in prop::collection::vec(report_char(), 0..40),
            a in 0usize..200,
            b in 0usize..200,
            upto in 0usize..200,
        ) {
            let s: String = v.into_iter().collect();
            let r = TextRange::new(0, s.len());
            for mode in [FoldMode::Light, FoldMode::Label] {
                let whole = fold(&s, r, mode);
                let n = whole.text.len();
                let bound = |x: usize| {
                    let mut x = x.min(n);
                    while !whole.text.is_char_boundary(x) {
                        x -= 1;
                    }
                    x
                };
                let (a, b) = (bound(a.min(b)), bound(a.max(b)));
                let part = fold_until(&s, r, mode, upto.max(b));
                prop_assert_eq!(
                    part.source_range(a, b),
                    whole.source_range(a, b),
                    "{:?} {:?} {}..{} upto {}", s, mode, a, b, upto
                );
                prop_assert!(whole.text.starts_with(&part.text));
            }
        }

        #[test]
        fn fold_into_is_the_fold_of_each_char(v in prop::collection::vec(report_char(), 0..40)) {
            let s: String = v.into_iter().collect();
            for mode in [FoldMode::Light, FoldMode::Label] {
                let mut out = String::from("前");
                fold_into(&s, mode, &mut out);
                prop_assert_eq!(&out[3..], fold_by_char(&s, mode), "{:?} {:?}", s, mode);
            }
        }
    }

    #[test]
    fn folds_traditional_fullwidth_and_space() {
        assert_eq!(fold_str("（一）予以公開", FoldMode::Label), "(一)予以公开");
        assert_eq!(
            fold_str("第二十條 第(一)項", FoldMode::Label),
            "第二十条第(一)项"
        );
        assert_eq!(
            fold_str("3.危及“三安全一穩定”", FoldMode::Label),
            "3.危及三安全一稳定"
        );
        assert_eq!(fold_str("１２　件", FoldMode::Light), "12 件");
        assert_eq!(fold_str("﹝", FoldMode::Label), "〔");
        // Characters outside the spec's small map.
        assert_eq!(fold_str("爲祕", FoldMode::Label), "为秘");
    }

    #[test]
    fn phrase_fold_handles_context_dependent_characters() {
        assert_eq!(
            fold_phrase("4.無正當理由大量反覆申請", FoldMode::Label, &[]),
            "4.无正当理由大量反复申请"
        );
        let pv = vec![("檔案".to_string(), "文件".to_string())];
        assert_eq!(
            fold_phrase("行政規範性檔案", FoldMode::Label, &pv),
            "行政规范性文件"
        );
    }

    #[test]
    fn source_map_points_at_original_bytes() {
        let src = "x 總 計 y";
        let f = fold(src, TextRange::new(0, src.len()), FoldMode::Label);
        assert_eq!(f.text, "x总计y");
        let start = f.text.find('总').unwrap();
        let end = start + "总计".len();
        let r = f.source_range(start, end);
        assert_eq!(r.slice(src), "總 計");
    }
}
