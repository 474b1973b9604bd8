"""Fraud features, computed from the FNOL alone: the same code at training and at scoring.

Training maps each data set row to an FNOL (models.mapping) and calls `fraud_features` on it;
counts the data set only knows in bins are re-binned with its own bins (models.bins), so a
feature means the same thing for a training row and for a live claim. Missing facts are None.
Sex and marital status are left out on purpose: a fraud referral must not rest on them.
"""

from __future__ import annotations

from datetime import date

from models import bins
from models.loss_dates import MONTHS, WEEKDAYS, week_of_month
from models.mapping import MAKE_SPELLINGS
from services.core.events import FNOL

NUMERIC = (
    "claimant_age",
    "deductible",
    "driver_rating",
    "police_report_filed",
    "witness_present",
    "report_delay_days",
    "loss_week_of_month",
    "report_week_of_month",
)
CATEGORICAL = (
    "vehicle_category",
    "make",
    "fault",
    "coverage",
    "area_type",
    "agent_type",
    "loss_month",
    "loss_day_of_week",
    "report_month",
    "report_day_of_week",
)
# Ordered bins, in order; "no change" of address sorts after the longest time since a change.
ORDINAL = {
    "days_policy_accident": bins.POLICY_DAYS.labels,
    "days_policy_claim": bins.POLICY_DAYS.labels,
    "vehicle_age": bins.VEHICLE_AGE.labels,
    "vehicle_price": bins.VEHICLE_PRICE.labels,
    "address_change": (*bins.ADDRESS_CHANGE_DAYS.labels, bins.NO_ADDRESS_CHANGE),
    "supplements": bins.SUPPLEMENTS.labels,
    "past_claims": bins.PAST_CLAIMS.labels,
    "vehicles_insured": bins.VEHICLES_INSURED.labels,
}

_SPELLINGS = {wrong.casefold(): right for wrong, right in MAKE_SPELLINGS.items()}


def fraud_features(fnol: FNOL) -> dict[str, float | str | None]:
    """The fraud model's inputs for one FNOL (motor facts are None for other lines)."""
    occurred, reported = fnol.loss.occurred_at.date(), fnol.loss.reported_at.date()
    policy, claimant, vehicle, loss = fnol.policy, fnol.claimant, fnol.vehicle, fnol.loss
    police = None if loss.police_report is None else float(loss.police_report.filed)
    return {
        "claimant_age": age_on(claimant.date_of_birth, occurred),
        "deductible": policy.deductible,
        "driver_rating": None if policy.driver_rating is None else float(policy.driver_rating),
        "police_report_filed": police,
        "witness_present": float(loss.witness_present),
        "report_delay_days": float((reported - occurred).days),
        "loss_week_of_month": float(week_of_month(occurred)),
        "report_week_of_month": float(week_of_month(reported)),
        "days_policy_accident": bins.POLICY_DAYS.label((occurred - policy.inception_date).days),
        "days_policy_claim": bins.POLICY_DAYS.label((reported - policy.inception_date).days),
        "vehicle_age": None if vehicle is None else bins.VEHICLE_AGE.label(occurred.year - vehicle.year),
        "vehicle_price": None if vehicle is None or vehicle.value is None else bins.VEHICLE_PRICE.label(vehicle.value),
        "vehicle_category": None if vehicle is None else vehicle.category.value,
        "make": None if vehicle is None else canonical_make(vehicle.make),
        "fault": None if loss.fault.value == "unknown" else loss.fault.value,
        "coverage": policy.coverage.value,
        "area_type": loss.area_type.value,
        "address_change": _address_change(claimant.address_changed_on, reported),
        "supplements": bins.SUPPLEMENTS.label(fnol.supplements),
        "past_claims": bins.PAST_CLAIMS.label(policy.prior_claims),
        "vehicles_insured": bins.VEHICLES_INSURED.label(policy.vehicles_insured),
        "agent_type": policy.agent_type,
        "loss_month": MONTHS[occurred.month - 1],
        "loss_day_of_week": WEEKDAYS[occurred.weekday()],
        "report_month": MONTHS[reported.month - 1],
        "report_day_of_week": WEEKDAYS[reported.weekday()],
    }


def canonical_make(make: str) -> str:
    """A make as the model knows it: title case, common misspellings corrected (e.g. "accura" -> "Acura")."""
    cleaned = make.strip()
    return _SPELLINGS.get(cleaned.casefold(), cleaned if cleaned.isupper() else cleaned.title())


def age_on(born: date | None, on: date) -> float | None:
    """Age in whole years on a day; None when the birth date is not given."""
    if born is None:
        return None
    return float(on.year - born.year - ((on.month, on.day) < (born.month, born.day)))


def _address_change(changed_on: date | None, reported: date) -> str:
    if changed_on is None:
        return bins.NO_ADDRESS_CHANGE
    return bins.ADDRESS_CHANGE_DAYS.label((reported - changed_on).days)
