//! Applying fixes: text edits on byte ranges, applied back to front; overlapping edits
//! are skipped (a later run picks them up).

use crate::diagnostic::{Applicability, Diagnostic, Edit};

/// The result of applying fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Diagnostics whose fix was applied.
    pub applied: usize,
}

/// Applies the fixes of `diags` to `text`: safe ones, and unsafe ones too when
/// `include_unsafe`. Identical edits from several diagnostics are applied once.
pub fn apply(text: &str, diags: &[Diagnostic], include_unsafe: bool) -> Fixed {
    let mut edits: Vec<(&Edit, usize)> = Vec::new();
    let mut applied = 0;
    for (i, d) in diags.iter().enumerate() {
        let Some(f) = &d.fix else { continue };
        if f.applicability == Applicability::Unsafe && !include_unsafe {
            continue;
        }
        // All of a fix's edits, or none.
        let clash = f.edits.iter().any(|e| {
            edits.iter().any(|(o, _)| {
                *o != e
                    && o.range.start < e.range.end.max(e.range.start + 1)
                    && e.range.start < o.range.end.max(o.range.start + 1)
            })
        });
        if clash
            || f.edits.iter().any(|e| {
                e.range.end > text.len()
                    || !text.is_char_boundary(e.range.start)
                    || !text.is_char_boundary(e.range.end)
            })
        {
            continue;
        }
        applied += 1;
        for e in &f.edits {
            if !edits.iter().any(|(o, _)| *o == e) {
                edits.push((e, i));
            }
        }
    }
    edits.sort_by_key(|(e, _)| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for (e, _) in &edits {
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.new_text);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    Fixed { text: out, applied }
}

/// Checks and fixes `text` repeatedly until no fix applies (overlapping fixes wait for the
/// next pass; at most 8 passes). `previous` is last year's report, for the cross-year
/// rules. Returns the fixed text and how many fixes were applied.
///
/// ```
/// let text = "某局2023年政府信息公开工作年度报告\n1、总体情况\n正文\n";
/// let (fixed, n) = nianbao_core::rules::fix::fix_all(text, &Default::default(), None, false);
/// assert_eq!(n, 1);
/// assert!(fixed.contains("一、总体情况"));
/// ```
pub fn fix_all(
    text: &str,
    settings: &crate::Settings,
    previous: Option<(&str, &crate::Report)>,
    include_unsafe: bool,
) -> (String, usize) {
    fix_with(text, include_unsafe, |cur| {
        crate::check_with_optional_previous(cur, &crate::parse(cur), previous, settings)
    })
}

/// How many rounds of fixes [`fix_all`] and [`fix_with`] apply at most.
pub const MAX_ROUNDS: usize = 8;

/// [`fix_all`] with the checking done by `lint` — for a text read from another form (a
/// web page), whose diagnostics the caller maps back to that form.
pub fn fix_with(
    text: &str,
    include_unsafe: bool,
    mut lint: impl FnMut(&str) -> Vec<Diagnostic>,
) -> (String, usize) {
    let mut cur = text.to_string();
    let mut total = 0;
    for _ in 0..MAX_ROUNDS {
        let diags = lint(&cur);
        let f = apply(&cur, &diags, include_unsafe);
        if f.applied == 0 || f.text == cur {
            break;
        }
        total += f.applied;
        cur = f.text;
    }
    (cur, total)
}
