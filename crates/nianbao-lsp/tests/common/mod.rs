//! An in-process test client for the nianbao language server: the server runs on
//! `tokio::io::duplex` pipes, the client writes framed JSON-RPC messages and reads the
//! server's frames on a background task. Every wait is bounded (the tests never hang).
//!
//! Server→client requests (`client/registerCapability`, `workspace/configuration`,
//! `workspace/diagnostic/refresh`, …) are answered with a `null` result and recorded.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nianbao_lsp::Options;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, WriteHalf};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// The default bound of every wait.
pub const TIMEOUT: Duration = Duration::from_secs(10);

type Pending = Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>;

/// The repository's `tests/fixtures` folder.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// A fixture file's text, by path under `tests/fixtures`.
pub fn fixture(rel: &str) -> String {
    let p = fixtures_dir().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Sample `n` (`tests/fixtures/samples/00n_*.txt`).
pub fn sample(n: u32) -> String {
    let dir = fixtures_dir().join("samples");
    let prefix = format!("{n:03}_");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("samples folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix) && n.ends_with(".txt"))
        .collect();
    names.sort();
    let name = names
        .first()
        .unwrap_or_else(|| panic!("no sample {prefix}*"));
    fixture(&format!("samples/{name}"))
}

/// The URI a sample is opened under in the tests (the folder does not exist on disk, so no
/// nianbao.toml and no last year's report apply).
pub fn sample_uri(n: u32) -> String {
    format!("file:///fixtures/samples/{n:03}.txt")
}

/// Capabilities of a client that offers UTF-8 and UTF-16 positions.
pub fn utf8_caps() -> Value {
    json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } })
}

/// Capabilities of a client that pulls diagnostics.
pub fn pull_caps() -> Value {
    json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } })
}

pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Reads one framed message; `None` at the end of the stream or on a malformed frame.
async fn read_frame<R: tokio::io::AsyncBufRead + Unpin>(r: &mut R) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if len.is_some() {
                break;
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.trim().eq_ignore_ascii_case("content-length")
        {
            len = Some(v.trim().parse::<usize>().ok()?);
        }
    }
    let mut body = vec![0u8; len?];
    r.read_exact(&mut body).await.ok()?;
    Some(serde_json::from_slice(&body).expect("the server wrote a frame that is not JSON"))
}

pub struct TestClient {
    writer: Arc<tokio::sync::Mutex<WriteHalf<DuplexStream>>>,
    pending: Pending,
    /// Notifications, and responses nobody waits for (e.g. `id: null` errors).
    incoming: mpsc::UnboundedReceiver<Value>,
    backlog: VecDeque<Value>,
    /// Every request the server sent to the client.
    pub server_requests: Arc<Mutex<Vec<Value>>>,
    next_id: i64,
    server: Option<JoinHandle<()>>,
    reader: JoinHandle<()>,
    /// The bound of each wait.
    pub timeout: Duration,
}

impl Drop for TestClient {
    fn drop(&mut self) {
        self.reader.abort();
        if let Some(s) = &self.server {
            s.abort();
        }
    }
}

impl TestClient {
    /// Starts a server with no debounce.
    pub fn new() -> TestClient {
        TestClient::with_options(Options {
            debounce_ms: Some(0),
        })
    }

    pub fn with_options(opts: Options) -> TestClient {
        let (client_side, server_side) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_side);
        let server = tokio::spawn(nianbao_lsp::serve(server_read, server_write, opts));
        let (client_read, client_write) = tokio::io::split(client_side);
        let writer = Arc::new(tokio::sync::Mutex::new(client_write));
        let pending: Pending = Arc::default();
        let server_requests: Arc<Mutex<Vec<Value>>> = Arc::default();
        let (tx, incoming) = mpsc::unbounded_channel();
        let reader = tokio::spawn({
            let writer = writer.clone();
            let pending = pending.clone();
            let server_requests = server_requests.clone();
            async move {
                let mut r = BufReader::with_capacity(1 << 16, client_read);
                while let Some(msg) = read_frame(&mut r).await {
                    let has_method = msg.get("method").is_some();
                    let id = msg.get("id").filter(|i| !i.is_null()).cloned();
                    match (has_method, id) {
                        (true, Some(id)) => {
                            server_requests.lock().unwrap().push(msg.clone());
                            let reply = json!({"jsonrpc": "2.0", "id": id, "result": null});
                            let bytes = frame(reply.to_string().as_bytes());
                            let mut w = writer.lock().await;
                            let _ = w.write_all(&bytes).await;
                            let _ = w.flush().await;
                        }
                        (false, Some(Value::Number(n))) => {
                            let waiter =
                                n.as_i64().and_then(|n| pending.lock().unwrap().remove(&n));
                            match waiter {
                                Some(w) => {
                                    let _ = w.send(msg);
                                }
                                None => {
                                    let _ = tx.send(msg);
                                }
                            }
                        }
                        _ => {
                            let _ = tx.send(msg);
                        }
                    }
                }
            }
        });
        TestClient {
            writer,
            pending,
            incoming,
            backlog: VecDeque::new(),
            server_requests,
            next_id: 0,
            server: Some(server),
            reader,
            timeout: TIMEOUT,
        }
    }

    /// Writes raw bytes to the server (bounded by the timeout).
    pub async fn send_raw(&self, bytes: &[u8]) {
        let write = async {
            let mut w = self.writer.lock().await;
            w.write_all(bytes).await.expect("write to the server");
            w.flush().await.expect("flush");
        };
        tokio::time::timeout(self.timeout.max(Duration::from_secs(30)), write)
            .await
            .expect("timed out writing to the server");
    }

    /// Writes `parts` one after the other with a pause between them, holding the pipe so
    /// that no reply of this client to a server request gets in between.
    pub async fn send_raw_in_parts(&self, parts: &[&[u8]], pause: Duration) {
        let write = async {
            let mut w = self.writer.lock().await;
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    tokio::time::sleep(pause).await;
                }
                w.write_all(p).await.expect("write to the server");
                w.flush().await.expect("flush");
            }
        };
        tokio::time::timeout(self.timeout, write)
            .await
            .expect("timed out writing to the server");
    }

    pub async fn send(&self, msg: &Value) {
        self.send_raw(&frame(msg.to_string().as_bytes())).await;
    }

    pub async fn notify(&self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Sends a request and returns the whole response message.
    pub async fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, tx);
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        match tokio::time::timeout(self.timeout, rx).await {
            Ok(Ok(v)) => v,
            Ok(Err(_)) => panic!("the server closed the connection before answering {method}"),
            Err(_) => panic!("no answer to {method} within {:?}", self.timeout),
        }
    }

    /// Sends a request and returns its result (panics on an error response).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let resp = self.request_raw(method, params).await;
        if let Some(e) = resp.get("error") {
            panic!("{method} failed: {e}");
        }
        resp.get("result").cloned().unwrap_or(Value::Null)
    }

    /// `initialize` with these client capabilities, then `initialized`.
    pub async fn initialize(&mut self, capabilities: Value) -> Value {
        self.initialize_with(json!({
            "processId": null,
            "rootUri": null,
            "capabilities": capabilities,
        }))
        .await
    }

    /// `initialize` with these parameters, then `initialized`.
    pub async fn initialize_with(&mut self, params: Value) -> Value {
        let r = self.request("initialize", params).await;
        self.notify("initialized", json!({})).await;
        r
    }

    pub async fn open(&self, uri: &str, text: &str, language: &str) {
        self.open_version(uri, text, language, 1).await;
    }

    pub async fn open_version(&self, uri: &str, text: &str, language: &str, version: i32) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {
                "uri": uri, "languageId": language, "version": version, "text": text,
            }}),
        )
        .await;
    }

    /// `didChange` with these content changes (`{"range": …, "text": …}` or `{"text": …}`).
    pub async fn change(&self, uri: &str, version: i32, changes: Vec<Value>) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": changes,
            }),
        )
        .await;
    }

    pub async fn close(&self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    }

    /// The first message (notification, or response nobody waited for) that `pred` accepts;
    /// the others are kept for later waits.
    pub async fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i).expect("index");
        }
        let deadline = tokio::time::Instant::now() + self.timeout;
        loop {
            match tokio::time::timeout_at(deadline, self.incoming.recv()).await {
                Ok(Some(m)) if pred(&m) => return m,
                Ok(Some(m)) => self.backlog.push_back(m),
                Ok(None) => panic!("the server closed the connection while waiting for {what}"),
                Err(_) => panic!("no {what} within {:?}", self.timeout),
            }
        }
    }

    /// Messages received so far (within `grace`) that `pred` accepts, removed from the backlog.
    pub async fn collect(&mut self, grace: Duration, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + grace;
        while let Ok(Some(m)) = tokio::time::timeout_at(deadline, self.incoming.recv()).await {
            self.backlog.push_back(m);
        }
        let (hit, keep): (Vec<Value>, Vec<Value>) = self.backlog.drain(..).partition(pred);
        self.backlog = keep.into();
        hit
    }

    /// Removes and returns the messages already received and set aside by earlier waits that
    /// `pred` accepts (all of them arrived before the message the last wait returned).
    pub fn take_backlog(&mut self, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        let (hit, keep): (Vec<Value>, Vec<Value>) = self.backlog.drain(..).partition(|m| pred(m));
        self.backlog = keep.into();
        hit
    }

    /// The params of the first `publishDiagnostics` for `uri` with a version of at least
    /// `min_version`.
    pub async fn wait_diagnostics(&mut self, uri: &str, min_version: i32) -> Value {
        let m = self
            .wait_for(&format!("diagnostics for {uri} v{min_version}+"), |m| {
                is_diagnostics_for(m, uri)
                    && m["params"]["version"]
                        .as_i64()
                        .is_some_and(|v| v >= i64::from(min_version))
            })
            .await;
        m["params"].clone()
    }

    /// Asks for shutdown, sends `exit` and waits for the server task to end.
    pub async fn shutdown(mut self) {
        let r = self.request_raw("shutdown", Value::Null).await;
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null).await;
        let server = self.server.take().expect("server task");
        tokio::time::timeout(self.timeout, server)
            .await
            .expect("the server did not stop after exit")
            .expect("the server task panicked");
    }
}

pub fn is_diagnostics_for(m: &Value, uri: &str) -> bool {
    m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
}

/// The byte offset of `(line, character)` in `text`, in UTF-16 or UTF-8 units (test side,
/// independent of the server's code).
pub fn offset_of(text: &str, line: u32, character: u32, utf16: bool) -> usize {
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').expect("line exists") + 1;
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character {
            return start + i;
        }
        units += if utf16 { c.len_utf16() } else { c.len_utf8() } as u32;
    }
    text.len()
}

/// The LSP position of byte `offset` in `text` (lines end at `\n`; test side).
pub fn position_of(text: &str, offset: usize, utf16: bool) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let character: usize = before[start..]
        .chars()
        .map(|c| if utf16 { c.len_utf16() } else { c.len_utf8() })
        .sum();
    json!({"line": line, "character": character})
}

/// Applies LSP text edits (ranges in UTF-16 or UTF-8 units, `\n` lines) to `text`.
pub fn apply_edits(text: &str, edits: &[Value], utf16: bool) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            let at = |p: &Value| {
                offset_of(
                    text,
                    p["line"].as_u64().unwrap() as u32,
                    p["character"].as_u64().unwrap() as u32,
                    utf16,
                )
            };
            (
                at(&r["start"]),
                at(&r["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, &t);
    }
    out
}

/// Whether the server treats a text as a report (it has a title or two sections; see
/// `state::analyse`), so that it gets diagnostics.
pub fn is_report(report: &nianbao_core::Report) -> bool {
    report.title.is_some() || report.sections.len() >= 2
}

/// The LSP diagnostics a fresh `nianbao_core::lint` of `text` gives (default settings), as
/// the server would publish them in encoding `enc`.
pub fn expected_diagnostics(uri: &str, text: &str, enc: nianbao_lsp::encoding::Encoding) -> Value {
    let (report, diags) = nianbao_core::lint(text, &nianbao_core::Settings::default());
    if !is_report(&report) {
        return json!([]);
    }
    let lines = nianbao_lsp::encoding::LineMap::new(text);
    let uri: tower_lsp_server::ls_types::Uri = uri.parse().expect("uri");
    let out: Vec<_> = diags
        .iter()
        .map(|d| {
            let place = nianbao_lsp::convert::Place::whole(text, &lines);
            nianbao_lsp::convert::diagnostic(&uri, &place, d, enc, None)
        })
        .collect();
    serde_json::to_value(out).expect("json")
}

/// The codes of a `publishDiagnostics` params' diagnostics (or of a list of diagnostics).
pub fn codes(v: &Value) -> Vec<String> {
    let list = v.get("diagnostics").unwrap_or(v);
    list.as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------
// Random incremental edits (incremental.rs, soak.rs)

/// A position in the LSP line model (lines end at `\n`, `\r\n` or a lone `\r`), computed
/// here independently of the server's `LineMap`.
pub fn lsp_position(text: &str, offset: usize, utf16: bool) -> Value {
    let b = text.as_bytes();
    let (mut line, mut line_start) = (0u32, 0usize);
    for i in 0..offset {
        if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let character: usize = text[line_start..offset]
        .chars()
        .map(|c| if utf16 { c.len_utf16() } else { c.len_utf8() })
        .sum();
    json!({"line": line, "character": character})
}

/// One edit, resolved against the text it applies to.
#[derive(Debug, Clone)]
pub struct EditSpec {
    /// Where it starts: a char index, modulo the text's length + 1.
    pub at: usize,
    /// How many chars it replaces.
    pub len: usize,
    pub insert: String,
    /// Send the range end first (the server swaps it).
    pub reversed: bool,
}

/// What random edits insert: report vocabulary, astral characters, every line break, cell
/// separators, digits, a BOM.
pub const PIECES: &[&str] = &[
    "一",
    "表",
    "三、",
    "、",
    "总计",
    "（七）",
    "申请",
    "件",
    "𠀀",
    "😀",
    "🀄",
    "\r\n",
    "\n",
    "\r",
    "\t",
    "|",
    " |",
    "||",
    "0",
    "7",
    "12",
    "305",
    " ",
    "a",
    "。",
    "\u{feff}",
    "六、其他需要报告的事项",
];

/// Moves an offset that falls between `\r` and `\n` back onto the `\r` (the middle of a
/// line break is not an LSP position).
pub fn not_inside_crlf(text: &str, off: usize) -> usize {
    let b = text.as_bytes();
    if off > 0 && b[off - 1] == b'\r' && b.get(off) == Some(&b'\n') {
        off - 1
    } else {
        off
    }
}

/// Resolves `spec` against `text`: the byte range it replaces.
pub fn resolve(text: &str, spec: &EditSpec) -> (usize, usize) {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let k = spec.at % bounds.len();
    let start = not_inside_crlf(text, bounds[k]);
    let end = not_inside_crlf(text, bounds[(k + spec.len).min(bounds.len() - 1)]);
    (start, end.max(start))
}

/// Applies `spec` to the client's `text` and returns the `didChange` content change that
/// makes the same edit on the server (positions in UTF-16 or UTF-8 units).
pub fn edit_change(text: &mut String, spec: &EditSpec, utf16: bool) -> Value {
    let (a, b) = resolve(text, spec);
    let (start, end) = (lsp_position(text, a, utf16), lsp_position(text, b, utf16));
    let range = if spec.reversed {
        json!({"start": end, "end": start})
    } else {
        json!({"start": start, "end": end})
    };
    text.replace_range(a..b, &spec.insert);
    json!({"range": range, "text": spec.insert})
}
