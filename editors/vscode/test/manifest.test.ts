// package.json contributions vs. the nls files, the l10n bundle and the code.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..'); // out/test → editors/vscode
const json = (f: string) => JSON.parse(fs.readFileSync(path.join(root, f), 'utf8'));
const pkg = json('package.json');
const nls = json('package.nls.json');
const nlsZh = json('package.nls.zh-cn.json');
const source = fs.readFileSync(path.join(root, 'src', 'extension.ts'), 'utf8');

test('every %key% of package.json has an English and a Chinese text', () => {
  const keys = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
  assert.ok(keys.length >= 15);
  for (const k of keys) {
    assert.ok(nls[k], `package.nls.json lacks ${k}`);
    assert.ok(nlsZh[k], `package.nls.zh-cn.json lacks ${k}`);
  }
  assert.deepEqual(Object.keys(nlsZh).sort(), Object.keys(nls).sort());
});

test('the settings the server reads are all contributed, plus server.path and trace.server', () => {
  const props = Object.keys(pkg.contributes.configuration.properties).sort();
  assert.deepEqual(props, [
    'nianbao.blankAsZero', 'nianbao.debounceMs', 'nianbao.disable', 'nianbao.enable', 'nianbao.include',
    'nianbao.run', 'nianbao.server.path', 'nianbao.severity', 'nianbao.trace.server',
  ]);
  assert.deepEqual(pkg.contributes.configuration.properties['nianbao.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.deepEqual(pkg.contributes.configuration.properties['nianbao.run'].enum, ['onType', 'onSave']);
});

test('every contributed command is registered by the extension, and vice versa', () => {
  const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  const registered = [...source.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]).sort();
  assert.deepEqual(contributed, ['nianbao.fixAll', 'nianbao.insertSkeleton', 'nianbao.restartServer', 'nianbao.showLog']);
  assert.deepEqual(registered, contributed);
});

test('every vscode.l10n.t message has a Chinese translation', () => {
  const bundle = json('l10n/bundle.l10n.zh-cn.json');
  const msgs = [...source.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]);
  assert.ok(msgs.length >= 10);
  for (const m of msgs) assert.ok(bundle[m], `no zh-cn translation for: ${m}`);
});

test('marketplace metadata', () => {
  for (const k of ['name', 'displayName', 'description', 'publisher', 'version', 'icon', 'license', 'repository']) {
    assert.ok(pkg[k], `package.json lacks ${k}`);
  }
  assert.deepEqual(pkg.categories, ['Linters']);
  assert.equal(pkg.engines.vscode, '^1.85.0');
  const png = fs.readFileSync(path.join(root, pkg.icon));
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'icon is 128×128');
  assert.deepEqual(pkg.activationEvents.sort(), ['onLanguage:html', 'onLanguage:markdown', 'onLanguage:plaintext']);
  // vsce refuses @types/vscode newer than engines.vscode
  assert.equal(pkg.devDependencies['@types/vscode'], '1.85.0');
});
