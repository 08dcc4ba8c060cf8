//! ProseTableMismatch (NB401 `prose-table-mismatch`): numbers stated in the prose disagree
//! with the tables.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::fold::{FoldMode, fold, fold_str};
use crate::model::{CellState, Report};
use crate::phrases;
use crate::rules::names::cell_name;
use crate::text::{TextRange, line_around, needles};

pub(crate) struct ProseTableMismatch;

static META: RuleMeta = RuleMeta {
    code: "NB401",
    name: "prose-table-mismatch",
    family: Family::Consistency,
    default_severity: Severity::Warning,
    fix: None,
    summary: "正文中的数字与表格不一致",
    cross_year: false,
};

fn int(report: &Report, r: &str) -> Option<(i64, TextRange)> {
    let c = report.cell(r)?;
    (c.state == CellState::Number)
        .then_some((c.as_i64()?, c.range))?
        .into()
}

/// Words every pattern of this rule needs (Simplified and Traditional): a paragraph
/// without any of them is not folded.
const KEYS: [&str; 8] = [
    "申请", "申請", "复议", "復議", "诉讼", "訴訟", "办结", "辦結",
];

/// Calls `found` with each line of `text[from..to]` (with its `\n`) that holds one of
/// [`KEYS`], in order: one search for the keys, and each line with a match once.
fn key_lines(text: &str, from: usize, to: usize, mut found: impl FnMut(TextRange)) {
    let s = &text[from..to];
    // The end of the last line found: later matches before it are in that line.
    let mut next = 0;
    needles!(KEYS).each(s, |p| {
        if p < next {
            return;
        }
        let line = line_around(s, p);
        next = (line.end + 1).min(s.len());
        found(TextRange::new(from + line.start, from + next));
    });
}

/// The prose of the report: its lines outside tables that may hold a pattern, with their
/// folds (without source maps: most lines match nothing, or only what agrees with the
/// tables).
fn prose(cx: &Context<'_>) -> Vec<(TextRange, String)> {
    let mut cuts: Vec<TextRange> = cx.report.tables.iter().map(|t| t.range).collect();
    cuts.sort_by_key(|r| r.start);
    let mut out = Vec::new();
    let mut pos = 0;
    for c in cuts
        .iter()
        .chain(std::iter::once(&TextRange::empty(cx.text.len())))
    {
        if c.start > pos {
            key_lines(cx.text, pos, c.start, |r| {
                out.push((r, fold_str(r.slice(cx.text), FoldMode::Light)));
            });
        }
        pos = pos.max(c.end);
    }
    out
}

impl Rule for ProseTableMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let r = cx.report;
        let received = int(r, "t3.r1_new.total");
        let carried = int(r, "t3.r4_carried_out.total");
        let t4 = |c: &str| int(r, &format!("t4.cases.{c}"));
        let review = t4("rev_total");
        let lit = match (t4("lit_direct_total"), t4("lit_after_rev_total")) {
            (Some(a), Some(b)) => Some((a.0 + b.0, a.1)),
            _ => None,
        };
        // Cases in table 四: the three totals.
        let any_case = ["rev_total", "lit_direct_total", "lit_after_rev_total"]
            .iter()
            .map(|c| t4(c).map(|(v, _)| v))
            .sum::<Option<i64>>()
            .filter(|s| *s > 0);
        let mut push = |range: TextRange,
                        msg: String,
                        cell: Option<(&str, TextRange)>,
                        data: &dyn Fn() -> serde_json::Value| {
            let mut d = cx.diag(&META, range, msg);
            if let Some((name, cr)) = cell {
                d.related.push(Related {
                    message: format!("表格中的{name}"),
                    range: cr,
                    in_previous: false,
                });
            }
            d.data = cx.data(data);
            out.push(d);
        };
        for (line, t) in prose(cx) {
            let t = t.as_str();
            // The line's source map, made for the first finding in it.
            let map = std::cell::OnceCell::new();
            let span = |m: std::ops::Range<usize>| {
                map.get_or_init(|| fold(cx.text, line, FoldMode::Light))
                    .source_range(m.start, m.end)
            };
            if let Some((total, cr)) = received {
                for (whole, num) in phrases::received(t) {
                    let n: i64 = t[num].parse().unwrap_or(-1);
                    if n >= 0 && n != total {
                        let name = cell_name("t3", "r1_new", "total");
                        push(
                            span(whole),
                            format!("正文说收到申请 {n} 件，但{name}为 {total}"),
                            Some((&name, cr)),
                            &|| serde_json::json!({ "cell": "t3.r1_new.total", "prose": n, "table": total }),
                        );
                    }
                }
                if total > 0
                    && let Some(m) = phrases::none_received(t)
                {
                    let name = cell_name("t3", "r1_new", "total");
                    push(
                        span(m.clone()),
                        format!("正文说“{}”，但{name}为 {total}", &t[m]),
                        Some((&name, cr)),
                        &|| serde_json::json!({ "cell": "t3.r1_new.total", "prose": 0, "table": total }),
                    );
                }
            }
            for (val, what, cell) in [
                (review, "行政复议", "t4.cases.rev_total"),
                (
                    lit,
                    "行政诉讼",
                    "t4.cases.lit_direct_total+lit_after_rev_total",
                ),
            ] {
                let Some((total, cr)) = val else { continue };
                for (whole, num) in phrases::cases(t, what) {
                    let n: i64 = t[num].parse().unwrap_or(-1);
                    if n >= 0 && n != total {
                        push(
                            span(whole),
                            format!("正文说{what} {n} 件，但表四中{what}合计为 {total}"),
                            Some((&format!("{what}合计"), cr)),
                            &|| serde_json::json!({ "cell": cell, "prose": n, "table": total }),
                        );
                    }
                }
            }
            if let Some(sum) = any_case
                && let Some(m) = phrases::none_cases(t)
            {
                push(
                    span(m.clone()),
                    format!("正文说“{}”，但表四中共有 {sum} 件行政复议、行政诉讼", &t[m]),
                    None,
                    &|| serde_json::json!({ "table": "t4", "prose": 0, "sum": sum }),
                );
            }
            if let Some((n, cr)) = carried.filter(|(n, _)| *n > 0)
                && let Some(m) = phrases::all_closed(t)
            {
                let name = cell_name("t3", "r4_carried_out", "total");
                push(
                    span(m.clone()),
                    format!("正文说“{}”，但{name}为 {n}，仍有申请结转下年度办理", &t[m]),
                    Some((&name, cr)),
                    &|| serde_json::json!({ "cell": "t3.r4_carried_out.total", "table": n }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain way: every line of the stretch that contains a key.
    fn naive(text: &str, from: usize, to: usize) -> Vec<TextRange> {
        let mut at = from;
        let mut out = Vec::new();
        for line in text[from..to].split_inclusive('\n') {
            let r = TextRange::new(at, at + line.len());
            at = r.end;
            if KEYS.iter().any(|k| line.contains(k)) {
                out.push(r);
            }
        }
        out
    }

    fn scanned(text: &str, from: usize, to: usize) -> Vec<TextRange> {
        let mut out = Vec::new();
        key_lines(text, from, to, |r| out.push(r));
        out
    }

    #[test]
    fn finds_the_lines_with_a_key() {
        let text = "一、总体情况\n本年度收到申请 12 件。\n辦結 3 件\n复\n议\n申請";
        assert_eq!(
            scanned(text, 0, text.len()),
            vec![
                TextRange::new(19, 51),
                TextRange::new(51, 64),
                TextRange::new(72, 78),
            ]
        );
        assert_eq!(scanned(text, 0, text.len()), naive(text, 0, text.len()));
    }

    proptest! {
        #[test]
        fn agrees_with_a_search_for_each_key(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("申"), Just("请"), Just("申请"), Just("申請"), Just("复议"),
                    Just("復議"), Just("诉讼"), Just("訴訟"), Just("办结"), Just("辦結"),
                    Just("\n"), Just("a"), Just("é"), Just("😀"), Just("年"), Just("办"),
                ],
                0..40,
            ),
            cut in 0usize..40,
        ) {
            let text: String = parts.concat();
            // A stretch from a char boundary to the end, as between two tables.
            let from = text.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(text.len());
            prop_assert_eq!(scanned(&text, from, text.len()), naive(&text, from, text.len()));
            prop_assert_eq!(scanned(&text, 0, from), naive(&text, 0, from));
        }
    }
}
