//! `nianbao new`: a skeleton report of the current official format.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use nianbao_core::template::{Markup, skeleton};

pub fn run(year: u16, body: &str, markup: Markup, output: Option<&Path>) -> ExitCode {
    if !(2021..=2100).contains(&year) {
        eprintln!("错误：--year {year} 不在当前格式（2021年起）适用的年度内");
        return ExitCode::from(2);
    }
    let body = body.trim();
    if body.is_empty() {
        eprintln!("错误：--body 不能为空（机关名称，如“某某市某某局”）");
        return ExitCode::from(2);
    }
    let text = skeleton(year, body, markup);
    match output {
        None => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Some(p) => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(p);
            match file.and_then(|mut f| f.write_all(text.as_bytes())) {
                Ok(()) => {
                    eprintln!("已写入 {}", p.display());
                    ExitCode::SUCCESS
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    eprintln!("错误：{} 已存在，不会覆盖", p.display());
                    ExitCode::from(2)
                }
                Err(e) => {
                    eprintln!("错误：无法写入 {}（{e}）", p.display());
                    ExitCode::from(2)
                }
            }
        }
    }
}
