// Finding the `nianbao` binary to run as the language server, in this order:
//   1. the `nianbao.server.path` setting (a path, `~/…`, relative to the workspace
//      folder, or a bare command name looked up on PATH);
//   2. the binary bundled in the extension (`bin/nianbao`, `bin/nianbao.exe` on Windows);
//   3. `nianbao` on PATH.
// A candidate that does not exist, is not a file or is not executable is skipped (and
// reported, so the extension can say why). A bundled binary that lost its executable
// bit (some unzip tools drop it) gets it back when `fixPermissions` is set.
//
// Pure module: no `vscode` import, so it runs under plain node (`npm test`).

import * as fs from 'fs';
import * as path from 'path';

export type Source = 'setting' | 'bundled' | 'path';
export type Status = 'ok' | 'missing' | 'not-a-file' | 'not-executable';

export interface Candidate {
  source: Source;
  path: string;
  status: Status;
}

export interface DiscoveryInput {
  /** `nianbao.server.path` (empty or undefined: not set). */
  setting?: string;
  /** The extension's folder; the bundled binary is `<extensionPath>/bin/nianbao[.exe]`. */
  extensionPath?: string;
  /** The PATH environment variable. */
  pathEnv?: string;
  /** Default: process.platform. */
  platform?: NodeJS.Platform;
  /** First workspace folder: relative setting paths are resolved against it. */
  workspaceFolder?: string;
  /** Home directory for `~/` in the setting. */
  home?: string;
  /** chmod +x a bundled binary that is not executable (default false). */
  fixPermissions?: boolean;
}

export interface Discovery {
  /** The binary to run, if any. */
  found?: { source: Source; path: string };
  /** Every candidate looked at, in order. */
  tried: Candidate[];
  /** The setting was given but is unusable (`found`, if any, is a fallback). */
  settingProblem?: Candidate;
}

export function binaryName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'nianbao.exe' : 'nianbao';
}

export function bundledPath(extensionPath: string, platform: NodeJS.Platform = process.platform): string {
  return path.join(extensionPath, 'bin', binaryName(platform));
}

/** Whether `p` is an executable file. */
export function check(p: string, platform: NodeJS.Platform = process.platform): Status {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 'missing';
  }
  if (!st.isFile()) return 'not-a-file';
  if (platform === 'win32') return 'ok'; // no executable bit on Windows
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return 'ok';
  } catch {
    return 'not-executable';
  }
}

/** Candidates for a command name on PATH (only absolute PATH entries: never the cwd). */
export function onPath(name: string, input: DiscoveryInput): string[] {
  const platform = input.platform ?? process.platform;
  const sep = platform === 'win32' ? ';' : ':';
  // Windows: only .exe (a .bat/.cmd cannot be spawned without a shell).
  const file = platform === 'win32' && !/\.exe$/i.test(name) ? `${name}.exe` : name;
  const out: string[] = [];
  for (const dir of (input.pathEnv ?? '').split(sep)) {
    if (!dir || !(path.isAbsolute(dir) || path.win32.isAbsolute(dir))) continue;
    out.push(path.join(dir, file));
  }
  return out;
}

/** Expands `~/` and resolves a relative setting against the workspace folder. */
export function resolveSetting(setting: string, input: DiscoveryInput): string | undefined {
  let p = setting.trim();
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) {
    if (!input.home) return undefined;
    p = path.join(input.home, p.slice(1));
  }
  if (path.isAbsolute(p) || path.win32.isAbsolute(p)) return p;
  if (!input.workspaceFolder) return undefined;
  return path.join(input.workspaceFolder, p);
}

function isBareName(s: string): boolean {
  return !s.includes('/') && !s.includes('\\') && !s.startsWith('~');
}

export function discover(input: DiscoveryInput): Discovery {
  const platform = input.platform ?? process.platform;
  const tried: Candidate[] = [];
  let settingProblem: Candidate | undefined;
  const attempt = (source: Source, p: string): Candidate => {
    let status = check(p, platform);
    if (status === 'not-executable' && source === 'bundled' && input.fixPermissions) {
      try {
        fs.chmodSync(p, 0o755);
        status = check(p, platform);
      } catch {
        // read-only install: stays not-executable
      }
    }
    const c = { source, path: p, status };
    tried.push(c);
    return c;
  };
  const done = (c: Candidate): Discovery => ({ found: { source: c.source, path: c.path }, tried, settingProblem });

  // 1. the setting
  const setting = (input.setting ?? '').trim();
  if (setting) {
    const resolved = isBareName(setting) ? undefined : resolveSetting(setting, input);
    const paths = isBareName(setting) ? onPath(setting, input) : resolved ? [resolved] : [];
    for (const p of paths) {
      const c = attempt('setting', p);
      if (c.status === 'ok') return done(c);
      settingProblem = c;
    }
    if (!settingProblem) {
      // a bare name on no PATH folder, or a relative path without a workspace folder
      settingProblem = { source: 'setting', path: setting, status: 'missing' };
      tried.push(settingProblem);
    } else if (paths.length > 1) {
      settingProblem = { source: 'setting', path: setting, status: 'missing' }; // not on PATH
    }
  }
  // 2. bundled
  if (input.extensionPath) {
    const c = attempt('bundled', bundledPath(input.extensionPath, platform));
    if (c.status === 'ok') return done(c);
  }
  // 3. PATH
  for (const p of onPath('nianbao', input)) {
    const c = attempt('path', p);
    if (c.status === 'ok') return done(c);
  }
  return { tried, settingProblem };
}

/** One line per candidate, for the log. */
export function describe(d: Discovery): string[] {
  const lines = d.tried
    .filter((c) => c.source !== 'path' || c.status !== 'missing') // PATH misses are noise
    .map((c) => `  ${c.source}: ${c.path} — ${c.status}`);
  const pathMisses = d.tried.filter((c) => c.source === 'path' && c.status === 'missing').length;
  if (pathMisses) lines.push(`  path: not in ${pathMisses} PATH folder(s)`);
  return lines;
}
