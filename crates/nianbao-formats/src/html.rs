//! Web pages. The page is tokenised by html5gum (a WHATWG-conformant tokenizer that keeps
//! source spans), built into a light tree with the tag-soup rules browsers apply to the
//! markup found on government sites (implied `</p>`, `</td>`, `</tr>`, `</li>`), and
//! written out as text:
//!
//! * block elements (`p`, `div`, `h1`…, `li`, `br` …) end a line; runs of white space
//!   (including `&nbsp;`) become one space;
//! * a data table (one without tables inside) becomes one line per row, one TAB-separated
//!   field per grid column: a cell's text in its first column, an empty field for every
//!   position a `rowspan`/`colspan` covers (the §8.2 layout, which the core reads with merged
//!   cells in place); a table that holds tables is page layout, and its cells are read as
//!   blocks;
//! * scripts, styles, the head and page chrome (`nav`, `footer`, `aside`, forms, and
//!   elements whose class or id names a menu, navigation, breadcrumb, sidebar or footer)
//!   are left out.
//!
//! Every word written comes with its source range; see [`SpanMap`].

use html5gum::{DefaultEmitter, Token, Tokenizer};
use nianbao_core::{Diagnostic, Report, TextRange};

use crate::map::{Segment, SpanMap};

/// A page read as text.
#[derive(Debug, Clone)]
pub struct Converted {
    pub text: String,
    pub map: SpanMap,
}

/// Reads an HTML page (already decoded; see [`crate::charset`]). Never fails: markup that
/// is not understood is read as text or skipped.
pub fn convert(src: &str) -> Converted {
    let tree = Tree::build(src);
    let mut w = Writer {
        text: String::with_capacity(src.len() / 3),
        map: SpanMap {
            src_len: src.len(),
            ..SpanMap::default()
        },
        src,
        space: false,
        in_cell: 0,
    };
    w.children(&tree, 0);
    w.newline();
    Converted {
        text: w.text,
        map: w.map,
    }
}

/// Reads a page and checks it with `check` (given the text read from the page and its
/// report): the report and diagnostics come back placed in the page's source, fixes
/// that cannot be made in the page dropped (see [`SpanMap::map_diagnostics`]).
pub fn check(
    page: &str,
    check: impl FnOnce(&str, &Report) -> Vec<Diagnostic>,
) -> (Report, Vec<Diagnostic>) {
    let c = convert(page);
    let mut report = nianbao_core::parse(&c.text);
    let mut diags = check(&c.text, &report);
    c.map.map_report(&mut report);
    c.map.map_diagnostics(&mut diags);
    (report, diags)
}

// ---------------------------------------------------------------------------------------
// The tree
// ---------------------------------------------------------------------------------------

#[derive(Debug)]
enum Child {
    Element(usize),
    /// Decoded text and the source range of its token.
    Text(String, TextRange),
    /// A suppression comment (`<!-- nianbao-disable NB301 -->`), kept as a line of its
    /// own so that the core sees it.
    Comment(String, TextRange),
}

#[derive(Debug)]
struct Element {
    name: String,
    rowspan: usize,
    colspan: usize,
    /// Left out of the text (script, style, page chrome).
    hidden: bool,
    /// Where the element's content starts in the source (the end of its start tag).
    inner: usize,
    children: Vec<Child>,
}

struct Tree {
    elements: Vec<Element>,
}

impl std::ops::Index<usize> for Tree {
    type Output = Element;
    fn index(&self, i: usize) -> &Element {
        &self.elements[i]
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "basefont", "frame",
];

/// Elements whose content is never report text.
const HIDDEN: &[&str] = &[
    "head", "script", "style", "noscript", "template", "title", "nav", "footer", "aside", "menu",
    "form", "select", "option", "button", "iframe", "svg", "object", "canvas", "textarea", "map",
];

/// Start tags that close an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "div",
    "dl",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// Class or id words that mark page chrome.
const CHROME: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "breadcrumb",
    "crumb",
    "sidebar",
    "side-bar",
    "copyright",
    "share",
    "topbar",
    "top-bar",
    "dh",
];

fn is_chrome(attr: &str) -> bool {
    attr.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .any(|w| {
            let w = w.to_ascii_lowercase();
            CHROME.iter().any(|c| {
                w == *c
                    || w.starts_with(&format!("{c}-"))
                    || w.starts_with(&format!("{c}_"))
                    || w.ends_with(&format!("-{c}"))
                    || w.ends_with(&format!("_{c}"))
                    || (c.len() > 3 && w.contains(c))
            })
        })
}

fn span_attr(v: Option<&[u8]>) -> usize {
    v.and_then(|v| std::str::from_utf8(v).ok())
        .map(|v| {
            let digits: String = v.trim().chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<usize>().unwrap_or(1)
        })
        .unwrap_or(1)
        .clamp(1, 1000)
}

impl Tree {
    fn build(src: &str) -> Tree {
        let mut t = Tree {
            elements: vec![Element {
                name: "#root".into(),
                rowspan: 1,
                colspan: 1,
                hidden: false,
                inner: 0,
                children: Vec::new(),
            }],
        };
        let mut open: Vec<usize> = vec![0];
        let mut emitter = DefaultEmitter::<usize>::new_with_span();
        emitter.naively_switch_states(true);
        for token in Tokenizer::new_with_emitter(src, emitter).flatten() {
            match token {
                Token::StartTag(tag) => {
                    let name = String::from_utf8_lossy(tag.name.as_slice()).to_ascii_lowercase();
                    t.implied_ends(&mut open, &name);
                    if matches!(name.as_str(), "td" | "th") && !t.open_in(&open, "tr", TABLE) {
                        t.open_element(&mut open, "tr", 1, 1, false, tag.span.start);
                    }
                    let attr = |k: &[u8]| tag.attributes.get(k).map(|v| v.as_slice());
                    let chrome = ["class", "id"].iter().any(|k| {
                        attr(k.as_bytes()).is_some_and(|v| is_chrome(&String::from_utf8_lossy(v)))
                    }) || attr(b"hidden").is_some()
                        || attr(b"style").is_some_and(|s| {
                            let s = String::from_utf8_lossy(s)
                                .to_ascii_lowercase()
                                .replace(' ', "");
                            s.contains("display:none") || s.contains("visibility:hidden")
                        });
                    let hidden = HIDDEN.contains(&name.as_str())
                        || chrome
                        || (name == "header" && !t.open_in(&open, "article", &[]));
                    let idx = t.open_element(
                        &mut open,
                        &name,
                        span_attr(attr(b"rowspan")),
                        span_attr(attr(b"colspan")),
                        hidden,
                        tag.span.end,
                    );
                    if VOID.contains(&name.as_str()) || tag.self_closing {
                        open.retain(|&i| i != idx);
                    }
                }
                Token::EndTag(tag) => {
                    let name = String::from_utf8_lossy(tag.name.as_slice()).to_ascii_lowercase();
                    if name == "br" {
                        // `</br>` is read as `<br>` by browsers.
                        let idx = t.open_element(&mut open, "br", 1, 1, false, tag.span.end);
                        open.retain(|&i| i != idx);
                        continue;
                    }
                    let boundary: &[&str] = match name.as_str() {
                        "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "caption" => &["table"],
                        "table" => &[],
                        _ => &["td", "th", "table"],
                    };
                    if let Some(pos) = t.find_open(&open, &name, boundary) {
                        open.truncate(pos);
                    }
                }
                Token::String(s) => {
                    let text = String::from_utf8_lossy(s.value.as_slice()).into_owned();
                    let parent = *open.last().expect("root stays open");
                    let range =
                        TextRange::new(s.span.start.min(src.len()), s.span.end.min(src.len()));
                    t.elements[parent].children.push(Child::Text(text, range));
                }
                Token::Comment(c) => {
                    let text = String::from_utf8_lossy(c.value.as_slice());
                    if text.contains("nianbao-") {
                        let parent = *open.last().expect("root stays open");
                        let range =
                            TextRange::new(c.span.start.min(src.len()), c.span.end.min(src.len()));
                        t.elements[parent]
                            .children
                            .push(Child::Comment(format!("<!--{text}-->"), range));
                    }
                }
                Token::Doctype(_) | Token::Error(_) => {}
            }
        }
        t
    }

    fn open_element(
        &mut self,
        open: &mut Vec<usize>,
        name: &str,
        rowspan: usize,
        colspan: usize,
        hidden: bool,
        inner: usize,
    ) -> usize {
        let idx = self.elements.len();
        self.elements.push(Element {
            name: name.to_string(),
            rowspan,
            colspan,
            hidden,
            inner,
            children: Vec::new(),
        });
        let parent = *open.last().expect("root stays open");
        self.elements[parent].children.push(Child::Element(idx));
        open.push(idx);
        idx
    }

    /// The position in `open` of the innermost open `name`, not looking past `boundary`.
    fn find_open(&self, open: &[usize], name: &str, boundary: &[&str]) -> Option<usize> {
        for (pos, &i) in open.iter().enumerate().skip(1).rev() {
            let n = self.elements[i].name.as_str();
            if n == name {
                return Some(pos);
            }
            if boundary.contains(&n) {
                return None;
            }
        }
        None
    }

    fn open_in(&self, open: &[usize], name: &str, boundary: &[&str]) -> bool {
        self.find_open(open, name, boundary).is_some()
    }

    /// Closes what a start tag `name` implicitly ends.
    fn implied_ends(&self, open: &mut Vec<usize>, name: &str) {
        let close = |open: &mut Vec<usize>, what: &[&str], boundary: &[&str]| {
            for w in what {
                if let Some(pos) = self.find_open(open, w, boundary) {
                    open.truncate(pos);
                }
            }
        };
        if CLOSES_P.contains(&name) {
            close(
                open,
                &["p"],
                &["td", "th", "table", "div", "li", "blockquote"],
            );
        }
        match name {
            "li" => close(open, &["li"], &["ul", "ol", "table"]),
            "dt" | "dd" => close(open, &["dt", "dd"], &["dl", "table"]),
            "tr" => close(open, &["tr"], TABLE),
            "td" | "th" => close(open, &["td", "th"], &["tr", "table"]),
            "tbody" | "thead" | "tfoot" => close(open, &["tbody", "thead", "tfoot"], &["table"]),
            _ => {}
        }
    }

    /// Whether the element has a `table` among its descendants.
    fn has_table(&self, i: usize) -> bool {
        self.elements[i].children.iter().any(|c| match c {
            Child::Element(j) => self.elements[*j].name == "table" || self.has_table(*j),
            Child::Text(..) | Child::Comment(..) => false,
        })
    }

    /// The rows of a table (through `thead`/`tbody`/`tfoot`), each a list of cells.
    fn rows(&self, table: usize) -> Vec<Vec<usize>> {
        let mut rows = Vec::new();
        self.collect_rows(table, &mut rows);
        rows
    }

    fn collect_rows(&self, i: usize, rows: &mut Vec<Vec<usize>>) {
        for c in &self.elements[i].children {
            if let Child::Element(j) = c {
                let e = &self.elements[*j];
                match e.name.as_str() {
                    "tr" => rows.push(
                        e.children
                            .iter()
                            .filter_map(|c| match c {
                                Child::Element(k)
                                    if matches!(self.elements[*k].name.as_str(), "td" | "th") =>
                                {
                                    Some(*k)
                                }
                                _ => None,
                            })
                            .collect(),
                    ),
                    "thead" | "tbody" | "tfoot" => self.collect_rows(*j, rows),
                    _ => {}
                }
            }
        }
    }
}

/// Elements that bound a search for an open `tr`.
const TABLE: &[&str] = &["table"];

// ---------------------------------------------------------------------------------------
// Writing the text
// ---------------------------------------------------------------------------------------

const BLOCK: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "ul",
    "tr",
    "table",
    "caption",
    "tbody",
    "thead",
    "tfoot",
    "body",
    "html",
];

struct Writer<'s> {
    text: String,
    map: SpanMap,
    src: &'s str,
    /// A space is due before the next word.
    space: bool,
    /// Inside a data-table cell: line breaks become spaces.
    in_cell: usize,
}

fn is_space(c: char) -> bool {
    c.is_ascii_whitespace() || c == '\u{a0}'
}

impl Writer<'_> {
    fn newline(&mut self) {
        if self.in_cell > 0 {
            self.space = true;
            return;
        }
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self.space = false;
    }

    fn at_line_start(&self) -> bool {
        self.text.is_empty() || self.text.ends_with('\n') || self.text.ends_with('\t')
    }

    fn words(&mut self, text: &str, range: TextRange) {
        let source = range.slice(self.src);
        let mut cursor = 0;
        if text.starts_with(is_space) {
            self.space = true;
        }
        for (k, word) in text.split(is_space).filter(|w| !w.is_empty()).enumerate() {
            if k > 0 {
                self.space = true;
            }
            if self.space && !self.at_line_start() {
                self.text.push(' ');
            }
            self.space = false;
            let start = self.text.len();
            self.text.push_str(word);
            // A word without entities is found as it is in the token's source.
            let seg = match source.get(cursor..).and_then(|s| s.find(word)) {
                Some(p) => {
                    let s = range.start + cursor + p;
                    cursor += p + word.len();
                    Segment {
                        text: start,
                        len: word.len(),
                        src: TextRange::new(s, s + word.len()),
                        exact: true,
                    }
                }
                None => Segment {
                    text: start,
                    len: word.len(),
                    src: TextRange::new(range.start + cursor.min(source.len()), range.end),
                    exact: false,
                },
            };
            self.map.push(seg);
            self.space = false;
        }
        if text.ends_with(is_space) {
            self.space = true;
        }
    }

    fn children(&mut self, t: &Tree, i: usize) {
        for c in &t[i].children {
            match c {
                Child::Text(s, r) => self.words(s, *r),
                Child::Comment(s, r) if self.in_cell == 0 => {
                    self.newline();
                    self.map.push(Segment {
                        text: self.text.len(),
                        len: s.len(),
                        src: *r,
                        exact: false,
                    });
                    self.text.push_str(s);
                    self.newline();
                }
                Child::Comment(..) => {}
                Child::Element(j) => self.element(t, *j),
            }
        }
    }

    fn element(&mut self, t: &Tree, i: usize) {
        let e = &t[i];
        if e.hidden {
            return;
        }
        match e.name.as_str() {
            "br" | "hr" => self.newline(),
            "table" => {
                self.newline();
                if self.in_cell == 0 && !t.has_table(i) {
                    self.table(t, i);
                } else {
                    // Page layout: the cells are blocks.
                    for row in t.rows(i) {
                        for cell in row.into_iter().filter(|&c| !t[c].hidden) {
                            self.newline();
                            self.children(t, cell);
                            self.newline();
                        }
                    }
                }
                self.newline();
            }
            name if BLOCK.contains(&name) => {
                self.newline();
                self.children(t, i);
                self.newline();
            }
            // td/th outside a table, inline elements: their text runs on.
            _ => self.children(t, i),
        }
    }

    /// A data table: one line per row, one TAB-separated field per grid column.
    fn table(&mut self, t: &Tree, table: usize) {
        let rows = t.rows(table);
        // The grid: which cell starts at each position (None: covered or empty).
        let mut covered: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
        let mut placed: Vec<Vec<(usize, usize)>> = vec![Vec::new(); rows.len()]; // (column, cell)
        let mut width = 0;
        for (r, row) in rows.iter().enumerate() {
            let mut col = 0;
            for &cell in row {
                while covered[r].get(col).copied().unwrap_or(false) {
                    col += 1;
                }
                let e = &t[cell];
                placed[r].push((col, cell));
                let rspan = e.rowspan.min(rows.len() - r);
                for line in &mut covered[r..r + rspan] {
                    if line.len() < col + e.colspan {
                        line.resize(col + e.colspan, false);
                    }
                    for c in &mut line[col..col + e.colspan] {
                        *c = true;
                    }
                }
                col += e.colspan;
            }
            width = width.max(covered[r].len()).max(col);
        }
        if width <= 1 {
            // A one-column table is a list of blocks.
            for row in rows {
                for cell in row.into_iter().filter(|&c| !t[c].hidden) {
                    self.newline();
                    self.children(t, cell);
                    self.newline();
                }
            }
            return;
        }
        for row in &placed {
            let mut cells = row.iter().peekable();
            for col in 0..width {
                if col > 0 {
                    self.text.push('\t');
                }
                if let Some(&&(c, cell)) = cells.peek()
                    && c == col
                {
                    cells.next();
                    let at = self.text.len();
                    let inner = t[cell].inner.min(self.src.len());
                    self.map.push(Segment {
                        text: at,
                        len: 0,
                        src: TextRange::empty(inner),
                        exact: false,
                    });
                    self.in_cell += 1;
                    self.space = false;
                    self.children(t, cell);
                    self.in_cell -= 1;
                    self.space = false;
                }
            }
            self.text.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(src: &str) -> String {
        convert(src).text
    }

    #[test]
    fn paragraphs_and_breaks() {
        assert_eq!(
            text(
                "<html><head><title>T</title></head><body><p>一、总体情况</p><p>本年度\n 收到</p>甲<br>乙</body></html>"
            ),
            "一、总体情况\n本年度 收到\n甲\n乙\n"
        );
    }

    #[test]
    fn implied_paragraph_ends() {
        assert_eq!(text("<p>一<p>二<div>三</div>四"), "一\n二\n三\n四\n");
    }

    #[test]
    fn entities_and_nbsp() {
        assert_eq!(text("<p>&nbsp;&nbsp;A&amp;B&nbsp;</p>"), "A&B\n");
    }

    #[test]
    fn chrome_is_left_out() {
        let page = r#"<div class="nav">首页 | 政务公开</div><nav>菜单</nav>
            <div id="content"><p>正文</p></div><div class="footer">版权所有</div>
            <script>var x = "<p>不是正文</p>";</script><style>p{}</style>"#;
        assert_eq!(text(page), "正文\n");
    }

    #[test]
    fn tables_as_tab_rows_with_merged_cells() {
        let page = "<table><tr><td rowspan=2>A</td><td colspan=2>B</td></tr>\
                    <tr><td>1</td><td>&nbsp;</td></tr><tr><td>x<p>y</p></td><td>2</td><td>3</td></tr></table>";
        assert_eq!(text(page), "A\tB\t\n\t1\t\nx y\t2\t3\n");
    }

    #[test]
    fn implied_cell_and_row_ends() {
        let page = "<table><tr><td>A<td>B<tr><td>1<td>2</table><p>after";
        assert_eq!(text(page), "A\tB\n1\t2\nafter\n");
    }

    #[test]
    fn layout_tables_are_blocks() {
        let page = "<table><tr><td><p>标题</p><table><tr><td>1</td><td>2</td></tr></table><p>尾</p></td></tr></table>";
        assert_eq!(text(page), "标题\n1\t2\n尾\n");
    }

    #[test]
    fn words_map_to_their_source() {
        let page = "<p>收到 <b>64</b>&nbsp;件</p><table><tr><td>甲</td><td> </td></tr></table>";
        let c = convert(page);
        let at = c.text.find("64").unwrap();
        let r = c.map.range(TextRange::new(at, at + 2));
        assert_eq!(r.slice(page), "64");
        assert_eq!(c.map.exact(TextRange::new(at, at + 2)), Some(r));
        // The blank cell: its place is inside its tag.
        let blank = c.text.find("甲\t").unwrap() + "甲\t".len();
        let r = c.map.range(TextRange::empty(blank));
        assert_eq!(&page[r.start - 4..r.start], "<td>");
    }

    #[test]
    fn suppression_comments_are_kept() {
        assert_eq!(
            text("<!-- 注释 --><p>甲</p><!-- nianbao-disable NB301 --><p>乙</p>"),
            "甲\n<!-- nianbao-disable NB301 -->\n乙\n"
        );
    }

    #[test]
    fn never_panics_on_junk() {
        for junk in [
            "<",
            "<td",
            "</table></tr><td rowspan=999999999>",
            "<table><td colspan=0>",
            "&#xffffffff;",
            "<p><<>>",
        ] {
            let _ = convert(junk);
        }
    }
}
