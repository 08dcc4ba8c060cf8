#!/usr/bin/env bash
# Language-server latency and memory: `nianbao server --debounce-ms 0` side by side with
# `autocorrect server` (autocorrect-node from npm, the closest CJK-text LSP peer), driven by
# the plain JSON-RPC client bench/lsp-probe.py (Python standard library only).
#
#   (a) 7 KB report (tests/fixtures/samples/004…, 7,305 bytes): 30 incremental didChange edits,
#       each timed from the write of didChange to the publishDiagnostics for that version
#       (autocorrect publishes unversioned, empty clears first, then its result: it is timed
#       to the first publish that has diagnostics). Also: the round trip of a request the
#       server answers at once (the transport's floor) and the server's CPU per change.
#   (b) 1 MB document: 004 repeated 144 times, joined by newlines (1,052,063 bytes).
#   (c) memory: 100 reports open (the five samples cycled, in one folder), VmRSS/VmHWM of the
#       server process from /proc/PID/status (for autocorrect: the node process it runs in).
#
# Usage: bench/lsp-latency.sh [--changes N] [--profile] [--report-only]
#   --report-only  skip the build and the runs: print the table of the last run
#   --profile  also `perf record --call-graph dwarf` nianbao during 10 edits of the 1 MB
#              document and print where its CPU goes (inclusive, server threads only)
# Output: a Markdown table on stdout; raw JSON lines and the table in bench/out/lsp/.
# Needs: cargo, python3, npm (only if bench/node has no autocorrect yet), perf for --profile.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
changes=30
profile=0
report_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --changes) changes="$2"; shift 2 ;;
    --profile) profile=1; shift ;;
    --report-only) report_only=1; shift ;;
    *) echo "usage: $0 [--changes N] [--profile] [--report-only]" >&2; exit 1 ;;
  esac
done
out="$root/bench/out/lsp"
mkdir -p "$out"

nianbao="${CARGO_TARGET_DIR:-$root/target}/release/nianbao"
NB="$nianbao server --debounce-ms 0"
big="$out/docs/1mb_004x.txt"
if [ "$report_only" = 0 ]; then
echo "== build (release)" >&2
cargo build --release --locked -p nianbao >&2
nianbao="${CARGO_TARGET_DIR:-$root/target}/release/nianbao"

ac="$root/bench/node/node_modules/.bin/autocorrect"
if [ ! -x "$ac" ]; then
  echo "== npm install autocorrect-node into bench/node" >&2
  mkdir -p "$root/bench/node"
  npm install --prefix "$root/bench/node" --no-save --no-audit --no-fund autocorrect-node@2.14.0 >&2
fi
[ -x "$ac" ] || { echo "autocorrect not installed at $ac" >&2; exit 1; }

# Documents.
small="$root/tests/fixtures/samples/004_cf43867c2f1e63a9.txt"
big="$out/docs/1mb_004x.txt"
many="$out/docs/open100"
mkdir -p "$out/docs"
python3 - "$small" "$big" "$many" "$root/tests/fixtures/samples" <<'PY'
import pathlib, sys
small, big, many, samples = map(pathlib.Path, sys.argv[1:])
t = small.read_text(encoding="utf-8")
big.write_text("\n".join([t] * 144), encoding="utf-8")
many.mkdir(exist_ok=True)
for old in many.glob("*.txt"):
    old.unlink()
src = sorted(samples.glob("*.txt"))
for i in range(100):
    s = src[i % len(src)]
    (many / f"r{i:03d}_{s.stem[:3]}.txt").write_text(s.read_text(encoding="utf-8"), encoding="utf-8")
PY
echo "docs: small $(stat -c %s "$small") B, big $(stat -c %s "$big") B, $(ls "$many" | wc -l) reports in $many" >&2

probe() { # NAME SERVER_CMD DOC [probe flags...]; a failed run is reported in the table
  local name="$1" cmd="$2" doc="$3" rc=0; shift 3
  echo "== $name" >&2
  python3 "$root/bench/lsp-probe.py" "$cmd" "$doc" "$@" \
    > "$out/$name.jsonl" 2> "$out/$name.log" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "probe exit $rc for $name:" >&2; grep -v '^ ' "$out/$name.log" | tail -5 >&2
  fi
}
NB="$nianbao server --debounce-ms 0"
AC="$ac server"
# Side by side, interleaved so both see the same machine load.
# nianbao publishes once per version. autocorrect publishes unversioned: empty clears, then
# its result; it is timed to the first publish that has diagnostics (--wait-nonempty; every
# document here has some).
cat /proc/loadavg > "$out/loadavg-before"
{ git -C "$root" rev-parse --short HEAD; git -C "$root" status --porcelain -- crates Cargo.lock | grep -q . && echo "+ uncommitted changes under crates/" || true; } > "$out/code-version"
probe nianbao-7kb "$NB" "$small" --timeout 30 --rtt 30 --changes "$changes" --memory
probe autocorrect-7kb "$AC" "$small" --timeout 30 --rtt 30 --changes "$changes" --wait-nonempty --memory
probe nianbao-1mb "$NB" "$big" --timeout 60 --rtt 30 --changes "$changes" --memory
probe autocorrect-1mb "$AC" "$big" --timeout 60 --rtt 30 --changes "$changes" --wait-nonempty --memory
first="$(ls "$many" | head -1)"
probe nianbao-open100 "$NB" "$many/$first" --timeout 30 --open-dir "$many" --changes "$changes"
probe autocorrect-open100 "$AC" "$many/$first" --timeout 30 --open-dir "$many" --changes "$changes" --wait-nonempty
cat /proc/loadavg > "$out/loadavg-after"
fi # report_only

python3 - "$out" "$changes" <<'PY' | tee "$out/results.md"
import json, pathlib, sys
out, changes = pathlib.Path(sys.argv[1]), sys.argv[2]
def load(name):
    return [json.loads(l) for l in (out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
            if l.startswith("{") and '"event"' in l]
def ev(recs, kind, phase=None):
    for r in recs:
        if r.get("event") == kind and (phase is None or r.get("phase") == phase):
            return r
    return {}
mb = lambda kb: f"{kb / 1024:.1f} MB" if kb else "–"
loadavg = [(out / f"loadavg-{w}").read_text().split()[0] for w in ("before", "after")]
print(f"Machine load average (1 min) before / after: {loadavg[0]} / {loadavg[1]} on {__import__('os').cpu_count()} cores. "
      f"Code: {' '.join((out / 'code-version').read_text().split(chr(10))).strip() if (out / 'code-version').exists() else '?'}.")
print()
print(f"| server | document | sync | request round trip (floor) | didOpen → diagnostics | didChange → diagnostics: median (min–max), n={changes} | server CPU per change | server RSS at the end |")
print("|---|---|---|---:|---:|---:|---:|---:|")
for doc, label in (("7kb", "7 KB (004)"), ("1mb", "1 MB (004 × 144)")):
    for srv in ("nianbao", "autocorrect"):
        r = load(f"{srv}-{doc}")
        lat, s, m, rtt = ev(r, "latency"), ev(r, "summary"), ev(r, "memory", "after-changes"), ev(r, "rtt")
        sync = {1: "full", 2: "incremental"}.get(s.get("text_document_sync_change"), "?")
        if lat:
            cell = f"**{lat['ms_median']} ms** ({lat['ms_min']}–{lat['ms_max']})"
        elif s.get("exit") == 3:
            cell = "no result after the 1st change (probe exit 3: nothing within the timeout)"
        else:
            cell = f"failed (probe exit {s.get('exit')})"
        cpu = lat.get("server_cpu_ms_per_change")
        print(f"| {srv} | {label} | {sync} | {rtt.get('ms_median', '–')} ms | {s.get('didopen_to_diagnostics_ms', '–')} ms | {cell} | "
              f"{'–' if cpu is None else str(cpu) + ' ms'} | "
              f"{mb(m.get('vm_rss_kb') or ev(r, 'memory', 'doc-open').get('vm_rss_kb'))} |")
print()
print("| server | RSS idle (initialized) | RSS, 1 report open | RSS, 100 reports open | peak (VmHWM) | opening 99 more | didChange median with 100 open |")
print("|---|---:|---:|---:|---:|---:|---:|")
for srv in ("nianbao", "autocorrect"):
    r = load(f"{srv}-open100")
    i, o, d, a, lat = (ev(r, "memory", "initialized"), ev(r, "memory", "doc-open"), ev(r, "memory", "docs-open"),
                       ev(r, "memory", "after-changes"), ev(r, "latency"))
    print(f"| {srv} | {mb(i.get('vm_rss_kb'))} | {mb(o.get('vm_rss_kb'))} | **{mb(d.get('vm_rss_kb'))}** "
          f"({d.get('docs_open')} docs) | {mb(a.get('vm_hwm_kb'))} | {d.get('open_ms', '–')} ms | {lat.get('ms_median', '–')} ms |")
PY

if [ "$profile" = 1 ]; then
  echo "== perf: nianbao, 1 MB, 10 edits" >&2
  perf record -q -F 500 --call-graph dwarf,16384 -o "$out/perf-1mb.data" -- \
    python3 "$root/bench/lsp-probe.py" "$NB" "$big" --timeout 60 --changes 10 \
    > /dev/null 2> "$out/perf-1mb.log"
  echo
  echo "perf, nianbao server threads, 1 MB document, 10 edits: inclusive share of all samples"
  echo "(the probe's python3 is the rest; tokio names every worker thread tokio-rt-worker)"
  perf report -i "$out/perf-1mb.data" --comms nianbao,tokio-rt-worker --no-children --sort comm \
    --stdio -q -g none 2>/dev/null | grep '%'
  perf report -i "$out/perf-1mb.data" --comms nianbao,tokio-rt-worker --children --sort symbol \
    --stdio -q -g none 2>/dev/null | grep '%' \
    | grep -E '(nianbao_core::(parse::parse|rules::check|rules::run)|nianbao_lsp::|serde_json::(ser|value::ser)|tower_lsp_server::|ropey::|_int_free|malloc_consolidate|_int_malloc)' \
    | grep -vE 'inlined|closure_env|poll<|catch_unwind|call_once|do_call' | head -30 | cut -c1-140
fi
