//! Arbitrary bytes → `lint` with the default settings: never panics; every diagnostic,
//! related place and fix edit lies in its text on char boundaries.
//!
//! A NUL byte splits the input: what follows it is last year's report, and the text before
//! it is checked with `check_with_previous` as well (the cross-year rules).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao_core::Settings;
use nianbao_fuzz::{assert_diagnostic_ranges, assert_model_ranges, text_of};

fuzz_target!(|data: &[u8]| {
    let settings = Settings::default();
    let (this, previous) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let text = text_of(this);
    let (report, diags) = nianbao_core::lint(&text, &settings);
    assert_model_ranges(&text, &report);
    assert_diagnostic_ranges(&text, None, &diags);
    if let Some(p) = previous {
        let ptext = text_of(p);
        let preport = nianbao_core::parse(&ptext);
        let diags = nianbao_core::check_with_previous(&text, &report, &ptext, &preport, &settings);
        assert_diagnostic_ranges(&text, Some(&ptext), &diags);
    }
});
