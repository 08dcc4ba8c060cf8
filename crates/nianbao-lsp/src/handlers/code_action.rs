//! `textDocument/codeAction`: a quick fix per fixable diagnostic, `source.fixAll.nianbao`,
//! and "disable NBxxx for this line / this file" (inserting a suppression comment).

use std::collections::HashMap;

use nianbao_core::rules::fix;
use nianbao_core::{Applicability, TextRange};
use tower_lsp_server::ls_types::*;

use crate::convert;
use crate::state::{Analysis, State};

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

/// Every safe fix, applied to a fixed point, as one minimal edit (the changed middle).
fn fix_all(state: &State, a: &Analysis) -> Option<TextEdit> {
    let (text, _) = if a.html {
        // A page: read again after each round; only fixes that fall on text copied from
        // the page (numbers in cells) are made.
        fix::fix_with(&a.text, false, |t| {
            nianbao_formats::html::check(t, |ct, r| nianbao_core::check(ct, r, &a.settings)).1
        })
    } else {
        fix::fix_all(&a.text, &a.settings, None, false)
    };
    if text == a.text {
        return None;
    }
    let (old, new) = (a.text.as_bytes(), text.as_bytes());
    let mut pre = old.iter().zip(new).take_while(|(x, y)| x == y).count();
    while !a.text.is_char_boundary(pre) || !text.is_char_boundary(pre) {
        pre -= 1;
    }
    let max_suf = old.len().min(new.len()) - pre;
    let mut suf = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suf)
        .take_while(|(x, y)| x == y)
        .count();
    while !a.text.is_char_boundary(old.len() - suf) || !text.is_char_boundary(new.len() - suf) {
        suf -= 1;
    }
    let range = a.lines.range(
        &a.text,
        TextRange::new(pre, old.len() - suf),
        state.encoding(),
    );
    Some(TextEdit::new(range, text[pre..new.len() - suf].to_string()))
}

pub async fn fix_all_edit(state: &State, uri: &Uri) -> Option<WorkspaceEdit> {
    let a = super::current(state, uri).await?;
    let e = fix_all(state, &a)?;
    Some(workspace_edit(uri, vec![e]))
}

fn wants(only: &Option<Vec<CodeActionKind>>, kind: &CodeActionKind) -> bool {
    match only {
        None => true,
        Some(ks) => ks.iter().any(|k| {
            kind.as_str() == k.as_str() || kind.as_str().starts_with(&format!("{}.", k.as_str()))
        }),
    }
}

pub async fn code_action(state: &State, p: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = p.text_document.uri;
    let a = super::current(state, &uri).await?;
    if !a.is_report {
        return Some(Vec::new());
    }
    let enc = state.encoding();
    let req_start = a.lines.offset(&a.text, p.range.start, enc);
    let req_end = a.lines.offset(&a.text, p.range.end, enc);
    let only = &p.context.only;
    let mut out: Vec<CodeActionOrCommand> = Vec::new();
    let quick = CodeActionKind::QUICKFIX;
    for d in a.diags() {
        let shown = convert::visible(&a.text, d.range);
        if shown.end < req_start || shown.start > req_end {
            continue;
        }
        let lsp_diag = convert::diagnostic(&uri, &a.place(), d, enc, a.previous_place());
        if let Some(f) = &d.fix
            && wants(only, &quick)
        {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: f.title.clone(),
                kind: Some(quick.clone()),
                diagnostics: Some(vec![lsp_diag.clone()]),
                edit: Some(workspace_edit(&uri, convert::edits(&a.place(), f, enc))),
                is_preferred: Some(f.applicability == Applicability::Safe),
                ..Default::default()
            }));
        }
        // Disable comments are for drafts; a page's lines are not the report's.
        if wants(only, &quick) && !a.html {
            // Disable for this line: a comment on the line before.
            let line_start = a.text[..d.range.start]
                .rfind('\n')
                .map(|i| i + 1)
                .unwrap_or(0);
            let at = a.lines.position(&a.text, line_start, enc);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("在此行禁用 {}（{}）", d.code, d.rule),
                kind: Some(quick.clone()),
                diagnostics: Some(vec![lsp_diag.clone()]),
                edit: Some(workspace_edit(
                    &uri,
                    vec![TextEdit::new(
                        Range::new(at, at),
                        format!("<!-- nianbao-disable-next-line {} -->\n", d.code),
                    )],
                )),
                ..Default::default()
            }));
            let top = if a.text.starts_with('\u{feff}') { 3 } else { 0 };
            let at = a.lines.position(&a.text, top, enc);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("在本文件禁用 {}（{}）", d.code, d.rule),
                kind: Some(quick.clone()),
                diagnostics: Some(vec![lsp_diag]),
                edit: Some(workspace_edit(
                    &uri,
                    vec![TextEdit::new(
                        Range::new(at, at),
                        format!("<!-- nianbao-disable {} -->\n", d.code),
                    )],
                )),
                ..Default::default()
            }));
        }
    }
    let fix_all_kind = CodeActionKind::new("source.fixAll.nianbao");
    let offer = if only.is_some() {
        wants(only, &fix_all_kind)
    } else {
        !out.is_empty()
    };
    if offer && let Some(e) = fix_all(state, &a) {
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "修复所有可安全自动修复的问题（nianbao）".into(),
            kind: Some(fix_all_kind),
            edit: Some(workspace_edit(&uri, vec![e])),
            ..Default::default()
        }));
    }
    Some(out)
}
