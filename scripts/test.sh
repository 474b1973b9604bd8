#!/usr/bin/env bash
# The test command: install, start a real Kafka broker, PostgreSQL and Keycloak, lint, run every test, stop them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Debian's Chromium for the browser tests (tests/e2e, Playwright drives it; no browser is downloaded).
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed"; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium
fi
scripts/kafka.sh start
trap 'scripts/kafka.sh stop' EXIT
scripts/postgres.sh start
trap 'scripts/postgres.sh stop; scripts/kafka.sh stop' EXIT
scripts/keycloak.sh start
trap 'scripts/keycloak.sh stop; scripts/postgres.sh stop; scripts/kafka.sh stop' EXIT
make lint
python3 -m pytest "$@"
