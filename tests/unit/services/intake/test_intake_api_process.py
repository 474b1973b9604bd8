"""`triage run intake-api` on the in-process bus refuses to start, as the stages do: nothing in its process would
ever take up the claims it answered 202 for. It points to `triage serve`, the one-process product."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from services.app.cli import app
from services.app.run import SERVERS, run_stage
from services.core.settings import TriageSettings


@pytest.mark.parametrize("start", [SERVERS["intake-api"], lambda settings: run_stage(settings, "intake")])
def test_without_kafka_the_intake_api_and_the_stages_refuse_to_start(tmp_path: Path, start) -> None:  # type: ignore[no-untyped-def]
    settings = TriageSettings(bus="memory", data_dir=tmp_path / "data")
    with pytest.raises(typer.BadParameter, match="needs TRIAGE_BUS=kafka.*`triage serve` runs the whole product"):
        start(settings)
    assert not (tmp_path / "data").exists()  # refused before opening a store


def test_the_command_exits_with_the_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRIAGE_BUS", "memory")
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level  # the command sets up its process's logging
    try:
        refused = CliRunner().invoke(app, ["run", "intake-api"])
    finally:
        root.handlers[:], root.level = handlers, level
    assert refused.exit_code == 2
    assert "triage serve" in refused.output
