#!/usr/bin/env bash
# Memory for one million open operations: a million deprovision requests that never complete, replayed,
# against a baseline of the same lines with operations disabled. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-1000000}
swift build -c release --scratch-path .build-release --product scimwatch >/dev/null
BIN=.build-release/release/scimwatch
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# One request per subject over 50 minutes of event time (none reaches the 24h timeout).
awk -v n="$COUNT" 'BEGIN {
    for (i = 0; i < n; i++) {
        ms = 1763251200000 + int(i * 3000000 / n)
        printf "{\"time\":%d,\"tenant\":\"tenant-%02d\",\"target\":\"app-%02d\",\"operation\":\"disable\",\"phase\":\"requested\",\"subject\":\"u%09d\",\"id\":\"r-%d\"}\n", ms, i % 7, i % 23, i, i
    }
}' >"$WORK/open.log"
echo "operations: {enabled: false}" >"$WORK/off.yaml"

run() { /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >"$WORK/out" 2>/dev/null; cat "$WORK/t"; }
read -r ON_S ON_KB < <(run "$BIN" replay "$WORK/open.log")
read -r OFF_S OFF_KB < <(run "$BIN" replay --config "$WORK/off.yaml" "$WORK/open.log")
"$BIN" replay "$WORK/open.log" | awk '/^scim_operations_open\{/ {s+=$2} END {print s}' >"$WORK/open.count"

echo "| run | open operations | wall s | peak RSS MB |"
echo "|---|---|---|---|"
printf "| operations on | %s | %s | %.0f |\n" "$(cat "$WORK/open.count")" "$ON_S" "$(echo "$ON_KB/1024" | bc -l)"
printf "| operations off (baseline) | 0 | %s | %.0f |\n" "$OFF_S" "$(echo "$OFF_KB/1024" | bc -l)"
printf "\nAbout %.0f bytes per open operation.\n" "$(echo "($ON_KB - $OFF_KB) * 1024 / $COUNT" | bc -l)"
