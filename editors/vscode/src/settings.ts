// VS Code settings (`nianbao.*`) → the settings object the server reads from
// initializationOptions and workspace/didChangeConfiguration.
//
// Pure module: no `vscode` import, so it runs under plain node (`npm test`).
//
// The server deserialises the whole object at once and falls back to its defaults for
// *everything* when one value has the wrong type, so every value is checked here and
// ill-typed ones are dropped (the server then uses its default for that one setting).

export type Severity = 'error' | 'warning' | 'info' | 'hint' | 'off';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint', 'off'];

/** What the server understands (crates/nianbao-lsp/src/settings.rs, camelCase). */
export interface ServerSettings {
  enable: boolean;
  run: 'onType' | 'onSave';
  debounceMs?: number;
  blankAsZero?: boolean;
  include: string[];
  severity: Record<string, Severity>;
  disable: string[];
}

/** Reads one setting below `nianbao.` (e.g. `get('server.path')`), like WorkspaceConfiguration.get. */
export type SettingGetter = (key: string) => unknown;

export const MAX_DEBOUNCE_MS = 10_000;

function strings(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const s of v) {
    if (typeof s !== 'string') continue;
    const t = s.trim();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

function severities(v: unknown): Record<string, Severity> {
  const out: Record<string, Severity> = {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
    const code = k.trim();
    if (!code || typeof raw !== 'string') continue;
    const level = raw.trim().toLowerCase() as Severity;
    if (SEVERITIES.includes(level)) out[code] = level;
  }
  return out;
}

/** Maps the `nianbao.*` settings to the server's settings object. */
export function toServerSettings(get: SettingGetter): ServerSettings {
  const s: ServerSettings = {
    enable: get('enable') !== false,
    run: get('run') === 'onSave' ? 'onSave' : 'onType',
    include: strings(get('include')),
    severity: severities(get('severity')),
    disable: strings(get('disable')),
  };
  const debounce = get('debounceMs');
  if (typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0) {
    s.debounceMs = Math.min(Math.round(debounce), MAX_DEBOUNCE_MS);
  }
  const blank = get('blankAsZero');
  if (typeof blank === 'boolean') s.blankAsZero = blank;
  return s;
}

/** Builds a getter over a plain object, nested (`{server: {path}}`) or flat (`{'server.path'}`). */
export function getterFromObject(obj: Record<string, unknown>): SettingGetter {
  return (key) => {
    if (key in obj) return obj[key];
    let cur: unknown = obj;
    for (const part of key.split('.')) {
      if (!cur || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  };
}

/** `initializationOptions` of the initialize request. */
export function initializationOptions(get: SettingGetter): { nianbao: ServerSettings } {
  return { nianbao: toServerSettings(get) };
}

/** Params of the workspace/didChangeConfiguration notification. */
export function didChangeConfigurationParams(get: SettingGetter): { settings: { nianbao: ServerSettings } } {
  return { settings: { nianbao: toServerSettings(get) } };
}

/** Settings whose change needs a server restart rather than a didChangeConfiguration. */
export const RESTART_SETTINGS: readonly string[] = ['nianbao.server.path'];
