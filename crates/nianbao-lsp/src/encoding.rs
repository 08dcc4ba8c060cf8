//! Position encoding: the only place where LSP positions (line, character in UTF-16 or
//! UTF-8 code units) meet byte offsets. Lines end at `\n`, `\r\n` or `\r`, as the LSP
//! specification says (and as ropey is configured: `cr_lines`, no Unicode line breaks).
//!
//! Out-of-range positions are clamped: a line past the end is the end of the text; a
//! character past the end of its line is the end of the line; a position inside a character
//! (the middle of a surrogate pair, or of a multi-byte UTF-8 sequence) moves to its start.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// The negotiated encoding of `Position::character`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16 (the protocol's default).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
        }
    }
}

/// Line starts of a text snapshot, for converting results (byte ranges) to positions.
#[derive(Debug, Clone)]
pub struct LineMap {
    starts: Vec<usize>,
}

impl LineMap {
    pub fn new(text: &str) -> LineMap {
        let b = text.as_bytes();
        let mut starts = Vec::with_capacity(b.len() / 32 + 1);
        starts.push(0);
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            if b[i] == b'\n' || b.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineMap { starts }
    }

    /// The line (0-based) that byte `offset` is on.
    pub fn line_of(&self, offset: usize) -> u32 {
        (self.starts.partition_point(|s| *s <= offset) - 1) as u32
    }

    /// The end of a line's content (before its terminator).
    fn line_end(&self, text: &str, line: usize) -> usize {
        let next = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let b = text.as_bytes();
        let mut end = next;
        if end > self.starts[line] && b.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > self.starts[line] && b.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        end
    }

    /// The position of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        let start = self.starts[line];
        let character: u32 = text[start..offset].chars().map(|c| enc.units(c)).sum();
        Position::new(line as u32, character)
    }

    pub fn range(&self, text: &str, r: nianbao_core::TextRange, enc: Encoding) -> Range {
        Range::new(
            self.position(text, r.start, enc),
            self.position(text, r.end, enc),
        )
    }

    /// The byte offset of `pos`, clamped (see the module docs).
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.starts[line];
        let end = self.line_end(text, line);
        let mut units = 0u32;
        for (i, c) in text[start..end].char_indices() {
            let next = units + enc.units(c);
            if next > pos.character {
                return start + i;
            }
            units = next;
        }
        end
    }
}

/// The char index in `rope` of `pos`, clamped like [`LineMap::offset`].
pub fn rope_char(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line);
    let slice = rope.line(line);
    // The line's content, without its terminator.
    let mut len = slice.len_chars();
    while len > 0 && matches!(slice.char(len - 1), '\n' | '\r') {
        len -= 1;
    }
    let mut units = 0u32;
    for (i, c) in slice.chars().take(len).enumerate() {
        let next = units + enc.units(c);
        if next > pos.character {
            return line_start + i;
        }
        units = next;
    }
    line_start + len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_astral_characters_as_two() {
        let text = "甲𠀀乙\r\n😀x\ry";
        let m = LineMap::new(text);
        let off = text.find('乙').unwrap();
        assert_eq!(m.position(text, off, Encoding::Utf16), Position::new(0, 3));
        assert_eq!(m.position(text, off, Encoding::Utf8), Position::new(0, 7));
        assert_eq!(m.offset(text, Position::new(0, 3), Encoding::Utf16), off);
        // Inside a surrogate pair: the start of the character.
        assert_eq!(
            m.offset(text, Position::new(0, 2), Encoding::Utf16),
            "甲".len()
        );
        // Past the end of a line, past the last line.
        assert_eq!(
            m.offset(text, Position::new(0, 99), Encoding::Utf16),
            text.find('\r').unwrap()
        );
        assert_eq!(
            m.offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
        // A lone \r ends a line.
        assert_eq!(
            m.position(text, text.len() - 1, Encoding::Utf16),
            Position::new(2, 0)
        );
        let rope = Rope::from_str(text);
        for (p, enc) in [
            (Position::new(1, 2), Encoding::Utf16),
            (Position::new(1, 4), Encoding::Utf8),
        ] {
            let c = rope_char(&rope, p, enc);
            assert_eq!(rope.char_to_byte(c), m.offset(text, p, enc));
        }
    }
}
