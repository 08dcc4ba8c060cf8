//! Arbitrary bytes as a web page → `nianbao_formats::html`: never panics; the report and
//! diagnostics mapped back into the page lie in it on char boundaries, and a fix is only
//! kept where the page has the very text it edits. The charset pre-scan never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao_core::TextRange;
use nianbao_fuzz::{assert_diagnostic_ranges, assert_model_ranges, assert_range, text_of};

fuzz_target!(|data: &[u8]| {
    let _ = nianbao_formats::charset::declared(data);
    let page = text_of(data);
    let c = nianbao_formats::html::convert(&page);
    // Ranges of the text read map into the page; exact ones copy it.
    let bounds: Vec<usize> = c
        .text
        .char_indices()
        .map(|(i, _)| i)
        .chain([c.text.len()])
        .step_by(5)
        .collect();
    for w in bounds.windows(2) {
        let r = TextRange::new(w[0], w[1]);
        assert_range(&page, c.map.range(r), "mapped range");
        if let Some(e) = c.map.exact(r) {
            assert_eq!(e.slice(&page), r.slice(&c.text), "an exact place copies the page");
        }
    }
    let (report, diags) = nianbao_formats::html::check(&page, |t, r| {
        nianbao_core::check(t, r, &nianbao_core::Settings::default())
    });
    assert_model_ranges(&page, &report);
    assert_diagnostic_ranges(&page, None, &diags);
    for d in &diags {
        if let Some(f) = &d.fix {
            for e in &f.edits {
                assert!(!e.new_text.contains('<'), "{}: a fix inserts markup", d.code);
            }
        }
    }
});
