#!/usr/bin/env bash
# Debian packages the project needs beyond Python: Tesseract OCR (docextract reads scans with it).
# Idempotent and prompt-free: installs only what is missing; run as root (CI) or with sudo.
set -euo pipefail

# Other scripts name their own packages as arguments (scripts/corpus-deps.sh).
if [ $# -gt 0 ]; then
    PACKAGES=("$@")
else
    PACKAGES=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu tesseract-ocr-osd)
fi

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
if [ $# -eq 0 ]; then
    tesseract --version | head -1
fi
