//! Every diagnostic for every real report in `fixtures/`, as reviewed snapshots.

use nianbao_tests::{fixture, fixture_files, render_diagnostics};

fn snapshot_dir(dir: &str) {
    for rel in fixture_files(dir) {
        let text = fixture(&rel);
        let (_, diags) = nianbao_core::lint(&text, &Default::default());
        let name = rel.replace('/', "__").trim_end_matches(".txt").to_string();
        insta::assert_snapshot!(name, render_diagnostics(&text, &diags));
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

#[test]
fn rule_fixtures() {
    snapshot_dir("rules");
}
