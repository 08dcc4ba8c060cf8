// Bundles src/extension.ts and vscode-languageclient into dist/extension.js (the .vsix
// then needs no node_modules). Usage: node scripts/bundle.mjs [--dev]
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dev = process.argv.includes('--dev');
fs.rmSync(path.join(here, 'dist'), { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  logLevel: 'warning',
  metafile: true,
});
// vscode-languageclient stops a server that does not exit within 2 s with this script,
// found next to its code (__dirname): next to the bundle.
const term = path.join(here, 'node_modules/vscode-languageclient/lib/node/terminateProcess.sh');
fs.copyFileSync(term, path.join(here, 'dist/terminateProcess.sh'));
fs.chmodSync(path.join(here, 'dist/terminateProcess.sh'), 0o755);
const bytes = result.metafile.outputs['dist/extension.js'].bytes;
console.log(`dist/extension.js: ${(bytes / 1024).toFixed(0)} KiB`);
