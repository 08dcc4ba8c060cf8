//! `nianbao extract`: every table cell as JSON or CSV.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use nianbao_core::{Cell, Report};
use serde_json::{Map, Value, json};

use crate::ExtractFormat;
use crate::discover::{Configs, collect};
use crate::input::{self, Loaded};

use crate::render::{Positions, range_json, report_json, source_kind};

/// A file read for extraction: the text the ranges are in, the report, and for a Word
/// document the places in words.
struct Read {
    text: String,
    report: Report,
    locations: Option<nianbao_formats::Locations>,
}

impl Read {
    fn new(loaded: Loaded) -> Read {
        match loaded {
            Loaded::Text(d) => Read {
                report: nianbao_core::parse(&d.text),
                text: d.text,
                locations: None,
            },
            Loaded::Html(d) => Read {
                report: nianbao_formats::html::check(&d.text, |_, _| Vec::new()).0,
                text: d.text,
                locations: None,
            },
            Loaded::Docx(c) => Read {
                report: nianbao_core::parse(&c.text),
                text: c.text,
                locations: Some(c.locations),
            },
        }
    }

    fn place(&self, offset: usize) -> Option<String> {
        self.locations
            .as_ref()
            .map(|l| l.describe(offset, &self.report))
    }
}

fn cell_json(f: &Read, idx: &Positions, c: &Cell) -> Value {
    let mut v = json!({
        "value": c.value,
        "raw": c.raw,
        "state": c.state,
        "unit": c.unit,
        "range": range_json(&f.text, idx, c.range),
    });
    if let Some(place) = f.place(c.range.start) {
        v["location"] = json!(place);
    }
    v
}

fn tables_json(f: &Read, idx: &Positions) -> Value {
    let (text, r) = (f.text.as_str(), &f.report);
    let mut tables = Map::new();
    for t in &r.tables {
        if tables.contains_key(t.id) {
            continue;
        }
        let mut rows = Map::new();
        let mut extra = Vec::new();
        for row in &t.rows {
            let cells: Map<String, Value> = row
                .cells
                .iter()
                .map(|c| (c.column.to_string(), cell_json(f, idx, c)))
                .collect();
            match row.key {
                Some(k) if !rows.contains_key(k) => {
                    rows.insert(k.to_string(), Value::Object(cells));
                }
                _ => extra.push(json!({"label": row.label, "range": range_json(text, idx, row.label_range), "cells": cells})),
            }
        }
        if !extra.is_empty() {
            rows.insert("extra_rows".into(), Value::Array(extra));
        }
        tables.insert(t.id.to_string(), Value::Object(rows));
    }
    Value::Object(tables)
}

pub fn run(paths: &[PathBuf], format: ExtractFormat) -> ExitCode {
    let mut files = Vec::new();
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if matches!(format, ExtractFormat::Csv) {
        let _ = writeln!(
            out,
            "path,table,row,column,value,raw,state,line,column_char,location"
        );
    }
    let mut configs = match Configs::new(None) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(2);
        }
    };
    let (targets, missing) = match collect(paths, &mut configs) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(2);
        }
    };
    for m in missing {
        eprintln!("错误：{m}");
        failed = true;
    }
    for t in targets {
        let p = &t;
        let f = match input::read_any(p) {
            Ok(loaded) => Read::new(loaded),
            Err(e) => {
                eprintln!("{}", e.message(&p.display().to_string()));
                failed = true;
                continue;
            }
        };
        let (text, report) = (&f.text, &f.report);
        let idx = Positions::new();
        match format {
            ExtractFormat::Json => files.push(json!({
                "path": p.display().to_string(),
                "source": source_kind(&p.to_string_lossy(), f.locations.is_some()),
                "report": report_json(text, &idx, report),
                "tables": tables_json(&f, &idx),
                "issues": report.issues.iter().map(|i| json!({"kind": i.kind, "message": i.message, "range": range_json(text, &idx, i.range)})).collect::<Vec<_>>(),
            })),
            ExtractFormat::Csv => {
                for t in &report.tables {
                    for row in &t.rows {
                        for c in &row.cells {
                            let lc = idx.line_col(text, c.range.start);
                            let _ = writeln!(
                                out,
                                "{},{},{},{},{},{},{},{},{},{}",
                                csv(&p.display().to_string()),
                                t.id,
                                csv(row.key.unwrap_or(&row.label)),
                                c.column,
                                c.value.map(|v| v.to_string()).unwrap_or_default(),
                                csv(&c.raw),
                                serde_json::to_value(c.state).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
                                lc.line,
                                lc.column,
                                csv(&f.place(c.range.start).unwrap_or_default())
                            );
                        }
                    }
                }
            }
        }
    }
    if matches!(format, ExtractFormat::Json) {
        let doc = json!({"version": 1, "files": files});
        let _ = serde_json::to_writer_pretty(&mut out, &doc);
        let _ = writeln!(out);
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
