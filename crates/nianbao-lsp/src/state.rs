//! The server's state: open documents, settings, configuration files, and the analyses
//! (lint results) of each document, produced off the async runtime.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, SystemTime};

use nianbao_core::rules::suppress::Suppressions;
use nianbao_core::{Config, Diagnostic, Report, Settings};
use rustc_hash::FxHashMap;
use tokio::sync::watch;
use tower_lsp_server::ls_types::Uri;

use crate::convert::{self, Place};
use crate::document::Document;
use crate::encoding::{Encoding, LineMap};
use crate::settings::ClientSettings;

pub use nianbao_formats::Kind;

/// The result of linting one version of a document.
pub struct Analysis {
    pub version: i32,
    /// The lint run ([`DocState::generation`]) it comes from: a settings change re-lints the
    /// same version, and requests wait for that run, not the one before it.
    pub generation: u64,
    pub text: String,
    pub lines: LineMap,
    /// The reports the document holds (one for most; a document of several is checked a
    /// report at a time, see `nianbao_core::parts`), each with its results.
    pub parts: Vec<Placed>,
    /// The diagnostics of the whole document when it holds several reports (made on first
    /// use).
    all: OnceLock<Vec<Diagnostic>>,
    /// The document's suppression comments, when it holds several reports and has some.
    suppressions: Option<Suppressions>,
    pub settings: Settings,
    /// The document is a report (or matched by `include`): it gets diagnostics.
    pub is_report: bool,
    /// A web page: the report and diagnostics are placed in the page's source (read through
    /// `nianbao_formats::html`); edits that would insert plain text are not offered.
    pub html: bool,
    /// Last year's report found beside it (only for a document of one report).
    pub previous: Option<Arc<PreviousReport>>,
}

/// Last year's report by the same body, read from disk.
pub struct PreviousReport {
    pub uri: Uri,
    pub text: Arc<String>,
    pub report: Arc<Report>,
    pub lines: LineMap,
}

/// One report of a document, read and checked on its own, in its own coordinates (offset
/// 0 is where it begins in the document).
pub struct Part {
    pub len: usize,
    pub report: Report,
    /// Its diagnostics: final for a document of one report; before the document's
    /// suppression comments for one of several.
    pub diags: Vec<Diagnostic>,
    /// Its line map; `None` for the one report of a document, which uses the document's.
    lines: Option<LineMap>,
}

/// A [`Part`] where it stands in the document.
pub struct Placed {
    pub start: usize,
    /// The document line it begins on.
    pub line: u32,
    pub part: Arc<Part>,
    /// Its diagnostics as published, kept from one analysis to the next while the report
    /// and the line it begins on stay the same.
    wire: OnceLock<Arc<Wire>>,
}

/// A report's diagnostics as JSON, the elements of `publishDiagnostics`' array joined by
/// commas (empty when it has none).
pub struct Wire {
    line: u32,
    enc: Encoding,
    pub json: Vec<u8>,
}

impl Analysis {
    /// The report at byte `offset`: its text, its model and where it begins (the whole
    /// document, at 0, for a document of one report).
    pub fn report_at(&self, offset: usize) -> (&str, &Report, usize) {
        match &self.parts[..] {
            [p] => (&self.text, &p.part.report, 0),
            parts => {
                let i = parts
                    .partition_point(|p| p.start <= offset)
                    .saturating_sub(1);
                let p = &parts[i];
                (
                    &self.text[p.start..p.start + p.part.len],
                    &p.part.report,
                    p.start,
                )
            }
        }
    }

    /// Each report of the document with its place (one, the whole document, for most).
    pub fn reports(&self) -> impl Iterator<Item = (Place<'_>, &Report)> {
        self.parts.iter().map(|p| {
            let place = Place {
                text: &self.text[p.start..p.start + p.part.len],
                lines: self.lines_of(p),
                line0: p.line,
            };
            (place, &p.part.report)
        })
    }

    /// The diagnostics of the document, in its coordinates.
    pub fn diags(&self) -> &[Diagnostic] {
        match &self.parts[..] {
            [p] => &p.part.diags,
            _ => self.all.get_or_init(|| {
                let mut out = Vec::new();
                for p in &self.parts {
                    for d in &p.part.diags {
                        if !self.suppressed(p, d) {
                            let mut d = d.clone();
                            d.offset_by(p.start);
                            out.push(d);
                        }
                    }
                }
                out
            }),
        }
    }

    fn suppressed(&self, p: &Placed, d: &Diagnostic) -> bool {
        self.suppressions
            .as_ref()
            .is_some_and(|s| s.suppresses_at(d.code, p.start + d.range.start))
    }

    /// A report's line map (its own, or the document's for a document of one report).
    fn lines_of<'a>(&'a self, p: &'a Placed) -> &'a LineMap {
        p.part.lines.as_ref().unwrap_or(&self.lines)
    }

    /// The whole document as a [`Place`].
    pub fn place(&self) -> Place<'_> {
        Place::whole(&self.text, &self.lines)
    }

    /// Last year's report, as conversions take it.
    pub fn previous_place(&self) -> Option<convert::Previous<'_>> {
        self.previous
            .as_ref()
            .map(|p| (&p.uri, p.text.as_str(), &p.lines))
    }

    /// A report's published diagnostics as JSON: made once, then kept while the report and
    /// its first line stay (and the document has no suppression comments).
    pub fn wire(&self, p: &Placed, uri: &Uri, enc: Encoding) -> Arc<Wire> {
        if let Some(w) = p.wire.get()
            && w.enc == enc
            && w.line == p.line
        {
            return w.clone();
        }
        let place = Place {
            text: &self.text[p.start..p.start + p.part.len],
            lines: self.lines_of(p),
            line0: p.line,
        };
        let prev = self.previous_place();
        let mut json = Vec::new();
        for d in p.part.diags.iter().filter(|d| !self.suppressed(p, d)) {
            if !json.is_empty() {
                json.push(b',');
            }
            let lsp = convert::diagnostic(uri, &place, d, enc, prev);
            serde_json::to_writer(&mut json, &lsp).expect("a diagnostic serialises");
        }
        let w = Arc::new(Wire {
            line: p.line,
            enc,
            json,
        });
        if self.suppressions.is_none() {
            let _ = p.wire.set(w.clone());
        }
        w
    }
}

pub struct DocState {
    pub doc: Document,
    /// Set from [`State::generations`] by every change; a lint run whose generation is stale
    /// is dropped.
    pub generation: u64,
    /// The latest finished analysis (of `analysis.version`), watched by pull requests.
    pub analysis: watch::Sender<Option<Arc<Analysis>>>,
    /// Diagnostics were published for it (so closing or un-recognising clears them).
    pub published: bool,
}

#[derive(Clone)]
pub struct LoadedConfig {
    pub dir: PathBuf,
    pub config: Arc<Config>,
}

/// A parsed report on disk, cached by path and modification time (cross-year lookup).
#[derive(Clone)]
pub struct DiskReport {
    pub mtime: SystemTime,
    pub text: Arc<String>,
    /// The model, kept once the file has been used as last year's report (the other files
    /// of the folder keep only what the lookup compares).
    pub report: Option<Arc<Report>>,
    pub year: Option<u16>,
    pub body: Option<String>,
    /// When its modification time was last compared with the file's.
    pub checked: std::time::Instant,
}

pub struct State {
    pub docs: Mutex<HashMap<Uri, DocState>>,
    pub encoding: RwLock<Encoding>,
    pub client_settings: RwLock<ClientSettings>,
    pub configs: Mutex<HashMap<PathBuf, Option<LoadedConfig>>>,
    pub disk: Mutex<HashMap<PathBuf, DiskReport>>,
    /// Held while publishing diagnostics or clearing them on close (ordering).
    pub publishing: tokio::sync::Mutex<()>,
    /// Folder listings for the cross-year lookup, with when they were taken.
    pub listings: Mutex<HashMap<PathBuf, Listing>>,
    /// The client pulls diagnostics (`textDocument/diagnostic`).
    pub pull: AtomicBool,
    /// Debounce in milliseconds (the command line's value wins over settings).
    pub debounce_ms: AtomicU64,
    pub cli_debounce: Option<u64>,
    pub workspace_root: RwLock<Option<PathBuf>>,
    /// Lint runs are numbered across documents, so that a run for a closed document never
    /// matches the document reopened under the same URI.
    pub generations: AtomicU64,
    /// Where the diagnostics publications go, beside tower-lsp-server's frames.
    out: Out,
    /// The thread analyses run on.
    pub worker: crate::worker::Worker,
}

/// Frames written to the client beside tower-lsp-server's own, always between whole
/// frames: the diagnostics publications, serialised by the server itself.
pub enum Out {
    /// To the output guard, which writes them (in-memory streams, as the tests use).
    Channel(tokio::sync::mpsc::Sender<Vec<u8>>),
    /// Written at once by the thread that has them (standard output).
    Direct(Arc<crate::stdio::Sink>),
}

/// A folder's report files, and when they were listed.
pub type Listing = (std::time::Instant, Arc<[PathBuf]>);

pub const DEFAULT_DEBOUNCE_MS: u64 = 150;

/// How long a folder listing or a file's modification time is trusted (an analysis runs on
/// every keystroke; the folder rarely changes that fast).
const FRESH: Duration = Duration::from_secs(3);

impl State {
    pub fn new(cli_debounce: Option<u64>, out: Out) -> State {
        State {
            docs: Mutex::new(HashMap::new()),
            encoding: RwLock::new(Encoding::Utf16),
            client_settings: RwLock::new(ClientSettings::default()),
            configs: Mutex::new(HashMap::new()),
            disk: Mutex::new(HashMap::new()),
            listings: Mutex::new(HashMap::new()),
            publishing: tokio::sync::Mutex::new(()),
            pull: AtomicBool::new(false),
            debounce_ms: AtomicU64::new(cli_debounce.unwrap_or(DEFAULT_DEBOUNCE_MS)),
            cli_debounce,
            workspace_root: RwLock::new(None),
            generations: AtomicU64::new(0),
            out,
            worker: crate::worker::Worker::start(),
        }
    }

    /// Writes a frame to the client (after the frames before it; see [`Out`]).
    pub async fn send(&self, frame: Vec<u8>) {
        match &self.out {
            Out::Channel(tx) => {
                let _ = tx.send(frame).await;
            }
            Out::Direct(sink) => {
                let _ = sink.write_frame(&frame);
            }
        }
    }

    /// A `didChange` has been read and will be analysed at once (no debounce): the
    /// analysis thread is woken now, while the change is decoded and applied.
    pub fn expect_analysis(&self) {
        if self.debounce().is_zero() {
            self.worker.expect();
        }
    }

    /// [`State::send`] from a blocking thread (outside the runtime).
    pub fn send_blocking(&self, frame: Vec<u8>) {
        match &self.out {
            Out::Channel(tx) => {
                let _ = tx.blocking_send(frame);
            }
            Out::Direct(sink) => {
                let _ = sink.write_frame(&frame);
            }
        }
    }

    pub fn encoding(&self) -> Encoding {
        *self.encoding.read().expect("lock")
    }

    pub fn debounce(&self) -> Duration {
        Duration::from_millis(self.debounce_ms.load(Ordering::Relaxed))
    }

    pub fn set_client_settings(&self, s: ClientSettings) {
        if self.cli_debounce.is_none()
            && let Some(d) = s.debounce_ms
        {
            self.debounce_ms.store(d.min(10_000), Ordering::Relaxed);
        }
        *self.client_settings.write().expect("lock") = s;
    }

    /// The nianbao.toml that applies to files in `dir`, from `dir` upward.
    pub fn config_for_dir(&self, dir: &Path) -> Option<LoadedConfig> {
        if let Some(c) = self.configs.lock().expect("lock").get(dir) {
            return c.clone();
        }
        let candidate = dir.join("nianbao.toml");
        let found = if candidate.is_file() {
            std::fs::read_to_string(&candidate)
                .ok()
                .and_then(|t| Config::from_toml(&t).ok())
                .map(|c| LoadedConfig {
                    dir: dir.to_path_buf(),
                    config: Arc::new(c),
                })
        } else {
            dir.parent().and_then(|p| self.config_for_dir(p))
        };
        self.configs
            .lock()
            .expect("lock")
            .insert(dir.to_path_buf(), found.clone());
        found
    }

    /// Settings for a document: its nianbao.toml (if on disk), then the editor's settings.
    pub fn settings_for(&self, uri: &Uri) -> Settings {
        let mut s = Settings::default();
        if let Some(path) = uri.to_file_path()
            && let Some(dir) = path.parent()
            && let Some(c) = self.config_for_dir(dir)
        {
            let rel = path.strip_prefix(&c.dir).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            s = c.config.settings_for(&rel.join("/"));
        }
        self.client_settings.read().expect("lock").apply(&mut s);
        s
    }

    /// Whether `uri` matches the `include` globs of the settings or its nianbao.toml's
    /// folder (matched against the path relative to the workspace root, and the absolute one).
    pub fn included(&self, uri: &Uri) -> bool {
        let Some(path) = uri.to_file_path() else {
            return false;
        };
        // `[check] include` of the document's nianbao.toml, relative to its folder.
        if let Some(dir) = path.parent()
            && let Some(c) = self.config_for_dir(dir)
            && let Ok(rel) = path.strip_prefix(&c.dir)
        {
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if c.config.is_included(&rel.join("/")) {
                return true;
            }
        }
        let globs = self.client_settings.read().expect("lock").include.clone();
        if globs.is_empty() {
            return false;
        }
        let mut b = globset::GlobSetBuilder::new();
        for g in &globs {
            if let Ok(g) = globset::Glob::new(g) {
                b.add(g);
            }
        }
        let Ok(set) = b.build() else { return false };
        let root = self.workspace_root.read().expect("lock").clone();
        let rel = root
            .as_deref()
            .and_then(|r| path.strip_prefix(r).ok())
            .map(Path::to_path_buf);
        set.is_match(&*path) || rel.is_some_and(|r| set.is_match(r))
    }

    /// Last year's report by the same body in the same folder, if any.
    pub fn previous_for(&self, uri: &Uri, report: &Report) -> Option<Arc<PreviousReport>> {
        let year = report.year.as_ref()?.value;
        let body = report.body.as_ref().map(|b| b.name.clone());
        let path = uri.to_file_path()?.into_owned();
        let dir = path.parent()?;
        for p in self.listing(dir).iter() {
            if *p == path {
                continue;
            }
            let Some(d) = self.disk_report(p) else {
                continue;
            };
            if d.year == Some(year - 1) && (body.is_none() || d.body == body) {
                let report = match d.report {
                    Some(r) => r,
                    None => {
                        let r = Arc::new(nianbao_core::parse(&d.text));
                        if let Some(e) = self.disk.lock().expect("lock").get_mut(p)
                            && e.mtime == d.mtime
                        {
                            e.report = Some(r.clone());
                        }
                        r
                    }
                };
                return Some(Arc::new(PreviousReport {
                    uri: Uri::from_file_path(p)?,
                    lines: LineMap::new(&d.text),
                    text: d.text,
                    report,
                }));
            }
        }
        None
    }

    /// The report files of a folder, listed at most once every few seconds (an analysis
    /// runs on every keystroke; the folder rarely changes that fast).
    fn listing(&self, dir: &Path) -> Arc<[PathBuf]> {
        let mut cache = self.listings.lock().expect("lock");
        if let Some((at, files)) = cache.get(dir)
            && at.elapsed() < FRESH
        {
            return files.clone();
        }
        let files: Arc<[PathBuf]> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "md"))
                    })
                    .take(2_000)
                    .collect()
            })
            .unwrap_or_default();
        cache.insert(
            dir.to_path_buf(),
            (std::time::Instant::now(), files.clone()),
        );
        files
    }

    fn disk_report(&self, p: &Path) -> Option<DiskReport> {
        // Looked at within the last few seconds: not even a `stat` (as for the listing).
        if let Some(d) = self.disk.lock().expect("lock").get(p)
            && d.checked.elapsed() < FRESH
        {
            return Some(d.clone());
        }
        let meta = std::fs::metadata(p).ok()?;
        if meta.len() > 8 << 20 {
            return None;
        }
        let mtime = meta.modified().ok()?;
        if let Some(d) = self.disk.lock().expect("lock").get_mut(p)
            && d.mtime == mtime
        {
            d.checked = std::time::Instant::now();
            return Some(d.clone());
        }
        // Only UTF-8 files are read here; invalid bytes on disk are skipped, not fatal.
        let text = String::from_utf8(std::fs::read(p).ok()?).ok()?;
        let r = nianbao_core::parse(&text);
        let d = DiskReport {
            mtime,
            year: r.year.as_ref().map(|y| y.value),
            body: r.body.as_ref().map(|b| b.name.clone()),
            text: Arc::new(text),
            report: None,
            checked: std::time::Instant::now(),
        };
        self.disk
            .lock()
            .expect("lock")
            .insert(p.to_path_buf(), d.clone());
        Some(d)
    }
}

/// Lints a snapshot (runs on a blocking thread). `before` is
/// the document's previous analysis: in a document of several reports, the reports whose
/// text did not change keep their results.
pub fn analyse(
    state: &State,
    uri: &Uri,
    text: String,
    version: i32,
    kind: Option<Kind>,
    before: Option<&Analysis>,
) -> Analysis {
    let settings = state.settings_for(uri);
    let html = kind == Some(Kind::Html);
    let enabled = kind.is_some() && state.client_settings.read().expect("lock").enable;
    let lines = LineMap::new(&text);
    let ranges = if html {
        Vec::new()
    } else {
        nianbao_core::parts(&text)
    };
    let mut is_report = false;
    let mut previous = None;
    let mut suppressions = None;
    let parts = if let [_, _, ..] = ranges[..] {
        // Several reports: each begins at a report's title.
        is_report = enabled;
        let sup = Suppressions::parse(&text);
        suppressions = (!sup.is_empty()).then_some(sup);
        let reuse = before.filter(|b| {
            !b.html && b.previous.is_none() && b.is_report == is_report && b.settings == settings
        });
        // The reports of the analysis before, by text (several may have the same text).
        let mut old: FxHashMap<&str, Vec<&Placed>> = FxHashMap::default();
        if let Some(b) = reuse {
            for p in &b.parts {
                old.entry(&b.text[p.start..p.start + p.part.len])
                    .or_default()
                    .push(p);
            }
        }
        ranges
            .iter()
            .map(|r| {
                let line = lines.line_of(r.start);
                let t = r.slice(&text);
                if let Some(same) = old.get(t) {
                    // One on the same line keeps its published JSON too.
                    let o = same.iter().find(|o| o.line == line).unwrap_or(&same[0]);
                    let wire = if o.line == line {
                        o.wire.clone()
                    } else {
                        OnceLock::new()
                    };
                    return Placed {
                        start: r.start,
                        line,
                        part: o.part.clone(),
                        wire,
                    };
                }
                let report = nianbao_core::parse(t);
                let diags = if is_report {
                    nianbao_core::rules::check_report(t, &report, None, &settings)
                } else {
                    Vec::new()
                };
                Placed::new(r.start, line, t, true, report, diags)
            })
            .collect()
    } else {
        // One report (or a page): whether it is a report and, if so, its diagnostics.
        let mut check = |t: &str, report: &Report| {
            is_report = enabled
                && (report.title.is_some() || report.sections.len() >= 2 || state.included(uri));
            if !is_report {
                return Vec::new();
            }
            previous = state.previous_for(uri, report);
            let prev = previous.as_ref().map(|p| (p.text.as_str(), &*p.report));
            if html {
                // The page's text may hold several reports.
                nianbao_core::check_with_optional_previous(t, report, prev, &settings)
            } else {
                // One report, as `parts` found above.
                let mut diags = nianbao_core::rules::check_report(t, report, prev, &settings);
                nianbao_core::rules::apply_suppressions(t, &mut diags);
                diags
            }
        };
        let (report, diags) = if html {
            nianbao_formats::html::check(&text, check)
        } else {
            let report = nianbao_core::parse(&text);
            let diags = check(&text, &report);
            (report, diags)
        };
        vec![Placed::new(0, 0, &text, false, report, diags)]
    };
    Analysis {
        version,
        generation: 0,
        lines,
        text,
        parts,
        all: OnceLock::new(),
        suppressions,
        settings,
        is_report,
        html,
        previous,
    }
}

impl Placed {
    /// A report with its text; `own_lines` for one of several (the one report of a document
    /// uses the document's line map).
    fn new(
        start: usize,
        line: u32,
        text: &str,
        own_lines: bool,
        report: Report,
        diags: Vec<Diagnostic>,
    ) -> Self {
        Placed {
            start,
            line,
            part: Arc::new(Part {
                len: text.len(),
                report,
                diags,
                lines: own_lines.then(|| LineMap::new(text)),
            }),
            wire: OnceLock::new(),
        }
    }
}

/// Which documents nianbao looks at, and how it reads them: plain text and Markdown, and
/// web pages (HTML). `None` for any other document.
pub fn wanted(uri: &Uri, language_id: &str) -> Option<Kind> {
    match language_id {
        "plaintext" | "markdown" | "text" | "txt" => return Some(Kind::Text),
        "html" => return Some(Kind::Html),
        _ => {}
    }
    match Kind::from_path(uri.path().as_str()) {
        Some(Kind::Docx) | None => None,
        k => k,
    }
}
