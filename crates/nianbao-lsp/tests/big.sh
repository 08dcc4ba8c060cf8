#!/bin/sh
# The 50 MB document test of the language server (ignored in the normal run: slow in a
# debug build). Run from anywhere; extra arguments go to cargo test (e.g. --release).
set -eu
cd "$(dirname "$0")/../../.."
exec cargo test -p nianbao-lsp --test e2e "$@" -- --ignored --nocapture a_50_mb_document_gets_diagnostics
