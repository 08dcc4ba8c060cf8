//! Parse benchmarks for `nianbao_core::parse`.
//!
//! Run with `cargo bench -p nianbao-core --bench parse`. Results and their reading are in
//! `BENCHMARKS.md` at the workspace root.
//!
//! Inputs:
//! - the five samples in `tests/fixtures/samples/` (4.6–7.3 KB each); `parse_7kb` is
//!   `004` (Traditional, pipe layout, real data), the headline number;
//! - `tests/fixtures/real/r002.txt` (17 KB crawled text on one long line);
//! - two ~1 MB documents built here: `004` repeated ("100 reports in one file") and all
//!   five samples concatenated round-robin.
//!
//! `floor_lines_chars` is the peer to read ratios against in the same run: the least any
//! parser must do with the text (walk the lines, look at every char), over the same
//! inputs. This machine is noisy, so the ratio is more trustworthy than absolute times.
//!
//! The one-time initialisation (Traditional→Simplified table, schema, vocabularies,
//! regexes) happens in `main` before any timing; its cost is printed to stderr.

use std::sync::LazyLock;
use std::time::Instant;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};

const S000: &str = include_str!("../../../tests/fixtures/samples/000_50e7ba10f32f5ee2.txt");
const S001: &str = include_str!("../../../tests/fixtures/samples/001_db8b9a3c8d2b1499.txt");
const S002: &str = include_str!("../../../tests/fixtures/samples/002_596eb627cbefc53e.txt");
const S003: &str = include_str!("../../../tests/fixtures/samples/003_dfabd5f7c7b088c2.txt");
const S004: &str = include_str!("../../../tests/fixtures/samples/004_cf43867c2f1e63a9.txt");
const R002: &str = include_str!("../../../tests/fixtures/real/r002.txt");

const SAMPLES: [&str; 5] = [S000, S001, S002, S003, S004];

/// Size the large documents reach (at least).
const ONE_MB: usize = 1 << 20;

/// `004` repeated, one report after another, until the document is ≥ 1 MiB.
static MB_004: LazyLock<String> = LazyLock::new(|| build_mb(&[S004]));

/// All five samples concatenated round-robin until the document is ≥ 1 MiB.
static MB_MIXED: LazyLock<String> = LazyLock::new(|| build_mb(&SAMPLES));

fn build_mb(parts: &[&str]) -> String {
    let mut doc = String::with_capacity(ONE_MB + 16 * 1024);
    for part in parts.iter().cycle() {
        if doc.len() >= ONE_MB {
            break;
        }
        doc.push_str(part);
        if !part.ends_with('\n') {
            doc.push('\n');
        }
        doc.push('\n');
    }
    doc
}

/// The input named `name` (the benchmark argument).
fn input(name: &str) -> &'static str {
    match name {
        "000" => S000,
        "001" => S001,
        "002" => S002,
        "003" => S003,
        "004" => S004,
        "r002" => R002,
        "1mb_004x" => MB_004.as_str(),
        "1mb_mixed" => MB_MIXED.as_str(),
        _ => unreachable!("unknown bench input {name}"),
    }
}

fn main() {
    // One-time initialisation, timed in this fresh process before divan takes over.
    let t = Instant::now();
    nianbao_core::fold::warm_up();
    let warm_up = t.elapsed();
    let t = Instant::now();
    let first = nianbao_core::parse(S004);
    let first_parse = t.elapsed();
    let t = Instant::now();
    let second = nianbao_core::parse(S004);
    let second_parse = t.elapsed();
    assert_eq!(first.tables.len(), second.tables.len());
    eprintln!(
        "one-time init: fold::warm_up() {warm_up:?}; first parse(004) after warm_up \
         {first_parse:?}; second parse(004) {second_parse:?}"
    );

    // Make sure every input parses (and every lazily built input exists) before timing.
    for name in [
        "000",
        "001",
        "002",
        "003",
        "004",
        "r002",
        "1mb_004x",
        "1mb_mixed",
    ] {
        let text = input(name);
        let report = nianbao_core::parse(text);
        eprintln!(
            "input {name}: {} bytes, {} lines, {} tables, {} issues",
            text.len(),
            text.lines().count(),
            report.tables.len(),
            report.issues.len()
        );
    }

    divan::main();
}

fn bench_parse(bencher: Bencher, text: &'static str) {
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| nianbao_core::parse(black_box(text)));
}

/// Headline: sample 004 (7.3 KB, Traditional, pipe layout, real data). Target < 50 µs.
#[divan::bench]
fn parse_7kb(bencher: Bencher) {
    bench_parse(bencher, S004);
}

/// Every sample, and the 17 KB one-line crawled text.
#[divan::bench(args = ["000", "001", "002", "003", "004", "r002"])]
fn parse_each(bencher: Bencher, name: &str) {
    bench_parse(bencher, input(name));
}

/// ~1 MB documents: `004` repeated, and all samples mixed.
#[divan::bench(args = ["1mb_004x", "1mb_mixed"], sample_count = 30)]
fn parse_1mb(bencher: Bencher, name: &str) {
    bench_parse(bencher, input(name));
}

/// The least any parser must do: walk the lines and look at every char (here: count the
/// CJK ones). Same inputs as above, to read `parse` as a multiple of this.
#[divan::bench(args = ["004", "r002", "1mb_004x", "1mb_mixed"])]
fn floor_lines_chars(bencher: Bencher, name: &str) {
    let text = input(name);
    bencher.counter(BytesCount::of_str(text)).bench(|| {
        let mut cjk = 0usize;
        for line in black_box(text).lines() {
            for c in line.chars() {
                cjk += usize::from(('\u{4e00}'..='\u{9fff}').contains(&c));
            }
        }
        cjk
    });
}
