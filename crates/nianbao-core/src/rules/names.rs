//! Chinese names of tables, rows and columns for messages.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::fold::{FoldMode, fold_str};
use crate::grammar::parse_marker;
use crate::schema::{leak, schema};

/// 表二 / 表三 / 表四, with the sub-table caption for table 二.
pub(crate) fn table_name(table: &str) -> String {
    match table {
        "t3" => "表三".into(),
        "t4" => "表四".into(),
        t => match schema().table_shapes(t).next().and_then(|s| s.caption) {
            Some(c) => format!("表二{c}"),
            None => "表二".into(),
        },
    }
}

/// The official label of a row, without the note in parentheses.
pub(crate) fn row_label(table: &str, row: &str) -> String {
    if table == "t4" {
        return "数据行".into();
    }
    let label = schema()
        .table_shapes(table)
        .find_map(|t| t.row(row))
        .map(|r| r.label)
        .unwrap_or(row);
    match label.find("（区分") {
        Some(i) => label[..i].to_string(),
        None => label.to_string(),
    }
}

/// A short name for a row in sums: 本年新收, 予以公开, 属于国家秘密 …
pub(crate) fn row_short(table: &str, row: &str) -> String {
    match row {
        "r1_new" => return "本年新收".into(),
        "r2_carried_in" => return "上年结转".into(),
        "r4_carried_out" => return "结转下年度".into(),
        "r3_7_total" => return "（七）总计".into(),
        "r3_6_1_no_correction" => return "逾期不补正".into(),
        "r3_6_2_fee_unpaid" => return "逾期未缴费".into(),
        "r3_6_3_other" => return "其他处理·其他".into(),
        _ => {}
    }
    let label = row_label(table, row);
    let f = fold_str(&label, FoldMode::Light);
    match parse_marker(&f) {
        Some(m) => f[m.len..].to_string(),
        None => f,
    }
}

/// The column's label (table 四: with its block, e.g. 行政复议·结果维持).
pub(crate) fn column_label(table: &str, column: &str) -> String {
    if table == "t4" {
        let block = if column.starts_with("rev_") {
            "行政复议"
        } else if column.starts_with("lit_direct_") {
            "未经复议直接起诉"
        } else {
            "复议后起诉"
        };
        let label = schema()
            .table_shapes("t4")
            .find_map(|t| t.column(column))
            .map(|c| c.label)
            .unwrap_or(column);
        return format!("{block}·{label}");
    }
    schema()
        .table_shapes(table)
        .find_map(|t| t.column(column))
        .map(|c| c.label.to_string())
        .unwrap_or_else(|| column.to_string())
}

/// The names of the schema's cells, rows and columns, made once: messages name cells all
/// the time, and making a name searches the schema's rows and columns by key (and folds
/// the row's label for its short name).
struct Names {
    cells: FxHashMap<(&'static str, &'static str, &'static str), &'static str>,
    short_rows: FxHashMap<(&'static str, &'static str), &'static str>,
    columns: FxHashMap<(&'static str, &'static str), &'static str>,
}

fn names() -> &'static Names {
    static NAMES: std::sync::OnceLock<Names> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut n = Names {
            cells: FxHashMap::default(),
            short_rows: FxHashMap::default(),
            columns: FxHashMap::default(),
        };
        for t in &schema().tables {
            for c in &t.columns {
                n.columns
                    .entry((t.id, c.key))
                    .or_insert_with(|| leak(&column_label(t.id, c.key)));
            }
            for r in &t.rows {
                n.short_rows
                    .entry((t.id, r.key))
                    .or_insert_with(|| leak(&row_short(t.id, r.key)));
                for c in &t.columns {
                    n.cells
                        .entry((t.id, r.key, c.key))
                        .or_insert_with(|| leak(&make_cell_name(t.id, r.key, c.key)));
                }
            }
        }
        n
    })
}

/// `表三“（七）总计”（自然人）`, `表四“行政复议·总计”`.
pub(crate) fn cell_name(table: &str, row: &str, column: &str) -> String {
    cell_name_ref(table, row, column).into_owned()
}

/// [`cell_name`], borrowed from the names made once when the schema has the cell.
pub(crate) fn cell_name_ref(table: &str, row: &str, column: &str) -> Cow<'static, str> {
    // (The keys' lifetimes shortened to the arguments'; the names stay `'static`.)
    let cells: &FxHashMap<(&str, &str, &str), &'static str> = &names().cells;
    match cells.get(&(table, row, column)) {
        Some(n) => Cow::Borrowed(*n),
        None => Cow::Owned(make_cell_name(table, row, column)),
    }
}

fn make_cell_name(table: &str, row: &str, column: &str) -> String {
    if table == "t4" {
        return format!("表四“{}”", column_label(table, column));
    }
    format!(
        "{}“{}”（{}）",
        table_name(table),
        row_label(table, row),
        column_label(table, column)
    )
}

/// A short operand name within one identity: the row's short name when the identity runs
/// down a column, the column's label when it runs along a row.
pub(crate) fn operand_name(
    table: &str,
    row: &str,
    column: &str,
    along_row: bool,
) -> Cow<'static, str> {
    let columns: &FxHashMap<(&str, &str), &'static str> = &names().columns;
    let short_rows: &FxHashMap<(&str, &str), &'static str> = &names().short_rows;
    if table == "t4" || along_row {
        match columns.get(&(table, column)) {
            Some(l) => Cow::Borrowed(*l),
            None => Cow::Owned(column_label(table, column)),
        }
    } else {
        match short_rows.get(&(table, row)) {
            Some(l) => Cow::Borrowed(*l),
            None => Cow::Owned(row_short(table, row)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_by_table_row_and_column() {
        assert_eq!(
            cell_name("t3", "r3_7_total", "natural_person"),
            "表三“（七）总计”（自然人）"
        );
        assert_eq!(cell_name("t4", "cases", "rev_total"), "表四“行政复议·总计”");
        // Keys the schema lacks are named from the keys themselves.
        assert_eq!(cell_name("t3", "r9_x", "nobody"), "表三“r9_x”（nobody）");
    }
}
