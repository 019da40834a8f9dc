#!/usr/bin/env bash
# The whole test suite: installs what the tests need (Debian packages), builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -e /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
[ -e /usr/include/curl/curl.h ] || missing+=(libcurl4-openssl-dev)
command -v promtool >/dev/null || missing+=(prometheus)
command -v openssl >/dev/null || missing+=(openssl)
command -v chromium >/dev/null || missing+=(chromium)
command -v amtool >/dev/null || missing+=(prometheus-alertmanager)
# Debian installs Alertmanager as prometheus-alertmanager.
command -v prometheus-alertmanager >/dev/null || command -v alertmanager >/dev/null || missing+=(prometheus-alertmanager)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

swift build --build-tests
# One test at a time: several tests wait on child processes and servers, and on a 2-core machine
# parallel tests starved the async services of others (a timeout under load, never a wrong answer).
swift test --skip-build --no-parallel
