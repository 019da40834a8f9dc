#!/usr/bin/env python3
"""Compares scimwatch builds on one log, interleaved, in both modes: operations off (ingest only) and on.

Usage: scripts/bench-compare.py RUNS LOG BIN [BIN...]
  e.g. scripts/bench-compare.py 8 /tmp/bench.log /tmp/scimwatch-before .build-release/release/scimwatch
Each round runs every binary once in each mode, so a noisy machine slows all of them alike; prints the
minimum and median CPU seconds (user + system) of `scimwatch replay` per binary and mode, and full / ingest
(of the medians, and the median of each round's own ratio).
"""
import resource, statistics, subprocess, sys, tempfile

runs, log, bins = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    f.write("operations: {enabled: false}\n")
    ingest_only = f.name
times = {(b, m): [] for b in bins for m in ("ingest", "full")}
for _ in range(runs):
    for b in bins:
        for mode in ("ingest", "full"):
            args = [b, "replay"] + (["--config", ingest_only] if mode == "ingest" else []) + [log]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times[(b, mode)].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
print("| build | ingest only: min s | median s | operations on: min s | median s | on / off (medians) "
      "| on / off (median of each round's) |")
print("|---|---|---|---|---|---|---|")
for b in bins:
    i, f = times[(b, "ingest")], times[(b, "full")]
    # A round's two runs are back to back, so their ratio shares the host's mood of that moment.
    per_round = statistics.median(y / x for x, y in zip(i, f))
    print(f"| {b} | {min(i):.3f} | {statistics.median(i):.3f} | {min(f):.3f} | {statistics.median(f):.3f} "
          f"| {statistics.median(f) / statistics.median(i):.2f} | {per_round:.2f} |")
