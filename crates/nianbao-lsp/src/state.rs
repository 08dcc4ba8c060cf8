//! The server's state: open documents, settings, configuration files, and the analyses
//! (lint results) of each document, produced off the async runtime.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use nianbao_core::{Config, Diagnostic, Report, Settings};
use tokio::sync::watch;
use tower_lsp_server::ls_types::Uri;

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
    pub report: Report,
    pub diags: Vec<Diagnostic>,
    pub settings: Settings,
    /// The document is a report (or matched by `include`): it gets diagnostics.
    pub is_report: bool,
    /// A web page: the report and diagnostics are placed in the page's source (read through
    /// `nianbao_formats::html`); edits that would insert plain text are not offered.
    pub html: bool,
    /// Last year's report found beside it: its URI and text.
    pub previous: Option<(Uri, Arc<String>)>,
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
    pub year: Option<u16>,
    pub body: Option<String>,
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
    pub listings: Mutex<HashMap<PathBuf, (std::time::Instant, Vec<PathBuf>)>>,
    /// The client pulls diagnostics (`textDocument/diagnostic`).
    pub pull: AtomicBool,
    /// Debounce in milliseconds (the command line's value wins over settings).
    pub debounce_ms: AtomicU64,
    pub cli_debounce: Option<u64>,
    pub workspace_root: RwLock<Option<PathBuf>>,
    /// Lint runs are numbered across documents, so that a run for a closed document never
    /// matches the document reopened under the same URI.
    pub generations: AtomicU64,
}

pub const DEFAULT_DEBOUNCE_MS: u64 = 150;

impl State {
    pub fn new(cli_debounce: Option<u64>) -> State {
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
    pub fn previous_for(&self, uri: &Uri, report: &Report) -> Option<(Uri, Arc<String>)> {
        let year = report.year.as_ref()?.value;
        let body = report.body.as_ref().map(|b| b.name.clone());
        let path = uri.to_file_path()?.into_owned();
        let dir = path.parent()?;
        let mut best = None;
        for p in self.listing(dir) {
            if p == path {
                continue;
            }
            let Some(d) = self.disk_report(&p) else {
                continue;
            };
            if d.year == Some(year - 1) && (body.is_none() || d.body == body) {
                best = Some((Uri::from_file_path(&p)?, d.text.clone()));
                break;
            }
        }
        best
    }

    /// The report files of a folder, listed at most once every few seconds (an analysis
    /// runs on every keystroke; the folder rarely changes that fast).
    fn listing(&self, dir: &Path) -> Vec<PathBuf> {
        const FRESH: Duration = Duration::from_secs(3);
        let mut cache = self.listings.lock().expect("lock");
        if let Some((at, files)) = cache.get(dir)
            && at.elapsed() < FRESH
        {
            return files.clone();
        }
        let files: Vec<PathBuf> = std::fs::read_dir(dir)
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
        let meta = std::fs::metadata(p).ok()?;
        if meta.len() > 8 << 20 {
            return None;
        }
        let mtime = meta.modified().ok()?;
        if let Some(d) = self.disk.lock().expect("lock").get(p)
            && d.mtime == mtime
        {
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
        };
        self.disk
            .lock()
            .expect("lock")
            .insert(p.to_path_buf(), d.clone());
        Some(d)
    }
}

/// Lints a snapshot (runs on a blocking thread).
pub fn analyse(
    state: &State,
    uri: &Uri,
    text: String,
    version: i32,
    kind: Option<Kind>,
) -> Analysis {
    let settings = state.settings_for(uri);
    let html = kind == Some(Kind::Html);
    let mut is_report = false;
    let mut previous = None;
    // Whether the document is a report and, if so, its diagnostics (in the text read).
    let mut check = |t: &str, report: &Report| {
        is_report = kind.is_some()
            && state.client_settings.read().expect("lock").enable
            && (report.title.is_some() || report.sections.len() >= 2 || state.included(uri));
        if !is_report {
            return Vec::new();
        }
        previous = state.previous_for(uri, report);
        lint(t, report, &settings, previous.as_ref())
    };
    let (report, diags) = if html {
        nianbao_formats::html::check(&text, check)
    } else {
        let report = nianbao_core::parse(&text);
        let diags = check(&text, &report);
        (report, diags)
    };
    Analysis {
        version,
        generation: 0,
        lines: LineMap::new(&text),
        text,
        report,
        diags,
        settings,
        is_report,
        html,
        previous,
    }
}

fn lint(
    text: &str,
    report: &Report,
    settings: &Settings,
    previous: Option<&(Uri, Arc<String>)>,
) -> Vec<Diagnostic> {
    let prev = previous.map(|(_, t)| (t.as_str(), nianbao_core::parse(t)));
    let prev = prev.as_ref().map(|(t, r)| (*t, r));
    nianbao_core::check_with_optional_previous(text, report, prev, settings)
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
