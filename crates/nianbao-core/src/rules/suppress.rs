//! Suppression comments in the document:
//! `<!-- nianbao-disable NB301 -->` … `<!-- nianbao-enable -->` (codes or names; none =
//! every rule) and `<!-- nianbao-disable-next-line NB301 -->`.

use std::sync::OnceLock;

use regex::Regex;

use crate::diagnostic::Diagnostic;
use crate::rules::find_rule;
use crate::text::TextRange;

#[derive(Debug, Default)]
pub struct Suppressions {
    /// Source ranges where the listed codes (empty = all) are off.
    regions: Vec<(TextRange, Vec<&'static str>)>,
}

fn re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"<!--\s*nianbao-(disable-next-line|disable|enable)\b([^>]*?)-->")
            .expect("regex")
    })
}

fn codes(list: &str) -> Vec<&'static str> {
    list.split([',', ' ', '，'])
        .filter(|s| !s.trim().is_empty())
        .filter_map(|s| find_rule(s.trim()).map(|m| m.code))
        .collect()
}

impl Suppressions {
    pub fn parse(text: &str) -> Suppressions {
        let mut out = Suppressions::default();
        if !text.contains("nianbao-") {
            return out;
        }
        let mut open: Vec<(usize, Vec<&'static str>)> = Vec::new();
        for c in re().captures_iter(text) {
            let whole = c.get(0).expect("match");
            let list = codes(c.get(2).map(|m| m.as_str()).unwrap_or(""));
            match &c[1] {
                "disable-next-line" => {
                    // The line after the comment's line.
                    let after = text[whole.end()..].find('\n').map(|i| whole.end() + i + 1);
                    if let Some(start) = after {
                        let end = text[start..]
                            .find('\n')
                            .map(|i| start + i)
                            .unwrap_or(text.len());
                        out.regions.push((TextRange::new(start, end), list));
                    }
                }
                "disable" => open.push((whole.end(), list)),
                _ => {
                    // enable: closes every open region.
                    for (start, l) in open.drain(..) {
                        out.regions.push((TextRange::new(start, whole.start()), l));
                    }
                }
            }
        }
        for (start, l) in open {
            out.regions.push((TextRange::new(start, text.len()), l));
        }
        out
    }

    pub fn suppresses(&self, d: &Diagnostic) -> bool {
        self.suppresses_at(d.code, d.range.start)
    }

    /// Whether a diagnostic of rule `code` that starts at byte `offset` is turned off.
    pub fn suppresses_at(&self, code: &str, offset: usize) -> bool {
        self.regions.iter().any(|(r, codes)| {
            (codes.is_empty() || codes.contains(&code)) && r.start <= offset && offset <= r.end
        })
    }

    /// No suppression comment in the document.
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }
}
