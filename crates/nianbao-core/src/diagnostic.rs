//! Diagnostics: what a rule reports, with an optional fix made of text edits.

use serde::{Deserialize, Serialize};

use crate::text::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    /// 错误 / 警告 / 提示 / 建议
    pub fn chinese(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
            Severity::Hint => "建议",
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Ok(Severity::Error),
            "warning" | "warn" => Ok(Severity::Warning),
            "info" | "information" => Ok(Severity::Info),
            "hint" => Ok(Severity::Hint),
            _ => Err(format!(
                "未知的严重级别“{s}”（应为 error、warning、info 或 hint）"
            )),
        }
    }
}

/// Whether a fix can be applied without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The fix is certainly right (e.g. the only value that reconciles every identity).
    Safe,
    /// The fix is a likely correction that a person should confirm.
    Unsafe,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, in Chinese (shown as a quick-fix title).
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// Another place the diagnostic refers to (an operand cell of a failing sum …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    pub message: String,
    pub range: TextRange,
    /// The place is in the previous year's report, not in this one.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub in_previous: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable rule code, e.g. `NB301`.
    pub code: &'static str,
    /// The rule's English kebab-case name, e.g. `t3-balance`.
    pub rule: &'static str,
    pub severity: Severity,
    /// What is wrong, in Chinese, with the actual numbers.
    pub message: String,
    pub range: TextRange,
    pub related: Vec<Related>,
    /// Machine-readable details, keyed as in `templates.json`.
    pub data: serde_json::Value,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// Rewrites the ranges of the diagnostic (its place and the places in this report it
    /// refers to; places in last year's report are left alone) with `f`. Fix edits are
    /// left to the caller, who knows whether an edit can be carried over.
    pub fn map_ranges(&mut self, f: &mut dyn FnMut(TextRange) -> TextRange) {
        self.range = f(self.range);
        for r in &mut self.related {
            if !r.in_previous {
                r.range = f(r.range);
            }
        }
    }

    /// Moves every place of the diagnostic in this report — its range, related places and
    /// fix edits — `delta` bytes on: from a report's own text to a document that holds it
    /// at `delta` ([`crate::parts`]).
    pub fn offset_by(&mut self, delta: usize) {
        let mut shift = |r: TextRange| TextRange::new(r.start + delta, r.end + delta);
        self.map_ranges(&mut shift);
        for e in self.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
            e.range = shift(e.range);
        }
    }
}
