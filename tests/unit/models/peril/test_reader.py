"""The peril sections of claim cases: property claims read by the live champion, motor claims left unread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from claimgen.fnol import GeneratedClaim
from models.live import LiveModels
from models.peril.model import PerilModel, text_classifier
from models.peril.reader import LivePerilReader, assess_many
from services.core.events import FNOL, ClaimCase, LineOfBusiness, ModelRef

DESCRIPTIONS = {
    "fire": [
        "kitchen fire damaged cabinets",
        "fire in storage room smoke damage",
        "electrical fire in the office",
        "fire destroyed the shed",
    ],
    "hail": ["hail damage to roof", "hail dented the skylights", "roof damaged by hail storm", "hail broke gutters"],
    "vandalism": [
        "graffiti on the wall",
        "windows smashed by vandals",
        "vandalism to the doors",
        "spray paint on sign",
    ],
}


@pytest.fixture(scope="module")
def tiny_model() -> PerilModel:
    texts = [t for ts in DESCRIPTIONS.values() for t in ts]
    labels = [p for p, ts in DESCRIPTIONS.items() for _ in ts]
    return PerilModel(text_classifier(seed=1).fit(texts, labels), ModelRef(name="peril", version="2", alias="champion"))


def with_description(as_case: Callable[[FNOL], ClaimCase], claim: GeneratedClaim, text: str) -> ClaimCase:
    return as_case(claim.fnol.model_copy(update={"loss": claim.fnol.loss.model_copy(update={"description": text})}))


def test_property_claims_are_read_and_motor_claims_are_not(
    tiny_model: PerilModel, sample_claims: list[GeneratedClaim], as_case: Callable[[FNOL], ClaimCase]
) -> None:
    home = next(c for c in sample_claims if c.fnol.line_of_business is LineOfBusiness.PROPERTY)
    car = next(c for c in sample_claims if c.fnol.line_of_business is LineOfBusiness.MOTOR)
    cases = [
        with_description(as_case, home, "Hail storm damaged the roof"),
        as_case(car.fnol),
        with_description(as_case, home, "Vandals sprayed graffiti on the wall"),
    ]
    hail, motor, vandalism = assess_many(tiny_model, cases)
    assert (hail.peril, vandalism.peril) == ("hail", "vandalism")
    assert hail.probability is not None and 0 < hail.probability <= 1 and hail.model == tiny_model.ref
    assert (motor.peril, motor.probability, motor.model, motor.note) == (
        None,
        None,
        None,
        "no peril model for line motor",
    )


@dataclass
class OneVersionRegistry:
    model: PerilModel
    loads: list[str] = field(default_factory=list)

    def version_of(self, name: str, alias: str) -> str | None:
        return "2"

    def load_version(self, name: str, version: str, alias: str) -> PerilModel:
        self.loads.append(version)
        return self.model


def test_the_live_reader_loads_the_champion_once(
    tiny_model: PerilModel, sample_claims: list[GeneratedClaim], as_case: Callable[[FNOL], ClaimCase]
) -> None:
    registry = OneVersionRegistry(tiny_model)
    reader = LivePerilReader(
        LiveModels(registry, "peril", champion_alias="champion", challenger_alias="champion", reload_s=0)
    )
    home = next(c for c in sample_claims if c.fnol.line_of_business is LineOfBusiness.PROPERTY)
    for _ in range(3):
        [section] = reader.assess_many([with_description(as_case, home, "fire in the boiler room")])
        assert section.peril == "fire"
    assert registry.loads == ["2"]
