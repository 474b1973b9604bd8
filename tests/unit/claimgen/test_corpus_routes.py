"""The committed route corpora (tests/corpus/routes_dev, routes_holdout) are consistent with their
truth files, varied, and the pure-Python routes rebuild them exactly. Needs no LibreOffice,
Chromium, pandoc or Ghostscript: only the reportlab and AcroForm documents are rebuilt."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import reportlab

from claimgen.corpus_routes.build import MANIFEST, Planned, make, plan
from claimgen.corpus_routes.catalogue import ROUTES
from claimgen.corpus_routes.formats import number
from claimgen.corpus_routes.sheet import COARSE, FIELDS
from claimgen.corpus_routes.vin import is_valid

CORPORA = Path(__file__).resolve().parents[2] / "corpus"
SETS = {"dev": CORPORA / "routes_dev", "holdout": CORPORA / "routes_holdout"}
SOURCE = re.compile(r"^claimgen\.corpus_routes:(?P<route>[a-z]+)/(?P<template>[a-z0-9-]+)@(?P<seed>\d+)$")
DOCUMENT_SUFFIXES = (".pdf", ".png", ".jpg")
REBUILT_ROUTES = ("reportlab", "acroform")


def _truths(folder: Path) -> dict[Path, dict[str, Any]]:
    return {path: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.truth.json"))}


def _manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def _document(truth_path: Path) -> Path:
    return truth_path.with_name(truth_path.name.removesuffix(".truth.json"))


@pytest.mark.parametrize("corpus_set", SETS)
def test_every_document_has_a_truth_file_and_every_truth_file_a_document(corpus_set: str) -> None:
    folder = SETS[corpus_set]
    documents = {path for path in folder.iterdir() if path.suffix in DOCUMENT_SUFFIXES}
    truths = _truths(folder)
    assert documents == {_document(path) for path in truths}
    assert {entry["file"] for entry in _manifest(folder)["documents"]} == {path.name for path in documents}


@pytest.mark.parametrize("corpus_set", SETS)
def test_truth_files_are_in_the_foreign_docs_format(corpus_set: str) -> None:
    for path, truth in _truths(SETS[corpus_set]).items():
        assert list(truth) == ["source", "doc_type", "fine_type", "fields"], path.name
        assert SOURCE.match(truth["source"]), truth["source"]
        assert truth["doc_type"] == COARSE[truth["fine_type"]], path.name
        assert set(truth["fields"]) <= set(FIELDS), path.name
        assert truth["fields"], path.name


def _check_value(name: str, value: object) -> None:
    if name == "loss_date":
        assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and date.fromisoformat(value)
    elif name == "loss_time":
        assert isinstance(value, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value)
    elif name == "vehicle_year":
        assert isinstance(value, int) and not isinstance(value, bool) and 1980 < value < 2030
    elif name in ("estimate_total", "invoice_total"):
        assert isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    elif name == "currency":
        assert value in ("USD", "EUR", "GBP", "INR", "CAD")
    elif name == "injuries":
        assert isinstance(value, bool)
    elif name == "vehicle_vin":
        assert isinstance(value, str) and is_valid(value), value
    else:
        assert isinstance(value, str) and value.strip() == value and value


@pytest.mark.parametrize("corpus_set", SETS)
def test_field_values_are_normalised(corpus_set: str) -> None:
    for path, truth in _truths(SETS[corpus_set]).items():
        fields = truth["fields"]
        for name, value in fields.items():
            try:
                _check_value(name, value)
            except AssertionError as error:
                raise AssertionError(f"{path.name}: {name}={value!r}") from error
        if "estimate_total" in fields:
            assert truth["doc_type"] in ("estimate", "loss_notice"), path.name
        if "invoice_total" in fields:
            assert truth["doc_type"] in ("invoice", "medical_bill"), path.name
        if "currency" in fields:
            assert "estimate_total" in fields or "invoice_total" in fields, path.name


def test_dev_and_holdout_use_different_templates_and_seeds() -> None:
    def sources(corpus_set: str) -> list[re.Match[str]]:
        return [match for truth in _truths(SETS[corpus_set]).values() if (match := SOURCE.match(truth["source"]))]

    dev, holdout = sources("dev"), sources("holdout")
    assert len(dev) >= 70 and len(holdout) >= 35
    templates = {
        corpus_set: {(m["route"], m["template"]) for m in found}
        for corpus_set, found in (("dev", dev), ("holdout", holdout))
    }
    assert not templates["dev"] & templates["holdout"]
    assert not {m["seed"] for m in dev} & {m["seed"] for m in holdout}
    for corpus_set, found in (("dev", dev), ("holdout", holdout)):
        assert {m["route"] for m in found} == set(ROUTES), corpus_set


@pytest.mark.parametrize("corpus_set", SETS)
def test_the_corpus_is_varied(corpus_set: str) -> None:
    truths = list(_truths(SETS[corpus_set]).values())
    entries = _manifest(SETS[corpus_set])["documents"]
    fine_types = Counter(truth["fine_type"] for truth in truths)
    assert set(fine_types) == set(COARSE) - {"other"}, fine_types
    assert {entry["lang"] for entry in entries} == {"en", "fr", "de"}
    currencies = {truth["fields"].get("currency") for truth in truths} - {None}
    assert currencies == {"USD", "EUR", "GBP", "INR", "CAD"} if corpus_set == "dev" else len(currencies) >= 4
    suffixes = Counter(Path(entry["file"]).suffix for entry in entries)
    assert suffixes[".png"] + suffixes[".jpg"] >= 2 and (
        corpus_set == "holdout" or min(suffixes[".png"], suffixes[".jpg"]) >= 2
    )
    assert {entry["text_layer"] for entry in entries} == {"full", "cover", "none"}
    assert sum(1 for truth in truths if "other_party_policy_number" in truth["fields"]) >= 5


def test_the_corpora_stay_small() -> None:
    files = [path for folder in SETS.values() for path in folder.iterdir()]
    assert sum(path.stat().st_size for path in files) < 8_000_000
    for image in (path for path in files if path.suffix in (".png", ".jpg")):
        assert image.stat().st_size < 300_000, image.name


def test_numbers_and_vins_as_the_documents_print_them() -> None:
    assert number(350_000, "indian", decimals=0) == "3,50,000"
    assert number(1234.56, "german") == "1.234,56"
    assert number(1234.56, "french") == "1\u00a0234,56"
    assert is_valid("1M8GDM9AXKP042788") and not is_valid("1M8GDM9AXKP042789")


def _committed(corpus_set: str, route: str) -> list[Planned]:
    names = {path.name for path in SETS[corpus_set].iterdir()}
    return [
        planned
        for planned in plan(corpus_set)
        if planned.template.route == route
        and any(name.startswith(planned.stem + ".") and not name.endswith(".json") for name in names)
    ]


@pytest.mark.parametrize("route", REBUILT_ROUTES)
@pytest.mark.parametrize("corpus_set", SETS)
def test_pure_python_routes_rebuild_the_committed_documents(corpus_set: str, route: str, tmp_path: Path) -> None:
    committed = _committed(corpus_set, route)
    assert committed, f"no {route} documents in the {corpus_set} corpus"
    same_reportlab = _manifest(SETS[corpus_set])["reportlab"] == reportlab.Version
    for planned in committed:
        first, second = tmp_path / "first", tmp_path / "second"
        first.mkdir(exist_ok=True)
        second.mkdir(exist_ok=True)
        rebuilt = make(planned, first).path
        assert rebuilt.read_bytes() == make(planned, second).path.read_bytes(), rebuilt.name
        original = SETS[corpus_set] / rebuilt.name
        assert Path(f"{rebuilt}.truth.json").read_text() == Path(f"{original}.truth.json").read_text()
        if same_reportlab:  # another reportlab may lay the same document out in other bytes
            assert rebuilt.read_bytes() == original.read_bytes(), rebuilt.name
