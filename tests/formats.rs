//! Writes a report as a web page or a Word document, the way such reports are published
//! and drafted: prose as paragraphs, tables 二/三/四 with their merged cells (HTML
//! `rowspan`/`colspan`, Word `w:gridSpan`/`w:vMerge`). The fixtures in
//! `fixtures/formats/` are made by these functions (see `tests/formats.rs`).

use std::io::Write as _;

use nianbao_core::{CellState, Report};

use crate::grid::{Grid, Labels, Pos, rowspans, section_grid};

/// A piece of a report, in document order.
pub enum Block {
    /// A section heading line.
    Heading(String),
    /// Any other line with text.
    Para(String),
    /// The grid of a section's tables (it replaces the lines the tables were written on).
    Table(Grid),
}

/// The report as blocks: its lines, with the lines of each section's tables replaced by
/// the section's grid.
pub fn blocks(text: &str, report: &Report) -> Vec<Block> {
    let line_at = |off: usize| {
        text.as_bytes()[..off.min(text.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
    };
    // (first line, last line, grid) of each section's tables.
    let mut regions: Vec<(usize, usize, Grid)> = Vec::new();
    for s in &report.sections {
        if let Some((tables, grid)) = section_grid(report, s.key, Labels::AsWritten) {
            let first = tables.iter().map(|t| t.range.start).min().unwrap_or(0);
            let last = tables.iter().map(|t| t.range.end).max().unwrap_or(0);
            regions.push((
                line_at(first),
                line_at(last.saturating_sub(1).max(first)),
                grid,
            ));
        }
    }
    let headings: Vec<usize> = report
        .sections
        .iter()
        .filter(|s| !s.inline)
        .map(|s| line_at(s.heading_range.start))
        .collect();
    let mut out = Vec::new();
    let mut regions = regions.into_iter().peekable();
    let mut skip_to = None;
    for (i, line) in text.split('\n').enumerate() {
        if let Some(end) = skip_to {
            if i <= end {
                continue;
            }
            skip_to = None;
        }
        if let Some((first, last, _)) = regions.peek()
            && *first == i
        {
            let last = *last;
            let (_, _, grid) = regions.next().expect("peeked");
            out.push(Block::Table(grid));
            skip_to = Some(last);
            continue;
        }
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if headings.contains(&i) {
            out.push(Block::Heading(line.trim().to_string()));
        } else {
            out.push(Block::Para(line.trim().to_string()));
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// How a page is dressed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Page<'a> {
    /// The charset label written in the head (`<meta http-equiv>` form when set).
    pub charset: Option<&'a str>,
    /// Put a site menu, breadcrumb and footer around the report, and the report inside a
    /// layout table, as many government sites do.
    pub chrome: bool,
}

/// A grid as an HTML table: merged cells as `rowspan`/`colspan`, blank cells `&nbsp;`,
/// numbers inside `<span>`, labels inside `<p>`.
fn html_table(g: &Grid, out: &mut String) {
    out.push_str("<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\">\n<tbody>\n");
    let spans = rowspans(g);
    for (row, starts) in g.rows.iter().zip(&spans) {
        out.push_str("<tr>");
        let mut cells = row.iter().filter_map(|p| match p {
            Pos::Cell { text, span } => Some((text, *span)),
            Pos::Covered { .. } => None,
        });
        for &(_, rowspan) in starts {
            let (text, colspan) = cells.next().expect("a cell per start");
            out.push_str("<td");
            if rowspan > 1 {
                out.push_str(&format!(" rowspan=\"{rowspan}\""));
            }
            if colspan > 1 {
                out.push_str(&format!(" colspan=\"{colspan}\""));
            }
            out.push('>');
            if text.is_empty() {
                out.push_str("&nbsp;");
            } else if text.chars().all(|c| c.is_ascii_digit() || c == '.') {
                out.push_str(&format!(
                    "<span style=\"font-size:12px\">{}</span>",
                    escape(text)
                ));
            } else {
                out.push_str(&format!(
                    "<p align=\"center\"><span>{}</span></p>",
                    escape(text)
                ));
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The report as a web page (a `String`; encode it as the page's charset says).
pub fn html(text: &str, report: &Report, page: Page<'_>) -> String {
    let title = report
        .title
        .as_ref()
        .map_or("政府信息公开工作年度报告".to_string(), |t| {
            t.text.clone()
        });
    let mut o = String::from("<!DOCTYPE html>\n<html>\n<head>\n");
    match page.charset {
        Some(cs) => o.push_str(&format!(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset={cs}\">\n"
        )),
        None => o.push_str("<meta charset=\"utf-8\">\n"),
    }
    o.push_str(&format!("<title>{}_政府信息公开</title>\n", escape(&title)));
    o.push_str("<style>td { border: 1px solid #000; }</style>\n</head>\n<body>\n");
    if page.chrome {
        o.push_str(
            "<div class=\"top-nav\"><ul><li><a href=\"/\">首页</a></li><li><a href=\"/zwgk/\">政务公开</a></li>\
             <li><a href=\"/hdjl/\">互动交流</a></li><li><a href=\"/bsfw/\">办事服务</a></li></ul></div>\n\
             <div class=\"breadcrumb\">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>\n\
             <table width=\"100%\"><tr><td width=\"200\" class=\"left-menu\"><ul><li>机构职能</li><li>法规文件</li><li>年度报告</li></ul></td>\n<td>\n",
        );
    }
    o.push_str("<div class=\"article-content\">\n");
    for b in blocks(text, report) {
        match b {
            Block::Heading(h) => o.push_str(&format!("<h3>{}</h3>\n", escape(&h))),
            Block::Para(p) => o.push_str(&format!("<p>{}</p>\n", escape(&p))),
            Block::Table(g) => html_table(&g, &mut o),
        }
    }
    o.push_str("</div>\n");
    if page.chrome {
        o.push_str(
            "</td></tr></table>\n<div class=\"footer\"><p>主办单位：某某市人民政府办公室 版权所有</p>\
             <p>网站标识码：3205000000 备案号：苏ICP备00000000号</p></div>\n\
             <script>var _hmt = _hmt || []; document.write(\"<p>访问量 12345</p>\");</script>\n",
        );
    }
    o.push_str("</body>\n</html>\n");
    o
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A paragraph's runs: the text split in two runs (Word splits runs freely).
fn runs(text: &str) -> String {
    let mid = text
        .char_indices()
        .nth(text.chars().count() / 2)
        .map_or(text.len(), |(i, _)| i);
    let (a, b) = text.split_at(mid);
    let mut o = String::new();
    for part in [a, b] {
        if !part.is_empty() {
            o.push_str(&format!(
                "<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                xml_escape(part)
            ));
        }
    }
    o
}

fn docx_table(g: &Grid, out: &mut String) {
    out.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>");
    for _ in 0..g.width {
        out.push_str("<w:gridCol w:w=\"800\"/>");
    }
    out.push_str("</w:tblGrid>");
    let spans = rowspans(g);
    for (row, starts) in g.rows.iter().zip(&spans) {
        out.push_str("<w:tr>");
        let mut starts = starts.iter();
        for p in row {
            let (text, span, merge) = match p {
                Pos::Cell { text, span } => {
                    let (_, rowspan) = starts.next().expect("a start per cell");
                    (
                        text.as_str(),
                        *span,
                        (*rowspan > 1).then_some("<w:vMerge w:val=\"restart\"/>"),
                    )
                }
                Pos::Covered { span } => ("", *span, Some("<w:vMerge/>")),
            };
            out.push_str("<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/>");
            if span > 1 {
                out.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
            }
            if let Some(m) = merge {
                out.push_str(m);
            }
            out.push_str("</w:tcPr><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>");
            out.push_str(&runs(text));
            out.push_str("</w:p></w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

const CHINESE_NUMBERING: [&str; 6] = ["一、", "二、", "三、", "四、", "五、", "六、"];

/// The report as a Word document (.docx bytes). With `numbered_headings`, the headings
/// 一、… 六、 are written as an automatic list (Word's numbering, not typed text).
pub fn docx(text: &str, report: &Report, numbered_headings: bool) -> Vec<u8> {
    let mut body = String::new();
    let mut heading_no = 0;
    for b in blocks(text, report) {
        match b {
            Block::Heading(h) => {
                let numbered = numbered_headings
                    .then(|| {
                        h.strip_prefix(
                            CHINESE_NUMBERING
                                .get(heading_no)
                                .copied()
                                .unwrap_or("\u{0}"),
                        )
                    })
                    .flatten();
                heading_no += 1;
                match numbered {
                    Some(rest) => body.push_str(&format!(
                        "<w:p><w:pPr><w:pStyle w:val=\"2\"/><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>{}</w:p>",
                        runs(rest)
                    )),
                    None => body.push_str(&format!(
                        "<w:p><w:pPr><w:pStyle w:val=\"2\"/></w:pPr>{}</w:p>",
                        runs(&h)
                    )),
                }
            }
            Block::Para(p) => body.push_str(&format!("<w:p>{}</w:p>", runs(&p))),
            Block::Table(g) => {
                docx_table(&g, &mut body);
                // Word needs a paragraph between two tables.
                body.push_str("<w:p/>");
            }
        }
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>"
    );
    let numbering = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
        <w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>\
        <w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/><w:lvlJc w:val=\"left\"/></w:lvl></w:abstractNum>\
        <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
        <Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>\
        </Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
        </Relationships>";
    let doc_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>\
        </Relationships>";
    zip_parts(&[
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", rels),
        ("word/document.xml", &document),
        ("word/_rels/document.xml.rels", doc_rels),
        ("word/numbering.xml", numbering),
    ])
}

/// A zip package of the given parts (deflated, fixed timestamps: the same parts always
/// give the same bytes).
pub fn zip_parts(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, content) in parts {
        zip.start_file(*name, opts).expect("zip entry");
        zip.write_all(content.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

/// Whether a cell state is one the page writes as text (blank cells are `&nbsp;`).
pub fn written(state: CellState) -> bool {
    !matches!(state, CellState::Blank | CellState::Missing)
}
