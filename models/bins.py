"""Binned columns of the fraud data set: the bins, and a representative value inside each.

The mapping (data set row -> FNOL) picks a value inside a row's bin; the feature pipeline
(FNOL -> features) re-bins the FNOL's value with the same table, so both directions agree.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Bins:
    """Ordered bins of a number: label i covers [bounds[i-1], bounds[i]); the first and last are open."""

    labels: tuple[str, ...]
    bounds: tuple[float, ...]
    representatives: tuple[float, ...]

    def __post_init__(self) -> None:
        if not (len(self.labels) == len(self.bounds) + 1 == len(self.representatives)):
            raise ValueError("bins need one label and one representative more than bounds")

    def label(self, value: float) -> str:
        """The bin `value` falls in."""
        return self.labels[bisect_right(self.bounds, value)]

    def representative(self, label: str) -> float:
        """A typical value inside the bin `label`."""
        return self.representatives[self.labels.index(label)]

    def span(self, label: str, floor: float, ceiling: float) -> tuple[float, float]:
        """The whole numbers in bin `label`, as (lowest, highest), open ends closed at floor/ceiling."""
        i = self.labels.index(label)
        low = self.bounds[i - 1] if i > 0 else floor
        high = self.bounds[i] - 1 if i < len(self.bounds) else ceiling
        return low, high


# Days from policy inception to the loss (Days_Policy_Accident) or to the report (Days_Policy_Claim).
# "none" also takes a policy incepted after the loss: no days of cover at all.
POLICY_DAYS = Bins(("none", "1 to 7", "8 to 15", "15 to 30", "more than 30"), (1, 8, 16, 31), (0, 4, 11, 22, 365))
# Vehicle age in whole years at the loss (AgeOfVehicle); the data set has no "1 year" bin.
VEHICLE_AGE = Bins(
    ("new", "2 years", "3 years", "4 years", "5 years", "6 years", "7 years", "more than 7"),
    (2, 3, 4, 5, 6, 7, 8),
    (0, 2, 3, 4, 5, 6, 7, 10),
)
VEHICLE_PRICE = Bins(
    ("less than 20000", "20000 to 29000", "30000 to 39000", "40000 to 59000", "60000 to 69000", "more than 69000"),
    (20_000, 30_000, 40_000, 60_000, 70_000),
    (15_000, 25_000, 35_000, 50_000, 65_000, 80_000),
)
PAST_CLAIMS = Bins(("none", "1", "2 to 4", "more than 4"), (1, 2, 5), (0, 1, 3, 6))
SUPPLEMENTS = Bins(("none", "1 to 2", "3 to 5", "more than 5"), (1, 3, 6), (0, 1, 4, 7))
VEHICLES_INSURED = Bins(("1 vehicle", "2 vehicles", "3 to 4", "5 to 8", "more than 8"), (2, 3, 5, 9), (1, 2, 3, 6, 10))
# Days from the claimant's address change to the report (AddressChange_Claim); "no change" is no date at all.
ADDRESS_CHANGE_DAYS = Bins(
    ("under 6 months", "1 year", "2 to 3 years", "4 to 8 years"),
    (183, 548, 1278),
    (90, 365, 912, 2190),
)
NO_ADDRESS_CHANGE = "no change"
