"""examples/: an FNOL of each line of business that the FNOL model takes, and documents that are exactly what the
project's generator renders from them (so they can be regenerated, and never come from anywhere else)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimgen.examples import DOCUMENTS, example_documents
from services.core.bus.memory import MemoryBus
from services.core.documents import DocumentStore
from services.core.events import FNOL, LineOfBusiness
from tests.unit.services.intake.apps import intake_app, intake_token

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"
FNOLS = sorted((EXAMPLES / "fnol").glob("*.json"))


@pytest.mark.parametrize("path", FNOLS, ids=[p.stem for p in FNOLS])
def test_every_example_fnol_is_valid(path: Path) -> None:
    FNOL.model_validate_json(path.read_bytes())


def test_there_is_an_example_of_each_line_of_business() -> None:
    lines = {FNOL.model_validate_json(p.read_bytes()).line_of_business for p in FNOLS}
    assert lines == set(LineOfBusiness)
    assert sorted(p.stem for p in FNOLS) == sorted(DOCUMENTS)


def test_the_example_documents_are_what_the_generator_renders() -> None:
    committed = {p.name: p.read_bytes() for p in (EXAMPLES / "documents").glob("*.pdf")}
    assert committed == example_documents(EXAMPLES), "run `python3 -m claimgen.examples` and commit examples/"


@pytest.mark.parametrize("example", sorted(DOCUMENTS))
def test_each_example_is_accepted_with_its_documents(tmp_path: Path, bus: MemoryBus, example: str) -> None:
    client = TestClient(
        intake_app(tmp_path, bus.publisher(), DocumentStore(tmp_path / "docs"), max_document_bytes=100_000),
        headers=intake_token(),
    )
    documents = [EXAMPLES / "documents" / f"{example}-{kind}.pdf" for kind in DOCUMENTS[example]]
    parts = [("documents", (p.name, p.read_bytes(), "application/pdf")) for p in documents]
    fnol = (EXAMPLES / "fnol" / f"{example}.json").read_bytes()
    response = client.post("/v1/fnol", files=[("fnol", ("fnol.json", fnol, "application/json")), *parts])
    assert response.status_code == 202, response.text
    assert len(response.json()["documents"]) == len(DOCUMENTS[example])
