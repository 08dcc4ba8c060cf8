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
    pub fn new(client: Client, state: Arc<State>) -> Backend {
        Backend { client, state }
    }

    /// `nianbao/documentText {uri}`: the server's copy of an open document, `{version, text}`
    /// (null when it is not open): for checking that incremental changes were applied as the
    /// client applied them.
    pub async fn document_text(&self, params: TextDocumentIdentifier) -> Result<serde_json::Value> {
        let docs = self.state.docs.lock().expect("lock");
        Ok(docs.get(&params.uri).map_or(
            serde_json::Value::Null,
            |d| serde_json::json!({"version": d.doc.version, "text": d.doc.text()}),
        ))
    }

    /// `nianbao/reportInfo {uri}`: what the status bar shows for a document.
    pub async fn report_info(&self, params: TextDocumentIdentifier) -> Result<serde_json::Value> {
        let Some(a) = handlers::current(&self.state, &params.uri).await else {
            return Ok(serde_json::json!({"isReport": false}));
        };
        let count =
            |s: nianbao_core::Severity| a.diags().iter().filter(|d| d.severity == s).count();
        // A document of several reports: its first report's year and format.
        let (_, report, _) = a.report_at(0);
        Ok(serde_json::json!({
            "isReport": a.is_report,
            "year": report.year.as_ref().map(|y| y.value),
            "format": report.format.version.as_str(),
            "errors": count(nianbao_core::Severity::Error),
            "warnings": count(nianbao_core::Severity::Warning),
            "infos": count(nianbao_core::Severity::Info) + count(nianbao_core::Severity::Hint),
            "version": a.version,
        }))
    }

    /// `nianbao/skeleton {year, body, markdown}`: the text of a complete report skeleton.
    pub async fn skeleton(&self, params: serde_json::Value) -> Result<String> {
        let year = params["year"].as_u64().unwrap_or(2025).clamp(2021, 2100) as u16;
        let body = params["body"].as_str().unwrap_or("某某单位").trim();
        let markup = if params["markdown"].as_bool().unwrap_or(false) {
            nianbao_core::template::Markup::Markdown
        } else {
            nianbao_core::template::Markup::Text
        };
        Ok(nianbao_core::template::skeleton(
            year,
            if body.is_empty() {
                "某某单位"
            } else {
                body
            },
            markup,
        ))
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
