#!/usr/bin/env bash
# The test command: install, start a real Kafka broker and PostgreSQL, lint, run every test, stop them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/kafka.sh start
trap 'scripts/kafka.sh stop' EXIT
scripts/postgres.sh start
trap 'scripts/postgres.sh stop; scripts/kafka.sh stop' EXIT
ruff check services models training claimgen tests benchmarks
lint-imports
mypy services models
python3 -m pytest "$@"
