//! Tokenises the text into cell *slots* (spec §8): every plain-text table layout becomes one
//! stream of text cells, blank cells, padding and row breaks, so that tables can be read by
//! anchoring on labels and counting slots, whatever the layout.

use crate::grammar::parse_number;
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

fn detect(text: &str, lines: &[Line]) -> Modes {
    let mut tab_rows = 0;
    let mut tab_indented = 0;
    let mut alt_pairs = 0;
    let mut lone_pipes = 0;
    let mut prev_plain_text = false;
    for l in lines {
        let s = l.range.slice(text);
        let tabs = s.bytes().filter(|b| *b == b'\t').count();
        if tabs >= 3 {
            tab_rows += 1;
        }
        if s.starts_with('\t') && tabs == 1 {
            tab_indented += 1;
        }
        let t = s.trim();
        if t == "|" {
            lone_pipes += 1;
            if prev_plain_text {
                alt_pairs += 1;
            }
        }
        prev_plain_text = !t.is_empty() && !t.contains('|');
    }
    Modes {
        tab_indented: tab_indented > 20 && tab_indented > tab_rows,
        alternating: alt_pairs > 10 && alt_pairs * 10 >= lone_pipes * 8,
    }
}

fn is_space_separated_numbers(s: &str) -> bool {
    let mut n = 0;
    for part in s.split_whitespace() {
        let f = crate::fold::fold_str(part, crate::fold::FoldMode::Label);
        if parse_number(&f).is_none() && !matches!(f.as_str(), "/" | "-" | "—" | "无") {
            return false;
        }
        n += 1;
    }
    n >= 2
}

/// Splits `text` into slots. Lines inside `skip` ranges (headings, title) become row breaks.
pub(crate) fn tokenize(text: &str, lines: &[Line], skip: &[TextRange]) -> Vec<Slot> {
    let modes = detect(text, lines);
    let mut out = Vec::with_capacity(lines.len() + 16);
    let mut prev_plain_text = false;
    let mut skip_i = 0;
    for l in lines {
        let lr = l.range;
        while skip_i < skip.len() && skip[skip_i].end <= lr.start {
            skip_i += 1;
        }
        let s = lr.slice(text);
        let t = s.trim();
        // A line that is a heading (not a long crawled line containing inline headings).
        if skip_i < skip.len()
            && skip[skip_i].start <= lr.start + (s.len() - s.trim_start().len())
            && skip[skip_i].end >= lr.start + s.trim_end().len()
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
        if s.contains('|') {
            pipe_line(text, lr, &modes, prev_plain_text, &mut out);
            prev_plain_text = false;
            continue;
        }
        prev_plain_text = true;
        let body = if modes.tab_indented && s.starts_with('\t') {
            TextRange::new(lr.start + 1, lr.end)
        } else {
            lr
        };
        let bs = body.slice(text);
        if bs.contains('\t') {
            let layout = if modes.tab_indented {
                Layout::TabIndented
            } else {
                Layout::TabRows
            };
            let mut pos = body.start;
            let mut n = 0;
            let fields: Vec<&str> = bs.split('\t').collect();
            let last = fields.len() - 1;
            for (i, field) in fields.iter().enumerate() {
                let fr = TextRange::new(pos, pos + field.len());
                pos = fr.end + 1;
                let tr = trim(text, fr);
                if tr.is_empty() {
                    // A trailing TAB leaves an empty last field: keep it (the row rules drop it).
                    if i == last && field.is_empty() && n == 0 {
                        continue;
                    }
                    out.push(Slot::new(
                        SlotKind::Empty,
                        TextRange::empty(fr.start),
                        layout,
                    ));
                } else {
                    out.push(Slot::new(SlotKind::Text, tr, layout));
                }
                n += 1;
            }
            if n >= 2 {
                out.push(Slot::new(SlotKind::Break, TextRange::empty(lr.end), layout));
            }
            continue;
        }
        let tr = trim(text, body);
        if tr.len() < 400
            && t.contains(char::is_whitespace)
            && is_space_separated_numbers(tr.slice(text))
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

fn pipe_line(text: &str, lr: TextRange, modes: &Modes, prev_plain_text: bool, out: &mut Vec<Slot>) {
    let s = lr.slice(text);
    let t = s.trim();
    if modes.alternating && t == "|" {
        if !prev_plain_text {
            out.push(Slot::new(
                SlotKind::Empty,
                TextRange::empty(lr.start + s.find('|').unwrap_or(0)),
                Layout::PipeAlternating,
            ));
        }
        return;
    }
    let pipes = t.bytes().filter(|b| *b == b'|').count();
    let only_pipes = t.chars().all(|c| c == '|' || c.is_whitespace());
    let at = lr.start + s.find('|').unwrap_or(0);
    if only_pipes {
        let kind = if pipes == 1 {
            SlotKind::Empty
        } else {
            SlotKind::Pad(pipes.min(u16::MAX as usize) as u16)
        };
        out.push(Slot::new(
            kind,
            TextRange::empty(at),
            Layout::PipeCellPerLine,
        ));
        return;
    }
    // Fields between pipes, with their ranges.
    let mut fields: Vec<TextRange> = Vec::new();
    let mut pos = lr.start;
    for f in s.split('|') {
        fields.push(TextRange::new(pos, pos + f.len()));
        pos += f.len() + 1;
    }
    // The last field after a terminating pipe.
    if fields.len() > 1 && trim(text, *fields.last().expect("field")).is_empty() {
        fields.pop();
    }
    // Markdown-style leading pipe.
    let leading_pipe = t.starts_with('|');
    if leading_pipe && trim(text, fields[0]).is_empty() {
        fields.remove(0);
    }
    let texts = fields
        .iter()
        .filter(|f| !trim(text, **f).is_empty())
        .count();
    let layout = if texts <= 1 && !leading_pipe {
        Layout::PipeCellPerLine
    } else {
        Layout::PipeRows
    };
    let mut n = 0;
    let mut seen_text = false;
    let mut trailing_empties = 0u16;
    for f in &fields {
        let tr = trim(text, *f);
        if tr.is_empty() {
            if layout == Layout::PipeCellPerLine && seen_text {
                // "本年处理决定数量 | ||": pipes after the one text cell are padding.
                trailing_empties += 1;
                continue;
            }
            out.push(Slot::new(
                SlotKind::Empty,
                TextRange::empty(f.start),
                layout,
            ));
        } else {
            out.push(Slot::new(SlotKind::Text, tr, layout));
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
