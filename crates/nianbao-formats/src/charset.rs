//! The character encoding an HTML page declares (`<meta charset>` or
//! `<meta http-equiv="Content-Type" content="…; charset=…">`), found the way browsers
//! pre-scan: in the first 1,024 bytes. GBK pages are common on government sites.

use encoding_rs::Encoding;

/// The encoding declared in the page's head, if any. A BOM, when present, takes precedence
/// (the caller checks it first). A declared UTF-16 means UTF-8 (the page is ASCII-compatible
/// if the declaration could be read), as in browsers.
pub fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head);
    for token in html5gum::Tokenizer::new(head.as_ref()).flatten() {
        let html5gum::Token::StartTag(tag) = token else {
            continue;
        };
        if tag.name.as_slice() != b"meta" {
            continue;
        }
        let attr = |name: &[u8]| {
            tag.attributes.get(name).map(|v| {
                String::from_utf8_lossy(v.as_slice())
                    .trim()
                    .to_ascii_lowercase()
            })
        };
        let label = if let Some(cs) = attr(b"charset") {
            Some(cs)
        } else if attr(b"http-equiv").as_deref() == Some("content-type") {
            attr(b"content").and_then(|c| {
                let i = c.find("charset")?;
                let rest = c[i + "charset".len()..].trim_start().strip_prefix('=')?;
                let rest = rest.trim_start().trim_start_matches(['"', '\'']);
                let end = rest
                    .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
                    .unwrap_or(rest.len());
                Some(rest[..end].to_string())
            })
        } else {
            None
        };
        if let Some(enc) = label.and_then(|l| Encoding::for_label(l.as_bytes())) {
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                return Some(encoding_rs::UTF_8);
            }
            return Some(enc);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset() {
        assert_eq!(
            declared(b"<html><head><meta charset=\"gbk\"><title>x</title>"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(declared(b"<meta charset=GB2312>"), Some(encoding_rs::GBK));
        assert_eq!(
            declared(b"<meta charset='utf-8'>"),
            Some(encoding_rs::UTF_8)
        );
    }

    #[test]
    fn http_equiv() {
        assert_eq!(
            declared(b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=gb18030\">"),
            Some(encoding_rs::GB18030)
        );
    }

    #[test]
    fn none_or_unknown() {
        assert_eq!(declared(b"<p>no head</p>"), None);
        assert_eq!(declared(b"<meta charset=\"klingon\">"), None);
        assert_eq!(
            declared(b"<meta charset=\"utf-16\">"),
            Some(encoding_rs::UTF_8)
        );
    }

    #[test]
    fn only_the_first_kilobyte_counts() {
        let mut page = vec![b' '; 1100];
        page.extend_from_slice(b"<meta charset=\"gbk\">");
        assert_eq!(declared(&page), None);
    }
}
