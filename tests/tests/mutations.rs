//! Mutation tests of the arithmetic rules (NB301–NB305) over the five sample reports.
//!
//! None of the samples has an arithmetic error. For every number cell of tables 三 and 四
//! the cell's text (its `range` in the source) is replaced by a different number — the
//! value + 1, and in a second pass the value + 7 — and the text is linted again:
//!
//! * **Table 三.** Exactly the identities the cell belongs to fail: T3_ROW_TOTAL for its
//!   row; T3_BALANCE for its column when the row is 一/二/三(七)/四; T3_OUTCOME_SUM for its
//!   column when the row is an outcome row or （七）总计. Each fails as an error (NB301,
//!   NB302, NB303) on exactly the mutated cell, with `target`, `expected` and `actual`
//!   naming the cell and its original/mutated values and a `Safe` fix that writes the
//!   original text back — or, when one of the identity's operands is a blank cell counted
//!   as 0 (sample 004), as an NB305 warning (on a blank cell) instead. Applying the safe
//!   fixes of the NB30x diagnostics restores the original text byte for byte, and the
//!   restored text has no NB30x diagnostic; applying every safe fix gives what applying
//!   the original report's safe fixes gives (003 has NB105 safe fixes of its own).
//! * **Table 四.** Exactly one NB304, for the identity of the cell's group (复议 /
//!   直接起诉 / 复议后起诉). A mutated total is blamed itself and its fix writes the
//!   original back; a mutated operand is one of the diagnostic's `related` ranges and the
//!   fix is `Unsafe` and sets the total (which operand is wrong cannot be known). Applying
//!   the NB304 fix reconciles the table.
//! * **Nothing else.** No error, NB2xx or NB3xx diagnostic appears that the unmutated
//!   report did not have (compared as (code, range), the ranges after the mutated cell
//!   shifted by the change in length).
//!
//! A second test mutates TWO table-三 cells in different rows and columns (every 11th such
//! pair in sample 004, every 97th in the others, each with +1/+7 and +1/+1): every
//! NB301–NB303 error must be on a table-三 cell and about an identity that has a cell
//! still wrong, and every `Safe` fix must write a mutated cell's original text back. The
//! safe fixes are applied and the text linted again while any is offered; when both cells
//! have been put right, the text must be the original.
//!
//! Cases the engine is known to get wrong are listed in [`KNOWN_FAILURES`] and asserted
//! to still fail, so that a fix in the engine makes the test name the entry to remove.
//! Set `MUTATIONS_DUMP=<file>` to write every failure (not only the first 12) to a file.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use nianbao_core::rules::fix;
use nianbao_core::{Applicability, CellState, Diagnostic, Report, Settings, Severity, TextRange};

const SAMPLES: [&str; 5] = [
    "000_50e7ba10f32f5ee2.txt",
    "001_db8b9a3c8d2b1499.txt",
    "002_596eb627cbefc53e.txt",
    "003_dfabd5f7c7b088c2.txt",
    "004_cf43867c2f1e63a9.txt",
];

/// The amounts added to a cell's value, one pass each.
const DELTAS: [i64; 2] = [1, 7];

/// A mutation the engine currently handles wrongly: (sample, cell reference(s) joined
/// with `+`, delta(s) joined with `+`). Each is asserted to still fail. Empty: the engine
/// handles every mutation checked here.
const KNOWN_FAILURES: &[(&str, &str, &str)] = &[];

/// The table-三 rows in T3_BALANCE.
const BALANCE_ROWS: [&str; 4] = ["r1_new", "r2_carried_in", "r3_7_total", "r4_carried_out"];

fn read_sample(name: &str) -> String {
    let path = format!("{}/fixtures/samples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn lint(text: &str) -> Vec<Diagnostic> {
    nianbao_core::lint(text, &Settings::default()).1
}

fn is_nb30x(d: &Diagnostic) -> bool {
    matches!(d.code, "NB301" | "NB302" | "NB303" | "NB304" | "NB305")
}

/// A number cell of table 三 or 四.
#[derive(Debug, Clone)]
struct Target {
    table: &'static str,
    row: &'static str,
    column: &'static str,
    range: TextRange,
    value: i64,
}

impl Target {
    fn reference(&self) -> String {
        format!("{}.{}.{}", self.table, self.row, self.column)
    }
}

/// Every number cell of tables 三 and 四, in reading order.
fn targets(name: &str, text: &str, r: &Report) -> Vec<Target> {
    let mut v = Vec::new();
    for id in ["t3", "t4"] {
        let t = r
            .table(id)
            .unwrap_or_else(|| panic!("{name}: no table {id}"));
        for row in &t.rows {
            let Some(rk) = row.key else { continue };
            for c in row.cells.iter().filter(|c| c.state == CellState::Number) {
                let value = c
                    .as_i64()
                    .unwrap_or_else(|| panic!("{name}: {id}.{rk}.{} is not a count", c.column));
                // Restoring the text byte for byte needs the value written canonically.
                assert_eq!(
                    c.range.slice(text),
                    value.to_string(),
                    "{name}: {id}.{rk}.{} is not written as its plain value",
                    c.column
                );
                v.push(Target {
                    table: id,
                    row: rk,
                    column: c.column,
                    range: c.range,
                    value,
                });
            }
        }
    }
    v
}

/// `text` with `range` replaced by `new`; the replaced range in the new text.
fn replace(text: &str, range: TextRange, new: &str) -> (String, TextRange) {
    let mut s = String::with_capacity(text.len() + new.len());
    s.push_str(&text[..range.start]);
    s.push_str(new);
    s.push_str(&text[range.end..]);
    (s, TextRange::new(range.start, range.start + new.len()))
}

/// Where a range of the text before an edit lies after it.
fn shift(r: TextRange, edit: TextRange, new_len: usize) -> TextRange {
    let at = |p: usize| {
        if p >= edit.end {
            p + new_len - edit.len()
        } else {
            p
        }
    };
    TextRange::new(at(r.start), at(r.end))
}

fn describe(text: &str, d: &Diagnostic) -> String {
    let mut s = format!(
        "{} {} {}..{} {:?}",
        d.code,
        d.severity.as_str(),
        d.range.start,
        d.range.end,
        d.range.slice(text)
    );
    for k in [
        "identity", "column", "row", "target", "cell", "expected", "actual",
    ] {
        if let Some(v) = d.data.get(k) {
            let _ = write!(s, " {k}={v}");
        }
    }
    match &d.fix {
        Some(f) => {
            let edits: Vec<String> = f
                .edits
                .iter()
                .map(|e| format!("{}..{}→{:?}", e.range.start, e.range.end, e.new_text))
                .collect();
            let _ = write!(s, " fix={:?}[{}]", f.applicability, edits.join(", "));
        }
        None => s.push_str(" fix=none"),
    }
    let _ = write!(s, " — {}", d.message);
    s
}

fn listing(text: &str, diags: &[Diagnostic]) -> String {
    if diags.is_empty() {
        return "    (none)\n".into();
    }
    diags
        .iter()
        .map(|d| format!("    {}\n", describe(text, d)))
        .collect()
}

fn data_str<'d>(d: &'d Diagnostic, key: &str) -> Option<&'d str> {
    d.data.get(key).and_then(|v| v.as_str())
}

fn data_i64(d: &Diagnostic, key: &str) -> Option<i64> {
    d.data.get(key).and_then(|v| v.as_i64())
}

/// An identity instance: (identity family, `col <c>` or `row <r>`).
type Inst = (&'static str, String);

/// The identity family of a diagnostic's `identity` (the outcome sums' versions merged).
fn family(id: &str) -> &'static str {
    match id {
        "T3_BALANCE" => "T3_BALANCE",
        "T3_ROW_TOTAL" => "T3_ROW_TOTAL",
        s if s.starts_with("T3_OUTCOME_SUM") => "T3_OUTCOME_SUM",
        "T4_REVIEW_TOTAL" => "T4_REVIEW_TOTAL",
        "T4_DIRECT_TOTAL" => "T4_DIRECT_TOTAL",
        "T4_AFTER_REVIEW_TOTAL" => "T4_AFTER_REVIEW_TOTAL",
        _ => "?",
    }
}

fn inst_of(d: &Diagnostic) -> Inst {
    let fam = family(data_str(d, "identity").unwrap_or(""));
    let along = match (data_str(d, "column"), data_str(d, "row")) {
        (Some(c), _) => format!("col {c}"),
        (_, Some(r)) => format!("row {r}"),
        _ => "-".into(),
    };
    (fam, along)
}

fn code_of(fam: &str) -> &'static str {
    match fam {
        "T3_BALANCE" => "NB301",
        "T3_OUTCOME_SUM" => "NB302",
        "T3_ROW_TOTAL" => "NB303",
        _ => "NB304",
    }
}

/// The identity instances a table-三 cell is an operand of, each with its operand cells
/// (row, column).
fn t3_memberships(r: &Report, row: &str, col: &str) -> Vec<(Inst, Vec<(String, String)>)> {
    let t = r.table("t3").expect("t3");
    let cols: Vec<&str> = t.columns.clone();
    let keys: Vec<&str> = t.rows.iter().filter_map(|r| r.key).collect();
    let outcome: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| k.starts_with("r3_") && *k != "r3_7_total")
        .collect();
    let cells = |rows: &[&str], cols: &[&str]| -> Vec<(String, String)> {
        rows.iter()
            .flat_map(|r| cols.iter().map(move |c| (r.to_string(), c.to_string())))
            .collect()
    };
    let mut v = vec![(("T3_ROW_TOTAL", format!("row {row}")), cells(&[row], &cols))];
    if BALANCE_ROWS.contains(&row) {
        v.push((
            ("T3_BALANCE", format!("col {col}")),
            cells(&BALANCE_ROWS, &[col]),
        ));
    }
    if row == "r3_7_total" || outcome.contains(&row) {
        let mut rows = vec!["r3_7_total"];
        rows.extend(&outcome);
        v.push((
            ("T3_OUTCOME_SUM", format!("col {col}")),
            cells(&rows, &[col]),
        ));
    }
    v
}

/// Whether a table-三 instance has a blank (or placeholder) operand, counted as 0.
fn has_blank(r: &Report, operands: &[(String, String)]) -> bool {
    let t = r.table("t3").expect("t3");
    operands.iter().any(|(row, col)| {
        t.cell(row, col)
            .is_some_and(|c| matches!(c.state, CellState::Blank | CellState::Placeholder))
    })
}

/// The diagnostics of `after` (linted from the mutated text) that `before` (the original
/// text's) did not have, as (code, range) with ranges shifted by the edit.
fn new_diagnostics(
    before: &[Diagnostic],
    after: &[Diagnostic],
    edit: TextRange,
    new_len: usize,
) -> Vec<Diagnostic> {
    let old: BTreeSet<(&str, TextRange)> = before
        .iter()
        .map(|d| (d.code, shift(d.range, edit, new_len)))
        .collect();
    after
        .iter()
        .filter(|d| !old.contains(&(d.code, d.range)))
        .cloned()
        .collect()
}

/// Whether a new diagnostic is one the mutation checks care about: an error, or a table or
/// arithmetic diagnostic.
fn watched(d: &Diagnostic) -> bool {
    d.severity == Severity::Error || d.code.starts_with("NB2") || d.code.starts_with("NB3")
}

/// The checks for one table-三 mutation: the problems found, and (1 if errors were
/// expected, the number of NB305 warnings).
fn check_t3(
    orig_text: &str,
    before: &[Diagnostic],
    t: &Target,
    new_value: i64,
) -> (Vec<String>, (usize, usize)) {
    let mut problems = Vec::new();
    let (text, range) = replace(orig_text, t.range, &new_value.to_string());
    let report = nianbao_core::parse(&text);
    let diags = lint(&text);
    let fresh = new_diagnostics(before, &diags, t.range, range.len());
    let memberships = t3_memberships(&report, t.row, t.column);
    let want_errors: BTreeSet<Inst> = memberships
        .iter()
        .filter(|(_, ops)| !has_blank(&report, ops))
        .map(|(i, _)| i.clone())
        .collect();
    let want_unverifiable: BTreeSet<Inst> = memberships
        .iter()
        .filter(|(_, ops)| has_blank(&report, ops))
        .map(|(i, _)| i.clone())
        .collect();
    let got_errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| matches!(d.code, "NB301" | "NB302" | "NB303" | "NB304"))
        .collect();
    let got_305: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "NB305").collect();
    let got_error_set: BTreeSet<Inst> = got_errors.iter().map(|d| inst_of(d)).collect();
    if got_error_set != want_errors || got_errors.len() != want_errors.len() {
        problems.push(format!(
            "errors fired for identities {got_error_set:?} ({} diagnostics), expected {want_errors:?}",
            got_errors.len()
        ));
    }
    let got_305_set: BTreeSet<Inst> = got_305.iter().map(|d| inst_of(d)).collect();
    if got_305_set != want_unverifiable || got_305.len() != want_unverifiable.len() {
        problems.push(format!(
            "NB305 fired for {got_305_set:?} ({} diagnostics), expected {want_unverifiable:?}",
            got_305.len()
        ));
    }
    let reference = t.reference();
    for d in &got_errors {
        let (fam, _) = inst_of(d);
        let mut bad = Vec::new();
        if d.severity != Severity::Error {
            bad.push(format!("severity {}", d.severity.as_str()));
        }
        if d.code != code_of(fam) {
            bad.push(format!("code {} for identity {fam}", d.code));
        }
        if d.range != range {
            bad.push(format!(
                "range {}..{}, expected the mutated cell {}..{}",
                d.range.start, d.range.end, range.start, range.end
            ));
        }
        if data_str(d, "target") != Some(reference.as_str()) {
            bad.push(format!("target {:?}", data_str(d, "target")));
        }
        if data_i64(d, "actual") != Some(new_value) || data_i64(d, "expected") != Some(t.value) {
            bad.push(format!(
                "actual {:?} / expected {:?}, want {new_value} / {}",
                data_i64(d, "actual"),
                data_i64(d, "expected"),
                t.value
            ));
        }
        match &d.fix {
            Some(f)
                if f.applicability == Applicability::Safe
                    && f.edits.len() == 1
                    && f.edits[0].range == range
                    && f.edits[0].new_text == t.range.slice(orig_text) => {}
            _ => bad.push("fix is not a Safe edit writing the original text back".into()),
        }
        if !bad.is_empty() {
            problems.push(format!("{}: {}", describe(&text, d), bad.join("; ")));
        }
    }
    for d in &got_305 {
        let target = data_str(d, "target").unwrap_or("");
        let blank = d
            .data
            .get("blank_cells")
            .and_then(|b| b.as_array())
            .is_some_and(|b| b.iter().any(|x| x.as_str() == Some(target)));
        let involves = d
            .data
            .get("cells")
            .and_then(|b| b.as_array())
            .is_some_and(|b| b.iter().any(|x| x.as_str() == Some(reference.as_str())));
        if d.severity != Severity::Warning || d.range == range || !blank || !involves {
            problems.push(format!(
                "{}: NB305 should be a warning on a blank cell of an identity with the \
                 mutated cell",
                describe(&text, d)
            ));
        }
    }
    let unexpected: Vec<&Diagnostic> = fresh
        .iter()
        .filter(|d| watched(d) && !is_nb30x(d))
        .collect();
    if !unexpected.is_empty() {
        let list: String = unexpected
            .iter()
            .map(|d| format!("\n      {}", describe(&text, d)))
            .collect();
        problems.push(format!("unexpected new diagnostics:{list}"));
    }
    // Applying the safe fixes: those of the NB30x diagnostics restore the original text;
    // all of them give what the original's safe fixes give (a sample's own diagnostics,
    // such as NB105 in 003, may have safe fixes too).
    let nb30x: Vec<Diagnostic> = diags.iter().filter(|d| is_nb30x(d)).cloned().collect();
    let own = fix::apply(&text, &nb30x, false);
    if want_errors.is_empty() {
        if own.text != text {
            problems.push(
                "no error expected, yet applying the safe fixes changed the text".to_string(),
            );
        }
    } else if own.text != orig_text {
        problems.push(format!(
            "applying the NB30x safe fixes ({} applied) did not restore the original text",
            own.applied
        ));
    } else {
        let all = fix::apply(&text, &diags, false);
        if all.text != fix::apply(orig_text, before, false).text {
            problems.push(
                "applying all safe fixes gives another text than applying the original's"
                    .to_string(),
            );
        }
        let left: Vec<Diagnostic> = lint(&own.text).into_iter().filter(is_nb30x).collect();
        if !left.is_empty() {
            problems.push(format!(
                "after the safe fixes, NB30x diagnostics remain:\n{}",
                listing(&own.text, &left)
            ));
        }
    }
    if !problems.is_empty() {
        problems.push(format!("  NB30x diagnostics:\n{}", listing(&text, &nb30x)));
    }
    let counts = (usize::from(!want_errors.is_empty()), got_305.len());
    (problems, counts)
}

/// The identity of a table-四 column and its total column.
fn t4_identity(column: &str) -> (&'static str, &'static str) {
    if column.starts_with("rev_") {
        ("T4_REVIEW_TOTAL", "rev_total")
    } else if column.starts_with("lit_direct_") {
        ("T4_DIRECT_TOTAL", "lit_direct_total")
    } else if column.starts_with("lit_after_rev_") {
        ("T4_AFTER_REVIEW_TOTAL", "lit_after_rev_total")
    } else {
        panic!("unknown table-四 column {column}")
    }
}

fn check_t4(orig_text: &str, before: &[Diagnostic], t: &Target, new_value: i64) -> Vec<String> {
    let mut problems = Vec::new();
    let (text, range) = replace(orig_text, t.range, &new_value.to_string());
    let report = nianbao_core::parse(&text);
    let diags = lint(&text);
    let fresh = new_diagnostics(before, &diags, t.range, range.len());
    let (identity, total_col) = t4_identity(t.column);
    let total = report
        .table("t4")
        .and_then(|tb| tb.cell(t.row, total_col))
        .expect("table 四 total");
    let total_value = total.as_i64().expect("table 四 total is a count");
    let nb30x: Vec<&Diagnostic> = diags.iter().filter(|d| is_nb30x(d)).collect();
    if nb30x.len() != 1 || nb30x[0].code != "NB304" {
        problems.push(format!(
            "expected exactly one NB304, got {} NB30x diagnostics",
            nb30x.len()
        ));
    }
    for d in nb30x.iter().filter(|d| d.code == "NB304") {
        let mut bad = Vec::new();
        if d.severity != Severity::Error {
            bad.push(format!("severity {}", d.severity.as_str()));
        }
        if data_str(d, "identity") != Some(identity) {
            bad.push(format!("identity should be {identity}"));
        }
        let total_ref = format!("t4.{}.{total_col}", t.row);
        if data_str(d, "target") != Some(total_ref.as_str()) {
            bad.push(format!("target should be the total {total_ref}"));
        }
        if t.column == total_col {
            if d.range != range {
                bad.push("range is not the mutated total".into());
            }
            if data_i64(d, "actual") != Some(new_value) || data_i64(d, "expected") != Some(t.value)
            {
                bad.push(format!("actual/expected should be {new_value}/{}", t.value));
            }
            match &d.fix {
                Some(f)
                    if f.edits.len() == 1
                        && f.edits[0].range == range
                        && f.edits[0].new_text == t.range.slice(orig_text) => {}
                _ => bad.push("fix does not write the original total back".into()),
            }
        } else {
            if !d.related.iter().any(|r| r.range == range) {
                bad.push("the mutated cell is not among the related ranges".into());
            }
            if d.range != total.range {
                bad.push("range is not the total cell".into());
            }
            let want = total_value + (new_value - t.value);
            match &d.fix {
                Some(f)
                    if f.applicability == Applicability::Unsafe
                        && f.edits.len() == 1
                        && f.edits[0].range == total.range
                        && f.edits[0].new_text == want.to_string() => {}
                _ => bad.push(format!(
                    "fix should be an Unsafe edit setting the total to {want}"
                )),
            }
        }
        if !bad.is_empty() {
            problems.push(format!("{}: {}", describe(&text, d), bad.join("; ")));
        }
    }
    let unexpected: Vec<&Diagnostic> = fresh
        .iter()
        .filter(|d| watched(d) && !is_nb30x(d))
        .collect();
    if !unexpected.is_empty() {
        let list: String = unexpected
            .iter()
            .map(|d| format!("\n      {}", describe(&text, d)))
            .collect();
        problems.push(format!("unexpected new diagnostics:{list}"));
    }
    // The fix (safe or not) reconciles the table. Only the NB30x fixes are applied: the
    // sample's other diagnostics may have unsafe fixes of their own.
    let own: Vec<Diagnostic> = nb30x.iter().map(|d| (*d).clone()).collect();
    let fixed = fix::apply(&text, &own, true);
    let left: Vec<Diagnostic> = lint(&fixed.text).into_iter().filter(is_nb30x).collect();
    if !left.is_empty() {
        problems.push(format!(
            "after applying the fixes, NB30x diagnostics remain:\n{}",
            listing(&fixed.text, &left)
        ));
    }
    if t.column == total_col && fixed.text != orig_text {
        problems.push("applying the fix did not restore the original text".into());
    }
    if !problems.is_empty() {
        let all: Vec<Diagnostic> = nb30x.into_iter().cloned().collect();
        problems.push(format!("  NB30x diagnostics:\n{}", listing(&text, &all)));
    }
    problems
}

/// Settles the outcome of the mutations against [`KNOWN_FAILURES`].
fn settle(outcomes: Vec<((String, String, String), Vec<String>)>) {
    let mut errors = Vec::new();
    for ((sample, cells, deltas), problems) in &outcomes {
        let known = KNOWN_FAILURES
            .iter()
            .any(|(s, c, d)| s == sample && c == cells && d == deltas);
        match (known, problems.is_empty()) {
            (false, true) | (true, false) => {}
            (true, true) => errors.push(format!(
                "{sample} {cells} +{deltas} is now handled correctly: remove it from KNOWN_FAILURES"
            )),
            (false, false) => errors.push(format!(
                "{sample} {cells} +{deltas}:\n  - {}",
                problems.join("\n  - ")
            )),
        }
    }
    for (s, c, d) in KNOWN_FAILURES {
        assert!(
            outcomes
                .iter()
                .any(|((os, oc, od), _)| os == s && oc == c && od == d),
            "KNOWN_FAILURES entry {s} {c} +{d} is never checked"
        );
    }
    if let Ok(path) = std::env::var("MUTATIONS_DUMP") {
        std::fs::write(path, errors.join("\n")).expect("MUTATIONS_DUMP");
    }
    let shown: Vec<&String> = errors.iter().take(12).collect();
    assert!(
        errors.is_empty(),
        "{} failing mutation(s){}:\n{}",
        errors.len(),
        if errors.len() > shown.len() {
            format!(", the first {}", shown.len())
        } else {
            String::new()
        },
        shown
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_single_cell_mutation_is_blamed_on_that_cell() {
    let mut outcomes = Vec::new();
    let (mut t3_checked, mut t4_checked, mut t3_errors, mut t3_305) = (0, 0, 0, 0);
    for name in SAMPLES {
        let text = read_sample(name);
        let (report, before) = nianbao_core::lint(&text, &Settings::default());
        let base: Vec<Diagnostic> = before.iter().filter(|d| is_nb30x(d)).cloned().collect();
        assert!(
            base.is_empty(),
            "{name}: the sample already has NB30x diagnostics:\n{}",
            listing(&text, &base)
        );
        for t in targets(name, &text, &report) {
            for delta in DELTAS {
                let new_value = t.value + delta;
                let problems = if t.table == "t3" {
                    let (p, (errs, n305)) = check_t3(&text, &before, &t, new_value);
                    t3_checked += 1;
                    t3_errors += errs;
                    t3_305 += n305;
                    p
                } else {
                    t4_checked += 1;
                    check_t4(&text, &before, &t, new_value)
                };
                let problems: Vec<String> = if problems.is_empty() {
                    problems
                } else {
                    let mut v = vec![format!("{} {} → {new_value}", t.reference(), t.value)];
                    v.extend(problems);
                    v
                };
                outcomes.push((
                    (name.to_string(), t.reference(), delta.to_string()),
                    problems,
                ));
            }
        }
    }
    eprintln!(
        "mutations checked: {t3_checked} in table 三 ({t3_errors} with errors expected, \
         {t3_305} NB305 warnings), {t4_checked} in table 四"
    );
    // Table 三: 23 × 7 cells (000, 003), 25 × 7 (001, 002), 23 × 7 − 5 blank (004); table
    // 四: 15 cells; each mutated twice.
    assert_eq!(
        (t3_checked, t4_checked),
        (2 * (161 + 175 + 175 + 161 + 156), 2 * 5 * 15)
    );
    settle(outcomes);
}

/// What a two-cell mutation led to.
#[derive(Default)]
struct PairStats {
    /// The safe fixes put both cells right.
    restored: bool,
    /// The safe fixes put one cell right.
    one_restored: bool,
    /// Errors left with only unsafe fixes, and those of them on a cell that was not
    /// mutated.
    unsafe_errors: usize,
    unsafe_on_unmutated: usize,
}

/// Two table-三 cells mutated: the errors still point at table-三 cells, each in a failing
/// identity with a cell still wrong, and every safe fix writes a mutated cell's original
/// text back. The safe fixes are applied and the text linted again until none is left.
fn check_pair(
    orig_text: &str,
    a: &Target,
    b: &Target,
    da: i64,
    db: i64,
) -> (Vec<String>, PairStats) {
    let mut problems = Vec::new();
    let mut stats = PairStats::default();
    let (t1, ra) = replace(orig_text, a.range, &(a.value + da).to_string());
    let rb0 = shift(b.range, a.range, ra.len());
    let (mut text, rb) = replace(&t1, rb0, &(b.value + db).to_string());
    let ra = shift(ra, rb0, rb.len());
    // The cells still wrong: (range in the current text, original text, reference).
    let mut wrong: Vec<(TextRange, String, String)> = vec![
        (ra, a.range.slice(orig_text).to_string(), a.reference()),
        (rb, b.range.slice(orig_text).to_string(), b.reference()),
    ];
    for round in 0..4 {
        let report = nianbao_core::parse(&text);
        let t3 = report.table("t3").expect("t3");
        let cell_ranges: BTreeSet<TextRange> = t3
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().map(|c| c.range))
            .collect();
        let diags = lint(&text);
        let nb30x: Vec<Diagnostic> = diags.iter().filter(|d| is_nb30x(d)).cloned().collect();
        if nb30x.is_empty() {
            problems.push(format!(
                "round {round}: {} cell(s) still wrong, and no NB30x diagnostic",
                wrong.len()
            ));
        }
        let mut safe = 0;
        for d in &nb30x {
            if matches!(d.code, "NB301" | "NB302" | "NB303") {
                if !cell_ranges.contains(&d.range) || !t3.range.contains(d.range.start) {
                    problems.push(format!(
                        "round {round}: {} is not on a table-三 cell",
                        describe(&text, d)
                    ));
                }
                let cells: Vec<&str> = d
                    .data
                    .get("cells")
                    .and_then(|c| c.as_array())
                    .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
                    .unwrap_or_default();
                if !wrong.iter().any(|(_, _, c)| cells.contains(&c.as_str())) {
                    problems.push(format!(
                        "round {round}: {} is about an identity with no wrong cell",
                        describe(&text, d)
                    ));
                }
            }
            let Some(f) = &d.fix else { continue };
            if f.applicability != Applicability::Safe {
                if d.severity == Severity::Error {
                    stats.unsafe_errors += 1;
                    if !wrong.iter().any(|(r, _, _)| *r == d.range) {
                        stats.unsafe_on_unmutated += 1;
                    }
                }
                continue;
            }
            safe += 1;
            let right = f.edits.iter().all(|e| {
                wrong
                    .iter()
                    .any(|(r, orig, _)| e.range == *r && e.new_text == *orig)
            });
            if !right {
                problems.push(format!(
                    "round {round}: wrong Safe fix {}",
                    describe(&text, d)
                ));
            }
        }
        if !problems.is_empty() {
            problems.push(format!(
                "  cells still wrong: {}; NB30x diagnostics:\n{}",
                wrong
                    .iter()
                    .map(|(r, o, c)| format!("{c} at {}..{} (was {o})", r.start, r.end))
                    .collect::<Vec<_>>()
                    .join(", "),
                listing(&text, &nb30x)
            ));
            break;
        }
        if safe == 0 {
            break;
        }
        // Apply them (the NB30x ones: a sample's other diagnostics may have safe fixes of
        // their own); the cells put right are no longer wrong, the others move.
        let fixed = fix::apply(&text, &nb30x, false);
        let mut edits: Vec<(TextRange, usize)> = nb30x
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability == Applicability::Safe)
            .flat_map(|f| f.edits.iter().map(|e| (e.range, e.new_text.len())))
            .collect();
        edits.sort();
        edits.dedup();
        wrong.retain(|(r, _, _)| !edits.iter().any(|(e, _)| e == r));
        for (r, _, _) in &mut wrong {
            let mut moved = *r;
            for (e, n) in edits.iter().rev() {
                moved = shift(moved, *e, *n);
            }
            *r = moved;
        }
        text = fixed.text;
        stats.one_restored |= wrong.len() == 1;
        if wrong.is_empty() {
            stats.restored = true;
            if text != orig_text {
                problems.push("the safe fixes did not restore the original text".into());
            } else {
                let left: Vec<Diagnostic> = lint(&text).into_iter().filter(is_nb30x).collect();
                if !left.is_empty() {
                    problems.push(format!(
                        "after the safe fixes, NB30x diagnostics remain:\n{}",
                        listing(&text, &left)
                    ));
                }
            }
            break;
        }
    }
    (problems, stats)
}

#[test]
fn two_mutations_get_only_right_safe_fixes() {
    let mut outcomes = Vec::new();
    let (mut checked, mut restored, mut one, mut unsafe_errors, mut unsafe_unmutated) =
        (0, 0, 0, 0, 0);
    for name in SAMPLES {
        let text = read_sample(name);
        let report = nianbao_core::parse(&text);
        let cells: Vec<Target> = targets(name, &text, &report)
            .into_iter()
            .filter(|t| t.table == "t3")
            .collect();
        // Every 11th pair in 004 (real data with blanks), every 97th elsewhere (the tables
        // are all zeros), in reading order: a spread of row and column combinations.
        let stride = if name.starts_with("004") { 11 } else { 97 };
        let mut k = 0;
        for (i, a) in cells.iter().enumerate() {
            for b in &cells[i + 1..] {
                if a.row == b.row || a.column == b.column {
                    continue;
                }
                k += 1;
                if k % stride != 0 {
                    continue;
                }
                // Different amounts, and equal ones (then swapping which cells are wrong
                // explains the sums as well).
                for (da, db) in [(1, 7), (1, 1)] {
                    checked += 1;
                    let (problems, st) = check_pair(&text, a, b, da, db);
                    restored += usize::from(st.restored);
                    one += usize::from(st.one_restored && !st.restored);
                    unsafe_errors += st.unsafe_errors;
                    unsafe_unmutated += st.unsafe_on_unmutated;
                    let problems = if problems.is_empty() {
                        problems
                    } else {
                        let mut v = vec![format!(
                            "{} {} → {}, {} {} → {}",
                            a.reference(),
                            a.value,
                            a.value + da,
                            b.reference(),
                            b.value,
                            b.value + db
                        )];
                        v.extend(problems);
                        v
                    };
                    outcomes.push((
                        (
                            name.to_string(),
                            format!("{}+{}", a.reference(), b.reference()),
                            format!("{da}+{db}"),
                        ),
                        problems,
                    ));
                }
            }
        }
    }
    eprintln!(
        "two-cell mutations checked: {checked}; both cells put right by safe fixes: \
         {restored}, one: {one}; errors with only an unsafe fix: {unsafe_errors}, of which on \
         a cell that was not mutated: {unsafe_unmutated}"
    );
    assert!(checked > 1000, "{checked}");
    settle(outcomes);
}
