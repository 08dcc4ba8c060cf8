//! Reads tables 二, 三 and 四 from the slot stream by anchoring on labels and counting
//! value slots (spec §8 "anchor and count"), so merged or missing cells never shift a value
//! into the wrong column.

use compact_str::CompactString;

use crate::fold::{FoldMode, fold_str};
use crate::model::{Cell, CellState, LabelMatch, Layout, ParseIssue, ParseIssueKind, Row, Table};
use crate::parse::glued;
use crate::parse::slots::{Slot, SlotKind};
use crate::parse::vocab::{Class, How, Label, vocab};
use crate::schema::{FormatVersion, TableSchema, schema};
use crate::text::TextRange;

pub(crate) struct Item {
    pub slot: Slot,
    pub class: Class,
}

pub(crate) fn classify(text: &str, slots: Vec<Slot>) -> Vec<Item> {
    let v = vocab();
    let mut buf = String::new();
    slots
        .into_iter()
        .map(|slot| {
            let class = match slot.kind {
                SlotKind::Text => {
                    let raw = slot.range.slice(text);
                    // Most cells are plain ASCII numbers: no folding needed.
                    match raw.bytes().all(|b| b.is_ascii_digit()) {
                        true => match crate::grammar::parse_number(raw) {
                            Some(n) => Class::Number(n),
                            None => v.classify(raw, raw),
                        },
                        false => v.classify_text(raw, &mut buf),
                    }
                }
                SlotKind::Empty => Class::Blank,
                _ => Class::Other,
            };
            Item { slot, class }
        })
        .collect()
}

fn labels(it: &Item) -> &'static [Label] {
    match it.class {
        Class::Labels(l, _) => l,
        _ => &[],
    }
}

fn how(it: &Item) -> LabelMatch {
    match it.class {
        Class::Labels(_, How::Exact) => LabelMatch::Exact,
        Class::Labels(_, How::Alias) => LabelMatch::Alias,
        Class::Labels(_, How::Fuzzy) => LabelMatch::Fuzzy,
        _ => LabelMatch::Unknown,
    }
}

fn is_text(it: &Item) -> bool {
    it.slot.kind == SlotKind::Text
}

fn is_value_class(c: &Class) -> bool {
    matches!(
        c,
        Class::Number(_) | Class::Placeholder | Class::Blank | Class::Other
    )
}

/// A value slot of a row: an item, or a padding pipe counted as a blank cell.
#[derive(Debug, Clone, Copy)]
enum Val {
    Item(usize),
    Pad(TextRange),
}

struct Reader<'a> {
    text: &'a str,
    items: &'a [Item],
    issues: Vec<ParseIssue>,
    year_version: Option<FormatVersion>,
}

pub(crate) fn read(
    text: &str,
    items: &[Item],
    year_version: Option<FormatVersion>,
) -> (Vec<Table>, Vec<ParseIssue>) {
    let mut r = Reader {
        text,
        items,
        issues: Vec::new(),
        year_version,
    };
    let mut tables = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let ls = labels(&items[i]);
        let next = if let Some(id) = ls.iter().find_map(|l| match l {
            Label::Caption(id) => Some(*id),
            _ => None,
        }) {
            r.read_t2(i, id, Some(i), &mut tables)
        } else if ls.iter().any(|l| {
            matches!(
                l,
                Label::T3Note
                    | Label::T3Header { start: true }
                    | Label::T3Row("r1_new" | "r2_carried_in" | "r3" | "r3_1_open")
            )
        }) {
            r.read_t3(i, &mut tables)
        } else if ls
            .iter()
            .any(|l| matches!(l, Label::T4Header { start: true }))
            && r.t4_starts_here(i)
        {
            r.read_t4(i, &mut tables)
        } else if let Some((t, _)) = ls.iter().find_map(|l| match l {
            Label::T2Row { table, row } => Some((*table, *row)),
            _ => None,
        }) && r.followed_by_values(i)
            && !tables.iter().any(|x: &Table| x.id == t)
        {
            // A table-二 sub-table whose caption is missing.
            r.read_t2(i, t, None, &mut tables)
        } else {
            i + 1
        };
        i = next.max(i + 1);
    }
    (tables, r.issues)
}

impl Reader<'_> {
    fn raw(&self, idx: usize) -> &str {
        self.items[idx].slot.range.slice(self.text)
    }

    fn t4_starts_here(&self, i: usize) -> bool {
        if self.raw(i).chars().count() > 4 {
            return true; // "行政复议 行政诉讼" on one line
        }
        // 行政复议 must be followed (past blanks) by 行政诉讼.
        self.items[i + 1..]
            .iter()
            .find(|it| is_text(it))
            .is_some_and(|it| {
                labels(it)
                    .iter()
                    .any(|l| matches!(l, Label::T4Header { start: false }))
            })
    }

    fn followed_by_values(&self, i: usize) -> bool {
        self.items[i + 1..]
            .iter()
            .find(|it| is_text(it))
            .is_some_and(|it| matches!(it.class, Class::Number(_) | Class::Placeholder))
    }

    /// Collects the value slots after a label at `i`, up to the end of the row.
    /// Returns the values, the index after them, and whether the row was explicit.
    fn collect(&self, i: usize, n: usize) -> (Vec<Val>, usize, bool) {
        let mut j = i + 1;
        let mut vals = Vec::with_capacity(n + 1);
        // Padding left over from the header row (§8.1) precedes the first value.
        while j < self.items.len() && matches!(self.items[j].slot.kind, SlotKind::Pad(_)) {
            j += 1;
        }
        let mut explicit = false;
        while j < self.items.len() {
            let it = &self.items[j];
            match it.slot.kind {
                SlotKind::Break => {
                    if vals.is_empty() {
                        j += 1;
                        continue;
                    }
                    explicit = true;
                    j += 1;
                    break;
                }
                SlotKind::Boundary => break,
                SlotKind::Pad(k) => {
                    // Padding ends a row's data; when the row is short, its pipes may be
                    // blank cells written on one line.
                    let missing = n.saturating_sub(vals.len());
                    for _ in 0..missing.min(k as usize) {
                        vals.push(Val::Pad(it.slot.range));
                    }
                    j += 1;
                    break;
                }
                SlotKind::Empty => {
                    vals.push(Val::Item(j));
                    j += 1;
                }
                SlotKind::Text => {
                    if !is_value_class(&it.class) {
                        break;
                    }
                    // In cell-per-line layouts a short text after a complete row is the
                    // next (unknown) row's label.
                    if vals.len() >= n && matches!(it.class, Class::Other) {
                        break;
                    }
                    vals.push(Val::Item(j));
                    j += 1;
                }
            }
        }
        (vals, j, explicit)
    }

    fn is_empty_val(&self, v: &Val) -> bool {
        match v {
            Val::Pad(_) => true,
            Val::Item(i) => self.items[*i].slot.kind == SlotKind::Empty,
        }
    }

    /// Reads the `columns.len()` cells of a row labelled at `label_idx`.
    fn read_row(
        &mut self,
        table: &'static str,
        key: Option<&'static str>,
        label_idx: usize,
        columns: &[&'static str],
    ) -> (Row, usize) {
        let n = columns.len();
        let (mut vals, next, explicit) = self.collect(label_idx, n);
        let label_range = self.items[label_idx].slot.range;
        let label = self.raw(label_idx).to_string();
        // Only needed for issues, which are rare: built on demand.
        let row_ref = || format!("{table}.{}", key.unwrap_or("?"));
        let row_desc = || row_description(table, &label);
        let glued = vals
            .iter()
            .any(|v| matches!(v, Val::Item(i) if self.items[*i].slot.glued));
        let end_of_row = vals
            .iter()
            .map(|v| match v {
                Val::Item(i) => self.items[*i].slot.range.end,
                Val::Pad(r) => r.end,
            })
            .max()
            .unwrap_or(label_range.end);
        let mut cells: Vec<Cell> = Vec::with_capacity(n);
        let mk_missing = |col: &'static str| Cell {
            row: key,
            column: col,
            raw: CompactString::default(),
            value: None,
            unit: None,
            state: CellState::Missing,
            range: TextRange::empty(end_of_row),
        };
        if glued && vals.len() != n {
            // Crawled text: the digits of several cells run together.
            let parts: Vec<TextRange> = vals
                .iter()
                .filter_map(|v| match v {
                    Val::Item(i) => Some(self.items[*i].slot.range),
                    Val::Pad(_) => None,
                })
                .collect();
            match glued::split(self.text, &parts, n) {
                Ok(ranges) => {
                    for (c, r) in columns.iter().zip(ranges) {
                        cells.push(self.cell_from_text(key, c, r));
                    }
                }
                Err(ways) => {
                    let whole = parts
                        .iter()
                        .copied()
                        .reduce(TextRange::cover)
                        .unwrap_or(label_range);
                    let what = if ways == 0 {
                        format!("无法拆分为 {n} 个单元格")
                    } else {
                        format!("可以有多种拆分方式，无法确定 {n} 个单元格各自的数值")
                    };
                    self.issues.push(ParseIssue {
                        kind: ParseIssueKind::CellsGlued,
                        range: whole,
                        message: format!(
                            "{}的数字连在一起（“{}”），{what}；该行未读取数值",
                            row_desc(),
                            whole.slice(self.text)
                        ),
                        cell: Some(row_ref()),
                    });
                    cells.extend(columns.iter().map(|c| mk_missing(c)));
                }
            }
            return (self.row(key, label, label_range, cells), next);
        }
        if vals.len() > n {
            if explicit {
                // §8.2: drop a trailing empty field, then leading empty fields.
                let mut dropped = false;
                while vals.len() > n {
                    if self.is_empty_val(vals.last().expect("val")) {
                        vals.pop();
                    } else if self.is_empty_val(&vals[0]) {
                        vals.remove(0);
                    } else {
                        break;
                    }
                    dropped = true;
                }
                if vals.len() == n
                    && dropped
                    && (self.is_empty_val(&vals[0]) || self.is_empty_val(&vals[n - 1]))
                {
                    self.issues.push(ParseIssue {
                        kind: ParseIssueKind::RowAmbiguous,
                        range: label_range,
                        message: format!(
                            "{}两端的空白格既可能是空单元格，也可能是合并单元格留下的占位，无法确定各数值所在的列；该行未读取数值",
                            row_desc()
                        ),
                        cell: Some(row_ref()),
                    });
                    cells.extend(columns.iter().map(|c| mk_missing(c)));
                    return (self.row(key, label, label_range, cells), next);
                }
            } else {
                // Stream layouts: padding follows the data.
                let extra_text = vals[n..].iter().any(|v| !self.is_empty_val(v));
                if !extra_text {
                    vals.truncate(n);
                }
            }
            if vals.len() > n {
                let extra = vals.len() - n;
                self.issues.push(ParseIssue {
                    kind: ParseIssueKind::RowTooLong,
                    range: label_range,
                    message: format!(
                        "{}有 {} 个数值，比该表的 {n} 列多出 {extra} 个；多出的数值未读取",
                        row_desc(),
                        vals.len()
                    ),
                    cell: Some(row_ref()),
                });
                vals.truncate(n);
            }
        }
        for (k, c) in columns.iter().enumerate() {
            match vals.get(k) {
                Some(Val::Item(i)) if self.items[*i].slot.kind == SlotKind::Text => cells.push(
                    self.cell_with_class(key, c, self.items[*i].slot.range, self.items[*i].class),
                ),
                Some(Val::Item(i)) => cells.push(Cell {
                    row: key,
                    column: c,
                    raw: CompactString::default(),
                    value: None,
                    unit: None,
                    state: CellState::Blank,
                    range: self.items[*i].slot.range,
                }),
                Some(Val::Pad(r)) => cells.push(Cell {
                    row: key,
                    column: c,
                    raw: CompactString::default(),
                    value: None,
                    unit: None,
                    state: CellState::Blank,
                    range: TextRange::empty(r.start),
                }),
                None => cells.push(mk_missing(c)),
            }
        }
        if vals.len() < n {
            let missing: Vec<&str> = columns[vals.len()..]
                .iter()
                .map(|c| column_label(table, columns, c))
                .collect();
            self.issues.push(ParseIssue {
                kind: ParseIssueKind::RowIncomplete,
                range: label_range,
                message: format!(
                    "{}只读到 {} 个数值，应有 {n} 个；缺少的列（{}）未读取",
                    row_desc(),
                    vals.len(),
                    missing.join("、")
                ),
                cell: Some(row_ref()),
            });
        }
        (self.row(key, label, label_range, cells), next)
    }

    fn row(
        &self,
        key: Option<&'static str>,
        label: String,
        label_range: TextRange,
        cells: Vec<Cell>,
    ) -> Row {
        let m = if key.is_none() {
            LabelMatch::Unknown
        } else {
            LabelMatch::Exact
        };
        let incomplete = cells.iter().any(|c| c.state == CellState::Missing);
        Row {
            key,
            label,
            label_range,
            label_match: m,
            cells,
            incomplete,
        }
    }

    fn cell_from_text(
        &self,
        row: Option<&'static str>,
        column: &'static str,
        range: TextRange,
    ) -> Cell {
        let raw = range.slice(self.text);
        let folded = fold_str(raw, FoldMode::Label);
        self.cell_with_class(row, column, range, vocab().classify(raw, &folded))
    }

    /// A cell from a slot whose class is already known.
    fn cell_with_class(
        &self,
        row: Option<&'static str>,
        column: &'static str,
        range: TextRange,
        class: Class,
    ) -> Cell {
        let raw = range.slice(self.text);
        let (state, value, unit) = match class {
            Class::Number(n) => (CellState::Number, Some(n.value), n.unit),
            Class::Placeholder => (CellState::Placeholder, None, None),
            Class::Blank => (CellState::Blank, None, None),
            _ => (CellState::Text, None, None),
        };
        Cell {
            row,
            column,
            raw: CompactString::from(raw),
            value,
            unit,
            state,
            range,
        }
    }

    fn layout_of(&self, from: usize, to: usize) -> Layout {
        let mut counts: Vec<(Layout, usize)> = Vec::new();
        for it in &self.items[from..to.min(self.items.len())] {
            if it.slot.kind != SlotKind::Text {
                continue;
            }
            let l = if it.slot.glued {
                Layout::Inline
            } else {
                it.slot.layout
            };
            match counts.iter_mut().find(|(x, _)| *x == l) {
                Some((_, c)) => *c += 1,
                None => counts.push((l, 1)),
            }
        }
        counts
            .into_iter()
            .max_by_key(|(_, c)| *c)
            .map(|(l, _)| l)
            .unwrap_or(Layout::CellPerLine)
    }

    fn span(&self, from: usize, to: usize) -> TextRange {
        let mut r: Option<TextRange> = None;
        for it in &self.items[from..to.min(self.items.len())] {
            if it.slot.kind == SlotKind::Text {
                r = Some(r.map_or(it.slot.range, |x| x.cover(it.slot.range)));
            }
        }
        r.unwrap_or(TextRange::empty(self.items[from].slot.range.start))
    }

    /// Table 二 sub-table `id`, from its caption (or first row label) at `i`.
    fn read_t2(
        &mut self,
        i: usize,
        id: &'static str,
        caption: Option<usize>,
        out: &mut Vec<Table>,
    ) -> usize {
        let s = schema();
        // Determine the shape from the headers (then rows, then the year).
        let mut votes = [0usize; 2];
        let mut j = if caption.is_some() { i + 1 } else { i };
        let mut first_row = None;
        while j < self.items.len() {
            let it = &self.items[j];
            if it.slot.kind == SlotKind::Boundary {
                break;
            }
            let ls = labels(it);
            if ls.iter().any(|l| {
                matches!(
                    l,
                    Label::Caption(_) | Label::T3Note | Label::T3Header { start: true }
                )
            }) || matches!(it.class, Class::Prose)
            {
                break;
            }
            for l in ls {
                if let Label::T2Header { table, version, .. } = l
                    && *table == id
                {
                    votes[(*version == FormatVersion::V2021) as usize] += 1;
                }
                if let Label::T2Row { table, row } = l
                    && *table == id
                {
                    first_row.get_or_insert(j);
                    if matches!(*row, "other_services" | "central_procurement") {
                        votes[0] += 2;
                    }
                }
            }
            if first_row.is_some() {
                break;
            }
            j += 1;
        }
        let shape = if id == "t2_9" || votes[0] > votes[1] {
            FormatVersion::V2019
        } else if votes[1] > votes[0] {
            FormatVersion::V2021
        } else {
            match self.year_version {
                Some(FormatVersion::V2019) => FormatVersion::V2019,
                _ => FormatVersion::V2021,
            }
        };
        let Some(ts) = s.table(id, shape) else {
            return i + 1;
        };
        let columns: Vec<&'static str> = ts.columns.iter().map(|c| c.key).collect();
        let mut rows = Vec::new();
        let mut j = first_row.unwrap_or(j);
        while j < self.items.len() {
            let it = &self.items[j];
            match it.slot.kind {
                SlotKind::Boundary => break,
                SlotKind::Text => {}
                _ => {
                    j += 1;
                    continue;
                }
            }
            let ls = labels(it);
            if ls.iter().any(|l| {
                matches!(
                    l,
                    Label::Caption(_)
                        | Label::T3Note
                        | Label::T3Header { start: true }
                        | Label::T3Row(_)
                ) || matches!(l, Label::T4Header { start: true })
            }) || matches!(it.class, Class::Prose)
            {
                break;
            }
            if let Some(row) = ls.iter().find_map(|l| match l {
                Label::T2Row { table, row } if *table == id => Some(*row),
                _ => None,
            }) {
                let key = ts
                    .row(row)
                    .map(|r| r.key)
                    .or_else(|| other_shape_row(s.table_shapes(id), row));
                let (mut r, next) = self.read_row(id, key, j, &columns);
                // Judge the label against this shape: 规范性文件 is official in v2019 and a
                // variant in v2021.
                let official = ts.row(row).is_some_and(|rs| {
                    fold_str(rs.label, FoldMode::Label) == fold_str(&r.label, FoldMode::Label)
                });
                r.label_match = match how(it) {
                    LabelMatch::Fuzzy => LabelMatch::Fuzzy,
                    _ if official => LabelMatch::Exact,
                    _ => LabelMatch::Alias,
                };
                rows.push(r);
                j = next;
            } else if matches!(it.class, Class::Other) && self.followed_by_values(j) {
                // An extra row (其他主动公开文件 …): kept, marked unknown.
                let (r, next) = self.read_row(id, None, j, &columns);
                rows.push(r);
                j = next;
            } else if ls.iter().any(|l| matches!(l, Label::T2Row { .. })) {
                // A row of another sub-table: its caption is missing.
                break;
            } else {
                j += 1;
            }
        }
        let end = j;
        out.push(Table {
            id,
            shape: Some(shape),
            range: self.span(i, end),
            caption_range: caption.map(|c| self.items[c].slot.range),
            columns,
            rows,
            layout: self.layout_of(i, end),
        });
        end
    }

    fn read_t3(&mut self, i: usize, out: &mut Vec<Table>) -> usize {
        let s = schema();
        let t3 = s.table("t3", FormatVersion::V2021).expect("t3 schema");
        let columns: Vec<&'static str> = t3.columns.iter().map(|c| c.key).collect();
        let mut rows: Vec<Row> = Vec::new();
        let mut shape: Option<FormatVersion> = None;
        let mut j = i;
        let mut seen_row = false;
        while j < self.items.len() {
            let it = &self.items[j];
            match it.slot.kind {
                SlotKind::Boundary => break,
                SlotKind::Text => {}
                _ => {
                    j += 1;
                    continue;
                }
            }
            let ls = labels(it);
            if ls
                .iter()
                .any(|l| matches!(l, Label::Caption(_) | Label::T4Header { start: true }))
            {
                break;
            }
            if matches!(it.class, Class::Prose) {
                if seen_row {
                    break;
                }
                j += 1;
                continue;
            }
            if let Some(key) = ls.iter().find_map(|l| match l {
                Label::T3Row(k) => Some(*k),
                _ => None,
            }) {
                seen_row = true;
                let key = if key == "r3_6" {
                    // （六）其他处理: a group in v2021 (followed by its sub-rows), a numeric row
                    // in v2019.
                    let next_text = self.items[j + 1..].iter().find(|x| is_text(x));
                    let group = next_text.is_some_and(|x| {
                        labels(x)
                            .iter()
                            .any(|l| matches!(l, Label::T3Row(k) if k.starts_with("r3_6_")))
                    });
                    if group {
                        shape = Some(FormatVersion::V2021);
                        "r3_6"
                    } else {
                        shape.get_or_insert(FormatVersion::V2019);
                        "r3_6_other"
                    }
                } else {
                    key
                };
                if key.starts_with("r3_6_") && key != "r3_6_other" {
                    shape = Some(FormatVersion::V2021);
                }
                let rs = s
                    .table_shapes("t3")
                    .flat_map(|t| t.rows.iter())
                    .find(|r| r.key == key);
                if rs.is_some_and(|r| !r.numeric) {
                    // A group label: its numbers belong to its first child, on the same row.
                    let next_text = self.items[j + 1..]
                        .iter()
                        .position(is_text)
                        .map(|p| j + 1 + p);
                    if let Some(nt) = next_text
                        && matches!(self.items[nt].class, Class::Number(_))
                    {
                        self.issues.push(ParseIssue {
                            kind: ParseIssueKind::GroupHasValues,
                            range: it.slot.range,
                            message: format!(
                                "分组标题“{}”后直接跟着数值，而它本身不应有数值；这些数值未读取",
                                self.raw(j).trim()
                            ),
                            cell: Some(format!("t3.{key}")),
                        });
                    }
                    j += 1;
                    continue;
                }
                let (mut r, next) = self.read_row("t3", Some(key), j, &columns);
                r.label_match = how(it);
                rows.push(r);
                j = next;
                if key == "r4_carried_out" {
                    break;
                }
                continue;
            }
            if seen_row && matches!(it.class, Class::Other) && self.followed_by_values(j) {
                let (r, next) = self.read_row("t3", None, j, &columns);
                rows.push(r);
                j = next;
                continue;
            }
            if seen_row && ls.iter().any(|l| matches!(l, Label::T2Row { .. })) {
                break;
            }
            j += 1;
        }
        out.push(Table {
            id: "t3",
            shape,
            range: self.span(i, j),
            caption_range: None,
            columns,
            rows,
            layout: self.layout_of(i, j),
        });
        j
    }

    fn read_t4(&mut self, i: usize, out: &mut Vec<Table>) -> usize {
        let s = schema();
        let t4 = s.table("t4", FormatVersion::V2021).expect("t4 schema");
        let columns: Vec<&'static str> = t4.columns.iter().map(|c| c.key).collect();
        // Skip the header down to the first value.
        let mut j = i + 1;
        let mut data = None;
        while j < self.items.len() {
            let it = &self.items[j];
            if it.slot.kind == SlotKind::Boundary || matches!(it.class, Class::Prose) {
                break;
            }
            if it.slot.kind == SlotKind::Text
                && matches!(it.class, Class::Number(_) | Class::Placeholder)
            {
                data = Some(j);
                break;
            }
            if it.slot.kind == SlotKind::Text
                && !labels(it)
                    .iter()
                    .any(|l| matches!(l, Label::T4Header { .. } | Label::T3Header { .. }))
                && !matches!(it.class, Class::Other)
            {
                break;
            }
            j += 1;
        }
        let mut rows = Vec::new();
        let mut end = j;
        if let Some(d) = data {
            // In an explicit row the data starts at the row's first field (it may be blank).
            let mut start = d;
            while start > i + 1 && self.items[start - 1].slot.kind == SlotKind::Empty {
                start -= 1;
            }
            let header_end = if start < d && self.items[start - 1].slot.kind == SlotKind::Break {
                start - 1
            } else {
                d - 1
            };
            let (mut r, next) = self.read_row("t4", Some("cases"), header_end, &columns);
            r.label = String::new();
            r.label_range = TextRange::empty(r.cells.first().map(|c| c.range.start).unwrap_or(0));
            r.label_match = LabelMatch::Unlabelled;
            rows.push(r);
            end = next;
        }
        out.push(Table {
            id: "t4",
            shape: None,
            range: self.span(i, end),
            caption_range: None,
            columns,
            rows,
            layout: self.layout_of(i, end),
        });
        end
    }
}

/// A column's Chinese label in the shape whose columns are `columns`, for messages.
fn column_label(table: &str, columns: &[&str], column: &str) -> &'static str {
    schema()
        .table_shapes(table)
        .find(|t| t.columns.iter().map(|c| c.key).eq(columns.iter().copied()))
        .and_then(|t| t.column(column))
        .map(|c| c.label)
        .unwrap_or("")
}

/// "表三“（一）予以公开”一行", "表四的数据行", for messages.
fn row_description(table: &str, label: &str) -> String {
    let name = match table {
        "t3" => "表三",
        "t4" => return "表四的数据行".into(),
        _ => "表二",
    };
    format!("{name}“{}”一行", label.trim())
}

fn other_shape_row<'a>(
    mut shapes: impl Iterator<Item = &'a TableSchema>,
    row: &'static str,
) -> Option<&'static str> {
    shapes.find_map(|t| t.row(row)).map(|_| row)
}
