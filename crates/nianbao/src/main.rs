//! `nianbao`: the command-line interface. Rendering and exit codes live here; all
//! reading and checking is done by `nianbao-core`.

mod check;
mod discover;
mod extract;
mod input;
mod new;
mod ordered;
mod render;
mod rules_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// mimalloc: the checks and the language server allocate many small, short-lived strings
/// and vectors; with glibc's malloc they spent about a fifth of a run in the allocator
/// (BENCHMARKS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "nianbao",
    version,
    about = "检查政府信息公开工作年度报告 / Checks government information-disclosure annual reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExtractFormat {
    Json,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum NewFormat {
    Md,
    Txt,
}

#[derive(Subcommand)]
enum Command {
    /// Check reports (files, folders, or - for stdin) and print diagnostics.
    Check(check::Options),
    /// Print every table cell (value, raw text, state, range), keyed as in templates.json.
    Extract {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "json")]
        format: ExtractFormat,
    },
    /// Print a rule's documentation (by code, e.g. NB301, or name, e.g. t3-balance).
    Rule { rule: String },
    /// List every rule.
    Rules {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Start the language server on stdin/stdout (for editors).
    Server {
        /// Accepted and ignored: the server always talks over stdio (VS Code adds it).
        #[arg(long)]
        stdio: bool,
        /// Wait this long after a change before checking (milliseconds; 0 = at once).
        #[arg(long, value_name = "N")]
        debounce_ms: Option<u64>,
    },
    /// Write a complete skeleton of the current official format, which passes `check`.
    New {
        /// The reporting year.
        #[arg(long)]
        year: u16,
        /// The issuing body (机关名称), e.g. 某某市某某局.
        #[arg(long)]
        body: String,
        #[arg(long, value_enum, default_value = "md")]
        format: NewFormat,
        /// Write to this file (refuses to overwrite); default: stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(opts) => check::run(opts),
        Command::Extract { paths, format } => extract::run(&paths, format),
        Command::Rule { rule } => rules_cmd::rule(&rule),
        Command::Server {
            stdio: _,
            debounce_ms,
        } => match nianbao_lsp::run_stdio(nianbao_lsp::Options { debounce_ms }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("错误：无法启动语言服务器（{e}）");
                ExitCode::from(2)
            }
        },
        Command::Rules { json } => rules_cmd::rules(json),
        Command::New {
            year,
            body,
            format,
            output,
        } => new::run(
            year,
            &body,
            match format {
                NewFormat::Md => nianbao_core::template::Markup::Markdown,
                NewFormat::Txt => nianbao_core::template::Markup::Text,
            },
            output.as_deref(),
        ),
    }
}
