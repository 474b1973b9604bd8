"""The published JSON Schemas are the ones the pydantic models generate today."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from services.core.events import FNOL, ClaimCase, Settlement

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"


@pytest.mark.parametrize(
    ("name", "model"), [("fnol.v1", FNOL), ("claim-case.v1", ClaimCase), ("settlement.v1", Settlement)]
)
def test_published_schema_matches_the_model(name: str, model: type[BaseModel]) -> None:
    published = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    assert published == model.model_json_schema(), f"run `triage schemas --out schemas` and commit {name}"
