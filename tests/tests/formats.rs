//! Web pages and Word documents: each sample report, published as an HTML page (merged
//! cells as the official tables have them; also GBK-encoded, and wrapped in a site's menus
//! and footer) and drafted as a .docx (gridSpan/vMerge; headings as an automatic list),
//! must read to the same table values and give the same diagnostics as its text. Places
//! are given in the page's source (HTML) or as paragraph / table cell (DOCX); snapshots
//! show them.
//!
//! The fixtures in `fixtures/formats/` are written by `nianbao_tests::formats`; run with
//! `UPDATE_FIXTURES=1` to write them again after changing the writer.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use nianbao_core::{Diagnostic, Report, Settings};
use nianbao_formats::{docx, html};
use nianbao_tests::formats::{self, Page};
use nianbao_tests::{fixture, fixtures};

const SAMPLES: [&str; 5] = [
    "000_50e7ba10f32f5ee2",
    "001_db8b9a3c8d2b1499",
    "002_596eb627cbefc53e",
    "003_dfabd5f7c7b088c2",
    "004_cf43867c2f1e63a9",
];

/// The sample whose page is GBK-encoded, and the one wrapped in site chrome.
const GBK_SAMPLE: &str = "001_db8b9a3c8d2b1499";
const CHROME_SAMPLE: &str = "004_cf43867c2f1e63a9";
/// The sample whose .docx has its headings as Word's automatic numbering.
const NUMBERED_SAMPLE: &str = "001_db8b9a3c8d2b1499";

fn sample(name: &str) -> (String, Report) {
    let text = fixture(&format!("samples/{name}.txt"));
    let report = nianbao_core::parse(&text);
    (text, report)
}

/// Every fixture file: (file name, bytes).
fn generated() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for name in SAMPLES {
        let (text, report) = sample(name);
        out.push((
            format!("{name}.html"),
            formats::html(&text, &report, Page::default()).into_bytes(),
        ));
        out.push((
            format!("{name}.docx"),
            formats::docx(&text, &report, name == NUMBERED_SAMPLE),
        ));
        if name == GBK_SAMPLE {
            let page = formats::html(
                &text,
                &report,
                Page {
                    charset: Some("gb2312"),
                    chrome: false,
                },
            );
            let (bytes, _, _) = encoding_rs::GBK.encode(&page);
            out.push((format!("{name}-gbk.html"), bytes.into_owned()));
        }
        if name == CHROME_SAMPLE {
            let page = formats::html(
                &text,
                &report,
                Page {
                    charset: None,
                    chrome: true,
                },
            );
            out.push((format!("{name}-site.html"), page.into_bytes()));
        }
    }
    out
}

#[test]
fn fixtures_are_up_to_date() {
    let dir = fixtures().join("formats");
    let update = std::env::var_os("UPDATE_FIXTURES").is_some();
    for (file, bytes) in generated() {
        let path = dir.join(&file);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
            continue;
        }
        let on_disk = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_FIXTURES=1)", path.display()));
        assert!(
            on_disk == bytes,
            "{file} differs from what the writer makes now (run with UPDATE_FIXTURES=1)"
        );
    }
}

fn read_fixture(file: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("formats").join(file)).unwrap()
}

/// A page decoded the way the CLI does: BOM, else the declared charset, else UTF-8.
fn decode_page(bytes: &[u8]) -> String {
    let enc = nianbao_formats::charset::declared(bytes).unwrap_or(encoding_rs::UTF_8);
    let (text, _, errors) = enc.decode(bytes);
    assert!(!errors, "the page decodes without errors");
    text.into_owned()
}

/// (table, row, column) → (state, value, unit) of every cell.
fn cells(r: &Report) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for t in &r.tables {
        for row in &t.rows {
            for c in &row.cells {
                m.insert(
                    format!("{}.{}.{}", t.id, row.key.unwrap_or(&row.label), c.column),
                    format!("{:?} {:?} {:?}", c.state, c.value, c.unit),
                );
            }
        }
    }
    m
}

/// A diagnostic without its places: code, message, data, and whether it has a fix.
fn what(d: &Diagnostic) -> String {
    format!("{} {} {}", d.code, d.message, d.data)
}

fn lint(text: &str, report: &Report) -> Vec<Diagnostic> {
    nianbao_core::check(text, report, &Settings::default())
}

/// The differences between two lists of diagnostics, as text.
fn diff(expected: &[Diagnostic], got: &[Diagnostic]) -> String {
    let mut e: Vec<String> = expected.iter().map(what).collect();
    let mut g: Vec<String> = got.iter().map(what).collect();
    e.sort();
    g.sort();
    let mut out = String::new();
    for x in &e {
        if !g.contains(x) {
            let _ = writeln!(out, "  missing: {x}");
        }
    }
    for x in &g {
        if !e.contains(x) {
            let _ = writeln!(out, "  extra:   {x}");
        }
    }
    out
}

fn assert_same(kind: &str, name: &str, text: &str, report: &Report, converted: &str) {
    let got = nianbao_core::parse(converted);
    assert_eq!(
        cells(&got),
        cells(report),
        "{kind} {name}: the cells differ from the text's"
    );
    let keys = |r: &Report| r.sections.iter().map(|s| s.key).collect::<Vec<_>>();
    assert_eq!(keys(&got), keys(report), "{kind} {name}: sections");
    assert_eq!(
        got.year.as_ref().map(|y| y.value),
        report.year.as_ref().map(|y| y.value),
        "{kind} {name}: year"
    );
    let d = diff(&lint(text, report), &lint(converted, &got));
    assert!(d.is_empty(), "{kind} {name}: diagnostics differ:\n{d}");
}

#[test]
fn html_pages_read_like_their_text() {
    for name in SAMPLES {
        let (text, report) = sample(name);
        let page = decode_page(&read_fixture(&format!("{name}.html")));
        assert_same("html", name, &text, &report, &html::convert(&page).text);
    }
}

#[test]
fn a_gbk_page_reads_like_its_text() {
    let (text, report) = sample(GBK_SAMPLE);
    let bytes = read_fixture(&format!("{GBK_SAMPLE}-gbk.html"));
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the page is not UTF-8"
    );
    assert_eq!(
        nianbao_formats::charset::declared(&bytes),
        Some(encoding_rs::GBK)
    );
    let page = decode_page(&bytes);
    assert_same(
        "gbk html",
        GBK_SAMPLE,
        &text,
        &report,
        &html::convert(&page).text,
    );
}

#[test]
fn a_page_with_menus_and_footer_reads_like_its_text() {
    let (text, report) = sample(CHROME_SAMPLE);
    let page = decode_page(&read_fixture(&format!("{CHROME_SAMPLE}-site.html")));
    let converted = html::convert(&page).text;
    for chrome in [
        "首页",
        "当前位置",
        "机构职能",
        "版权所有",
        "访问量",
        "备案号",
    ] {
        assert!(
            !converted.contains(chrome),
            "page chrome {chrome:?} was read"
        );
    }
    assert_same("site html", CHROME_SAMPLE, &text, &report, &converted);
}

#[test]
fn word_documents_read_like_their_text() {
    for name in SAMPLES {
        let (text, report) = sample(name);
        let c = docx::convert(&read_fixture(&format!("{name}.docx"))).unwrap();
        assert_same("docx", name, &text, &report, &c.text);
    }
}

/// Sample 001 with its table-三 total of new applications off by one.
fn mutated_001() -> (String, Report) {
    let (text, report) = sample("001_db8b9a3c8d2b1499");
    let cell = report.cell("t3.r1_new.total").expect("t3 total");
    let value = cell.as_i64().expect("a number");
    let mut t = text.clone();
    t.replace_range(cell.range.start..cell.range.end, &(value + 1).to_string());
    let r = nianbao_core::parse(&t);
    (t, r)
}

/// Diagnostics placed in an HTML page: line:col in the page and the source they cover.
fn html_places(page: &str) -> String {
    let c = html::convert(page);
    let mut report = nianbao_core::parse(&c.text);
    let mut diags = lint(&c.text, &report);
    c.map.map_report(&mut report);
    c.map.map_diagnostics(&mut diags);
    for d in &diags {
        for r in std::iter::once(d.range).chain(d.related.iter().map(|r| r.range)) {
            assert!(
                page.is_char_boundary(r.start)
                    && page.is_char_boundary(r.end)
                    && r.end <= page.len(),
                "{}: range {r:?} is not in the page",
                d.code
            );
        }
    }
    let idx = nianbao_core::LineIndex::new(page);
    let mut o = String::new();
    for d in &diags {
        let lc = idx.line_col(page, d.range.start);
        let _ = writeln!(
            o,
            "{}:{} {} {:?} {}",
            lc.line,
            lc.column,
            d.code,
            d.range.slice(page).chars().take(30).collect::<String>(),
            d.message
        );
        for r in d.related.iter().take(3) {
            let lc = idx.line_col(page, r.range.start);
            let _ = writeln!(
                o,
                "    related {}:{} {:?}",
                lc.line,
                lc.column,
                r.range.slice(page)
            );
        }
        if let Some(f) = &d.fix {
            let _ = writeln!(o, "    fix {:?}: {:?}", f.applicability, f.edits);
        }
    }
    o
}

/// Diagnostics placed in a Word document: paragraph or table cell.
fn docx_places(bytes: &[u8]) -> String {
    let c = docx::convert(bytes).unwrap();
    let report = nianbao_core::parse(&c.text);
    let diags = lint(&c.text, &report);
    let mut o = String::new();
    for d in &diags {
        let _ = writeln!(
            o,
            "{} {} {:?} {}",
            c.locations.describe(d.range.start, &report),
            d.code,
            d.range.slice(&c.text).chars().take(30).collect::<String>(),
            d.message
        );
        for r in d.related.iter().take(3) {
            let _ = writeln!(
                o,
                "    related {}",
                c.locations.describe(r.range.start, &report)
            );
        }
    }
    o
}

#[test]
fn places_in_pages() {
    let page = decode_page(&read_fixture("004_cf43867c2f1e63a9.html"));
    insta::assert_snapshot!("html_places_004", html_places(&page));
    let (text, report) = mutated_001();
    let page = formats::html(&text, &report, Page::default());
    insta::assert_snapshot!("html_places_001_mutated", html_places(&page));
}

#[test]
fn places_in_word_documents() {
    insta::assert_snapshot!(
        "docx_places_004",
        docx_places(&read_fixture("004_cf43867c2f1e63a9.docx"))
    );
    let (text, report) = mutated_001();
    insta::assert_snapshot!(
        "docx_places_001_mutated",
        docx_places(&formats::docx(&text, &report, true))
    );
}

#[test]
fn a_fix_in_a_page_changes_only_the_number() {
    let (text, report) = mutated_001();
    let page = formats::html(&text, &report, Page::default());
    let c = html::convert(&page);
    let mut diags = lint(&c.text, &nianbao_core::parse(&c.text));
    c.map.map_diagnostics(&mut diags);
    let fixed = nianbao_core::rules::fix::apply(&page, &diags, false);
    assert!(
        fixed.applied > 0,
        "the wrong total has a safe fix in the page"
    );
    // The page differs in one number only, and now reads like the unmutated sample.
    let changed: Vec<_> = similar::TextDiff::from_chars(&page, &fixed.text)
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| c.value().to_string())
        .collect();
    assert!(
        changed
            .iter()
            .all(|c| c.chars().all(|ch| ch.is_ascii_digit())),
        "{changed:?}"
    );
    let (orig_text, orig) = sample("001_db8b9a3c8d2b1499");
    assert_same(
        "fixed html",
        "001",
        &orig_text,
        &orig,
        &html::convert(&fixed.text).text,
    );
}
