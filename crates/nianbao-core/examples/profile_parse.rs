//! A small driver for profiling `nianbao_core::parse` under `perf` or `valgrind`.
//!
//! ```text
//! cargo build --release -p nianbao-core --example profile_parse
//! perf record -e cpu-clock -g target/release/examples/profile_parse 7kb 20000
//! valgrind --tool=callgrind target/release/examples/profile_parse 7kb 200
//! target/release/examples/profile_parse scale        # per-byte cost by document size
//! target/release/examples/profile_parse scale-mixed  # the same, all five samples mixed
//! target/release/examples/profile_parse lint 20000   # parse + checks of 004, hot
//! target/release/examples/profile_parse cold 200     # the same after 50 ms idle each time
//! SLEEP_MS=0 target/release/examples/profile_parse cold 200 thrash  # caches evicted instead
//! ```
//!
//! `cold` is what an edit costs the language server after the machine idled (per phase:
//! `parts`, `parse`, checks); `SLEEP_MS`, `SPIN_US` and `TWICE` vary the idle spell, spin
//! the CPU before timing, or run one untimed lint first.
//!
//! Modes: `7kb` parses sample 004 (Traditional, pipe layout) `iters` times; `1mb` parses
//! a ~1 MiB document of 004 repeated; `scale` prints the per-byte cost of 004 repeated
//! 1 to 580 times, `scale-mixed` the same for the five samples taken round-robin. The
//! one-time initialisation is done before the timed/profiled loop.

use std::time::Instant;

const S004: &str = include_str!("../../../tests/fixtures/samples/004_cf43867c2f1e63a9.txt");
const SAMPLES: [&str; 5] = [
    include_str!("../../../tests/fixtures/samples/000_50e7ba10f32f5ee2.txt"),
    include_str!("../../../tests/fixtures/samples/001_db8b9a3c8d2b1499.txt"),
    include_str!("../../../tests/fixtures/samples/002_596eb627cbefc53e.txt"),
    include_str!("../../../tests/fixtures/samples/003_dfabd5f7c7b088c2.txt"),
    S004,
];

/// `n` reports from `parts`, taken round-robin, one after another.
fn repeated(parts: &[&str], n: usize) -> String {
    let mut doc = String::new();
    for part in parts.iter().cycle().take(n) {
        doc.push_str(part);
        doc.push('\n');
    }
    doc
}

/// Per-byte cost of documents of 1 to 576 reports taken from `parts`.
fn scale(parts: &[&str], label: &str, iters: Option<usize>) {
    for n in [1usize, 5, 20, 60, 145, 580] {
        let doc = repeated(parts, n);
        let iters = iters.unwrap_or((2000 / n).max(5));
        // Best of three rounds, to dampen the noise of a shared machine.
        let per = (0..3)
            .map(|_| time_parse(&doc, iters))
            .fold(f64::INFINITY, f64::min);
        eprintln!(
            "{n:>4} × {label} = {:>8} bytes: {:>10.1} µs, {:>6.1} ns/byte",
            doc.len(),
            per * 1e6,
            per * 1e9 / doc.len() as f64
        );
    }
}

fn time_parse(text: &str, iters: usize) -> f64 {
    let t = Instant::now();
    for _ in 0..iters {
        std::hint::black_box(nianbao_core::parse(std::hint::black_box(text)));
    }
    t.elapsed().as_secs_f64() / iters as f64
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "7kb".into());
    let iters: Option<usize> = args.next().and_then(|s| s.parse().ok());

    let t = Instant::now();
    nianbao_core::fold::warm_up();
    let table = t.elapsed();
    let t = Instant::now();
    let _ = nianbao_core::parse(S004);
    let first = t.elapsed();
    let t = Instant::now();
    let _ = nianbao_core::parse(S004);
    let second = t.elapsed();
    eprintln!(
        "warm-up: fold::warm_up() {table:?}, first parse(004) {first:?}, second parse(004) {second:?}"
    );

    match mode.as_str() {
        "7kb" => {
            let iters = iters.unwrap_or(10_000);
            let per = time_parse(S004, iters);
            eprintln!("7kb: {iters} parses, {:.1} µs each", per * 1e6);
        }
        "1mb" => {
            let doc = repeated(&[S004], 144);
            let iters = iters.unwrap_or(50);
            let per = time_parse(&doc, iters);
            eprintln!(
                "1mb ({} bytes): {iters} parses, {:.2} ms each",
                doc.len(),
                per * 1e3
            );
        }
        "lint" => {
            // Parse and check, as `nianbao check` and the language server do per report.
            let iters = iters.unwrap_or(10_000);
            let settings = nianbao_core::Settings::default();
            let t = Instant::now();
            for _ in 0..iters {
                std::hint::black_box(nianbao_core::lint(std::hint::black_box(S004), &settings));
            }
            let per = t.elapsed().as_secs_f64() / iters as f64;
            eprintln!("lint 7kb: {iters} runs, {:.1} µs each", per * 1e6);
        }
        "cold" => cold(
            iters.unwrap_or(200),
            args.next().as_deref() == Some("thrash"),
        ),
        "scale" => scale(&[S004], "004", iters),
        "scale-mixed" => scale(&SAMPLES, "mixed", iters),
        other => {
            eprintln!("unknown mode {other}; use 7kb, 1mb, lint, scale or scale-mixed");
            std::process::exit(2);
        }
    }
}

/// What one edit costs the language server when the machine has been idle in between (the
/// latency benchmark waits 50 ms before each change): `parts` + `parse` + checks of 004,
/// timed per phase after a 50 ms sleep, optionally after touching 64 MiB to evict the caches.
/// Prints the median of each phase.
fn cold(iters: usize, thrash: bool) {
    let settings = nianbao_core::Settings::default();
    let mut junk = vec![0u8; if thrash { 64 << 20 } else { 0 }];
    let mut times: [Vec<f64>; 4] = Default::default();
    for i in 0..iters {
        let ms = std::env::var("SLEEP_MS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(50);
        std::thread::sleep(std::time::Duration::from_millis(ms));
        if std::env::var("TWICE").is_ok() {
            std::hint::black_box(nianbao_core::lint(S004, &settings));
        }
        for (j, b) in junk.iter_mut().enumerate().step_by(64) {
            *b = b.wrapping_add((i + j) as u8);
        }
        if let Some(us) = std::env::var("SPIN_US")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
        {
            let t = Instant::now();
            while t.elapsed().as_micros() < us as u128 {
                std::hint::spin_loop();
            }
        }
        let t0 = Instant::now();
        let parts = std::hint::black_box(nianbao_core::parts(std::hint::black_box(S004)));
        let t1 = Instant::now();
        let report = std::hint::black_box(nianbao_core::parse(S004));
        let t2 = Instant::now();
        let diags = nianbao_core::rules::check_report(S004, &report, None, &settings);
        let t3 = Instant::now();
        std::hint::black_box((parts, report, diags));
        let t4 = Instant::now();
        for (k, (a, b)) in [(t0, t1), (t1, t2), (t2, t3), (t0, t4)]
            .into_iter()
            .enumerate()
        {
            times[k].push((b - a).as_secs_f64() * 1e6);
        }
    }
    let med = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let [p, q, c, all] = &mut times;
    eprintln!(
        "cold ({iters} edits, 50 ms apart{}): median µs parts {:.1}, parse {:.1}, checks {:.1}, all incl. drop {:.1}",
        if thrash { ", caches thrashed" } else { "" },
        med(p),
        med(q),
        med(c),
        med(all)
    );
}
