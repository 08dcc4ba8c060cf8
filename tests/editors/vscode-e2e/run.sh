#!/usr/bin/env bash
# End-to-end test of the nianbao VS Code extension in a real VS Code: code-server 4.100.3
# (VS Code 1.100.3) in headless chromium, driven by playwright-core (drive.js).
#
# Usage: tests/editors/vscode-e2e/run.sh [VSIX]
#   VSIX  the packaged extension (default: $VSCODE_E2E_VSIX, else the newest
#         editors/vscode/nianbao-*.vsix); it runs the server binary bundled inside it.
#
# 1. packages the diag-dump helper extension (writes vscode.languages.getDiagnostics()
#    to a JSON-lines file: exact ranges, independent of the extension under test);
# 2. installs both into a fresh temp profile (`code-server --install-extension`);
# 3. makes a temp workspace: the sample report (expected.json), a copy with a fixable
#    heading, a note that is no report;
# 4. starts code-server on 127.0.0.1 (free port, --auth none) and runs drive.js, which
#    prints "ok - …" / "not ok - …" per check and saves screenshots;
# 5. ends code-server and everything under it by PID.
#
# Needs: code-server, chromium, playwright-core (npm ci here), @vscode/vsce (npm ci in
# editors/vscode) — scripts/test-vscode installs them all.
# Env: VSCODE_E2E_TIMEOUT (s, browser part, default 150), VSCODE_E2E_OUT (screenshots,
#      default target/vscode-e2e), VSCODE_E2E_KEEP=1 (keep temp dir), CODE_SERVER_BIN,
#      CHROMIUM_BIN (default /usr/bin/chromium), VSCE (default editors/vscode's).
# Exit: 0 all checks passed; 1 a check failed; 3 workbench never came up; 4 setup error.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
timeout_s="${VSCODE_E2E_TIMEOUT:-150}"
code_server="${CODE_SERVER_BIN:-code-server}"
chromium_bin="${CHROMIUM_BIN:-/usr/bin/chromium}"
vsce="${VSCE:-$repo/editors/vscode/node_modules/.bin/vsce}"
outdir="$(realpath -m -- "${VSCODE_E2E_OUT:-$repo/target/vscode-e2e}")"
T0=$(date +%s%N)
say() { echo "[vscode-e2e +$(( ($(date +%s%N) - T0) / 1000000 ))ms] $*" >&2; }

vsix="${1:-${VSCODE_E2E_VSIX:-}}"
if [ -z "$vsix" ]; then
  vsix="$(ls -t "$repo"/editors/vscode/nianbao-*.vsix 2>/dev/null | head -1 || true)"
fi
[ -n "$vsix" ] && [ -f "$vsix" ] || { echo "no .vsix: run 'npm run package' in editors/vscode, or pass one" >&2; exit 4; }
vsix="$(realpath -- "$vsix")"
[ -e "$here/node_modules/playwright-core" ] || { echo "missing playwright-core: npm ci in $here" >&2; exit 4; }
[ -x "$vsce" ] || { echo "missing vsce at $vsce: npm ci in editors/vscode" >&2; exit 4; }
command -v "$code_server" >/dev/null || { echo "code-server not found: run scripts/test-vscode" >&2; exit 4; }
[ -x "$chromium_bin" ] || { echo "chromium not found at $chromium_bin" >&2; exit 4; }
sample="$repo/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["doc"])' "$here/expected.json")"
[ -f "$sample" ] || { echo "no sample $sample" >&2; exit 4; }
mkdir -p "$outdir"
rm -f "$outdir"/screenshot*.png "$outdir"/failure-*.png  # no stale pictures from an earlier run

tmp="$(mktemp -d -t nianbao-vscode-e2e.XXXXXX)"
cs_pid=""
descendants() { local c; for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done; }
cleanup() {
  local rc=$?
  if [ -n "$cs_pid" ] && kill -0 "$cs_pid" 2>/dev/null; then
    # code-server forks a server, extension hosts and the LSP server under them; killing
    # code-server alone leaves the extension host waiting for a reconnect: note every
    # descendant first, stop code-server, then any survivor, by PID.
    local kids; kids="$(descendants "$cs_pid")"
    kill -TERM "$cs_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$cs_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$cs_pid" 2>/dev/null || true
    for p in $kids; do kill -TERM "$p" 2>/dev/null || true; done
    sleep 0.5
    for p in $kids; do kill -KILL "$p" 2>/dev/null || true; done
  fi
  if [ "${VSCODE_E2E_KEEP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1. diag-dump helper ------------------------------------------------------
(cd "$here/diag-dump" && "$vsce" package --skip-license -o "$tmp/diag-dump.vsix" </dev/null >"$tmp/vsce-dump.log" 2>&1) \
  || { cat "$tmp/vsce-dump.log" >&2; exit 4; }

# ---- 2. install into a fresh profile ---------------------------------------------
ud="$tmp/user-data"; ext="$tmp/extensions"
mkdir -p "$ud/User" "$ext" "$tmp/xdg-config" "$tmp/xdg-data" "$tmp/chrome-profile"
export XDG_CONFIG_HOME="$tmp/xdg-config" XDG_DATA_HOME="$tmp/xdg-data"
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' >"$tmp/config.yaml"
"$code_server" --config "$tmp/config.yaml" --user-data-dir "$ud" --extensions-dir "$ext" \
  --install-extension "$vsix" --install-extension "$tmp/diag-dump.vsix" --force \
  </dev/null >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; exit 4; }
say "installed: $(ls "$ext" | grep -v extensions.json | tr '\n' ' ')"

# ---- 3. workspace and settings -----------------------------------------------------
ws="$tmp/workspace"
mkdir -p "$ws"
doc="$ws/$(basename "$sample")"
cp "$sample" "$doc"
# a heading numbered "4、" among "一、" ones: NB105 with a safe fix (→ "四、")
sed '272s/^四、/4、/' "$sample" >"$ws/fixable.txt"
grep -q '^4、復議' "$ws/fixable.txt" || { echo "sample changed: line 272 is no longer 四、…" >&2; exit 4; }
printf '购物清单\n\n苹果 3 个\n牛奶 2 盒\n' >"$ws/notes.txt"
settings="$ud/User/settings.json"
cat >"$settings" <<JSON
{
  "diagDump.outFile": "$tmp/diags.jsonl",
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "git.enabled": false,
  "editor.minimap.enabled": false,
  "workbench.editor.untitled.hint": "hidden",
  "chat.disableAIFeatures": true
}
JSON

# ---- 4. code-server on loopback, then the browser ------------------------------------
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$code_server" --config "$tmp/config.yaml" --bind-addr "127.0.0.1:$port" --auth none \
  --user-data-dir "$ud" --extensions-dir "$ext" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --ignore-last-opened \
  </dev/null >"$tmp/code-server.log" 2>&1 &
cs_pid=$!
for _ in $(seq 300); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
  kill -0 "$cs_pid" 2>/dev/null || { cat "$tmp/code-server.log" >&2; exit 4; }
  sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" || { echo "code-server not ready in 30 s" >&2; cat "$tmp/code-server.log" >&2; exit 4; }
say "code-server pid $cs_pid on 127.0.0.1:$port"

rc=0
E2E_URL="http://127.0.0.1:$port" E2E_FOLDER="$ws" E2E_DOC="$doc" E2E_OUT="$outdir" \
E2E_EXPECTED="$here/expected.json" \
E2E_TIMEOUT_MS="$(( timeout_s * 1000 ))" E2E_DUMP="$tmp/diags.jsonl" \
E2E_CHROME_PROFILE="$tmp/chrome-profile" CHROMIUM_BIN="$chromium_bin" \
NODE_PATH="$here/node_modules" \
  timeout -k 10 "$(( timeout_s + 60 ))" node "$here/drive.js" || rc=$?
say "browser part exit $rc; screenshots in $outdir"
# keep the logs of the last run beside the screenshots
rm -rf "$outdir/logs"; mkdir -p "$outdir/logs"
cp "$tmp/code-server.log" "$outdir/logs/" 2>/dev/null || true
find "$ud/logs" -type f \( -name 'remoteexthost.log' -o -path '*output_logging_*' \) 2>/dev/null |
  while IFS= read -r f; do
    case "$f" in */vscode.git*|*/vscode.github*|*Telemetry*) continue ;; esac
    cp "$f" "$outdir/logs/$(basename "$(dirname "$f")")-$(basename "$f")" 2>/dev/null || true
  done
if [ "$rc" -ne 0 ]; then
  echo "---- code-server log (tail) ----" >&2; tail -n 30 "$tmp/code-server.log" >&2
  for f in "$outdir"/logs/*; do echo "---- $f (tail) ----" >&2; tail -n 30 "$f" >&2; done
fi
exit "$rc"
