//! `nianbao`: the command-line interface. Rendering and exit codes live here; all
//! reading and checking is done by `nianbao-core`.

mod check;
mod extract;
mod input;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

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
enum ExtractFormat {
    Json,
    Csv,
}

#[derive(Subcommand)]
enum Command {
    /// Check reports and print diagnostics.
    Check {
        #[arg(required = true)]
        paths: Vec<std::path::PathBuf>,
    },
    /// Print every table cell (value, raw text, state, range), keyed as in templates.json.
    Extract {
        /// Report files (.txt, .md).
        #[arg(required = true)]
        paths: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value = "json")]
        format: ExtractFormat,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { paths } => check::run(&paths),
        Command::Extract { paths, format } => extract::run(&paths, format),
    }
}
