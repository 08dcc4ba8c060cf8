//! Hand-checked values of the five samples, independent of the snapshots: the cells a
//! reader is most likely to get wrong (blank cells, spans, shifted columns, hybrids).

use nianbao_core::{CellState, FormatVersion, parse};
use nianbao_tests::fixture;

fn row(r: &nianbao_core::Report, table: &str, row: &str) -> Vec<String> {
    let t = r.table(table).unwrap_or_else(|| panic!("no table {table}"));
    let row = t.row(row).unwrap_or_else(|| panic!("no row {table}.{row}"));
    row.cells
        .iter()
        .map(|c| match c.state {
            CellState::Number => c.value.expect("value").to_string(),
            CellState::Blank => "_".into(),
            s => format!("{s:?}"),
        })
        .collect()
}

#[test]
fn sample_004_real_numbers_with_blanks() {
    let text = fixture("samples/004_cf43867c2f1e63a9.txt");
    let r = parse(&text);
    assert_eq!(r.year.as_ref().map(|y| y.value), Some(2021));
    assert_eq!(r.format.t2, Some(FormatVersion::V2021));
    assert_eq!(r.format.t3, Some(FormatVersion::V2019));
    assert_eq!(r.format.version, FormatVersion::Hybrid);
    assert_eq!(
        row(&r, "t3", "r1_new"),
        ["64", "3", "1", "0", "1", "0", "69"]
    );
    assert_eq!(
        row(&r, "t3", "r2_carried_in"),
        ["2", "2", "0", "0", "0", "0", "4"]
    );
    assert_eq!(
        row(&r, "t3", "r3_1_open"),
        ["18", "_", "1", "0", "1", "0", "20"]
    );
    assert_eq!(
        row(&r, "t3", "r3_3_6_process_info"),
        ["_", "0", "0", "0", "0", "0", "_"]
    );
    assert_eq!(
        row(&r, "t3", "r3_4_1_not_held"),
        ["20", "2", "0", "0", "0", "0", "22"]
    );
    assert_eq!(
        row(&r, "t3", "r3_6_other"),
        ["21", "_", "0", "0", "0", "0", "21"]
    );
    assert_eq!(
        row(&r, "t3", "r3_7_total"),
        ["65", "5", "1", "0", "1", "0", "72"]
    );
    assert_eq!(
        row(&r, "t3", "r4_carried_out"),
        ["1", "_", "0", "0", "0", "0", "1"]
    );
    let t4 = row(&r, "t4", "cases");
    assert_eq!(t4[10..], ["1", "0", "0", "0", "1"]);
    assert!(t4[..10].iter().all(|v| v == "0"));
    assert_eq!(row(&r, "t2_1", "normative_docs"), ["10", "10", "95"]);
    // A blank cell's range is zero-width and lies where the value belongs (the `|` line).
    let blank = r.cell("t3.r3_1_open.org_business").unwrap();
    assert!(blank.range.is_empty());
    assert_eq!(&text[blank.range.start..blank.range.start + 1], "|");
    let c = r.cell("t3.r3_7_total.total").unwrap();
    assert_eq!(c.range.slice(&text), "72");
}

#[test]
fn sample_003_v2019_with_units() {
    let text = fixture("samples/003_dfabd5f7c7b088c2.txt");
    let r = parse(&text);
    assert_eq!(r.year.as_ref().map(|y| y.value), Some(2020));
    assert_eq!(r.format.version, FormatVersion::V2019);
    assert_eq!(row(&r, "t2_1", "normative_docs"), ["1", "1", "6"]);
    assert_eq!(row(&r, "t2_9", "central_procurement"), ["0", "0"]);
    assert_eq!(
        r.cell("t2_9.central_procurement.procurement_amount")
            .unwrap()
            .unit,
        Some(nianbao_core::grammar::Unit::Wan)
    );
    assert_eq!(r.table("t3").unwrap().rows.len(), 23);
    let keys: Vec<_> = r.sections.iter().map(|s| s.key).collect();
    assert_eq!(keys.len(), 6);
    assert_eq!(
        r.title.as_ref().unwrap().text,
        "太仓市科学技术局2020年政府信息公开工作年度报告"
    );
}

#[test]
fn sample_001_tab_rows_v2021() {
    let r = parse(&fixture("samples/001_db8b9a3c8d2b1499.txt"));
    assert_eq!(r.format.version, FormatVersion::V2021);
    let t3 = r.table("t3").unwrap();
    assert_eq!(t3.rows.len(), 25);
    assert!(t3.row("r3_6_2_fee_unpaid").is_some());
    // "2.其他法律法规禁止公开" is an observed variant of the official label.
    assert_eq!(
        t3.row("r3_3_2_law_forbidden").unwrap().label_match,
        nianbao_core::LabelMatch::Alias
    );
    assert_eq!(r.table("t4").unwrap().rows[0].cells.len(), 15);
}

#[test]
fn sample_000_no_section_six_no_title() {
    let r = parse(&fixture("samples/000_50e7ba10f32f5ee2.txt"));
    assert!(r.title.is_none());
    assert_eq!(
        r.year.as_ref().map(|y| (y.value, y.source)),
        Some((2021, nianbao_core::YearSource::Preamble))
    );
    assert!(r.section("s6_other").is_none());
    let s4 = r.section("s4_review_litigation").unwrap();
    assert!(!s4.canonical);
    assert_eq!(
        r.body.as_ref().map(|b| b.name.as_str()),
        Some("常熟市科學技術局")
    );
}

#[test]
fn sample_002_web_page_chrome() {
    let text = fixture("samples/002_596eb627cbefc53e.txt");
    let r = parse(&text);
    assert_eq!(r.year.as_ref().map(|y| y.value), Some(2022));
    let s6 = r.section("s6_other").unwrap();
    // The page's trailing chrome (扫一扫…回到顶部) is not part of section 六.
    assert_eq!(
        s6.body_range.slice(&text),
        "本年度未发生政府信息公开收费情形。"
    );
    assert_eq!(r.table("t3").unwrap().rows.len(), 25);
}
