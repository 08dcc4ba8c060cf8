//! Word documents (Office Open XML, `.docx`): the package is a zip; its main part
//! (`word/document.xml`) is read with an XML parser, no office suite needed.
//!
//! * Each body paragraph (`w:p`) becomes a line; list numbering that Word draws itself
//!   (`w:numPr`, from `numbering.xml`, also through the paragraph's style) is written out,
//!   since report headings such as 一、总体情况 are often automatic lists.
//! * A table (`w:tbl`) becomes one line per row (`w:tr`), one TAB-separated field per grid
//!   column: a cell's text in its first column, empty fields for the columns a
//!   `w:gridSpan` covers, an empty field for a cell continuing a vertical merge
//!   (`w:vMerge`), as in spec §8.2. A cell's paragraphs are joined by spaces.
//! * Deleted text (tracked changes), field codes and drawings are left out.
//!
//! Every piece of text is marked with its [`Location`]; see [`Locations`].

use std::collections::HashMap;
use std::io::Read;

use roxmltree::{Document, Node};

use crate::ReadError;
use crate::map::{Location, Locations};

/// A document read as text.
#[derive(Debug, Clone)]
pub struct Converted {
    pub text: String,
    pub locations: Locations,
}

/// The largest part read (uncompressed): a report's document.xml is well under 1 MB.
const MAX_PART: u64 = 64 * 1024 * 1024;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Reads a .docx file's bytes.
pub fn convert(bytes: &[u8]) -> Result<Converted, ReadError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ReadError::new(
            "这是旧版 Word 文档（.doc）或加密的文档，不是 .docx；请在 Word 中另存为 .docx（不加密）",
        ));
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::new(format!("不是有效的 .docx 文件：无法按 zip 包读取（{e}）")))?;
    let main = main_part(&mut zip);
    let xml = part(&mut zip, &main)?
        .ok_or_else(|| ReadError::new(format!("不是有效的 .docx 文件：包中没有正文部分 {main}")))?;
    let numbering_xml = part(&mut zip, "word/numbering.xml").ok().flatten();
    let styles_xml = part(&mut zip, "word/styles.xml").ok().flatten();
    let doc = Document::parse(&xml)
        .map_err(|e| ReadError::new(format!("文档正文 {main} 不是有效的 XML（{e}）")))?;
    let mut numbering = Numbering::default();
    if let Some(x) = &numbering_xml
        && let Ok(d) = Document::parse(x)
    {
        numbering.read_numbering(&d);
    }
    if let Some(x) = &styles_xml
        && let Ok(d) = Document::parse(x)
    {
        numbering.read_styles(&d);
    }
    let body = doc
        .root_element()
        .children()
        .find(|n| is(n, "body"))
        .ok_or_else(|| ReadError::new(format!("文档正文 {main} 中没有 w:body")))?;
    let mut w = Writer {
        text: String::new(),
        locations: Locations::default(),
        numbering,
        paragraphs: 0,
        tables: 0,
    };
    w.blocks(body);
    Ok(Converted {
        text: w.text,
        locations: w.locations,
    })
}

type Zip<'b> = zip::ZipArchive<std::io::Cursor<&'b [u8]>>;

/// The main document part named by the package relationships (usually word/document.xml).
fn main_part(zip: &mut Zip<'_>) -> String {
    let fallback = "word/document.xml".to_string();
    let Ok(Some(rels)) = part(zip, "_rels/.rels") else {
        return fallback;
    };
    let Ok(d) = Document::parse(&rels) else {
        return fallback;
    };
    d.descendants()
        .filter(|n| n.tag_name().name() == "Relationship")
        .find(|n| {
            n.attribute("Type")
                .is_some_and(|t| t.ends_with("/officeDocument"))
        })
        .and_then(|n| n.attribute("Target"))
        .map(|t| t.trim_start_matches('/').to_string())
        .unwrap_or(fallback)
}

/// A part's text, `None` if the package has no such part.
fn part(zip: &mut Zip<'_>, name: &str) -> Result<Option<String>, ReadError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(ReadError::new(format!(
                "无法读取 .docx 包中的 {name}（{e}）"
            )));
        }
    };
    if file.size() > MAX_PART {
        return Err(ReadError::new(format!(
            ".docx 包中的 {name} 解压后有 {} MB，超过 {} MB 的上限",
            file.size() / (1024 * 1024),
            MAX_PART / (1024 * 1024)
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_PART + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::new(format!("无法解压 .docx 包中的 {name}（{e}）")))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| ReadError::new(format!(".docx 包中的 {name} 不是 UTF-8 编码的 XML")))
}

fn is(n: &Node<'_, '_>, local: &str) -> bool {
    n.is_element() && n.tag_name().name() == local && n.tag_name().namespace() == Some(W)
}

fn child<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is(c, local))
}

/// The children of `n` named `local`, also those wrapped in content controls (`w:sdt`) or
/// custom XML (rows of a table, cells of a row).
fn wrapped_children<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Vec<Node<'a, 'i>> {
    n.children()
        .flat_map(|c| {
            if is(&c, local) {
                vec![c]
            } else if is(&c, "sdt") || is(&c, "customXml") {
                c.descendants().filter(|d| is(d, local)).collect()
            } else {
                Vec::new()
            }
        })
        .collect()
}

fn val<'a>(n: Node<'a, '_>) -> Option<&'a str> {
    n.attribute((W, "val"))
}

// ---------------------------------------------------------------------------------------
// List numbering
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

#[derive(Debug, Default)]
struct Numbering {
    /// numId → abstractNumId.
    nums: HashMap<String, String>,
    /// abstractNumId → levels 0..9.
    abstracts: HashMap<String, Vec<Level>>,
    /// styleId → (numId, level).
    styles: HashMap<String, (String, usize)>,
    /// abstractNumId → the current count at each level.
    counters: HashMap<String, [u32; 9]>,
}

impl Numbering {
    fn read_numbering(&mut self, d: &Document<'_>) {
        for n in d.root_element().children() {
            if is(&n, "abstractNum") {
                let Some(id) = n.attribute((W, "abstractNumId")) else {
                    continue;
                };
                let mut levels = vec![Level::default(); 9];
                for l in n.children().filter(|c| is(c, "lvl")) {
                    let Some(i) = l
                        .attribute((W, "ilvl"))
                        .and_then(|v| v.parse::<usize>().ok())
                        .filter(|i| *i < 9)
                    else {
                        continue;
                    };
                    levels[i] = Level {
                        format: child(l, "numFmt").and_then(val).unwrap_or("decimal").into(),
                        text: child(l, "lvlText").and_then(val).unwrap_or("").into(),
                        start: child(l, "start")
                            .and_then(val)
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1),
                    };
                }
                self.abstracts.insert(id.to_string(), levels);
            } else if is(&n, "num")
                && let (Some(id), Some(a)) = (
                    n.attribute((W, "numId")),
                    child(n, "abstractNumId").and_then(val),
                )
            {
                self.nums.insert(id.to_string(), a.to_string());
            }
        }
    }

    fn read_styles(&mut self, d: &Document<'_>) {
        for s in d.root_element().children().filter(|c| is(c, "style")) {
            let (Some(id), Some(num)) = (
                s.attribute((W, "styleId")),
                child(s, "pPr").and_then(|p| child(p, "numPr")),
            ) else {
                continue;
            };
            if let Some(num_id) = child(num, "numId").and_then(val) {
                let lvl = child(num, "ilvl")
                    .and_then(val)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                self.styles
                    .insert(id.to_string(), (num_id.to_string(), lvl));
            }
        }
    }

    /// The number Word draws before a paragraph (`一、`, `（二）`, `3.`), advancing the
    /// counters; empty for bullets and unnumbered paragraphs.
    fn label(&mut self, p: Node<'_, '_>) -> String {
        let ppr = child(p, "pPr");
        let direct = ppr.and_then(|p| child(p, "numPr")).map(|n| {
            (
                child(n, "numId").and_then(val).map(str::to_string),
                child(n, "ilvl")
                    .and_then(val)
                    .and_then(|v| v.parse::<usize>().ok()),
            )
        });
        let style = ppr
            .and_then(|p| child(p, "pStyle"))
            .and_then(val)
            .and_then(|s| self.styles.get(s).cloned());
        let (num_id, lvl) = match (direct, style) {
            (Some((Some(id), l)), s) => (id, l.or(s.map(|s| s.1)).unwrap_or(0)),
            (Some((None, l)), Some((id, sl))) => (id, l.unwrap_or(sl)),
            (None, Some((id, l))) => (id, l),
            _ => return String::new(),
        };
        let Some(abs) = self.nums.get(&num_id).cloned() else {
            return String::new();
        };
        let Some(levels) = self.abstracts.get(&abs) else {
            return String::new();
        };
        let lvl = lvl.min(8);
        let counters = self.counters.entry(abs.clone()).or_insert_with(|| {
            let mut c = [0; 9];
            for (i, l) in levels.iter().enumerate() {
                c[i] = l.start.saturating_sub(1);
            }
            c
        });
        counters[lvl] = counters[lvl].saturating_add(1);
        for (i, l) in levels.iter().enumerate().skip(lvl + 1) {
            counters[i] = l.start.saturating_sub(1);
        }
        let level = &levels[lvl];
        if level.format == "bullet" || level.format == "none" {
            return String::new();
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            {
                chars.next();
                let i = (d as usize).saturating_sub(1).min(8);
                out.push_str(&format_number(counters[i], &levels[i].format));
            } else {
                out.push(c);
            }
        }
        out
    }
}

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// A counter in one of Word's number formats.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "japaneseCounting" => chinese(n),
        "ideographDigital" | "taiwaneseDigital" => n
            .to_string()
            .chars()
            .map(|d| DIGITS[d as usize - '0' as usize])
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1)
                .map(String::from)
                .unwrap_or_default()
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .filter_map(|d| char::from_u32(d as u32 - '0' as u32 + 0xFF10))
            .collect(),
        "decimalZero" if n < 10 => format!("0{n}"),
        "upperLetter" | "lowerLetter" if n >= 1 => {
            let c = (b'A' + ((n - 1) % 26) as u8) as char;
            let s = c.to_string().repeat(((n - 1) / 26 + 1) as usize);
            if format == "lowerLetter" {
                s.to_lowercase()
            } else {
                s
            }
        }
        "upperRoman" | "lowerRoman" if (1..4000).contains(&n) => {
            let s = roman(n);
            if format == "lowerRoman" {
                s.to_lowercase()
            } else {
                s
            }
        }
        _ => n.to_string(),
    }
}

/// 1 → 一, 10 → 十, 21 → 二十一 (up to 9999).
fn chinese(n: u32) -> String {
    if n == 0 {
        return "〇".into();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let units = ["", "十", "百", "千"];
    let digits: Vec<u32> = n
        .to_string()
        .chars()
        .map(|c| c as u32 - '0' as u32)
        .collect();
    let mut out = String::new();
    let mut zero = false;
    for (i, d) in digits.iter().enumerate() {
        let place = digits.len() - 1 - i;
        if *d == 0 {
            zero = true;
            continue;
        }
        if zero && !out.is_empty() {
            out.push('〇');
        }
        zero = false;
        if !(*d == 1 && place == 1 && i == 0) {
            out.push(DIGITS[*d as usize]);
        }
        out.push_str(units[place]);
    }
    out
}

fn roman(mut n: u32) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

// ---------------------------------------------------------------------------------------
// Writing the text
// ---------------------------------------------------------------------------------------

struct Writer {
    text: String,
    locations: Locations,
    numbering: Numbering,
    paragraphs: usize,
    tables: usize,
}

/// Elements whose text is not the document's text.
const SKIP: &[&str] = &[
    "del",
    "moveFrom",
    "delText",
    "instrText",
    "drawing",
    "pict",
    "AlternateContent",
    "pPr",
    "rPr",
    "fldData",
    "footnoteReference",
    "endnoteReference",
    "commentReference",
    "object",
];

impl Writer {
    fn mark(&mut self, at: Location) {
        let offset = self.text.len();
        if self.locations.marks.last().is_none_or(|(_, l)| *l != at) {
            self.locations.marks.push((offset, at));
        }
    }

    fn blocks(&mut self, parent: Node<'_, '_>) {
        for n in parent.children().filter(Node::is_element) {
            match n.tag_name().name() {
                "p" if is(&n, "p") => self.paragraph(n),
                "tbl" if is(&n, "tbl") => self.table(n),
                "sdt" => {
                    if let Some(c) = child(n, "sdtContent") {
                        self.blocks(c);
                    }
                }
                "customXml" | "ins" | "moveTo" => self.blocks(n),
                _ => {}
            }
        }
    }

    /// The text of the runs under `n`, in order. In a paragraph of the body, tabs and line
    /// breaks are kept; in a table cell (`in_cell`) they become spaces. Paragraphs and
    /// tables inside `n` are left to the caller.
    fn runs(n: Node<'_, '_>, in_cell: bool, out: &mut String) {
        for c in n.children().filter(Node::is_element) {
            let name = c.tag_name().name();
            if SKIP.contains(&name) {
                continue;
            }
            if c.tag_name().namespace() == Some(W) {
                match name {
                    "t" => out.push_str(c.text().unwrap_or("")),
                    "tab" | "ptab" => out.push(if in_cell { ' ' } else { '\t' }),
                    "br" | "cr" => out.push(if in_cell { ' ' } else { '\n' }),
                    "noBreakHyphen" => out.push('-'),
                    "p" | "tbl" => {}
                    _ => Self::runs(c, in_cell, out),
                }
            } else {
                Self::runs(c, in_cell, out);
            }
        }
    }

    fn paragraph(&mut self, p: Node<'_, '_>) {
        let mut text = self.numbering.label(p);
        Self::runs(p, false, &mut text);
        if text.trim().is_empty() {
            return;
        }
        self.paragraphs += 1;
        self.mark(Location::Paragraph(self.paragraphs));
        self.text.push_str(text.trim_end());
        self.text.push('\n');
    }

    /// A cell's paragraphs (those of tables nested in it included), joined by spaces.
    fn cell_text(tc: Node<'_, '_>) -> String {
        let mut parts: Vec<String> = Vec::new();
        for n in tc.descendants().filter(|n| is(n, "p")) {
            let mut s = String::new();
            Self::runs(n, true, &mut s);
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if !s.is_empty() {
                parts.push(s);
            }
        }
        parts.join(" ")
    }

    fn table(&mut self, tbl: Node<'_, '_>) {
        self.tables += 1;
        let table = self.tables;
        let rows = wrapped_children(tbl, "tr");
        for (r, tr) in rows.iter().enumerate() {
            let before = child(*tr, "trPr")
                .and_then(|p| child(p, "gridBefore"))
                .and_then(val)
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0)
                .min(1000);
            let mut fields: Vec<(Option<usize>, String)> = vec![(None, String::new()); before];
            for tc in wrapped_children(*tr, "tc") {
                let pr = child(tc, "tcPr");
                let span = pr
                    .and_then(|p| child(p, "gridSpan"))
                    .and_then(val)
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 1000);
                let continued = pr
                    .and_then(|p| child(p, "vMerge"))
                    .is_some_and(|m| val(m).is_none_or(|v| v == "continue"));
                let text = if continued {
                    String::new()
                } else {
                    Self::cell_text(tc)
                };
                let column = fields.len() + 1;
                fields.push((Some(column), text));
                fields.extend(std::iter::repeat_n((None, String::new()), span - 1));
            }
            if fields.len() <= 1 {
                // A one-column table: its cells are paragraphs.
                for (k, text) in fields {
                    if !text.is_empty() {
                        self.mark(Location::Cell {
                            table,
                            row: r + 1,
                            column: k.unwrap_or(1),
                        });
                        self.text.push_str(&text);
                        self.text.push('\n');
                    }
                }
                continue;
            }
            let mut last = 1;
            for (i, (k, text)) in fields.iter().enumerate() {
                if i > 0 {
                    self.text.push('\t');
                }
                let column = k.unwrap_or(last);
                last = column;
                self.mark(Location::Cell {
                    table,
                    row: r + 1,
                    column,
                });
                self.text.push_str(text);
            }
            self.text.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese(1), "一");
        assert_eq!(chinese(10), "十");
        assert_eq!(chinese(12), "十二");
        assert_eq!(chinese(20), "二十");
        assert_eq!(chinese(105), "一百〇五");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
    }

    #[test]
    fn refuses_what_is_not_a_docx() {
        let e = convert(b"plain text").unwrap_err();
        assert!(e.message.contains("zip"), "{e}");
        let e = convert(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).unwrap_err();
        assert!(e.message.contains(".doc"), "{e}");
    }
}
