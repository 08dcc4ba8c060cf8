//! Document synchronisation: open, incremental change, save, close.

use tower_lsp_server::ls_types::*;

use crate::document::Document;
use crate::handlers::diagnostics;
use crate::server::Backend;
use crate::state::DocState;

pub async fn did_open(b: &Backend, p: DidOpenTextDocumentParams) {
    let td = p.text_document;
    {
        let mut docs = b.state.docs.lock().expect("lock");
        docs.insert(
            td.uri.clone(),
            DocState {
                doc: Document::new(&td.text, td.version, td.language_id),
                generation: 0,
                analysis: tokio::sync::watch::channel(None).0,
                published: false,
            },
        );
    }
    diagnostics::schedule(b, td.uri, true);
}

pub async fn did_change(b: &Backend, p: DidChangeTextDocumentParams) {
    let enc = b.state.encoding();
    let uri = p.text_document.uri;
    let known = {
        let mut docs = b.state.docs.lock().expect("lock");
        match docs.get_mut(&uri) {
            Some(d) => {
                for c in &p.content_changes {
                    d.doc.apply(c, enc);
                }
                d.doc.version = p.text_document.version;
                true
            }
            None => false,
        }
    };
    if !known {
        b.client
            .log_message(
                MessageType::WARNING,
                format!(
                    "didChange for a document that is not open: {}",
                    uri.as_str()
                ),
            )
            .await;
        return;
    }
    let on_save = b.state.client_settings.read().expect("lock").on_save_only();
    diagnostics::schedule(b, uri, !on_save);
}

pub async fn did_save(b: &Backend, p: DidSaveTextDocumentParams) {
    // Configuration and last year's report may have changed on disk.
    b.state.configs.lock().expect("lock").clear();
    diagnostics::schedule(b, p.text_document.uri, true);
}

pub async fn did_close(b: &Backend, p: DidCloseTextDocumentParams) {
    // See `diagnostics::schedule`: no publication of this document can be in flight now.
    let _publishing = b.state.publishing.lock().await;
    let removed = b
        .state
        .docs
        .lock()
        .expect("lock")
        .remove(&p.text_document.uri);
    if removed.is_some_and(|d| d.published) {
        // Through the same channel as the publications, so it is never overtaken.
        b.state
            .send(super::diagnostics::clearing(&p.text_document.uri))
            .await;
    }
}
