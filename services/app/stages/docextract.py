"""Docextract: the claim's documents read into fields, checks and a summary."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from services.app.stages.declaration import Handlers, StageDeclaration
from services.core import topics
from services.core.events import ClaimCase
from services.core.settings import DocextractSettings

if TYPE_CHECKING:
    from services.app.dependencies import Dependencies


def document_count(case: ClaimCase) -> int:
    """What a case costs docextract: its documents (a claim without any is all but free)."""
    return len(case.fnol.documents)


def build(deps: Dependencies, settings: DocextractSettings) -> Handlers:
    from services.docextract.bootstrap import ocr_pool, read_limits, text_layer_reader
    from services.docextract.handler import extract

    handle = partial(
        extract,
        documents=deps.documents,
        max_pages=settings.max_pages,
        limits=read_limits(settings),
        ocr=ocr_pool(settings),
        text_layer=text_layer_reader(),
    )
    return Handlers(ClaimCase, handle, cost=document_count, max_cost=settings.max_batch_documents)


STAGE = StageDeclaration("docextract", DocextractSettings, topics.FNOL, topics.EXTRACTED, "extracted", build)
