//! An open document: its text in a rope, its version, and incremental edits.

use ropey::Rope;
use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

use crate::encoding::{Encoding, rope_char};

#[derive(Debug, Clone)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub language_id: String,
}

impl Document {
    pub fn new(text: &str, version: i32, language_id: String) -> Document {
        Document {
            rope: Rope::from_str(text),
            version,
            language_id,
        }
    }

    /// Applies one change; a range outside the text is clamped, a reversed one swapped.
    pub fn apply(&mut self, change: &TextDocumentContentChangeEvent, enc: Encoding) {
        match change.range {
            None => self.rope = Rope::from_str(&change.text),
            Some(r) => {
                let a = rope_char(&self.rope, r.start, enc);
                let b = rope_char(&self.rope, r.end, enc);
                let (start, end) = if a <= b { (a, b) } else { (b, a) };
                self.rope.remove(start..end);
                self.rope.insert(start, &change.text);
            }
        }
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }
}
