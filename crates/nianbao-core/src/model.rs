//! The report model: what [`crate::parse`] returns. Every node carries the byte range of
//! the text it came from.

use compact_str::CompactString;
use serde::Serialize;

use crate::grammar::{Decimal, NumberingStyle, Unit};
use crate::schema::FormatVersion;
use crate::text::TextRange;

/// A parsed report. Built by [`crate::parse`], which never fails: whatever could not be read
/// is described in [`Report::issues`].
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Length of the source text in bytes.
    pub source_len: usize,
    pub title: Option<Title>,
    pub year: Option<Year>,
    /// The statistical period statement (统计期限…), if any.
    pub period: Option<Period>,
    /// The issuing body (机关名称), if it could be found.
    pub body: Option<IssuingBody>,
    pub format: Format,
    /// The section headings found, in document order (duplicates and misordered ones
    /// included).
    pub sections: Vec<Section>,
    /// The tables found, in document order.
    pub tables: Vec<Table>,
    /// Problems met while reading (cells that could not be separated, incomplete rows …).
    pub issues: Vec<ParseIssue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Title {
    /// The title as written (lines of a split title joined without the break).
    pub text: String,
    pub range: TextRange,
}

/// Where the reporting year was read from (spec §2.2, in order of preference).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum YearSource {
    Title,
    Period,
    Preamble,
    Body,
}

#[derive(Debug, Clone, Serialize)]
pub struct Year {
    pub value: u16,
    pub source: YearSource,
    pub range: TextRange,
}

#[derive(Debug, Clone, Serialize)]
pub struct Period {
    pub start_year: u16,
    /// The year of the end date, when written.
    pub end_year: Option<u16>,
    pub range: TextRange,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssuingBody {
    pub name: String,
    pub range: TextRange,
}

#[derive(Debug, Clone, Serialize)]
pub struct Format {
    /// The report's format version (spec §2.3).
    pub version: FormatVersion,
    /// The shape table 二 has, if it was found and classified.
    pub t2: Option<FormatVersion>,
    /// The shape table 三 has, if it was found and classified.
    pub t3: Option<FormatVersion>,
    /// The version the reporting year calls for.
    pub expected: Option<FormatVersion>,
    /// A pre-2019 (legacy) report was detected; it is out of scope.
    pub legacy: bool,
}

/// The six sections' keys (`templates.json` → `sections`).
pub const SECTION_KEYS: [&str; 6] = [
    "s1_overview",
    "s2_proactive",
    "s3_applications",
    "s4_review_litigation",
    "s5_problems",
    "s6_other",
];

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// `s1_overview` … `s6_other`.
    pub key: &'static str,
    /// The heading as written (trimmed).
    pub heading: String,
    /// The whole heading, numbering included.
    pub heading_range: TextRange,
    /// The heading's title text, after the numbering.
    pub title_range: TextRange,
    pub numbering: Option<Numbering>,
    /// From the end of the heading to the next heading (or the end of the report, less
    /// trailing web-page chrome).
    pub body_range: TextRange,
    /// The title (without numbering) is the canonical one.
    pub canonical: bool,
    /// The heading was found inside a line (crawled text whose line breaks were lost).
    pub inline: bool,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Numbering {
    pub style: NumberingStyle,
    pub number: u32,
    pub range: TextRange,
}

/// How a table's text was laid out (spec §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One cell per line, `text |`, `|` for blank cells (§8.1).
    PipeCellPerLine,
    /// One grid row per line, cells separated by TAB (§8.2).
    TabRows,
    /// One cell per line, blank lines between cells (§8.3).
    CellPerLine,
    /// One cell per line indented with TAB, blank line between rows (§8.4).
    TabIndented,
    /// One row per line with `|` separators, with or without a leading pipe (§8.5, §8.6).
    PipeRows,
    /// A cell line, then a `|` line (§8.7).
    PipeAlternating,
    /// Cells separated by spaces on one line.
    SpaceSeparated,
    /// Crawled text whose line breaks were lost: cells glued together.
    Inline,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// `t2_1`, `t2_5`, `t2_6`, `t2_8`, `t2_9`, `t3` or `t4`.
    pub id: &'static str,
    /// The shape the table has (`v2019`/`v2021`), where the versions differ.
    pub shape: Option<FormatVersion>,
    pub range: TextRange,
    /// The caption (第二十条第（一）项) of a table-二 sub-table.
    pub caption_range: Option<TextRange>,
    /// The column keys, in order.
    pub columns: Vec<&'static str>,
    pub rows: Vec<Row>,
    pub layout: Layout,
}

impl Table {
    pub fn row(&self, key: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.key == Some(key))
    }

    pub fn cell(&self, row: &str, column: &str) -> Option<&Cell> {
        self.row(row)?.cells.iter().find(|c| c.column == column)
    }
}

/// How a row label matched the official vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelMatch {
    /// Equal to the official label after normalisation.
    Exact,
    /// Equal to a variant observed in real reports (`templates.json` aliases).
    Alias,
    /// Close to an official label (small edit distance).
    Fuzzy,
    /// Not an official row: kept, and left out of sums.
    Unknown,
    /// The row has no label (the single data row of table 四).
    Unlabelled,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The row key of `templates.json`; `None` for an unknown extra row.
    pub key: Option<&'static str>,
    /// The label as written.
    pub label: String,
    pub label_range: TextRange,
    pub label_match: LabelMatch,
    pub cells: Vec<Cell>,
    /// The row ended before all its cells were read: the values it has may stand in the
    /// wrong columns (a layout that cannot show blank cells), so sums skip it.
    pub incomplete: bool,
}

impl Row {
    pub fn cell(&self, column: &str) -> Option<&Cell> {
        self.cells.iter().find(|c| c.column == column)
    }
}

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    Number,
    /// Empty (or `&nbsp;`).
    Blank,
    /// `/`, `-`, `—`, `无` …
    Placeholder,
    /// Non-numeric text.
    Text,
    /// No value could be read for the cell: the row ended early, or its cells were glued
    /// together and cannot be separated. See the report's issues.
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Row key; `None` in an unknown row.
    pub row: Option<&'static str>,
    pub column: &'static str,
    /// The text as written (trimmed); empty for blank and missing cells. An inline string
    /// (most cell texts are a few digits): it derefs to `&str`.
    pub raw: CompactString,
    /// The number, for `Number` cells. Amounts keep the unit they were written in.
    pub value: Option<Decimal>,
    /// A unit written in the cell (`0万元`).
    pub unit: Option<Unit>,
    pub state: CellState,
    /// Where the value is; zero-width where a blank cell's value belongs.
    pub range: TextRange,
}

impl Cell {
    /// The value as an integer count, if the cell holds a whole number.
    pub fn as_i64(&self) -> Option<i64> {
        self.value.and_then(|v| v.as_i64())
    }
}

/// Kinds of reading problem (model-level, before any rule runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParseIssueKind {
    /// Digits of several cells run together and cannot be separated unambiguously.
    CellsGlued,
    /// A row ended before all its cells were read.
    RowIncomplete,
    /// Empty fields at a row's ends could be blank cells or merge padding.
    RowAmbiguous,
    /// More values than the row has columns.
    RowTooLong,
    /// A group label (三、本年度办理结果 …) carried numbers.
    GroupHasValues,
    /// Two tables of the same kind; the later one was read as well.
    TableDuplicate,
    /// A pre-2019 report.
    LegacyFormat,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParseIssue {
    pub kind: ParseIssueKind,
    pub range: TextRange,
    /// A Chinese message saying what could not be read.
    pub message: String,
    /// Table and row concerned, as `t3.r1_new`, where known.
    pub cell: Option<String>,
}

/// A node of the model found at a source offset (see [`Report::node_at`]).
#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    Cell(&'a Table, &'a Row, &'a Cell),
    RowLabel(&'a Table, &'a Row),
    Caption(&'a Table),
    Table(&'a Table),
    Heading(&'a Section),
    Title(&'a Title),
    SectionBody(&'a Section),
}

impl Report {
    /// Rewrites every range of the model with `f` — for readers that parse a text derived
    /// from another source (an HTML page) and report places in that source.
    /// `source_len` becomes `new_len`.
    pub fn map_ranges(&mut self, new_len: usize, f: &mut dyn FnMut(TextRange) -> TextRange) {
        self.source_len = new_len;
        if let Some(t) = &mut self.title {
            t.range = f(t.range);
        }
        if let Some(y) = &mut self.year {
            y.range = f(y.range);
        }
        if let Some(p) = &mut self.period {
            p.range = f(p.range);
        }
        if let Some(b) = &mut self.body {
            b.range = f(b.range);
        }
        for s in &mut self.sections {
            s.heading_range = f(s.heading_range);
            s.title_range = f(s.title_range);
            s.body_range = f(s.body_range);
            if let Some(n) = &mut s.numbering {
                n.range = f(n.range);
            }
        }
        for t in &mut self.tables {
            t.range = f(t.range);
            t.caption_range = t.caption_range.map(&mut *f);
            for r in &mut t.rows {
                r.label_range = f(r.label_range);
                for c in &mut r.cells {
                    c.range = f(c.range);
                }
            }
        }
        for i in &mut self.issues {
            i.range = f(i.range);
        }
    }

    /// The first table with this id (`t2_1` … `t4`).
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// A cell by its `templates.json` reference, e.g. `t3.r1_new.natural_person`.
    ///
    /// ```
    /// let r = nianbao_core::parse("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3\n");
    /// assert_eq!(r.cell("t3.r1_new.natural_person").unwrap().as_i64(), Some(3));
    /// ```
    pub fn cell(&self, reference: &str) -> Option<&Cell> {
        let mut it = reference.split('.');
        let (t, r, c) = (it.next()?, it.next()?, it.next()?);
        self.table(t)?.cell(r, c)
    }

    /// The first section with this key.
    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The innermost node at byte `offset` (cells before row labels before tables before
    /// section bodies).
    pub fn node_at(&self, offset: usize) -> Option<Node<'_>> {
        for t in &self.tables {
            if !t.range.contains(offset) && t.range.end != offset {
                continue;
            }
            for r in &t.rows {
                for c in &r.cells {
                    if c.range.contains(offset) || (c.range.end == offset && !c.range.is_empty()) {
                        return Some(Node::Cell(t, r, c));
                    }
                }
                if r.label_range.contains(offset) {
                    return Some(Node::RowLabel(t, r));
                }
            }
            if let Some(cr) = t.caption_range
                && cr.contains(offset)
            {
                return Some(Node::Caption(t));
            }
            if t.range.contains(offset) {
                return Some(Node::Table(t));
            }
        }
        for s in &self.sections {
            if s.heading_range.contains(offset) {
                return Some(Node::Heading(s));
            }
        }
        if let Some(t) = &self.title
            && t.range.contains(offset)
        {
            return Some(Node::Title(t));
        }
        self.sections
            .iter()
            .find(|s| s.body_range.contains(offset))
            .map(Node::SectionBody)
    }
}
