//! The floor for `nianbao check` throughput: walk the folders, read every `.txt`/`.md`
//! file, validate it as UTF-8 and split it into lines (counting them). Nothing else.
//!
//!     floor [--threads N] PATH...
//!
//! `--threads 1` (the default) works on one thread; `--threads N` splits the files among
//! N threads (0 = the number of CPUs, as rayon does for nianbao). Prints
//! `files bytes lines invalid_utf8` on stdout.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_file() {
        out.push(p.to_path_buf());
        return;
    }
    let Ok(rd) = std::fs::read_dir(p) else { return };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for e in entries {
        let hidden = e
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if e.is_dir() {
            walk(&e, out);
        } else if matches!(
            e.extension().and_then(|x| x.to_str()),
            Some("txt") | Some("md")
        ) {
            out.push(e);
        }
    }
}

#[derive(Default, Clone, Copy)]
struct Totals {
    files: usize,
    bytes: usize,
    lines: usize,
    invalid: usize,
}

fn one(path: &Path, t: &mut Totals) {
    let Ok(bytes) = std::fs::read(path) else {
        t.invalid += 1;
        return;
    };
    t.files += 1;
    t.bytes += bytes.len();
    match std::str::from_utf8(&bytes) {
        Ok(s) => t.lines += s.lines().count(),
        Err(_) => t.invalid += 1,
    }
}

fn main() {
    let mut threads = 1usize;
    let mut roots = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--threads" {
            threads = args.next().and_then(|n| n.parse().ok()).expect("--threads N");
        } else {
            roots.push(PathBuf::from(a));
        }
    }
    if threads == 0 {
        threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    }
    let mut files = Vec::new();
    for r in &roots {
        walk(r, &mut files);
    }
    let next = AtomicUsize::new(0);
    let totals: Vec<Totals> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut t = Totals::default();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(f) = files.get(i) else { break };
                        one(f, &mut t);
                    }
                    t
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let t = totals.iter().fold(Totals::default(), |a, b| Totals {
        files: a.files + b.files,
        bytes: a.bytes + b.bytes,
        lines: a.lines + b.lines,
        invalid: a.invalid + b.invalid,
    });
    println!("{} {} {} {}", t.files, t.bytes, t.lines, t.invalid);
}
