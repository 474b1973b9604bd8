"""docs/intake.md works as written: its curl commands, run by curl from the repository's root against a real
intake API, are each answered 2xx; every example file it names exists."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from services.core.bus.memory import MemoryBus
from services.core.documents import DocumentStore
from tests.unit.services.intake.apps import intake_app, intake_token, serving

ROOT = Path(__file__).resolve().parents[3]
GUIDE = (ROOT / "docs" / "intake.md").read_text()
SHELL = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


def curl_commands() -> list[str]:
    """The guide's curl commands, continuation lines joined; not the mutual-TLS one (it names a host of its own)."""
    lines = [line for block in SHELL.findall(GUIDE) for line in block.replace("\\\n", " ").splitlines()]
    return [line.strip() for line in lines if line.startswith("curl ") and "--cert" not in line]


def test_the_guide_shows_json_multipart_and_status_commands() -> None:
    commands = curl_commands()
    assert any("--data-binary @examples/fnol/" in c for c in commands)
    assert any("-F fnol=@examples/fnol/" in c for c in commands)
    assert any("-F 'fnol=<examples/fnol/" in c for c in commands)
    assert any("/v1/claims/" in c for c in commands)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_guides_curl_commands_are_answered_2xx(tmp_path: Path) -> None:
    app = intake_app(tmp_path, MemoryBus().publisher(), DocumentStore(tmp_path / "docs"), max_document_bytes=10**6)
    token = intake_token()["Authorization"].removeprefix("Bearer ")
    with serving(app) as url:
        for command in curl_commands():
            done = subprocess.run(
                ["bash", "-c", command],
                cwd=ROOT,
                env={**os.environ, "INTAKE": url, "TOKEN": token},
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 0, f"{command}\n{done.stdout}{done.stderr}"
            assert json.loads(done.stdout)["claim_id"].startswith("ACME-")


def test_every_example_file_the_guide_names_exists() -> None:
    named = set(re.findall(r"examples/[\w/.-]+\.(?:json|pdf)", GUIDE))
    named |= {f"examples/documents/{name}" for name in re.findall(r"`([\w-]+\.pdf)`", GUIDE)}
    assert named and not [path for path in named if not (ROOT / path).is_file()]
