//! Round trips over the five sample reports: the same report, written in another table
//! layout or in the other script, must read to the same table values.
//!
//! * **Re-rendering.** Each sample is parsed; from the model a synthetic report is built:
//!   the title line (if any), the section headings as written, a short prose line per
//!   section (the first line of its body, or a fixed sentence before and after the tables),
//!   and tables 二/三/四 written from the parsed cells in one of the plain-text layouts of
//!   spec §8, with the official captions, headers and row labels (Simplified, from
//!   [`nianbao_core::schema`]) and the cells' raw text (blank cells empty). The synthetic
//!   report is parsed again, and must give
//!   - for every table cell, (table, row key, column) → (state, value, unit) equal to the
//!     original's (raw text is not compared);
//!   - the same section keys and the same list of tables;
//!   - the same reading issues (kind, cell) as the original, plus the `RowIncomplete`
//!     expected for rows the layout cannot write (below);
//!   - `Table::layout` naming the layout the table was written in (a separate check, so
//!     that a wrong label does not hide wrong values).
//!
//!   Every layout is run in three variants: `L` (the sample's values), `L+distinct` (every
//!   number replaced by a different one, 1, 2, 3 …, since most sample cells are 0 and a
//!   value read from the wrong column would otherwise go unnoticed), and `L+s2t` (the
//!   synthetic report converted to Traditional with OpenCC `s2t`).
//! * **Table diagnostics.** Each sample with one table-三 number increased by 1 in the
//!   model (before rendering, so every layout gets the same change) is linted in the layout
//!   its own table 三 was written in and in every layout, plain and `s2t`: the NB2xx/NB3xx
//!   diagnostics, as a multiset of (code, cell or row, identity), must agree, and no layout
//!   may get a safe arithmetic fix the reference does not (see
//!   `table_diagnostics_agree_across_layouts`).
//! * **Script conversion.** The whole original text converted Simplified → Traditional
//!   (OpenCC `s2t`, all five samples) and Traditional → Simplified (`t2s`, the Traditional
//!   samples 000 and 004) must read to the same cells, section keys, tables and issues.
//!
//! How each layout writes the grid. The official grid: table 二 is 4 columns wide (caption
//! row, header row, data rows for each sub-table; a single value column spans 3), 三 is 10
//! (three header rows as in spec §4.3; a group label such as 三、本年度办理结果 or （三）不予公开
//! is a rowspan cell in the physical row of its first child), 四 is 15 (three header rows,
//! then the 15 values).
//!
//! | layout | cells | blank cell | merged positions |
//! |---|---|---|---|
//! | 8.1 | one line `text \|` per cell | `\|` | a line of k pipes after each row, k = width − cells written (as in 000/004) |
//! | 8.2 | one TAB-separated line per row | empty field | every covered grid column (rowspan and colspan) is an empty field (as in 001's table 二) |
//! | 8.2c | one TAB-separated line per row | empty field | one empty field per rowspan cell from above, none for colspans (as in the §8.2 example) |
//! | 8.3 | one line per cell, blank line between cells | cannot be written | not written |
//! | 8.4 | one `⇥text` line per cell, blank line after each row | `⇥` | one `⇥` line per rowspan cell from above; colspans not written (as in 003) |
//! | 8.5 | `a \| b \| c \|` | `\|` alone | not written |
//! | 8.6 | `\| a \| b \| c \|` | empty between pipes | every covered grid column is an empty cell |
//! | 8.7 | cell line, then a `\|` line | `\|` line alone | not written |
//! | t4-space | table 四 only: each row's cells on one line, separated by spaces (tables 二/三 as 8.1) | cannot be written | not written |
//!
//! 8.3 cannot express a blank cell (spec §8.3: "an empty cell is invisible"). Sample 004
//! has blank cells in four rows of table 三; under 8.3 those rows are checked differently:
//! the parser must report `RowIncomplete` for the row, read the row's non-blank values in
//! order, and mark as `Missing` as many trailing cells as there were blanks. Every other
//! row must still match exactly. (The same rule would apply to a blank table-四 cell under
//! t4-space; no sample has one.)
//!
//! Combinations the parser currently gets wrong are listed in [`KNOWN_FAILURES`]; each is
//! asserted to still fail, so a parser fix makes the test say which entry to remove.
//! Set `RERENDER_DUMP=1` to print the whole rendered text of a failing combination.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use nianbao_core::grammar::{Decimal, Unit};
use nianbao_core::schema;
use nianbao_core::{CellState, ParseIssueKind, Report, Table};
use nianbao_tests::grid::{
    Grid, Labels, Pos, T3_NOTE, grid_fields, grid_t2, grid_t3, grid_t4, section_grid,
};

const SAMPLES: [&str; 5] = [
    "000_50e7ba10f32f5ee2.txt",
    "001_db8b9a3c8d2b1499.txt",
    "002_596eb627cbefc53e.txt",
    "003_dfabd5f7c7b088c2.txt",
    "004_cf43867c2f1e63a9.txt",
];

/// The samples written in Traditional characters.
const TRADITIONAL_SAMPLES: [&str; 2] = ["000_50e7ba10f32f5ee2.txt", "004_cf43867c2f1e63a9.txt"];

/// What a round trip checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Cell states/values/units, section keys, the list of tables, reading issues.
    Values,
    /// `Table::layout` names the layout the table was written in.
    LayoutLabel,
    /// The table diagnostics (NB2xx, NB3xx) of a mutated report are the same in every
    /// layout.
    Diagnostics,
    /// The arithmetic rules offer no safe fix that they do not offer for the reference
    /// layout.
    SafeFixes,
}

/// A combination the parser is known to get wrong.
struct KnownFailure {
    /// A sample file name, or `*` for every sample.
    sample: &'static str,
    /// A [`Layout::name`], optionally followed by `+distinct` or `+s2t`; or `s2t`/`t2s`
    /// for the whole-text script conversions.
    variant: &'static str,
    check: Check,
}

/// Combinations the parser (or the checks) currently get wrong. Each entry is asserted to
/// still fail; when the code is fixed, the test fails and names the entry to remove. Every
/// layout reads right ([`Check::Values`], [`Check::LayoutLabel`]).
const KNOWN_FAILURES: &[KnownFailure] = &[];

// ---------------------------------------------------------------------------------------
// Layouts and the grid model
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// §8.1 pipe, one cell per line, `|||` padding lines.
    Pipe,
    /// §8.2 TAB-separated rows, every merged grid column an empty field.
    TabRows,
    /// §8.2 TAB-separated rows as in the spec's example: an empty field per rowspan cell
    /// from above, none for colspans.
    TabRowsCompact,
    /// §8.3 one cell per line, blank line between cells.
    CellPerLine,
    /// §8.4 TAB-indented cell per line, blank line between rows.
    TabIndented,
    /// §8.5 `a | b | c |` rows.
    PipeRows,
    /// §8.6 `| a | b | c |` rows.
    Markdown,
    /// §8.7 cell line and `|` line alternating.
    Alternating,
    /// Table 四 with its header rows and its 15 values each on one line, separated by
    /// spaces (tables 二 and 三 as §8.1).
    SpaceT4,
}

/// Every layout, in spec order.
const LAYOUTS: [Layout; 9] = [
    Layout::Pipe,
    Layout::TabRows,
    Layout::TabRowsCompact,
    Layout::CellPerLine,
    Layout::TabIndented,
    Layout::PipeRows,
    Layout::Markdown,
    Layout::Alternating,
    Layout::SpaceT4,
];

impl Layout {
    /// The layout a table read as `l` was written in (§8.5 for both pipe-row forms; §8.1
    /// for crawled text whose line breaks were lost).
    fn from_model(l: nianbao_core::Layout) -> Layout {
        use nianbao_core::Layout as M;
        match l {
            M::PipeCellPerLine | M::Inline => Layout::Pipe,
            M::TabRows => Layout::TabRows,
            M::CellPerLine => Layout::CellPerLine,
            M::TabIndented => Layout::TabIndented,
            M::PipeRows => Layout::PipeRows,
            M::PipeAlternating => Layout::Alternating,
            M::SpaceSeparated => Layout::SpaceT4,
        }
    }

    /// How table `id` is written in this layout.
    fn for_table(self, id: &str) -> Layout {
        match self {
            Layout::SpaceT4 if id != "t4" => Layout::Pipe,
            l => l,
        }
    }

    /// The layout the parser should report for a table written this way.
    fn model_layout(self) -> nianbao_core::Layout {
        use nianbao_core::Layout as M;
        match self {
            Layout::Pipe => M::PipeCellPerLine,
            Layout::TabRows | Layout::TabRowsCompact => M::TabRows,
            Layout::SpaceT4 => M::SpaceSeparated,
            Layout::CellPerLine => M::CellPerLine,
            Layout::TabIndented => M::TabIndented,
            Layout::PipeRows | Layout::Markdown => M::PipeRows,
            Layout::Alternating => M::PipeAlternating,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Layout::Pipe => "8.1",
            Layout::TabRows => "8.2",
            Layout::TabRowsCompact => "8.2c",
            Layout::SpaceT4 => "t4-space",
            Layout::CellPerLine => "8.3",
            Layout::TabIndented => "8.4",
            Layout::PipeRows => "8.5",
            Layout::Markdown => "8.6",
            Layout::Alternating => "8.7",
        }
    }
}

trait RenderLayout {
    fn render(&self, layout: Layout) -> String;
}

impl RenderLayout for Grid {
    /// The grid in `layout`, each line terminated by `\n`.
    fn render(&self, layout: Layout) -> String {
        let mut out = String::new();
        for row in &self.rows {
            match layout {
                Layout::Pipe => {
                    let mut written = 0;
                    for p in row {
                        if let Pos::Cell { text, .. } = p {
                            written += 1;
                            if text.is_empty() {
                                out.push_str("|\n");
                            } else {
                                let _ = writeln!(out, "{text} |");
                            }
                        }
                    }
                    if written < self.width {
                        out.push_str(&"|".repeat(self.width - written));
                        out.push('\n');
                    }
                }
                Layout::TabRows | Layout::Markdown => {
                    let fields = grid_fields(row);
                    if layout == Layout::TabRows {
                        out.push_str(&fields.join("\t"));
                    } else {
                        out.push('|');
                        for f in fields {
                            if f.is_empty() {
                                out.push_str(" |");
                            } else {
                                let _ = write!(out, " {f} |");
                            }
                        }
                    }
                    out.push('\n');
                }
                Layout::TabRowsCompact => {
                    let fields: Vec<&str> = row
                        .iter()
                        .map(|p| match p {
                            Pos::Cell { text, .. } => text.as_str(),
                            Pos::Covered { .. } => "",
                        })
                        .collect();
                    out.push_str(&fields.join("\t"));
                    out.push('\n');
                }
                Layout::SpaceT4 => {
                    let cells: Vec<&str> = row
                        .iter()
                        .filter_map(|p| match p {
                            Pos::Cell { text, .. } if !text.is_empty() => Some(text.as_str()),
                            _ => None,
                        })
                        .collect();
                    out.push_str(&cells.join(" "));
                    out.push('\n');
                }
                Layout::CellPerLine => {
                    for p in row {
                        if let Pos::Cell { text, .. } = p
                            && !text.is_empty()
                        {
                            let _ = write!(out, "{text}\n\n");
                        }
                    }
                }
                Layout::TabIndented => {
                    for p in row {
                        match p {
                            Pos::Cell { text, .. } => {
                                let _ = writeln!(out, "\t{text}");
                            }
                            Pos::Covered { .. } => out.push_str("\t\n"),
                        }
                    }
                    out.push('\n');
                }
                Layout::PipeRows => {
                    let parts: Vec<String> = row
                        .iter()
                        .filter_map(|p| match p {
                            Pos::Cell { text, .. } if text.is_empty() => Some("|".to_string()),
                            Pos::Cell { text, .. } => Some(format!("{text} |")),
                            Pos::Covered { .. } => None,
                        })
                        .collect();
                    out.push_str(&parts.join(" "));
                    out.push('\n');
                }
                Layout::Alternating => {
                    for p in row {
                        if let Pos::Cell { text, .. } = p {
                            if !text.is_empty() {
                                out.push_str(text);
                                out.push('\n');
                            }
                            out.push_str("|\n");
                        }
                    }
                }
            }
        }
        out
    }
}

/// The first non-empty line of a section's body (used for sections without tables).
fn first_prose_line<'t>(text: &'t str, s: &nianbao_core::Section) -> Option<&'t str> {
    s.body_range
        .slice(text)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
}

/// The synthetic report: title, headings, short prose, tables in `layout`.
fn rerender(text: &str, report: &Report, layout: Layout) -> String {
    let sep = "\n";
    let mut blocks: Vec<String> = Vec::new();
    if let Some(t) = &report.title {
        blocks.push(format!("{}\n", t.text));
    }
    for s in &report.sections {
        blocks.push(format!("{}\n", s.heading));
        let Some((tables, grid)) = section_grid(report, s.key, Labels::Official) else {
            if let Some(line) = first_prose_line(text, s) {
                blocks.push(format!("{line}\n"));
            }
            continue;
        };
        blocks.push("本部分情况见下表。\n".to_string());
        blocks.push(grid.render(layout.for_table(tables[0].id)));
        blocks.push("以上为本部分统计数据。\n".to_string());
    }
    blocks.join(sep)
}

// ---------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
struct CellVal {
    state: CellState,
    value: Option<Decimal>,
    unit: Option<Unit>,
}

type Key = (String, String, String);

/// Every table cell of a report: (table, row, column) → (value, offset in the text).
fn cells(r: &Report) -> BTreeMap<Key, (CellVal, usize)> {
    let mut m = BTreeMap::new();
    for t in &r.tables {
        for row in &t.rows {
            let rk = row
                .key
                .map(str::to_string)
                .unwrap_or_else(|| format!("?{}", row.label));
            for c in &row.cells {
                m.entry((t.id.to_string(), rk.clone(), c.column.to_string()))
                    .or_insert((
                        CellVal {
                            state: c.state,
                            value: c.value,
                            unit: c.unit,
                        },
                        c.range.start,
                    ));
            }
        }
    }
    m
}

fn section_keys(r: &Report) -> Vec<&'static str> {
    r.sections.iter().map(|s| s.key).collect()
}

fn table_ids(r: &Report) -> Vec<&'static str> {
    r.tables.iter().map(|t| t.id).collect()
}

/// Lines around byte `offset` of `text`, numbered, TAB shown as ⇥, the line holding
/// `offset` marked with `>`.
fn context(text: &str, offset: usize, before: usize, after: usize) -> String {
    let offset = offset.min(text.len());
    let line_no = text[..offset].matches('\n').count();
    let lines: Vec<&str> = text.split('\n').collect();
    let from = line_no.saturating_sub(before);
    let to = (line_no + after).min(lines.len().saturating_sub(1));
    let mut s = String::new();
    for (i, l) in lines.iter().enumerate().take(to + 1).skip(from) {
        let mark = if i == line_no { '>' } else { ' ' };
        let _ = writeln!(s, "    {mark}{:4} | {}", i + 1, l.replace('\t', "⇥"));
    }
    s
}

fn show(v: Option<&CellVal>) -> String {
    match v {
        None => "no such cell".into(),
        Some(c) => {
            let mut s = format!("{:?}", c.state);
            if let Some(x) = c.value {
                let _ = write!(s, " {x}");
            }
            if let Some(u) = c.unit {
                let _ = write!(s, " {u:?}");
            }
            s
        }
    }
}

/// Where in the synthetic text to show context for a cell that is missing there.
fn locate(got: &Report, text: &str, key: &Key) -> usize {
    if let Some(t) = got.tables.iter().find(|t| t.id == key.0) {
        if let Some(r) = t.row(&key.1) {
            return r.label_range.start;
        }
        return t.range.start;
    }
    // The official label of the row, as rendered.
    let s = schema();
    s.table_shapes(&key.0)
        .find_map(|ts| ts.row(&key.1))
        .and_then(|r| text.find(r.label))
        .unwrap_or(0)
}

fn values(msg: String) -> (Check, String) {
    (Check::Values, msg)
}

/// Rows (table, row key) that the layout cannot write: rows with a blank cell, in layouts
/// that have no way to write one (8.3, space-separated numbers).
fn unwritable_rows(original: &Report, layout: Option<Layout>) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let Some(layout) = layout else {
        return out;
    };
    for t in &original.tables {
        if !matches!(
            layout.for_table(t.id),
            Layout::CellPerLine | Layout::SpaceT4
        ) {
            continue;
        }
        for row in &t.rows {
            if let Some(k) = row.key
                && row.cells.iter().any(|c| c.state == CellState::Blank)
            {
                out.insert((t.id.to_string(), k.to_string()));
            }
        }
    }
    out
}

/// Compares the cells and section keys of `got` (parsed from `text`) with `original`.
/// Returns one message per difference.
fn compare(
    original: &Report,
    got: &Report,
    text: &str,
    layout: Option<Layout>,
) -> Vec<(Check, String)> {
    let mut problems = Vec::new();
    if section_keys(original) != section_keys(got) {
        problems.push(values(format!(
            "section keys differ: expected {:?}, got {:?}",
            section_keys(original),
            section_keys(got)
        )));
    }
    if table_ids(original) != table_ids(got) {
        problems.push(values(format!(
            "tables differ: expected {:?}, got {:?}",
            table_ids(original),
            table_ids(got)
        )));
    }
    // The tables must have been read as the layout they were written in.
    for t in &got.tables {
        let expected = match layout {
            Some(l) => l.for_table(t.id).model_layout(),
            None => match original.table(t.id) {
                Some(o) => o.layout,
                None => continue,
            },
        };
        if t.layout != expected {
            problems.push((
                Check::LayoutLabel,
                format!(
                    "{} was read as layout {:?}, expected {expected:?}\n{}",
                    t.id,
                    t.layout,
                    context(text, t.range.start, 2, 4)
                ),
            ));
        }
    }
    let unwritable = unwritable_rows(original, layout);
    // Reading problems: the same as the original's, plus RowIncomplete for every row the
    // layout cannot write.
    let issues = |r: &Report| -> BTreeSet<(String, Option<String>)> {
        r.issues
            .iter()
            .map(|i| (format!("{:?}", i.kind), i.cell.clone()))
            .collect()
    };
    let mut want_issues = issues(original);
    for (tid, rk) in &unwritable {
        want_issues.insert((
            format!("{:?}", ParseIssueKind::RowIncomplete),
            Some(format!("{tid}.{rk}")),
        ));
    }
    let got_issues = issues(got);
    for (kind, at) in got_issues.symmetric_difference(&want_issues) {
        let (what, offset) = match got
            .issues
            .iter()
            .find(|i| format!("{:?}", i.kind) == *kind && i.cell == *at)
        {
            Some(i) => (format!("unexpected issue: {}", i.message), i.range.start),
            None => {
                let (t, r) = at
                    .as_deref()
                    .and_then(|c| c.split_once('.'))
                    .unwrap_or(("", ""));
                let key = (t.to_string(), r.to_string(), String::new());
                (
                    "expected issue not reported".to_string(),
                    locate(got, text, &key),
                )
            }
        };
        problems.push(values(format!(
            "issue {kind} at {}: {what}\n{}",
            at.as_deref().unwrap_or("-"),
            context(text, offset, 2, 4)
        )));
    }
    let want = cells(original);
    let have = cells(got);
    let keys: BTreeSet<&Key> = want.keys().chain(have.keys()).collect();
    for key in keys {
        if unwritable.contains(&(key.0.clone(), key.1.clone())) {
            continue;
        }
        let w = want.get(key).map(|(v, _)| v);
        let h = have.get(key);
        if w == h.map(|(v, _)| v) {
            continue;
        }
        let at = h.map(|(_, o)| *o).unwrap_or_else(|| locate(got, text, key));
        problems.push(values(format!(
            "{}.{}.{}: expected {}, got {}\n{}",
            key.0,
            key.1,
            key.2,
            show(w),
            show(h.map(|(v, _)| v)),
            context(text, at, 4, 4)
        )));
    }
    // Rows the layout cannot write: the parser must say the row is incomplete, read the
    // non-blank values in order and leave the rest missing.
    for (tid, rk) in &unwritable {
        let orig_row = original
            .table(tid)
            .and_then(|t| t.row(rk))
            .expect("original row");
        let expected: Vec<CellVal> = orig_row
            .cells
            .iter()
            .filter(|c| c.state != CellState::Blank)
            .map(|c| CellVal {
                state: c.state,
                value: c.value,
                unit: c.unit,
            })
            .collect();
        let blanks = orig_row.cells.len() - expected.len();
        let Some(row) = got.table(tid).and_then(|t| t.row(rk)) else {
            problems.push(values(format!(
                "{tid}.{rk}: row not read (blank cells cannot be written in this layout)"
            )));
            continue;
        };
        let read: Vec<CellVal> = row
            .cells
            .iter()
            .filter(|c| c.state != CellState::Missing)
            .map(|c| CellVal {
                state: c.state,
                value: c.value,
                unit: c.unit,
            })
            .collect();
        let missing = row.cells.len() - read.len();
        let reported = got.issues.iter().any(|i| {
            i.kind == ParseIssueKind::RowIncomplete
                && i.cell.as_deref() == Some(&format!("{tid}.{rk}"))
        });
        if read != expected || missing != blanks || !reported {
            problems.push(values(format!(
                "{tid}.{rk} (blank cells cannot be written in this layout): expected the {} non-blank \
                 values in order, {blanks} missing cells and a RowIncomplete issue; got \
                 {read:?}, {missing} missing, issue reported: {reported}\n{}",
                expected.len(),
                context(text, row.label_range.start, 2, 8)
            )));
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------
// Running the combinations
// ---------------------------------------------------------------------------------------

fn read_sample(name: &str) -> String {
    let path = format!("{}/fixtures/samples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn opencc(cfg: BuiltinConfig) -> OpenCC {
    OpenCC::from_config(cfg).expect("OpenCC built-in config")
}

/// Sanity checks on an original parse, so that a round trip has something to compare.
fn check_original(name: &str, r: &Report) {
    let ids = table_ids(r);
    for t in ["t2_1", "t3", "t4"] {
        assert!(
            ids.contains(&t),
            "{name}: original parse lacks {t}: {ids:?}"
        );
    }
    for t in &r.tables {
        for row in &t.rows {
            assert!(
                row.cells.iter().all(|c| c.state != CellState::Missing),
                "{name}: original {}.{:?} has missing cells",
                t.id,
                row.key
            );
        }
    }
}

/// The result of one (sample, variant) round trip.
struct Outcome {
    sample: &'static str,
    variant: String,
    /// The text that was parsed.
    text: String,
    /// The checks run.
    checks: &'static [Check],
    problems: Vec<(Check, String)>,
}

/// The checks of a round trip of values.
const VALUE_CHECKS: &[Check] = &[Check::Values, Check::LayoutLabel];

/// Asserts the outcome of a set of combinations against [`KNOWN_FAILURES`].
fn settle(results: Vec<Outcome>) {
    let mut errors = Vec::new();
    for Outcome {
        sample,
        variant,
        text,
        checks,
        problems,
    } in results
    {
        for &check in checks {
            let found: Vec<&String> = problems
                .iter()
                .filter(|(c, _)| *c == check)
                .map(|(_, m)| m)
                .collect();
            let known = KNOWN_FAILURES.iter().any(|f| {
                (f.sample == "*" || f.sample == sample) && f.variant == variant && f.check == check
            });
            match (known, found.is_empty()) {
                (false, true) | (true, false) => {}
                (true, true) => errors.push(format!(
                    "{sample} [{variant}] {check:?} now reads correctly: remove it from \
                     KNOWN_FAILURES"
                )),
                (false, false) => {
                    let against = match check {
                        Check::Diagnostics | Check::SafeFixes => "the reference layout",
                        Check::Values | Check::LayoutLabel => "the original parse",
                    };
                    let mut msg = format!(
                        "{sample} [{variant}] {check:?}: {} difference(s) from {against}\n",
                        found.len()
                    );
                    for p in found.iter().take(8) {
                        let _ = writeln!(msg, "  - {p}");
                    }
                    if found.len() > 8 {
                        let _ = writeln!(msg, "  … and {} more", found.len() - 8);
                    }
                    if std::env::var_os("RERENDER_DUMP").is_some() {
                        let _ = writeln!(msg, "--- rendered text ---\n{text}\n---");
                    }
                    errors.push(msg);
                }
            }
        }
    }
    assert!(errors.is_empty(), "\n{}", errors.join("\n"));
}

/// `r` with every number cell given a value of its own (1, 2, 3 … in reading order), the
/// unit written after it kept.
fn with_distinct_numbers(r: &Report) -> Report {
    let mut r = r.clone();
    let mut n = 0;
    for t in &mut r.tables {
        for row in &mut t.rows {
            for c in &mut row.cells {
                if c.state == CellState::Number {
                    n += 1;
                    let unit = c.raw.trim_start_matches(|ch: char| {
                        ch.is_ascii_digit() || matches!(ch, '.' | '+' | '-')
                    });
                    c.raw = format!("{n}{unit}").into();
                    c.value = Some(Decimal::int(n));
                }
            }
        }
    }
    r
}

fn run_layout(layout: Layout) {
    let s2t = opencc(BuiltinConfig::S2t);
    let mut results = Vec::new();
    for name in SAMPLES {
        let text = read_sample(name);
        let original = nianbao_core::parse(&text);
        check_original(name, &original);
        let synthetic = rerender(&text, &original, layout);
        let got = nianbao_core::parse(&synthetic);
        let problems = compare(&original, &got, &synthetic, Some(layout));
        results.push(Outcome {
            sample: name,
            variant: layout.name().to_string(),
            text: synthetic.clone(),
            checks: VALUE_CHECKS,
            problems,
        });
        // Most sample cells are 0, so a value read from the wrong column would often go
        // unnoticed: the same report with every number replaced by a distinct one.
        let distinct = with_distinct_numbers(&original);
        let synthetic_d = rerender(&text, &distinct, layout);
        let got = nianbao_core::parse(&synthetic_d);
        let problems = compare(&distinct, &got, &synthetic_d, Some(layout));
        results.push(Outcome {
            sample: name,
            variant: format!("{}+distinct", layout.name()),
            text: synthetic_d,
            checks: VALUE_CHECKS,
            problems,
        });
        // The same synthetic report in Traditional characters.
        let trad = s2t.convert(&synthetic);
        let got = nianbao_core::parse(&trad);
        let problems = compare(&original, &got, &trad, Some(layout));
        results.push(Outcome {
            sample: name,
            variant: format!("{}+s2t", layout.name()),
            text: trad,
            checks: VALUE_CHECKS,
            problems,
        });
    }
    settle(results);
}

#[test]
fn rerender_8_1_pipe_cell_per_line() {
    run_layout(Layout::Pipe);
}

#[test]
fn rerender_8_2_tab_rows() {
    run_layout(Layout::TabRows);
}

#[test]
fn rerender_8_2_tab_rows_compact() {
    run_layout(Layout::TabRowsCompact);
}

#[test]
fn rerender_8_3_cell_per_line() {
    run_layout(Layout::CellPerLine);
}

#[test]
fn rerender_8_4_tab_indented() {
    run_layout(Layout::TabIndented);
}

#[test]
fn rerender_8_5_pipe_rows() {
    run_layout(Layout::PipeRows);
}

#[test]
fn rerender_8_6_markdown_rows() {
    run_layout(Layout::Markdown);
}

#[test]
fn rerender_8_7_alternating() {
    run_layout(Layout::Alternating);
}

#[test]
fn rerender_t4_space_separated() {
    run_layout(Layout::SpaceT4);
}

#[test]
fn simplified_to_traditional_reads_the_same() {
    let s2t = opencc(BuiltinConfig::S2t);
    let mut results = Vec::new();
    for name in SAMPLES {
        let text = read_sample(name);
        let original = nianbao_core::parse(&text);
        let converted = s2t.convert(&text);
        let got = nianbao_core::parse(&converted);
        let problems = compare(&original, &got, &converted, None);
        results.push(Outcome {
            sample: name,
            variant: "s2t".to_string(),
            text: converted,
            checks: VALUE_CHECKS,
            problems,
        });
    }
    settle(results);
}

#[test]
fn traditional_to_simplified_reads_the_same() {
    let t2s = opencc(BuiltinConfig::T2s);
    let mut results = Vec::new();
    for name in TRADITIONAL_SAMPLES {
        let text = read_sample(name);
        let original = nianbao_core::parse(&text);
        let converted = t2s.convert(&text);
        assert_ne!(converted, text, "{name}: t2s changed nothing");
        let got = nianbao_core::parse(&converted);
        let problems = compare(&original, &got, &converted, None);
        results.push(Outcome {
            sample: name,
            variant: "t2s".to_string(),
            text: converted,
            checks: VALUE_CHECKS,
            problems,
        });
    }
    settle(results);
}

// ---------------------------------------------------------------------------------------
// Table diagnostics across layouts
// ---------------------------------------------------------------------------------------

/// The cells mutated (one at a time) before rendering, so that the arithmetic rules have
/// something to say: (row, column) of table 三. The first is in a row with blank cells in
/// sample 004, so every identity it is in is unverifiable there (NB305) and left out under
/// 8.3; the second is in a row without blanks, so that 8.3 has an error to compare too.
const MUTATED_CELLS: [(&str, &str); 2] = [
    ("r3_1_open", "natural_person"),
    ("r3_2_partial", "org_research"),
];

/// `r` with one table-三 number (`row`, `column`, or the row's first number cell if that
/// one is not a number) increased by 1. Returns the mutated cell's reference too.
fn with_one_mutation(name: &str, r: &Report, row: &str, column: &str) -> (Report, String) {
    let mut r = r.clone();
    let t = r
        .tables
        .iter_mut()
        .find(|t| t.id == "t3")
        .unwrap_or_else(|| panic!("{name}: no table 三"));
    let cells = &mut t
        .rows
        .iter_mut()
        .find(|r| r.key == Some(row))
        .unwrap_or_else(|| panic!("{name}: no t3.{row}"))
        .cells;
    let at = cells
        .iter()
        .position(|c| c.column == column && c.state == CellState::Number)
        .or_else(|| cells.iter().position(|c| c.state == CellState::Number))
        .unwrap_or_else(|| panic!("{name}: t3.{row} has no number"));
    let c = &mut cells[at];
    let v = c.as_i64().expect("a count") + 1;
    c.raw = v.to_string().into();
    c.value = Some(Decimal::int(v));
    let reference = format!("t3.{row}.{}", c.column);
    (r, reference)
}

/// A table diagnostic as compared across layouts: (code, the cell or row it is about,
/// identity).
type DiagKey = (String, String, String);

fn data_str<'d>(d: &'d nianbao_core::Diagnostic, key: &str) -> Option<&'d str> {
    d.data.get(key).and_then(|v| v.as_str())
}

/// What a diagnostic is about: `data["target"]`, `data["cell"]`, table and row, table and
/// label, or table.
fn diag_subject(d: &nianbao_core::Diagnostic) -> String {
    if let Some(s) = data_str(d, "target").or_else(|| data_str(d, "cell")) {
        return s.to_string();
    }
    let table = data_str(d, "table").unwrap_or("-");
    match (data_str(d, "row"), data_str(d, "label")) {
        (Some(r), _) => format!("{table}.{r}"),
        (_, Some(l)) => format!("{table} “{l}”"),
        _ => table.to_string(),
    }
}

/// The (table, row) pairs a diagnostic involves: its subject and, for the arithmetic
/// rules, every operand cell.
fn diag_rows(d: &nianbao_core::Diagnostic) -> BTreeSet<(String, String)> {
    let mut refs: Vec<String> = vec![diag_subject(d)];
    if let Some(cells) = d.data.get("cells").and_then(|c| c.as_array()) {
        refs.extend(cells.iter().filter_map(|c| c.as_str()).map(str::to_string));
    }
    refs.iter()
        .filter_map(|r| {
            let mut it = r.split('.');
            Some((it.next()?.to_string(), it.next()?.to_string()))
        })
        .collect()
}

/// The NB2xx and NB3xx diagnostics of `text`, as a multiset of [`DiagKey`] (each with a
/// description for messages), leaving out those about rows in `skip`. When rows are left
/// out, an arithmetic diagnostic is keyed by its identity instance (its row or column)
/// instead of the cell it blames: which cell is blamed depends on which other identities
/// hold, and those involving the rows a layout could not write are evaluated on values
/// read out of place (004 under 8.3: `（二）部分公开` + 1 in 科研机构 is blamed on that cell
/// in 8.1, on the row's 总计 under 8.3, where 表三's 总计 column cannot be checked).
fn table_diagnostics(
    diags: &[nianbao_core::Diagnostic],
    text: &str,
    skip: &BTreeSet<(String, String)>,
) -> BTreeMap<DiagKey, Vec<String>> {
    let mut m: BTreeMap<DiagKey, Vec<String>> = BTreeMap::new();
    for d in diags
        .iter()
        .filter(|d| d.code.starts_with("NB2") || d.code.starts_with("NB3"))
    {
        if diag_rows(d).iter().any(|r| skip.contains(r)) {
            continue;
        }
        let subject = match (skip.is_empty(), data_str(d, "identity")) {
            (false, Some(_)) => {
                let table = data_str(d, "table").unwrap_or("-");
                match (data_str(d, "column"), data_str(d, "row")) {
                    (Some(c), _) => format!("{table} column {c}"),
                    (_, Some(r)) => format!("{table} row {r}"),
                    _ => table.to_string(),
                }
            }
            _ => diag_subject(d),
        };
        let key = (
            d.code.to_string(),
            subject,
            data_str(d, "identity").unwrap_or("-").to_string(),
        );
        m.entry(key).or_default().push(describe_diag(d, text));
    }
    m
}

fn describe_diag(d: &nianbao_core::Diagnostic, text: &str) -> String {
    let fix = d
        .fix
        .as_ref()
        .map(|f| format!(" [{:?} fix: {}]", f.applicability, f.title))
        .unwrap_or_default();
    format!(
        "{} {}: {}{fix}\n{}",
        d.code,
        d.severity.as_str(),
        d.message,
        context(text, d.range.start, 1, 1)
    )
}

/// The differences between two multisets of table diagnostics.
fn diff_diagnostics(
    want: &BTreeMap<DiagKey, Vec<String>>,
    got: &BTreeMap<DiagKey, Vec<String>>,
    reference: &str,
) -> Vec<(Check, String)> {
    let mut problems = Vec::new();
    let keys: BTreeSet<&DiagKey> = want.keys().chain(got.keys()).collect();
    for k in keys {
        let w = want.get(k).map_or(0, Vec::len);
        let g = got.get(k).map_or(0, Vec::len);
        if w == g {
            continue;
        }
        let example = got
            .get(k)
            .or_else(|| want.get(k))
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default();
        problems.push((
            Check::Diagnostics,
            format!(
                "{} on {} ({}): {w} in the {reference} rendering, {g} here; e.g. {example}",
                k.0, k.1, k.2
            ),
        ));
    }
    problems
}

/// The safe fixes of the arithmetic diagnostics: (cell, value written) → description.
fn safe_fixes(
    diags: &[nianbao_core::Diagnostic],
    text: &str,
) -> BTreeMap<(String, String), String> {
    diags
        .iter()
        .filter(|d| d.code.starts_with("NB3"))
        .filter_map(|d| {
            let f = d.fix.as_ref()?;
            (f.applicability == nianbao_core::Applicability::Safe).then(|| {
                let values: Vec<&str> = f.edits.iter().map(|e| e.new_text.as_str()).collect();
                ((diag_subject(d), values.join(",")), describe_diag(d, text))
            })
        })
        .collect()
}

fn lint_text(text: &str) -> Vec<nianbao_core::Diagnostic> {
    nianbao_core::lint(text, &nianbao_core::Settings::default()).1
}

/// The table diagnostics of a report must not depend on how its tables are laid out:
/// each sample, with one table-三 number changed in the model (each of [`MUTATED_CELLS`]
/// in turn), is rendered in the layout its own table 三 was written in (the reference) and
/// in every layout, plain and converted to Traditional, and
/// * ([`Check::Diagnostics`]) the multisets of (code, cell or row, identity) of the NB2xx
///   and NB3xx diagnostics must agree. Rows a layout cannot write (blank cells under 8.3
///   and t4-space) are left out on both sides, as in the value comparison, and the
///   arithmetic diagnostics are then compared by identity instance (see
///   [`table_diagnostics`]); every combination must still have something left to compare;
/// * ([`Check::SafeFixes`]) every safe fix an arithmetic rule offers must also be offered
///   for the reference rendering: a layout that loses information must not make the
///   engine certain of a correction the complete table does not support.
#[test]
fn table_diagnostics_agree_across_layouts() {
    let s2t = opencc(BuiltinConfig::S2t);
    let mut results = Vec::new();
    for name in SAMPLES {
        let text = read_sample(name);
        let original = nianbao_core::parse(&text);
        let reference = Layout::from_model(original.table("t3").expect("t3").layout);
        let mutations: Vec<(Report, String)> = MUTATED_CELLS
            .iter()
            .map(|(row, col)| with_one_mutation(name, &original, row, col))
            .collect();
        let references: Vec<(String, Vec<nianbao_core::Diagnostic>)> = mutations
            .iter()
            .map(|(m, _)| {
                let t = rerender(&text, m, reference);
                let d = lint_text(&t);
                (t, d)
            })
            .collect();
        for ((_, cell), (ref_text, ref_diags)) in mutations.iter().zip(&references) {
            // The reference must show the mutation, or there is nothing to compare.
            let all = table_diagnostics(ref_diags, ref_text, &BTreeSet::new());
            assert!(
                all.keys().any(|k| k.0.starts_with("NB3")),
                "{name}: {cell} + 1 gives no NB3xx diagnostic in the {} rendering: {:?}",
                reference.name(),
                all.keys().collect::<Vec<_>>()
            );
        }
        for layout in LAYOUTS {
            let mut plain = (Vec::new(), String::new());
            let mut trad = (Vec::new(), String::new());
            let mut compared = 0;
            for ((mutated, cell), (ref_text, ref_diags)) in mutations.iter().zip(&references) {
                let mut skip = unwritable_rows(mutated, Some(reference));
                skip.extend(unwritable_rows(mutated, Some(layout)));
                let want = table_diagnostics(ref_diags, ref_text, &skip);
                let want_safe = safe_fixes(ref_diags, ref_text);
                compared += want.len();
                let synthetic = rerender(&text, mutated, layout);
                let converted = s2t.convert(&synthetic);
                let against = format!("{} ({cell} + 1)", reference.name());
                for (out, t) in [(&mut plain, synthetic), (&mut trad, converted)] {
                    let diags = lint_text(&t);
                    let got = table_diagnostics(&diags, &t, &skip);
                    out.0.extend(diff_diagnostics(&want, &got, &against));
                    for ((cell, value), what) in safe_fixes(&diags, &t) {
                        if !want_safe.contains_key(&(cell.clone(), value.clone())) {
                            out.0.push((
                                Check::SafeFixes,
                                format!(
                                    "safe fix {cell} → {value}, not offered for the {against} \
                                     rendering: {what}"
                                ),
                            ));
                        }
                    }
                    out.1.push_str(&t);
                }
            }
            assert!(
                compared > 0,
                "{name} [{}]: no table diagnostic left to compare",
                layout.name()
            );
            for (variant, (problems, t)) in [
                (layout.name().to_string(), plain),
                (format!("{}+s2t", layout.name()), trad),
            ] {
                results.push(Outcome {
                    sample: name,
                    variant,
                    text: t,
                    checks: &[Check::Diagnostics, Check::SafeFixes],
                    problems,
                });
            }
        }
    }
    settle(results);
}

/// The renderer itself: spot checks against the layouts as the spec and the samples
/// show them, so a renderer slip is not mistaken for a parser bug.
#[test]
fn renderer_matches_the_spec_examples() {
    let text = read_sample("004_cf43867c2f1e63a9.txt");
    let r = nianbao_core::parse(&text);
    let t3 = grid_t3(r.table("t3").expect("t3"), Labels::Official);
    // §8.1, as in 004: "(一)予以公開 | 18 | | 1 | 0 | 1 | 0 | 20 |" and one padding pipe.
    let pipe = t3.render(Layout::Pipe);
    assert!(
        pipe.contains(
            "三、本年度办理结果 |\n（一）予以公开 |\n18 |\n|\n1 |\n0 |\n1 |\n0 |\n20 |\n|\n"
        ),
        "{pipe}"
    );
    assert!(pipe.starts_with(&format!("{T3_NOTE} |\n申请人情况 |\n||||||||\n")));
    // §8.2: the group label shares the row with its first child; later children get
    // empty fields for both rowspans.
    let tabs = t3.render(Layout::TabRows);
    assert!(
        tabs.contains("\t（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0\n"),
        "{tabs}"
    );
    assert!(
        tabs.contains("\t\t2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0\n"),
        "{tabs}"
    );
    assert!(
        tabs.contains("\n四、结转下年度继续办理\t\t\t1\t\t0\t0\t0\t0\t1\n"),
        "{tabs}"
    );
    // §8.4, as in 003: a lone TAB per rowspan cell above, blank line after the row.
    let ind = t3.render(Layout::TabIndented);
    assert!(
        ind.contains("\n\t\n\t\n\t2.其他法律行政法规禁止公开\n\t0\n"),
        "{ind}"
    );
    // §8.5 and §8.6.
    let rows = t3.render(Layout::PipeRows);
    assert!(
        rows.contains("\n6.属于四类过程性信息 | | 0 | 0 | 0 | 0 | 0 | |\n"),
        "{rows}"
    );
    let md = t3.render(Layout::Markdown);
    assert!(
        md.contains("\n| | | 6.属于四类过程性信息 | | 0 | 0 | 0 | 0 | 0 | |\n"),
        "{md}"
    );
    // §8.7: a `|` line closes each cell; a blank cell is a `|` line alone.
    let alt = t3.render(Layout::Alternating);
    assert!(
        alt.contains("\n6.属于四类过程性信息\n|\n|\n0\n|\n"),
        "{alt}"
    );
    // Table 二, §8.1 as in 004: caption padded to the 4-column grid.
    let t2: Vec<&Table> = r
        .tables
        .iter()
        .filter(|t| t.id.starts_with("t2_"))
        .collect();
    let t2 = grid_t2(&t2, Labels::Official).render(Layout::Pipe);
    assert!(
        t2.starts_with("第二十条第（一）项 |\n|||\n信息内容 |\n本年制发件数 |\n"),
        "{t2}"
    );
    assert!(
        t2.contains(
            "第二十条第（五）项 |\n|||\n信息内容 |\n本年处理决定数量 |\n||\n行政许可 |\n0 |\n||\n"
        ),
        "{t2}"
    );
    // Table 四, §8.1 as in 004.
    let t4 = grid_t4(r.table("t4").expect("t4")).render(Layout::Pipe);
    assert!(
        t4.starts_with("行政复议 |\n行政诉讼 |\n|||||||||||||\n结果维持 |\n"),
        "{t4}"
    );
}

/// The comparison itself: a changed value in the rendered text is reported as exactly that
/// cell, with the text around it.
#[test]
fn comparison_names_the_cell_that_differs() {
    let text = read_sample("004_cf43867c2f1e63a9.txt");
    let original = nianbao_core::parse(&text);
    let synthetic = rerender(&text, &original, Layout::TabRows);
    assert!(
        compare(
            &original,
            &nianbao_core::parse(&synthetic),
            &synthetic,
            Some(Layout::TabRows)
        )
        .is_empty()
    );
    let bad = synthetic.replace(
        "行政规范性文件\t10\t10\t95\n",
        "行政规范性文件\t10\t10\t96\n",
    );
    assert_ne!(bad, synthetic);
    let problems = compare(
        &original,
        &nianbao_core::parse(&bad),
        &bad,
        Some(Layout::TabRows),
    );
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let (check, msg) = &problems[0];
    assert_eq!(*check, Check::Values);
    assert!(
        msg.starts_with("t2_1.normative_docs.in_force: expected Number 95, got Number 96\n"),
        "{msg}"
    );
    assert!(msg.contains("| 行政规范性文件⇥10⇥10⇥96"), "{msg}");
    // Two values swapped between columns.
    let swapped = synthetic.replace(
        "一、本年新收政府信息公开申请数量\t\t\t64\t3\t",
        "一、本年新收政府信息公开申请数量\t\t\t3\t64\t",
    );
    assert_ne!(swapped, synthetic);
    let problems = compare(
        &original,
        &nianbao_core::parse(&swapped),
        &swapped,
        Some(Layout::TabRows),
    );
    let cells: Vec<&str> = problems
        .iter()
        .map(|(_, m)| m.split(':').next().unwrap_or(""))
        .collect();
    assert_eq!(
        cells,
        ["t3.r1_new.natural_person", "t3.r1_new.org_business"],
        "{problems:#?}"
    );
}

/// Every [`KNOWN_FAILURES`] entry names a sample and a variant that exist, so that none is
/// silently never checked.
#[test]
fn known_failures_name_real_combinations() {
    let mut variants: Vec<String> = vec!["s2t".into(), "t2s".into()];
    for l in LAYOUTS {
        for suffix in ["", "+distinct", "+s2t"] {
            variants.push(format!("{}{suffix}", l.name()));
        }
    }
    for f in KNOWN_FAILURES {
        assert!(
            f.sample == "*" || SAMPLES.contains(&f.sample),
            "KNOWN_FAILURES: unknown sample {}",
            f.sample
        );
        assert!(
            variants.iter().any(|v| v == f.variant),
            "KNOWN_FAILURES: unknown variant {}",
            f.variant
        );
    }
}
