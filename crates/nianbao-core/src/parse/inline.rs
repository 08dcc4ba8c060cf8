//! Crawled text whose line breaks were lost (`…一、本年新收政府信息公开申请数量230 000023二、…`):
//! label occurrences are found inside the long line and the text between them becomes
//! *glued* value slots.

use crate::fold::{FoldMode, fold};
use crate::model::{Layout, Section};
use crate::parse::slots::{Slot, SlotKind};
use crate::parse::vocab::{Label, vocab};
use crate::text::{TextRange, needles, trim};

/// Text slots at least this long are searched for labels inside.
pub(crate) const MIN_INLINE: usize = 200;

fn starts_zone(ls: &[Label]) -> bool {
    ls.iter().any(|l| {
        matches!(
            l,
            Label::Caption(_)
                | Label::T3Note
                | Label::T3Header { start: true }
                | Label::T4Header { start: true }
        ) || matches!(l, Label::T3Row("r1_new"))
    })
}

/// What a table in crawled text starts near: a table-二 caption (第二十条), the table-三
/// note or first row, or table 四's header (Simplified or Traditional).
const ANCHORS: [&str; 8] = [
    "第二十条",
    "第二十條",
    "勾稽关系",
    "勾稽關系",
    "勾稽關係",
    "本年新收",
    "结果维持",
    "結果維持",
];

/// A quick test, before folding, for text that may hold a table: it has one of
/// [`ANCHORS`] (most long slots are prose that has none).
fn has_table_anchor(s: &str) -> bool {
    needles!(ANCHORS).any_in(s)
}

/// Replaces long text slots by label and glued value slots where they contain tables.
pub(crate) fn expand(text: &str, slots: Vec<Slot>, sections: &[Section]) -> Vec<Slot> {
    if !slots
        .iter()
        .any(|s| s.kind == SlotKind::Text && s.range.len() >= MIN_INLINE)
    {
        return slots;
    }
    let v = vocab();
    let mut out = Vec::with_capacity(slots.len());
    for s in slots {
        if s.kind != SlotKind::Text
            || s.range.len() < MIN_INLINE
            || !has_table_anchor(s.range.slice(text))
        {
            out.push(s);
            continue;
        }
        let f = fold(text, s.range, FoldMode::Label);
        // Heading positions inside this slot (folded offsets are not needed: compare source).
        let heads: Vec<TextRange> = sections
            .iter()
            .filter(|h| {
                h.inline
                    && s.range.start <= h.heading_range.start
                    && h.heading_range.end <= s.range.end
            })
            .map(|h| h.heading_range)
            .collect();
        let mut pieces: Vec<Slot> = Vec::new();
        let mut in_zone = false;
        let mut last_end = s.range.start;
        let mut prev_label_end: Option<usize> = None;
        let push_text = |pieces: &mut Vec<Slot>, r: TextRange, glued: bool| {
            let r = trim(text, r);
            if !r.is_empty() {
                let mut sl = Slot::new(SlotKind::Text, r, Layout::Inline);
                sl.glued = glued;
                pieces.push(sl);
            }
        };
        for m in v.ac.find_iter(&f.text) {
            let ls = v.ac_labels[m.pattern().as_usize()];
            let mut r = f.source_range(m.start(), m.end());
            // Folding deleted quotes and spaces: a closing quote belongs to the label.
            let rest = &text[r.end..s.range.end];
            r.end += rest.len() - rest.trim_start_matches(['”', '"', '’', '」']).len();
            // A heading between the previous label and this one ends the zone.
            if let Some(h) = heads
                .iter()
                .find(|h| h.start >= last_end && h.start < r.start)
            {
                if in_zone {
                    push_text(&mut pieces, TextRange::new(last_end, h.start), true);
                    pieces.push(Slot::new(
                        SlotKind::Boundary,
                        TextRange::empty(h.start),
                        Layout::Inline,
                    ));
                }
                in_zone = false;
                last_end = h.end;
                prev_label_end = None;
            }
            if !in_zone && !starts_zone(ls) {
                continue;
            }
            if r.start < last_end {
                continue;
            }
            let gap = TextRange::new(last_end, r.start);
            if in_zone {
                let g = gap.slice(text).trim();
                // A long stretch of prose between labels ends the table zone.
                if g.chars().count() > 40
                    && !g
                        .chars()
                        .all(|c| c.is_ascii_digit() || c.is_whitespace() || c == '.')
                {
                    in_zone = false;
                    pieces.push(Slot::new(
                        SlotKind::Boundary,
                        TextRange::empty(gap.start),
                        Layout::Inline,
                    ));
                    if !starts_zone(ls) {
                        last_end = r.end;
                        continue;
                    }
                } else {
                    push_text(&mut pieces, gap, prev_label_end.is_some());
                }
            }
            in_zone = true;
            pieces.push(Slot::new(SlotKind::Text, r, Layout::Inline));
            last_end = r.end;
            prev_label_end = Some(r.end);
        }
        if in_zone {
            // The values after the last label, up to the next heading or prose.
            let stop = heads
                .iter()
                .find(|h| h.start >= last_end)
                .map(|h| h.start)
                .unwrap_or(s.range.end);
            let tail = TextRange::new(last_end, stop);
            let ts = tail.slice(text);
            let digits_end = ts
                .char_indices()
                .find(|(_, c)| !(c.is_ascii_digit() || c.is_whitespace() || *c == '.'))
                .map(|(i, _)| i)
                .unwrap_or(ts.len());
            push_text(
                &mut pieces,
                TextRange::new(last_end, last_end + digits_end),
                true,
            );
            pieces.push(Slot::new(
                SlotKind::Boundary,
                TextRange::empty(last_end + digits_end),
                Layout::Inline,
            ));
        }
        if pieces.is_empty() {
            out.push(s);
        } else {
            out.extend(pieces);
        }
    }
    out
}

#[cfg(test)]
mod anchor_tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn has_table_anchor_is_a_search_for_each_anchor(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("第二十"), Just("条"), Just("條"), Just("勾稽"), Just("关系"),
                    Just("關係"), Just("本年"), Just("新收"), Just("结果"), Just("维持"),
                    Just("結果維持"), Just("a"), Just("\n"), Just("é"),
                ],
                0..12,
            ),
        ) {
            let s: String = parts.concat();
            prop_assert_eq!(has_table_anchor(&s), ANCHORS.iter().any(|a| s.contains(a)));
        }
    }
}
