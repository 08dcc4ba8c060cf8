//! The nianbao language server (built on `tower-lsp-server`). Not implemented yet: this
//! crate holds the layer between `nianbao-core` and the CLI so the workspace has its final
//! shape; see ARCHITECTURE.md.
