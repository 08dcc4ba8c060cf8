//! Arbitrary bytes → `fix_all` (safe fixes; unsafe ones too when the first byte is odd):
//! the fixed text re-parses with every range in place, and fixing it again changes
//! nothing (fixes reach a fixed point).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao_core::Settings;
use nianbao_core::rules::fix;
use nianbao_fuzz::{assert_diagnostic_ranges, assert_model_ranges, text_of};

fuzz_target!(|data: &[u8]| {
    let include_unsafe = data.first().is_some_and(|b| b & 1 == 1);
    let text = text_of(data);
    let settings = Settings::default();
    let (fixed, _) = fix::fix_all(&text, &settings, None, include_unsafe);
    let (report, diags) = nianbao_core::lint(&fixed, &settings);
    assert_model_ranges(&fixed, &report);
    assert_diagnostic_ranges(&fixed, None, &diags);
    let (again, n) = fix::fix_all(&fixed, &settings, None, include_unsafe);
    assert!(
        n == 0 && again == fixed,
        "a second fix pass changed the text ({n} fixes)\nbefore: {fixed:?}\n after: {again:?}"
    );
});
