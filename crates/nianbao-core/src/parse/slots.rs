//! Tokenises the text into cell *slots* (spec §8): every plain-text table layout becomes one
//! stream of text cells, blank cells, padding and row breaks, so that tables can be read by
//! anchoring on labels and counting slots, whatever the layout.

use crate::fold::{FoldMode, fold_prefix};
use crate::grammar::{MAX_NUMBER_LEN, parse_number};
use crate::model::Layout;
use crate::text::{Line, TextRange, trim};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotKind {
    /// A cell with text.
    Text,
    /// A blank cell (`|` alone, an empty field between tabs or pipes).
    Empty,
    /// A line of k ≥ 2 pipes and nothing else: padding for merged cells (§8.1).
    Pad(u16),
    /// The end of an explicit grid row (a line of several cells, or a blank line between
    /// tab-indented blocks).
    Break,
    /// A section heading: tables end here.
    Boundary,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    pub kind: SlotKind,
    /// Trimmed text of a `Text` slot; zero-width for the others.
    pub range: TextRange,
    pub layout: Layout,
    /// Cut out of crawled text whose cells are glued together.
    pub glued: bool,
}

impl Slot {
    pub(crate) fn new(kind: SlotKind, range: TextRange, layout: Layout) -> Self {
        Slot {
            kind,
            range,
            layout,
            glued: false,
        }
    }
}

/// Document-wide layout hints (spec §8.9).
struct Modes {
    tab_indented: bool,
    alternating: bool,
}

/// The TABs and pipes of a line, counted in one pass over its bytes.
#[derive(Clone, Copy)]
struct Shape {
    tabs: usize,
    pipes: usize,
    /// Bytes of leading whitespace (all of a blank line).
    lead: usize,
    /// Bytes of the line without leading and trailing whitespace.
    trimmed: usize,
}

impl Shape {
    /// The line without leading and trailing whitespace.
    fn trimmed<'s>(&self, s: &'s str) -> &'s str {
        &s[self.lead..self.lead + self.trimmed]
    }
}

/// The shape of every line: one vectorised search over the whole text for the TABs and
/// pipes (most lines have neither), each counted on the line that holds it.
fn shapes(text: &str, lines: &[Line]) -> Vec<Shape> {
    let mut shapes: Vec<Shape> = lines
        .iter()
        .map(|l| Shape {
            tabs: 0,
            pipes: 0,
            lead: l.trimmed.start - l.range.start,
            trimmed: l.trimmed.len(),
        })
        .collect();
    let mut li = 0;
    for p in memchr::memchr2_iter(b'\t', b'|', text.as_bytes()) {
        // The line that holds `p`: the first that ends after it (only line breaks and a
        // BOM lie outside the lines, and neither is a `\t` or `|`).
        while li < lines.len() && lines[li].range.end <= p {
            li += 1;
        }
        let Some(sh) = shapes.get_mut(li) else { break };
        if text.as_bytes()[p] == b'\t' {
            sh.tabs += 1;
        } else {
            sh.pipes += 1;
        }
    }
    shapes
}

/// The layout hints, and the shape of every line.
fn detect(text: &str, lines: &[Line]) -> (Modes, Vec<Shape>) {
    let mut tab_rows = 0;
    let mut tab_indented = 0;
    let mut alt_pairs = 0;
    let mut lone_pipes = 0;
    let mut prev_plain_text = false;
    let shapes = shapes(text, lines);
    for (l, &sh) in lines.iter().zip(&shapes) {
        let s = l.range.slice(text);
        if sh.tabs >= 3 {
            tab_rows += 1;
        }
        if s.starts_with('\t') && sh.tabs == 1 {
            tab_indented += 1;
        }
        let t = sh.trimmed(s);
        if t == "|" {
            lone_pipes += 1;
            if prev_plain_text {
                alt_pairs += 1;
            }
        }
        prev_plain_text = sh.pipes == 0 && !t.is_empty();
    }
    let modes = Modes {
        tab_indented: tab_indented > 20 && tab_indented > tab_rows,
        alternating: alt_pairs > 10 && alt_pairs * 10 >= lone_pipes * 8,
    };
    (modes, shapes)
}

/// Whether a line starting as `t` does may be space-separated numbers: a part that starts
/// with an ideograph folds to one, and the only such part [`is_space_separated_numbers`]
/// takes is `无`. Most lines (prose, labels) start with an ideograph, and this spares them
/// the search for whitespace.
fn may_start_numbers(t: &str) -> bool {
    t.chars()
        .next()
        .and_then(crate::fold::ideograph_fold)
        .is_none_or(|f| f == '无')
}

fn is_space_separated_numbers(s: &str, buf: &mut String) -> bool {
    let mut n = 0;
    for part in s.split_whitespace() {
        // A part that folds to more than MAX_NUMBER_LEN chars is no number (and no
        // placeholder): it is not folded further.
        buf.clear();
        let whole = fold_prefix(part, FoldMode::Label, MAX_NUMBER_LEN, buf);
        if !whole || parse_number(buf).is_none() && !matches!(buf.as_str(), "/" | "-" | "—" | "无")
        {
            return false;
        }
        n += 1;
    }
    n >= 2
}

/// Splits `text` into slots. Lines inside `skip` ranges (headings, title) become row breaks.
pub(crate) fn tokenize(text: &str, lines: &[Line], skip: &[TextRange]) -> Vec<Slot> {
    let (modes, shapes) = detect(text, lines);
    // A line gives a slot per field, and a line of several fields a row break: sized for
    // that, the vector does not grow (but for lines of space-separated numbers).
    let (fields, rows) = shapes.iter().fold((0, 0), |(f, r), s| {
        let n = s.tabs + s.pipes;
        (f + n, r + usize::from(n > 0))
    });
    let mut out = Vec::with_capacity(lines.len() + fields + rows + 16);
    let mut prev_plain_text = false;
    let mut skip_i = 0;
    let mut fields = Vec::new();
    let mut buf = String::new();
    for (l, sh) in lines.iter().zip(shapes) {
        let lr = l.range;
        while skip_i < skip.len() && skip[skip_i].end <= lr.start {
            skip_i += 1;
        }
        let s = lr.slice(text);
        let t = sh.trimmed(s);
        // The trimmed line; a blank line is `start..start`.
        let tr = if t.is_empty() {
            TextRange::empty(lr.start)
        } else {
            let start = lr.start + sh.lead;
            TextRange::new(start, start + t.len())
        };
        // A line that is a heading (not a long crawled line containing inline headings).
        if skip_i < skip.len()
            && skip[skip_i].start <= lr.start + sh.lead
            && skip[skip_i].end >= tr.end
        {
            out.push(Slot::new(
                SlotKind::Boundary,
                TextRange::empty(lr.start),
                Layout::CellPerLine,
            ));
            prev_plain_text = false;
            continue;
        }
        if t.is_empty() {
            if modes.tab_indented && !s.is_empty() && s.starts_with('\t') {
                // A lone TAB: an empty (merged) cell.
                out.push(Slot::new(
                    SlotKind::Empty,
                    TextRange::empty(lr.start + 1),
                    Layout::TabIndented,
                ));
            } else if modes.tab_indented {
                out.push(Slot::new(
                    SlotKind::Break,
                    TextRange::empty(lr.start),
                    Layout::TabIndented,
                ));
            }
            prev_plain_text = false;
            continue;
        }
        if sh.pipes > 0 {
            // The common case of a pipe layout, one cell on its line (`text |`): its slot is
            // the text before the pipe, as `pipe_line` would find.
            if sh.pipes == 1 && t.ends_with('|') {
                let cell = trim(text, TextRange::new(tr.start, tr.end - 1));
                if !cell.is_empty() {
                    out.push(Slot::new(SlotKind::Text, cell, Layout::PipeCellPerLine));
                    prev_plain_text = false;
                    continue;
                }
            }
            pipe_line(text, lr, &modes, prev_plain_text, &mut fields, &mut out);
            prev_plain_text = false;
            continue;
        }
        prev_plain_text = true;
        let (body, body_tabs) = if modes.tab_indented && s.starts_with('\t') {
            (TextRange::new(lr.start + 1, lr.end), sh.tabs - 1)
        } else {
            (lr, sh.tabs)
        };
        let bs = body.slice(text);
        if body_tabs > 0 {
            let layout = if modes.tab_indented {
                Layout::TabIndented
            } else {
                Layout::TabRows
            };
            let mut pos = body.start;
            let mut n = 0;
            let mut fields = bs.split('\t').peekable();
            while let Some(field) = fields.next() {
                let last = fields.peek().is_none();
                let fr = TextRange::new(pos, pos + field.len());
                pos = fr.end + 1;
                let cell = trim(text, fr);
                if cell.is_empty() {
                    // A trailing TAB leaves an empty last field: keep it (the row rules drop it).
                    if last && field.is_empty() && n == 0 {
                        continue;
                    }
                    out.push(Slot::new(
                        SlotKind::Empty,
                        TextRange::empty(fr.start),
                        layout,
                    ));
                } else {
                    out.push(Slot::new(SlotKind::Text, cell, layout));
                }
                n += 1;
            }
            if n >= 2 {
                out.push(Slot::new(SlotKind::Break, TextRange::empty(lr.end), layout));
            }
            continue;
        }
        // (`tr`, the trimmed line, is also the trimmed `body`.)
        if tr.len() < 400
            && may_start_numbers(t)
            && t.contains(char::is_whitespace)
            && is_space_separated_numbers(tr.slice(text), &mut buf)
        {
            let mut pos = tr.start;
            for part in tr.slice(text).split(char::is_whitespace) {
                if !part.is_empty() {
                    out.push(Slot::new(
                        SlotKind::Text,
                        TextRange::new(pos, pos + part.len()),
                        Layout::SpaceSeparated,
                    ));
                }
                pos += part.len();
                // Skip the separator char (which may be multi-byte, e.g. U+3000).
                if let Some(c) = text[pos..tr.end].chars().next() {
                    pos += c.len_utf8();
                }
            }
            out.push(Slot::new(
                SlotKind::Break,
                TextRange::empty(lr.end),
                Layout::SpaceSeparated,
            ));
            continue;
        }
        let layout = if modes.tab_indented {
            Layout::TabIndented
        } else if modes.alternating {
            Layout::PipeAlternating
        } else {
            Layout::CellPerLine
        };
        out.push(Slot::new(SlotKind::Text, tr, layout));
    }
    out
}

/// A field between pipes: its source range and its trimmed text.
#[derive(Clone, Copy)]
struct Field {
    range: TextRange,
    text: TextRange,
}

fn pipe_line(
    text: &str,
    lr: TextRange,
    modes: &Modes,
    prev_plain_text: bool,
    fields: &mut Vec<Field>,
    out: &mut Vec<Slot>,
) {
    // Fields between pipes, with their ranges (one buffer for the whole document).
    // (A byte scan: pipe lines are short, and `|` is ASCII.)
    fields.clear();
    let mut start = lr.start;
    for (i, b) in lr.slice(text).bytes().enumerate() {
        if b == b'|' {
            let range = TextRange::new(start, lr.start + i);
            fields.push(Field {
                range,
                text: trim(text, range),
            });
            start = lr.start + i + 1;
        }
    }
    let range = TextRange::new(start, lr.end);
    fields.push(Field {
        range,
        text: trim(text, range),
    });
    // The line is pipes and whitespace only when every field is blank.
    let only_pipes = fields.iter().all(|f| f.text.is_empty());
    let pipes = fields.len() - 1;
    if modes.alternating && only_pipes && pipes == 1 {
        // A lone `|`.
        if !prev_plain_text {
            out.push(Slot::new(
                SlotKind::Empty,
                TextRange::empty(fields[0].range.end),
                Layout::PipeAlternating,
            ));
        }
        return;
    }
    if only_pipes {
        let kind = if pipes == 1 {
            SlotKind::Empty
        } else {
            SlotKind::Pad(pipes.min(u16::MAX as usize) as u16)
        };
        out.push(Slot::new(
            kind,
            TextRange::empty(fields[0].range.end),
            Layout::PipeCellPerLine,
        ));
        return;
    }
    // The last field after a terminating pipe.
    if fields.len() > 1 && fields.last().expect("field").text.is_empty() {
        fields.pop();
    }
    // Markdown-style leading pipe: the line (trimmed) starts with `|`.
    let leading_pipe = fields[0].text.is_empty();
    let fields = if leading_pipe {
        &fields[1..]
    } else {
        &fields[..]
    };
    let texts = fields.iter().filter(|f| !f.text.is_empty()).count();
    let layout = if texts <= 1 && !leading_pipe {
        Layout::PipeCellPerLine
    } else {
        Layout::PipeRows
    };
    let mut n = 0;
    let mut seen_text = false;
    let mut trailing_empties = 0u16;
    for f in fields {
        if f.text.is_empty() {
            if layout == Layout::PipeCellPerLine && seen_text {
                // "本年处理决定数量 | ||": pipes after the one text cell are padding.
                trailing_empties += 1;
                continue;
            }
            out.push(Slot::new(
                SlotKind::Empty,
                TextRange::empty(f.range.start),
                layout,
            ));
        } else {
            out.push(Slot::new(SlotKind::Text, f.text, layout));
            seen_text = true;
        }
        n += 1;
    }
    if trailing_empties > 0 {
        let kind = if trailing_empties == 1 {
            SlotKind::Pad(1)
        } else {
            SlotKind::Pad(trailing_empties)
        };
        out.push(Slot::new(kind, TextRange::empty(lr.end), layout));
    }
    if layout == Layout::PipeRows && n >= 2 {
        out.push(Slot::new(SlotKind::Break, TextRange::empty(lr.end), layout));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lines;
    use proptest::prelude::*;

    proptest! {
        /// `shapes` counts on each line the TABs and pipes a count of that line's bytes finds
        /// (lines of every ending, a BOM, blank lines, lines of nothing but TABs and pipes).
        #[test]
        fn shapes_count_each_lines_tabs_and_pipes(
            bom in any::<bool>(),
            s in "[\t|a 表\r\n]{0,80}",
        ) {
            let text = if bom { format!("\u{feff}{s}") } else { s };
            let ls = lines(&text);
            let got = shapes(&text, &ls);
            prop_assert_eq!(got.len(), ls.len());
            for (l, sh) in ls.iter().zip(&got) {
                let b = l.range.slice(&text).as_bytes();
                prop_assert_eq!(sh.tabs, b.iter().filter(|&&c| c == b'\t').count(), "{:?}", text);
                prop_assert_eq!(sh.pipes, b.iter().filter(|&&c| c == b'|').count(), "{:?}", text);
                prop_assert_eq!(sh.trimmed(l.range.slice(&text)), l.trimmed.slice(&text));
            }
        }
    }
}
