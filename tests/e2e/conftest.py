"""Debian's headless Chromium for the browser tests (Playwright drives it; no browser is downloaded)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("TRIAGE_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium_path() -> str:
    if not shutil.which(CHROMIUM):
        message = f"no Chromium at {CHROMIUM}: `apt-get install chromium` (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM
