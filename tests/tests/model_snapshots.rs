//! The parsed model of every real report in `fixtures/`, as reviewed snapshots: sections,
//! title/year/body/format and every table cell.

use nianbao_tests::{fixture_texts, render_model};

fn snapshot_dir(dir: &str) {
    for (name, text) in fixture_texts(dir) {
        insta::assert_snapshot!(name, render_model(&text, &nianbao_core::parse(&text)));
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
