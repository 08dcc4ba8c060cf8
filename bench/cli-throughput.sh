#!/usr/bin/env bash
# CLI throughput of `nianbao check` on a folder of generated reports, side by side (in
# the same run, interleaved round by round) with:
#   - the floor: bench/floor, which only walks the folder, reads each file, validates
#     UTF-8 and splits lines (1 thread, and as many threads as nianbao's rayon pool);
#   - autocorrect: `autocorrect --lint --format json` from the npm package
#     autocorrect-node (the Rust library has no CLI).
#
#   bash bench/cli-throughput.sh            # from the repo root (or anywhere)
#
# Environment: N (reports, default 10000); RUNS (timed rounds, default 3; the best wall
# time counts); AC_FILES (how many of the N reports autocorrect lints, default all; a
# multiple of 100); TIMEOUT (seconds per command, default 900); REV or NIANBAO (which
# nianbao is measured, see below); PGO (the profile-guided build, see below).
#
# It installs what it is missing (Debian `time`, node/npm, autocorrect-node into
# bench/node/), builds nianbao in release and the floor, and generates the corpus into
# bench/out/ (gitignored) once. Peak RSS comes from `/usr/bin/time -v`; wall time from
# `date +%s%N` around it. The page cache is warm: every tool reads the corpus once
# (the validation pass) before the timed rounds.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
N=${N:-10000}
RUNS=${RUNS:-3}
AC_FILES=${AC_FILES:-$N}
TIMEOUT=${TIMEOUT:-900}
AUTOCORRECT_VERSION=2.14.0
OUT=$ROOT/bench/out
CORPUS=$OUT/corpus-$N
THREADS=$(nproc)
mkdir -p "$OUT"

log() { printf '== %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
    if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# --- tools --------------------------------------------------------------------------
[ -x /usr/bin/time ] || { log "installing Debian 'time' (for peak RSS)"; apt_install time; }
command -v python3 >/dev/null || { log "installing python3"; apt_install python3; }
command -v npm >/dev/null || { log "installing node and npm"; apt_install nodejs npm; }
command -v cargo >/dev/null || { echo "cargo is needed (https://rustup.rs)" >&2; exit 2; }

# Which nianbao: NIANBAO=/path/to/binary as it is; REV=<commit> builds that commit from a
# clean `git archive` export (so others' uncommitted edits are not measured); by default
# the working tree, as `cargo build --release -p nianbao` builds it.
NIANBAO_SET=${NIANBAO:-${REV:-}}
if [ -n "${NIANBAO:-}" ]; then
    MEASURED="the binary $NIANBAO"
elif [ -n "${REV:-}" ]; then
    sha=$(git rev-parse --verify "$REV^{commit}")
    src=$OUT/src-${sha:0:12}
    if ! [ -f "$src/Cargo.toml" ]; then
        log "exporting commit ${sha:0:12} into ${src#"$ROOT"/}"
        rm -rf "$src" && mkdir -p "$src"
        git archive "$sha" | tar -x -C "$src"
    fi
    log "building nianbao at ${sha:0:12} (release)"
    cargo build --release --quiet -p nianbao --manifest-path "$src/Cargo.toml" --target-dir "$OUT/target-rev"
    NIANBAO=$OUT/target-rev/release/nianbao
    MEASURED="commit ${sha:0:12} (clean export)"
else
    log "building nianbao (release)"
    cargo build --release --quiet -p nianbao
    NIANBAO=$(cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/nianbao
    MEASURED="the working tree at $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    [ -z "$(git status --porcelain -- crates Cargo.toml Cargo.lock 2>/dev/null)" ] ||
        MEASURED="$MEASURED with uncommitted changes"
fi
log "nianbao: $MEASURED"

# The profile-guided build (scripts/build-pgo: what release binaries and `npm run package
# -- --pgo` ship) is measured beside the plain one: PGO=1 (the default when the working
# tree is measured) builds it, PGO=/path/to/binary takes that binary, PGO=0 skips it.
PGO=${PGO:-$([ -n "${NIANBAO_SET:-}" ] && echo 0 || echo 1)}
NIANBAO_PGO=
if [ "$PGO" = 1 ]; then
    log "building nianbao with profile-guided optimisation (scripts/build-pgo)"
    NIANBAO_PGO=$(scripts/build-pgo)
elif [ "$PGO" != 0 ]; then
    NIANBAO_PGO=$PGO
fi
[ -z "$NIANBAO_PGO" ] || log "nianbao (PGO): $NIANBAO_PGO"

log "building the floor (bench/floor, not in the workspace)"
cargo build --release --quiet --manifest-path bench/floor/Cargo.toml --target-dir "$OUT/target"
FLOOR=$OUT/target/release/nianbao-bench-floor

AUTOCORRECT=$ROOT/bench/node/node_modules/.bin/autocorrect
if ! [ -x "$AUTOCORRECT" ] || [ "$("$AUTOCORRECT" --version 2>/dev/null)" != "AutoCorrect $AUTOCORRECT_VERSION" ]; then
    log "installing autocorrect-node@$AUTOCORRECT_VERSION into bench/node"
    npm install --prefix bench/node --no-audit --no-fund --loglevel=error \
        "autocorrect-node@$AUTOCORRECT_VERSION" >&2
fi

# --- corpus -------------------------------------------------------------------------
if ! [ -f "$CORPUS/.complete" ]; then
    log "generating $N reports into ${CORPUS#"$ROOT"/}"
    rm -rf "$CORPUS" "$CORPUS.tmp"
    python3 bench/gen-corpus.py --count "$N" --out "$CORPUS.tmp"
    touch "$CORPUS.tmp/.complete"
    mv "$CORPUS.tmp" "$CORPUS"
fi
# autocorrect's paths, relative to the corpus folder (see below).
if [ "$AC_FILES" -ge "$N" ]; then
    AC_ARGS=(.)
    AC_FILES=$N
else
    AC_ARGS=()
    for ((d = 0; d < AC_FILES / 100; d++)); do AC_ARGS+=("$(printf 'r%03d' "$d")"); done
fi

# --- validation pass (untimed; also warms the page cache) ----------------------------
read -r files bytes lines bad < <(cd "$CORPUS" && "$FLOOR" .)
read -r ac_files ac_bytes _ _ < <(cd "$CORPUS" && "$FLOOR" "${AC_ARGS[@]}")
log "corpus: $files files, $bytes bytes, $lines lines, $bad not UTF-8"
log "autocorrect gets: $ac_files files, $ac_bytes bytes"

"$NIANBAO" check "$CORPUS" --format json --no-progress --exit-zero > "$OUT/nianbao.json"
nb_checked=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["files"])' "$OUT/nianbao.json")
nb_out=$(stat -c %s "$OUT/nianbao.json")
log "nianbao checked $nb_checked files (JSON output: $nb_out bytes)"
[ "$nb_checked" = "$files" ] || { echo "nianbao checked $nb_checked of $files files" >&2; exit 1; }
if [ -n "$NIANBAO_PGO" ]; then
    # The profile-guided build must say exactly what the plain one says.
    "$NIANBAO_PGO" check "$CORPUS" --format json --no-progress --exit-zero > "$OUT/nianbao-pgo.json"
    cmp -s "$OUT/nianbao.json" "$OUT/nianbao-pgo.json" ||
        { echo "the PGO build's JSON output differs from the plain build's" >&2; exit 1; }
    rm -f "$OUT/nianbao-pgo.json"
fi

# autocorrect skips whatever a .gitignore of the current folder's repository ignores,
# and bench/out/ is gitignored: it is run from inside the corpus folder, with relative
# paths, where it lints every .txt file. Its JSON lists each file that has a finding.
(cd "$CORPUS" && "$AUTOCORRECT" --lint --format json "${AC_ARGS[@]}") > "$OUT/autocorrect.json"
ac_linted=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len({m["filepath"] for m in d["messages"]}))' "$OUT/autocorrect.json")
ac_out=$(stat -c %s "$OUT/autocorrect.json")
log "autocorrect reported on $ac_linted of $ac_files files (JSON output: $ac_out bytes)"
[ "$ac_linted" -gt $((ac_files * 9 / 10)) ] || { echo "autocorrect linted only $ac_linted of $ac_files files" >&2; exit 1; }
rm -f "$OUT/nianbao.json" "$OUT/autocorrect.json"

# --- timed rounds --------------------------------------------------------------------
# name | threads | files | bytes | command (run in $CORPUS)
PEERS=(
    "floor|1|$files|$bytes|$FLOOR ."
    "floor|$THREADS|$files|$bytes|$FLOOR --threads $THREADS ."
    "nianbao --format json|$THREADS|$files|$bytes|$NIANBAO check . --format json --no-progress --exit-zero"
    "nianbao --format concise|$THREADS|$files|$bytes|$NIANBAO check . --format concise --no-progress --exit-zero"
    "nianbao --format concise|1|$files|$bytes|env RAYON_NUM_THREADS=1 $NIANBAO check . --format concise --no-progress --exit-zero"
)
if [ -n "$NIANBAO_PGO" ]; then
    PEERS+=(
        "nianbao (PGO) --format json|$THREADS|$files|$bytes|$NIANBAO_PGO check . --format json --no-progress --exit-zero"
        "nianbao (PGO) --format concise|$THREADS|$files|$bytes|$NIANBAO_PGO check . --format concise --no-progress --exit-zero"
    )
fi
PEERS+=(
    "autocorrect --lint --format json|$THREADS|$ac_files|$ac_bytes|$AUTOCORRECT --lint --format json ${AC_ARGS[*]}"
)
RESULTS=$OUT/results.tsv
: > "$RESULTS"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= RUNS; r++)); do
    for i in "${!PEERS[@]}"; do
        IFS='|' read -r name threads nfiles nbytes cmd <<< "${PEERS[$i]}"
        log "round $r/$RUNS: $name ($threads thread(s))"
        t0=$(date +%s%N)
        # shellcheck disable=SC2086 # cmd is split on purpose (no paths with spaces here)
        (cd "$CORPUS" && timeout "$TIMEOUT" /usr/bin/time -v -o "$OUT/time.txt" $cmd > /dev/null)
        t1=$(date +%s%N)
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/time.txt")
        cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$OUT/time.txt")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$name" "$threads" "$nfiles" "$nbytes" \
            "$(( (t1 - t0) / 1000 ))" "$cpu" "$rss" >> "$RESULTS"
    done
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- table ---------------------------------------------------------------------------
python3 - "$RESULTS" "$RUNS" "$THREADS" "$MEASURED" "$LOAD_BEFORE" "$LOAD_AFTER" <<'EOF'
import sys
rows, runs, nthreads, measured = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
load_before, load_after = sys.argv[5], sys.argv[6]
best = {}
for line in open(rows):
    i, name, threads, files, nbytes, us, cpu, rss = line.rstrip("\n").split("\t")
    k = int(i)
    s = int(us) / 1e6
    b = best.get(k)
    if b is None:
        best[k] = dict(name=name, threads=int(threads), files=int(files), bytes=int(nbytes),
                       s=s, cpu=float(cpu), rss=int(rss), times=[s])
    else:
        b["times"].append(s)
        b["rss"] = max(b["rss"], int(rss))
        if s < b["s"]:
            b["s"], b["cpu"] = s, float(cpu)
per_mb = {k: v["s"] / (v["bytes"] / 1e6) for k, v in best.items()}
cpu_mb = {k: v["cpu"] / (v["bytes"] / 1e6) for k, v in best.items()}
floor = {v["threads"]: per_mb[k] for k, v in best.items() if v["name"] == "floor"}
floor_cpu = next(cpu_mb[k] for k, v in best.items() if v["name"] == "floor" and v["threads"] == 1)
ac = next(per_mb[k] for k, v in best.items() if v["name"].startswith("autocorrect"))
print(f"\nnianbao: {measured}; best of {runs} (wall), peak RSS = max over the runs, {nthreads} CPUs, "
      f"load average {load_before} before and {load_after} after\n")
print("| program | threads | files | MB | seconds | CPU s | MB/s | files/s | peak RSS (MiB) | × floor time | × 1-thread floor time | × floor CPU | × faster than autocorrect |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
def cpu_x(k):  # the 1-thread floor's CPU time can round to 0 on a small corpus
    return f"{cpu_mb[k] / floor_cpu:.1f}×" if floor_cpu else "–"
for k in sorted(best):
    v = best[k]
    mb = v["bytes"] / 1e6
    f = floor.get(v["threads"], floor[max(floor)])
    print(f"| {v['name']} | {v['threads']} | {v['files']:,} | {mb:.1f} | {v['s']:.3f} | {v['cpu']:.2f} "
          f"| {mb / v['s']:.1f} | {v['files'] / v['s']:,.0f} | {v['rss'] / 1024:.1f} "
          f"| {per_mb[k] / f:.1f}× | {per_mb[k] / floor[1]:.2f}× | {cpu_x(k)} | {ac / per_mb[k]:.1f}× |")
print("\nall wall times (s): " + "; ".join(
    f"{v['name']} ({v['threads']}t): " + ", ".join(f"{t:.3f}" for t in v["times"])
    for _, v in sorted(best.items())))
print("MB = 10^6 bytes. × floor time = wall seconds per MB over the floor's with the same thread "
      "count; × 1-thread floor time = over the 1-thread floor's (the issue's goal: ≤ 3×); × floor CPU = CPU (user+sys) seconds per MB over the 1-thread floor's; "
      "× faster than autocorrect = autocorrect's wall seconds per MB over this row's.")
EOF
