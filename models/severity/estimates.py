"""Severity sections without figures, and the rule that a model estimates only claims of its own market.

A severity model learnt the claims of one market (models.markets): applied to a claim of another
country or currency its figures would be in the wrong money or the wrong cost level, so such a claim
gets no figures and a note that says why. The model checks this before it estimates (in process);
the model-client port checks every estimate it is given against the market the estimate names
(from the gateway too), so no arm and no shadow is ever used outside its market.
"""

from __future__ import annotations

from models.markets import FREMTPL2, described, outside
from services.core.events import FNOL, Market, ModelRef, SeverityEstimate

QUANTILE = 0.9  # the severity models' upper quantile, stated on sections without figures too
# A severity model that names no market learnt from freMTPL2.
UNNAMED_MARKET = FREMTPL2


def no_figures(fnol: FNOL, note: str, *, quantile: float = QUANTILE, market: Market | None = None) -> SeverityEstimate:
    """A section with no figures, in the claim's currency, saying why."""
    return SeverityEstimate(
        expected_cost=None,
        upper_quantile=None,
        quantile=quantile,
        currency=fnol.policy.currency,
        model=None,
        market=market,
        note=note,
    )


def no_model_for_line(fnol: FNOL, quantile: float = QUANTILE) -> SeverityEstimate:
    """The section of a claim whose line no severity model covers."""
    return no_figures(fnol, f"no severity model for line {fnol.line_of_business.value}", quantile=quantile)


def outside_market(ref: ModelRef, market: Market, fnol: FNOL, quantile: float = QUANTILE) -> SeverityEstimate | None:
    """The section of a claim outside the model's market (no figures, a note); None when the claim is in it."""
    why = outside(market, fnol)
    if why is None:
        return None
    note = f"severity model {ref.name}@{ref.alias} (version {ref.version}) is trained on {described(market)}; {why}"
    return no_figures(fnol, note, quantile=quantile, market=market)


def within_market(estimate: SeverityEstimate, fnol: FNOL) -> SeverityEstimate:
    """`estimate` when its model learnt from claims of this claim's market; otherwise no figures and why.

    Its shadow is held to the same test. An estimate that names no market is from a model that learnt
    from freMTPL2.
    """
    shadow = within_market(estimate.shadow, fnol) if estimate.shadow is not None else None
    if shadow != estimate.shadow:
        estimate = estimate.model_copy(update={"shadow": shadow})
    if estimate.model is None:
        return estimate
    refused = outside_market(estimate.model, estimate.market or UNNAMED_MARKET, fnol, estimate.quantile)
    return estimate if refused is None else refused.model_copy(update={"shadow": estimate.shadow})
