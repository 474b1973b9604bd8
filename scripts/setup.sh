#!/usr/bin/env bash
# Install what the project needs (idempotent; quick when already installed):
# Debian packages (Tesseract OCR), then the project and its development tools.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
python3 -m pip install --quiet --disable-pip-version-check -e ".[dev]"
