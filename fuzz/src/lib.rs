//! Checks shared by the fuzz targets: what every input must satisfy.

use nianbao_core::{Diagnostic, Report, TextRange};

/// The fuzzer's bytes as text: invalid UTF-8 becomes U+FFFD, as a lossy reader would.
pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Panics unless `r` lies in `text` on char boundaries, start before end.
pub fn assert_range(text: &str, r: TextRange, what: &str) {
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{what}: {r:?} outside the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what}: {r:?} not on char boundaries"
    );
}

/// Every range of the model (title, sections, tables, rows, cells, issues) lies in `text`.
/// The ranges are visited with `Report::map_ranges`, the walk that must reach every one.
pub fn assert_model_ranges(text: &str, report: &Report) {
    let mut ranges = Vec::new();
    report.clone().map_ranges(text.len(), &mut |r| {
        ranges.push(r);
        r
    });
    for r in ranges {
        assert_range(text, r, "model range");
    }
}

/// Every range of the diagnostics lies in its text: the diagnostic's, its fix's edits and
/// related places in `text`, related places marked `in_previous` in `previous`.
pub fn assert_diagnostic_ranges(text: &str, previous: Option<&str>, diags: &[Diagnostic]) {
    for d in diags {
        assert_range(text, d.range, d.code);
        for rel in &d.related {
            match (rel.in_previous, previous) {
                (true, Some(p)) => assert_range(p, rel.range, d.code),
                (true, None) => panic!(
                    "{}: related place in a previous report that was not given",
                    d.code
                ),
                (false, _) => assert_range(text, rel.range, d.code),
            }
        }
        if let Some(f) = &d.fix {
            assert!(!f.edits.is_empty(), "{}: a fix without edits", d.code);
            for e in &f.edits {
                assert_range(text, e.range, d.code);
            }
        }
    }
}
