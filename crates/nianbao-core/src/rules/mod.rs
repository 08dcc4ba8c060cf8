//! The checks. One rule per file; this module holds the registry and runs them.
//!
//! A rule reads the [`Report`] (and the text) through a [`Context`] and pushes
//! [`Diagnostic`]s. Work shared by several rules (evaluating the arithmetic identities) is
//! done once per run and cached in the context.

use std::sync::OnceLock;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::model::Report;
use crate::text::TextRange;

pub mod arith;
pub mod config;
mod docs;
pub mod fix;
mod names;
pub mod suppress;

mod nb001_cells_glued;
mod nb002_row_incomplete;
mod nb003_row_ambiguous;
mod nb004_row_too_long;
mod nb005_group_has_values;
mod nb006_table_duplicate;
mod nb007_legacy_format;
mod nb101_section_missing;
mod nb102_section_order;
mod nb103_section_duplicate;
mod nb104_section_title_noncanonical;
mod nb105_heading_numbering;
mod nb106_section_empty;
mod nb107_fee_statement_missing;
mod nb108_title_missing;
mod nb109_year_missing;
mod nb110_year_mismatch;
mod nb111_format_version_mismatch;
mod nb201_table_missing;
mod nb202_row_missing;
mod nb203_extra_row;
mod nb204_blank_cell;
mod nb205_placeholder_cell;
mod nb206_non_numeric_cell;
mod nb207_negative_count;
mod nb208_fractional_count;
mod nb209_money_format;
mod nb210_label_variant;
mod nb301_t3_balance;
mod nb302_t3_outcome_sum;
mod nb303_t3_row_total;
mod nb304_t4_total;
mod nb305_sum_unverifiable;
mod nb401_prose_table_mismatch;
mod nb402_carry_over_mismatch;
mod nb403_in_force_rollforward;
mod nb501_mojibake;
mod nb502_injected_text;

pub use config::{Config, ConfigError, Settings};

/// Rule families, by the hundreds digit of the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// NB0xx: the text could not be read as the format requires.
    Reading,
    /// NB1xx: title, year, sections, format version.
    Structure,
    /// NB2xx: tables, rows and cells.
    Table,
    /// NB3xx: arithmetic identities.
    Arithmetic,
    /// NB4xx: prose against tables; this year against last year.
    Consistency,
    /// NB5xx: damaged or hacked text.
    Hygiene,
}

impl Family {
    pub fn chinese(self) -> &'static str {
        match self {
            Family::Reading => "读取",
            Family::Structure => "结构",
            Family::Table => "表格",
            Family::Arithmetic => "勾稽关系",
            Family::Consistency => "一致性",
            Family::Hygiene => "文本卫生",
        }
    }
}

/// What a rule is: its code, name, default severity and documentation.
#[derive(Debug, serde::Serialize)]
pub struct RuleMeta {
    /// `NB` + 3 digits; never reused.
    pub code: &'static str,
    /// English kebab-case name.
    pub name: &'static str,
    pub family: Family,
    pub default_severity: Severity,
    /// The fix the rule can offer, if any.
    pub fix: Option<Applicability>,
    /// One line in Chinese.
    pub summary: &'static str,
    /// The rule checks a pair of reports (this year and last year).
    pub cross_year: bool,
}

impl RuleMeta {
    /// The rule's documentation page (Markdown: 检查内容 / 为什么 / 示例 / 修复).
    pub fn doc(&self) -> &'static str {
        docs::doc(self.code)
    }

    /// Where the documentation is published.
    pub fn doc_url(&self) -> String {
        format!("{DOCS_BASE_URL}{}.md", self.code)
    }
}

/// The published rule pages (`docs/rules/<code>.md` in the repository).
pub const DOCS_BASE_URL: &str = "https://github.com/nianbao-lint/nianbao/blob/main/docs/rules/";

/// A check.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Every rule, in code order.
pub fn registry() -> &'static [&'static dyn Rule] {
    static ALL: &[&dyn Rule] = &[
        &nb001_cells_glued::CellsGlued,
        &nb002_row_incomplete::RowIncomplete,
        &nb003_row_ambiguous::RowAmbiguous,
        &nb004_row_too_long::RowTooLong,
        &nb005_group_has_values::GroupHasValues,
        &nb006_table_duplicate::TableDuplicate,
        &nb007_legacy_format::LegacyFormat,
        &nb101_section_missing::SectionMissing,
        &nb102_section_order::SectionOrder,
        &nb103_section_duplicate::SectionDuplicate,
        &nb104_section_title_noncanonical::SectionTitleNoncanonical,
        &nb105_heading_numbering::HeadingNumbering,
        &nb106_section_empty::SectionEmpty,
        &nb107_fee_statement_missing::FeeStatementMissing,
        &nb108_title_missing::TitleMissing,
        &nb109_year_missing::YearMissing,
        &nb110_year_mismatch::YearMismatch,
        &nb111_format_version_mismatch::FormatVersionMismatch,
        &nb201_table_missing::TableMissing,
        &nb202_row_missing::RowMissing,
        &nb203_extra_row::ExtraRow,
        &nb204_blank_cell::BlankCell,
        &nb205_placeholder_cell::PlaceholderCell,
        &nb206_non_numeric_cell::NonNumericCell,
        &nb207_negative_count::NegativeCount,
        &nb208_fractional_count::FractionalCount,
        &nb209_money_format::MoneyFormat,
        &nb210_label_variant::LabelVariant,
        &nb301_t3_balance::T3Balance,
        &nb302_t3_outcome_sum::T3OutcomeSum,
        &nb303_t3_row_total::T3RowTotal,
        &nb304_t4_total::T4Total,
        &nb305_sum_unverifiable::SumUnverifiable,
        &nb401_prose_table_mismatch::ProseTableMismatch,
        &nb402_carry_over_mismatch::CarryOverMismatch,
        &nb403_in_force_rollforward::InForceRollforward,
        &nb501_mojibake::Mojibake,
        &nb502_injected_text::InjectedText,
    ];
    ALL
}

/// A rule by code (`NB301`) or name (`t3-balance`), case-insensitive.
pub fn find_rule(code_or_name: &str) -> Option<&'static RuleMeta> {
    registry().iter().map(|r| r.meta()).find(|m| {
        m.code.eq_ignore_ascii_case(code_or_name) || m.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// What a rule sees.
pub struct Context<'a> {
    pub text: &'a str,
    pub report: &'a Report,
    pub settings: &'a Settings,
    /// Last year's report by the same body, for the cross-year rules.
    pub previous: Option<(&'a str, &'a Report)>,
    arith: OnceLock<arith::Analysis<'a>>,
    notable_cells: OnceLock<Vec<KnownCell<'a>>>,
}

impl<'a> Context<'a> {
    pub fn new(text: &'a str, report: &'a Report, settings: &'a Settings) -> Self {
        Context {
            text,
            report,
            settings,
            previous: None,
            arith: OnceLock::new(),
            notable_cells: OnceLock::new(),
        }
    }

    pub fn with_previous(mut self, text: &'a str, report: &'a Report) -> Self {
        self.previous = Some((text, report));
        self
    }

    /// The identities that fail and the findings (computed on first use, shared by the
    /// NB3xx rules; [`arith::analyse`] has the ones that hold too).
    pub fn arith(&self) -> &arith::Analysis<'a> {
        self.arith
            .get_or_init(|| arith::analyse_failing(self.text, self.report, self.settings))
    }

    /// The cells of known rows that one of the cell rules (NB204–NB209) may flag: every
    /// cell except a whole, non-negative number outside a money column — which is nearly
    /// all of them. Computed on first use, so the six rules walk the tables (and look up
    /// each cell's column) once between them instead of six times.
    pub(crate) fn notable_cells(&self) -> &[KnownCell<'a>] {
        self.notable_cells.get_or_init(|| {
            known_cells(self.report)
                .filter(|(_, _, c, col)| {
                    let plain = c.state == crate::model::CellState::Number
                        && c.value.is_some_and(|v| v.mantissa >= 0 && v.is_integer())
                        && !col.is_some_and(|col| col.ty == crate::schema::CellType::Money);
                    !plain
                })
                .collect()
        })
    }

    /// A diagnostic's `data`: `make()`, or `null` when the caller does not want it
    /// ([`Settings::data`]).
    pub fn data(&self, make: impl FnOnce() -> serde_json::Value) -> serde_json::Value {
        if self.settings.data {
            make()
        } else {
            serde_json::Value::Null
        }
    }

    /// A diagnostic of `meta` with the configured severity.
    pub fn diag(&self, meta: &'static RuleMeta, range: TextRange, message: String) -> Diagnostic {
        Diagnostic {
            code: meta.code,
            rule: meta.name,
            severity: self.settings.severity_of(meta),
            message,
            range,
            related: Vec::new(),
            data: serde_json::Value::Null,
            fix: None,
        }
    }
}

/// Runs every enabled rule over a parsed report and returns the diagnostics sorted by
/// position, with in-document suppressions applied.
///
/// A document that holds several reports one after another ([`crate::parts`]) is checked
/// a report at a time: `report` is then not used, each report is read on its own.
pub fn check(text: &str, report: &Report, settings: &Settings) -> Vec<Diagnostic> {
    check_with_optional_previous(text, report, None, settings)
}

/// [`check`] plus the cross-year rules against last year's report by the same body.
pub fn check_with_previous(
    text: &str,
    report: &Report,
    previous_text: &str,
    previous: &Report,
    settings: &Settings,
) -> Vec<Diagnostic> {
    check_with_optional_previous(text, report, Some((previous_text, previous)), settings)
}

/// [`check_with_previous`] when last year's report (text, report) is given, else [`check`].
/// Last year's report is compared with a document of one report only: in a document of
/// several reports (several bodies) it is not used.
pub fn check_with_optional_previous(
    text: &str,
    report: &Report,
    previous: Option<(&str, &Report)>,
    settings: &Settings,
) -> Vec<Diagnostic> {
    check_document(text, report, previous, settings).0
}

/// [`check_with_optional_previous`], also telling how many reports the text holds (the
/// number of its [`crate::parts`], found once for both).
pub fn check_document(
    text: &str,
    report: &Report,
    previous: Option<(&str, &Report)>,
    settings: &Settings,
) -> (Vec<Diagnostic>, usize) {
    let parts = crate::parts(text);
    let mut out = if let [_] = parts[..] {
        check_report(text, report, previous, settings)
    } else {
        let mut out = Vec::new();
        for p in &parts {
            let t = p.slice(text);
            let mut ds = check_report(t, &crate::parse(t), None, settings);
            ds.iter_mut().for_each(|d| d.offset_by(p.start));
            out.extend(ds);
        }
        out
    };
    apply_suppressions(text, &mut out);
    (out, parts.len())
}

/// The checks of one report (`text` is the report alone: one of [`crate::parts`]), sorted
/// by position, before the document's suppression comments apply ([`apply_suppressions`]).
/// For callers that keep each report's results of a document of several, such as the
/// language server.
pub fn check_report(
    text: &str,
    report: &Report,
    previous: Option<(&str, &Report)>,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let cx = Context::new(text, report, settings);
    run(match previous {
        Some((pt, pr)) => cx.with_previous(pt, pr),
        None => cx,
    })
}

/// Drops the diagnostics that the document's suppression comments
/// (`<!-- nianbao-disable … -->`) turn off. `text` is the whole document.
pub fn apply_suppressions(text: &str, diags: &mut Vec<Diagnostic>) {
    let sup = suppress::Suppressions::parse(text);
    diags.retain(|d| !sup.suppresses(d));
}

fn run(cx: Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in registry() {
        let meta = rule.meta();
        if !cx.settings.is_enabled(meta) || (meta.cross_year && cx.previous.is_none()) {
            continue;
        }
        rule.check(&cx, &mut out);
    }
    // Stable: diagnostics at one place keep the order their rule emitted them in.
    out.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    out.dedup();
    out
}

/// Parses and checks `text`.
///
/// ```
/// let (report, diags) = nianbao_core::lint("一、总体情况\n本年度……\n", &Default::default());
/// assert_eq!(report.sections.len(), 1);
/// assert!(diags.iter().any(|d| d.code == "NB101")); // sections 二 … 六 are missing
/// ```
pub fn lint(text: &str, settings: &Settings) -> (Report, Vec<Diagnostic>) {
    let report = crate::parse(text);
    let diags = check(text, &report, settings);
    (report, diags)
}

/// Reports the reader's issues of one kind as diagnostics of `meta` (the NB0xx rules).
fn report_parse_issues(
    cx: &Context<'_>,
    kind: crate::model::ParseIssueKind,
    meta: &'static RuleMeta,
    out: &mut Vec<Diagnostic>,
) {
    for i in cx.report.issues.iter().filter(|i| i.kind == kind) {
        let mut d = cx.diag(meta, i.range, i.message.clone());
        d.data = match &i.cell {
            Some(c) => cx.data(|| serde_json::json!({ "row": c })),
            None => serde_json::Value::Null,
        };
        out.push(d);
    }
}

/// A cell of a row the schema knows, with its table, row and column schema.
pub(crate) type KnownCell<'r> = (
    &'r crate::model::Table,
    &'r crate::model::Row,
    &'r crate::model::Cell,
    Option<&'static crate::schema::ColumnSchema>,
);

/// Every cell of a known row, with its column's type (for the NB2xx cell rules).
fn known_cells<'r>(report: &'r Report) -> impl Iterator<Item = KnownCell<'r>> + 'r {
    report.tables.iter().flat_map(|t| {
        // The table's shape, looked up once per table rather than once per cell.
        let shape = crate::schema::schema()
            .table_shapes(t.id)
            .find(|s| t.shape.is_none() || s.version == t.shape);
        t.rows
            .iter()
            .filter(|r| r.key.is_some())
            .flat_map(move |r| {
                r.cells
                    .iter()
                    .map(move |c| (t, r, c, shape.and_then(|s| s.column(c.column))))
            })
    })
}

/// `t3.r1_new.natural_person`
fn cell_ref(t: &crate::model::Table, r: &crate::model::Row, c: &crate::model::Cell) -> String {
    format!("{}.{}.{}", t.id, r.key.unwrap_or("?"), c.column)
}
