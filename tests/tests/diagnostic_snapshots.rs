//! Every diagnostic for every real report in `fixtures/`, as reviewed snapshots.

use nianbao_tests::{fixture_texts, render_diagnostics};

fn snapshot_dir(dir: &str) {
    for (name, text) in fixture_texts(dir) {
        let (_, diags) = nianbao_core::lint(&text, &Default::default());
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
