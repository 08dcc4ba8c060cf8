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
use crate::rules::names::{cell_name, cell_name_ref, operand_name};
use crate::schema::{FormatVersion, Identity, schema};

/// A cell reference `table.row.column`.
pub type CellRef = (&'static str, &'static str, &'static str);

pub fn ref_string(r: &CellRef) -> String {
    [r.0, r.1, r.2].join(".")
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

/// A part of a cell reference template: a fixed key (with its [`Keys`] id), or the
/// `{col}`/`{row}` placeholder.
#[derive(Debug, Clone, Copy)]
enum Part {
    Fixed(&'static str, u16),
    Each,
}

/// An identity with its references parsed once: `t3.r1_new.{col}` → (Fixed, Each).
struct Template {
    identity: &'static Identity,
    cols: Vec<(&'static str, u16)>,
    by_row: bool,
    lhs: Vec<(Part, Part)>,
    rhs: Vec<(Part, Part)>,
}

/// Small ids for the row keys and column keys of the schema and the identities, so that an
/// operand resolves by indexing (see [`Grid`]) instead of hashing and comparing strings.
struct Keys {
    rows: HashMap<&'static str, u16>,
    cols: HashMap<&'static str, u16>,
    /// Whether a row holds numbers, by table id and row id: as the table's first shape that
    /// has the row says.
    numeric: HashMap<&'static str, Vec<Option<bool>>>,
}

impl Keys {
    /// The key as kept in `map` (the schema's own string, first seen), and its id (given
    /// when first seen).
    fn id(map: &mut HashMap<&'static str, u16>, key: &'static str) -> (&'static str, u16) {
        if let Some((&k, &i)) = map.get_key_value(key) {
            return (k, i);
        }
        let i = u16::try_from(map.len()).expect("fewer than 65536 keys");
        map.insert(key, i);
        (key, i)
    }
}

struct Compiled {
    keys: Keys,
    templates: Vec<Template>,
}

fn compiled() -> &'static Compiled {
    static T: std::sync::OnceLock<Compiled> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut keys = Keys {
            rows: HashMap::default(),
            cols: HashMap::default(),
            numeric: HashMap::default(),
        };
        for shape in &schema().tables {
            for c in &shape.columns {
                Keys::id(&mut keys.cols, c.key);
            }
            for r in &shape.rows {
                Keys::id(&mut keys.rows, r.key);
            }
        }
        let templates = schema()
            .identities
            .iter()
            .map(|id| {
                let fe = id.for_each.as_ref();
                let cols = fe
                    .and_then(|f| f.get("col"))
                    .and_then(|c| c.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str())
                            .map(|c| Keys::id(&mut keys.cols, c))
                            .collect()
                    })
                    .unwrap_or_default();
                let mut refs = |v: &'static [String]| {
                    v.iter()
                        .filter_map(|r| {
                            let mut it = r.split('.');
                            let (_, row, col) = (it.next()?, it.next()?, it.next()?);
                            let row = match row {
                                "{row}" => Part::Each,
                                k => {
                                    let (k, i) = Keys::id(&mut keys.rows, k);
                                    Part::Fixed(k, i)
                                }
                            };
                            let col = match col {
                                "{col}" => Part::Each,
                                k => {
                                    let (k, i) = Keys::id(&mut keys.cols, k);
                                    Part::Fixed(k, i)
                                }
                            };
                            Some((row, col))
                        })
                        .collect()
                };
                let (lhs, rhs) = (refs(&id.lhs), refs(&id.rhs));
                Template {
                    identity: id,
                    cols,
                    by_row: fe.is_some_and(|f| f.get("row").is_some()),
                    lhs,
                    rhs,
                }
            })
            .collect();
        // A row holds numbers as its table's first shape that has the row says.
        let n = keys.rows.len();
        for shape in &schema().tables {
            let v = keys
                .numeric
                .entry(shape.id)
                .or_insert_with(|| vec![None; n]);
            for r in &shape.rows {
                v[usize::from(keys.rows[r.key])].get_or_insert(r.numeric);
            }
        }
        Compiled { keys, templates }
    })
}

/// Whether two keys are equal, comparing addresses first: the model's keys and the
/// schema's are mostly the same `&'static str`.
#[inline]
fn same_key(a: &str, b: &str) -> bool {
    (a.len() == b.len() && std::ptr::eq(a.as_ptr(), b.as_ptr())) || a == b
}

/// A table's rows and columns by key id: the first complete row with each key (a row that
/// ended early may have its values in the wrong columns: it is not evaluated), and the
/// position of each column in the table's header.
struct Grid<'r> {
    table: &'static str,
    /// By row id.
    rows: Vec<Option<&'r Row>>,
    /// By row id: the row's cells are in the header's column order, one per column.
    aligned: Vec<bool>,
    /// The row id of each of the table's rows.
    row_ids: Vec<Option<u16>>,
    /// By column id: the column's position in `columns`.
    col_pos: Vec<Option<u8>>,
}

impl<'r> Grid<'r> {
    fn new(table: &'r Table, keys: &Keys) -> Self {
        let mut rows = vec![None; keys.rows.len()];
        let mut aligned = vec![false; keys.rows.len()];
        let mut col_pos: Vec<Option<u8>> = vec![None; keys.cols.len()];
        let mut distinct = table.columns.len() <= usize::from(u8::MAX);
        for (j, c) in table.columns.iter().enumerate() {
            match keys.cols.get(c) {
                Some(&i) if col_pos[usize::from(i)].is_none() => {
                    col_pos[usize::from(i)] = u8::try_from(j).ok();
                }
                Some(_) => distinct = false,
                None => {}
            }
        }
        let row_ids = table
            .rows
            .iter()
            .map(|r| {
                let i = keys.rows.get(r.key?).copied()?;
                let slot = &mut rows[usize::from(i)];
                if slot.is_none() && !r.incomplete {
                    *slot = Some(r);
                    aligned[usize::from(i)] = distinct
                        && r.cells.len() == table.columns.len()
                        && r.cells
                            .iter()
                            .zip(&table.columns)
                            .all(|(cell, c)| same_key(cell.column, c));
                }
                Some(i)
            })
            .collect();
        Grid {
            table: table.id,
            rows,
            aligned,
            row_ids,
            col_pos,
        }
    }

    /// The first cell with column `col` of the first complete row with key id `row`.
    fn cell(&self, row: u16, (col, col_id): (&str, u16)) -> Option<(&'r Row, &'r Cell)> {
        let r = self.rows[usize::from(row)]?;
        let cell = if self.aligned[usize::from(row)] {
            &r.cells[usize::from(self.col_pos[usize::from(col_id)]?)]
        } else {
            r.cells.iter().find(|c| c.column == col)?
        };
        Some((r, cell))
    }
}

/// What an operand resolves to, before it is made an [`Operand`]: its row key, cell, value,
/// and whether it is a blank counted as 0.
type Resolved<'r> = (&'static str, &'r Cell, i64, bool);

/// The operand at `row` and `col`, if it resolves (a number, or a blank or placeholder with
/// `blank_as_zero`).
#[inline]
fn operand_value<'r>(
    grid: &Grid<'r>,
    row: u16,
    col: (&str, u16),
    settings: &Settings,
) -> Option<Resolved<'r>> {
    let (r, cell) = grid.cell(row, col)?;
    let key = r.key?;
    match cell.state {
        CellState::Number => Some((key, cell, cell.value?.as_i64()?, false)),
        CellState::Blank | CellState::Placeholder if settings.blank_as_zero => {
            Some((key, cell, 0, true))
        }
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

/// Every instance of every identity that applies to `report`, with the findings. (`text`,
/// the report's text, is not needed: the model has every value; it stays for the API.)
pub fn analyse<'r>(_text: &str, report: &'r Report, settings: &Settings) -> Analysis<'r> {
    analyse_with(report, settings, true)
}

/// [`analyse`] keeping only the instances that fail (the findings point into them): what
/// the rules need, without an allocation for each identity that holds.
pub fn analyse_failing<'r>(_text: &str, report: &'r Report, settings: &Settings) -> Analysis<'r> {
    analyse_with(report, settings, false)
}

fn analyse_with<'r>(report: &'r Report, settings: &Settings, keep_holding: bool) -> Analysis<'r> {
    let mut instances = Vec::with_capacity(if keep_holding { 128 } else { 8 });
    // The cells of the instances that hold, once per instance.
    let mut confirming: Vec<CellAddr> = Vec::with_capacity(512);
    let (mut lhs_cells, mut rhs_cells) = (Vec::new(), Vec::new());
    let mut seen_tables = BTreeSet::new();
    let c = compiled();
    for table in &report.tables {
        if !seen_tables.insert(table.id) {
            continue; // a duplicate table: the first one is checked
        }
        let grid = Grid::new(table, &c.keys);
        let numeric = c.keys.numeric.get(table.id);
        for t in &c.templates {
            if !applies(t.identity, table, report) {
                continue;
            }
            let cols: Vec<Option<(&'static str, u16)>> = if t.cols.is_empty() {
                vec![None]
            } else {
                t.cols.iter().copied().map(Some).collect()
            };
            let rows: Vec<Option<(&'static str, u16)>> = if t.by_row {
                table
                    .rows
                    .iter()
                    .zip(&grid.row_ids)
                    .filter_map(|(r, i)| Some((r.key?, (*i)?)))
                    .filter(|(_, i)| numeric.is_some_and(|n| n[usize::from(*i)] == Some(true)))
                    .map(Some)
                    .collect()
            } else {
                vec![None]
            };
            for col in &cols {
                for row in &rows {
                    let resolve = |(r, c): &(Part, Part)| {
                        let ri = match r {
                            Part::Fixed(_, i) => *i,
                            Part::Each => (*row)?.1,
                        };
                        let ck = match c {
                            Part::Fixed(k, i) => (*k, *i),
                            Part::Each => (*col)?,
                        };
                        operand_value(&grid, ri, ck, settings)
                    };
                    // Every operand must resolve, into buffers reused from instance to
                    // instance; the operands are built only for an instance that fails or
                    // is kept (most hold and are not).
                    let resolve_side = |parts: &[(Part, Part)], v: &mut Vec<Resolved<'r>>| {
                        v.clear();
                        let mut total = 0i64;
                        for p in parts {
                            let r = resolve(p)?;
                            total += r.2;
                            v.push(r);
                        }
                        Some(total)
                    };
                    let (Some(l), Some(r)) = (
                        resolve_side(&t.lhs, &mut lhs_cells),
                        resolve_side(&t.rhs, &mut rhs_cells),
                    ) else {
                        continue;
                    };
                    let holds = l == r;
                    if holds {
                        confirming.extend(lhs_cells.iter().chain(&rhs_cells).map(|x| addr(x.1)));
                        if !keep_holding {
                            continue;
                        }
                    }
                    let operands = |v: &[Resolved<'r>]| -> Vec<Operand<'r>> {
                        v.iter()
                            .map(|&(key, cell, value, blank)| Operand {
                                cell_ref: (grid.table, key, cell.column),
                                cell,
                                value,
                                blank,
                            })
                            .collect()
                    };
                    instances.push(Instance {
                        identity: t.identity,
                        table: table.id,
                        column: col.map(|c| c.0),
                        row: row.map(|r| r.0),
                        lhs: operands(&lhs_cells),
                        rhs: operands(&rhs_cells),
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
            let name = cell_name_ref(o.cell_ref.0, o.cell_ref.1, o.cell_ref.2);
            let mut message = String::with_capacity(name.len() + 24);
            message.push_str(&name);
            message.push_str(" = ");
            if o.blank {
                message.push('空');
            } else {
                message.push_str(itoa::Buffer::new().format(o.value));
            }
            d.related.push(Related {
                message,
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
        d.data = cx.data(|| {
            // The references as JSON strings, made once for "lhs", "rhs" and "cells".
            let refs = |ops: &[Operand<'_>]| -> Vec<serde_json::Value> {
                ops.iter()
                    .map(|o| serde_json::Value::String(ref_string(&o.cell_ref)))
                    .collect()
            };
            let (lhs, rhs) = (refs(&inst.lhs), refs(&inst.rhs));
            let cells: Vec<serde_json::Value> = lhs.iter().chain(&rhs).cloned().collect();
            let mut data = serde_json::Map::with_capacity(13);
            let mut put = |k: &str, v: serde_json::Value| data.insert(k.to_owned(), v);
            put("identity", inst.identity.id.clone().into());
            put("table", inst.table.into());
            put("expected", f.expected.into());
            put("actual", f.actual.into());
            put("target", ref_string(&f.target).into());
            put("lhs", lhs.into());
            put("rhs", rhs.into());
            put("cells", cells.into());
            put("lhs_sum", inst.lhs_sum().into());
            put("rhs_sum", inst.rhs_sum().into());
            let mut data = serde_json::Value::Object(data);
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
            data
        });
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: &str = include_str!("../../../../tests/fixtures/rules/clean-2023.txt");

    /// What [`Grid::cell`] must answer: the first complete row with the key, its first cell
    /// with the column, found by comparing strings.
    fn searched<'r>(table: &'r Table, row: &str, col: &str) -> Option<&'r Cell> {
        let r = table
            .rows
            .iter()
            .find(|r| !r.incomplete && r.key == Some(row))?;
        r.cells.iter().find(|c| c.column == col)
    }

    /// An identity with an operand that does not resolve holds nothing, so the cells it read
    /// before that operand are not confirmed by it.
    #[test]
    fn an_identity_that_does_not_resolve_confirms_no_cell() {
        // 予以公开 (自然人) 10 → 11 breaks its row total and the column's outcome sum; a
        // text in 部分公开 (自然人) leaves that sum unresolved. The row total fails alone, and
        // its one unconfirmed operand is the changed cell.
        let text = CLEAN
            .replacen("（一）予以公开\t10\t", "（一）予以公开\t11\t", 1)
            .replacen("不计其他情形）\t2\t", "不计其他情形）\t见说明\t", 1);
        assert_ne!(text, CLEAN);
        let report = crate::parse(&text);
        let settings = Settings::default();
        for keep_holding in [false, true] {
            let a = analyse_with(&report, &settings, keep_holding);
            let found: Vec<(&str, CellRef, i64, bool)> = a
                .findings
                .iter()
                .map(|f| {
                    (
                        a.instances[f.instance].identity.id.as_str(),
                        f.target,
                        f.expected,
                        f.fixable,
                    )
                })
                .collect();
            assert_eq!(
                found,
                [(
                    "T3_ROW_TOTAL",
                    ("t3", "r3_1_open", "natural_person"),
                    10,
                    true
                )],
                "keep_holding: {keep_holding}"
            );
        }
    }

    #[test]
    fn cells_resolve_by_id_as_a_search_by_key_does() {
        let report = crate::parse(CLEAN);
        // The same report with a row whose cells are not in the header's order (so it is
        // looked up by search), an incomplete copy of a row before it (skipped) and a table
        // with a repeated column (every row looked up by search).
        let mut odd = report.clone();
        let t3 = odd.tables.iter_mut().find(|t| t.id == "t3").expect("t3");
        t3.rows[3].cells.reverse();
        let mut early = t3.rows[5].clone();
        early.incomplete = true;
        early.cells[0].raw = "early".into();
        t3.rows.insert(5, early);
        let t4 = odd.tables.iter_mut().find(|t| t.id == "t4").expect("t4");
        t4.columns.push(t4.columns[0]);
        let keys = &compiled().keys;
        let mut found = 0;
        for r in [&report, &odd] {
            for table in &r.tables {
                let grid = Grid::new(table, keys);
                for (row, &ri) in &keys.rows {
                    for (col, &ci) in &keys.cols {
                        let want = searched(table, row, col);
                        let got = grid.cell(ri, (col, ci)).map(|(_, c)| c);
                        assert!(
                            match (want, got) {
                                (Some(w), Some(g)) => std::ptr::eq(w, g),
                                (None, None) => true,
                                _ => false,
                            },
                            "{}.{row}.{col}: {want:?} vs {got:?}",
                            table.id
                        );
                        found += usize::from(want.is_some());
                    }
                }
            }
        }
        assert!(found >= 400, "only {found} cells resolved");
    }
}
