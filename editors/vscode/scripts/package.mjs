// `npm run package [-- --target T] [-- --binary PATH]`: a platform-specific .vsix with the
// nianbao binary inside (bin/nianbao, bin/nianbao.exe on Windows).
//
//   1. the binary: --binary PATH (e.g. cross-built elsewhere), or else
//      `cargo build --release --locked -p nianbao` at the repository root (with
//      `--target <rust triple>` when T is not this machine: needs that Rust target and
//      a linker for it), or with --pgo (this machine only) `scripts/build-pgo`, the
//      profile-guided build release packages ship (≈ 10 % less CPU, same output);
//      copied to bin/ (stripped when it is for this machine);
//   2. `vsce package --target T --no-dependencies` → nianbao-<version>-<T>.vsix; vsce
//      first runs the `vscode:prepublish` script: type check (tsc --noEmit) and bundle
//      (esbuild → dist/extension.js).
// T defaults to this machine (e.g. linux-x64). Prints "VSIX: <absolute path>" last.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ext = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repo = path.resolve(ext, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
// where cargo puts its output (CARGO_TARGET_DIR is relative to the repository root)
const cargoTarget = path.resolve(repo, process.env.CARGO_TARGET_DIR || 'target');

// vsce targets → Rust target triples
const TRIPLES = {
  'linux-x64': 'x86_64-unknown-linux-gnu',
  'linux-arm64': 'aarch64-unknown-linux-gnu',
  'linux-armhf': 'armv7-unknown-linux-gnueabihf',
  'alpine-x64': 'x86_64-unknown-linux-musl',
  'alpine-arm64': 'aarch64-unknown-linux-musl',
  'darwin-x64': 'x86_64-apple-darwin',
  'darwin-arm64': 'aarch64-apple-darwin',
  'win32-x64': 'x86_64-pc-windows-msvc',
  'win32-arm64': 'aarch64-pc-windows-msvc',
};

function hostTarget() {
  const arch = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[process.arch];
  let os = process.platform;
  if (os === 'linux' && process.report?.getReport?.().header?.glibcVersionRuntime === undefined) os = 'alpine';
  return `${os}-${arch}`;
}

function arg(name) {
  const i = process.argv.indexOf(name);
  if (i < 0) return process.env[`NIANBAO_${name.slice(2).toUpperCase()}`];
  const v = process.argv[i + 1];
  if (!v || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

function run(cmd, args, cwd) {
  console.log(`$ ${[cmd, ...args].join(' ')}   (in ${path.relative(repo, cwd) || '.'})`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} exited with ${r.status}`);
}

const host = hostTarget();
const target = arg('--target') || host;
if (!TRIPLES[target]) throw new Error(`unknown target ${target}; one of ${Object.keys(TRIPLES).join(', ')}`);
const exe = target.startsWith('win32') ? 'nianbao.exe' : 'nianbao';

// 1. the binary
let binary = arg('--binary');
const pgo = process.argv.includes('--pgo') || process.env.NIANBAO_PGO === '1';
if (pgo && (binary || target !== host)) throw new Error('--pgo builds for this machine only, without --binary');
if (binary) {
  binary = path.resolve(binary);
} else if (pgo) {
  console.log('$ scripts/build-pgo');
  const r = spawnSync(path.join(repo, 'scripts/build-pgo'), [], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`scripts/build-pgo exited with ${r.status}`);
  binary = r.stdout.trim().split('\n').pop();
} else if (target === host) {
  run('cargo', ['build', '--release', '--locked', '-p', 'nianbao'], repo);
  binary = path.join(cargoTarget, 'release', exe);
} else {
  run('cargo', ['build', '--release', '--locked', '-p', 'nianbao', '--target', TRIPLES[target]], repo);
  binary = path.join(cargoTarget, TRIPLES[target], 'release', exe);
}
if (!fs.statSync(binary, { throwIfNoEntry: false })?.isFile()) throw new Error(`no binary at ${binary}`);
const data = fs.readFileSync(binary); // (--binary may point into bin/, emptied next)
const bin = path.join(ext, 'bin');
fs.rmSync(bin, { recursive: true, force: true });
fs.mkdirSync(bin);
const dest = path.join(bin, exe);
fs.writeFileSync(dest, data, { mode: 0o755 });
fs.chmodSync(dest, 0o755);
if (target === host) {
  if (process.platform !== 'win32') {
    // debug line tables are of no use in the extension: a third of the size
    const s = spawnSync('strip', [dest]);
    if (s.error || s.status !== 0) console.log('(strip not available: binary kept as is)');
  }
  const version = execFileSync(dest, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`bundled ${version} (${(fs.statSync(dest).size / 1048576).toFixed(1)} MiB) from ${binary}`);
} else {
  console.log(`bundled ${target} binary ${binary} (${(fs.statSync(dest).size / 1048576).toFixed(1)} MiB)`);
}

// 2. the .vsix (vsce runs `vscode:prepublish`: type check and bundle)
const out = path.join(ext, `${pkg.name}-${pkg.version}-${target}.vsix`);
fs.rmSync(out, { force: true });
run(process.execPath, [path.join(ext, 'node_modules/@vscode/vsce/vsce'), 'package', '--target', target,
  '--no-dependencies', '--no-update-package-json', '-o', out], ext);
console.log(`VSIX: ${out}`);
