"""Fixtures of the intake API's tests: the app over a memory bus, and a client holding an intake system's token."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.core.bus.memory import MemoryBus
from services.core.documents import DocumentStore
from tests.unit.services.intake.apps import intake_app, intake_token


@pytest.fixture
def bus() -> MemoryBus:
    return MemoryBus()


@pytest.fixture
def documents(tmp_path: Path) -> DocumentStore:
    return DocumentStore(tmp_path / "docs")


@pytest.fixture
def app(tmp_path: Path, bus: MemoryBus, documents: DocumentStore) -> FastAPI:
    return intake_app(tmp_path, bus.publisher(), documents)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    """A client that sends an intake system's token with every request."""
    return TestClient(app, headers=intake_token())
