"""The groups a fairness check compares claimants by: age band and sex, as the FNOL states them.

Neither is a model input for a referral decision (sex is left out of the fraud features on purpose);
they are read here only to measure whether outcomes differ between groups. The same bands are used by
the bias tests at training time and by the compliance report, so the two can be compared.
"""

from __future__ import annotations

from models.fraud.features import age_on
from services.core.events import FNOL

AGE_BANDS = ((25, "under 25"), (35, "25-34"), (50, "35-49"), (65, "50-64"), (200, "65 and over"))
UNKNOWN = "unknown"
ATTRIBUTES = ("age_band", "sex")


def age_band(age: float | None) -> str:
    """The band an age in years falls in."""
    if age is None:
        return UNKNOWN
    return next(label for upper, label in AGE_BANDS if age < upper)


def claimant_groups(fnol: FNOL) -> dict[str, str]:
    """The claimant's age band on the loss date and sex."""
    age = age_on(fnol.claimant.date_of_birth, fnol.loss.occurred_at.date())
    return {"age_band": age_band(age), "sex": fnol.claimant.sex.value}
