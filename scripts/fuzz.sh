#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser (libFuzzer with AddressSanitizer), run by hand, not in CI.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]: each target for SECONDS (default 600), one after another.
# Targets (scripts/fuzz/TARGET.swift): native okta entra scim-server json poll (default: all).
# Each target is one binary, .build-fuzz/fuzz-TARGET: ScimCore's sources, compiled once with the
# instrumentation, and the entry point. Its corpus, .build-fuzz/corpus/TARGET, is kept between runs and
# seeded each run from Tests/Fixtures/samples and scripts/fuzz/seeds (whole files, and each line of a
# .jsonl file). A crash or a hang leaves its input in .build-fuzz/TARGET-crash-* (or -timeout-*, -oom-*);
# the script then exits 1.
# Prints one Markdown row per target for docs/fuzzing.md: seconds, execs, corpus, result.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-600}
shift $(($# > 0))
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(native okta entra scim-server json poll)
OUT=.build-fuzz
SAMPLES=Tests/Fixtures/samples
SEEDS=scripts/fuzz/seeds
FLAGS=(-sanitize=fuzzer,address -O -parse-as-library -I "$OUT" -I "$OUT/CPrefetch")

seeds() { # target: its seed files
    case $1 in
    native) echo $SAMPLES/native.jsonl ;;
    okta) echo $SAMPLES/okta.jsonl ;;
    entra) echo $SAMPLES/entra-*.jsonl $SEEDS/entra-* ;;
    scim-server) echo $SEEDS/scim-server.jsonl ;;
    json) echo $SEEDS/json.jsonl $SAMPLES/native.jsonl ;;
    poll) echo $SAMPLES/queue.json $SAMPLES/reconciler.json $SAMPLES/entra-sync-job.json $SEEDS/poll-json.json ;;
    *) echo "unknown target: $1" >&2; exit 2 ;;
    esac
}
for t in "${TARGETS[@]}"; do seeds "$t" >/dev/null; done

# ScimCore as a static library, rebuilt when a source changed. CPrefetch is one header: a module map
# naming it is all SwiftPM's C target gives ScimCore.
mkdir -p "$OUT/CPrefetch"
echo "module CPrefetch { header \"$PWD/Sources/CPrefetch/include/prefetch.h\" export * }" >"$OUT/CPrefetch/module.modulemap"
if [ ! -e "$OUT/libScimCore.a" ] || [ -n "$(find Sources/ScimCore Sources/CPrefetch -newer "$OUT/libScimCore.a" | head -1)" ]; then
    echo "compiling ScimCore (a few minutes)"
    nice -n 10 swiftc "${FLAGS[@]}" -wmo -module-name ScimCore -emit-module -emit-module-path "$OUT/ScimCore.swiftmodule" \
        -emit-library -static -o "$OUT/libScimCore.a" $(find Sources/ScimCore -name '*.swift' | sort)
fi

echo "| target | seconds | execs | corpus | result |"
echo "|---|---|---|---|---|"
failed=0
for t in "${TARGETS[@]}"; do
    nice -n 10 swiftc "${FLAGS[@]}" -use-ld=lld -module-name Fuzz -o "$OUT/fuzz-$t" \
        "scripts/fuzz/$t.swift" $([ "$t" = poll ] || echo scripts/fuzz/Engine.swift) "$OUT/libScimCore.a"
    rm -rf "$OUT/seeds/$t"
    mkdir -p "$OUT/seeds/$t" "$OUT/corpus/$t"
    for f in $(seeds "$t"); do
        cp "$f" "$OUT/seeds/$t/"
        case $f in *.jsonl) split -l 1 -d -a 3 "$f" "$OUT/seeds/$t/$(basename "$f")." ;; esac
    done
    status=0
    # -timeout: one input taking this long on a loaded machine is a hang worth a look, not noise.
    # No leak checks: LeakSanitizer cannot follow a Swift reference that holds an enum's tag in its
    # spare bits, so it reports what a global holds (the json target's mapping) as leaked.
    ASAN_OPTIONS=detect_leaks=0 nice -n 10 "$OUT/fuzz-$t" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
        -timeout=25 -dict=scripts/fuzz/json.dict -artifact_prefix="$OUT/$t-" "$OUT/corpus/$t" "$OUT/seeds/$t" \
        >"$OUT/fuzz-$t.log" 2>&1 || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/fuzz-$t.log" | tail -1)
    corpus=$(grep -o 'corp: [0-9]*/[0-9a-zA-Z]*' "$OUT/fuzz-$t.log" | tail -1 | cut -c7-)
    if [ $status -eq 0 ]; then result="no crash"; else result="failed ($status): see $OUT/fuzz-$t.log"; failed=1; fi
    echo "| $t | $SECONDS_EACH | ${execs:-?} | $corpus | $result |"
done
exit $failed
