//! `nianbao check`: lint reports, print diagnostics, fix, and set the exit code.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nianbao_core::rules::fix;
use nianbao_core::{Diagnostic, Report, Settings, Severity};

use crate::discover::{self, Configs};
use crate::input::{self, Encoding, Kind, Loaded};
use crate::render::{self, FileReport, Format, Positions, Totals};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum FailOn {
    Hint,
    Info,
    Warning,
    Error,
    Never,
}

impl FailOn {
    fn fails(self, s: Severity) -> bool {
        let min = match self {
            FailOn::Never => return false,
            FailOn::Hint => Severity::Hint,
            FailOn::Info => Severity::Info,
            FailOn::Warning => Severity::Warning,
            FailOn::Error => Severity::Error,
        };
        s >= min
    }
}

#[derive(clap::Args)]
pub struct Options {
    /// Files or folders (.txt, .md; folders are walked honouring .gitignore), or - for stdin.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "full")]
    pub format: render::Format,
    /// Exit 1 when a diagnostic at or above this severity is found.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// Always exit 0 when the files could be read.
    #[arg(long)]
    pub exit_zero: bool,
    /// Apply safe fixes to the files (written atomically, keeping encoding and line endings).
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: also apply unsafe fixes.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Show the fixes as a unified diff without writing.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Last year's report by the same body: run the cross-year checks.
    #[arg(long, value_name = "LAST_YEAR")]
    pub previous: Option<PathBuf>,
    /// The path stdin's report stands for (for configuration and messages).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    /// Use this nianbao.toml instead of looking for one from each file's folder upward.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

/// What happened to one file.
#[derive(Default)]
struct Outcome {
    /// Rendered output for stdout.
    out: String,
    counts: [usize; 4],
    fixable: usize,
    fixed: usize,
    error: bool,
}

struct Previous {
    text: String,
    report: Report,
}

impl Previous {
    fn pair(&self) -> (&str, &Report) {
        (&self.text, &self.report)
    }
}

fn check_text(
    text: &str,
    report: &Report,
    settings: &Settings,
    previous: Option<&Previous>,
) -> Vec<Diagnostic> {
    nianbao_core::check_with_optional_previous(text, report, previous.map(Previous::pair), settings)
}

fn lint_text(
    text: &str,
    settings: &Settings,
    previous: Option<&Previous>,
) -> (Report, Vec<Diagnostic>) {
    let (report, diags, _) = lint_text_counted(text, settings, previous);
    (report, diags)
}

/// [`lint_text`], also telling how many reports the text holds.
fn lint_text_counted(
    text: &str,
    settings: &Settings,
    previous: Option<&Previous>,
) -> (Report, Vec<Diagnostic>, usize) {
    let report = nianbao_core::parse(text);
    let (diags, reports) =
        nianbao_core::check_document(text, &report, previous.map(Previous::pair), settings);
    (report, diags, reports)
}

/// Lints a text or a web page; for a page, the report and diagnostics are given in places
/// of the page's source (fixes that cannot be made in the page are dropped).
fn lint(
    kind: Kind,
    text: &str,
    settings: &Settings,
    previous: Option<&Previous>,
) -> (Report, Vec<Diagnostic>) {
    if kind != Kind::Html {
        return lint_text(text, settings, previous);
    }
    nianbao_formats::html::check(text, |t, report| check_text(t, report, settings, previous))
}

/// Applies fixes until none applies (see `nianbao_core::rules::fix::fix_all`; a page is
/// read again after each round).
fn fix_all(
    kind: Kind,
    text: &str,
    settings: &Settings,
    previous: Option<&Previous>,
    unsafe_fixes: bool,
) -> (String, usize) {
    if kind != Kind::Html {
        return fix::fix_all(text, settings, previous.map(Previous::pair), unsafe_fixes);
    }
    fix::fix_with(text, unsafe_fixes, |t| lint(kind, t, settings, previous).1)
}

/// The text a previous year's report is compared in (a page or document read as text).
fn previous_text(loaded: Loaded) -> String {
    match loaded {
        Loaded::Text(d) => d.text,
        Loaded::Html(d) => nianbao_formats::html::convert(&d.text).text,
        Loaded::Docx(c) => c.text,
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so
/// the file is either the old one or the new one, never half-written.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".nianbao-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn process(
    display: &str,
    path: Option<&Path>,
    loaded: Result<Loaded, input::ReadError>,
    settings: &Settings,
    previous: Option<&Previous>,
    opts: &Options,
    renderer: &dyn render::Render,
) -> Outcome {
    let mut o = Outcome::default();
    let (d, kind) = match loaded {
        Ok(Loaded::Text(d)) => (d, Kind::Text),
        Ok(Loaded::Html(d)) => (d, Kind::Html),
        Ok(Loaded::Docx(c)) => return docx(display, c, settings, previous, opts, renderer),
        Err(e) => {
            o.error = true;
            o.out = renderer.error(display, &e.message(display));
            return o;
        }
    };
    let mut text = d.text;
    let mut note = match d.encoding {
        Encoding::Gb18030 | Encoding::Utf16Le | Encoding::Utf16Be => Some(format!(
            "文件编码为 {}，已自动转换后检查",
            d.encoding.name()
        )),
        _ => None,
    };
    if opts.fix || opts.diff {
        let (fixed, n) = fix_all(kind, &text, settings, previous, opts.unsafe_fixes);
        if n > 0 && fixed != text {
            if opts.diff {
                o.out
                    .push_str(&render::unified_diff(display, &text, &fixed));
                o.fixed = n;
                return o;
            }
            match path {
                None => {
                    // stdin: the fixed text goes to stdout instead of the diagnostics.
                    if d.encoding == (Encoding::Utf8 { bom: true }) {
                        o.out.push('\u{feff}');
                    }
                    o.out.push_str(&fixed);
                    o.fixed = n;
                    return o;
                }
                Some(p) => match input::encode(&fixed, d.encoding) {
                    Some(bytes) => match write_atomically(p, &bytes) {
                        Ok(()) => {
                            o.fixed = n;
                            text = fixed;
                        }
                        Err(e) => {
                            o.error = true;
                            o.out.push_str(&renderer.error(
                                display,
                                &format!("{display}: 无法写入修复结果（{e}）；原文件未改动"),
                            ));
                        }
                    },
                    None => {
                        o.error = true;
                        o.out.push_str(&renderer.error(
                            display,
                            &format!(
                                "{display}: 修复后的文字无法用 {} 编码保存；原文件未改动",
                                d.encoding.name()
                            ),
                        ));
                    }
                },
            }
        } else if opts.diff {
            return o;
        } else if path.is_none() && opts.fix {
            if d.encoding == (Encoding::Utf8 { bom: true }) {
                o.out.push('\u{feff}');
            }
            o.out.push_str(&text);
            return o;
        }
        if o.fixed > 0 {
            note = Some(format!(
                "已修复 {} 处{}",
                o.fixed,
                note.map(|n| format!("；{n}")).unwrap_or_default()
            ));
        }
    }
    let (report, diags, reports) = if kind == Kind::Text {
        lint_text_counted(&text, settings, previous)
    } else {
        let (report, diags) = lint(kind, &text, settings, previous);
        (report, diags, 1)
    };
    if reports > 1 {
        let unused = if previous.is_some() {
            "（不与 --previous 比较）"
        } else {
            ""
        };
        let n = format!("文件包含 {reports} 份报告，已逐份检查{unused}");
        note = Some(match note {
            Some(before) => format!("{before}；{n}"),
            None => n,
        });
    }
    count(&mut o, &diags, opts);
    let idx = Positions::new();
    o.out.push_str(&renderer.file(&FileReport {
        path: display,
        text: &text,
        report: &report,
        diags: &diags,
        idx: &idx,
        note: note.as_deref(),
        locations: None,
    }));
    o
}

impl Totals {
    fn add(&mut self, o: &Outcome) {
        self.files += 1;
        for (i, c) in o.counts.iter().enumerate() {
            self.by_severity[i] += c;
        }
        self.fixable += o.fixable;
        self.fixed += o.fixed;
        self.unreadable += usize::from(o.error);
    }
}

fn count(o: &mut Outcome, diags: &[Diagnostic], opts: &Options) {
    for d in diags {
        o.counts[d.severity as usize] += 1;
        if d.fix.as_ref().is_some_and(|f| {
            opts.unsafe_fixes || f.applicability == nianbao_core::Applicability::Safe
        }) {
            o.fixable += 1;
        }
    }
}

/// A Word document: checked as the text read from it, places named by paragraph and
/// table cell. It is never written: `--fix` and `--diff` say so and only check.
fn docx(
    display: &str,
    c: nianbao_formats::docx::Converted,
    settings: &Settings,
    previous: Option<&Previous>,
    opts: &Options,
    renderer: &dyn render::Render,
) -> Outcome {
    let mut o = Outcome::default();
    let note = (opts.fix || opts.diff).then_some(
        "Word 文档（.docx）不能自动修复：请在 Word 中按提示修改；本次只检查，文件未改动",
    );
    if opts.diff {
        o.out = renderer.error(display, &format!("{display}: {}", note.unwrap_or_default()));
        return o;
    }
    let (report, diags) = lint_text(&c.text, settings, previous);
    count(&mut o, &diags, opts);
    o.fixable = 0;
    let idx = Positions::new();
    o.out.push_str(&renderer.file(&FileReport {
        path: display,
        text: &c.text,
        report: &report,
        diags: &diags,
        idx: &idx,
        note,
        locations: Some(&c.locations),
    }));
    o
}

pub fn run(opts: Options) -> ExitCode {
    let stdin = opts.paths.iter().any(|p| p.as_os_str() == "-");
    // `--diff` prints diffs, and `--fix -` the fixed text: plain text on stdout whatever the
    // format (unreadable files as concise lines), and the summary on stderr.
    let raw = opts.diff || (opts.fix && stdin);
    let renderer = render::renderer(if raw { Format::Concise } else { opts.format });
    let mut configs = match Configs::new(opts.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(2);
        }
    };
    let previous = match &opts.previous {
        None => None,
        Some(p) => match input::read_any(p) {
            Ok(loaded) => {
                let text = previous_text(loaded);
                let report = nianbao_core::parse(&text);
                Some(Previous { text, report })
            }
            Err(e) => {
                eprintln!("错误：{}", e.message(&p.display().to_string()));
                return ExitCode::from(2);
            }
        },
    };
    // Only totals are kept from file to file: memory does not grow with the number of files
    // (beyond their sorted list of paths).
    let mut totals = Totals::default();
    let mut pending: Vec<Outcome> = Vec::new();
    // Buffered: a write every 256 files, not one a file.
    let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let mut usage_error = false;
    if stdin {
        let name = opts.stdin_filename.clone().unwrap_or_else(|| "-".into());
        let mut settings = match discover::settings_for(&mut configs, Path::new(&name)) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("错误：{e}");
                return ExitCode::from(2);
            }
        };
        settings.data = renderer.shows_data();
        let mut bytes = Vec::new();
        let decoded = std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| input::ReadError::Io(e.to_string()))
            .and_then(|_| input::load(&bytes, input::kind(&name)));
        pending.push(process(
            &name,
            None,
            decoded,
            &settings,
            previous.as_ref(),
            &opts,
            renderer.as_ref(),
        ));
    }
    let paths: Vec<PathBuf> = opts
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    // The shared tables are built on a worker while this thread walks the folders, not by
    // the first files checked (which would keep the other worker waiting).
    rayon::spawn(nianbao_core::warm_up);
    let (targets, missing) = match discover::collect(&paths, &mut configs) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(2);
        }
    };
    for m in &missing {
        eprintln!("错误：{m}");
        usage_error = true;
    }
    let progress = (!opts.no_progress
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && targets.len() > 50)
        .then(|| {
            let pb = indicatif::ProgressBar::new(targets.len() as u64);
            pb.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} 个文件 {elapsed_precise}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            pb
        });
    // Bounded memory: only totals are kept, the output goes out as files are done — to
    // stdout, or (formats whose opening needs the totals) to an unnamed temporary file
    // copied out at the end.
    let mut spool = if renderer.wrapped() {
        match tempfile::tempfile() {
            Ok(f) => Some(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("错误：无法创建临时文件（{e}）");
                return ExitCode::from(2);
            }
        }
    } else {
        None
    };
    let mut wrote_part = false;
    let mut emit = |part: &str, stdout: &mut std::io::BufWriter<std::io::StdoutLock<'_>>| {
        if part.is_empty() {
            return;
        }
        let sink: &mut dyn Write = match spool.as_mut() {
            Some(f) => f,
            None => stdout,
        };
        if wrote_part {
            let _ = sink.write_all(renderer.separator().as_bytes());
        }
        let _ = sink.write_all(part.as_bytes());
        wrote_part = true;
    };
    for o in pending {
        emit(&o.out, &mut stdout);
        totals.add(&o);
    }
    // Each file's configuration (loaded, and checked, while the folders were walked;
    // `Configs` answers a folder's files, which come together, from its last answer), one
    // per run of files in the same folder.
    let mut folder_configs: Vec<Option<discover::LoadedConfig>> = Vec::new();
    let mut config_of: Vec<usize> = Vec::with_capacity(targets.len());
    for (i, path) in targets.iter().enumerate() {
        if i == 0 || path.parent() != targets[i - 1].parent() {
            match discover::config_for(&mut configs, path) {
                Ok(c) => folder_configs.push(c),
                Err(e) => {
                    eprintln!("错误：{e}");
                    return ExitCode::from(2);
                }
            }
        }
        config_of.push(folder_configs.len() - 1);
    }
    // Files are checked in parallel and written out in order as they are done — to stdout,
    // or (formats whose opening needs the totals) to the temporary file; at most 256 wait.
    let mut since_flush = 0;
    crate::ordered::map_in_order(
        targets.len(),
        256,
        |i| {
            let path = &targets[i];
            let config = folder_configs[config_of[i]].as_ref();
            let mut settings = discover::settings_in(config, path);
            settings.data = renderer.shows_data();
            let display = path.display().to_string();
            let o = process(
                &display,
                Some(path),
                input::read_any(path),
                &settings,
                previous.as_ref(),
                &opts,
                renderer.as_ref(),
            );
            if let Some(pb) = &progress {
                pb.inc(1);
            }
            o
        },
        |o| {
            emit(&o.out, &mut stdout);
            totals.add(&o);
            // Written out every 256 files, not a write per file.
            since_flush += 1;
            if since_flush == 256 {
                since_flush = 0;
                let _ = stdout.flush();
            }
        },
    );
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    if let Some(spool) = spool.take() {
        let _ = stdout.write_all(renderer.head(&totals).as_bytes());
        match spool.into_inner() {
            Ok(mut f) => {
                use std::io::Seek;
                let _ = f.rewind();
                let _ = std::io::copy(&mut f, &mut stdout);
            }
            Err(e) => eprintln!("错误：临时文件写入失败（{}）", e.error()),
        }
    }
    let tail = renderer.finish(&totals, &opts);
    if raw {
        let _ = stdout.flush();
        eprint!("{tail}");
    } else {
        let _ = stdout.write_all(tail.as_bytes());
        let _ = stdout.flush();
    }
    if usage_error || totals.unreadable > 0 {
        return ExitCode::from(2);
    }
    if opts.exit_zero || (opts.fix && !opts.diff && opts.paths.iter().any(|p| p.as_os_str() == "-"))
    {
        return ExitCode::SUCCESS;
    }
    let fail = [
        Severity::Hint,
        Severity::Info,
        Severity::Warning,
        Severity::Error,
    ]
    .iter()
    .any(|s| totals.by_severity[*s as usize] > 0 && opts.fail_on.fails(*s));
    if fail || (opts.diff && totals.fixed > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
