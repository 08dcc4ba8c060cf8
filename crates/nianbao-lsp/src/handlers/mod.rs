//! One module per LSP request or notification family.

pub mod code_action;
pub mod completion;
pub mod configuration;
pub mod diagnostics;
pub mod document_symbol;
pub mod folding_range;
pub mod hover;
pub mod initialize;
pub mod sync;

use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;

use crate::state::{Analysis, State};

/// The latest analysis of `uri` for its current version and lint run (a settings change
/// re-lints the same version), waiting (briefly) for a lint in progress. `None` when the
/// document is not open.
pub async fn current(state: &State, uri: &Uri) -> Option<Arc<Analysis>> {
    let (mut rx, version, generation) = {
        let docs = state.docs.lock().expect("lock");
        let d = docs.get(uri)?;
        (d.analysis.subscribe(), d.doc.version, d.generation)
    };
    let wait = async {
        loop {
            if let Some(a) = rx.borrow_and_update().clone()
                && a.version == version
                && a.generation >= generation
            {
                return Some(a);
            }
            if rx.changed().await.is_err() {
                return None;
            }
        }
    };
    match tokio::time::timeout(std::time::Duration::from_secs(10), wait).await {
        Ok(a) => a,
        Err(_) => rx.borrow().clone(),
    }
}
