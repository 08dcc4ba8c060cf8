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

/// Folded text with a byte map back to the source.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// For each byte of `text`: the source range of the character it came from.
    src: Vec<(u32, u32)>,
}

impl Folded {
    /// Source range of the folded byte range `start..end` (both on char boundaries).
    pub fn source_range(&self, start: usize, end: usize) -> TextRange {
        if self.src.is_empty() {
            return TextRange::default();
        }
        if start >= end {
            let s = self
                .src
                .get(start)
                .map(|r| r.0)
                .unwrap_or(self.src[self.src.len() - 1].1);
            return TextRange::empty(s as usize);
        }
        TextRange::new(self.src[start].0 as usize, self.src[end - 1].1 as usize)
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

struct T2s {
    /// Indexed by `cp - CJK_A_START` (then the compatibility block); 0 = unchanged.
    map: Box<[u32]>,
    cc: Option<ferrous_opencc::OpenCC>,
}

impl T2s {
    fn build() -> Self {
        let cc =
            ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s).ok();
        let main = (CJK_END - CJK_A_START) as usize;
        let mut map = vec![0u32; main + (COMPAT_END - COMPAT_START) as usize].into_boxed_slice();
        if let Some(cc) = &cc {
            let mut buf = [0u8; 4];
            for (i, cp) in (CJK_A_START..CJK_END)
                .chain(COMPAT_START..COMPAT_END)
                .enumerate()
            {
                let Some(c) = char::from_u32(cp) else {
                    continue;
                };
                let s: &str = c.encode_utf8(&mut buf);
                let out = cc.convert(s);
                let mut it = out.chars();
                if let (Some(o), None) = (it.next(), it.next())
                    && o != c
                {
                    map[i] = o as u32;
                }
            }
        }
        T2s { map, cc }
    }

    #[inline]
    fn get(&self, c: char) -> char {
        let cp = c as u32;
        let idx = if (CJK_A_START..CJK_END).contains(&cp) {
            (cp - CJK_A_START) as usize
        } else if (COMPAT_START..COMPAT_END).contains(&cp) {
            (CJK_END - CJK_A_START + cp - COMPAT_START) as usize
        } else {
            return c;
        };
        match self.map[idx] {
            0 => c,
            m => char::from_u32(m).unwrap_or(c),
        }
    }
}

/// Builds the Traditional → Simplified table now (it is otherwise built on first use,
/// which takes a few milliseconds).
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
    if c.is_ascii() {
        if mode == FoldMode::Label && (c.is_ascii_whitespace() || is_quote(c)) {
            return;
        }
        emit(c);
        return;
    }
    if mode == FoldMode::Label && (c.is_whitespace() || is_quote(c) || c == '\u{feff}') {
        return;
    }
    let cp = c as u32;
    // Full-width ASCII: the common NFKC case, done without the normaliser.
    if (0xFF01..=0xFF5E).contains(&cp) {
        let a = char::from_u32(cp - 0xFEE0).unwrap_or(c);
        if mode == FoldMode::Label && is_quote(a) {
            return;
        }
        emit(a);
        return;
    }
    if (CJK_A_START..CJK_END).contains(&cp) || (0x3001..0x3040).contains(&cp) {
        // CJK ideographs and CJK punctuation (、。〔〕《》 …) are NFKC-stable except U+3000.
        if cp == 0x3000 {
            if mode == FoldMode::Light {
                emit(' ');
            }
            return;
        }
        emit(table.get(c));
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

/// Folds `range` of `source`.
pub fn fold(source: &str, range: TextRange, mode: FoldMode) -> Folded {
    let table = t2s_table();
    let s = range.slice(source);
    let mut text = String::with_capacity(s.len());
    let mut src = Vec::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        let a = (range.start + i) as u32;
        let b = a + c.len_utf8() as u32;
        fold_char(c, mode, table, |o| {
            text.push(o);
            src.extend(std::iter::repeat_n((a, b), o.len_utf8()));
        });
    }
    Folded { text, src }
}

/// Folds a string for comparison, without a source map.
pub fn fold_str(s: &str, mode: FoldMode) -> String {
    let table = t2s_table();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, mode, table, |o| out.push(o));
    }
    out
}

/// Phrase-aware fold: applies `phrase_variants` (e.g. 檔案 → 文件), then OpenCC's phrase-level
/// Traditional → Simplified conversion, then [`fold_str`]. Slower; for short labels only.
pub fn fold_phrase(s: &str, mode: FoldMode, phrase_variants: &[(String, String)]) -> String {
    let mut owned = s.nfkc().collect::<String>();
    for (from, to) in phrase_variants {
        if owned.contains(from.as_str()) {
            owned = owned.replace(from.as_str(), to);
        }
    }
    let converted = match &t2s_table().cc {
        Some(cc) => cc.convert(&owned),
        None => owned,
    };
    fold_str(&converted, mode)
}

/// Whether the string contains a CJK ideograph.
pub fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| (CJK_A_START..CJK_END).contains(&(c as u32)))
}

#[cfg(test)]
mod tests {
    use super::*;

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
