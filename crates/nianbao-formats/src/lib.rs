//! `nianbao-formats` reads the other forms a report comes in — a published web page
//! (`.html`, `.htm`, `.shtml`) or a Word draft (`.docx`) — into the plain text that
//! [`nianbao_core::parse`] reads, together with a map from that text back to the source:
//!
//! * HTML: [`html::convert`] gives the text and a [`SpanMap`] to byte ranges of the HTML
//!   source, so that diagnostics, hover and fixes point into the page an editor shows.
//!   Tables are read as grids honouring `rowspan`/`colspan` and written one grid row per
//!   line, cells separated by TAB, every merged position an empty field (spec §8.2).
//! * DOCX: [`docx::convert`] gives the text and [`Locations`]: a .docx has no lines, so a
//!   place is named as a paragraph or a table cell (`表三 第5行 第2列`).
//!
//! Like the core, the crate does no I/O: give it the bytes, get text. Conversion never
//! panics; a file that cannot be read (a corrupt zip, broken XML) gives a [`ReadError`]
//! with a Chinese message.

pub mod charset;
pub mod docx;
pub mod html;
mod map;

pub use map::{Location, Locations, SpanMap};

/// The kinds of input nianbao reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text or Markdown: read as it is.
    Text,
    /// A web page.
    Html,
    /// A Word document (Office Open XML).
    Docx,
}

impl Kind {
    /// The kind a file name calls for (by extension, case-insensitive); `None` for a file
    /// that is not a report.
    pub fn from_path(path: &str) -> Option<Kind> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "md" | "markdown" | "text" => Some(Kind::Text),
            "html" | "htm" | "shtml" | "xhtml" => Some(Kind::Html),
            "docx" => Some(Kind::Docx),
            _ => None,
        }
    }
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// What went wrong, in Chinese (without the path).
    pub message: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    pub(crate) fn new(message: impl Into<String>) -> ReadError {
        ReadError {
            message: message.into(),
        }
    }
}
