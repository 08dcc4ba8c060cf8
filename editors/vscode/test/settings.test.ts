// Settings mapping: VS Code `nianbao.*` settings → the server's settings payload.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';

import {
  didChangeConfigurationParams,
  getterFromObject,
  initializationOptions,
  toServerSettings,
} from '../src/settings';

const defaults = { enable: true, run: 'onType', include: [], severity: {}, disable: [] };

test('VS Code defaults map to the server defaults (no debounce/blankAsZero: the server decides)', () => {
  // what package.json contributes as defaults
  const vsDefaults = {
    enable: true, server: { path: '' }, run: 'onType', debounceMs: null, blankAsZero: null,
    include: [], severity: {}, disable: [], trace: { server: 'off' },
  };
  assert.deepEqual(toServerSettings(getterFromObject(vsDefaults)), defaults);
  assert.deepEqual(toServerSettings(() => undefined), defaults);
});

test('every setting is passed on, client-only ones (server.path, trace) are not', () => {
  const s = toServerSettings(getterFromObject({
    enable: false, run: 'onSave', debounceMs: 300, blankAsZero: true,
    include: ['reports/**/*.txt'], severity: { NB501: 'error', 'mojibake': 'off' },
    disable: ['NB108'], server: { path: '/opt/nianbao' }, trace: { server: 'verbose' },
  }));
  assert.deepEqual(s, {
    enable: false, run: 'onSave', debounceMs: 300, blankAsZero: true,
    include: ['reports/**/*.txt'], severity: { NB501: 'error', mojibake: 'off' }, disable: ['NB108'],
  });
  assert.equal('server' in s, false);
  assert.equal('trace' in s, false);
});

test('initializationOptions and didChangeConfiguration carry the same object under "nianbao"', () => {
  const get = getterFromObject({ disable: ['NB101'], blankAsZero: false });
  const init = initializationOptions(get);
  const change = didChangeConfigurationParams(get);
  assert.deepEqual(init, { nianbao: { ...defaults, disable: ['NB101'], blankAsZero: false } });
  assert.deepEqual(change, { settings: init });
  // the server reads camelCase keys (serde rename_all = "camelCase")
  assert.deepEqual(Object.keys(init.nianbao).sort(), ['blankAsZero', 'disable', 'enable', 'include', 'run', 'severity']);
});

test('ill-typed values are dropped one by one (the server would reset everything on one bad value)', () => {
  const s = toServerSettings(getterFromObject({
    enable: 'yes', run: 'sometimes', debounceMs: '100', blankAsZero: 'true',
    include: 'reports/*.txt', severity: ['NB101'], disable: [42, 'NB102', null, ' NB103 ', 'NB102'],
  }));
  assert.deepEqual(s, { ...defaults, disable: ['NB102', 'NB103'] });
});

test('severity: unknown levels are dropped, levels and codes are normalised', () => {
  const s = toServerSettings(getterFromObject({
    severity: { NB101: 'Warning', NB102: 'fatal', ' NB103 ': ' off ', '': 'error', NB104: 3, NB105: 'hint', NB106: 'info' },
  }));
  assert.deepEqual(s.severity, { NB101: 'warning', NB103: 'off', NB105: 'hint', NB106: 'info' });
});

test('debounceMs: negative and non-finite values are dropped, large ones capped, fractions rounded', () => {
  const d = (v: unknown) => toServerSettings(getterFromObject({ debounceMs: v })).debounceMs;
  assert.equal(d(-1), undefined);
  assert.equal(d(Number.NaN), undefined);
  assert.equal(d(Number.POSITIVE_INFINITY), undefined);
  assert.equal(d(0), 0);
  assert.equal(d(12.6), 13);
  assert.equal(d(60_000), 10_000);
});

test('enable: only an explicit false disables', () => {
  assert.equal(toServerSettings(getterFromObject({ enable: false })).enable, false);
  assert.equal(toServerSettings(getterFromObject({ enable: null })).enable, true);
  assert.equal(toServerSettings(getterFromObject({ enable: 0 })).enable, true);
});

test('getterFromObject reads nested and flat keys', () => {
  const g = getterFromObject({ server: { path: '/a' }, 'trace.server': 'messages' });
  assert.equal(g('server.path'), '/a');
  assert.equal(g('trace.server'), 'messages');
  assert.equal(g('server.nope'), undefined);
  assert.equal(g('nope.deeper'), undefined);
});
