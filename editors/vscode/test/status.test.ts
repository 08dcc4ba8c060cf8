// Status bar text from nianbao/reportInfo, and the skeleton year input.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';

import { checkSkeletonYear, defaultSkeletonYear, statusView } from '../src/status';

test('a recognised report: year, format version, error and warning counts', () => {
  const v = statusView({ isReport: true, year: 2021, format: 'v2021', errors: 1, warnings: 5, infos: 2, version: 3 });
  assert.equal(v?.text, '年报 2021 · v2021 · ✗1 ⚠5');
  assert.match(v!.tooltip, /1 个错误，5 个警告，2 个提示/);
  assert.match(v!.tooltip, /Problems/);
});

test('hidden for documents that are not reports, or without an answer', () => {
  assert.equal(statusView({ isReport: false }), undefined);
  assert.equal(statusView(null), undefined);
  assert.equal(statusView(undefined), undefined);
});

test('unknown year and format are left out; odd counts become 0', () => {
  assert.equal(statusView({ isReport: true, year: null, format: 'unknown', errors: -1, warnings: 0 })?.text, '年报 · ✗0 ⚠0');
  assert.equal(statusView({ isReport: true, year: 2020, format: 'v2019' })?.text, '年报 2020 · v2019 · ✗0 ⚠0');
  assert.equal(statusView({ isReport: true, year: 2022, format: 'hybrid', errors: 2, warnings: 1 })?.text, '年报 2022 · 混合格式 · ✗2 ⚠1');
});

test('skeleton year: defaults to last year, four digits 2021–2100', () => {
  assert.equal(defaultSkeletonYear(new Date(2025, 0, 15)), 2024);
  assert.equal(defaultSkeletonYear(new Date(2021, 5, 1)), 2021);
  assert.equal(checkSkeletonYear('2024'), undefined);
  assert.equal(checkSkeletonYear(' 2021 '), undefined);
  assert.ok(checkSkeletonYear('2020'));
  assert.ok(checkSkeletonYear('24'));
  assert.ok(checkSkeletonYear('二〇二四'));
  assert.ok(checkSkeletonYear('2101'));
});
