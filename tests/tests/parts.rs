//! Documents that hold several reports: each report is checked on its own, exactly as if
//! it were a file of its own, and the document's suppression comments still apply to all.

use nianbao_core::rules::fix;
use nianbao_core::{Diagnostic, Settings, lint, parts};
use nianbao_tests::fixture_texts;

/// The five samples one after another, as an office's compilation would hold them, and
/// where each begins. Each after the first begins at its title line: what a crawl put
/// above a title (page chrome) cannot be told from the end of the report before it.
fn compilation() -> (String, Vec<(usize, String)>) {
    let mut doc = String::new();
    let mut starts = Vec::new();
    for (_, text) in fixture_texts("samples") {
        let mut text = text;
        if !doc.is_empty() {
            let title = nianbao_core::parse(&text)
                .title
                .expect("a title")
                .range
                .start;
            let line = text[..title].rfind('\n').map_or(0, |i| i + 1);
            text.drain(..line);
            if !doc.ends_with('\n') {
                doc.push('\n');
            }
        }
        starts.push((doc.len(), text.clone()));
        doc.push_str(&text);
    }
    (doc, starts)
}

/// Each report's own diagnostics, moved to where it stands in the document.
fn each_on_its_own(starts: &[(usize, String)]) -> Vec<Diagnostic> {
    let mut all = Vec::new();
    for (at, text) in starts {
        let (_, mut ds) = lint(text, &Settings::default());
        ds.iter_mut().for_each(|d| d.offset_by(*at));
        all.extend(ds);
    }
    all
}

#[test]
fn the_compilation_splits_where_each_sample_begins() {
    let (doc, starts) = compilation();
    let found: Vec<usize> = parts(&doc).iter().map(|r| r.start).collect();
    let expected: Vec<usize> = starts.iter().map(|(at, _)| *at).collect();
    assert_eq!(found, expected);
}

#[test]
fn each_report_gets_the_diagnostics_it_gets_alone() {
    let (doc, starts) = compilation();
    let (_, diags) = lint(&doc, &Settings::default());
    let expected = each_on_its_own(&starts);
    assert!(expected.len() > 20, "the samples have findings");
    assert_eq!(diags, expected);
    // Nothing about one report is said of another: no duplicated sections or tables.
    assert!(!diags.iter().any(|d| matches!(d.code, "NB006" | "NB103")));
    // `check_document` says the same and how many reports it found.
    let report = nianbao_core::parse(&doc);
    let (same, reports) = nianbao_core::check_document(&doc, &report, None, &Settings::default());
    assert_eq!(same, diags);
    assert_eq!(reports, starts.len());
}

#[test]
fn a_suppression_comment_covers_the_reports_after_it() {
    let (doc, starts) = compilation();
    let doc = format!("<!-- nianbao-disable NB204 -->\n{doc}");
    let (_, diags) = lint(&doc, &Settings::default());
    let unsuppressed: Vec<_> = each_on_its_own(&starts)
        .into_iter()
        .filter(|d| d.code != "NB204")
        .collect();
    assert!(
        each_on_its_own(&starts)
            .iter()
            .filter(|d| d.code == "NB204")
            .count()
            > 3
    );
    assert_eq!(diags.len(), unsuppressed.len());
    assert!(!diags.iter().any(|d| d.code == "NB204"));
}

#[test]
fn fixes_apply_in_every_report() {
    let (doc, starts) = compilation();
    let (fixed, n) = fix::fix_all(&doc, &Settings::default(), None, false);
    let mut alone = 0;
    let mut expected = String::new();
    for (at, text) in &starts {
        let (f, k) = fix::fix_all(text, &Settings::default(), None, false);
        alone += k;
        if *at > 0 && !expected.ends_with('\n') {
            expected.push('\n');
        }
        expected.push_str(&f);
    }
    assert!(alone > 0, "some sample has a safe fix");
    assert_eq!(n, alone);
    assert_eq!(fixed, expected);
}
