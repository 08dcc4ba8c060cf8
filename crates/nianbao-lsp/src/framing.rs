//! A guard in front of the JSON-RPC transport. tower-lsp-server reads frames with
//! tokio-util's `FramedRead`, which ends the stream after the first decoding error — one
//! malformed message from a client would leave the server alive but deaf. This layer reads
//! the client's frames itself, answers a body that is not JSON with a -32700 parse error
//! and one that is JSON but not a JSON-RPC message with -32600, skips a header block without
//! `Content-Length` (resynchronising on the next one, even when it arrives in pieces), and
//! passes only well-formed frames on. Responses are written out frame by frame, so the
//! frames made beside tower-lsp-server — this guard's error replies and the server's own
//! `publishDiagnostics` — never interleave with its frames.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

/// The largest message accepted (a 50 MB document in a didOpen fits).
const MAX_BODY: usize = 256 << 20;

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The `Content-Length` of a header block, if it has a valid one.
fn content_length(headers: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(headers).ok()?;
    text.split("\r\n").find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse().ok())?
    })
}

pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn parse_error() -> Vec<u8> {
    frame(br#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)
}

/// Whether `body` decodes as a message tower-lsp-server accepts (a request, notification
/// or response, as its untagged `Message`): any other body, even valid JSON, would end its
/// input stream.
fn is_message(body: &[u8]) -> bool {
    use tower_lsp_server::jsonrpc::Response;
    serde_json::from_slice::<RequestShape<'_>>(body).is_ok_and(|r| r.jsonrpc == "2.0")
        || serde_json::from_slice::<Response>(body).is_ok()
}

/// What tower-lsp-server's `jsonrpc::Request` accepts — `jsonrpc` "2.0", a string `method`
/// if any, an `id` that is a number, a string or null, any `params`; other fields ignored,
/// none twice — read without building the `params` tree (a whole document, on open).
#[derive(serde::Deserialize)]
#[allow(dead_code)] // the fields other than `jsonrpc` are read only to be validated
struct RequestShape<'a> {
    #[serde(borrow)]
    jsonrpc: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    method: std::borrow::Cow<'a, str>,
    #[serde(default)]
    params: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    id: Option<tower_lsp_server::jsonrpc::Id>,
}

/// The reply to a body that is JSON but not a JSON-RPC message: -32600, with its `id` when
/// it has a usable one.
fn invalid_request(body: &serde_json::Value) -> Vec<u8> {
    let id = match body.get("id") {
        Some(v @ (serde_json::Value::Number(_) | serde_json::Value::String(_))) => v.clone(),
        _ => serde_json::Value::Null,
    };
    let reply = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": -32600, "message": "Invalid request"},
    });
    frame(reply.to_string().as_bytes())
}

const CONTENT_LENGTH: &[u8] = b"Content-Length";

/// Reads more of `input` into `buf`; false at the end of the input.
async fn fill<I: AsyncRead + Unpin>(input: &mut I, buf: &mut Vec<u8>, chunk: &mut [u8]) -> bool {
    match input.read(chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

/// Reads client frames from `input`, forwards good ones to `to_server`, and sends error
/// replies through `replies`. Calls `on_change` when a frame is a `textDocument/didChange`,
/// before forwarding it.
pub async fn guard_input<I, W>(
    mut input: I,
    mut to_server: W,
    replies: mpsc::Sender<Vec<u8>>,
    on_change: impl Fn(),
) where
    I: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf: Vec<u8> = Vec::with_capacity(64 << 10);
    let mut chunk = vec![0u8; 64 << 10];
    let mut eof = false;
    // After a header block without a (valid) Content-Length: skipping to the next one.
    let mut resync = false;
    loop {
        if resync {
            match find(&buf, CONTENT_LENGTH) {
                Some(i) => {
                    buf.drain(..i);
                    resync = false;
                }
                None => {
                    // Keep the tail that could be the start of the next `Content-Length`
                    // (it may arrive in two reads).
                    let keep = buf.len().saturating_sub(CONTENT_LENGTH.len() - 1);
                    buf.drain(..keep);
                    if eof {
                        break;
                    }
                    eof = !fill(&mut input, &mut buf, &mut chunk).await;
                    continue;
                }
            }
        }
        // A header block.
        let Some(end) = find(&buf, b"\r\n\r\n") else {
            if eof {
                break;
            }
            eof = !fill(&mut input, &mut buf, &mut chunk).await;
            // Garbage without any header end: keep at most the tail that could start one.
            if buf.len() > 1 << 20 {
                let keep = buf.len() - 16;
                buf.drain(..keep);
            }
            continue;
        };
        let len = content_length(&buf[..end]);
        let body_start = end + 4;
        let Some(len) = len.filter(|l| *l <= MAX_BODY) else {
            // No (valid) Content-Length: skip to the next header that has one.
            buf.drain(..body_start);
            resync = true;
            continue;
        };
        while buf.len() < body_start + len && !eof {
            eof = !fill(&mut input, &mut buf, &mut chunk).await;
        }
        if buf.len() < body_start + len {
            break; // the client went away mid-message
        }
        let body: Vec<u8> = buf[body_start..body_start + len].to_vec();
        buf.drain(..body_start + len);
        if !is_message(&body) {
            let reply = match serde_json::from_slice::<serde_json::Value>(&body) {
                Err(_) => parse_error(),
                Ok(v) => invalid_request(&v),
            };
            let _ = replies.send(reply).await;
            continue;
        }
        if memchr::memmem::find(&body, br#""textDocument/didChange""#).is_some() {
            on_change();
        }
        if to_server.write_all(&frame(&body)).await.is_err() {
            break;
        }
    }
    let _ = to_server.shutdown().await;
}

/// Copies the server's frames to `output`, interleaving `replies` between whole frames.
pub async fn guard_output<R, O>(
    mut from_server: R,
    mut output: O,
    mut replies: mpsc::Receiver<Vec<u8>>,
) where
    R: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 << 10];
    let mut server_done = false;
    loop {
        // Write out every complete frame in the buffer.
        while let Some(end) = find(&buf, b"\r\n\r\n") {
            let Some(len) = content_length(&buf[..end]) else {
                buf.clear();
                break;
            };
            if buf.len() < end + 4 + len {
                break;
            }
            let whole: Vec<u8> = buf.drain(..end + 4 + len).collect();
            if output.write_all(&whole).await.is_err() {
                return;
            }
            let _ = output.flush().await;
        }
        if server_done {
            // The server has stopped: write what is queued and end (the senders may live on
            // in tasks still finishing, so the channel is not waited on to close).
            while let Ok(bytes) = replies.try_recv() {
                if output.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            let _ = output.flush().await;
            return;
        }
        tokio::select! {
            r = from_server.read(&mut chunk) => match r {
                Ok(0) | Err(_) => server_done = true,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            },
            // With every sender gone the branch is off and only the server is read.
            Some(bytes) = replies.recv() => {
                if output.write_all(&bytes).await.is_err() {
                    return;
                }
                let _ = output.flush().await;
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::is_message;

    /// What tower-lsp-server itself accepts as a message.
    fn tower_accepts(body: &str) -> bool {
        use tower_lsp_server::jsonrpc::{Request, Response};
        serde_json::from_str::<Request>(body).is_ok()
            || serde_json::from_str::<Response>(body).is_ok()
    }

    const FIELDS: &[&str] = &[
        r#""jsonrpc":"2.0""#,
        r#""jsonrpc":"1.0""#,
        r#""jsonrpc":2"#,
        r#""jsonrpc":"2\u002e0""#,
        r#""method":"initialize""#,
        r#""method":"a\"b""#,
        r#""method":3"#,
        r#""method":null"#,
        r#""id":1"#,
        r#""id":-7"#,
        r#""id":1.5"#,
        r#""id":"x""#,
        r#""id":null"#,
        r#""id":true"#,
        r#""id":{}"#,
        r#""id":18446744073709551615"#,
        r#""params":{"a":[1,{"b":null}]}"#,
        r#""params":null"#,
        r#""params":[1,2]"#,
        r#""params":"s""#,
        r#""result":null"#,
        r#""result":{"x":1}"#,
        r#""error":{"code":-32601,"message":"m"}"#,
        r#""error":{"code":"x"}"#,
        r#""extra":[1]"#,
    ];

    proptest! {
        #[test]
        fn the_guard_accepts_what_tower_accepts(
            fields in prop::collection::vec(prop::sample::select(FIELDS), 0..6)
        ) {
            let body = format!("{{{}}}", fields.join(","));
            prop_assert_eq!(is_message(body.as_bytes()), tower_accepts(&body), "{}", body);
        }
    }

    #[test]
    fn other_bodies() {
        for body in [
            "[]",
            "null",
            "1",
            r#""s""#,
            "{}",
            "{",
            r#"[{"jsonrpc":"2.0"}]"#,
        ] {
            assert_eq!(is_message(body.as_bytes()), tower_accepts(body), "{body}");
        }
    }
}
