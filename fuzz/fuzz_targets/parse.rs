//! Arbitrary bytes (read as lossy UTF-8) → `parse`: never panics, and every range of the
//! model lies in the text on char boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao_fuzz::{assert_model_ranges, text_of};

fuzz_target!(|data: &[u8]| {
    let text = text_of(data);
    let report = nianbao_core::parse(&text);
    assert_model_ranges(&text, &report);
});
