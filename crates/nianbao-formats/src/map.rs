//! Maps from the converted text back to the source: byte ranges of an HTML page
//! ([`SpanMap`]) or paragraph and table-cell locations of a Word document ([`Locations`]).

use nianbao_core::{Diagnostic, Report, TextRange};

/// A piece of converted text and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    /// Start in the converted text.
    pub text: usize,
    /// Length in the converted text (0 for an anchor: where a blank table cell stands).
    pub len: usize,
    /// The source range the piece came from.
    pub src: TextRange,
    /// The piece is a verbatim copy of `src` (same bytes), so offsets inside it map one to
    /// one; otherwise (entities, synthesised text) only its ends map.
    pub exact: bool,
}

/// From converted text to the HTML source. Text the converter added (the TAB between two
/// cells, a line break after a paragraph) belongs to no segment and maps to the nearest
/// source position.
#[derive(Debug, Clone, Default)]
pub struct SpanMap {
    /// In text order, not overlapping, none empty.
    pub(crate) segs: Vec<Segment>,
    /// Where blank table cells stand: (text offset, the inside of the cell's tag).
    pub(crate) anchors: Vec<(usize, TextRange)>,
    pub(crate) src_len: usize,
}

impl SpanMap {
    pub(crate) fn push(&mut self, seg: Segment) {
        if seg.len == 0 {
            self.anchors.push((seg.text, seg.src));
        } else {
            debug_assert!(self.segs.last().is_none_or(|l| l.text + l.len <= seg.text));
            self.segs.push(seg);
        }
    }

    /// The source offset where text starting at `off` starts.
    fn start_of(&self, off: usize) -> usize {
        let i = self.segs.partition_point(|s| s.text + s.len <= off);
        match self.segs.get(i) {
            Some(s) if s.text <= off && s.exact => s.src.start + (off - s.text),
            Some(s) => s.src.start,
            None => self.segs.last().map_or(0, |s| s.src.end),
        }
    }

    /// The source offset where text ending at `off` ends.
    fn end_of(&self, off: usize) -> usize {
        let i = self.segs.partition_point(|s| s.text < off);
        match i.checked_sub(1).map(|i| &self.segs[i]) {
            Some(s) if off <= s.text + s.len && s.exact => s.src.start + (off - s.text),
            Some(s) => s.src.end,
            None => self.segs.first().map_or(0, |s| s.src.start),
        }
    }

    fn anchor(&self, off: usize) -> Option<TextRange> {
        let i = self.anchors.partition_point(|(t, _)| *t < off);
        self.anchors
            .get(i)
            .filter(|(t, _)| *t == off)
            .map(|(_, r)| *r)
    }

    /// The source range for a range of the converted text. A zero-width range at a blank
    /// table cell maps to the inside of that cell's tag.
    pub fn range(&self, r: TextRange) -> TextRange {
        if r.is_empty() {
            if let Some(a) = self.anchor(r.start) {
                return a;
            }
            return TextRange::empty(self.start_of(r.start));
        }
        let start = self.start_of(r.start);
        let end = self.end_of(r.end).max(start);
        TextRange::new(start, end)
    }

    /// The source range for `r` if the text there is a verbatim copy of the source (so an
    /// edit of it can be made in the source), else `None`.
    pub fn exact(&self, r: TextRange) -> Option<TextRange> {
        if r.is_empty()
            && let Some(a) = self.anchor(r.start)
        {
            return Some(a);
        }
        let i = self.segs.partition_point(|s| s.text + s.len < r.end);
        let s = self.segs.get(i)?;
        (s.exact && s.text <= r.start && r.end <= s.text + s.len).then(|| {
            TextRange::new(
                s.src.start + (r.start - s.text),
                s.src.start + (r.end - s.text),
            )
        })
    }

    /// Moves a parsed report into source coordinates.
    pub fn map_report(&self, report: &mut Report) {
        report.map_ranges(self.src_len, &mut |r| self.range(r));
    }

    /// Moves diagnostics into source coordinates. A fix is kept only if every edit falls on
    /// text copied verbatim from the page (a number in a cell); its new text is escaped for
    /// HTML. Other fixes are dropped: they cannot be made in the page safely.
    pub fn map_diagnostics(&self, diags: &mut [Diagnostic]) {
        for d in diags {
            d.map_ranges(&mut |r| self.range(r));
            if let Some(fix) = &mut d.fix {
                let mut ok = true;
                for e in &mut fix.edits {
                    match self.exact(e.range) {
                        Some(r) => {
                            e.range = r;
                            e.new_text = escape(&e.new_text);
                        }
                        None => ok = false,
                    }
                }
                if !ok {
                    d.fix = None;
                }
            }
        }
    }
}

/// Escapes text for HTML content.
pub(crate) fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '\n' => o.push_str("<br>"),
            _ => o.push(c),
        }
    }
    o
}

/// A place in a Word document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The n-th paragraph with text in the document body (1-based; paragraphs inside
    /// tables are not counted).
    Paragraph(usize),
    /// A table cell: the n-th table of the body, its row, and the grid column the cell
    /// starts in (1-based; a merged cell is named by its first column, so a column has
    /// the same number in every row).
    Cell {
        table: usize,
        row: usize,
        column: usize,
    },
}

/// From converted text to places in a Word document.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    /// (start in the converted text, location), in text order.
    pub(crate) marks: Vec<(usize, Location)>,
}

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

impl Locations {
    /// Where the converted text at `offset` came from.
    pub fn at(&self, offset: usize) -> Option<Location> {
        let i = self.marks.partition_point(|(o, _)| *o <= offset);
        i.checked_sub(1).map(|i| self.marks[i].1)
    }

    /// Where the converted text at `offset` came from, in words: `第12段`, or
    /// `表三 第5行 第2列` — a table is named by the section it stands in (二, 三, 四 of
    /// `report`), else `第2个表格`.
    pub fn describe(&self, offset: usize, report: &Report) -> String {
        match self.at(offset) {
            None => "文档开头".to_string(),
            Some(Location::Paragraph(n)) => format!("第{n}段"),
            Some(Location::Cell { table, row, column }) => {
                let start = self
                    .marks
                    .iter()
                    .find(|(_, l)| matches!(l, Location::Cell { table: t, .. } if *t == table))
                    .map_or(offset, |(o, _)| *o);
                let section = report
                    .sections
                    .iter()
                    .rev()
                    .find(|s| s.heading_range.end <= start)
                    .map(|s| s.key);
                let name = match section {
                    Some("s2_proactive") => format!("表{}", NUMERALS[1]),
                    Some("s3_applications") => format!("表{}", NUMERALS[2]),
                    Some("s4_review_litigation") => format!("表{}", NUMERALS[3]),
                    _ => format!("第{table}个表格"),
                };
                format!("{name} 第{row}行 第{column}列")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: usize, len: usize, src: (usize, usize), exact: bool) -> Segment {
        Segment {
            text,
            len,
            src: TextRange::new(src.0, src.1),
            exact,
        }
    }

    /// `<p>ab</p><td>&amp;c</td>` → text `ab\n&c` with an anchor.
    fn sample() -> SpanMap {
        let mut m = SpanMap {
            src_len: 40,
            ..SpanMap::default()
        };
        m.push(seg(0, 2, (3, 5), true));
        m.push(seg(3, 0, (13, 13), false));
        m.push(seg(3, 2, (13, 19), false));
        m
    }

    #[test]
    fn exact_segments_map_offset_by_offset() {
        let m = sample();
        assert_eq!(m.range(TextRange::new(0, 2)), TextRange::new(3, 5));
        assert_eq!(m.range(TextRange::new(1, 2)), TextRange::new(4, 5));
        assert_eq!(m.exact(TextRange::new(1, 2)), Some(TextRange::new(4, 5)));
    }

    #[test]
    fn inexact_segments_map_to_their_whole_source() {
        let m = sample();
        assert_eq!(m.range(TextRange::new(4, 5)), TextRange::new(13, 19));
        assert_eq!(m.exact(TextRange::new(4, 5)), None);
    }

    #[test]
    fn added_text_maps_to_the_nearest_source() {
        let m = sample();
        // The line break at 2..3 was added: it starts where the next piece starts.
        assert_eq!(m.range(TextRange::new(0, 3)), TextRange::new(3, 5));
        assert_eq!(m.range(TextRange::new(2, 5)), TextRange::new(13, 19));
    }

    #[test]
    fn a_blank_cell_maps_to_its_anchor() {
        let m = sample();
        assert_eq!(m.range(TextRange::empty(3)), TextRange::empty(13));
        assert_eq!(m.exact(TextRange::empty(3)), Some(TextRange::empty(13)));
    }

    #[test]
    fn locations_name_the_place() {
        let l = Locations {
            marks: vec![
                (0, Location::Paragraph(1)),
                (
                    10,
                    Location::Cell {
                        table: 1,
                        row: 2,
                        column: 3,
                    },
                ),
            ],
        };
        assert_eq!(l.at(5), Some(Location::Paragraph(1)));
        assert_eq!(
            l.at(12),
            Some(Location::Cell {
                table: 1,
                row: 2,
                column: 3
            })
        );
        let report = nianbao_core::parse("");
        assert_eq!(l.describe(3, &report), "第1段");
        assert_eq!(l.describe(12, &report), "第1个表格 第2行 第3列");
    }
}
