//! Malformed pages and corrupt Word files never panic: a page always reads to some text
//! whose places lie inside the page; a broken .docx gives a clear error (or, when the
//! damage missed what is read, the text).

use nianbao_core::TextRange;
use nianbao_formats::{docx, html};
use proptest::prelude::*;

const DOCX: &[u8] = include_bytes!("../../../tests/fixtures/formats/004_cf43867c2f1e63a9.docx");
const PAGE: &str = include_str!("../../../tests/fixtures/formats/004_cf43867c2f1e63a9.html");

/// Strings made of HTML's building blocks, so the tokenizer's states are exercised.
fn html_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<table>".to_string()),
        Just("</table>".to_string()),
        Just("<tr>".to_string()),
        Just("<td rowspan=3>".to_string()),
        Just("<td colspan=\"99999\">".to_string()),
        Just("<th colspan=0>".to_string()),
        Just("</td>".to_string()),
        Just("<br/>".to_string()),
        Just("<script>".to_string()),
        Just("</script>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("&nbsp;".to_string()),
        Just("&#x1F600;".to_string()),
        Just("&amp".to_string()),
        Just("<div class=\"nav\">".to_string()),
        Just("</div>".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("\"".to_string()),
        "[一二三四、（）0-9a-z \t\n]{0,8}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

/// Every range of text maps into the page, on character boundaries.
fn check_map(page: &str) {
    let c = html::convert(page);
    let bounds: Vec<usize> = c
        .text
        .char_indices()
        .map(|(i, _)| i)
        .chain([c.text.len()])
        .collect();
    for (k, &a) in bounds.iter().enumerate().step_by(3) {
        for &b in bounds[k..].iter().step_by(7).take(5) {
            let r = c.map.range(TextRange::new(a, b));
            assert!(
                r.start <= r.end && r.end <= page.len(),
                "{r:?} outside the page"
            );
            assert!(page.is_char_boundary(r.start) && page.is_char_boundary(r.end));
            if let Some(e) = c.map.exact(TextRange::new(a, b)) {
                assert_eq!(
                    e.slice(page),
                    &c.text[a..b],
                    "an exact place copies the page"
                );
            }
        }
    }
    // The core reads whatever came out.
    let report = nianbao_core::parse(&c.text);
    let _ = nianbao_core::check(&c.text, &report, &nianbao_core::Settings::default());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn malformed_pages_never_panic(page in html_soup()) {
        check_map(&page);
    }

    #[test]
    fn cut_pages_never_panic(cut in 0usize..PAGE.len()) {
        let mut cut = cut;
        while !PAGE.is_char_boundary(cut) {
            cut -= 1;
        }
        check_map(&PAGE[..cut]);
    }

    #[test]
    fn truncated_docx_never_panics(cut in 0usize..DOCX.len()) {
        match docx::convert(&DOCX[..cut]) {
            Ok(c) => prop_assert!(c.text.len() < 100_000),
            Err(e) => prop_assert!(!e.message.is_empty()),
        }
    }

    #[test]
    fn damaged_docx_never_panics(flips in prop::collection::vec((0usize..DOCX.len(), any::<u8>()), 1..8)) {
        let mut bytes = DOCX.to_vec();
        for (at, b) in flips {
            bytes[at] ^= b | 1;
        }
        if let Ok(c) = docx::convert(&bytes) {
            let report = nianbao_core::parse(&c.text);
            let _ = c.locations.describe(c.text.len() / 2, &report);
        }
    }
}

#[test]
fn the_whole_page_maps() {
    check_map(PAGE);
}

fn package(document: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(document.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn broken_xml_is_a_clear_error() {
    let e = docx::convert(&package("<w:document><w:body><w:p>")).unwrap_err();
    assert!(e.message.contains("不是有效的 XML"), "{e}");
    assert!(e.message.contains("word/document.xml"), "{e}");
}

#[test]
fn a_package_without_a_document_is_a_clear_error() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("other.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"x").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let e = docx::convert(&bytes).unwrap_err();
    assert_eq!(
        e.message,
        "不是有效的 .docx 文件：包中没有正文部分 word/document.xml"
    );
}

#[test]
fn a_minimal_document_reads() {
    let c = docx::convert(&package(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
        <w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>
        <w:p><w:del><w:r><w:delText>删去</w:delText></w:r></w:del><w:r><w:t xml:space="preserve">本年 </w:t></w:r><w:r><w:t>64件</w:t></w:r></w:p>
        <w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
        </w:body></w:document>"#,
    ))
    .unwrap();
    assert_eq!(c.text, "一、总体情况\n本年 64件\nA\t\t1\nB\t\t2\n\tx\t3\n");
    let report = nianbao_core::parse(&c.text);
    assert_eq!(c.locations.describe(0, &report), "第1段");
    let at = c.text.find('x').unwrap();
    assert_eq!(c.locations.describe(at, &report), "第1个表格 第3行 第2列");
}
