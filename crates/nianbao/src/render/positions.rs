//! Lines and columns of the offsets a file's output names, counted on demand.

use std::cell::{Cell, OnceCell};

use nianbao_core::{LineCol, LineIndex};

/// [`LineIndex::line_col`] for one text, without indexing every line first: a report's
/// output names a few places (seven diagnostics a report on average), mostly in order, and
/// finding every line start costs more than counting the newlines up to those places (a
/// vectorised count). A cursor moves forward from the last place asked for; a place before
/// it is counted from the start again, and after a few of those the whole text is indexed.
#[derive(Default)]
pub struct Positions {
    /// The last offset asked for, its 0-based line, and where that line starts.
    cursor: Cell<(usize, usize, usize)>,
    /// How many places came before the cursor.
    backward: Cell<u32>,
    full: OnceCell<LineIndex>,
}

/// Places before the cursor counted from the start before the text is indexed.
const BACKWARD_BEFORE_INDEX: u32 = 4;

impl Positions {
    pub fn new() -> Self {
        Self::default()
    }

    /// 1-based line and character column of byte `offset` of `text` (always the same text),
    /// as [`LineIndex::line_col`] gives them.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        if let Some(full) = self.full.get() {
            return full.line_col(text, offset);
        }
        let offset = offset.min(text.len());
        let (mut at, mut line, mut start) = self.cursor.get();
        if offset < at {
            let n = self.backward.get() + 1;
            self.backward.set(n);
            if n > BACKWARD_BEFORE_INDEX {
                return self
                    .full
                    .get_or_init(|| LineIndex::new(text))
                    .line_col(text, offset);
            }
            (at, line, start) = (0, 0, 0);
        }
        let gap = &text.as_bytes()[at..offset];
        let newlines = memchr::memchr_iter(b'\n', gap).count();
        if newlines > 0 {
            line += newlines;
            start = at + memchr::memrchr(b'\n', gap).map_or(0, |k| k + 1);
        }
        self.cursor.set((offset, line, start));
        LineCol {
            line: line + 1,
            column: text[start..offset].chars().count() + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("\n"),
                Just("\r\n"),
                Just("一"),
                Just("a"),
                Just("\u{feff}"),
                Just("表三\t0"),
            ],
            0..60,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        /// The same lines and columns as the index, whatever the order of the places
        /// (forward, backward, repeated, past the end).
        #[test]
        fn positions_are_the_line_indexs(
            text in text(),
            picks in proptest::collection::vec(0usize..1000, 0..20),
        ) {
            let index = LineIndex::new(&text);
            let positions = Positions::new();
            let bounds: Vec<usize> = (0..=text.len() + 1)
                .filter(|&i| i > text.len() || text.is_char_boundary(i))
                .collect();
            for p in picks {
                let offset = bounds[p % bounds.len()];
                prop_assert_eq!(
                    positions.line_col(&text, offset),
                    index.line_col(&text, offset),
                    "offset {}", offset
                );
            }
        }
    }

    #[test]
    fn places_out_of_order_end_in_the_index() {
        let text = "一\n二\n三\n";
        let positions = Positions::new();
        for offset in [8, 0, 8, 0, 8, 0, 8, 0, 8, 0, 8] {
            assert_eq!(
                positions.line_col(text, offset),
                LineIndex::new(text).line_col(text, offset)
            );
        }
        assert!(positions.full.get().is_some());
    }
}
