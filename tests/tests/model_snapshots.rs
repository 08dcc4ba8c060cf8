//! The parsed model of every real report in `fixtures/`, as reviewed snapshots: sections,
//! title/year/body/format and every table cell.

use nianbao_tests::{fixture, fixture_files, render_model};

fn snapshot_dir(dir: &str) {
    for rel in fixture_files(dir) {
        let text = fixture(&rel);
        let report = nianbao_core::parse(&text);
        let name = rel.replace('/', "__").trim_end_matches(".txt").to_string();
        insta::assert_snapshot!(name, render_model(&text, &report));
    }
}

#[test]
fn samples() {
    snapshot_dir("samples");
}

#[test]
fn crawled_reports() {
    snapshot_dir("real");
}

#[test]
fn excerpts() {
    snapshot_dir("excerpts");
}
