"""Severity features, computed from the FNOL alone: the same code at training and at scoring.

They are the freMTPL2 rating factors as an FNOL carries them (models.mapping). The vehicle make
is a category: the data set's brand codes (B1..B14) are what the model knows, so a named make
from a live claim is an unseen category and counts as missing. The policy's age at the loss comes
from its inception date; freMTPL2 only knows it through the year's exposure, so the model has seen
ages up to about one year and treats any older policy like a policy in force the whole year.
"""

from __future__ import annotations

from models.fraud.features import age_on
from services.core.events import FNOL

NUMERIC = ("vehicle_power", "vehicle_age", "driver_age", "bonus_malus", "population_density", "policy_years_at_loss")
CATEGORICAL = ("vehicle_make", "fuel", "area_code", "region")
DAYS_PER_YEAR = 365.25


def severity_features(fnol: FNOL) -> dict[str, float | str | None]:
    """The severity model's inputs for one FNOL (vehicle facts are None for other lines)."""
    occurred = fnol.loss.occurred_at.date()
    policy, vehicle = fnol.policy, fnol.vehicle
    return {
        "vehicle_power": None if vehicle is None or vehicle.power is None else float(vehicle.power),
        "vehicle_age": None if vehicle is None else float(occurred.year - vehicle.year),
        "driver_age": age_on(fnol.claimant.date_of_birth, occurred),
        "bonus_malus": None if policy.bonus_malus is None else float(policy.bonus_malus),
        "population_density": None if policy.population_density is None else float(policy.population_density),
        "policy_years_at_loss": max((occurred - policy.inception_date).days, 0) / DAYS_PER_YEAR,
        "vehicle_make": None if vehicle is None else vehicle.make,
        "fuel": None if vehicle is None else vehicle.fuel,
        "area_code": policy.area_code,
        "region": policy.region,
    }
