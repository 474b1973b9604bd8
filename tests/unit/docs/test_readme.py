"""The README documents every setting the code reads, and names the test command CI runs."""

from __future__ import annotations

from pathlib import Path

from services.app.stages import STAGES
from services.core.settings import StageSettings, TriageSettings

README = (Path(__file__).resolve().parents[3] / "README.md").read_text()
CI = (Path(__file__).resolve().parents[3] / ".ci" / "run").read_text()


def test_every_shared_setting_is_documented() -> None:
    missing = [
        f"TRIAGE_{name.upper()}" for name in TriageSettings.model_fields if f"`TRIAGE_{name.upper()}`" not in README
    ]
    assert not missing


def test_every_service_setting_is_documented() -> None:
    missing = []
    for service, settings in ((s.name, s.settings) for s in STAGES):
        for name in settings.model_fields:
            generic = name in StageSettings.model_fields and f"`TRIAGE_<SERVICE>_{name.upper()}`" in README
            if not generic and f"`TRIAGE_{service.upper()}_{name.upper()}`" not in README:
                missing.append(f"TRIAGE_{service.upper()}_{name.upper()}")
    assert not missing


def test_ci_runs_the_readme_test_command() -> None:
    skipped = ("#", "set ", "cd ", "export ")
    commands = [line for line in CI.splitlines() if line.strip() and not line.startswith(skipped)]
    last = commands[-1]
    assert last.strip() == "make test"
    assert "make test" in README
