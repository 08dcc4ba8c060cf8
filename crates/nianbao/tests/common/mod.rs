//! Helpers for the `nianbao` CLI tests: running the binary, the fixtures, re-encoding
//! reports, and checking the ranges of the JSON output against the source text.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// Sample 000: lacks section 六 (an error, NB101).
pub const S000: &str = "tests/fixtures/samples/000_50e7ba10f32f5ee2.txt";
/// Sample 001: one warning (NB107), one info (NB210).
pub const S001: &str = "tests/fixtures/samples/001_db8b9a3c8d2b1499.txt";
/// Sample 002: hacked text (NB502); has characters GBK cannot encode (¥).
pub const S002: &str = "tests/fixtures/samples/002_596eb627cbefc53e.txt";
/// Sample 003: four headings numbered 1、…4、 (safe NB105 fixes).
pub const S003: &str = "tests/fixtures/samples/003_dfabd5f7c7b088c2.txt";
/// Sample 004: warnings and an info only (blank cells, 2019 table 三, empty section 六).
pub const S004: &str = "tests/fixtures/samples/004_cf43867c2f1e63a9.txt";
/// A report with no diagnostics.
pub const CLEAN: &str = "tests/fixtures/rules/clean-2023.txt";

pub const SAMPLES: [&str; 5] = [S000, S001, S002, S003, S004];

/// The workspace root (paths in the tests are relative to it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// A fixture's text.
pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `nianbao` run from `dir`, without colour.
pub fn nianbao_in(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("nianbao").expect("nianbao binary");
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE");
    c
}

/// `nianbao` run from the workspace root.
pub fn nianbao() -> Command {
    nianbao_in(&root())
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub stdout_bytes: Vec<u8>,
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("run nianbao");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        stdout_bytes: out.stdout,
    }
}

/// `nianbao ARGS` from the workspace root.
pub fn nb(args: &[&str]) -> Run {
    run(nianbao().args(args))
}

/// `nianbao ARGS` from `dir`.
pub fn nb_in(dir: &Path, args: &[&str]) -> Run {
    run(nianbao_in(dir).args(args))
}

pub fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}):\n{s}"))
}

/// GBK bytes of `text` (every character must be encodable).
pub fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "text has characters GBK cannot encode");
    bytes.into_owned()
}

/// UTF-16LE bytes of `text`, with a BOM.
pub fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// Decodes BOM-less UTF-16LE bytes.
pub fn from_utf16le(bytes: &[u8]) -> String {
    assert!(bytes.len().is_multiple_of(2), "odd UTF-16 length");
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).expect("valid UTF-16")
}

/// UTF-8 bytes of `text` with a BOM and CRLF line endings.
pub fn utf8_bom_crlf(text: &str) -> Vec<u8> {
    assert!(!text.contains('\r'));
    let mut out = b"\xef\xbb\xbf".to_vec();
    out.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    out
}

/// The 1-based line and character column of byte `offset` in `text`, computed directly.
pub fn line_col(text: &str, offset: usize) -> (u64, u64) {
    assert!(
        text.is_char_boundary(offset),
        "offset {offset} is not on a character boundary"
    );
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = text[line_start..offset].chars().count() as u64 + 1;
    (line, column)
}

/// Checks one `{"start": {"line","column","offset"}, "end": {…}}` against `text` and returns
/// the text it covers.
pub fn range_text<'t>(text: &'t str, range: &Value) -> &'t str {
    let mut offs = [0usize; 2];
    for (i, end) in ["start", "end"].iter().enumerate() {
        let p = &range[end];
        let obj = p.as_object().unwrap_or_else(|| panic!("{end} in {range}"));
        assert_eq!(
            obj.keys().collect::<Vec<_>>(),
            ["line", "column", "offset"],
            "position keys in {range}"
        );
        let off = p["offset"].as_u64().expect("offset") as usize;
        assert!(off <= text.len(), "offset {off} past the end in {range}");
        let (line, column) = line_col(text, off);
        assert_eq!(
            (p["line"].as_u64(), p["column"].as_u64()),
            (Some(line), Some(column)),
            "line/column of offset {off} in {range}"
        );
        offs[i] = off;
    }
    assert!(offs[0] <= offs[1], "start after end in {range}");
    &text[offs[0]..offs[1]]
}

/// Checks every range in `v` (any object with `start` and `end` positions that have a line)
/// against `text`; returns how many were checked.
pub fn check_all_ranges(text: &str, v: &Value) -> usize {
    match v {
        Value::Object(m) => {
            if m.get("start").is_some_and(|s| s.get("line").is_some()) && m.contains_key("end") {
                range_text(text, v);
                return 1;
            }
            m.values().map(|x| check_all_ranges(text, x)).sum()
        }
        Value::Array(a) => a.iter().map(|x| check_all_ranges(text, x)).sum(),
        _ => 0,
    }
}

/// The keys of a JSON object, in order.
pub fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// `(line:col, severity[code] message)` of each concise line, without the path: compares the
/// diagnostics of two runs on differently named or encoded copies.
pub fn concise_diags(out: &str, path: &str) -> Vec<String> {
    out.lines()
        .filter_map(|l| l.strip_prefix(path)?.strip_prefix(':'))
        .filter(|l| !l.starts_with(" 注意："))
        .map(String::from)
        .collect()
}

/// The clean report with table 三's 四、结转下年度继续办理 total changed from 3 to 4 (NB301
/// and NB303, with a safe fix).
pub fn clean_with_bad_total() -> String {
    let t = read(CLEAN);
    let row = "四、结转下年度继续办理\t\t2\t1\t0\t0\t0\t0\t3\n";
    assert_eq!(t.matches(row).count(), 1);
    t.replace(row, "四、结转下年度继续办理\t\t2\t1\t0\t0\t0\t0\t4\n")
}

/// Writes `files` (relative path, bytes) into a new temporary folder.
pub fn tempdir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in files {
        let p = dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, bytes).expect("write");
    }
    dir
}
