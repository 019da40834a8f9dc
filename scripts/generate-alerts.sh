#!/usr/bin/env bash
# Regenerates Alerts/scimwatch-rules.yml from the built-in configuration (what `scimwatch rules`
# prints), then checks it and its unit tests with promtool when promtool is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product scimwatch
"$(swift build --show-bin-path)/scimwatch" rules > Alerts/scimwatch-rules.yml
echo "wrote Alerts/scimwatch-rules.yml"
if command -v promtool >/dev/null; then
    promtool check rules Alerts/scimwatch-rules.yml
    promtool test rules Alerts/tests/*.yml
fi
