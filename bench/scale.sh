#!/usr/bin/env bash
# Scale: `nianbao check --format json` on a 10,000-report folder and on one 100 MB file,
# with wall time, files/s, MB/s and peak RSS; and the language server on a 10 MB document.
#
#   bash bench/scale.sh                 # from anywhere; results in bench/out/scale/
#
# What it runs (every command is printed before it runs):
#   1. the corpus: bench/gen-corpus.py (deterministic) writes bench/out/corpus-$N (N=10000
#      reports, 69 MB; the folder bench/cli-throughput.sh uses too), bench/out/big-100mb.txt
#      (the same reports concatenated to 100 MB) and the 10 MB documents for the server;
#   2. `nianbao check --format json --exit-zero --no-progress` on the folder with
#      RAYON_NUM_THREADS=1 and =2 (files/s per core), on its first 1,000 files (peak memory
#      must not grow with the number of files), and on the 100 MB and 10 MB files; each
#      under `/usr/bin/time -v` (peak RSS, CPU), stdout counted by `wc -c`, the page cache
#      warmed first; RUNS rounds (default 1), the best wall time kept;
#   3. `bench/lsp-probe.py` against `nianbao server --debounce-ms 0` on a 10 MB document
#      of concatenated reports and on one 10 MB report: didOpen → diagnostics, CHANGES
#      incremental edits (default 10) → diagnostics, request round trip, server memory.
#
# Environment: N (reports, 10000), BIG_MB (100), LSP_MB (10), RUNS (1), CHANGES (10),
# NIANBAO (a nianbao binary to measure; default: `cargo build --release -p nianbao` of the
# working tree). Needs python3 and /usr/bin/time (Debian `time`, installed if missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
N=${N:-10000}
BIG_MB=${BIG_MB:-100}
LSP_MB=${LSP_MB:-10}
RUNS=${RUNS:-1}
CHANGES=${CHANGES:-10}
OUT=$ROOT/bench/out
RES=$OUT/scale
mkdir -p "$RES"
log() { printf '== %s\n' "$*" >&2; }

if [ ! -x /usr/bin/time ]; then
  log "installing Debian 'time' (for peak RSS)"
  sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >&2
fi

if [ -z "${NIANBAO:-}" ]; then
  log "cargo build --release --locked -p nianbao"
  cargo build --release --locked -p nianbao >&2
  NIANBAO=$ROOT/target/release/nianbao
fi
{ git rev-parse --short HEAD
  git status --porcelain -- crates Cargo.lock | grep -q . && echo "+ uncommitted changes under crates/" || true
} >"$RES/code-version"

# --- inputs ---------------------------------------------------------------------------
corpus=$OUT/corpus-$N
if [ "$(find "$corpus" -name '*.txt' 2>/dev/null | wc -l)" -ne "$N" ]; then
  log "python3 bench/gen-corpus.py --count $N --out ${corpus#"$ROOT"/}"
  rm -rf "$corpus"
  python3 bench/gen-corpus.py --count "$N" --out "$corpus"
fi
# The first 1,000 files: its ten first folders.
first1000=()
for d in $(cd "$corpus" && ls | head -10); do first1000+=("$corpus/$d"); done
gen_file() { # SIZE_MB PATH [--one-report]
  [ -f "$2" ] && return 0
  log "python3 bench/gen-corpus.py --single-file $1 ${3:-} --out ${2#"$ROOT"/}"
  python3 bench/gen-corpus.py --single-file "$1" ${3:-} --out "$2"
}
big=$OUT/big-${BIG_MB}mb.txt
lsp_many=$OUT/big-${LSP_MB}mb.txt
lsp_one=$OUT/one-${LSP_MB}mb.txt
gen_file "$BIG_MB" "$big"
gen_file "$LSP_MB" "$lsp_many"
gen_file "$LSP_MB" "$lsp_one" --one-report

log "warming the page cache"
find "$corpus" -type f -exec cat {} + >/dev/null
cat "$big" "$lsp_many" "$lsp_one" >/dev/null

# --- the CLI --------------------------------------------------------------------------
results=$RES/cli.tsv
printf 'case\tthreads\tfiles\tbytes\twall_s\tuser_s\tsys_s\tpeak_rss_kib\tstdout_bytes\n' >"$results"
measure() { # CASE THREADS PATH...
  local name=$1 threads=$2 best="" line=""
  shift 2
  local paths=("$@") files bytes
  files=$(find "${paths[@]}" -type f -name '*.txt' | wc -l)
  bytes=$(find "${paths[@]}" -type f -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
  for run in $(seq "$RUNS"); do
    log "[$name $run/$RUNS] RAYON_NUM_THREADS=$threads nianbao check --format json --exit-zero --no-progress ${paths[*]#"$ROOT"/}"
    local t0 t1 out
    t0=$(date +%s%N)
    RAYON_NUM_THREADS=$threads /usr/bin/time -v -o "$RES/$name.time" \
      "$NIANBAO" check --format json --exit-zero --no-progress "${paths[@]}" >"$RES/out.json"
    t1=$(date +%s%N)
    out=$(stat -c %s "$RES/out.json")
    # The totals close the document: {"version": 1, "files": [...], "summary": {...}}.
    tail -c 2000 "$RES/out.json" | grep -o '"summary": *{[^}]*}' | sed 's/^"summary": *//' \
      >"$RES/$name.summary.json"
    rm -f "$RES/out.json"
    local wall user sys rss
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e9}')
    user=$(awk -F': ' '/User time/ {print $2}' "$RES/$name.time")
    sys=$(awk -F': ' '/System time/ {print $2}' "$RES/$name.time")
    rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$RES/$name.time")
    grep -q 'Exit status: 0' "$RES/$name.time" || { echo "nianbao failed on $name" >&2; cat "$RES/$name.time" >&2; exit 1; }
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then
      best=$wall
      line=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$name" "$threads" "$files" "$bytes" "$wall" "$user" "$sys" "$rss" "$out")
    fi
  done
  echo "$line" >>"$results"
}
cat /proc/loadavg >"$RES/loadavg-before"
measure folder-1-thread 1 "$corpus"
measure folder-2-threads 2 "$corpus"
measure first-1000-2-threads 2 "${first1000[@]}"
measure "file-${BIG_MB}mb" 2 "$big"
measure "file-${LSP_MB}mb" 2 "$lsp_many"
measure "one-report-${LSP_MB}mb" 2 "$lsp_one"

# --- the same folder spread with GNU parallel, merged with jq ---------------------------
# The recipe of BENCHMARKS.md ("National corpus") on one machine: 2 jobs of 1 thread, 1,000
# files per invocation; the merged files and totals must equal the single run's.
if command -v parallel >/dev/null && command -v jq >/dev/null; then
  log "find ${corpus#"$ROOT"/} -name '*.txt' | sort | parallel -j2 -n 1000 --xargs env RAYON_NUM_THREADS=1 nianbao check --format json --exit-zero --no-progress > parallel.json"
  t0=$(date +%s%N)
  find "$corpus" -name '*.txt' | sort |
    parallel -j2 -n 1000 --xargs env RAYON_NUM_THREADS=1 \
      "$NIANBAO" check --format json --exit-zero --no-progress >"$RES/parallel.json"
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) / 1e9}' >"$RES/parallel.wall"
  jq -c '.files[]' "$RES/parallel.json" | wc -l >"$RES/parallel.files"
  jq -c '.summary' "$RES/parallel.json" | jq -s -c '{files: (map(.files) | add),
      error: (map(.error) | add), warning: (map(.warning) | add), info: (map(.info) | add),
      hint: (map(.hint) | add)}' >"$RES/parallel.summary.json"
  rm -f "$RES/parallel.json"
else
  log "GNU parallel or jq missing: the parallel recipe is not run (apt-get install parallel jq)"
fi

# --- the language server on 10 MB ------------------------------------------------------
probe() { # NAME DOC
  log "python3 bench/lsp-probe.py '$NIANBAO server --debounce-ms 0' ${2#"$ROOT"/} --timeout 300 --rtt 10 --changes $CHANGES --memory"
  python3 bench/lsp-probe.py "$NIANBAO server --debounce-ms 0" "$2" --timeout 300 --rtt 10 \
    --changes "$CHANGES" --memory >"$RES/$1.jsonl" 2>"$RES/$1.log" ||
    { echo "lsp-probe failed for $1 (see $RES/$1.log)" >&2; tail -5 "$RES/$1.log" >&2; }
}
probe "lsp-${LSP_MB}mb-reports" "$lsp_many"
probe "lsp-one-${LSP_MB}mb-report" "$lsp_one"
cat /proc/loadavg >"$RES/loadavg-after"

# --- the table ------------------------------------------------------------------------
python3 - "$RES" "$LSP_MB" <<'PY' | tee "$RES/results.md"
import csv, json, os, pathlib, sys
res, lsp_mb = pathlib.Path(sys.argv[1]), sys.argv[2]
load = [(res / f"loadavg-{w}").read_text().split()[0] for w in ("before", "after")]
code = " ".join((res / "code-version").read_text().split("\n")).strip()
print(f"Code: {code}. Load average (1 min) before / after: {load[0]} / {load[1]} on {os.cpu_count()} cores.")
print()
print("| case | threads | files | MB | wall s | CPU s | files/s | MB/s | files/s per CPU s | peak RSS MiB | JSON out MB |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in csv.DictReader(open(res / "cli.tsv"), delimiter="\t"):
    files, mb, wall = int(r["files"]), int(r["bytes"]) / 1e6, float(r["wall_s"])
    cpu = float(r["user_s"]) + float(r["sys_s"])
    print(f"| {r['case']} | {r['threads']} | {files:,} | {mb:.1f} | {wall:.2f} | {cpu:.2f} | "
          f"{files / wall:,.0f} | {mb / wall:.1f} | {files / cpu:,.0f} | "
          f"{int(r['peak_rss_kib']) / 1024:.1f} | {int(r['stdout_bytes']) / 1e6:.1f} |")
pw = res / "parallel.wall"
if pw.exists():
    one = json.loads((res / "folder-2-threads.summary.json").read_text())
    par = json.loads((res / "parallel.summary.json").read_text())
    keys = ("files", "error", "warning", "info", "hint")
    same = all(one[k] == par[k] for k in keys)
    print()
    print(f"GNU parallel (-j2, 1,000 files per call, 1 thread each), merged with jq: "
          f"{float(pw.read_text()):.2f} s wall, {int((res / 'parallel.files').read_text()):,} file objects; "
          f"totals {'equal' if same else 'DIFFER from'} the single run's "
          f"({', '.join(f'{k} {par[k]:,}' for k in keys)}).")
print()
print("| server, document | didOpen → diagnostics | didChange → diagnostics, median (min–max) | server CPU per change | request round trip | server RSS (peak) |")
print("|---|---:|---:|---:|---:|---:|")
for name, label in ((f"lsp-{lsp_mb}mb-reports", f"{lsp_mb} MB, concatenated reports"),
                    (f"lsp-one-{lsp_mb}mb-report", f"{lsp_mb} MB, one report")):
    p = res / f"{name}.jsonl"
    ev = [json.loads(l) for l in p.read_text().splitlines() if l.startswith("{") and '"event"' in l] if p.exists() else []
    get = lambda k, ph=None: next((e for e in ev if e.get("event") == k and (ph is None or e.get("phase") == ph)), {})
    s, lat, rtt, mem = get("summary"), get("latency"), get("rtt"), get("memory", "after-changes")
    cell = f"{lat['ms_median']} ms ({lat['ms_min']}–{lat['ms_max']})" if lat else f"failed (probe exit {s.get('exit')})"
    rss = f"{mem['vm_rss_kb'] / 1024:.0f} MiB ({mem['vm_hwm_kb'] / 1024:.0f})" if mem else "–"
    print(f"| {label} | {s.get('didopen_to_diagnostics_ms', '–')} ms | {cell} | "
          f"{lat.get('server_cpu_ms_per_change', '–')} ms | {rtt.get('ms_median', '–')} ms | {rss} |")
PY
