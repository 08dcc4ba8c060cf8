// The nianbao VS Code extension: runs `nianbao server` (stdio LSP) for plain-text and
// Markdown documents; the server decides which of them are annual reports and only
// those get diagnostics. Adds commands (fix all, insert skeleton, show log, restart) and
// a status bar item for recognised reports.
//
// The logic that needs no editor lives in pure modules tested under plain node:
// settings.ts (settings → server payload), discovery.ts (which binary), status.ts.

import * as os from 'os';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  ErrorHandler,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
  WorkspaceEdit as LspWorkspaceEdit,
} from 'vscode-languageclient/node';

import { Candidate, describe, discover, Discovery } from './discovery';
import { didChangeConfigurationParams, initializationOptions, RESTART_SETTINGS, SettingGetter } from './settings';
import { checkSkeletonYear, defaultSkeletonYear, ReportInfo, statusView } from './status';

const LANGUAGES = ['plaintext', 'markdown', 'html'];
const SELECTOR = ['file', 'untitled'].flatMap((scheme) => LANGUAGES.map((language) => ({ scheme, language })));
/** Restarts allowed within CRASH_WINDOW_MS before giving up. */
const MAX_RESTARTS = 4;
const CRASH_WINDOW_MS = 3 * 60_000;

let ctx: vscode.ExtensionContext;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;
let client: LanguageClient | undefined;
/** Serialises start/stop/restart. */
let lifecycle: Promise<void> = Promise.resolve();
let statusSeq = 0;
let statusTimer: NodeJS.Timeout | undefined;

function log(msg: string): void {
  output.appendLine(`[${new Date().toISOString().replace('T', ' ').slice(0, 23)}] ${msg}`);
}

function settings(): SettingGetter {
  const c = vscode.workspace.getConfiguration('nianbao');
  return (key) => c.get(key);
}

function isOurs(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(SELECTOR, doc) > 0;
}

// ---- notifications -----------------------------------------------------------

async function notifyError(message: string, extra: string[] = []): Promise<void> {
  const showLog = vscode.l10n.t('Show log');
  const openSettings = vscode.l10n.t('Open settings');
  const restart = vscode.l10n.t('Restart server');
  const buttons = [showLog, ...extra.map((e) => (e === 'settings' ? openSettings : restart))];
  log(`ERROR: ${message}`);
  const pick = await vscode.window.showErrorMessage(message, ...buttons);
  if (pick === showLog) output.show(true);
  else if (pick === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'nianbao.server');
  else if (pick === restart) void vscode.commands.executeCommand('nianbao.restartServer');
}

function statusText(c: Candidate): string {
  switch (c.status) {
    case 'missing': return vscode.l10n.t('does not exist');
    case 'not-a-file': return vscode.l10n.t('is not a file');
    case 'not-executable': return vscode.l10n.t('is not executable');
    default: return '';
  }
}

function reportDiscovery(d: Discovery): void {
  const p = d.settingProblem;
  if (p && d.found) {
    void notifyError(vscode.l10n.t(
      'nianbao.server.path: {0} {1}. Using {2} instead.', p.path, statusText(p), d.found.path), ['settings']);
  } else if (p) {
    void notifyError(vscode.l10n.t(
      'Cannot start the nianbao language server: nianbao.server.path {0} {1}, and no bundled or PATH nianbao was found.',
      p.path, statusText(p)), ['settings']);
  } else if (!d.found) {
    void notifyError(vscode.l10n.t(
      'Cannot start the nianbao language server: no nianbao binary found (not bundled, not on PATH). Install nianbao or set nianbao.server.path.'),
    ['settings']);
  }
}

// ---- the language client -------------------------------------------------------

function errorHandler(): ErrorHandler {
  const closes: number[] = [];
  return {
    error: (_err, _msg, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
    closed: () => {
      const now = Date.now();
      closes.push(now);
      while (closes.length && closes[0] < now - CRASH_WINDOW_MS) closes.shift();
      if (closes.length <= MAX_RESTARTS) {
        log(`the server stopped unexpectedly; restarting (${closes.length}/${MAX_RESTARTS})`);
        return { action: CloseAction.Restart, handled: true };
      }
      void notifyError(vscode.l10n.t(
        'The nianbao language server stopped {0} times in 3 minutes and will not be restarted.', closes.length), ['restart']);
      status.hide();
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}

async function startClient(): Promise<void> {
  const get = settings();
  const d = discover({
    setting: String(get('server.path') ?? ''),
    extensionPath: ctx.extensionPath,
    pathEnv: process.env.PATH,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    home: os.homedir(),
    fixPermissions: true,
  });
  log(`looking for the nianbao binary (setting → bundled → PATH):\n${describe(d).join('\n')}`);
  reportDiscovery(d);
  if (!d.found) return;
  log(`starting ${d.found.path} server (${d.found.source})`);

  // TransportKind.stdio makes the client append --stdio, which `nianbao server` accepts.
  const exec = { command: d.found.path, args: ['server'], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run: exec, debug: exec };
  const onSave = get('run') === 'onSave';
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR,
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: () => initializationOptions(settings()),
    errorHandler: errorHandler(),
    // The server answers pulls from its latest analysis, so "run on save" must not pull
    // on every change.
    diagnosticPullOptions: { onChange: !onSave, onSave: true },
    markdown: { isTrusted: false, supportHtml: false },
  };
  const c = new LanguageClient('nianbao', 'nianbao', serverOptions, clientOptions);
  c.onDidChangeState((e) => {
    if (e.newState === State.Running) scheduleStatus(0);
    else status.hide();
  });
  try {
    await c.start();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    void notifyError(vscode.l10n.t('Cannot start the nianbao language server ({0}): {1}', d.found.path, msg));
    await c.dispose().catch(() => undefined);
    return;
  }
  client = c;
  const info = c.initializeResult?.serverInfo;
  log(`server running: ${info?.name ?? 'nianbao'} ${info?.version ?? ''}`);
  scheduleStatus(0);
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  status.hide();
  if (c) await c.stop().catch((e) => log(`stopping the server: ${e}`));
}

function serialised(f: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(f, f);
  return lifecycle;
}

function running(): LanguageClient | undefined {
  if (client?.state === State.Running) return client;
  void vscode.window.showWarningMessage(vscode.l10n.t('The nianbao language server is not running.'), vscode.l10n.t('Show log'))
    .then((p) => { if (p) output.show(true); });
  return undefined;
}

// ---- status bar --------------------------------------------------------------------

function scheduleStatus(delayMs: number): void {
  if (statusTimer) clearTimeout(statusTimer);
  statusTimer = setTimeout(() => void refreshStatus(), delayMs);
}

async function refreshStatus(): Promise<void> {
  const seq = ++statusSeq;
  const ed = vscode.window.activeTextEditor;
  const c = client;
  if (!ed || !c || c.state !== State.Running || !isOurs(ed.document)) {
    status.hide();
    return;
  }
  let info: ReportInfo | undefined;
  try {
    info = await c.sendRequest<ReportInfo>('nianbao/reportInfo', { uri: c.code2ProtocolConverter.asUri(ed.document.uri) });
  } catch (e) {
    log(`nianbao/reportInfo: ${e}`);
  }
  if (seq !== statusSeq) return; // a newer refresh is under way
  const view = statusView(info);
  if (!view) {
    status.hide();
    return;
  }
  status.text = view.text;
  status.tooltip = view.tooltip;
  status.show();
}

// ---- commands ------------------------------------------------------------------------

async function fixAll(): Promise<void> {
  const ed = vscode.window.activeTextEditor;
  if (!ed) return;
  const c = running();
  if (!c) return;
  const doc = ed.document;
  const version = doc.version;
  const res = await c.sendRequest<LspWorkspaceEdit | null>('nianbao/fixAll', { uri: c.code2ProtocolConverter.asUri(doc.uri) });
  if (!res) {
    void vscode.window.showInformationMessage(vscode.l10n.t('nianbao: nothing to fix automatically.'));
    return;
  }
  if (doc.version !== version) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The document changed meanwhile; run the command again.'));
    return;
  }
  const edit = await c.protocol2CodeConverter.asWorkspaceEdit(res);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(vscode.l10n.t('nianbao: the fixes could not be applied.'));
  }
}

async function insertSkeleton(): Promise<void> {
  const c = running();
  if (!c) return;
  const year = await vscode.window.showInputBox({
    title: vscode.l10n.t('Insert report skeleton (1/2)'),
    prompt: vscode.l10n.t('Year of the report'),
    value: String(defaultSkeletonYear()),
    validateInput: checkSkeletonYear,
    ignoreFocusOut: true,
  });
  if (year === undefined) return;
  const body = await vscode.window.showInputBox({
    title: vscode.l10n.t('Insert report skeleton (2/2)'),
    prompt: vscode.l10n.t('Name of the publishing body, e.g. 某某市某某局'),
    placeHolder: '某某市某某局',
    ignoreFocusOut: true,
  });
  if (body === undefined) return;
  let ed = vscode.window.activeTextEditor;
  const markdown = ed ? ed.document.languageId === 'markdown' : false;
  const text = await c.sendRequest<string>('nianbao/skeleton', { year: Number(year.trim()), body: body.trim(), markdown });
  if (!ed || !isOurs(ed.document)) {
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: text });
    ed = await vscode.window.showTextDocument(doc);
    return;
  }
  const target = ed;
  await target.edit((b) => b.replace(target.selection, text));
}

async function restart(): Promise<void> {
  log('restarting the server');
  await serialised(async () => {
    await stopClient();
    await startClient();
  });
}

// ---- activation ----------------------------------------------------------------------

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  ctx = context;
  output = vscode.window.createOutputChannel('nianbao');
  status = vscode.window.createStatusBarItem('nianbao.status', vscode.StatusBarAlignment.Left, 10);
  status.name = 'nianbao';
  status.command = 'workbench.actions.view.problems';
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('nianbao.fixAll', fixAll),
    vscode.commands.registerCommand('nianbao.insertSkeleton', insertSkeleton),
    vscode.commands.registerCommand('nianbao.showLog', () => output.show(true)),
    vscode.commands.registerCommand('nianbao.restartServer', restart),
    vscode.window.onDidChangeActiveTextEditor(() => scheduleStatus(0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) scheduleStatus(400);
    }),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && e.uris.some((u) => u.toString() === active)) scheduleStatus(50);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('nianbao')) return;
      if ([...RESTART_SETTINGS, 'nianbao.run'].some((s) => e.affectsConfiguration(s))) {
        void restart();
        return;
      }
      const c = client;
      if (c?.state === State.Running) {
        void c.sendNotification(DidChangeConfigurationNotification.type, didChangeConfigurationParams(settings()));
        scheduleStatus(500);
      }
    }),
  );
  await serialised(startClient);
}

export async function deactivate(): Promise<void> {
  if (statusTimer) clearTimeout(statusTimer);
  await serialised(stopClient);
}
