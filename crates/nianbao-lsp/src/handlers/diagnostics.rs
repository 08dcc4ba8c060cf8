//! Diagnostics: debounced linting off the runtime, pushed with the document version
//! (`textDocument/publishDiagnostics`) or pulled (`textDocument/diagnostic`).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use tower_lsp_server::ls_types::*;

use crate::convert;
use crate::server::Backend;
use crate::state::{Analysis, State, analyse, wanted};

/// LSP diagnostics of an analysis.
pub fn lsp_diagnostics(state: &State, uri: &Uri, a: &Analysis) -> Vec<Diagnostic> {
    let enc = state.encoding();
    let place = a.place();
    let prev = a.previous_place();
    a.diags()
        .iter()
        .map(|d| convert::diagnostic(uri, &place, d, enc, prev))
        .collect()
}

/// The `textDocument/publishDiagnostics` notification of an analysis, framed, written from
/// each report's kept JSON ([`Analysis::wire`]): in a document of many reports an edit
/// converts only the report it changed.
pub fn publication(state: &State, uri: &Uri, a: &Analysis) -> Vec<u8> {
    let enc = state.encoding();
    let wires: Vec<_> = a.parts.iter().map(|p| a.wire(p, uri, enc)).collect();
    let size: usize = wires.iter().map(|w| w.json.len() + 1).sum();
    let mut body = Vec::with_capacity(size + 256);
    body.extend_from_slice(
        br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
    );
    serde_json::to_writer(&mut body, uri).expect("a URI serialises");
    body.extend_from_slice(br#","diagnostics":["#);
    let mut first = true;
    for w in wires.iter().filter(|w| !w.json.is_empty()) {
        if !first {
            body.push(b',');
        }
        first = false;
        body.extend_from_slice(&w.json);
    }
    body.extend_from_slice(format!(r#"],"version":{}}}}}"#, a.version).as_bytes());
    crate::framing::frame(&body)
}

/// The notification that clears a document's diagnostics (closed, or no longer a report).
pub fn clearing(uri: &Uri) -> Vec<u8> {
    let params = PublishDiagnosticsParams::new(uri.clone(), Vec::new(), None);
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "method": "textDocument/publishDiagnostics",
        "params": params,
    });
    crate::framing::frame(body.to_string().as_bytes())
}

/// Schedules a lint of `uri`. With `publish` false (run on save only) the analysis is
/// still made (hover, symbols need it) but not pushed.
pub fn schedule(b: &Backend, uri: Uri, publish: bool) {
    let state = b.state.clone();
    let client = b.client.clone();
    let generation = {
        let mut docs = state.docs.lock().expect("lock");
        let Some(d) = docs.get_mut(&uri) else { return };
        d.generation = state.generations.fetch_add(1, Ordering::Relaxed) + 1;
        d.generation
    };
    let delay = state.debounce();
    if delay.is_zero() {
        // No debounce: straight to the analysis thread, without a task in between.
        start(state, client, uri, generation, publish);
        return;
    }
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        start(state, client, uri, generation, publish);
    });
}

/// Starts the analysis of run `generation` of `uri` on the analysis thread
/// ([`crate::worker`]), unless a newer change superseded it. Inside the runtime.
fn start(
    state: Arc<State>,
    client: tower_lsp_server::Client,
    uri: Uri,
    generation: u64,
    publish: bool,
) {
    let snapshot = {
        let docs = state.docs.lock().expect("lock");
        let Some(d) = docs.get(&uri) else { return };
        if d.generation != generation {
            return;
        }
        (
            d.doc.text(),
            d.doc.version,
            wanted(&uri, &d.doc.language_id),
            d.analysis.borrow().clone(),
        )
    };
    let (text, version, want, before) = snapshot;
    let st = state.clone();
    let u = uri.clone();
    let rt = tokio::runtime::Handle::current();
    // Analysed off the runtime's thread: the server keeps reading and answering while a
    // report is checked. The analysing thread also keeps and publishes the result, so the
    // runtime is not woken on the way out.
    let work = move || {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            let mut a = analyse(&st, &u, text, version, want, before.as_deref());
            a.generation = generation;
            let a = Arc::new(a);
            drop(before);
            let frame =
                (publish && !st.pull.load(Ordering::Relaxed)).then(|| publication(&st, &u, &a));
            deliver(&st, &u, generation, version, publish, a, frame);
        }));
        if run.is_err() {
            rt.spawn(async move {
                client
                    .log_message(
                        MessageType::ERROR,
                        format!("nianbao: checking {} failed", uri.as_str()),
                    )
                    .await;
            });
        }
    };
    state.worker.spawn(work);
}

/// Keeps an analysis as the document's and publishes it, unless the document changed or
/// closed meanwhile. On the thread that made it.
fn deliver(
    state: &State,
    uri: &Uri,
    generation: u64,
    version: i32,
    publish: bool,
    analysis: Arc<Analysis>,
    frame: Option<Vec<u8>>,
) {
    // Publication is serialised with didClose: the document is checked to be open and
    // current under the same lock as the publication, so a clearing is never overtaken.
    let _publishing = state.publishing.blocking_lock();
    let was_published = {
        let mut docs = state.docs.lock().expect("lock");
        let Some(d) = docs.get_mut(uri) else { return };
        if d.generation != generation || d.doc.version != version {
            return; // stale: dropped
        }
        d.analysis.send_replace(Some(analysis.clone()));
        let was = d.published;
        d.published = analysis.is_report || (was && publish);
        was
    };
    if !publish || state.pull.load(Ordering::Relaxed) {
        return;
    }
    if analysis.is_report || was_published {
        // Written out directly (see `state::Out`), not through tower-lsp-server's client,
        // which would turn the message into a `serde_json::Value` tree first.
        let frame = frame.unwrap_or_else(|| publication(state, uri, &analysis));
        state.send_blocking(frame);
    }
}

/// `textDocument/diagnostic`.
pub async fn pull(b: &Backend, p: DocumentDiagnosticParams) -> DocumentDiagnosticReportResult {
    let uri = p.text_document.uri;
    let items = match crate::handlers::current(&b.state, &uri).await {
        Some(a) if a.is_report => lsp_diagnostics(&b.state, &uri, &a),
        _ => Vec::new(),
    };
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items,
            },
        },
    ))
}
