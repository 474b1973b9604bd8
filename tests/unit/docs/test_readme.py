"""The docs document every setting the code reads, and the README names the test command CI runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic_settings import BaseSettings

import services.core.settings as settings_module
from services.app.stages import STAGES
from services.core.settings import StageSettings

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text()
DOCS = "\n".join(page.read_text() for page in sorted((ROOT / "docs").glob("*.md")))
CI = (ROOT / ".ci" / "run").read_text()


def settings_classes() -> Iterator[type[BaseSettings]]:
    """Every settings class with an environment prefix: those in services.core.settings and each stage's."""
    found = {value for value in vars(settings_module).values() if isinstance(value, type)}
    found |= {stage.settings for stage in STAGES}
    for cls in sorted(found, key=lambda c: c.__name__):
        if issubclass(cls, BaseSettings) and cls.model_config.get("env_prefix"):
            yield cls


def undocumented(docs: str) -> list[str]:
    """The environment variables no page of `docs` names in code (`TRIAGE_…`); a stage's runner settings may be
    documented once, as `TRIAGE_<SERVICE>_…`."""
    missing = []
    for cls in settings_classes():
        prefix = str(cls.model_config["env_prefix"]).upper()
        for name in cls.model_fields:
            variable = f"{prefix}{name.upper()}"
            generic = issubclass(cls, StageSettings) and name in StageSettings.model_fields
            if generic and f"`TRIAGE_<SERVICE>_{name.upper()}`" in docs:
                continue
            if f"`{variable}`" not in docs:
                missing.append(variable)
    return missing


def test_every_setting_is_documented() -> None:
    assert not undocumented(DOCS)


def test_the_check_finds_an_undocumented_setting() -> None:
    assert "TRIAGE_KAFKA_BOOTSTRAP" in undocumented(DOCS.replace("`TRIAGE_KAFKA_BOOTSTRAP`", "TRIAGE_KAFKA_BOOTSTRAP"))


def test_ci_runs_the_readme_test_command() -> None:
    skipped = ("#", "set ", "cd ", "export ")
    commands = [line for line in CI.splitlines() if line.strip() and not line.startswith(skipped)]
    last = commands[-1]
    assert last.strip() == "make test"
    assert "make test" in README
