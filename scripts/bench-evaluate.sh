#!/usr/bin/env bash
# One evaluation of 100 SLOs over 30 days of minutes: time and peak memory (scimwatch bench-evaluate).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product scimwatch >/dev/null
.build-release/release/scimwatch bench-evaluate --slos "${1:-100}" --days "${2:-30}"
