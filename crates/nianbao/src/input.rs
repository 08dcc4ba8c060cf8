//! Reading report files into text (UTF-8 with or without BOM, UTF-16 with BOM,
//! GB18030/GBK), and writing fixed text back in the same encoding.

use std::path::Path;

pub use nianbao_formats::Kind;

/// How a file was encoded, so a fix can be written back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8 {
        bom: bool,
    },
    Utf16Le,
    Utf16Be,
    /// GB18030 (a superset of GBK and GB2312).
    Gb18030,
    /// Another encoding a web page declared (Big5, Shift_JIS …).
    Other(&'static encoding_rs::Encoding),
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 { bom: false } => "UTF-8",
            Encoding::Utf8 { bom: true } => "UTF-8 (BOM)",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GB18030/GBK",
            Encoding::Other(e) => e.name(),
        }
    }
}

#[derive(Debug)]
pub struct Decoded {
    /// The text, without a BOM (`encode` writes it back), so that line 1's columns
    /// count from its first real character.
    pub text: String,
    pub encoding: Encoding,
}

/// Why a file could not be read as a report.
#[derive(Debug)]
pub enum ReadError {
    Io(String),
    Binary,
    Undecodable,
    /// A page or document that could not be read (a corrupt .docx …): why.
    Format(String),
}

impl ReadError {
    /// The message, in Chinese, with the path.
    pub fn message(&self, path: &str) -> String {
        match self {
            ReadError::Io(e) => format!("{path}: 无法读取文件（{e}）"),
            ReadError::Binary => format!("{path}: 这是二进制文件，不是文本报告；已跳过"),
            ReadError::Format(why) => format!("{path}: {why}；已跳过"),
            ReadError::Undecodable => {
                format!(
                    "{path}: 既不是 UTF-8/UTF-16 文本，也不是 GB18030/GBK 文本，无法解码；已跳过"
                )
            }
        }
    }
}

/// Decodes bytes: BOM first, then UTF-8, then GB18030. Binary data is refused.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ReadError> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if enc == encoding_rs::UTF_8 {
            return simdutf8::basic::from_utf8(body)
                .map(|s| Decoded {
                    text: s.to_string(),
                    encoding: Encoding::Utf8 { bom: true },
                })
                .map_err(|_| ReadError::Undecodable);
        }
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            return Err(ReadError::Undecodable);
        }
        let encoding = if enc == encoding_rs::UTF_16LE {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        };
        return Ok(Decoded {
            text: text.into_owned(),
            encoding,
        });
    }
    // (A vectorised search: `<[u8]>::contains` reads a word at a time.)
    if memchr::memchr(0, bytes).is_some() {
        return Err(ReadError::Binary);
    }
    // Validated vectorised (`simdutf8`), then copied: cheaper than `String::from_utf8`'s
    // validation of text that is mostly three-byte chars.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(Decoded {
            text: s.to_string(),
            encoding: Encoding::Utf8 { bom: false },
        });
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors
        || text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
    {
        return Err(ReadError::Undecodable);
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: Encoding::Gb18030,
    })
}

/// Files larger than this are refused (a report is a few kilobytes).
pub const MAX_FILE: u64 = 256 * 1024 * 1024;

fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    // One open, then the open file's metadata: the path is looked up once.
    let io = |e: std::io::Error| ReadError::Io(io_reason(&e));
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(ReadError::Io("这是一个文件夹".into()));
    }
    let too_large = |len: u64| {
        ReadError::Io(format!(
            "文件有 {} MB，超过 {} MB 的上限",
            len >> 20,
            MAX_FILE >> 20
        ))
    };
    if meta.len() > MAX_FILE {
        return Err(too_large(meta.len()));
    }
    // A buffer of the file's size plus one byte, filled through `Take`: `File::read_to_end`
    // would ask for the size and position again (two more system calls a file), and a loop
    // of plain reads would need the buffer zeroed first. A file longer than its size (one
    // that grew, or a `/proc` file) is read to its end, up to the limit.
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        _ => e.to_string(),
    }
}

/// Encodes text back into the file's encoding. `None` when a character cannot be
/// represented (then the file must not be written).
pub fn encode(text: &str, enc: Encoding) -> Option<Vec<u8>> {
    match enc {
        Encoding::Utf8 { bom } => {
            let mut out = Vec::with_capacity(text.len() + 3);
            if bom {
                out.extend_from_slice(b"\xef\xbb\xbf");
            }
            out.extend_from_slice(text.as_bytes());
            Some(out)
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let mut out = Vec::with_capacity(text.len() * 2 + 2);
            let units = std::iter::once(0xFEFFu16).chain(text.encode_utf16());
            for u in units {
                let b = if enc == Encoding::Utf16Le {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                };
                out.extend_from_slice(&b);
            }
            Some(out)
        }
        Encoding::Gb18030 => {
            let (bytes, _, had_errors) = encoding_rs::GB18030.encode(text);
            (!had_errors).then(|| bytes.into_owned())
        }
        Encoding::Other(e) => {
            let (bytes, _, had_errors) = e.encode(text);
            (!had_errors).then(|| bytes.into_owned())
        }
    }
}

/// A file read for checking, by kind.
pub enum Loaded {
    /// A text or Markdown report.
    Text(Decoded),
    /// A web page: its decoded source.
    Html(Decoded),
    /// A Word document, read into text with the places it came from.
    Docx(nianbao_formats::docx::Converted),
}

/// The kind of file `name` is (by extension); plain text when it says nothing.
pub fn kind(name: &str) -> Kind {
    Kind::from_path(name).unwrap_or(Kind::Text)
}

/// Reads bytes of the given kind.
pub fn load(bytes: &[u8], kind: Kind) -> Result<Loaded, ReadError> {
    match kind {
        Kind::Text => decode(bytes).map(Loaded::Text),
        Kind::Html => decode_html(bytes).map(Loaded::Html),
        Kind::Docx => nianbao_formats::docx::convert(bytes)
            .map(Loaded::Docx)
            .map_err(|e| ReadError::Format(e.message)),
    }
}

/// Reads a file of the kind its name says.
pub fn read_any(path: &Path) -> Result<Loaded, ReadError> {
    let bytes = read_bytes(path)?;
    load(&bytes, kind(&path.to_string_lossy()))
}

/// A web page's text: the BOM, else the charset its head declares (GBK pages are
/// common), else UTF-8, else GB18030.
pub fn decode_html(bytes: &[u8]) -> Result<Decoded, ReadError> {
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return decode(bytes);
    }
    match nianbao_formats::charset::declared(bytes) {
        Some(enc) if enc == encoding_rs::UTF_8 => decode(bytes),
        Some(enc) => {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            if had_errors {
                return Err(ReadError::Undecodable);
            }
            let encoding = if enc == encoding_rs::GBK || enc == encoding_rs::GB18030 {
                Encoding::Gb18030
            } else {
                Encoding::Other(enc)
            };
            Ok(Decoded {
                text: text.into_owned(),
                encoding,
            })
        }
        None => decode(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_read_as_the_standard_library_reads_it() {
        let inputs: [&[u8]; 5] = [
            "一、总体情况\n".as_bytes(),
            b"\xef\xbb\xbf\xe4\xb8\x80abc",
            b"abc\xe4\xb8",
            b"\xef\xbb\xbf\xe4\xb8",
            b"",
        ];
        for bytes in inputs {
            let (body, bom) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
                Some(b) => (b, true),
                None => (bytes, false),
            };
            match (std::str::from_utf8(body), decode(bytes)) {
                (Ok(s), Ok(d)) => {
                    assert_eq!(d.text, s, "{bytes:?}");
                    assert_eq!(d.encoding, Encoding::Utf8 { bom }, "{bytes:?}");
                }
                (Err(_), Ok(d)) => assert_ne!(d.encoding, Encoding::Utf8 { bom }, "{bytes:?}"),
                (Ok(_), Err(e)) => panic!("{bytes:?}: valid UTF-8 refused: {e:?}"),
                (Err(_), Err(_)) => {}
            }
        }
    }

    #[test]
    fn files_are_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        // Empty, shorter and longer than one read of the standard library's buffer.
        for len in [0, 1, 7_000, 100_000] {
            let path = dir.path().join(format!("{len}.txt"));
            let bytes: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(read_bytes(&path).unwrap(), bytes, "{len} bytes");
        }
        assert!(matches!(
            read_bytes(dir.path()),
            Err(ReadError::Io(m)) if m == "这是一个文件夹"
        ));
    }

    /// A file whose size says nothing of its length (Linux gives `/proc` files size 0)
    /// is read to its end, as a file that grows while it is read.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_longer_than_its_size_is_read_to_its_end() {
        let path = Path::new("/proc/self/maps");
        assert_eq!(std::fs::metadata(path).unwrap().len(), 0);
        let bytes = read_bytes(path).unwrap();
        assert!(bytes.len() > 100, "{} bytes", bytes.len());
        assert!(bytes.ends_with(b"\n"));
    }

    #[test]
    fn round_trips() {
        let s = "一、总体情况\r\n表三\t0\n";
        for enc in [
            Encoding::Utf8 { bom: false },
            Encoding::Utf16Le,
            Encoding::Utf16Be,
            Encoding::Gb18030,
        ] {
            let bytes = encode(s, enc).unwrap();
            let d = decode(&bytes).unwrap();
            assert_eq!(d.encoding, enc);
            assert_eq!(d.text, s);
        }
        let bom = decode(b"\xef\xbb\xbfabc").unwrap();
        assert_eq!(bom.encoding, Encoding::Utf8 { bom: true });
        assert_eq!(bom.text, "abc");
        assert_eq!(encode(&bom.text, bom.encoding).unwrap(), b"\xef\xbb\xbfabc");
        assert!(matches!(decode(b"\x00\x01\x02abc"), Err(ReadError::Binary)));
    }
}
