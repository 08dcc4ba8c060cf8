#!/usr/bin/env bash
# End-to-end test in a real editor: headless Neovim (Debian's 0.7.2, or any 0.7+) runs the
# nianbao language server through editors/neovim/nianbao.lua and checks the diagnostics it
# shows (codes, severities, UTF-16 and byte ranges), incremental edits, settings and one
# shared server for several buffers. One nvim process per case (test.lua, beside this file).
#
# Usage: tests/editors/nvim/run.sh [SERVER_BIN]   (default target/debug/nianbao; build it first)
# Env:   NVIM_BIN (default nvim), NB_TIMEOUT_MS (default 20000: wait for each expected state),
#        NB_CASES (default "open_txt edit_txt markdown_reuse")
# Prints one line per case, then "nvim: N passed, M failed". Exit: 0 all passed, 1 a case
# failed, 2 setup error (no nvim, no server binary).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
bin="${1:-$root/target/debug/nianbao}"
nvim_bin="${NVIM_BIN:-nvim}"
timeout_ms="${NB_TIMEOUT_MS:-20000}"
cases="${NB_CASES:-open_txt edit_txt markdown_reuse}"

if ! command -v "$nvim_bin" >/dev/null 2>&1; then
  echo "nvim: '$nvim_bin' not found (apt-get install -y neovim)" >&2
  echo "nvim: 0 passed, 1 failed"; exit 2
fi
if [ ! -x "$bin" ]; then
  echo "nvim: server binary '$bin' missing (cargo build -p nianbao)" >&2
  echo "nvim: 0 passed, 1 failed"; exit 2
fi
bin="$(realpath "$bin")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "nvim: $("$nvim_bin" --version | head -1), server $bin"

passed=0; failed=0
for case in $cases; do
  mkdir -p "$tmp/$case"
  start=$(date +%s%N)
  rc=0
  # --clean: no user config or plugins; -n: no swap; -i NONE: no shada. `timeout` bounds nvim.
  NB_CASE="$case" NB_BIN="$bin" NB_CONFIG="$root/editors/neovim/nianbao.lua" \
  NB_FIXTURE="$root/tests/fixtures/samples/000_50e7ba10f32f5ee2.txt" \
  NB_TMP="$tmp/$case" NB_OUT="$tmp/$case/result.json" NB_TIMEOUT_MS="$timeout_ms" \
    timeout -k 5 $(( timeout_ms * 3 / 1000 + 20 )) \
    "$nvim_bin" --headless --clean -n -i NONE -c "luafile $here/test.lua" \
    </dev/null >"$tmp/$case/stdout" 2>"$tmp/$case/stderr" || rc=$?
  secs=$(awk -v ns=$(( $(date +%s%N) - start )) 'BEGIN { printf "%.1f", ns / 1e9 }')
  if [ "$rc" -eq 0 ] && [ -s "$tmp/$case/result.json" ]; then
    passed=$((passed + 1))
    python3 "$here/../print-result.py" "$tmp/$case/result.json" "nvim/$case" "$secs" ok
  else
    failed=$((failed + 1))
    python3 "$here/../print-result.py" "$tmp/$case/result.json" "nvim/$case" "$secs" FAIL "$rc"
    echo "      nvim log:"; sed 's/^/        /' "$tmp/$case/stderr" | tail -40
  fi
done
echo "nvim: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
