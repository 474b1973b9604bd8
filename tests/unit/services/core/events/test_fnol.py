"""The FNOL carries its policy's currency; FNOLs sent before policies named one stay valid."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from claimgen.fnol import GeneratedClaim
from services.core.events import FNOL


def _without_currency(claim: GeneratedClaim) -> dict[str, Any]:
    sent = claim.fnol.model_dump(mode="json")
    del sent["policy"]["currency"]
    return sent


def test_an_fnol_that_names_no_currency_is_valid_and_in_eur(sample_claims: list[GeneratedClaim]) -> None:
    assert FNOL.model_validate(_without_currency(sample_claims[0])).policy.currency == "EUR"


@pytest.mark.parametrize("currency", ["usd", "US", "EURO", "€"])
def test_a_currency_is_three_upper_case_letters(sample_claims: list[GeneratedClaim], currency: str) -> None:
    sent = _without_currency(sample_claims[0])
    sent["policy"]["currency"] = currency
    with pytest.raises(ValidationError, match="policy.currency"):
        FNOL.model_validate(sent)


def test_generated_claims_are_in_the_currency_their_documents_print(sample_claims: list[GeneratedClaim]) -> None:
    # claimgen's documents print dollars for a loss in the US (claimgen.documents.money)
    assert {(c.fnol.loss.place.country, c.fnol.policy.currency) for c in sample_claims} == {("US", "USD")}
