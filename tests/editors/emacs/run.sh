#!/usr/bin/env bash
# End-to-end test in a second real client: Emacs (Debian's 28.2) in batch mode with Eglot
# (Debian's elpa-eglot 1.9) runs the nianbao language server through
# editors/emacs/nianbao.el and checks the Flymake diagnostics Eglot made (codes, severities,
# UTF-16 ranges), incremental edits and settings. One emacs process per case (test.el).
#
# Usage: tests/editors/emacs/run.sh [SERVER_BIN]   (default target/debug/nianbao)
# Env:   EMACS_BIN (default emacs), NB_TIMEOUT_MS (default 20000), NB_CASES (default
#        "open_txt edit_txt"), NB_DEBUG=FILE (Eglot's JSON-RPC log of the last case)
# Prints one line per case, then "emacs: N passed, M failed". Exit: 0 all passed, 1 a case
# failed, 2 setup error (no emacs or eglot, no server binary).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
bin="${1:-$root/target/debug/nianbao}"
emacs_bin="${EMACS_BIN:-emacs}"
timeout_ms="${NB_TIMEOUT_MS:-20000}"
cases="${NB_CASES:-open_txt edit_txt}"

if ! command -v "$emacs_bin" >/dev/null 2>&1; then
  echo "emacs: '$emacs_bin' not found (apt-get install -y emacs-nox elpa-eglot)" >&2
  echo "emacs: 0 passed, 1 failed"; exit 2
fi
if ! "$emacs_bin" --batch -q --eval '(require (quote eglot))' >/dev/null 2>&1; then
  echo "emacs: Eglot not found (apt-get install -y elpa-eglot, or Emacs 29+)" >&2
  echo "emacs: 0 passed, 1 failed"; exit 2
fi
if [ ! -x "$bin" ]; then
  echo "emacs: server binary '$bin' missing (cargo build -p nianbao)" >&2
  echo "emacs: 0 passed, 1 failed"; exit 2
fi
bin="$(realpath "$bin")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "emacs: $("$emacs_bin" --version | head -1), server $bin"

passed=0; failed=0
for case in $cases; do
  mkdir -p "$tmp/$case"
  start=$(date +%s%N)
  rc=0
  # -q: no init file (site-start stays: it puts Debian's elpa-eglot on load-path).
  # HOME in the scratch dir: nothing lands in ~/.emacs.d.
  HOME="$tmp/$case" NB_CASE="$case" NB_BIN="$bin" \
  NB_FIXTURE="$root/tests/fixtures/samples/000_50e7ba10f32f5ee2.txt" \
  NB_OUT="$tmp/$case/result.json" NB_TIMEOUT_MS="$timeout_ms" \
    timeout -k 5 $(( timeout_ms * 3 / 1000 + 20 )) \
    "$emacs_bin" --batch -q \
      -l "$root/editors/emacs/nianbao.el" -l "$here/test.el" \
    </dev/null >"$tmp/$case/stdout" 2>"$tmp/$case/stderr" || rc=$?
  secs=$(awk -v ns=$(( $(date +%s%N) - start )) 'BEGIN { printf "%.1f", ns / 1e9 }')
  if [ "$rc" -eq 0 ] && [ -s "$tmp/$case/result.json" ]; then
    passed=$((passed + 1))
    python3 "$here/../print-result.py" "$tmp/$case/result.json" "emacs/$case" "$secs" ok
  else
    failed=$((failed + 1))
    python3 "$here/../print-result.py" "$tmp/$case/result.json" "emacs/$case" "$secs" FAIL "$rc"
    echo "      emacs log:"; cat "$tmp/$case/stdout" "$tmp/$case/stderr" | sed 's/^/        /' | tail -40
  fi
done
echo "emacs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
