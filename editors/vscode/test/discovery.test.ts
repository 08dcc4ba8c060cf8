// Binary discovery: nianbao.server.path → bundled bin/nianbao → PATH, with paths that
// do not exist, are folders, or are not executable. Uses real files in a temp folder.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { binaryName, bundledPath, check, describe, discover, onPath, resolveSetting } from '../src/discovery';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-discovery-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(rel: string, mode: number): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, '#!/bin/sh\n');
  fs.chmodSync(p, mode);
  return p;
}

const ext = path.join(tmp, 'ext');              // extension with a bundled binary
const bundled = file('ext/bin/nianbao', 0o755);
const noExt = path.join(tmp, 'ext-empty');        // extension without one
fs.mkdirSync(noExt);
const custom = file('custom/nianbao-dev', 0o755);
const plain = file('custom/not-exec', 0o644);
const onPathDir = path.join(tmp, 'pathbin');
const pathBin = file('pathbin/nianbao', 0o755);
const emptyDir = path.join(tmp, 'empty');
fs.mkdirSync(emptyDir);
const missing = path.join(tmp, 'no', 'such', 'nianbao');
const PATH = [emptyDir, onPathDir].join(':');

test('check: ok, missing, folder, not executable', () => {
  assert.equal(check(bundled, 'linux'), 'ok');
  assert.equal(check(missing, 'linux'), 'missing');
  assert.equal(check(emptyDir, 'linux'), 'not-a-file');
  assert.equal(check(plain, 'linux'), 'not-executable');
  assert.equal(check(plain, 'win32'), 'ok', 'Windows has no executable bit');
});

test('1. a valid setting wins over the bundled binary and PATH', () => {
  const d = discover({ setting: custom, extensionPath: ext, pathEnv: PATH, platform: 'linux' });
  assert.deepEqual(d.found, { source: 'setting', path: custom });
  assert.equal(d.settingProblem, undefined);
  assert.equal(d.tried.length, 1);
});

test('2. no setting: the bundled binary', () => {
  for (const setting of [undefined, '', '   ']) {
    const d = discover({ setting, extensionPath: ext, pathEnv: PATH, platform: 'linux' });
    assert.deepEqual(d.found, { source: 'bundled', path: bundled });
  }
});

test('3. no setting, nothing bundled: PATH, skipping folders where it is not', () => {
  const d = discover({ extensionPath: noExt, pathEnv: PATH, platform: 'linux' });
  assert.deepEqual(d.found, { source: 'path', path: pathBin });
  assert.deepEqual(d.tried.map((c) => [c.source, c.status]), [['bundled', 'missing'], ['path', 'missing'], ['path', 'ok']]);
});

test('a setting that does not exist is reported, and the bundled binary is used instead', () => {
  const d = discover({ setting: missing, extensionPath: ext, pathEnv: PATH, platform: 'linux' });
  assert.deepEqual(d.settingProblem, { source: 'setting', path: missing, status: 'missing' });
  assert.deepEqual(d.found, { source: 'bundled', path: bundled });
});

test('a setting that is not executable, or a folder, is reported; PATH is the last resort', () => {
  let d = discover({ setting: plain, extensionPath: noExt, pathEnv: PATH, platform: 'linux' });
  assert.equal(d.settingProblem?.status, 'not-executable');
  assert.deepEqual(d.found, { source: 'path', path: pathBin });
  d = discover({ setting: emptyDir, extensionPath: noExt, pathEnv: '', platform: 'linux' });
  assert.equal(d.settingProblem?.status, 'not-a-file');
  assert.equal(d.found, undefined);
});

test('nothing anywhere: not found, every candidate listed', () => {
  const d = discover({ setting: missing, extensionPath: noExt, pathEnv: emptyDir, platform: 'linux' });
  assert.equal(d.found, undefined);
  assert.deepEqual(d.tried.map((c) => c.source), ['setting', 'bundled', 'path']);
  assert.ok(describe(d).some((l) => l.includes(missing) && l.includes('missing')));
});

test('a bundled binary without the executable bit is fixed (chmod) when allowed, else skipped', () => {
  const ext2 = path.join(tmp, 'ext-noexec');
  const b = file('ext-noexec/bin/nianbao', 0o644);
  let d = discover({ extensionPath: ext2, pathEnv: PATH, platform: 'linux' });
  assert.deepEqual(d.found, { source: 'path', path: pathBin });
  assert.equal(d.tried[0].status, 'not-executable');
  d = discover({ extensionPath: ext2, pathEnv: PATH, platform: 'linux', fixPermissions: true });
  assert.deepEqual(d.found, { source: 'bundled', path: b });
  assert.equal(check(b, 'linux'), 'ok');
});

test('the setting as a bare command name is looked up on PATH', () => {
  const d = discover({ setting: 'nianbao', extensionPath: ext, pathEnv: PATH, platform: 'linux' });
  assert.deepEqual(d.found, { source: 'setting', path: pathBin });
  const nope = discover({ setting: 'nianbao-nope', extensionPath: ext, pathEnv: PATH, platform: 'linux' });
  assert.deepEqual(nope.settingProblem, { source: 'setting', path: 'nianbao-nope', status: 'missing' });
  assert.deepEqual(nope.found, { source: 'bundled', path: bundled });
});

test('relative and ~ settings resolve against the workspace folder and home', () => {
  const rel = discover({ setting: 'custom/nianbao-dev', workspaceFolder: tmp, platform: 'linux' });
  assert.deepEqual(rel.found, { source: 'setting', path: custom });
  const home = discover({ setting: '~/custom/nianbao-dev', home: tmp, platform: 'linux' });
  assert.deepEqual(home.found, { source: 'setting', path: custom });
  // relative without a workspace folder: not guessed from the current directory
  const d = discover({ setting: 'custom/nianbao-dev', extensionPath: ext, platform: 'linux' });
  assert.equal(d.settingProblem?.status, 'missing');
  assert.deepEqual(d.found, { source: 'bundled', path: bundled });
  assert.equal(resolveSetting('~/x', {}), undefined);
});

test('PATH: relative and empty entries are ignored (never run a binary from the cwd)', () => {
  assert.deepEqual(onPath('nianbao', { pathEnv: `:.:bin:${onPathDir}`, platform: 'linux' }), [path.join(onPathDir, 'nianbao')]);
});

test('Windows: nianbao.exe, bundled and on PATH (";"-separated)', () => {
  assert.equal(binaryName('win32'), 'nianbao.exe');
  assert.equal(binaryName('linux'), 'nianbao');
  assert.equal(path.basename(bundledPath('/ext', 'win32')), 'nianbao.exe');
  assert.deepEqual(onPath('nianbao', { pathEnv: `${onPathDir};relative`, platform: 'win32' }), [path.join(onPathDir, 'nianbao.exe')]);
  assert.deepEqual(onPath('tool.exe', { pathEnv: onPathDir, platform: 'win32' }), [path.join(onPathDir, 'tool.exe')]);
});
