//! `initialize`: negotiate the position encoding and announce capabilities.

use std::sync::atomic::Ordering;

use tower_lsp_server::ls_types::*;

use crate::encoding::Encoding;
use crate::settings::ClientSettings;
use crate::state::State;

pub fn initialize(state: &State, params: InitializeParams) -> InitializeResult {
    let caps = &params.capabilities;
    let enc = Encoding::negotiate(
        caps.general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    *state.encoding.write().expect("lock") = enc;
    let pull = caps
        .text_document
        .as_ref()
        .is_some_and(|t| t.diagnostic.is_some());
    if let Some(opts) = &params.initialization_options {
        state.set_client_settings(ClientSettings::from_value(opts));
    }
    let push_forced = state.client_settings.read().expect("lock").push_diagnostics;
    state.pull.store(pull && !push_forced, Ordering::Relaxed);
    #[allow(deprecated)]
    let root = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone())
        .or(params.root_uri.clone())
        .and_then(|u| u.to_file_path().map(|p| p.into_owned()));
    *state.workspace_root.write().expect("lock") = root;
    InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(enc.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            diagnostic_provider: state.pull.load(Ordering::Relaxed).then(|| {
                DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some("nianbao".into()),
                    inter_file_dependencies: true,
                    workspace_diagnostics: false,
                    ..Default::default()
                })
            }),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::SOURCE_FIX_ALL,
                    CodeActionKind::new("source.fixAll.nianbao"),
                ]),
                ..Default::default()
            })),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec!["、".into()]),
                ..Default::default()
            }),
            ..Default::default()
        },
        server_info: Some(ServerInfo {
            name: "nianbao".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        offset_encoding: None,
    }
}
