//! The official grids of tables 二, 三 and 四 (spec §4), built from a parsed report: the
//! cells a table has in the published layout, with its merged cells (`colspan` as a cell's
//! span, `rowspan` as [`Pos::Covered`] positions in the rows below). Used to write a report
//! again in another layout, as a web page or as a Word document.

use std::collections::BTreeSet;

use nianbao_core::schema::TableSchema;
use nianbao_core::{CellState, FormatVersion, Report, Table, schema};

/// One grid position group of a physical row.
#[derive(Debug, Clone)]
pub enum Pos {
    /// A cell written in this row, spanning `span` grid columns.
    Cell { text: String, span: usize },
    /// Columns covered by a rowspan cell from a row above (one covering cell).
    Covered { span: usize },
}

pub fn cell(text: impl Into<String>, span: usize) -> Pos {
    Pos::Cell {
        text: text.into(),
        span,
    }
}

pub struct Grid {
    pub width: usize,
    pub rows: Vec<Vec<Pos>>,
}

impl Grid {
    pub fn push(&mut self, row: Vec<Pos>) {
        let w: usize = row
            .iter()
            .map(|p| match p {
                Pos::Cell { span, .. } | Pos::Covered { span } => *span,
            })
            .sum();
        assert_eq!(
            w, self.width,
            "renderer bug: row {row:?} is not {} wide",
            self.width
        );
        self.rows.push(row);
    }
}

/// The row as one field per grid column: merged positions are empty fields.
pub fn grid_fields(row: &[Pos]) -> Vec<&str> {
    let mut fields = Vec::new();
    for p in row {
        match p {
            Pos::Cell { text, span } => {
                fields.push(text.as_str());
                fields.extend(std::iter::repeat_n("", span - 1));
            }
            Pos::Covered { span } => fields.extend(std::iter::repeat_n("", *span)),
        }
    }
    fields
}

/// The top-left cell of table 三 (spec §4.3).
pub const T3_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// The text a parsed cell is written back as: numbers and placeholders as written, blank
/// (and missing) cells empty.
pub fn value_text(row: &nianbao_core::Row, column: &str) -> String {
    match row.cell(column) {
        Some(c) => match c.state {
            CellState::Blank | CellState::Missing => String::new(),
            _ => c.raw.to_string(),
        },
        None => String::new(),
    }
}

pub fn table_schema(t: &Table) -> &'static TableSchema {
    let s = schema();
    let v = t.shape.unwrap_or(FormatVersion::V2021);
    s.table(t.id, v)
        .or_else(|| s.table_shapes(t.id).next())
        .unwrap_or_else(|| panic!("no schema for table {}", t.id))
}

/// Which row labels a grid is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labels {
    /// The official labels (Simplified, from the schema).
    Official,
    /// The labels as the report wrote them.
    AsWritten,
}

pub fn row_label(ts: &TableSchema, row: &nianbao_core::Row, labels: Labels) -> String {
    if labels == Labels::AsWritten && !row.label.is_empty() {
        return row.label.clone();
    }
    row.key
        .and_then(|k| ts.row(k))
        .map(|r| r.label.to_string())
        .unwrap_or_else(|| row.label.clone())
}

/// Table 二's sub-tables, one 4-column grid (caption row, header row, data rows each).
pub fn grid_t2(tables: &[&Table], labels: Labels) -> Grid {
    let mut g = Grid {
        width: 4,
        rows: Vec::new(),
    };
    for t in tables {
        let ts = table_schema(t);
        let n = ts.columns.len();
        // The value cells share the 3 columns right of 信息内容; the last one takes the rest.
        let spans: Vec<usize> = (0..n).map(|i| if i + 1 == n { 4 - n } else { 1 }).collect();
        g.push(vec![cell(ts.caption.expect("table 二 caption"), 4)]);
        let mut header = vec![cell(ts.header.first().copied().unwrap_or("信息内容"), 1)];
        header.extend(
            ts.columns
                .iter()
                .zip(&spans)
                .map(|(c, s)| cell(c.label, *s)),
        );
        g.push(header);
        for row in &t.rows {
            let mut r = vec![cell(row_label(ts, row, labels), 1)];
            r.extend(
                ts.columns
                    .iter()
                    .zip(&spans)
                    .map(|(c, s)| cell(value_text(row, c.key), *s)),
            );
            g.push(r);
        }
    }
    g
}

/// Table 三: three header rows, then every row; group labels are rowspan cells written in
/// the row of their first child.
pub fn grid_t3(t: &Table, labels: Labels) -> Grid {
    let ts = table_schema(t);
    let mut g = Grid {
        width: 10,
        rows: Vec::new(),
    };
    g.push(vec![cell(T3_NOTE, 3), cell("申请人情况", 7)]);
    g.push(vec![
        Pos::Covered { span: 3 },
        cell("自然人", 1),
        cell("法人或其他组织", 5),
        cell("总计", 1),
    ]);
    let mut third = vec![Pos::Covered { span: 3 }, Pos::Covered { span: 1 }];
    third.extend(ts.columns[1..6].iter().map(|c| cell(c.label, 1)));
    third.push(Pos::Covered { span: 1 });
    g.push(third);
    let mut started: BTreeSet<&str> = BTreeSet::new();
    for row in &t.rows {
        // The chain of group labels above this row, outermost first.
        let mut chain = Vec::new();
        let mut parent = row.key.and_then(|k| ts.row(k)).and_then(|r| r.parent);
        while let Some(p) = parent {
            chain.push(p);
            parent = ts.row(p).and_then(|r| r.parent);
        }
        chain.reverse();
        let mut r = Vec::new();
        for grp in &chain {
            if started.insert(grp) {
                let label = ts.row(grp).map(|r| r.label).unwrap_or(grp);
                r.push(cell(label, 1));
            } else {
                r.push(Pos::Covered { span: 1 });
            }
        }
        r.push(cell(row_label(ts, row, labels), 3 - chain.len()));
        r.extend(ts.columns.iter().map(|c| cell(value_text(row, c.key), 1)));
        g.push(r);
    }
    g
}

/// Table 四: three header rows, then the 15 values.
pub fn grid_t4(t: &Table) -> Grid {
    let ts = table_schema(t);
    let five: Vec<&str> = ts.columns[..5].iter().map(|c| c.label).collect();
    let mut g = Grid {
        width: 15,
        rows: Vec::new(),
    };
    g.push(vec![cell("行政复议", 5), cell("行政诉讼", 10)]);
    let mut second: Vec<Pos> = five.iter().map(|l| cell(*l, 1)).collect();
    second.push(cell("未经复议直接起诉", 5));
    second.push(cell("复议后起诉", 5));
    g.push(second);
    let mut third: Vec<Pos> = (0..5).map(|_| Pos::Covered { span: 1 }).collect();
    third.extend(five.iter().chain(five.iter()).map(|l| cell(*l, 1)));
    g.push(third);
    for row in &t.rows {
        g.push(
            ts.columns
                .iter()
                .map(|c| cell(value_text(row, c.key), 1))
                .collect(),
        );
    }
    g
}

/// The tables a section holds (二: the table-二 sub-tables; 三; 四) and their grid, or
/// `None` for a section without tables.
pub fn section_grid<'r>(
    report: &'r Report,
    section: &str,
    labels: Labels,
) -> Option<(Vec<&'r Table>, Grid)> {
    let tables: Vec<&Table> = match section {
        "s2_proactive" => report
            .tables
            .iter()
            .filter(|t| t.id.starts_with("t2_"))
            .collect(),
        "s3_applications" => report.tables.iter().filter(|t| t.id == "t3").collect(),
        "s4_review_litigation" => report.tables.iter().filter(|t| t.id == "t4").collect(),
        _ => Vec::new(),
    };
    let grid = match section {
        _ if tables.is_empty() => return None,
        "s2_proactive" => grid_t2(&tables, labels),
        "s3_applications" => grid_t3(tables[0], labels),
        _ => grid_t4(tables[0]),
    };
    Some((tables, grid))
}

/// Where each written cell stands: (grid column, rowspan) for every [`Pos::Cell`] of
/// each row, in order — a cell's rowspan is one plus the rows below it whose position at
/// its column is [`Pos::Covered`].
pub fn rowspans(g: &Grid) -> Vec<Vec<(usize, usize)>> {
    let starts = |row: &[Pos]| -> Vec<(usize, bool)> {
        let mut col = 0;
        row.iter()
            .map(|p| {
                let (span, covered) = match p {
                    Pos::Cell { span, .. } => (*span, false),
                    Pos::Covered { span } => (*span, true),
                };
                col += span;
                (col - span, covered)
            })
            .collect()
    };
    let all: Vec<Vec<(usize, bool)>> = g.rows.iter().map(|r| starts(r)).collect();
    all.iter()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .filter(|(_, covered)| !covered)
                .map(|(col, _)| {
                    let below = all[r + 1..]
                        .iter()
                        .take_while(|next| next.iter().any(|(c, cov)| c == col && *cov))
                        .count();
                    (*col, 1 + below)
                })
                .collect()
        })
        .collect()
}
