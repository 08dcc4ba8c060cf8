//! `nianbao check`: lint reports and print diagnostics.

use std::path::PathBuf;
use std::process::ExitCode;

use nianbao_core::{LineIndex, Settings, Severity};

use crate::input::read_text;

pub fn run(paths: &[PathBuf]) -> ExitCode {
    let settings = Settings::default();
    let mut worst = None::<Severity>;
    let mut failed = false;
    for p in paths {
        let text = match read_text(p) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                failed = true;
                continue;
            }
        };
        let (_, diags) = nianbao_core::lint(&text, &settings);
        let idx = LineIndex::new(&text);
        for d in &diags {
            let lc = idx.line_col(&text, d.range.start);
            println!(
                "{}:{}:{}: {}[{}] {}",
                p.display(),
                lc.line,
                lc.column,
                d.severity.as_str(),
                d.code,
                d.message
            );
            worst = worst.max(Some(d.severity));
        }
    }
    if failed {
        ExitCode::from(2)
    } else if worst == Some(Severity::Error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
