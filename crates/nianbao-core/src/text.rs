//! Byte ranges into the source text and conversion of offsets to lines and columns.

use serde::Serialize;

/// A half-open byte range `start..end` into the report's source text.
///
/// Every range the parser produces lies inside the text and on `char` boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// A zero-width range at `offset`.
    pub const fn empty(offset: usize) -> Self {
        Self {
            start: offset,
            end: offset,
        }
    }

    pub const fn len(&self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether `offset` lies in the range (a zero-width range contains its own offset).
    pub const fn contains(&self, offset: usize) -> bool {
        (self.start <= offset && offset < self.end) || (self.start == offset && self.end == offset)
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The slice of `text` this range covers.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// A 1-based line and column, the column counted in Unicode scalar values (characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets to lines and character columns.
///
/// ```
/// use nianbao_core::LineIndex;
/// let text = "一、总体情况\n二、主动公开";
/// let idx = LineIndex::new(text);
/// let second = text.find('二').unwrap();
/// assert_eq!(idx.line_col(text, second).line, 2);
/// assert_eq!(idx.line_col(text, second + '二'.len_utf8()).column, 2);
/// ```
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset at which each line starts. Lines end at `\n`.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 20 + 1);
        starts.push(0);
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        Self { starts }
    }

    /// 0-based line of `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and 1-based character column of `offset`. A `\r` before `\n` counts as a
    /// character of its line.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = text[start..offset].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes)
}

/// One physical line of the source: `range` excludes the line terminator (`\n` or `\r\n`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub range: TextRange,
    /// `range` without leading and trailing whitespace (see [`trim`]), found once for the
    /// passes that look at every line.
    pub trimmed: TextRange,
}

impl Line {
    fn new(text: &str, range: TextRange) -> Self {
        Line {
            range,
            trimmed: trim(text, range),
        }
    }
}

/// Splits `text` into lines, excluding terminators. A leading BOM is excluded from line 0.
pub(crate) fn lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    // Sized exactly (a vectorised count): lines are 20–50 bytes, and guessing by the length
    // either wastes memory on a large file or copies the lines as the vector grows.
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first = start;
    for i in memchr::memchr_iter(b'\n', &bytes[first..]).map(|i| i + first) {
        let end = if i > start && bytes[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        out.push(Line::new(text, TextRange::new(start, end)));
        start = i + 1;
    }
    if start < bytes.len() || out.is_empty() {
        let mut end = bytes.len();
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        out.push(Line::new(text, TextRange::new(start, end.max(start))));
    }
    out
}

/// The line that holds byte `p` of `text`, without its `\n`: for a search over the whole
/// text whose matches stand for their lines.
pub(crate) fn line_around(text: &str, p: usize) -> TextRange {
    let b = text.as_bytes();
    let start = memchr::memrchr(b'\n', &b[..p]).map_or(0, |k| k + 1);
    let end = memchr::memchr(b'\n', &b[p..]).map_or(b.len(), |k| p + k);
    TextRange::new(start, end)
}

/// The code point of the three-byte UTF-8 char at `b[i..i + 3]` (a lead byte E0–EF and two
/// continuation bytes): for the byte scans that test ideographs without `str::chars`.
#[inline]
pub(crate) const fn decode3(b: &[u8], i: usize) -> u32 {
    ((b[i] as u32 & 0x0F) << 12) | ((b[i + 1] as u32 & 0x3F) << 6) | (b[i + 2] as u32 & 0x3F)
}

/// A few short strings (keywords, or single chars) found in a text by one SIMD search —
/// Teddy, from aho-corasick's `packed` module — instead of a pass over its chars; by an
/// Aho-Corasick automaton where the CPU has no SIMD for it. Build it once (see
/// [`needles!`]): building costs more than searching a report.
pub(crate) struct Needles(NeedleSearch);

enum NeedleSearch {
    Packed(aho_corasick::packed::Searcher),
    Automaton(aho_corasick::AhoCorasick),
}

impl Needles {
    pub(crate) fn new<S: AsRef<[u8]>>(needles: &[S]) -> Self {
        let packed = aho_corasick::packed::Config::new()
            .builder()
            .extend(needles)
            .build();
        Needles(match packed {
            Some(s) => NeedleSearch::Packed(s),
            None => NeedleSearch::Automaton(
                aho_corasick::AhoCorasick::new(needles).expect("needle automaton"),
            ),
        })
    }

    /// The start of the first match in `hay` (leftmost, matches not overlapping) at which
    /// `is(start)` holds.
    pub(crate) fn find(&self, hay: &str, mut is: impl FnMut(usize) -> bool) -> Option<usize> {
        match &self.0 {
            NeedleSearch::Packed(s) => s.find_iter(hay).map(|m| m.start()).find(|&i| is(i)),
            NeedleSearch::Automaton(a) => a.find_iter(hay).map(|m| m.start()).find(|&i| is(i)),
        }
    }

    /// Whether `hay` holds one of the needles.
    pub(crate) fn any_in(&self, hay: &str) -> bool {
        self.find(hay, |_| true).is_some()
    }

    /// Calls `found` with the start of each match in `hay`, in order.
    pub(crate) fn each(&self, hay: &str, mut found: impl FnMut(usize)) {
        self.find(hay, |i| {
            found(i);
            false
        });
    }
}

/// The [`Needles`] of a constant list, built on first use.
macro_rules! needles {
    ($needles:expr) => {{
        static N: std::sync::LazyLock<crate::text::Needles> =
            std::sync::LazyLock::new(|| crate::text::Needles::new(&$needles));
        &*N
    }};
}
pub(crate) use needles;

/// Trims Unicode whitespace (including U+3000 and U+00A0) from both ends of `range`: what
/// `str::trim` trims, told by the bytes at each end without decoding chars.
pub(crate) fn trim(text: &str, range: TextRange) -> TextRange {
    let b = &text.as_bytes()[range.start..range.end];
    let (mut a, mut z) = (0, b.len());
    // Most lines and cells start and end with an ideograph or a digit: a table lookup at
    // each end rules whitespace out, and only an end that may have some is trimmed.
    if b.first().is_some_and(|&x| MAY_START_SPACE[x as usize]) {
        while a < z {
            match space_at_start(&b[a..z]) {
                0 => break,
                n => a += n,
            }
        }
    }
    if b.last().is_some_and(|&y| MAY_END_SPACE[y as usize]) {
        while z > a {
            match space_at_end(&b[a..z]) {
                0 => break,
                n => z -= n,
            }
        }
    }
    TextRange::new(range.start + a, range.start + z)
}

/// The length in bytes of the whitespace char (`char::is_whitespace`) that `b` starts with,
/// or 0. Every whitespace char is ASCII (`\t`…`\r`, space) or one of U+0085, U+00A0
/// (lead byte C2), U+1680 (E1), U+2000–U+200A, U+2028, U+2029, U+202F, U+205F (E2) and
/// U+3000 (E3).
fn space_at_start(b: &[u8]) -> usize {
    match b {
        [0x09..=0x0D | b' ', ..] => 1,
        [0xC2, 0x85 | 0xA0, ..] => 2,
        [x, y, z, ..] if is_space3(*x, *y, *z) => 3,
        _ => 0,
    }
}

/// The length in bytes of the whitespace char that `b` ends with, or 0 (see
/// [`space_at_start`]). The lead bytes C2, E1, E2 and E3 are never continuation bytes, so
/// a match is a whole char.
fn space_at_end(b: &[u8]) -> usize {
    match b {
        [.., 0x09..=0x0D | b' '] => 1,
        [.., 0xC2, 0x85 | 0xA0] => 2,
        [.., x, y, z] if is_space3(*x, *y, *z) => 3,
        _ => 0,
    }
}

/// Every char that `char::is_whitespace` holds (a test checks the list).
const WHITESPACE: [char; 25] = [
    '\t', '\n', '\u{b}', '\u{c}', '\r', ' ', '\u{85}', '\u{a0}', '\u{1680}', '\u{2000}',
    '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}',
    '\u{2009}', '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}', '\u{3000}',
];

/// The bytes a whitespace char may start with (see [`space_at_start`]).
static MAY_START_SPACE: [bool; 256] = whitespace_bytes(false);

/// The bytes a whitespace char may end with (see [`space_at_end`]).
static MAY_END_SPACE: [bool; 256] = whitespace_bytes(true);

/// The first (or last) bytes of the UTF-8 of the [`WHITESPACE`] chars.
const fn whitespace_bytes(last: bool) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < WHITESPACE.len() {
        let mut buf = [0; 4];
        let b = WHITESPACE[i].encode_utf8(&mut buf).as_bytes();
        set[b[if last { b.len() - 1 } else { 0 }] as usize] = true;
        i += 1;
    }
    set
}

/// Whether the three bytes are the UTF-8 of a whitespace char.
#[inline]
fn is_space3(x: u8, y: u8, z: u8) -> bool {
    match (x, y) {
        (0xE1, 0x9A) => z == 0x80,
        (0xE2, 0x80) => matches!(z, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
        (0xE2, 0x81) => z == 0x9F,
        (0xE3, 0x80) => z == 0x80,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// `trim` trims what `str::trim` trims.
        #[test]
        fn trim_is_str_trim(
            v in proptest::collection::vec(
                prop_oneof![
                    4 => proptest::sample::select(vec![
                        ' ', '\t', '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{a0}', '\u{1680}',
                        '\u{2000}', '\u{200a}', '\u{2028}', '\u{202f}', '\u{205f}', '\u{3000}',
                        '\u{feff}', '\u{200b}', '一', '、', '，', 'a', '1', 'é', '😀', '\u{e000}',
                        '\u{2029}', '\u{2005}', '\u{86}', '\u{a1}', '\u{1681}', '\u{205e}',
                        '\u{2030}', '\u{3001}', '\u{202e}', '\u{a0}',
                    ]),
                    1 => any::<char>(),
                ],
                0..8,
            )
        ) {
            let s: String = v.into_iter().collect();
            let r = trim(&s, TextRange::new(0, s.len()));
            prop_assert_eq!(r.slice(&s), s.trim(), "{:?}", s);
            // A range inside a text: the offsets stay the text's.
            let t = format!("a{s}b");
            let r = trim(&t, TextRange::new(1, 1 + s.len()));
            prop_assert_eq!(r.slice(&t), s.trim(), "{:?}", s);
            prop_assert_eq!(r.start - 1, s.len() - s.trim_start().len(), "{:?}", s);
        }

        /// `Needles` finds what a search char by char finds, in short texts (searched
        /// without SIMD) and long ones.
        #[test]
        fn needles_agree_with_a_char_search(
            s in "[a-zé况況题\u{3000}😀申请請\n]{0,200}",
        ) {
            const SET: [&str; 5] = ["况", "況", "\u{3000}", "申请", "申請"];
            let mut want = Vec::new();
            let mut i = 0;
            while i < s.len() {
                match SET.iter().find(|n| s[i..].starts_with(*n)) {
                    Some(n) => {
                        want.push(i);
                        i += n.len();
                    }
                    None => i += s[i..].chars().next().map_or(1, char::len_utf8),
                }
            }
            let mut found = Vec::new();
            needles!(SET).each(&s, |i| found.push(i));
            prop_assert_eq!(&found, &want);
            prop_assert_eq!(needles!(SET).any_in(&s), !want.is_empty());
            prop_assert_eq!(needles!(SET).find(&s, |i| i > 10), want.iter().copied().find(|&i| i > 10));
        }
    }

    /// The byte test of a whitespace char at either end agrees with `char::is_whitespace`
    /// for every char, alone and next to another char; `trim` trims each as `str::trim`.
    #[test]
    fn space_bytes_are_char_is_whitespace() {
        let all: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(all, WHITESPACE);
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            let want = if c.is_whitespace() { b.len() } else { 0 };
            assert_eq!(space_at_start(b), want, "{c:?} at the start");
            assert_eq!(space_at_end(b), want, "{c:?} at the end");
            let s = format!("一{c}一");
            let b = s.as_bytes();
            assert_eq!(space_at_start(&b[3..]), want, "{c:?} before a char");
            assert_eq!(space_at_end(&b[..b.len() - 3]), want, "{c:?} after a char");
            for t in [format!("{c}"), format!("{c}一"), format!("一{c}")] {
                let r = trim(&t, TextRange::new(0, t.len()));
                assert_eq!(r.slice(&t), t.trim(), "{c:?} trimmed");
            }
        }
    }

    #[test]
    fn lines_handle_crlf_bom_and_trailing() {
        let t = "\u{feff}a\r\nb\n\nc";
        let ls: Vec<_> = lines(t).iter().map(|l| l.range.slice(t)).collect();
        assert_eq!(ls, ["a", "b", "", "c"]);
        let t = "x\n";
        assert_eq!(lines(t).len(), 1);
        assert_eq!(lines("").len(), 1);
    }

    #[test]
    fn line_col_counts_chars() {
        let t = "甲乙\n丙𠀀丁";
        let idx = LineIndex::new(t);
        let off = t.find('丁').unwrap();
        assert_eq!(idx.line_col(t, off), LineCol { line: 2, column: 3 });
    }
}
