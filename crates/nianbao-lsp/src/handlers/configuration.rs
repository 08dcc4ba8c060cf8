//! Configuration: `workspace/didChangeConfiguration`, nianbao.toml watched for changes.

use std::sync::atomic::Ordering;

use tower_lsp_server::ls_types::*;

use crate::handlers::diagnostics;
use crate::server::Backend;
use crate::settings::ClientSettings;

/// After `initialized`: watch nianbao.toml files (when the client can register watchers).
pub async fn initialized(b: &Backend) {
    let opts = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![FileSystemWatcher {
            glob_pattern: GlobPattern::String("**/nianbao.toml".into()),
            kind: None,
        }],
    };
    let reg = Registration {
        id: "nianbao-config-watch".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: serde_json::to_value(opts).ok(),
    };
    // A client without dynamic registration answers with an error: fine, no watching.
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        b.client.register_capability(vec![reg]),
    )
    .await;
}

fn relint_all(b: &Backend) {
    b.state.configs.lock().expect("lock").clear();
    b.state.disk.lock().expect("lock").clear();
    b.state.listings.lock().expect("lock").clear();
    let uris: Vec<Uri> = b.state.docs.lock().expect("lock").keys().cloned().collect();
    for u in uris {
        diagnostics::schedule(b, u, true);
    }
}

pub async fn did_change_configuration(b: &Backend, p: DidChangeConfigurationParams) {
    // `null` or `{}` (Eglot sends it on connecting) carries no settings: keep ours.
    let empty = p.settings.is_null() || p.settings.as_object().is_some_and(|o| o.is_empty());
    if !empty {
        b.state
            .set_client_settings(ClientSettings::from_value(&p.settings));
    }
    relint_all(b);
    if b.state.pull.load(Ordering::Relaxed) {
        let _ = b.client.workspace_diagnostic_refresh().await;
    }
}

pub async fn did_change_watched_files(b: &Backend, _p: DidChangeWatchedFilesParams) {
    relint_all(b);
    if b.state.pull.load(Ordering::Relaxed) {
        let _ = b.client.workspace_diagnostic_refresh().await;
    }
}
