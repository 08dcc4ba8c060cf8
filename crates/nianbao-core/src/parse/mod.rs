//! Reading a report: text → [`Report`]. Never fails.

mod glued;
mod inline;
mod meta;
mod parts;
mod sections;
mod slots;
mod tables;
mod version;
pub(crate) mod vocab;

pub use parts::parts;

use crate::model::{ParseIssue, ParseIssueKind, Report};
use crate::schema::FormatVersion;
use crate::text::{TextRange, lines};

/// Reads `text` into a [`Report`]. Never fails and never panics: whatever cannot be read
/// is left out of the model and described in [`Report::issues`].
///
/// ```
/// let text = "某某局2023年政府信息公开工作年度报告\n一、总体情况\n……\n四、政府信息公开行政复议、行政诉讼情况\n\
///             行政复议\t行政诉讼\n0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n";
/// let report = nianbao_core::parse(text);
/// assert_eq!(report.year.as_ref().unwrap().value, 2023);
/// assert_eq!(report.sections.len(), 2);
/// assert_eq!(report.cell("t4.cases.rev_total").unwrap().as_i64(), Some(0));
/// ```
pub fn parse(text: &str) -> Report {
    let lines = lines(text);
    let sections = sections::find(text, &lines);
    let meta = meta::find(text, &lines, &sections);
    let mut skip: Vec<TextRange> = sections
        .iter()
        .filter(|s| !s.inline)
        .map(|s| s.heading_range)
        .collect();
    if let Some(t) = &meta.title {
        skip.push(t.range);
    }
    skip.sort_by_key(|r| r.start);
    let slots = slots::tokenize(text, &lines, &skip);
    let slots = inline::expand(text, slots, &sections);
    let items = tables::classify(text, slots);
    let year_version = meta
        .year
        .as_ref()
        .and_then(|y| FormatVersion::expected_for_year(y.value));
    let (tables, mut issues) = tables::read(text, &items, year_version);
    let format = version::detect(&tables, meta.year.as_ref(), &sections, text);
    if format.legacy {
        issues.push(ParseIssue {
            kind: ParseIssueKind::LegacyFormat,
            range: meta
                .title
                .as_ref()
                .map(|t| t.range)
                .unwrap_or(TextRange::empty(0)),
            message:
                "这是2019年以前格式的年度报告（概述、依申请公开政府信息情况等），不在检查范围内"
                    .into(),
            cell: None,
        });
    }
    let mut seen = Vec::new();
    for t in &tables {
        if seen.contains(&t.id) {
            issues.push(ParseIssue {
                kind: ParseIssueKind::TableDuplicate,
                range: t.range,
                message: format!("表格 {} 出现了不止一次；检查以第一次出现的为准", t.id),
                cell: None,
            });
        }
        seen.push(t.id);
    }
    issues.sort_by_key(|i| i.range.start);
    Report {
        source_len: text.len(),
        title: meta.title,
        year: meta.year,
        period: meta.period,
        body: meta.body,
        format,
        sections,
        tables,
        issues,
    }
}
