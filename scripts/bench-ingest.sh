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

# Each round runs all three once, so a slow minute of this (shared, noisy) host slows each of them alike
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
SW_REQ=$(awk '/^scim_requests_total\{/ {s+=$2} END {print s}' "$WORK/scimwatch.out")
SW_DUP=$(awk '/^scimwatch_events_duplicate_total\{/ {s+=$2} END {print s}' "$WORK/scimwatch.out")
MT_REQ=$(awk '/^scim_requests_total\{/ {s+=$2} END {printf "%d", s}' "$WORK/mtail.out")

rate() { awk -v n="$LINES" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
echo "| tool | lines | MB | wall s (best of $RUNS rounds) | lines/s | MB/s | peak RSS MB | requests counted |"
echo "|---|---|---|---|---|---|---|---|"
printf "| scimwatch replay | %d | %.0f | %s | %s | %.0f | %.0f | %s (+%s duplicate lines dropped) |\n" \
    "$LINES" "$(echo "$BYTES/1000000" | bc -l)" "$SW_S" "$(rate "$SW_S")" "$(echo "$BYTES/1000000/$SW_S" | bc -l)" "$(echo "$SW_KB/1024" | bc -l)" "$SW_REQ" "$SW_DUP"
printf "| scimwatch replay, operations off (ingest only) | %d | %.0f | %s | %s | %.0f | %.0f | same |\n" \
    "$LINES" "$(echo "$BYTES/1000000" | bc -l)" "$IO_S" "$(rate "$IO_S")" "$(echo "$BYTES/1000000/$IO_S" | bc -l)" "$(echo "$IO_KB/1024" | bc -l)"
printf "| mtail one-shot | %d | %.0f | %s | %s | %.0f | %.0f | %s |\n" \
    "$LINES" "$(echo "$BYTES/1000000" | bc -l)" "$MT_S" "$(rate "$MT_S")" "$(echo "$BYTES/1000000/$MT_S" | bc -l)" "$(echo "$MT_KB/1024" | bc -l)" "$MT_REQ"
if [ -n "$BASELINE" ]; then
    read -r BL_S BL_KB _ < <(best baseline)
    BL_REQ=$(awk '/^scim_requests_total\{/ {s+=$2} END {print s}' "$WORK/baseline.out")
    printf "| scimwatch replay at %s (ingest only, before the correlator) | %d | %.0f | %s | %s | %.0f | %.0f | %s |\n" \
        "$BASELINE" "$LINES" "$(echo "$BYTES/1000000" | bc -l)" "$BL_S" "$(rate "$BL_S")" "$(echo "$BYTES/1000000/$BL_S" | bc -l)" "$(echo "$BL_KB/1024" | bc -l)" "$BL_REQ"
fi
echo
awk -v a="$MT_S" -v b="$SW_S" -v c="$IO_S" -v r="$CPU_RATIO" 'BEGIN {
    printf "scimwatch is %.1fx faster than mtail with operations on, %.1fx with them off; operations add %.0f%% (best wall times), %.0f%% (CPU time, median of the rounds'"'"' ratios).\n", a / b, a / c, (b / c - 1) * 100, (r - 1) * 100 }'
if [ -n "$BASELINE" ]; then
    awk -v a="$SW_S" -v b="$BL_S" -v r="$(cpu_ratio scimwatch baseline)" -v base="$BASELINE" 'BEGIN {
        printf "With operations on, scimwatch takes %.0f%% of the time of the ingest-only build at %s (best wall times), %.0f%% (CPU time, median of the rounds'"'"' ratios).\n", a / b * 100, base, r * 100 }'
fi
