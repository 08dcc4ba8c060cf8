//! The arithmetic identities of `templates.json`, evaluated once per run, and the
//! localisation of errors: which cell is most likely wrong, and whether setting it is a
//! safe fix.
//!
//! Evaluation is three-valued (spec §5.5): an identity with a text or unreadable operand
//! is not evaluated; blank operands count as 0 (when configured) and a failure that
//! involves them is reported as unverifiable, on the blank cells, not as an error.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use crate::diagnostic::Applicability;
use crate::model::{Cell, CellState, Report, Row, Table};
use crate::rules::config::Settings;
use crate::rules::names::{cell_name, operand_name};
use crate::schema::{FormatVersion, Identity, schema};

/// A cell reference `table.row.column`.
pub type CellRef = (&'static str, &'static str, &'static str);

pub fn ref_string(r: &CellRef) -> String {
    format!("{}.{}.{}", r.0, r.1, r.2)
}

#[derive(Debug, Clone)]
pub struct Operand<'r> {
    pub cell_ref: CellRef,
    pub cell: &'r Cell,
    pub value: i64,
    /// Blank or placeholder, counted as 0.
    pub blank: bool,
}

/// One expansion of an identity (one column, one row, or the identity itself).
#[derive(Debug, Clone)]
pub struct Instance<'r> {
    pub identity: &'static Identity,
    pub table: &'static str,
    /// The column (`for_each.col`) or row (`for_each.row`) this instance runs down or along.
    pub column: Option<&'static str>,
    pub row: Option<&'static str>,
    pub lhs: Vec<Operand<'r>>,
    pub rhs: Vec<Operand<'r>>,
    pub holds: bool,
}

impl<'r> Instance<'r> {
    pub fn lhs_sum(&self) -> i64 {
        self.lhs.iter().map(|o| o.value).sum()
    }
    pub fn rhs_sum(&self) -> i64 {
        self.rhs.iter().map(|o| o.value).sum()
    }
    pub fn operands(&self) -> impl Iterator<Item = &Operand<'r>> {
        self.lhs.iter().chain(self.rhs.iter())
    }
    pub fn has_blank(&self) -> bool {
        self.operands().any(|o| o.blank)
    }
    /// Whether `cell` is an operand. Within one analysis a cell reference resolves to one
    /// cell (the first complete row with the key, its first cell with the column), so
    /// operands are told apart by address, without comparing three strings.
    fn contains_cell(&self, cell: &Cell) -> bool {
        self.operands().any(|o| std::ptr::eq(o.cell, cell))
    }
    /// The cell the identity totals: the single left-hand cell, else the first right-hand
    /// one (T3_BALANCE: （七）总计).
    pub fn total_ref(&self) -> CellRef {
        self.total_operand().cell_ref
    }
    fn total_operand(&self) -> &Operand<'r> {
        if self.lhs.len() == 1 {
            &self.lhs[0]
        } else {
            &self.rhs[0]
        }
    }
    /// The value `r` must have for this instance to hold.
    pub fn required(&self, r: &CellRef) -> Option<i64> {
        let (l, rs) = (self.lhs_sum(), self.rhs_sum());
        if let Some(o) = self.lhs.iter().find(|o| o.cell_ref == *r) {
            return Some(o.value + (rs - l));
        }
        self.rhs
            .iter()
            .find(|o| o.cell_ref == *r)
            .map(|o| o.value + (l - rs))
    }
    fn operand(&self, r: &CellRef) -> Option<&Operand<'r>> {
        self.operands().find(|o| o.cell_ref == *r)
    }

    /// "予以公开 18 + 部分公开 1 − 结转下年度 1 + 其余 12 项为 0": the expression that
    /// gives the value `target` should have.
    pub fn expression(&self, target: &CellRef) -> String {
        let along_row = self.row.is_some();
        let on_lhs = self.lhs.iter().any(|o| o.cell_ref == *target);
        let (other, same) = if on_lhs {
            (&self.rhs, &self.lhs)
        } else {
            (&self.lhs, &self.rhs)
        };
        let mut parts: Vec<String> = Vec::new();
        let mut zeros = 0;
        let term = |o: &Operand<'_>| {
            let name = operand_name(o.cell_ref.0, o.cell_ref.1, o.cell_ref.2, along_row);
            if o.blank {
                format!("{name} 空（按 0 计）")
            } else {
                format!("{name} {}", o.value)
            }
        };
        for o in other.iter() {
            if o.value == 0 && !o.blank && other.len() > 4 {
                zeros += 1;
            } else {
                parts.push(term(o));
            }
        }
        let mut s = parts.join(" + ");
        if zeros > 0 {
            if s.is_empty() {
                s = format!("{zeros} 项均为 0");
            } else {
                s.push_str(&format!(" + 其余 {zeros} 项为 0"));
            }
        }
        for o in same.iter().filter(|o| o.cell_ref != *target) {
            if o.value != 0 || o.blank {
                s.push_str(&format!(" − {}", term(o)));
            }
        }
        s
    }
}

/// What the analysis concludes about a failing instance.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Index into [`Analysis::instances`].
    pub instance: usize,
    /// The cell most likely wrong.
    pub target: CellRef,
    pub expected: i64,
    pub actual: i64,
    pub applicability: Applicability,
    /// Setting the target to `expected` is offered as a fix. Not when the target is
    /// confirmed by an identity that holds: the fix would break that identity, and fixing
    /// again would undo it (found by fuzzing `fix_all`: two totals flipping for ever).
    pub fixable: bool,
    /// The failure involves blank cells counted as 0: unverifiable, not an error.
    pub unverifiable: bool,
}

#[derive(Debug, Default)]
pub struct Analysis<'r> {
    pub instances: Vec<Instance<'r>>,
    pub findings: Vec<Finding>,
}

/// A part of a cell reference template: a fixed key, or the `{col}`/`{row}` placeholder.
#[derive(Debug, Clone, Copy)]
enum Part {
    Fixed(&'static str),
    Each,
}

/// An identity with its references parsed once: `t3.r1_new.{col}` → (Fixed, Each).
struct Template {
    identity: &'static Identity,
    cols: Vec<&'static str>,
    by_row: bool,
    lhs: Vec<(Part, Part)>,
    rhs: Vec<(Part, Part)>,
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn part(s: &str, placeholder: &str) -> Part {
    if s == placeholder {
        Part::Each
    } else {
        Part::Fixed(leak(s))
    }
}

fn templates() -> &'static [Template] {
    static T: std::sync::OnceLock<Vec<Template>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        schema()
            .identities
            .iter()
            .map(|id| {
                let fe = id.for_each.as_ref();
                let cols = fe
                    .and_then(|f| f.get("col"))
                    .and_then(|c| c.as_array())
                    .map(|a| a.iter().filter_map(|x| x.as_str()).map(leak).collect())
                    .unwrap_or_default();
                let refs = |v: &[String]| {
                    v.iter()
                        .filter_map(|r| {
                            let mut it = r.split('.');
                            let (_, row, col) = (it.next()?, it.next()?, it.next()?);
                            Some((part(row, "{row}"), part(col, "{col}")))
                        })
                        .collect()
                };
                Template {
                    identity: id,
                    cols,
                    by_row: fe.is_some_and(|f| f.get("row").is_some()),
                    lhs: refs(&id.lhs),
                    rhs: refs(&id.rhs),
                }
            })
            .collect()
    })
}

/// The rows of a table by key: the first complete row with each key. (A row that ended
/// early may have its values in the wrong columns: it is not evaluated.)
struct Rows<'r> {
    table: &'static str,
    by_key: HashMap<&'static str, &'r Row>,
}

impl<'r> Rows<'r> {
    fn new(table: &'r Table) -> Self {
        let mut by_key = HashMap::default();
        for r in table.rows.iter().filter(|r| !r.incomplete) {
            if let Some(k) = r.key {
                by_key.entry(k).or_insert(r);
            }
        }
        Rows {
            table: table.id,
            by_key,
        }
    }
}

fn operand<'r>(rows: &Rows<'r>, row: &str, col: &str, settings: &Settings) -> Option<Operand<'r>> {
    let r = *rows.by_key.get(row)?;
    let cell = r.cells.iter().find(|c| c.column == col)?;
    let cell_ref = (rows.table, r.key?, cell.column);
    match cell.state {
        CellState::Number => Some(Operand {
            cell_ref,
            cell,
            value: cell.value?.as_i64()?,
            blank: false,
        }),
        CellState::Blank | CellState::Placeholder if settings.blank_as_zero => Some(Operand {
            cell_ref,
            cell,
            value: 0,
            blank: true,
        }),
        _ => None,
    }
}

/// Which identities apply to a table: table 三's outcome sum is chosen by the shape the
/// table actually has (the hybrid identity for a hybrid report's v2019-shaped table).
fn applies(id: &Identity, table: &Table, report: &Report) -> bool {
    if id.table != table.id {
        return false;
    }
    if id.id.starts_with("T3_OUTCOME_SUM") {
        let want = match table.shape {
            None => return false,
            Some(FormatVersion::V2021) => FormatVersion::V2021,
            Some(_) if report.format.version == FormatVersion::Hybrid => FormatVersion::Hybrid,
            Some(_) => FormatVersion::V2019,
        };
        return id.versions.contains(&want);
    }
    true
}

/// Whether `row` of `table` holds numbers, as its first table shape that has the row says.
fn is_numeric_row(table: &str, row: &str) -> bool {
    static NUMERIC: std::sync::OnceLock<HashMap<(&'static str, &'static str), bool>> =
        std::sync::OnceLock::new();
    let numeric = NUMERIC.get_or_init(|| {
        let mut m = HashMap::default();
        for shape in &schema().tables {
            for r in &shape.rows {
                m.entry((shape.id, r.key)).or_insert(r.numeric);
            }
        }
        m
    });
    numeric.get(&(table, row)).copied().unwrap_or(false)
}

/// Every instance of every identity that applies to `report`, with the findings.
pub fn analyse<'r>(text: &str, report: &'r Report, settings: &Settings) -> Analysis<'r> {
    analyse_with(text, report, settings, true)
}

/// [`analyse`] keeping only the instances that fail (the findings point into them): what
/// the rules need, without an allocation for each identity that holds.
pub fn analyse_failing<'r>(text: &str, report: &'r Report, settings: &Settings) -> Analysis<'r> {
    analyse_with(text, report, settings, false)
}

fn analyse_with<'r>(
    _text: &str,
    report: &'r Report,
    settings: &Settings,
    keep_holding: bool,
) -> Analysis<'r> {
    let mut instances = Vec::with_capacity(if keep_holding { 128 } else { 8 });
    // The cells of the instances that hold, once per instance.
    let mut confirming: Vec<CellAddr> = Vec::with_capacity(512);
    let (mut lhs, mut rhs) = (Vec::new(), Vec::new());
    let mut seen_tables = BTreeSet::new();
    for table in &report.tables {
        if !seen_tables.insert(table.id) {
            continue; // a duplicate table: the first one is checked
        }
        let by_key = Rows::new(table);
        for t in templates() {
            if !applies(t.identity, table, report) {
                continue;
            }
            let cols: Vec<Option<&'static str>> = if t.cols.is_empty() {
                vec![None]
            } else {
                t.cols.iter().map(|c| Some(*c)).collect()
            };
            let rows: Vec<Option<&'static str>> = if t.by_row {
                table
                    .rows
                    .iter()
                    .filter_map(|r| r.key)
                    .filter(|k| is_numeric_row(table.id, k))
                    .map(Some)
                    .collect()
            } else {
                vec![None]
            };
            for col in &cols {
                for row in &rows {
                    let resolve = |(r, c): &(Part, Part)| {
                        let rk = match r {
                            Part::Fixed(k) => *k,
                            Part::Each => (*row)?,
                        };
                        let ck = match c {
                            Part::Fixed(k) => *k,
                            Part::Each => (*col)?,
                        };
                        operand(&by_key, rk, ck, settings)
                    };
                    // Every operand must resolve (into buffers reused from instance to
                    // instance: most hold and are not kept).
                    let side = |parts: &[(Part, Part)], v: &mut Vec<Operand<'r>>| {
                        v.clear();
                        for p in parts {
                            v.push(resolve(p)?);
                        }
                        Some(())
                    };
                    if side(&t.lhs, &mut lhs).is_none() || side(&t.rhs, &mut rhs).is_none() {
                        continue;
                    }
                    let holds = lhs.iter().map(|o| o.value).sum::<i64>()
                        == rhs.iter().map(|o| o.value).sum::<i64>();
                    if holds {
                        confirming.extend(lhs.iter().chain(&rhs).map(|o| addr(o.cell)));
                        if !keep_holding {
                            continue;
                        }
                    }
                    instances.push(Instance {
                        identity: t.identity,
                        table: table.id,
                        column: *col,
                        row: *row,
                        lhs: lhs.clone(),
                        rhs: rhs.clone(),
                        holds,
                    });
                }
            }
        }
    }
    let findings = localise(&instances, &confirming);
    Analysis {
        instances,
        findings,
    }
}

/// A cell's address: what tells cells apart within one analysis (see
/// [`Instance::contains_cell`]).
type CellAddr = usize;

fn addr(cell: &Cell) -> CellAddr {
    std::ptr::from_ref(cell) as CellAddr
}

/// For each connected group of failing instances, the cell most likely wrong.
fn localise(instances: &[Instance<'_>], confirming: &[CellAddr]) -> Vec<Finding> {
    let mut out = Vec::new();
    let failing: Vec<usize> = (0..instances.len())
        .filter(|i| !instances[*i].holds)
        .collect();
    // Failures that involve blank cells are unverifiable: reported on the blank cells.
    let (blanky, hard): (Vec<usize>, Vec<usize>) =
        failing.iter().partition(|i| instances[**i].has_blank());
    for i in blanky {
        let inst = &instances[i];
        let blanks: Vec<&Operand<'_>> = inst.operands().filter(|o| o.blank).collect();
        let target = blanks[0].cell_ref;
        out.push(Finding {
            instance: i,
            target,
            expected: inst.required(&target).unwrap_or(0),
            actual: 0,
            applicability: Applicability::Unsafe,
            fixable: true,
            unverifiable: true,
        });
    }
    if hard.is_empty() {
        return out; // what follows only places hard failures
    }
    // Cells confirmed by an identity that holds.
    let confirmed: rustc_hash::FxHashSet<CellAddr> = confirming.iter().copied().collect();
    let confirmed = |o: &Operand<'_>| confirmed.contains(&addr(o.cell));
    // Connected components of hard failures (sharing a cell).
    let mut comp: Vec<usize> = (0..hard.len()).collect();
    fn root(c: &mut [usize], mut i: usize) -> usize {
        while c[i] != i {
            c[i] = c[c[i]];
            i = c[i];
        }
        i
    }
    for a in 0..hard.len() {
        for b in a + 1..hard.len() {
            let (x, y) = (&instances[hard[a]], &instances[hard[b]]);
            if x.operands().any(|o| y.contains_cell(o.cell)) {
                let (ra, rb) = (root(&mut comp, a), root(&mut comp, b));
                comp[ra] = rb;
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut gi: HashMap<usize, usize> = HashMap::default();
    for (a, inst) in hard.iter().enumerate() {
        let r = root(&mut comp, a);
        let g = *gi.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(*inst);
    }
    for group in groups {
        // Cells in every failing instance of the group whose change fixes them all and
        // breaks no identity that holds.
        let first = &instances[group[0]];
        let candidates: Vec<(CellRef, i64)> = first
            .operands()
            .filter(|o| group.iter().all(|g| instances[*g].contains_cell(o.cell)))
            .filter(|o| !confirmed(o))
            .filter_map(|o| {
                let vals: Vec<i64> = group
                    .iter()
                    .filter_map(|g| instances[*g].required(&o.cell_ref))
                    .collect();
                let v = vals[0];
                (vals.iter().all(|x| *x == v) && v >= 0).then_some((o.cell_ref, v))
            })
            .collect();
        if candidates.len() == 1 {
            let (target, expected) = candidates[0];
            for g in &group {
                let actual = instances[*g].operand(&target).map(|o| o.value).unwrap_or(0);
                out.push(Finding {
                    instance: *g,
                    target,
                    expected,
                    actual,
                    applicability: Applicability::Safe,
                    fixable: true,
                    unverifiable: false,
                });
            }
            continue;
        }
        for g in &group {
            let inst = &instances[*g];
            let total = inst.total_operand();
            let target =
                if candidates.iter().any(|(c, _)| *c == total.cell_ref) || !confirmed(total) {
                    total
                } else if let Some(o) = candidates.first().and_then(|(c, _)| inst.operand(c)) {
                    o
                } else {
                    // The operand in most failing instances that no holding identity confirms.
                    inst.operands()
                        .filter(|o| !confirmed(o))
                        .max_by_key(|o| {
                            group
                                .iter()
                                .filter(|x| instances[**x].contains_cell(o.cell))
                                .count()
                        })
                        .unwrap_or(total)
                };
            out.push(Finding {
                instance: *g,
                target: target.cell_ref,
                expected: inst.required(&target.cell_ref).unwrap_or(0),
                actual: target.value,
                applicability: Applicability::Unsafe,
                fixable: !confirmed(target),
                unverifiable: false,
            });
        }
    }
    out.sort_by_key(|f| f.instance);
    out
}

/// The message for a finding: `表三“（七）总计”（自然人）应为 26（予以公开 18 + …），实为 20`.
pub fn message(inst: &Instance<'_>, f: &Finding) -> String {
    let (t, r, c) = f.target;
    let name = cell_name(t, r, c);
    if f.unverifiable {
        let blanks: Vec<String> = inst
            .operands()
            .filter(|o| o.blank)
            .map(|o| cell_name(o.cell_ref.0, o.cell_ref.1, o.cell_ref.2))
            .collect();
        let which = match blanks.len() {
            1 | 2 => blanks.join("、"),
            n => format!("{}等 {n} 个单元格", blanks[0]),
        };
        let (l, rs) = (inst.lhs_sum(), inst.rhs_sum());
        let fill = if blanks.len() == 1 {
            format!(
                "若其余数值无误，{name}应填 {}（{}）",
                f.expected,
                inst.expression(&f.target)
            )
        } else {
            "请逐一填写后再核对".to_string()
        };
        return format!(
            "{which}为空；空白按 0 计算时{}不成立（{l} ≠ {rs}，相差 {}），无法核对。{fill}",
            identity_name(inst),
            (l - rs).abs(),
        );
    }
    format!(
        "{name}应为 {}（{}），实为 {}",
        f.expected,
        inst.expression(&f.target),
        f.actual
    )
}

/// The identity in words: 表三“收支平衡”（自然人列）.
pub fn identity_name(inst: &Instance<'_>) -> String {
    let what = match inst.identity.id.as_str() {
        "T3_BALANCE" => "表三“一+二=三(七)+四”",
        s if s.starts_with("T3_OUTCOME_SUM") => "表三“（七）总计=各办理结果之和”",
        "T3_ROW_TOTAL" => "表三“总计=各类申请人之和”",
        "T4_REVIEW_TOTAL" => "表四“行政复议总计”",
        "T4_DIRECT_TOTAL" => "表四“未经复议直接起诉总计”",
        _ => "表四“复议后起诉总计”",
    };
    match (inst.column, inst.row) {
        (Some(c), _) => format!(
            "{what}（{}列）",
            crate::rules::names::column_label(inst.table, c)
        ),
        (_, Some(r)) => format!(
            "{what}（{}行）",
            crate::rules::names::row_short(inst.table, r)
        ),
        _ => what.to_string(),
    }
}

/// Turns the findings of identities whose id satisfies `which` into diagnostics of
/// `meta` (the NB30x rules share this).
pub(crate) fn report_findings(
    cx: &crate::rules::Context<'_>,
    meta: &'static crate::rules::RuleMeta,
    which: impl Fn(&str) -> bool,
    unverifiable: bool,
    out: &mut Vec<crate::diagnostic::Diagnostic>,
) {
    use crate::diagnostic::{Edit, Fix, Related};
    let a = cx.arith();
    for f in a.findings.iter().filter(|f| f.unverifiable == unverifiable) {
        let inst = &a.instances[f.instance];
        if !which(&inst.identity.id) {
            continue;
        }
        let Some(target) = inst.operand(&f.target) else {
            continue;
        };
        let mut d = cx.diag(meta, target.cell.range, message(inst, f));
        for o in inst.operands() {
            let v = if o.blank {
                "空".to_string()
            } else {
                o.value.to_string()
            };
            d.related.push(Related {
                message: format!(
                    "{} = {v}",
                    cell_name(o.cell_ref.0, o.cell_ref.1, o.cell_ref.2)
                ),
                range: o.cell.range,
                in_previous: false,
            });
        }
        let blanks = inst.operands().filter(|o| o.blank).count();
        let offer = !unverifiable || blanks == 1;
        if offer && f.fixable && f.expected >= 0 {
            let (t, r, c) = f.target;
            d.fix = Some(Fix {
                title: format!("把{}改为 {}", cell_name(t, r, c), f.expected),
                applicability: f.applicability,
                edits: vec![Edit {
                    range: target.cell.range,
                    new_text: f.expected.to_string(),
                }],
            });
        }
        let mut data = serde_json::json!({
            "identity": inst.identity.id,
            "table": inst.table,
            "expected": f.expected,
            "actual": f.actual,
            "target": ref_string(&f.target),
            "lhs": inst.lhs.iter().map(|o| ref_string(&o.cell_ref)).collect::<Vec<_>>(),
            "rhs": inst.rhs.iter().map(|o| ref_string(&o.cell_ref)).collect::<Vec<_>>(),
            "cells": inst.operands().map(|o| ref_string(&o.cell_ref)).collect::<Vec<_>>(),
            "lhs_sum": inst.lhs_sum(),
            "rhs_sum": inst.rhs_sum(),
        });
        if let Some(c) = inst.column {
            data["column"] = c.into();
        }
        if let Some(r) = inst.row {
            data["row"] = r.into();
        }
        if unverifiable {
            data["blank_cells"] = inst
                .operands()
                .filter(|o| o.blank)
                .map(|o| ref_string(&o.cell_ref))
                .collect::<Vec<_>>()
                .into();
        }
        d.data = data;
        out.push(d);
    }
}
