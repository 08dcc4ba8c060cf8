//! Arbitrary text (CJK, astral characters, `\r\n`, lone `\r`) → `LineMap` and `rope_char`,
//! in UTF-16 and UTF-8, against a reference written here independently:
//! - byte offset → position is the reference position, and back gives the same offset
//!   (an offset between `\r` and `\n` comes back on the `\r`);
//! - any position, in range or not → offset is the reference's clamped offset, the rope
//!   agrees, and the offset's own position converts back to it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao_fuzz::text_of;
use nianbao_lsp::encoding::{Encoding, LineMap, rope_char};
use ropey::Rope;
use tower_lsp_server::ls_types::Position;

/// Lines of the LSP model: (start, end of content) byte offsets.
fn reference_lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                lines.push((start, i));
                i += 2;
                start = i;
            }
            b'\r' | b'\n' => {
                lines.push((start, i));
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    lines.push((start, b.len()));
    lines
}

fn units(s: &str, enc: Encoding) -> u32 {
    match enc {
        Encoding::Utf8 => s.len() as u32,
        Encoding::Utf16 => s.encode_utf16().count() as u32,
    }
}

/// The reference offset of `pos`: clamped to the line's content, moved back to the start
/// of a character it falls inside; a line past the end is the end of the text.
fn reference_offset(text: &str, lines: &[(usize, usize)], pos: Position, enc: Encoding) -> usize {
    let Some(&(start, end)) = lines.get(pos.line as usize) else {
        return text.len();
    };
    let mut used = 0;
    for (i, c) in text[start..end].char_indices() {
        let mut buf = [0u8; 4];
        used += units(c.encode_utf8(&mut buf), enc);
        if used > pos.character {
            return start + i;
        }
    }
    end
}

fuzz_target!(|data: &[u8]| {
    let text = text_of(data);
    let lines = reference_lines(&text);
    let map = LineMap::new(&text);
    let rope = Rope::from_str(&text);
    assert_eq!(
        rope.len_lines(),
        lines.len(),
        "ropey and the reference count lines differently"
    );
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    // Conversions cost O(line length) each: sample about 128 offsets and 128 lines, so
    // that an input takes about a millisecond (the instrumented build is slow per char).
    let step = (bounds.len() / 128).max(1);
    let line_step = (lines.len() / 128).max(1);
    for enc in [Encoding::Utf16, Encoding::Utf8] {
        // Offsets → positions → offsets.
        for &o in bounds.iter().step_by(step).chain(bounds.last()) {
            let line = lines.partition_point(|(s, _)| *s <= o) - 1;
            let start = lines[line].0;
            let want = Position::new(line as u32, units(&text[start..o], enc));
            let got = map.position(&text, o, enc);
            assert_eq!(got, want, "position of byte {o} ({enc:?})");
            let inside_crlf =
                o > 0 && text.as_bytes()[o - 1] == b'\r' && text.as_bytes().get(o) == Some(&b'\n');
            let back = map.offset(&text, got, enc);
            assert_eq!(
                back,
                if inside_crlf { o - 1 } else { o },
                "offset of {got:?} ({enc:?})"
            );
            // Inside a character: its start.
            for inside in (o + 1..text.len()).take_while(|i| !text.is_char_boundary(*i)) {
                assert_eq!(
                    map.position(&text, inside, enc),
                    got,
                    "byte {inside} inside a char"
                );
            }
        }
        assert_eq!(
            map.position(&text, text.len() + 7, enc),
            map.position(&text, text.len(), enc),
            "an offset past the end"
        );
        // Positions (in range or not) → offsets.
        for line in (0..lines.len() as u32 + 2)
            .step_by(line_step)
            .chain([lines.len() as u32 - 1])
        {
            let width = lines
                .get(line as usize)
                .map_or(0, |&(s, e)| units(&text[s..e], enc));
            let cstep = (width / 16).max(1);
            let chars = (0..=width + 2)
                .step_by(cstep as usize)
                .chain([width, u32::MAX]);
            for character in chars {
                let pos = Position::new(line, character);
                let want = reference_offset(&text, &lines, pos, enc);
                let got = map.offset(&text, pos, enc);
                assert_eq!(got, want, "offset of {pos:?} ({enc:?})");
                let c = rope_char(&rope, pos, enc);
                assert_eq!(
                    rope.char_to_byte(c),
                    got,
                    "rope offset of {pos:?} ({enc:?})"
                );
                let p = map.position(&text, got, enc);
                assert_eq!(
                    map.offset(&text, p, enc),
                    got,
                    "{pos:?} → {got} → {p:?} ({enc:?})"
                );
            }
        }
    }
});
