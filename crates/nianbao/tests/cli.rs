//! End-to-end tests of the `nianbao` command: every output format (snapshots), SARIF against
//! the official schema, the JSON contract, exit codes, stdin, encodings, `--fix`/`--diff`,
//! folders and configuration, `--previous`, `new`, `extract`, `rule`/`rules`.
//!
//! Paths are given relative to the workspace root (or a temporary folder), so the output
//! is the same on every machine.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

const FORMATS: [&str; 6] = ["full", "concise", "json", "sarif", "github", "junit"];

// ---------------------------------------------------------------------------------------
// 1. Every format on sample 004 and on the clean report.
// ---------------------------------------------------------------------------------------

/// The SARIF document with the rule list cut to the rule ids (the full rule pages are
/// tested elsewhere) and the version redacted.
fn sarif_for_snapshot(stdout: &str) -> String {
    let mut v = json(stdout);
    let driver = &mut v["runs"][0]["tool"]["driver"];
    let ids: Vec<Value> = driver["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(ids.len(), 38);
    driver["rules"] = Value::Array(ids);
    driver["version"] = "[version]".into();
    serde_json::to_string_pretty(&v).unwrap()
}

fn snapshot_format(format: &str, path: &str, name: &str) {
    let r = nb(&["check", "--format", format, path]);
    assert_eq!(r.code, 0, "{format} {path}: {}", r.stderr);
    assert_eq!(r.stderr, "", "{format} {path}");
    assert!(
        r.stdout.ends_with('\n'),
        "{format} output ends with a newline"
    );
    let shown = match format {
        "json" => {
            assert_eq!(r.stdout.lines().count(), 1, "JSON is one line");
            serde_json::to_string_pretty(&json(&r.stdout)).unwrap()
        }
        "sarif" => {
            assert_eq!(r.stdout.lines().count(), 1, "SARIF is one line");
            sarif_for_snapshot(&r.stdout)
        }
        _ => r.stdout,
    };
    insta::with_settings!({
        description => format!("nianbao check --format {format} {path}"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(format!("{format}_{name}"), shown);
    });
}

#[test]
fn formats_on_sample_004() {
    for f in FORMATS {
        snapshot_format(f, S004, "sample004");
    }
}

#[test]
fn formats_on_clean_report() {
    for f in FORMATS {
        snapshot_format(f, CLEAN, "clean");
    }
}

/// Related places and fixes in the human formats: the README's example error.
#[test]
fn full_format_shows_related_cells_and_fix() {
    let dir = tempdir_with(&[("report.txt", clean_with_bad_total().as_bytes())]);
    let r = nb_in(dir.path(), &["check", "report.txt"]);
    assert_eq!(r.code, 1);
    insta::with_settings!({
        description => "nianbao check report.txt (the clean report with 四、结转下年度继续办理 total 4)",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("full_related_and_fix", r.stdout);
    });
}

// ---------------------------------------------------------------------------------------
// 2. SARIF against the official SARIF 2.1.0 schema.
// ---------------------------------------------------------------------------------------

fn sarif_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema = json(&std::fs::read_to_string(path).expect("schema"));
    assert_eq!(
        schema["id"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles, with its local references")
}

fn schema_errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Checks a SARIF log against the schema and against the JSON output of the same run.
fn check_sarif(v: &jsonschema::Validator, dir: &Path, args: &[&str]) -> Value {
    let mut sarif_args = vec!["check", "--format", "sarif"];
    sarif_args.extend_from_slice(args);
    let s = nb_in(dir, &sarif_args);
    assert!(s.code == 0 || s.code == 1, "{args:?}: {}", s.stderr);
    let doc = json(&s.stdout);
    let errors = schema_errors(v, &doc);
    assert!(errors.is_empty(), "{args:?}: invalid SARIF: {errors:#?}");

    // The same diagnostics as the JSON output, at the same places.
    let mut json_args = vec!["check", "--format", "json"];
    json_args.extend_from_slice(args);
    let j = json(&nb_in(dir, &json_args).stdout);
    let diags: Vec<&Value> = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .collect();
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), diags.len(), "{args:?}");
    for (r, d) in results.iter().zip(&diags) {
        assert_eq!(r["ruleId"], d["code"]);
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], d["code"], "ruleIndex points at the rule");
        assert_eq!(rules[idx]["name"], d["rule"]);
        let level = match d["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "note",
        };
        assert_eq!(r["level"], level);
        assert_eq!(r["message"]["text"], d["message"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], d["range"]["start"]["line"]);
        assert_eq!(region["startColumn"], d["range"]["start"]["column"]);
        assert_eq!(region["endLine"], d["range"]["end"]["line"]);
        assert_eq!(r.get("fixes").is_some(), !d["fix"].is_null());
    }
    doc
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let v = sarif_validator();
    let root = root();
    for p in SAMPLES.iter().chain([&CLEAN]) {
        check_sarif(&v, &root, &[p]);
    }
    // charOffset and charLength count characters (the JSON output's offset is in bytes).
    let doc = check_sarif(&v, &root, &[S004]);
    let nb104 = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "NB104")
        .unwrap();
    let region = &nb104["locations"][0]["physicalLocation"]["region"];
    let text = read(S004);
    let start = text.find("\n五、存在的主要問題及改進措施").unwrap() + 1 + "五、".len();
    assert_eq!(region["charOffset"], text[..start].chars().count());
    assert_eq!(region["charLength"], 12);
    assert_eq!(
        (&region["startColumn"], &region["endColumn"]),
        (&Value::from(3), &Value::from(15))
    );
    // Several files in one log.
    let doc = check_sarif(&v, &root, &SAMPLES);
    assert_eq!(
        doc["runs"][0]["results"].as_array().unwrap().len(),
        6 + 2 + 5 + 4 + 9
    );
    // Fixes (safe and unsafe) and related locations.
    let dir = tempdir_with(&[
        ("bad-total.txt", clean_with_bad_total().as_bytes()),
        ("s000.txt", read(S000).as_bytes()),
    ]);
    let doc = check_sarif(&v, dir.path(), &["bad-total.txt", "s000.txt"]);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r.get("relatedLocations").is_some()));
    assert!(results.iter().any(|r| r.get("fixes").is_some()));
}

#[test]
fn sarif_reports_unreadable_files_as_notifications() {
    let v = sarif_validator();
    let dir = tempdir_with(&[
        ("binary.txt", b"PK\x03\x04\x00\x00\x08\x00binary\x00data"),
        ("clean.txt", read(CLEAN).as_bytes()),
    ]);
    let r = nb_in(
        dir.path(),
        &["check", "--format", "sarif", "binary.txt", "clean.txt"],
    );
    assert_eq!(r.code, 2);
    let doc = json(&r.stdout);
    assert_eq!(schema_errors(&v, &doc), Vec::<String>::new());
    let inv = &doc["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let n = &inv["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "error");
    assert_eq!(
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "binary.txt"
    );
    assert!(n["message"]["text"].as_str().unwrap().contains("二进制"));
}

/// The validator does reject broken logs (so the tests above test something).
#[test]
fn sarif_schema_rejects_invalid_logs() {
    let v = sarif_validator();
    let good = json(&nb(&["check", "--format", "sarif", S004]).stdout);
    assert!(schema_errors(&v, &good).is_empty());
    let mut bad = good.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!schema_errors(&v, &bad).is_empty(), "unknown level");
    let mut bad = good.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!schema_errors(&v, &bad).is_empty(), "line 0");
    let mut bad = good;
    bad.as_object_mut().unwrap().remove("version");
    assert!(!schema_errors(&v, &bad).is_empty(), "no version");
}

/// Every rule is described, with its documentation page.
#[test]
fn sarif_rules_carry_their_documentation() {
    let doc = json(&nb(&["check", "--format", "sarif", CLEAN]).stdout);
    let driver = &doc["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "nianbao");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 38);
    let nb301 = rules.iter().find(|r| r["id"] == "NB301").unwrap();
    assert_eq!(nb301["name"], "t3-balance");
    assert_eq!(nb301["defaultConfiguration"]["level"], "error");
    assert!(
        nb301["helpUri"]
            .as_str()
            .unwrap()
            .ends_with("/docs/rules/NB301.md")
    );
    assert_eq!(nb301["help"]["text"], read("docs/rules/NB301.md"));
    assert_eq!(doc["runs"][0]["results"], Value::Array(vec![]));
}

// ---------------------------------------------------------------------------------------
// 3. The JSON contract.
// ---------------------------------------------------------------------------------------

fn check_diagnostic_shape(d: &Value) {
    assert_eq!(
        keys(d),
        [
            "code", "rule", "severity", "message", "range", "related", "data", "fix"
        ]
    );
    let code = d["code"].as_str().unwrap();
    assert!(code.len() == 5 && code.starts_with("NB"), "{code}");
    assert!(
        ["error", "warning", "info", "hint"].contains(&d["severity"].as_str().unwrap()),
        "{d}"
    );
    assert!(d["rule"].is_string() && d["message"].is_string());
    for rel in d["related"].as_array().unwrap() {
        assert_eq!(keys(rel), ["message", "range", "in_previous"]);
    }
    assert!(d["data"].is_object() || d["data"].is_null());
    if !d["fix"].is_null() {
        assert_eq!(keys(&d["fix"]), ["applicability", "title", "edits"]);
        assert!(["safe", "unsafe"].contains(&d["fix"]["applicability"].as_str().unwrap()));
        for e in d["fix"]["edits"].as_array().unwrap() {
            assert_eq!(keys(e), ["range", "new_text"]);
        }
    }
}

fn check_json_contract(doc: &Value, texts: &[&str]) {
    assert_eq!(keys(doc), ["version", "files", "summary"]);
    assert_eq!(doc["version"], 1);
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), texts.len());
    for (f, text) in files.iter().zip(texts) {
        assert_eq!(keys(f), ["path", "source", "report", "note", "diagnostics"]);
        assert_eq!(f["source"], "text");
        assert_eq!(
            keys(&f["report"]),
            ["year", "format", "title", "body", "sections"]
        );
        for s in f["report"]["sections"].as_array().unwrap() {
            assert_eq!(keys(s), ["key", "range"]);
            assert!(s["key"].as_str().unwrap().starts_with('s'));
        }
        for d in f["diagnostics"].as_array().unwrap() {
            check_diagnostic_shape(d);
        }
        // Every range (diagnostic, related, fix edit, section) agrees with the text.
        assert!(check_all_ranges(text, f) > 0);
    }
    assert_eq!(
        keys(&doc["summary"]),
        [
            "files",
            "error",
            "warning",
            "info",
            "hint",
            "fixed",
            "unreadable"
        ]
    );
}

#[test]
fn json_contract_holds_for_every_sample() {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(&SAMPLES);
    args.push(CLEAN);
    let r = nb(&args);
    assert_eq!(r.code, 1, "sample 000 has an error");
    let doc = json(&r.stdout);
    // Printed in sorted order, not the order of the arguments.
    let texts: Vec<String> = [&CLEAN]
        .into_iter()
        .chain(&SAMPLES)
        .map(|p| read(p))
        .collect();
    check_json_contract(&doc, &texts.iter().map(String::as_str).collect::<Vec<_>>());
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, [CLEAN, S000, S001, S002, S003, S004]);
    assert_eq!(
        doc["summary"],
        serde_json::json!({"files": 6, "error": 1, "warning": 20, "info": 5, "hint": 0, "fixed": 0, "unreadable": 0})
    );
    let clean = &doc["files"][0];
    assert_eq!(clean["report"]["year"], 2023);
    assert_eq!(clean["report"]["format"], "v2021");
    assert_eq!(clean["report"]["body"], "某某市某某局");
    assert_eq!(clean["report"]["sections"].as_array().unwrap().len(), 6);
    assert_eq!(clean["note"], Value::Null);
    assert_eq!(clean["diagnostics"], Value::Array(vec![]));
}

/// A known diagnostic on a CJK line: the column counts characters, the offset bytes.
#[test]
fn json_positions_count_characters_and_bytes() {
    let text = read(S004);
    let doc = json(&nb(&["check", "--format", "json", S004]).stdout);
    let d = doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "NB104")
        .expect("NB104 on sample 004");
    let line = text.lines().nth(312).unwrap();
    assert_eq!(line, "五、存在的主要問題及改進措施");
    let line_start = text.find("\n五、存在的主要問題及改進措施").unwrap() + 1;
    let start = &d["range"]["start"];
    assert_eq!(start["line"], 313);
    assert_eq!(start["column"], 3, "after the two characters 五、");
    assert_eq!(
        start["offset"].as_u64().unwrap() as usize,
        line_start + "五、".len(),
        "offset in bytes: 五、 is 6 bytes"
    );
    assert_eq!(d["range"]["end"]["column"], 15);
    assert_eq!(range_text(&text, &d["range"]), "存在的主要問題及改進措施");
    assert_eq!(d["fix"]["applicability"], "unsafe");
    let edit = &d["fix"]["edits"][0];
    assert_eq!(
        range_text(&text, &edit["range"]),
        "存在的主要問題及改進措施"
    );
    assert_eq!(edit["new_text"], "存在的主要问题及改进情况");
    assert_eq!(d["data"]["section"], "s5_problems");
}

/// An arithmetic error: related cells, the data keys of templates.json, and a safe fix
/// whose edit, applied to the source, gives back the clean report.
#[test]
fn json_arithmetic_diagnostic_and_fix_edit() {
    let text = clean_with_bad_total();
    let dir = tempdir_with(&[("r.txt", text.as_bytes())]);
    let r = nb_in(dir.path(), &["check", "--format", "json", "r.txt"]);
    assert_eq!(r.code, 1);
    let doc = json(&r.stdout);
    check_json_contract(&doc, &[&text]);
    let d = &doc["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "NB301");
    assert_eq!(d["rule"], "t3-balance");
    assert_eq!(d["severity"], "error");
    // 四、结转下年度继续办理 is 11 characters (33 bytes), then 2 + 12 characters of tabs and
    // numbers before the total.
    let line_start = text.find("四、结转下年度继续办理\t\t2").unwrap();
    assert_eq!(d["range"]["start"]["line"], 55);
    assert_eq!(d["range"]["start"]["column"], 26);
    assert_eq!(
        d["range"]["start"]["offset"].as_u64().unwrap() as usize,
        line_start + 33 + 14
    );
    assert_eq!(range_text(&text, &d["range"]), "4");
    let related: Vec<(&str, bool)> = d["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                range_text(&text, &r["range"]),
                r["in_previous"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        related,
        [("25", false), ("3", false), ("25", false), ("4", false)]
    );
    assert_eq!(d["data"]["identity"], "T3_BALANCE");
    assert_eq!(d["data"]["target"], "t3.r4_carried_out.total");
    assert_eq!(d["data"]["expected"], 3);
    assert_eq!(d["data"]["actual"], 4);
    assert_eq!(d["fix"]["applicability"], "safe");
    let edit = &d["fix"]["edits"][0];
    assert_eq!(edit["new_text"], "3");
    let (a, b) = (
        edit["range"]["start"]["offset"].as_u64().unwrap() as usize,
        edit["range"]["end"]["offset"].as_u64().unwrap() as usize,
    );
    let fixed = format!("{}3{}", &text[..a], &text[b..]);
    assert_eq!(fixed, read(CLEAN));
}

#[test]
fn json_unreadable_file_and_encoding_note() {
    let text = read(S004);
    let dir = tempdir_with(&[
        ("a-binary.txt", b"\x00\x01\x02\x03binary"),
        ("b-gbk.txt", &gbk(&text)),
    ]);
    let r = nb_in(
        dir.path(),
        &["check", "--format", "json", "a-binary.txt", "b-gbk.txt"],
    );
    assert_eq!(r.code, 2);
    let doc = json(&r.stdout);
    let bin = &doc["files"][0];
    assert_eq!(keys(bin), ["path", "error", "diagnostics"]);
    assert_eq!(bin["path"], "a-binary.txt");
    assert!(bin["error"].as_str().unwrap().contains("二进制文件"));
    assert_eq!(bin["diagnostics"], Value::Array(vec![]));
    let g = &doc["files"][1];
    assert_eq!(g["note"], "文件编码为 GB18030/GBK，已自动转换后检查");
    // Offsets are in the decoded (UTF-8) text.
    check_all_ranges(&text, g);
    assert_eq!(doc["summary"]["unreadable"], 1);
    assert_eq!(doc["summary"]["warning"], 8);
}

// ---------------------------------------------------------------------------------------
// 4. Exit codes.
// ---------------------------------------------------------------------------------------

#[test]
fn a_file_of_several_reports_is_checked_a_report_at_a_time() {
    let one = read(S004);
    let alone = json(&nb(&["check", "--format", "json", S004]).stdout);
    let n_alone = alone["files"][0]["diagnostics"].as_array().unwrap().len();
    let dir = tempdir_with(&[("all.txt", format!("{one}\n{one}\n{one}").as_bytes())]);
    let r = nb_in(dir.path(), &["check", "--format", "json", "all.txt"]);
    let doc = json(&r.stdout);
    let f = &doc["files"][0];
    assert_eq!(f["note"], "文件包含 3 份报告，已逐份检查");
    let codes: Vec<&str> = f["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 3 * n_alone);
    assert!(!codes.iter().any(|c| matches!(*c, "NB006" | "NB103")));
    // Last year's report is not compared with a file of several bodies' reports.
    let r = nb_in(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--previous",
            "all.txt",
            "all.txt",
        ],
    );
    assert!(
        r.stdout
            .contains("文件包含 3 份报告，已逐份检查（不与 --previous 比较）"),
        "{}",
        r.stdout
    );
}

#[test]
fn exit_codes_for_findings() {
    let code = |args: &[&str]| {
        let mut a = vec!["check", "--format", "concise"];
        a.extend_from_slice(args);
        nb(&a).code
    };
    assert_eq!(code(&[CLEAN]), 0, "clean");
    assert_eq!(code(&[S000]), 1, "sample 000 lacks section 六 (NB101)");
    assert_eq!(code(&[S004]), 0, "warnings only");
    assert_eq!(code(&["--fail-on", "warning", S004]), 1);
    assert_eq!(code(&["--fail-on", "error", S004]), 0);
    assert_eq!(code(&["--fail-on", "info", S001]), 1);
    assert_eq!(code(&["--fail-on", "hint", CLEAN]), 0);
    assert_eq!(code(&["--fail-on", "never", S000]), 0);
    assert_eq!(code(&["--exit-zero", S000]), 0);
    assert_eq!(code(&["--exit-zero", "--fail-on", "warning", S004]), 0);
    assert_eq!(code(&[CLEAN, S000]), 1, "any file");
    let r = nb(&["check", S000]);
    assert!(r.stdout.contains("error[NB101]"), "{}", r.stdout);
}

#[test]
fn exit_code_2_for_unreadable_files() {
    let dir = tempdir_with(&[
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"),
        // Neither UTF-8 nor GB18030.
        ("garbled.txt", b"\x81\x20\xff\xfe\xfd abc"),
        ("clean.txt", read(CLEAN).as_bytes()),
    ]);
    let r = nb_in(dir.path(), &["check", "missing.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.txt: 文件不存在"), "{}", r.stderr);

    let r = nb_in(dir.path(), &["check", "binary.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stdout
            .contains("binary.txt: 这是二进制文件，不是文本报告；已跳过"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("1 个文件无法读取"));

    let r = nb_in(dir.path(), &["check", "garbled.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("无法解码"), "{}", r.stdout);

    // A missing file wins over a clean one, and over --exit-zero.
    let r = nb_in(
        dir.path(),
        &["check", "--exit-zero", "clean.txt", "missing.txt"],
    );
    assert_eq!(r.code, 2);
    let r = nb_in(dir.path(), &["check", "--exit-zero", "binary.txt"]);
    assert_eq!(r.code, 2);
}

#[test]
fn exit_code_2_for_bad_configuration() {
    let dir = tempdir_with(&[
        ("invalid.toml", b"[rules\ndisable = \n"),
        ("unknown-rule.toml", b"[rules]\ndisable = [\"NB999\"]\n"),
        ("bad-severity.toml", b"[rules.severity]\nNB204 = \"loud\"\n"),
        ("fine.toml", b"[rules]\ndisable = [\"NB204\"]\n"),
        ("report.txt", read(CLEAN).as_bytes()),
    ]);
    let r = nb_in(
        dir.path(),
        &["check", "--config", "invalid.toml", "report.txt"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid.toml"), "{}", r.stderr);
    assert!(r.stderr.contains("格式错误"), "{}", r.stderr);
    assert_eq!(r.stdout, "");

    let r = nb_in(
        dir.path(),
        &["check", "--config", "unknown-rule.toml", "report.txt"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("未知的规则“NB999”"), "{}", r.stderr);

    let r = nb_in(
        dir.path(),
        &["check", "--config", "bad-severity.toml", "report.txt"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);

    let r = nb_in(
        dir.path(),
        &["check", "--config", "none.toml", "report.txt"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("none.toml"), "{}", r.stderr);

    let r = nb_in(
        dir.path(),
        &["check", "--config", "fine.toml", "report.txt"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);

    // A bad nianbao.toml found by discovery is an error too.
    let sub = tempdir_with(&[
        ("nianbao.toml", b"[check]\nexclude = 3\n"),
        ("report.txt", read(CLEAN).as_bytes()),
    ]);
    let r = nb_in(sub.path(), &["check", "report.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nianbao.toml"), "{}", r.stderr);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(nb(&["check", "--format", "xml", CLEAN]).code, 2);
    assert_eq!(nb(&["check", "--fix", "--diff", CLEAN]).code, 2);
    assert_eq!(nb(&["frobnicate"]).code, 2);
}

// ---------------------------------------------------------------------------------------
// 5. stdin.
// ---------------------------------------------------------------------------------------

#[test]
fn stdin_is_checked_under_its_stdin_filename() {
    let file = nb(&["check", "--format", "concise", S001]);
    let r = run(nianbao()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "x.txt",
            "--format",
            "concise",
        ])
        .write_stdin(read(S001)));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        concise_diags(&r.stdout, "x.txt"),
        concise_diags(&file.stdout, S001)
    );
    assert_eq!(concise_diags(&r.stdout, "x.txt").len(), 2);
    assert!(
        r.stdout.contains("x.txt:81:1: warning[NB107]"),
        "{}",
        r.stdout
    );

    // Without a name, `-`.
    let r = run(nianbao()
        .args(["check", "-", "--format", "concise"])
        .write_stdin(read(S001)));
    assert!(r.stdout.starts_with("-:42:3: info[NB210]"), "{}", r.stdout);

    // JSON: the stdin name is the path.
    let r = run(nianbao()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "x.txt",
            "--format",
            "json",
        ])
        .write_stdin(read(S000)));
    assert_eq!(r.code, 1);
    assert_eq!(json(&r.stdout)["files"][0]["path"], "x.txt");
}

#[test]
fn stdin_fix_prints_the_fixed_text() {
    let expected = s003_fixed(&read(S003));
    for format in ["full", "json", "sarif"] {
        let r = run(nianbao()
            .args(["check", "--fix", "-", "--format", format])
            .write_stdin(read(S003)));
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        assert_eq!(
            r.stdout, expected,
            "{format}: the fixed text, and nothing else"
        );
        assert!(r.stderr.contains("已修复 4 处"), "{format}: {}", r.stderr);
    }
    // Nothing to fix: the text as it came.
    let r = run(nianbao()
        .args(["check", "--fix", "-"])
        .write_stdin(read(CLEAN)));
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, read(CLEAN));
    // Unsafe fixes on stdin.
    let r = run(nianbao()
        .args(["check", "--fix", "--unsafe-fixes", "-"])
        .write_stdin(read(S000)));
    assert_eq!(r.stdout, s000_unsafe_fixed(&read(S000)));
}

#[test]
fn stdin_decodes_gbk() {
    let text = read(S004);
    let r = run(nianbao()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "g.txt",
            "--format",
            "concise",
        ])
        .write_stdin(gbk(&text)));
    assert!(
        r.stdout.starts_with("g.txt: 注意：文件编码为 GB18030/GBK"),
        "{}",
        r.stdout
    );
    let file = nb(&["check", "--format", "concise", S004]);
    assert_eq!(
        concise_diags(&r.stdout, "g.txt"),
        concise_diags(&file.stdout, S004)
    );
}

// ---------------------------------------------------------------------------------------
// 6. Encodings.
// ---------------------------------------------------------------------------------------

#[test]
fn other_encodings_get_the_same_diagnostics() {
    for sample in [S004, S000, S001] {
        let text = read(sample);
        let utf8 = nb(&["check", "--format", "concise", sample]);
        let want = concise_diags(&utf8.stdout, sample);
        assert!(!want.is_empty());
        let dir = tempdir_with(&[
            ("gbk.txt", &gbk(&text)),
            ("utf16le.txt", &utf16le_bom(&text)),
            ("bom-crlf.txt", &utf8_bom_crlf(&text)),
        ]);
        for (name, note) in [
            ("gbk.txt", Some("文件编码为 GB18030/GBK，已自动转换后检查")),
            ("utf16le.txt", Some("文件编码为 UTF-16LE，已自动转换后检查")),
            ("bom-crlf.txt", None),
        ] {
            let r = nb_in(dir.path(), &["check", "--format", "concise", name]);
            assert_eq!(r.code, utf8.code, "{sample} as {name}");
            assert_eq!(concise_diags(&r.stdout, name), want, "{sample} as {name}");
            let first = r.stdout.lines().next().unwrap();
            match note {
                Some(n) => assert_eq!(first, format!("{name}: 注意：{n}")),
                None => assert!(!r.stdout.contains("注意"), "{}", r.stdout),
            }
            // The note is in every format that has a place for it.
            if let Some(n) = note {
                let full = nb_in(dir.path(), &["check", name]);
                assert!(full.stdout.starts_with(&format!("{name}: 注意：{n}\n")));
                let j = json(&nb_in(dir.path(), &["check", "--format", "json", name]).stdout);
                assert_eq!(j["files"][0]["note"], n);
            }
        }
    }
}

/// A UTF-8 BOM is not a character of the first line: a diagnostic at the start of the
/// file is at 1:1, and the JSON output is that of the file without the BOM.
#[test]
fn utf8_bom_does_not_shift_the_first_line() {
    let text = read(S000);
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let dir = tempdir_with(&[("bom.txt", &bom), ("plain.txt", text.as_bytes())]);
    let r = nb_in(dir.path(), &["check", "--format", "concise", "bom.txt"]);
    assert!(
        r.stdout.starts_with("bom.txt:1:1: warning[NB108]"),
        "{}",
        r.stdout
    );
    let a = json(&nb_in(dir.path(), &["check", "--format", "json", "bom.txt"]).stdout);
    let b = json(&nb_in(dir.path(), &["check", "--format", "json", "plain.txt"]).stdout);
    assert_eq!(a["files"][0]["diagnostics"], b["files"][0]["diagnostics"]);
    assert_eq!(a["files"][0]["report"], b["files"][0]["report"]);
    let g = nb_in(dir.path(), &["check", "--format", "github", "bom.txt"]);
    assert!(
        g.stdout.contains("file=bom.txt,line=1,col=1,"),
        "{}",
        g.stdout
    );
}

// ---------------------------------------------------------------------------------------
// 7. --fix and --diff.
// ---------------------------------------------------------------------------------------

const S003_HEADINGS: [(&str, &str); 4] = [
    ("1、 总体情况", "一、总体情况"),
    ("2、 主动公开政府信息情况", "二、主动公开政府信息情况"),
    (
        "3、 收到和处理政府信息公开申请情况",
        "三、收到和处理政府信息公开申请情况",
    ),
    (
        "4、 政府信息公开行政复议、行政诉讼情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ),
];

/// Sample 003 with its four headings renumbered, nothing else changed.
fn s003_fixed(text: &str) -> String {
    let mut out = text.to_string();
    for (from, to) in S003_HEADINGS {
        let line = format!("\n{from}\n");
        assert_eq!(out.matches(&line).count(), 1, "{from}");
        out = out.replace(&line, &format!("\n{to}\n"));
    }
    out
}

/// Sample 000 with the unsafe label and title fixes: line 15 and line 272.
fn s000_unsafe_fixed(text: &str) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(lines[14], "規范性文件 |");
    lines[14] = "行政规范性文件 |";
    assert_eq!(lines[271], "四、復議和訴訟情況");
    lines[271] = "四、政府信息公开行政复议、行政诉讼情况";
    lines.join("\n")
}

/// `--fix` on `name` in `dir`: the file becomes `expected`, and a second run changes nothing.
fn fix_twice(dir: &Path, name: &str, expected: &[u8], what: &str) {
    let r = nb_in(dir, &["check", "--fix", "--format", "concise", name]);
    assert_eq!(r.code, 0, "{what}: {}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(&format!("{name}: 注意：已修复 4 处")),
        "{what}: {}",
        r.stdout
    );
    assert!(
        r.stdout.ends_with("；已修复 4 处\n"),
        "{what}: {}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("NB105"),
        "{what}: nothing left: {}",
        r.stdout
    );
    let after = std::fs::read(dir.join(name)).unwrap();
    assert!(
        after == expected,
        "{what}: the fixed bytes differ from the expected text"
    );

    let r = nb_in(dir, &["check", "--fix", "--format", "concise", name]);
    assert_eq!(r.code, 0, "{what}");
    assert!(!r.stdout.contains("已修复"), "{what}: {}", r.stdout);
    assert_eq!(
        std::fs::read(dir.join(name)).unwrap(),
        after,
        "{what}: second --fix is a no-op"
    );
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".nianbao-"))
        .collect();
    assert!(leftovers.is_empty(), "{what}: {leftovers:?}");
}

#[test]
fn fix_renumbers_headings_byte_exact() {
    let text = read(S003);
    let expected = s003_fixed(&text);
    // Only the four headings differ.
    let changed: Vec<(&str, &str)> = text
        .lines()
        .zip(expected.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed, S003_HEADINGS);
    let dir = tempdir_with(&[("report.txt", text.as_bytes())]);
    fix_twice(dir.path(), "report.txt", expected.as_bytes(), "UTF-8");
}

#[test]
fn fix_keeps_gbk() {
    let text = read(S003);
    let dir = tempdir_with(&[("gbk.txt", &gbk(&text))]);
    let expected = gbk(&s003_fixed(&text));
    fix_twice(dir.path(), "gbk.txt", &expected, "GBK");
    let bytes = std::fs::read(dir.path().join("gbk.txt")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "still GBK, not UTF-8");
    let (decoded, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
    assert!(!had_errors);
    assert_eq!(decoded, s003_fixed(&text));
}

#[test]
fn fix_keeps_utf16le_and_its_bom() {
    let text = read(S003);
    let dir = tempdir_with(&[("utf16.txt", &utf16le_bom(&text))]);
    fix_twice(
        dir.path(),
        "utf16.txt",
        &utf16le_bom(&s003_fixed(&text)),
        "UTF-16LE",
    );
    let bytes = std::fs::read(dir.path().join("utf16.txt")).unwrap();
    assert_eq!(&bytes[..2], b"\xff\xfe");
    assert_eq!(from_utf16le(&bytes[2..]), s003_fixed(&text));
}

#[test]
fn fix_keeps_utf8_bom_and_crlf() {
    let text = read(S003);
    let dir = tempdir_with(&[("crlf.txt", &utf8_bom_crlf(&text))]);
    fix_twice(
        dir.path(),
        "crlf.txt",
        &utf8_bom_crlf(&s003_fixed(&text)),
        "UTF-8 BOM + CRLF",
    );
    let bytes = std::fs::read(dir.path().join("crlf.txt")).unwrap();
    assert_eq!(&bytes[..3], b"\xef\xbb\xbf", "BOM kept");
    let s = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(!s.starts_with('\u{feff}'), "one BOM, not two");
    assert_eq!(
        s.matches('\n').count(),
        s.matches("\r\n").count(),
        "CRLF kept"
    );
    assert_eq!(s.replace("\r\n", "\n"), s003_fixed(&text));
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let text = read(S003);
    let dir = tempdir_with(&[
        ("report.txt", text.as_bytes()),
        ("clean.txt", read(CLEAN).as_bytes()),
    ]);
    let r = nb_in(dir.path(), &["check", "--diff", "report.txt"]);
    assert_eq!(r.code, 1, "fixes are pending");
    assert!(
        r.stdout
            .starts_with("--- a/report.txt\n+++ b/report.txt\n@@ ")
    );
    for (from, to) in S003_HEADINGS {
        assert!(r.stdout.contains(&format!("\n-{from}\n+{to}\n")), "{from}");
    }
    assert_eq!(
        r.stdout
            .lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"))
            .count(),
        4
    );
    assert!(
        !r.stdout.contains("共检查"),
        "the summary is not part of the diff"
    );
    assert_eq!(
        r.stderr,
        "共检查 1 个文件：4 处可修复（--diff 只显示，未写入）\n"
    );
    insta::with_settings!({
        description => "nianbao check --diff report.txt (sample 003)",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("diff_sample003", r.stdout);
    });
    assert_eq!(
        std::fs::read_to_string(dir.path().join("report.txt")).unwrap(),
        text,
        "not written"
    );

    // The diff is plain text whatever the format.
    for format in ["json", "sarif", "junit"] {
        let j = nb_in(
            dir.path(),
            &["check", "--diff", "--format", format, "report.txt"],
        );
        assert_eq!(j.stdout, r.stdout, "{format}");
    }
    // Nothing to fix: no diff, exit 0.
    let r = nb_in(dir.path(), &["check", "--diff", "clean.txt"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    // Several files: only those with fixes appear.
    let r = nb_in(dir.path(), &["check", "--diff", "clean.txt", "report.txt"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("共检查 2 个文件：4 处可修复"),
        "{}",
        r.stderr
    );
}

#[test]
fn unsafe_fixes_apply_label_and_title_fixes() {
    let text = read(S000);
    let dir = tempdir_with(&[("report.txt", text.as_bytes())]);
    // No safe fix on sample 000: --fix alone changes nothing.
    let r = nb_in(dir.path(), &["check", "--fix", "report.txt"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("report.txt")).unwrap(),
        text
    );
    // --diff --unsafe-fixes shows them without writing.
    let r = nb_in(
        dir.path(),
        &["check", "--diff", "--unsafe-fixes", "report.txt"],
    );
    assert!(
        r.stdout.contains("\n-規范性文件 |\n+行政规范性文件 |\n"),
        "{}",
        r.stdout
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("report.txt")).unwrap(),
        text
    );

    let r = nb_in(
        dir.path(),
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--format",
            "concise",
            "report.txt",
        ],
    );
    assert_eq!(r.code, 1, "NB101 (no section 六) cannot be fixed");
    assert!(
        r.stdout.contains("report.txt: 注意：已修复 2 处"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("error[NB101]"));
    assert!(
        !r.stdout.contains("NB104") && !r.stdout.contains("NB210"),
        "{}",
        r.stdout
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("report.txt")).unwrap(),
        s000_unsafe_fixed(&text)
    );
}

// ---------------------------------------------------------------------------------------
// 8. Folders, .gitignore and nianbao.toml.
// ---------------------------------------------------------------------------------------

/// Each file gets the settings of its own folder's nianbao.toml and of the overrides that
/// match its path, also when the sorted order goes back and forth between folders.
#[test]
fn each_file_gets_its_folders_config_and_overrides() {
    let s004 = read(S004);
    let dir = tempdir_with(&[
        ("reports/a.txt", s004.as_bytes()),
        ("reports/c.txt", s004.as_bytes()),
        ("reports/sub/b.txt", s004.as_bytes()),
        ("reports/sub/d.txt", s004.as_bytes()),
        ("reports/z.txt", s004.as_bytes()),
        (
            "reports/nianbao.toml",
            b"[rules]\ndisable = [\"NB104\"]\n[[overrides]]\npaths = [\"c.txt\", \"z.txt\"]\ndisable = [\"NB204\"]\n",
        ),
        (
            "reports/sub/nianbao.toml",
            b"[rules]\ndisable = [\"NB107\"]\n[[overrides]]\npaths = [\"d.txt\"]\nseverity = { NB204 = \"error\" }\n",
        ),
    ]);
    let r = nb_in(dir.path(), &["check", "reports", "--format", "concise"]);
    let codes = |file: &str| {
        let mut c: Vec<&str> = r
            .stdout
            .lines()
            .filter(|l| l.starts_with(&format!("reports/{file}:")))
            .filter_map(|l| l.split(' ').nth(1))
            .collect();
        c.sort_unstable();
        c.dedup();
        c.join(" ")
    };
    assert_eq!(
        codes("a.txt"),
        "warning[NB106] warning[NB107] warning[NB111] warning[NB204]"
    );
    assert_eq!(
        codes("c.txt"),
        "warning[NB106] warning[NB107] warning[NB111]"
    );
    assert_eq!(
        codes("sub/b.txt"),
        "info[NB104] warning[NB106] warning[NB111] warning[NB204]"
    );
    assert_eq!(
        codes("sub/d.txt"),
        "error[NB204] info[NB104] warning[NB106] warning[NB111]"
    );
    assert_eq!(codes("z.txt"), codes("c.txt"));
    assert_eq!(r.code, 1, "d.txt's NB204 is an error: {}", r.stdout);
}

#[test]
fn folder_is_walked_in_order_with_ignores_and_config() {
    let dir = tempdir_with(&[
        ("reports/b.txt", read(S004).as_bytes()),
        ("reports/a.txt", read(S001).as_bytes()),
        ("reports/sub/c.txt", read(S003).as_bytes()),
        ("reports/z.md", read(S002).as_bytes()),
        ("reports/clean.txt", read(CLEAN).as_bytes()),
        ("reports/ignored.txt", read(S000).as_bytes()),
        ("reports/skip/d.txt", read(S000).as_bytes()),
        ("reports/notes.csv", b"\x00\x01 not a report"),
        ("reports/.gitignore", b"ignored.txt\n"),
        (
            "reports/nianbao.toml",
            b"[check]\nexclude = [\"skip/**\"]\n[rules]\ndisable = [\"NB204\"]\n",
        ),
        ("empty.toml", b""),
    ]);
    let r = nb_in(dir.path(), &["check", "reports", "--format", "concise"]);
    assert_eq!(
        r.code, 0,
        "the files with errors are ignored or excluded: {}",
        r.stdout
    );
    let mut paths: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.split_once(':').map(|(p, _)| p))
        .filter(|p| p.starts_with("reports/"))
        .collect();
    paths.dedup();
    assert_eq!(
        paths,
        [
            "reports/a.txt",
            "reports/b.txt",
            "reports/sub/c.txt",
            "reports/z.md"
        ]
    );
    assert!(!r.stdout.contains("NB204"), "disabled in nianbao.toml");
    assert!(!r.stdout.contains("ignored.txt") && !r.stdout.contains("skip/"));
    assert!(
        r.stdout
            .ends_with("共检查 5 个文件：0 个错误，12 个警告，3 个提示；4 处可用 --fix 自动修复\n"),
        "{}",
        r.stdout
    );
    insta::with_settings!({
        description => "nianbao check reports --format concise (a folder with .gitignore and nianbao.toml)",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("folder_concise", r.stdout);
    });
    // The same again: stable.
    assert_eq!(
        nb_in(dir.path(), &["check", "reports", "--format", "concise"]).stdout,
        r.stdout
    );

    // --config replaces the discovered nianbao.toml: NB204 and skip/ are back; .gitignore
    // still holds.
    let r = nb_in(
        dir.path(),
        &[
            "check",
            "reports",
            "--format",
            "concise",
            "--config",
            "empty.toml",
        ],
    );
    assert_eq!(r.code, 1, "skip/d.txt is sample 000");
    assert!(r.stdout.contains("reports/b.txt:86:1: warning[NB204]"));
    assert!(r.stdout.contains("reports/skip/d.txt:314:11: error[NB101]"));
    assert!(!r.stdout.contains("ignored.txt"));

    // A file named explicitly is checked with the config of its folder.
    let r = nb_in(
        dir.path(),
        &["check", "reports/b.txt", "--format", "concise"],
    );
    assert!(!r.stdout.contains("NB204"), "{}", r.stdout);
}

// ---------------------------------------------------------------------------------------
// 9. --previous: the cross-year checks.
// ---------------------------------------------------------------------------------------

/// Last year's report (2022) for the clean 2023 report: its 四、结转下年度继续办理 row says
/// 3 natural persons and 4 in all were carried over, where 2023 received 2 and 3; its
/// 行政规范性文件 in force roll forward to 2023's 25.
fn last_year() -> String {
    let t = read(CLEAN).replace("2023", "2022");
    let row = "四、结转下年度继续办理\t\t2\t1\t0\t0\t0\t0\t3\n";
    let in_force = "行政规范性文件\t5\t1\t25\n";
    assert_eq!(
        (t.matches(row).count(), t.matches(in_force).count()),
        (1, 1)
    );
    t.replace(row, "四、结转下年度继续办理\t\t3\t1\t0\t0\t0\t0\t4\n")
        .replace(in_force, "行政规范性文件\t5\t1\t21\n")
}

#[test]
fn previous_runs_the_cross_year_checks() {
    let last = last_year();
    let dir = tempdir_with(&[
        ("2022.txt", last.as_bytes()),
        ("2023.txt", read(CLEAN).as_bytes()),
    ]);
    let r = nb_in(dir.path(), &["check", "--format", "concise", "2023.txt"]);
    assert_eq!(r.stdout, "共检查 1 个文件：0 个错误，0 个警告，0 个提示\n");

    let r = nb_in(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--previous",
            "2022.txt",
            "2023.txt",
        ],
    );
    assert_eq!(r.code, 0, "warnings");
    assert_eq!(
        r.stdout,
        "2023.txt:32:19: warning[NB402] 表三“二、上年结转政府信息公开申请数量”（自然人）为 2，但2022年度报告中“四、结转下年度继续办理”（自然人）为 3\n\
         2023.txt:32:31: warning[NB402] 表三“二、上年结转政府信息公开申请数量”（总计）为 3，但2022年度报告中“四、结转下年度继续办理”（总计）为 4\n\
         共检查 1 个文件：0 个错误，2 个警告，0 个提示\n"
    );

    // JSON: the related place is in last year's report, by byte offsets into it.
    let r = nb_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--previous",
            "2022.txt",
            "2023.txt",
        ],
    );
    let doc = json(&r.stdout);
    check_json_contract(&doc, &[&read(CLEAN)]);
    let d = &doc["files"][0]["diagnostics"];
    for (i, want, prefix) in [
        (0, "3", "四、结转下年度继续办理\t\t"),
        (1, "4", "四、结转下年度继续办理\t\t3\t1\t0\t0\t0\t0\t"),
    ] {
        let rel = &d[i]["related"][0];
        assert_eq!(rel["in_previous"], true);
        assert_eq!(keys(&rel["range"]["start"]), ["offset"]);
        let (a, b) = (
            rel["range"]["start"]["offset"].as_u64().unwrap() as usize,
            rel["range"]["end"]["offset"].as_u64().unwrap() as usize,
        );
        assert_eq!(&last[a..b], want);
        assert!(last[..a].ends_with(prefix), "{want}");
    }

    // The SARIF log leaves out places in last year's report and stays valid.
    let s = json(
        &nb_in(
            dir.path(),
            &[
                "check",
                "--format",
                "sarif",
                "--previous",
                "2022.txt",
                "2023.txt",
            ],
        )
        .stdout,
    );
    assert!(schema_errors(&sarif_validator(), &s).is_empty());
    assert_eq!(s["runs"][0]["results"].as_array().unwrap().len(), 2);

    // --fail-on warning makes the cross-year findings fail.
    let r = nb_in(
        dir.path(),
        &[
            "check",
            "--fail-on",
            "warning",
            "--previous",
            "2022.txt",
            "2023.txt",
        ],
    );
    assert_eq!(r.code, 1);

    // A missing previous report is an I/O error.
    let r = nb_in(dir.path(), &["check", "--previous", "2021.txt", "2023.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("2021.txt: 无法读取文件（文件不存在）"),
        "{}",
        r.stderr
    );
}

// ---------------------------------------------------------------------------------------
// 10. new.
// ---------------------------------------------------------------------------------------

#[test]
fn new_skeletons_pass_check() {
    let dir = tempfile::tempdir().unwrap();
    for (format, name) in [("md", "draft.md"), ("txt", "draft.txt")] {
        let r = nb_in(
            dir.path(),
            &[
                "new",
                "--year",
                "2025",
                "--body",
                "某某局",
                "--format",
                format,
                "--output",
                name,
            ],
        );
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        assert_eq!(r.stdout, "");
        assert_eq!(r.stderr, format!("已写入 {name}\n"));
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(
            text.contains("某某局2025年政府信息公开工作年度报告"),
            "{text}"
        );
        // The same text on stdout.
        let out = nb(&[
            "new",
            "--year",
            "2025",
            "--body",
            "某某局",
            "--format",
            format,
        ]);
        assert_eq!(out.stdout, text);

        let r = nb_in(
            dir.path(),
            &["check", "--format", "json", "--fail-on", "hint", name],
        );
        assert_eq!(r.code, 0, "{format}: {}", r.stdout);
        let doc = json(&r.stdout);
        let f = &doc["files"][0];
        assert_eq!(f["diagnostics"], Value::Array(vec![]), "{format}");
        assert_eq!(f["report"]["year"], 2025);
        assert_eq!(f["report"]["format"], "v2021");
        assert_eq!(f["report"]["body"], "某某局");
        assert_eq!(f["report"]["sections"].as_array().unwrap().len(), 6);
        check_json_contract(&doc, &[&text]);
    }
    assert_ne!(
        std::fs::read(dir.path().join("draft.md")).unwrap(),
        std::fs::read(dir.path().join("draft.txt")).unwrap()
    );
}

#[test]
fn new_refuses_to_overwrite() {
    let dir = tempdir_with(&[("mine.md", b"my draft")]);
    let r = nb_in(
        dir.path(),
        &["new", "--year", "2025", "--body", "某某局", "-o", "mine.md"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("mine.md 已存在，不会覆盖"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read(dir.path().join("mine.md")).unwrap(),
        b"my draft"
    );
    // Bad arguments.
    assert_eq!(nb(&["new", "--year", "2019", "--body", "某某局"]).code, 2);
    assert_eq!(nb(&["new", "--year", "2025", "--body", "  "]).code, 2);
}

// ---------------------------------------------------------------------------------------
// 11. extract.
// ---------------------------------------------------------------------------------------

const T3_COLUMNS: [&str; 7] = [
    "natural_person",
    "org_business",
    "org_research",
    "org_public_welfare",
    "org_legal_service",
    "org_other",
    "total",
];

#[test]
fn extract_json_has_the_table_values() {
    let text = read(S004);
    let r = nb(&["extract", "--format", "json", S004]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json(&r.stdout);
    assert_eq!(keys(&doc), ["version", "files"]);
    assert_eq!(doc["version"], 1);
    let f = &doc["files"][0];
    assert_eq!(keys(f), ["path", "source", "report", "tables", "issues"]);
    assert_eq!(f["path"], S004);
    assert_eq!(f["report"]["year"], 2021);
    let t3 = &f["tables"]["t3"];
    let row: Vec<(Value, &str, &str)> = T3_COLUMNS
        .iter()
        .map(|c| {
            let cell = &t3["r1_new"][c];
            assert_eq!(keys(cell), ["value", "raw", "state", "unit", "range"]);
            (
                cell["value"].clone(),
                cell["raw"].as_str().unwrap(),
                cell["state"].as_str().unwrap(),
            )
        })
        .collect();
    let want: Vec<(Value, &str, &str)> = [64, 3, 1, 0, 1, 0, 69]
        .iter()
        .zip(["64", "3", "1", "0", "1", "0", "69"])
        .map(|(v, raw)| (Value::from(*v), raw, "number"))
        .collect();
    assert_eq!(row, want);
    // The cell's range covers its raw text, on the line the sample has it.
    let c = &t3["r1_new"]["natural_person"];
    assert_eq!(range_text(&text, &c["range"]), "64");
    assert_eq!(c["range"]["start"]["line"], 66);

    let blank = &t3["r3_1_open"]["org_business"];
    assert_eq!(blank["value"], Value::Null);
    assert_eq!(blank["state"], "blank");
    assert_eq!(blank["raw"], "");
    assert_eq!(blank["range"]["start"]["line"], 86);
    assert_eq!(t3["r3_1_open"]["natural_person"]["value"], 18);

    // Every cell of every table: the raw text is what its range covers.
    let mut cells = 0;
    for (_, table) in f["tables"].as_object().unwrap() {
        for (key, row) in table.as_object().unwrap() {
            assert_ne!(key, "extra_rows", "sample 004 has only official rows");
            for (_, cell) in row.as_object().unwrap() {
                assert_eq!(
                    range_text(&text, &cell["range"]),
                    cell["raw"].as_str().unwrap()
                );
                assert_eq!(cell["value"].is_null(), cell["state"] != "number");
                cells += 1;
            }
        }
    }
    assert_eq!(cells, 186);
    assert_eq!(
        keys(&f["tables"]),
        ["t2_1", "t2_5", "t2_6", "t2_8", "t3", "t4"]
    );
}

/// A minimal CSV line splitter (quoted fields with doubled quotes).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            _ => out.last_mut().unwrap().push(c),
        }
    }
    out
}

#[test]
fn extract_csv_has_one_row_per_cell() {
    let r = nb(&["extract", "--format", "csv", S004]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("path,table,row,column,value,raw,state,line,column_char,location")
    );
    let rows: Vec<Vec<String>> = lines.map(csv_fields).collect();
    assert_eq!(rows.len(), 186, "one row per cell, as in the JSON");
    assert!(
        rows.iter()
            .all(|r| r.len() == 10 && r[0] == S004 && r[9].is_empty())
    );
    let find = |table: &str, row: &str, column: &str| {
        rows.iter()
            .find(|r| r[1] == table && r[2] == row && r[3] == column)
            .unwrap_or_else(|| panic!("{table}.{row}.{column}"))
            .clone()
    };
    for (col, v) in T3_COLUMNS.iter().zip([64, 3, 1, 0, 1, 0, 69]) {
        let r = find("t3", "r1_new", col);
        assert_eq!(
            (r[4].as_str(), r[5].as_str(), r[6].as_str()),
            (v.to_string().as_str(), v.to_string().as_str(), "number")
        );
    }
    let r = find("t3", "r1_new", "natural_person");
    assert_eq!((r[7].as_str(), r[8].as_str()), ("66", "1"));
    let r = find("t3", "r3_1_open", "org_business");
    assert_eq!(&r[4..7], ["", "", "blank"]);

    // The same cells as the JSON output.
    let j = json(&nb(&["extract", S004]).stdout);
    for r in &rows {
        let cell = &j["files"][0]["tables"][&r[1]][&r[2]][&r[3]];
        assert_eq!(cell["raw"], r[5].as_str(), "{r:?}");
        assert_eq!(cell["range"]["start"]["line"].to_string(), r[7], "{r:?}");
    }
}

#[test]
fn extract_reports_unreadable_files() {
    let r = nb(&["extract", "missing.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.txt: 文件不存在"));
    let r = nb(&["extract", "--format", "csv", CLEAN, "missing.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.lines().count() > 100,
        "the readable file is still extracted"
    );
}

// ---------------------------------------------------------------------------------------
// 12. rule and rules.
// ---------------------------------------------------------------------------------------

#[test]
fn rule_prints_its_documentation_page() {
    let page = format!(
        "{}\nhttps://github.com/nianbao-lint/nianbao/blob/main/docs/rules/NB301.md\n",
        read("docs/rules/NB301.md")
    );
    for arg in ["NB301", "t3-balance"] {
        let r = nb(&["rule", arg]);
        assert_eq!(r.code, 0, "{arg}");
        assert_eq!(r.stdout, page, "{arg}");
        assert!(r.stdout.starts_with("# NB301 t3-balance（表三收支平衡）\n"));
    }
    let r = nb(&["rule", "NB999"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("没有规则“NB999”"), "{}", r.stderr);
}

#[test]
fn rules_lists_all_38() {
    let r = nb(&["rules"]);
    assert_eq!(r.code, 0);
    let codes: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(codes.len(), 38);
    assert!(codes.iter().all(|c| c.starts_with("NB") && c.len() == 5));
    assert!(
        codes.windows(2).all(|w| w[0] < w[1]),
        "in order, no duplicates"
    );
    assert!(r.stdout.contains("  NB301  t3-balance "));

    let j = json(&nb(&["rules", "--json"]).stdout);
    let list = j.as_array().unwrap();
    assert_eq!(list.len(), 38);
    let json_codes: Vec<&str> = list.iter().map(|m| m["code"].as_str().unwrap()).collect();
    assert_eq!(json_codes, codes);
    // Every listed rule has its page.
    for c in codes {
        let r = nb(&["rule", c]);
        assert_eq!(r.code, 0, "{c}");
        assert!(r.stdout.starts_with(&format!("# {c} ")), "{c}");
    }
}

// ---------------------------------------------------------------------------------------
// 12. Web pages and Word documents.
// ---------------------------------------------------------------------------------------

const FORMATS_DIR: &str = "tests/fixtures/formats";

fn formats_fixture(name: &str) -> String {
    format!("{FORMATS_DIR}/{name}")
}

/// The diagnostics of a JSON run, as (code, message) pairs, sorted.
fn codes_and_messages(doc: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .map(|d| {
            (
                d["code"].as_str().unwrap().into(),
                d["message"].as_str().unwrap().into(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn pages_and_documents_get_the_diagnostics_of_their_text() {
    for (text, others) in [
        (
            S001,
            vec![
                "001_db8b9a3c8d2b1499.html",
                "001_db8b9a3c8d2b1499-gbk.html",
                "001_db8b9a3c8d2b1499.docx",
            ],
        ),
        (
            S004,
            vec![
                "004_cf43867c2f1e63a9.html",
                "004_cf43867c2f1e63a9-site.html",
                "004_cf43867c2f1e63a9.docx",
            ],
        ),
    ] {
        let expected = codes_and_messages(&json(&nb(&["check", "--format", "json", text]).stdout));
        assert!(!expected.is_empty());
        for other in others {
            let r = nb(&["check", "--format", "json", &formats_fixture(other)]);
            assert!(r.code == 0 || r.code == 1, "{other}: {}", r.stderr);
            let doc = json(&r.stdout);
            assert_eq!(codes_and_messages(&doc), expected, "{other}");
            let source = if other.ends_with(".docx") {
                "docx"
            } else {
                "html"
            };
            assert_eq!(doc["files"][0]["source"], source, "{other}");
        }
    }
}

#[test]
fn page_ranges_point_into_the_page_source() {
    let path = formats_fixture("004_cf43867c2f1e63a9.html");
    let page = read(&path);
    let doc = json(&nb(&["check", "--format", "json", &path]).stdout);
    let diags = doc["files"][0]["diagnostics"].as_array().unwrap();
    let mut blank_cells = 0;
    for d in diags {
        let covered = range_text(&page, &d["range"]);
        if d["code"] == "NB204" {
            // A blank cell: the place inside its <td>.
            blank_cells += 1;
            assert_eq!(covered, "");
            let at = d["range"]["start"]["offset"].as_u64().unwrap() as usize;
            assert!(
                page[..at].ends_with("<td>"),
                "{}",
                &page[at.saturating_sub(20)..at]
            );
            assert!(page[at..].starts_with("&nbsp;</td>"));
        }
        for r in d["related"].as_array().unwrap() {
            range_text(&page, &r["range"]);
        }
    }
    assert_eq!(blank_cells, 5);
    // Section headings too.
    for s in doc["files"][0]["report"]["sections"].as_array().unwrap() {
        let h = range_text(&page, &s["range"]);
        assert!(!h.contains('<'), "{h}");
    }
}

#[test]
fn word_places_in_every_format() {
    let path = formats_fixture("004_cf43867c2f1e63a9.docx");
    let concise = nb(&["check", "--format", "concise", &path]).stdout;
    assert!(
        concise.contains(&format!(
            "{path}:表三 第6行 第5列: warning[NB204] 表三“（一）予以公开”（商业企业）为空"
        )),
        "{concise}"
    );
    assert!(
        concise.contains(&format!("{path}:第15段: warning[NB106]")),
        "{concise}"
    );
    let full = nb(&["check", &path]).stdout;
    assert!(
        full.contains(&format!(
            "  --> {path}：表三 第6行 第5列\n   = 此处为空（blank-cell）"
        )),
        "{full}"
    );
    let doc = json(&nb(&["check", "--format", "json", &path]).stdout);
    let d = &doc["files"][0]["diagnostics"][0];
    assert_eq!(d["location"], "表三 第6行 第5列");
    assert!(d["fix"].is_null());
    let github = nb(&["check", "--format", "github", &path]).stdout;
    assert!(
        github.lines().any(|l| l.starts_with(&format!(
            "::warning file={path},title=NB204 blank-cell::表三 第6行 第5列："
        ))),
        "{github}"
    );
    assert!(!github.contains("line="), "no lines in a .docx");
    let junit = nb(&["check", "--format", "junit", &path]).stdout;
    assert!(
        junit.contains("NB204 blank-cell (表三 第6行 第5列)"),
        "{junit}"
    );
    // SARIF: valid, the place as a logical location.
    let v = sarif_validator();
    let sarif = json(
        &nb(&[
            "check",
            "--format",
            "sarif",
            &path,
            &formats_fixture("004_cf43867c2f1e63a9.html"),
        ])
        .stdout,
    );
    let errors = schema_errors(&v, &sarif);
    assert!(errors.is_empty(), "{errors:#?}");
    let first = &sarif["runs"][0]["results"][0]["locations"][0];
    assert_eq!(first["logicalLocations"][0]["name"], "表三 第6行 第5列");
    assert!(first["physicalLocation"].get("region").is_none());
}

#[test]
fn fix_in_a_gbk_page_keeps_its_encoding_and_changes_one_number() {
    let dir = tempfile::tempdir().unwrap();
    let page =
        std::fs::read(root().join(formats_fixture("001_db8b9a3c8d2b1499-gbk.html"))).unwrap();
    // Table 三's total of new applications (the first 总计 cell, 0) written as 1.
    let (text, _, _) = encoding_rs::GBK.decode(&page);
    let row = text.find("一、本年新收政府信息公开申请数量").unwrap();
    let row_end = row + text[row..].find("</tr>").unwrap();
    let cell = text[..row_end].rfind(">0</span>").unwrap() + 1;
    let mut broken = text.to_string();
    broken.replace_range(cell..cell + 1, "1");
    let (bytes, _, _) = encoding_rs::GBK.encode(&broken);
    let file = dir.path().join("report.html");
    std::fs::write(&file, &bytes).unwrap();
    let r = nb_in(dir.path(), &["check", "--format", "concise", "report.html"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("error[NB301]"), "{}", r.stdout);
    let r = nb_in(
        dir.path(),
        &["check", "--fix", "--format", "concise", "report.html"],
    );
    assert!(r.stdout.contains("已修复"), "{}", r.stdout);
    let fixed = std::fs::read(&file).unwrap();
    assert_eq!(
        fixed, page,
        "the page is byte for byte the published one again"
    );
}

#[test]
fn fix_refuses_word_documents() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join(formats_fixture("000_50e7ba10f32f5ee2.docx"));
    let file = dir.path().join("draft.docx");
    std::fs::copy(&src, &file).unwrap();
    let r = nb_in(
        dir.path(),
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--format",
            "concise",
            "draft.docx",
        ],
    );
    assert!(
        r.stdout
            .contains("draft.docx: 注意：Word 文档（.docx）不能自动修复"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("error[NB101]"),
        "still checked: {}",
        r.stdout
    );
    assert_eq!(std::fs::read(&file).unwrap(), std::fs::read(&src).unwrap());
    let r = nb_in(dir.path(), &["check", "--diff", "draft.docx"]);
    assert!(r.stdout.contains("不能自动修复"), "{}", r.stdout);
    assert_eq!(std::fs::read(&file).unwrap(), std::fs::read(&src).unwrap());
}

#[test]
fn damaged_documents_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(root().join(formats_fixture("001_db8b9a3c8d2b1499.docx"))).unwrap();
    std::fs::write(dir.path().join("cut.docx"), &good[..good.len() / 2]).unwrap();
    std::fs::write(
        dir.path().join("old.docx"),
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
    )
    .unwrap();
    std::fs::copy(root().join(S001), dir.path().join("fine.txt")).unwrap();
    let r = nb_in(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stdout.contains("cut.docx: 不是有效的 .docx 文件"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("old.docx: 这是旧版 Word 文档（.doc）或加密的文档"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("fine.txt:"),
        "the other files are still checked"
    );
}

#[test]
fn folders_include_pages_and_documents() {
    let r = nb(&["check", "--format", "json", FORMATS_DIR]);
    let doc = json(&r.stdout);
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths.iter().filter(|p| p.ends_with(".docx")).count(),
        5,
        "{paths:?}"
    );
    assert_eq!(
        paths.iter().filter(|p| p.ends_with(".html")).count(),
        7,
        "{paths:?}"
    );
}

#[test]
fn extract_reads_pages_and_documents_to_the_same_values() {
    let values = |path: &str| {
        let doc = json(&nb(&["extract", "--format", "json", path]).stdout);
        let mut out = Vec::new();
        for (t, rows) in doc["files"][0]["tables"].as_object().unwrap() {
            for (row, cells) in rows.as_object().unwrap() {
                if let Some(cells) = cells.as_object() {
                    for (col, c) in cells {
                        out.push(format!("{t}.{row}.{col}={}/{}", c["value"], c["state"]));
                    }
                }
            }
        }
        (out, doc)
    };
    let (text, _) = values(S004);
    let (page, page_doc) = values(&formats_fixture("004_cf43867c2f1e63a9-site.html"));
    let (word, word_doc) = values(&formats_fixture("004_cf43867c2f1e63a9.docx"));
    assert_eq!(page, text);
    assert_eq!(word, text);
    assert_eq!(page_doc["files"][0]["source"], "html");
    let c = &word_doc["files"][0]["tables"]["t3"]["r1_new"]["natural_person"];
    assert_eq!(c["location"], "表三 第4行 第4列");
    let page_text = read(&formats_fixture("004_cf43867c2f1e63a9-site.html"));
    let c = &page_doc["files"][0]["tables"]["t3"]["r1_new"]["natural_person"];
    assert_eq!(
        range_text(&page_text, &c["range"]),
        c["raw"].as_str().unwrap()
    );
    let csv = nb(&[
        "extract",
        "--format",
        "csv",
        &formats_fixture("004_cf43867c2f1e63a9.docx"),
    ])
    .stdout;
    assert!(
        csv.lines()
            .any(|l| l.contains(",t3,r1_new,natural_person,") && l.ends_with(",表三 第4行 第4列")),
        "{csv}"
    );
}
