//! Chinese names of tables, rows and columns for messages.

use crate::fold::{FoldMode, fold_str};
use crate::grammar::parse_marker;
use crate::schema::schema;

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

/// `表三“（七）总计”（自然人）`, `表四“行政复议·总计”`.
pub(crate) fn cell_name(table: &str, row: &str, column: &str) -> String {
    // The names of the schema's cells, made once: messages name cells all the time, and
    // making a name searches the schema's rows and columns by key.
    type Names = rustc_hash::FxHashMap<(&'static str, &'static str, &'static str), String>;
    static NAMES: std::sync::OnceLock<Names> = std::sync::OnceLock::new();
    let names: &rustc_hash::FxHashMap<(&str, &str, &str), String> = NAMES.get_or_init(|| {
        let mut m = Names::default();
        for t in &schema().tables {
            for r in &t.rows {
                for c in &t.columns {
                    m.entry((t.id, r.key, c.key))
                        .or_insert_with(|| make_cell_name(t.id, r.key, c.key));
                }
            }
        }
        m
    });
    match names.get(&(table, row, column)) {
        Some(n) => n.clone(),
        None => make_cell_name(table, row, column),
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
pub(crate) fn operand_name(table: &str, row: &str, column: &str, along_row: bool) -> String {
    if table == "t4" {
        return column_label(table, column);
    }
    if along_row {
        column_label(table, column)
    } else {
        row_short(table, row)
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
