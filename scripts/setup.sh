#!/usr/bin/env bash
# Install the project and its development tools (idempotent; quick when already installed).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e ".[dev]"
