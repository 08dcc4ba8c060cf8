// Independent of the extension under test: records what VS Code itself holds as
// diagnostics, with exact ranges, so the test need not parse them from the DOM.
// One JSON line per diagnostic of file: and untitled: documents; the file is rewritten
// (atomically) on every change.
const fs = require('fs');
const vscode = require('vscode');

function activate(context) {
  const out = vscode.workspace.getConfiguration('diagDump').get('outFile');
  if (!out) return;
  const t0 = Date.now();
  const write = () => {
    const lines = [];
    for (const [uri, diags] of vscode.languages.getDiagnostics()) {
      if (uri.scheme !== 'file' && uri.scheme !== 'untitled') continue;
      for (const d of diags) {
        const code = d.code && typeof d.code === 'object' ? d.code.value : d.code;
        lines.push(JSON.stringify({
          uri: uri.toString(),
          path: uri.scheme === 'file' ? uri.fsPath : uri.toString(),
          range: {
            start: { line: d.range.start.line, character: d.range.start.character },
            end: { line: d.range.end.line, character: d.range.end.character },
          },
          severity: d.severity + 1, // vscode: Error=0..Hint=3 -> LSP numbering 1..4
          message: d.message,
          source: d.source,
          code: code === undefined ? null : code,
          ms_since_activation: Date.now() - t0,
        }));
      }
    }
    fs.writeFileSync(out + '.tmp', lines.length ? lines.join('\n') + '\n' : '');
    fs.renameSync(out + '.tmp', out);
  };
  context.subscriptions.push(vscode.languages.onDidChangeDiagnostics(write));
  write();
}

module.exports = { activate, deactivate() {} };
