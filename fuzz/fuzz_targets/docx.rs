//! Word documents → `nianbao_formats::docx`: never panics, whatever the package. The first
//! byte chooses what the rest is: (even) the bytes of a .docx package, or (odd) the XML of
//! its main part, packed here into a valid zip so that the fuzzer reaches the XML reader
//! (mutated deflate data rarely survives the zip's checksums). A document that reads gives
//! text the core parses, and every place in it can be named.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use nianbao_fuzz::assert_model_ranges;

fn package(xml: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    zip.start_file("word/document.xml", opts).expect("entry");
    zip.write_all(xml).expect("write");
    zip.finish().expect("finish").into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode % 2 == 0 { rest.to_vec() } else { package(rest) };
    match nianbao_formats::docx::convert(&bytes) {
        Ok(c) => {
            let report = nianbao_core::parse(&c.text);
            assert_model_ranges(&c.text, &report);
            for off in [0, c.text.len() / 2, c.text.len()] {
                let _ = c.locations.describe(off, &report);
            }
        }
        Err(e) => assert!(!e.message.is_empty()),
    }
});
