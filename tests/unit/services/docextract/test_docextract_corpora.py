"""Extraction scored on documents other people made and on our independent-route corpus, as the benchmark scores them.

`../shared/foreign_docs` (public sample documents, never committed here) is read when it is
beside the project, as in CI (`CI` set: its absence is a failure). The routes hold-out
corpus (claimgen/corpus_routes, templates never tuned on) is committed under tests/corpus.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.truth import score_folder

ROOT = Path(__file__).resolve().parents[4]
FOREIGN = ROOT.parent / "shared" / "foreign_docs"
HOLDOUT = ROOT / "tests" / "corpus" / "routes_holdout"


@pytest.mark.slow
def test_documents_other_people_made_are_read_without_a_confident_wrong_value():
    if not FOREIGN.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{FOREIGN} is missing: CI runs with ../shared beside the project")
        pytest.skip(f"{FOREIGN} is not beside the project")

    result = score_folder(FOREIGN)

    assert result.documents >= 9
    assert result.confident_wrong == 0, result.notes
    assert result.f1 >= 0.90, result.notes
    assert result.type_accuracy >= 0.9, result.notes


@pytest.mark.slow
def test_the_routes_hold_out_corpus_is_read_well_and_confident_values_are_right():
    result = score_folder(HOLDOUT)

    assert result.documents >= 30
    assert result.f1 >= 0.85, result.notes
    assert result.type_accuracy >= 0.9, result.notes
    assert result.confident_precision >= 0.95, result.notes
