//! The `LanguageServer` implementation: each request is delegated to its handler module.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::handlers;
use crate::state::State;

pub struct Backend {
    pub client: Client,
    pub state: Arc<State>,
}

impl Backend {
    pub fn new(client: Client, debounce_ms: Option<u64>) -> Backend {
        Backend {
            client,
            state: Arc::new(State::new(debounce_ms)),
        }
    }

    /// `nianbao/fixAll {uri}`: the edits of every safe fix (used by the editor command).
    pub async fn fix_all_command(
        &self,
        params: TextDocumentIdentifier,
    ) -> Result<Option<WorkspaceEdit>> {
        Ok(handlers::code_action::fix_all_edit(&self.state, &params.uri).await)
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        Ok(handlers::initialize::initialize(&self.state, params))
    }

    async fn initialized(&self, _: InitializedParams) {
        handlers::configuration::initialized(self).await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, p: DidOpenTextDocumentParams) {
        handlers::sync::did_open(self, p).await;
    }

    async fn did_change(&self, p: DidChangeTextDocumentParams) {
        handlers::sync::did_change(self, p).await;
    }

    async fn did_save(&self, p: DidSaveTextDocumentParams) {
        handlers::sync::did_save(self, p).await;
    }

    async fn did_close(&self, p: DidCloseTextDocumentParams) {
        handlers::sync::did_close(self, p).await;
    }

    async fn diagnostic(
        &self,
        p: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        Ok(handlers::diagnostics::pull(self, p).await)
    }

    async fn code_action(&self, p: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        Ok(handlers::code_action::code_action(&self.state, p).await)
    }

    async fn hover(&self, p: HoverParams) -> Result<Option<Hover>> {
        Ok(handlers::hover::hover(&self.state, p).await)
    }

    async fn document_symbol(
        &self,
        p: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(handlers::document_symbol::document_symbol(&self.state, p).await)
    }

    async fn folding_range(&self, p: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        Ok(handlers::folding_range::folding_range(&self.state, p).await)
    }

    async fn completion(&self, p: CompletionParams) -> Result<Option<CompletionResponse>> {
        Ok(handlers::completion::completion(&self.state, p).await)
    }

    async fn did_change_configuration(&self, p: DidChangeConfigurationParams) {
        handlers::configuration::did_change_configuration(self, p).await;
    }

    async fn did_change_watched_files(&self, p: DidChangeWatchedFilesParams) {
        handlers::configuration::did_change_watched_files(self, p).await;
    }
}
