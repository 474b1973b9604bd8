"""Markets: what a registered version's tags name, what its data set is known to be, and where a claim is."""

from __future__ import annotations

from claimgen.fnol import generate_claims
from models.markets import FREMTPL2, LGPIF, claim_country, market_of, market_tags, outside
from services.core.events import LineOfBusiness, Market


def test_tags_name_a_market_and_read_back_as_it() -> None:
    india = Market(line_of_business=LineOfBusiness.MOTOR, country="IN", currency="INR")
    assert market_tags(india) == {"market_line_of_business": "motor", "market_country": "IN", "currency": "INR"}
    assert market_of(market_tags(india) | {"dataset": "fremtpl2_sev"}) == india  # the tags win over the data set


def test_a_version_without_market_tags_has_its_data_sets_market() -> None:
    assert market_of({"dataset": "fremtpl2_sev"}) == FREMTPL2
    assert market_of({"dataset": "lgpif_peril_descriptions"}) == LGPIF
    assert market_of({"dataset": "my_own_file"}) is None and market_of({}) is None


def test_a_claim_is_where_its_insured_risk_is() -> None:
    claims = generate_claims(40, seed=11)
    motor = next(c.fnol for c in claims if c.fnol.line_of_business is LineOfBusiness.MOTOR)
    assert motor.claimant.address is not None
    abroad = motor.model_copy(
        update={"loss": motor.loss.model_copy(update={"place": motor.loss.place.model_copy(update={"country": "ES"})})}
    )
    assert claim_country(abroad) == "US"  # an American driver's crash in Spain is still a US policy's claim
    homeless = motor.model_copy(update={"claimant": motor.claimant.model_copy(update={"address": None})})
    assert claim_country(homeless) == motor.loss.place.country
    house = next(c.fnol for c in claims if c.fnol.line_of_business is LineOfBusiness.PROPERTY)
    assert house.insured_property is not None and claim_country(house) == house.insured_property.address.country


def test_outside_says_only_what_differs() -> None:
    motor = next(c.fnol for c in generate_claims(20, seed=4) if c.fnol.line_of_business is LineOfBusiness.MOTOR)
    us = Market(line_of_business=LineOfBusiness.MOTOR, country="US", currency="USD")
    assert outside(us, motor) is None
    assert outside(FREMTPL2, motor) == "this claim is from US in USD"
    assert outside(LGPIF, motor) == "this claim is a motor claim"
