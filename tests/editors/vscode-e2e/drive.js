#!/usr/bin/env node
// Drives a running code-server (with the nianbao extension and diag-dump installed) in
// headless chromium via playwright-core, and checks what a user would see:
//   1. the sample report: every expected diagnostic, at its exact range and severity
//      (diag-dump = vscode.languages.getDiagnostics()), squiggles in the editor, the
//      status bar item ("年报 2021 · …"), a click on it opens the Problems panel, whose
//      rows show the diagnostics at the right Ln/Col → screenshot.png;
//   2. a note that is no report: no diagnostics, status bar item hidden;
//   3. "nianbao: Fix all problems" on a report with a fixable heading: NB105 goes away;
//   4. "nianbao: Insert report skeleton" with no editor open: a new untitled report
//      (year and body from the input boxes), recognised by the status bar → screenshot-skeleton.png;
//   5. nianbao.server.path set to a missing file: an error notification naming it, with a
//      "Show log" button that opens the log; the bundled server still runs → screenshot-error.png.
// Prints one "ok - …" / "not ok - …" line per check on stdout; progress on stderr.
//
// Env (set by run.sh): E2E_URL, E2E_FOLDER, E2E_DOC, E2E_OUT (screenshot folder),
// E2E_EXPECTED (expected.json), E2E_DUMP (diag-dump
// output), E2E_CHROME_PROFILE, CHROMIUM_BIN, E2E_TIMEOUT_MS.
// Exit: 0 all ok; 1 a check failed; 3 the workbench or the editor never came up.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const env = process.env;
const FOLDER = env.E2E_FOLDER;
const DOC = env.E2E_DOC;
const OUT = env.E2E_OUT || '.';
const DUMP = env.E2E_DUMP;
const EXPECTED = JSON.parse(fs.readFileSync(env.E2E_EXPECTED, 'utf8'));
const TIMEOUT = Number(env.E2E_TIMEOUT_MS || 150000);
const t0 = Date.now();
const deadline = t0 + TIMEOUT;
const log = (...a) => console.error(`[drive +${Date.now() - t0}ms]`, ...a);
let failures = 0;
function check(ok, name, detail) {
  if (!ok) failures++;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail && !ok ? ` (${detail})` : ''}`);
  return ok;
}
class Fatal extends Error {}

function readDump(p) {
  if (!fs.existsSync(DUMP)) return [];
  return fs.readFileSync(DUMP, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .filter((d) => p === undefined || d.path === p);
}

/** Polls `f` until it returns a truthy value or `ms` pass; returns the last value. */
async function until(page, f, ms) {
  const end = Math.min(deadline, Date.now() + ms);
  let v;
  for (;;) {
    v = await f();
    if (v || Date.now() >= end) return v;
    await page.waitForTimeout(100);
  }
}

async function statusText(page) {
  return page.$$eval('.part.statusbar .statusbar-item', (items) => {
    const it = items.find((e) => (e.textContent || '').trim().startsWith('年报'));
    return it ? it.textContent.trim() : null;
  });
}

async function problemRows(page) {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) => rows
    .filter((r) => r.querySelector('.marker-icon'))
    .map((r) => {
      const q = (s) => { const e = r.querySelector(s); return e ? e.textContent.trim() : null; };
      const icon = r.querySelector('.marker-icon');
      const sev = ['error', 'warning', 'info', 'hint'].find((c) => icon.classList.contains(c)
        || [...icon.classList].some((k) => k === `codicon-${c}`)) || null;
      const m = /Ln (\d+), Col (\d+)/.exec(q('.marker-line') || '');
      return { severity: sev, message: q('.marker-message'), code: q('.marker-code'),
        line: m ? Number(m[1]) : null, col: m ? Number(m[2]) : null };
    }));
}

async function quickOpen(page, rel) {
  const base = path.basename(rel);
  for (let i = 0; i < 8 && Date.now() < deadline; i++) {
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 300 }, timeout: 5000 }).catch(() => {});
    await page.keyboard.press('Control+P');
    try {
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 3000 });
    } catch { log('quick open not shown yet, retrying'); continue; }
    await page.keyboard.type(rel);
    const row = `.quick-input-list .monaco-list-row[aria-label*="${base}"]`;
    try {
      await page.waitForSelector(row, { timeout: 5000 });
    } catch { log('file not listed in quick open yet, retrying'); await page.keyboard.press('Escape'); continue; }
    // Click the row that names the file: Enter takes the highlighted row, which under load
    // can still be a recently opened file while the list is being filtered.
    await page.locator(row).first().click({ timeout: 5000 }).catch(() => page.keyboard.press('Enter'));
    try {
      await page.waitForSelector(`.tabs-container .tab.active[aria-label*="${base}"]`, { timeout: 10000 });
      await page.waitForSelector('.editor-instance .monaco-editor .view-lines', { timeout: 5000 });
      return;
    } catch { log('editor tab not active yet, retrying'); }
  }
  throw new Fatal(`could not open ${rel}`);
}

/** Runs a command from the command palette by its title. */
async function runCommand(page, title) {
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    try {
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 3000 });
    } catch { continue; }
    await page.keyboard.type(title);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 5000 });
    } catch { log(`command "${title}" not listed yet, retrying`); continue; }
    await page.keyboard.press('Enter');
    return;
  }
  throw new Fatal(`could not run command ${title}`);
}

async function screenshot(page, name) {
  const p = path.join(OUT, name);
  await page.screenshot({ path: p }).then(() => log('screenshot', p)).catch((e) => log('screenshot failed', e.message));
}

const sameRange = (d, e) => d.range.start.line === e.start[0] && d.range.start.character === e.start[1]
  && d.range.end.line === e.end[0] && d.range.end.character === e.end[1];

// ---- 1. the sample report ------------------------------------------------------------
async function sampleReport(page) {
  const rel = path.relative(FOLDER, DOC);
  await quickOpen(page, rel);
  log('editor open:', rel);
  const want = EXPECTED.diagnostics;
  const dump = await until(page, () => {
    const d = readDump(DOC);
    return want.every((e) => d.some((x) => x.code === e.code)) && d;
  }, 30000) || readDump(DOC);
  log('diagnostics:', dump.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`).join(' '));
  for (const e of want) {
    const d = dump.find((x) => x.code === e.code);
    const sev = ['', 'error', 'warning', 'info', 'hint'][e.severity];
    check(d && d.severity === e.severity && sameRange(d, e) && d.message.includes(e.message) && d.source === 'nianbao',
      `sample: ${e.code} ${sev} at ${e.start[0] + 1}:${e.start[1] + 1}–${e.end[0] + 1}:${e.end[1] + 1} “${e.message}”`,
      d ? JSON.stringify({ severity: d.severity, range: d.range, message: d.message, source: d.source }) : 'missing');
  }
  check(dump.length === want.length, `sample: exactly ${want.length} diagnostics`, `got ${dump.length}`);

  const squiggles = await until(page, () => page.locator('.editor-instance .monaco-editor [class*="squiggly-"]').count(), 10000);
  check(squiggles > 0, 'sample: squiggles drawn in the editor', `${squiggles}`);

  const st = await until(page, async () => {
    const t = await statusText(page);
    return t === EXPECTED.status ? t : null;
  }, 15000) || await statusText(page);
  check(st === EXPECTED.status, `sample: status bar shows “${EXPECTED.status}”`, `got ${JSON.stringify(st)}`);

  // clicking the status bar item opens the Problems panel
  if (st) {
    await page.locator('.part.statusbar .statusbar-item', { hasText: '年报' }).first().click({ timeout: 5000 }).catch((e) => log(e.message));
  }
  const shown = await until(page, () => page.locator('.markers-panel').isVisible(), 5000);
  check(shown, 'sample: clicking the status bar item opens the Problems panel');
  if (!shown) await page.keyboard.press('Control+Shift+M');
  let rows = await until(page, async () => {
    const r = await problemRows(page).catch(() => []);
    return r.length >= want.length && r;
  }, 10000) || await problemRows(page).catch(() => []);
  log('problems panel rows:', JSON.stringify(rows));
  for (const e of want) {
    const sev = ['', 'error', 'warning', 'info', 'hint'][e.severity];
    const r = rows.find((x) => x.message && x.message.includes(e.message) && x.line === e.start[0] + 1 && x.col === e.start[1] + 1);
    check(r && r.severity === sev, `problems panel: ${e.code} ${sev} [Ln ${e.start[0] + 1}, Col ${e.start[1] + 1}]`,
      r ? JSON.stringify(r) : 'no such row');
  }
  // show the end of the report (NB104, NB101) beside line 1–3 (NB108, NB501) would need
  // scrolling; the first screen shows the title/mojibake squiggles and the panel
  await page.waitForTimeout(500);
  await screenshot(page, 'screenshot.png');
}

// ---- 2. a note that is no report ------------------------------------------------------
async function notReport(page) {
  const note = path.join(FOLDER, 'notes.txt');
  await quickOpen(page, 'notes.txt');
  // the status bar item must go away, and stay away
  const hidden = await until(page, async () => (await statusText(page)) === null, 5000);
  await page.waitForTimeout(1500);
  check(hidden && (await statusText(page)) === null, 'not a report: status bar item hidden');
  check(readDump(note).length === 0, 'not a report: no diagnostics', JSON.stringify(readDump(note)));
}

// ---- 3. fix all ---------------------------------------------------------------------------
async function fixAll(page) {
  const p = path.join(FOLDER, 'fixable.txt');
  await quickOpen(page, 'fixable.txt');
  const before = await until(page, () => readDump(p).some((d) => d.code === 'NB105'), 20000);
  check(before, 'fix all: NB105 reported for the heading “4、”');
  await runCommand(page, 'nianbao: Fix all problems');
  const gone = await until(page, () => {
    const d = readDump(p);
    return d.length > 0 && !d.some((x) => x.code === 'NB105') && d.some((x) => x.code === 'NB104');
  }, 15000);
  check(gone, 'fix all: NB105 fixed by “nianbao: Fix all problems” (heading now 四、)',
    JSON.stringify(readDump(p).map((d) => d.code)));
  // the edit is in the editor: go to line 272 and read it
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 5000 }).catch(() => {});
  await page.keyboard.type('272');
  await page.keyboard.press('Enter');
  const line = await until(page, async () => {
    const t = await page.locator('.editor-instance .monaco-editor .view-lines').first().textContent().catch(() => '');
    return t && t.includes('四、復議和訴訟情況') ? t : null;
  }, 5000);
  check(Boolean(line), 'fix all: the editor shows the fixed heading “四、復議和訴訟情況”');
  await screenshot(page, 'screenshot-fixall.png');
}

// ---- 4. insert skeleton ----------------------------------------------------------------------
async function skeleton(page) {
  await runCommand(page, 'View: Revert and Close Editor'); // fixable.txt, unchanged on disk
  await runCommand(page, 'View: Close All Editors');
  await page.waitForTimeout(500);
  await runCommand(page, 'nianbao: Insert report skeleton');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 5000 });
  await input.fill('2024');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  await input.waitFor({ state: 'visible', timeout: 5000 });
  await input.fill('测试市测试局');
  await page.keyboard.press('Enter');
  const tab = await until(page, () => page.locator('.tabs-container .tab.active[aria-label*="Untitled"]').count(), 10000);
  check(tab > 0, 'skeleton: a new untitled document opened');
  const text = await until(page, async () => {
    const t = await page.locator('.editor-instance .monaco-editor .view-lines').first().textContent().catch(() => '');
    return t && t.includes('测试市测试局') ? t : null;
  }, 10000);
  check(Boolean(text) && text.includes('2024'), 'skeleton: title with the year and body typed in',
    text ? text.slice(0, 80) : 'no text');
  const st = await until(page, async () => {
    const t = await statusText(page);
    return t && t.startsWith('年报 2024 · v2021') ? t : null;
  }, 15000);
  check(Boolean(st), 'skeleton: recognised as a 2024 report in the 2021 format (status bar)', `got ${JSON.stringify(await statusText(page))}`);
  await screenshot(page, 'screenshot-skeleton.png');
}

// ---- 5. server path that does not exist ----------------------------------------------------
async function badServerPath(page) {
  await runCommand(page, 'View: Revert and Close Editor');
  await quickOpen(page, path.relative(FOLDER, DOC));
  await until(page, async () => (await statusText(page)) === EXPECTED.status, 10000);
  // set nianbao.server.path the way a user does: in the settings JSON editor
  const missing = '/no/such/dir/nianbao';
  const s = { 'nianbao.server.path': missing };
  // (a machine-overridable setting: in code-server, a remote window, it is read from the
  // Remote settings, not from the browser's User settings)
  await runCommand(page, 'Preferences: Open Remote Settings (JSON)');
  await page.waitForSelector('.tabs-container .tab.active[aria-label*="settings.json"]', { timeout: 10000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(JSON.stringify(s, null, 2)); // no auto-closing brackets
  await page.keyboard.press('Control+S');
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: missing }).first();
  const seen = await until(page, () => toast.isVisible().catch(() => false), 20000);
  const msg = seen ? (await toast.locator('.notification-list-item-message').textContent()).trim() : '';
  log('notification:', msg);
  check(seen && /does not exist|不存在/.test(msg), 'bad server.path: error notification names the missing file', msg || 'no notification');
  const isError = seen && await toast.locator('.codicon-error, .notification-list-item-icon.codicon-error').count() > 0;
  check(isError, 'bad server.path: the notification is an error');
  const button = toast.locator('.monaco-button', { hasText: /Show log|显示日志/ }).first();
  check(seen && await button.count() > 0, 'bad server.path: notification has a “Show log” button');
  await screenshot(page, 'screenshot-error.png');
  if (seen && await button.count() > 0) {
    await button.click({ timeout: 5000 }).catch((e) => log(e.message));
    const logShown = await until(page, async () => {
      const t = await page.locator('.part.panel .view-lines').first().textContent().catch(() => '');
      return /server running|looking for the nianbao binary|starting/.test(t || '') ? t : null;
    }, 10000);
    check(Boolean(logShown), '“Show log” opens the nianbao log');
  }
  // the bundled binary took over: the report is still checked
  await runCommand(page, 'View: Close Editor'); // settings.json (saved)
  await quickOpen(page, path.relative(FOLDER, DOC));
  const back = await until(page, async () => (await statusText(page)) === EXPECTED.status, 20000);
  check(back, 'bad server.path: falls back to the bundled server (status bar back)', `got ${JSON.stringify(await statusText(page))}`);
  await screenshot(page, 'screenshot-log.png');
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const ctx = await chromium.launchPersistentContext(env.E2E_CHROME_PROFILE, {
    executablePath: env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
    locale: 'en-US',
    timeout: 30000,
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', (e) => log('pageerror:', String(e).slice(0, 300)));
  try {
    const url = `${env.E2E_URL}/?folder=${encodeURIComponent(FOLDER)}`;
    log('goto', url);
    await page.goto(url, { timeout: 60000 });
    try {
      await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60000 });
    } catch (e) { log('workbench did not load:', e.message); return 3; }
    log('workbench up');
    for (const [name, step] of [['sample', sampleReport], ['not-report', notReport], ['fix-all', fixAll],
      ['skeleton', skeleton], ['bad-server-path', badServerPath]]) {
      if (Date.now() > deadline) { check(false, `${name}: not run, out of time`); continue; }
      const s = Date.now();
      try {
        await step(page);
      } catch (e) {
        check(false, `${name}: ${e.message.split('\n')[0]}`);
        await screenshot(page, `failure-${name}.png`);
        if (e instanceof Fatal && name === 'sample') return 3;
      }
      log(`${name}: ${Date.now() - s} ms`);
    }
    return failures ? 1 : 0;
  } finally {
    await ctx.close().catch(() => {});
  }
}

main().then((rc) => process.exit(rc), (e) => { console.error(e); process.exit(3); });
