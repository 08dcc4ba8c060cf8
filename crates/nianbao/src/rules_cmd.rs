//! `nianbao rule CODE|NAME` and `nianbao rules`.

use std::process::ExitCode;

use nianbao_core::rules::{find_rule, registry};

pub fn rule(code_or_name: &str) -> ExitCode {
    match find_rule(code_or_name) {
        Some(m) => {
            print!("{}", m.doc());
            println!("\n{}", m.doc_url());
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("错误：没有规则“{code_or_name}”；`nianbao rules` 列出所有规则");
            ExitCode::from(2)
        }
    }
}

pub fn rules(json: bool) -> ExitCode {
    if json {
        let v: Vec<_> = registry().iter().map(|r| r.meta()).collect();
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    let mut family = None;
    for r in registry() {
        let m = r.meta();
        if family != Some(m.family) {
            println!("\n{}", m.family.chinese());
            family = Some(m.family);
        }
        let fix = match m.fix {
            Some(nianbao_core::Applicability::Safe) => "可自动修复",
            Some(nianbao_core::Applicability::Unsafe) => "可修复（需核对）",
            None => "",
        };
        println!(
            "  {}  {:<28} {:<7} {}{}",
            m.code,
            m.name,
            m.default_severity.as_str(),
            m.summary,
            if fix.is_empty() {
                String::new()
            } else {
                format!("（{fix}）")
            }
        );
    }
    ExitCode::SUCCESS
}
