#!/usr/bin/env bash
# Ingest benchmark: `scimwatch replay` against mtail on the same generated native log.
# Usage: scripts/bench-ingest.sh [LINES] (default 1000000). Prints a Markdown table for docs/benchmarks.md.
# The mtail program (scripts/bench/scim_requests.mtail) computes the same request counters and histogram.
# BASELINE=REV also times the build of an older commit (its defaults, no configuration), built in a
# temporary worktree (a few minutes): BASELINE=c1bf294 is the last commit before the operation
# correlator, whose figure is the ingest-only figure that issue 3's target compares with.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-1000000}
RUNS=${RUNS:-3}
BASELINE=${BASELINE:-}

command -v mtail >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mtail >/dev/null; }
swift build -c release --scratch-path .build-release --product scimwatch >/dev/null
BIN=.build-release/release/scimwatch
WORK=$(mktemp -d)
trap '[ -z "$BASELINE" ] || git worktree remove --force "$WORK/baseline" 2>/dev/null; rm -rf "$WORK"' EXIT
if [ -n "$BASELINE" ]; then
    git worktree add --detach "$WORK/baseline" "$BASELINE" >/dev/null 2>&1
    swift build -c release --package-path "$WORK/baseline" --scratch-path "$WORK/baseline/.build-release" \
        --product scimwatch >"$WORK/baseline-build.log" 2>&1 || { cat "$WORK/baseline-build.log" >&2; exit 1; }
    BASE_BIN=$WORK/baseline/.build-release/release/scimwatch
fi

"$BIN" generate --lines "$LINES" --out "$WORK/bench.log" 2>/dev/null
BYTES=$(stat -c %s "$WORK/bench.log")
cat "$WORK/bench.log" >/dev/null # page cache warm for both

# Each round runs each tool once, so a slow minute of this (shared, noisy) host slows each of them alike
# instead of one; each figure is the best wall time of $RUNS rounds, with the peak RSS of that run, and
# the CPU-time ratio of the two scimwatch modes is the median of the rounds' own ratios.
once() { # name, command...: appends "wall KiB cpu" of one run to $WORK/name.times (cpu = user + system s)
    local name=$1; shift
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/$name.t" "$@" >"$WORK/$name.out" 2>/dev/null
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$WORK/$name.t" >>"$WORK/$name.times"
}
echo "operations: {enabled: false}" >"$WORK/ingest-only.yaml"
for _ in $(seq "$RUNS"); do
    once scimwatch "$BIN" replay "$WORK/bench.log"
    once ingestonly "$BIN" replay --config "$WORK/ingest-only.yaml" "$WORK/bench.log"
    once mtail mtail --one_shot --one_shot_format=prometheus --logtostderr=false \
        --progs scripts/bench/scim_requests.mtail --logs "$WORK/bench.log"
    if [ -n "$BASELINE" ]; then once baseline "$BASE_BIN" replay "$WORK/bench.log"; fi
done
best() { sort -n "$WORK/$1.times" | head -1; }
read -r SW_S SW_KB _ < <(best scimwatch)
read -r IO_S IO_KB _ < <(best ingestonly)
read -r MT_S MT_KB _ < <(best mtail)
# The steadier measure of what operations add: each round's scimwatch runs are back to back, so the
# ratio of their CPU times shares that moment's host; the median over rounds.
cpu_ratio() { # the median over rounds of the CPU time of $1 over that of $2
    paste "$WORK/$1.times" "$WORK/$2.times" | awk '{ print $3 / $6 }' | sort -n |
        awk '{ r[NR] = $1 } END { printf "%.2f", NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }'
}
CPU_RATIO=$(cpu_ratio scimwatch ingestonly)

# Both must agree: mtail counts duplicate lines that scimwatch drops (by event id).
requests() { awk '/^scim_requests_total\{/ {s+=$2} END {printf "%d", s}' "$WORK/$1.out"; }
SW_DUP=$(awk '/^scimwatch_events_duplicate_total\{/ {s+=$2} END {print s}' "$WORK/scimwatch.out")

row() { # tool, best wall s, its peak RSS KiB, requests counted: one row of the table
    awk -v tool="$1" -v s="$2" -v kb="$3" -v counted="$4" -v n="$LINES" -v bytes="$BYTES" 'BEGIN {
        printf "| %s | %d | %.0f | %s | %.0f | %.0f | %.0f | %s |\n", tool, n, bytes / 1e6, s, n / s, bytes / 1e6 / s, kb / 1024, counted }'
}
echo "| tool | lines | MB | wall s (best of $RUNS rounds) | lines/s | MB/s | peak RSS MB | requests counted |"
echo "|---|---|---|---|---|---|---|---|"
row "scimwatch replay" "$SW_S" "$SW_KB" "$(requests scimwatch) (+$SW_DUP duplicate lines dropped)"
row "scimwatch replay, operations off (ingest only)" "$IO_S" "$IO_KB" same
row "mtail one-shot" "$MT_S" "$MT_KB" "$(requests mtail)"
if [ -n "$BASELINE" ]; then
    read -r BL_S BL_KB _ < <(best baseline)
    row "scimwatch replay at $BASELINE (its defaults)" "$BL_S" "$BL_KB" "$(requests baseline)"
fi
echo
awk -v a="$MT_S" -v b="$SW_S" -v c="$IO_S" -v r="$CPU_RATIO" 'BEGIN {
    printf "scimwatch is %.1fx faster than mtail with operations on, %.1fx with them off; operations add %.0f%% (best wall times), %.0f%% (CPU time, median of the rounds'"'"' ratios).\n", a / b, a / c, (b / c - 1) * 100, (r - 1) * 100 }'
if [ -n "$BASELINE" ]; then
    awk -v a="$SW_S" -v b="$BL_S" -v r="$(cpu_ratio scimwatch baseline)" -v base="$BASELINE" 'BEGIN {
        printf "With operations on, scimwatch takes %.0f%% of the time of the build at %s (best wall times), %.0f%% (CPU time, median of the rounds'"'"' ratios).\n", a / b * 100, base, r * 100 }'
fi
