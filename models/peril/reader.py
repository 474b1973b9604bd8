"""The peril section of claim cases: the live peril champion reads property claims' loss descriptions.

The model learnt its perils from property claims (LGPIF), so only property claims are read; a motor
claim's section says no model covers its line, as severity does for lines it cannot estimate.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.live import LiveModels
from models.peril.model import PerilModel
from services.core.events import ClaimCase, LineOfBusiness, PerilAssessment

READ_LINES = (LineOfBusiness.PROPERTY,)


def assess_many(model: PerilModel, cases: Sequence[ClaimCase]) -> list[PerilAssessment]:
    """Each case's peril section under `model`, the descriptions of the lines it reads classified in one call."""
    sections = [
        PerilAssessment(
            peril=None, probability=None, model=None, note=f"no peril model for line {case.fnol.line_of_business.value}"
        )
        for case in cases
    ]
    read = [i for i, case in enumerate(cases) if case.fnol.line_of_business in READ_LINES]
    classified = model.classify_many([cases[i].fnol.loss.description for i in read])
    for i, (peril, probability) in zip(read, classified, strict=True):
        sections[i] = PerilAssessment(peril=peril, probability=probability, model=model.ref)
    return sections


class LivePerilReader:
    """The peril champion as the registry's alias names it, switched when the alias moves (no A/B arm)."""

    def __init__(self, live: LiveModels) -> None:
        self.live = live

    def assess_many(self, cases: Sequence[ClaimCase]) -> list[PerilAssessment]:
        """The peril sections of `cases`, read by the champion live when the call starts."""
        self.live.refresh_if_due()
        return assess_many(self.live.current.champion, cases)
