"""Markets: whose claims a model learnt from, how a registered version names its market, and a claim's own.

A model learns the claims of one market: a line of business in one country, amounts in one
currency. Training tags each registered version with its data's market (`market_line_of_business`,
`market_country`, `currency`); a version registered before those tags existed gets the market its
data set is known to be (its `dataset` tag; see each data set's SOURCE.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, Self, runtime_checkable

from services.core.events import FNOL, LineOfBusiness, Market

# freMTPL2: French motor third-party liability claims, amounts in EUR.
FREMTPL2 = Market(line_of_business=LineOfBusiness.MOTOR, country="FR", currency="EUR")
# Vehicle claim fraud ("fraud_oracle"): US auto claims, 1994-1996 (no amounts).
FRAUD_ORACLE = Market(line_of_business=LineOfBusiness.MOTOR, country="US", currency="USD")
# LGPIF: the Wisconsin Local Government Property Insurance Fund, amounts in USD.
LGPIF = Market(line_of_business=LineOfBusiness.PROPERTY, country="US", currency="USD")
DATA_SET_MARKETS = {
    "fremtpl2_sev": FREMTPL2,
    "vehicle_claim_fraud_oracle": FRAUD_ORACLE,
    "lgpif_peril_descriptions": LGPIF,
}
LINE_TAG, COUNTRY_TAG, CURRENCY_TAG = "market_line_of_business", "market_country", "currency"


@runtime_checkable
class MarketBound(Protocol):
    """A model that estimates only claims of the market it learnt from (the severity model)."""

    market: Market

    def with_market(self, market: Market) -> Self: ...


def market_tags(market: Market) -> dict[str, str]:
    """The tags that name `market` on a training run and its registered version."""
    return {LINE_TAG: market.line_of_business.value, COUNTRY_TAG: market.country, CURRENCY_TAG: market.currency}


def market_of(tags: Mapping[str, str]) -> Market | None:
    """The market a registered version's tags name; else the one its data set is known to be; else None."""
    if all(tag in tags for tag in (LINE_TAG, COUNTRY_TAG, CURRENCY_TAG)):
        return Market(
            line_of_business=LineOfBusiness(tags[LINE_TAG]), country=tags[COUNTRY_TAG], currency=tags[CURRENCY_TAG]
        )
    return DATA_SET_MARKETS.get(tags.get("dataset", ""))


def claim_country(fnol: FNOL) -> str:
    """Where a claim's risk is: the insured property's address; for motor, the claimant's (else the loss place)."""
    if fnol.insured_property is not None:
        return fnol.insured_property.address.country
    address = fnol.claimant.address or fnol.loss.place
    return address.country


def outside(market: Market, fnol: FNOL) -> str | None:
    """How a claim differs from `market`'s claims (e.g. "this claim is in INR"); None when it is one of them."""
    line, country, currency = fnol.line_of_business, claim_country(fnol), fnol.policy.currency
    differs = [
        f"a {line.value} claim" if line is not market.line_of_business else "",
        f"from {country}" if country != market.country else "",
        f"in {currency}" if currency != market.currency else "",
    ]
    said = " ".join(part for part in differs if part)
    return f"this claim is {said}" if said else None


def described(market: Market) -> str:
    """A market in words: "motor claims in FR, in EUR"."""
    return f"{market.line_of_business.value} claims in {market.country}, in {market.currency}"
