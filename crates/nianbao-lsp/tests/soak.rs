//! Soak test of the language server: documents opened, edited and closed at random for a
//! long time against one server. After every batch of edits the diagnostics published for
//! the last version must equal a fresh `nianbao_core::lint` of the client's text; the
//! server must hold exactly the open documents, with the client's text; publications of a
//! document never go back in version; and the process's memory stays flat.
//!
//! Deterministic: a seeded generator (`NIANBAO_SOAK_SEED`, default below) chooses every
//! action. By default it is short enough for `cargo test` (two segments of a few hundred
//! edits: UTF-16 with a 2 ms debounce, then UTF-8 with none). `NIANBAO_SOAK_SECS=600` runs
//! segments of at most a minute, a new server each, cycling through both encodings and
//! both debounces, until that many seconds have passed (`scripts/soak` runs it in release
//! mode).

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::*;
use nianbao_lsp::Options;
use nianbao_lsp::encoding::Encoding;
use serde_json::{Value, json};

const DEFAULT_SEED: u64 = 0x6e69_616e_6261_6f31;
/// Documents (URIs) the client works with; each is open or closed at any time.
const DOCS: usize = 12;
/// Position encoding and debounce (ms) of each segment, in turn: a debounce of 0 lints at
/// every change, 2 ms once a burst of changes pauses.
const SEGMENTS: [(Encoding, u64); 4] = [
    (Encoding::Utf16, 2),
    (Encoding::Utf8, 0),
    (Encoding::Utf8, 2),
    (Encoding::Utf16, 0),
];
/// Rounds of a default (`cargo test`) segment.
const SHORT_ROUNDS: usize = 80;
/// How much the resident memory may grow after the warm-up. Measured growth is a few MiB
/// (BENCHMARKS.md, "Soak"); a leak of one analysis per edit would be hundreds.
const RSS_GROWTH_BOUND_KIB: u64 = 48 * 1024;

/// SplitMix64: small, seedable, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn edit(&mut self) -> EditSpec {
        let len = if self.chance(4) {
            self.below(40)
        } else {
            self.below(3)
        };
        let insert: String = (0..self.below(6))
            .map(|_| PIECES[self.below(PIECES.len())])
            .collect();
        EditSpec {
            at: self.next() as usize,
            len,
            insert,
            reversed: self.chance(10),
        }
    }
}

/// The texts documents are opened with: every layout of the samples, a clean report, CRLF
/// and BOM variants, and a document of three reports (kept a report at a time).
fn bases() -> Vec<String> {
    let mut v: Vec<String> = (0..5).map(sample).collect();
    v.push(fixture("rules/clean-2023.txt"));
    v.push(sample(1).replace('\n', "\r\n"));
    v.push(format!("\u{feff}{}", sample(2)));
    v.push(format!("{}\n{}\n{}", sample(3), sample(4), sample(4)));
    v
}

/// Resident memory of this process (server and client), KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

struct Doc {
    uri: String,
    /// The client's text and version, while open.
    open: Option<(String, i32)>,
}

#[derive(Debug, Default)]
struct Stats {
    rounds: usize,
    edits: usize,
    batches: usize,
    opens: usize,
    closes: usize,
    rss_warm_kib: u64,
    rss_end_kib: u64,
    rss_max_kib: u64,
}

/// When a segment stops.
#[derive(Clone, Copy)]
enum Limit {
    Rounds(usize),
    Until(Instant),
}

struct Soak {
    c: TestClient,
    enc: Encoding,
    rng: Rng,
    bases: Vec<String>,
    docs: Vec<Doc>,
    /// The last version published per URI since it was opened (publications must not go
    /// back: a stale lint must never overtake a newer one).
    published: HashMap<String, i64>,
    stats: Stats,
    seed: u64,
}

impl Soak {
    fn context(&self, doc: usize) -> String {
        format!(
            "seed {:#x}, {:?}, round {}, {}",
            self.seed, self.enc, self.stats.rounds, self.docs[doc].uri
        )
    }

    /// Records publications received so far and checks each goes forward in version.
    fn drain(&mut self) {
        for m in self
            .c
            .take_backlog(|m| m["method"] == "textDocument/publishDiagnostics")
        {
            self.observe(&m["params"]);
        }
    }

    fn observe(&mut self, p: &Value) {
        let uri = p["uri"].as_str().expect("uri").to_string();
        match p["version"].as_i64() {
            // The clearing after didClose.
            None => {
                assert_eq!(p["diagnostics"], json!([]), "an unversioned publication");
                self.published.remove(&uri);
            }
            Some(v) => {
                let last = self.published.insert(uri.clone(), v).unwrap_or(0);
                assert!(v >= last, "{uri}: version {v} published after {last}");
            }
        }
    }

    /// Waits for the diagnostics of `doc`'s current version and compares them with a
    /// fresh lint of the client's text.
    async fn expect_current(&mut self, doc: usize) {
        let (text, version) = self.docs[doc].open.clone().expect("open");
        let uri = self.docs[doc].uri.clone();
        let d = self.c.wait_diagnostics(&uri, version).await;
        self.drain();
        self.observe(&d);
        assert_eq!(d["version"], version, "{}", self.context(doc));
        let want = expected_diagnostics(&uri, &text, self.enc);
        if d["diagnostics"] != want {
            panic!(
                "diagnostics differ ({})\ntext: {text:?}\n got: {:?}\nwant: {:?}",
                self.context(doc),
                codes(&d),
                codes(&want)
            );
        }
    }

    async fn open(&mut self, doc: usize) {
        let text = self.bases[self.rng.below(self.bases.len())].clone();
        let uri = self.docs[doc].uri.clone();
        self.c.open(&uri, &text, "plaintext").await;
        self.docs[doc].open = Some((text, 1));
        self.stats.opens += 1;
        self.expect_current(doc).await;
    }

    async fn close(&mut self, doc: usize) {
        let uri = self.docs[doc].uri.clone();
        self.c.close(&uri).await;
        self.docs[doc].open = None;
        self.stats.closes += 1;
        // Every document here was published at its opening, so closing clears it.
        let m = self
            .c
            .wait_for(&format!("the clearing of {uri}"), |m| {
                is_diagnostics_for(m, &uri) && m["params"]["version"].is_null()
            })
            .await;
        self.drain();
        self.observe(&m["params"]);
    }

    /// 1–8 `didChange` notifications of 1–3 edits each, sent without waiting; now and then
    /// a whole-text replacement.
    async fn edit(&mut self, doc: usize) {
        let uri = self.docs[doc].uri.clone();
        let (mut text, mut version) = self.docs[doc].open.take().expect("open");
        let utf16 = self.enc == Encoding::Utf16;
        for _ in 0..1 + self.rng.below(8) {
            version += 1;
            let changes: Vec<Value> = if self.rng.chance(60) {
                text = self.bases[self.rng.below(self.bases.len())].clone();
                vec![json!({"text": text})]
            } else {
                (0..1 + self.rng.below(3))
                    .map(|_| edit_change(&mut text, &self.rng.edit(), utf16))
                    .collect()
            };
            self.stats.edits += changes.len();
            self.c.change(&uri, version, changes).await;
        }
        self.docs[doc].open = Some((text, version));
        self.stats.batches += 1;
        self.expect_current(doc).await;
    }

    /// The server holds exactly the open documents, with the client's text.
    async fn check_documents(&mut self) {
        for doc in 0..self.docs.len() {
            let uri = self.docs[doc].uri.clone();
            let got = self
                .c
                .request("nianbao/documentText", json!({"uri": uri}))
                .await;
            match &self.docs[doc].open {
                None => assert_eq!(got, Value::Null, "a closed document is kept ({uri})"),
                Some((text, version)) => {
                    assert_eq!(got["version"], *version, "{}", self.context(doc));
                    assert!(got["text"] == text.as_str(), "{}", self.context(doc));
                }
            }
        }
    }

    async fn round(&mut self) {
        let doc = self.rng.below(DOCS);
        match &self.docs[doc].open {
            None => self.open(doc).await,
            Some(_) if self.rng.chance(12) => self.close(doc).await,
            Some(_) => self.edit(doc).await,
        }
        self.stats.rounds += 1;
        if self.stats.rounds.is_multiple_of(25) {
            self.check_documents().await;
        }
    }
}

/// One server, one encoding: open every document, then rounds until `limit`.
async fn segment(enc: Encoding, debounce_ms: u64, seed: u64, limit: Limit) -> Stats {
    let mut c = TestClient::with_options(Options {
        debounce_ms: Some(debounce_ms),
    });
    c.initialize(match enc {
        Encoding::Utf16 => json!({}),
        Encoding::Utf8 => utf8_caps(),
    })
    .await;
    let mut s = Soak {
        c,
        enc,
        rng: Rng(seed),
        bases: bases(),
        docs: (0..DOCS)
            .map(|i| Doc {
                uri: format!("file:///soak/report-{i:02}.txt"),
                open: None,
            })
            .collect(),
        published: HashMap::new(),
        stats: Stats::default(),
        seed,
    };
    for doc in 0..DOCS {
        s.open(doc).await;
    }
    // Warm-up: every document open and edited for a while before memory is measured.
    let warm = match limit {
        Limit::Rounds(n) => Limit::Rounds(n / 4),
        Limit::Until(t) => {
            Limit::Until(Instant::now() + t.saturating_duration_since(Instant::now()) / 5)
        }
    };
    let done = |s: &Soak, l: Limit| match l {
        Limit::Rounds(n) => s.stats.rounds >= n,
        Limit::Until(t) => Instant::now() >= t,
    };
    while !done(&s, warm) {
        s.round().await;
    }
    s.stats.rss_warm_kib = rss_kib();
    s.stats.rss_max_kib = s.stats.rss_warm_kib;
    while !done(&s, limit) {
        s.round().await;
        if s.stats.rounds.is_multiple_of(50) {
            s.stats.rss_max_kib = s.stats.rss_max_kib.max(rss_kib());
        }
    }
    s.check_documents().await;
    for doc in 0..DOCS {
        if s.docs[doc].open.is_some() {
            s.close(doc).await;
        }
    }
    s.check_documents().await;
    s.stats.rss_end_kib = rss_kib();
    s.stats.rss_max_kib = s.stats.rss_max_kib.max(s.stats.rss_end_kib);
    s.c.shutdown().await;
    s.stats
}

#[test]
fn random_edits_opens_and_closes_keep_diagnostics_exact_and_memory_flat() {
    let seed = std::env::var("NIANBAO_SOAK_SEED")
        .ok()
        .and_then(|s| {
            let s = s.trim();
            match s.strip_prefix("0x") {
                Some(h) => u64::from_str_radix(h, 16).ok(),
                None => s.parse().ok(),
            }
        })
        .unwrap_or(DEFAULT_SEED);
    let total = std::env::var("NIANBAO_SOAK_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let mut segments: Vec<(Encoding, Stats)> = Vec::new();
    let mut n = 0u64;
    loop {
        let (enc, debounce) = SEGMENTS[n as usize % SEGMENTS.len()];
        let limit = match total {
            None if n >= 2 => break,
            None => Limit::Rounds(SHORT_ROUNDS),
            Some(t) => {
                let left = t.saturating_sub(started.elapsed());
                if left < Duration::from_secs(5) && n >= 2 {
                    break;
                }
                Limit::Until(Instant::now() + left.min(Duration::from_secs(60)))
            }
        };
        let stats = rt.block_on(segment(enc, debounce, seed.wrapping_add(n), limit));
        eprintln!(
            "soak segment {n} ({enc:?}, debounce {debounce} ms, seed {:#x}): {} rounds, {} edits in {} batches, {} opens, \
             {} closes; RSS after warm-up {} KiB, max {} KiB, end {} KiB",
            seed.wrapping_add(n),
            stats.rounds,
            stats.edits,
            stats.batches,
            stats.opens,
            stats.closes,
            stats.rss_warm_kib,
            stats.rss_max_kib,
            stats.rss_end_kib
        );
        assert!(
            stats.edits > 0 && stats.closes > 0 && stats.opens > DOCS,
            "the segment exercised too little: {stats:?}"
        );
        assert!(
            stats.rss_max_kib <= stats.rss_warm_kib + RSS_GROWTH_BOUND_KIB,
            "memory grew during segment {n}: {stats:?}"
        );
        segments.push((enc, stats));
        n += 1;
    }
    // Across segments (a new server each time): the process comes back to the same size.
    let first = segments[0].1.rss_end_kib;
    let last = segments.last().expect("segments").1.rss_end_kib;
    let edits: usize = segments.iter().map(|(_, s)| s.edits).sum();
    eprintln!(
        "soak: {} segments, {edits} edits in {:.1} s; RSS at the end of the first segment {first} KiB, of the last {last} KiB",
        segments.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        last <= first + RSS_GROWTH_BOUND_KIB,
        "memory grew across segments: {first} KiB → {last} KiB"
    );
}
