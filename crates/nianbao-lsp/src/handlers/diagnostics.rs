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
    let prev = a.previous.as_ref().map(|(u, t)| (u, t.as_str()));
    a.diags
        .iter()
        .map(|d| convert::diagnostic(uri, &a.text, &a.lines, d, enc, a.version, prev))
        .collect()
}

/// Documents up to this size (bytes) are analysed on the runtime when the debounce is 0.
const INLINE_MAX: usize = 32 * 1024;

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
    tokio::spawn(async move {
        let delay = state.debounce();
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        // Superseded while waiting: a newer change has its own run.
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
            )
        };
        let (text, version, want) = snapshot;
        let st = state.clone();
        let u = uri.clone();
        // Small documents without a debounce are analysed right here: the analysis (a few
        // hundred µs for a report) costs less than the hand-off to a blocking thread and
        // back. Larger ones go to a blocking thread, off the runtime's workers.
        let inline = delay.is_zero() && text.len() <= INLINE_MAX;
        let work = move || {
            let a = Arc::new(Analysis {
                generation,
                ..analyse(&st, &u, text, version, want)
            });
            let diags = (publish && (a.is_report || !st.pull.load(Ordering::Relaxed)))
                .then(|| lsp_diagnostics(&st, &u, &a));
            (a, diags)
        };
        // A panic in the analysis is caught either way and logged below.
        let done = if inline {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|_| ())
        } else {
            tokio::task::spawn_blocking(work).await.map_err(|_| ())
        };
        let Ok((analysis, diags)) = done else {
            client
                .log_message(
                    MessageType::ERROR,
                    format!("nianbao: checking {} failed", uri.as_str()),
                )
                .await;
            return;
        };
        // Publication is serialised with didClose: the document is checked to be open and
        // current under the same lock as the publication, so a clearing is never overtaken.
        let _publishing = state.publishing.lock().await;
        let was_published = {
            let mut docs = state.docs.lock().expect("lock");
            let Some(d) = docs.get_mut(&uri) else { return };
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
            let diags = diags.unwrap_or_default();
            client.publish_diagnostics(uri, diags, Some(version)).await;
        }
    });
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
