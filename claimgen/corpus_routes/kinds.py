"""The kinds of document a template can make, by name: each draws its content from one claim."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

from claimgen.corpus_routes import bills, estimates, letters, notices, reports
from claimgen.corpus_routes.claim import Claim
from claimgen.corpus_routes.sheet import Document
from claimgen.corpus_routes.style import Style

Kind = Callable[[random.Random, Claim, Style], Document]


def _two_vehicle_notice(rng: random.Random, claim: Claim, style: Style) -> Document:
    """The two-vehicle form, its copyright line always printed at the foot."""
    document = notices.loss_notice(rng, claim, style, two_vehicles=True)
    owner = claim.insurer
    rights = {"en": "All rights reserved", "fr": "Tous droits réservés", "de": "Alle Rechte vorbehalten"}[style.lang]
    lines = (
        *[line for line in document.footer if not line.startswith("©")],
        f"© {rng.randrange(2014, 2024)} {owner}. {rights}.",
    )
    return replace(document, footer=lines)


KINDS: dict[str, Kind] = {
    "loss_notice": notices.loss_notice,
    "two_vehicle_notice": _two_vehicle_notice,
    "minimal_notice": notices.minimal_notice,
    "fnol_letter": letters.fnol_letter,
    "fnol_email": lambda rng, claim, style: letters.fnol_letter(rng, claim, style, as_email=True),
    "narrative_claim": letters.narrative_claim,
    "garage_quote": lambda rng, claim, style: estimates.vehicle_estimate(rng, claim, style, "garage_quote"),
    "repair_estimate": lambda rng, claim, style: estimates.vehicle_estimate(rng, claim, style, "repair_estimate"),
    "contractor_estimate": estimates.contractor_estimate,
    "invoice": bills.invoice,
    "receipt": bills.receipt,
    "medical_bill": bills.medical_bill,
    "police_report": reports.police_report,
    "crash_report": lambda rng, claim, style: reports.police_report(rng, claim, style, "crash_report"),
    "fire_report": reports.fire_report,
    "total_loss_valuation": reports.total_loss_valuation,
}
PROPERTY_KINDS = frozenset({"contractor_estimate", "fire_report", "narrative_claim"})
INCIDENTS = {"fire_report": ("kitchen_fire", "storm_tree")}  # what a fire crew is called out to
MOTOR_KINDS = frozenset(
    {
        "two_vehicle_notice",
        "garage_quote",
        "repair_estimate",
        "police_report",
        "crash_report",
        "total_loss_valuation",
        "medical_bill",
    }
)
