//! `nianbao server` over real standard input and output: a pipe (how most editors start a
//! language server), a Unix socket (Node's child processes), and a file. The in-process
//! suites of `nianbao-lsp` use in-memory streams; these run the binary.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn frame(v: &Value) -> Vec<u8> {
    let body = v.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// The messages of a session that opens sample 000 (which lacks section 六, NB101).
fn opening() -> Vec<Value> {
    let uri = format!("file://{}", common::root().join(common::S000).display());
    vec![
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"processId": null, "rootUri": null, "capabilities": {}}}),
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "plaintext", "version": 1,
            "text": common::read(common::S000)}}}),
    ]
}

fn closing() -> Vec<Value> {
    vec![
        json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}),
        json!({"jsonrpc": "2.0", "method": "exit", "params": null}),
    ]
}

/// Reads one frame; None at the end of the output.
fn read_frame(r: &mut BufReader<ChildStdout>) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len.expect("a Content-Length header")];
    r.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("a JSON body"))
}

/// Reads frames until `pred` holds for one; panics after 30 s or at the end of the output.
fn wait_for(r: &mut BufReader<ChildStdout>, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(30) {
        match read_frame(r) {
            Some(m) if pred(&m) => return m,
            Some(_) => {}
            None => break,
        }
    }
    panic!("no {what} from the server");
}

fn codes(publication: &Value) -> Vec<String> {
    publication["params"]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn server(stdin: Stdio) -> Child {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["server", "--debounce-ms", "0"])
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("nianbao server starts")
}

/// Opens sample 000 through `input`, expects its diagnostics, shuts the server down and
/// expects a clean exit.
fn session(mut child: Child, mut input: impl Write) {
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let [init, rest @ ..] = &opening()[..] else {
        unreachable!()
    };
    // Nothing but `initialize` until its result (the protocol's rule).
    input.write_all(&frame(init)).unwrap();
    input.flush().unwrap();
    wait_for(&mut out, "initialize result", |m| m["id"] == 1);
    for m in rest {
        input.write_all(&frame(m)).unwrap();
    }
    input.flush().unwrap();
    let p = wait_for(&mut out, "diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && !m["params"]["diagnostics"].as_array().unwrap().is_empty()
    });
    assert!(codes(&p).contains(&"NB101".to_string()), "{:?}", codes(&p));
    for m in closing() {
        input.write_all(&frame(&m)).unwrap();
    }
    input.flush().unwrap();
    wait_for(&mut out, "shutdown result", |m| m["id"] == 2);
    let status = child.wait().expect("the server exits");
    assert!(status.success(), "{status}");
}

#[test]
fn over_a_pipe() {
    let mut child = server(Stdio::piped());
    let input = child.stdin.take().expect("stdin");
    session(child, input);
}

#[cfg(unix)]
#[test]
fn over_a_unix_socket() {
    // Node (and so VS Code) gives a child process a socket pair, not a pipe.
    let (ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
    let child = server(Stdio::from(std::os::fd::OwnedFd::from(theirs)));
    session(child, ours);
}

#[test]
fn from_a_file() {
    // Standard input a regular file: the whole session at once, read to the end (so the
    // notifications after `initialize` may come too early and be dropped; the requests are
    // answered).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.jsonrpc");
    let bytes: Vec<u8> = opening()
        .iter()
        .chain(closing().iter())
        .flat_map(frame)
        .collect();
    std::fs::write(&path, bytes).unwrap();
    let mut child = server(Stdio::from(std::fs::File::open(&path).unwrap()));
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    wait_for(&mut out, "initialize result", |m| m["id"] == 1);
    wait_for(&mut out, "shutdown result", |m| m["id"] == 2);
    assert!(child.wait().unwrap().success());
}

#[test]
fn the_pipe_is_left_blocking() {
    // The server reads a pipe without blocking; on exit it puts the pipe back as it was,
    // for whoever shares it (here this test, which keeps a second handle on it).
    let (reader, mut writer) = std::io::pipe().unwrap();
    let mut ours = reader.try_clone().unwrap();
    let child = server(Stdio::from(reader));
    session(child, &mut writer);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut b = [0u8; 1];
        let _ = tx.send(ours.read(&mut b).map_err(|e| e.kind()));
    });
    // A non-blocking pipe would answer at once (WouldBlock); a blocking one waits for data.
    assert!(
        rx.recv_timeout(Duration::from_millis(300)).is_err(),
        "the read returned at once: the pipe was left non-blocking"
    );
    writer.write_all(b"x").unwrap();
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), Ok(1));
}
