//! `nianbao-core` reads Chinese government information-disclosure annual reports
//! (政府信息公开工作年度报告) into a model — title, year, format version, the six sections,
//! and tables 二/三/四 as grids of cells with exact byte ranges — and checks them.
//!
//! The crate does no I/O and knows nothing of editors or terminals: give it text, get a
//! [`Report`]. Parsing never fails; what cannot be read is described in
//! [`Report::issues`].
//!
//! ```
//! let report = nianbao_core::parse("三、收到和处理政府信息公开申请情况\n\
//!     一、本年新收政府信息公开申请数量\t64\t3\t1\t0\t1\t0\t69\n");
//! let cell = report.cell("t3.r1_new.total").unwrap();
//! assert_eq!(cell.as_i64(), Some(69));
//! assert_eq!(cell.range.slice("三、收到和处理政府信息公开申请情况\n\
//!     一、本年新收政府信息公开申请数量\t64\t3\t1\t0\t1\t0\t69\n"), "69");
//! ```

pub mod diagnostic;
pub mod fold;
pub mod grammar;
pub mod model;
mod parse;
mod phrases;
pub mod rules;
pub mod schema;
pub mod template;
pub mod text;

/// The type of [`Cell::raw`]: an inline string that derefs to `&str`.
pub use compact_str::CompactString;
pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Related, Severity};
pub use model::{
    Cell, CellState, Format, IssuingBody, LabelMatch, Layout, Node, ParseIssue, ParseIssueKind,
    Period, Report, Row, Section, Table, Title, Year, YearSource,
};
pub use parse::{parse, parts};
pub use rules::{
    Config, Settings, check, check_document, check_with_optional_previous, check_with_previous,
    lint,
};
pub use schema::{FormatVersion, schema};
pub use text::{LineCol, LineIndex, TextRange};

/// Builds the tables every check shares — the Traditional → Simplified fold table, the
/// label vocabulary, the heading and keyword automata, the compiled identities — by
/// checking a blank report of the current format. They are otherwise built by the first
/// check that needs them (about 10 ms), while any other thread that needs them waits. For
/// callers with a spare thread at start-up: the CLI warms up while it walks the folders.
/// Calling it again costs one check of a small report.
pub fn warm_up() {
    let text = template::skeleton(2025, "某某局", template::Markup::Text);
    let report = parse(&text);
    let _ = check(&text, &report, &Settings::default());
}
