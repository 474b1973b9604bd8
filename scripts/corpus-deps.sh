#!/usr/bin/env bash
# What rebuilding the route corpora needs (python -m claimgen.corpus_routes build, see
# claimgen/corpus_routes/README.md): LibreOffice Writer, Chromium, pandoc, Ghostscript and fonts
# from Debian, python-docx and odfpy from PyPI. The tests read the committed corpora and need none
# of it. Idempotent and prompt-free: installs only what is missing; run as root (CI) or with sudo.
set -euo pipefail

PACKAGES=(libreoffice-writer-nogui chromium pandoc ghostscript fonts-dejavu-core fonts-liberation2)
PYTHON_PACKAGES=(python-docx odfpy)
PYTHON="${PYTHON:-python3}"

bash "$(dirname "$0")/system-deps.sh" "${PACKAGES[@]}"

if ! "$PYTHON" -c "import docx, odf" 2>/dev/null; then
    "$PYTHON" -m pip install --quiet "${PYTHON_PACKAGES[@]}"
fi
soffice --version | head -1
