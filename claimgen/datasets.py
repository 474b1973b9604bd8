"""Synthetic stand-ins for the training data sets, for when ../shared/data is not there.

Seeded generators of rows in exactly the column layout of vehicle_claim_fraud_oracle/train.csv.gz
and fremtpl2/sev_train.csv.gz: marginals copied from the real files, the data sets' quirks kept
(AgeOfPolicyHolder one bin off Age, Age 0 for unknown, sport cars on liability filed as
"Sedan - Liability"), and a plausible label: fraud more likely on collision/all-perils cover
with the policyholder at fault, a fresh policy, a recent address change, no police report;
claim cost a mix of fixed IRSA amounts, a lognormal body rising with bonus-malus, power and
young drivers, and a Pareto tail; property claim descriptions in the LGPIF layout, from
templates per peril with the data set's abbreviations. Models trained on them learn the
pipeline, not the world.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from models import bins
from models.loss_dates import MONTHS, WEEKDAYS, week_of_month

FRAUD_COLUMNS = (
    "Month",
    "WeekOfMonth",
    "DayOfWeek",
    "Make",
    "AccidentArea",
    "DayOfWeekClaimed",
    "MonthClaimed",
    "WeekOfMonthClaimed",
    "Sex",
    "MaritalStatus",
    "Age",
    "Fault",
    "PolicyType",
    "VehicleCategory",
    "VehiclePrice",
    "FraudFound_P",
    "PolicyNumber",
    "RepNumber",
    "Deductible",
    "DriverRating",
    "Days_Policy_Accident",
    "Days_Policy_Claim",
    "PastNumberOfClaims",
    "AgeOfVehicle",
    "AgeOfPolicyHolder",
    "PoliceReportFiled",
    "WitnessPresent",
    "AgentType",
    "NumberOfSuppliments",
    "AddressChange_Claim",
    "NumberOfCars",
    "Year",
    "BasePolicy",
)
SEVERITY_COLUMNS = (
    "IDpol",
    "ClaimAmount",
    "ClaimNb",
    "Exposure",
    "VehPower",
    "VehAge",
    "DrivAge",
    "BonusMalus",
    "VehBrand",
    "VehGas",
    "Area",
    "Density",
    "Region",
)

MAKES = {
    "Pontiac": 0.251,
    "Toyota": 0.2,
    "Honda": 0.179,
    "Mazda": 0.153,
    "Chevrolet": 0.109,
    "Accura": 0.031,
    "Ford": 0.029,
    "VW": 0.019,
    "Dodge": 0.007,
    "Saab": 0.007,
    "Mercury": 0.006,
    "Saturn": 0.004,
    "Nisson": 0.002,
    "BMW": 0.001,
    "Jaguar": 0.001,
    "Porche": 0.0005,
    "Mecedes": 0.0005,
}
VEHICLE_PRICE = {
    "20000 to 29000": 0.52,
    "30000 to 39000": 0.23,
    "more than 69000": 0.143,
    "less than 20000": 0.071,
    "40000 to 59000": 0.03,
    "60000 to 69000": 0.006,
}
VEHICLE_AGE = {
    "7 years": 0.379,
    "more than 7": 0.259,
    "6 years": 0.221,
    "5 years": 0.087,
    "new": 0.025,
    "4 years": 0.014,
    "3 years": 0.01,
    "2 years": 0.005,
}
PAST_CLAIMS = {"2 to 4": 0.356, "none": 0.285, "1": 0.23, "more than 4": 0.129}
SUPPLEMENTS = {"none": 0.456, "more than 5": 0.247, "1 to 2": 0.164, "3 to 5": 0.133}
ADDRESS_CHANGE = {
    "no change": 0.929,
    "4 to 8 years": 0.04,
    "2 to 3 years": 0.019,
    "1 year": 0.011,
    "under 6 months": 0.001,
}
CARS = {"1 vehicle": 0.929, "2 vehicles": 0.045, "3 to 4": 0.025, "5 to 8": 0.0014, "more than 8": 0.0002}
POLICY_DAYS = {"more than 30": 0.989, "none": 0.0033, "8 to 15": 0.0038, "15 to 30": 0.003, "1 to 7": 0.0009}
# BasePolicy given VehicleCategory, as in the real file (no sedan on liability only).
COVER = {
    "Sedan": {"Collision": 0.577, "All Perils": 0.423},
    "Sport": {"Liability": 0.93, "Collision": 0.065, "All Perils": 0.005},
    "Utility": {"All Perils": 0.85, "Collision": 0.09, "Liability": 0.06},
}
HOLDER_AGE = (
    (17, "18 to 20"),
    (20, "21 to 25"),
    (25, "26 to 30"),
    (35, "31 to 35"),
    (45, "36 to 40"),
    (55, "41 to 50"),
    (65, "51 to 65"),
    (200, "over 65"),
)

BRANDS = {
    "B1": 0.262,
    "B2": 0.257,
    "B12": 0.159,
    "B3": 0.091,
    "B5": 0.062,
    "B6": 0.047,
    "B4": 0.042,
    "B10": 0.03,
    "B11": 0.025,
    "B13": 0.02,
    "B14": 0.005,
}
AREAS = {"C": 0.268, "D": 0.245, "E": 0.231, "A": 0.127, "B": 0.101, "F": 0.029}
DENSITY = {"A": (28, 0.45), "B": (72, 0.2), "C": (230, 0.45), "D": (1050, 0.35), "E": (4000, 0.4), "F": (22000, 0.25)}
REGIONS = {
    "Centre": 0.248,
    "Rhone-Alpes": 0.159,
    "Provence-Alpes-Cotes-D'Azur": 0.111,
    "Ile-de-France": 0.096,
    "Bretagne": 0.072,
    "Pays-de-la-Loire": 0.06,
    "Languedoc-Roussillon": 0.041,
    "Aquitaine": 0.039,
    "Nord-Pas-de-Calais": 0.036,
    "Poitou-Charentes": 0.03,
    "Lorraine": 0.018,
    "Basse-Normandie": 0.017,
    "Midi-Pyrenees": 0.014,
    "Bourgogne": 0.013,
    "Picardie": 0.012,
    "Haute-Normandie": 0.008,
    "Limousin": 0.007,
    "Auvergne": 0.005,
    "Corse": 0.005,
    "Alsace": 0.003,
    "Champagne-Ardenne": 0.003,
    "Franche-Comte": 0.002,
}
PERIL_COLUMNS = ("Vandalism", "Fire", "Lightning", "Wind", "Hail", "Vehicle", "WaterNW", "WaterW", "Misc")
PERIL_SHARES = (0.355, 0.034, 0.167, 0.059, 0.015, 0.171, 0.04, 0.085, 0.073)  # the real file's class shares
PERIL_PHRASES = {
    "Vandalism": ("vandalism damage", "vandalism dmg", "graffiti on", "window broken by vandals", "theft of"),
    "Fire": ("fire damage to", "fire at", "smoke damage in", "fire in"),
    "Lightning": ("lightning damage at", "lightning damaged", "lightning strike to", "lightning dmg"),
    "Wind": ("wind damage to", "wind blew off", "storm winds damaged", "tree fell on"),
    "Hail": ("hail damage to", "hail dmg", "hail storm damaged"),
    "Vehicle": ("vehicle struck", "car hit", "truck backed into", "vehicle damaged"),
    "WaterNW": ("water pipe burst in", "water damage from broken pipe at", "sprinkler leak in"),
    "WaterW": ("water damage from rain at", "roof leak at", "flooding in", "ice dam leak at"),
    "Misc": ("damage to", "equipment damaged at", "collapse of", "sewer backup at"),
}
PLACES = (
    "HS",
    "MS",
    "Memorial Park",
    "courthouse",
    "Comm. Center",
    "city hall",
    "water tower",
    "library",
    "fire station",
    "garage",
    "pool",
    "bldg.",
    "school",
    "shelter",
    "siren",
    "light pole",
)
IRSA_AMOUNTS = {1204.0: 0.18, 1128.12: 0.12, 1172.0: 0.08, 1128.0: 0.03}  # fixed convention amounts


def fraud_oracle_frame(rows: int, seed: int) -> pd.DataFrame:
    """`rows` synthetic claims in the vehicle claim fraud data set's layout, ~6 % labelled fraud."""
    rng = np.random.default_rng(seed)
    year = _pick(rng, {1994: 0.4, 1995: 0.34, 1996: 0.26}, rows)
    day_of_year = rng.integers(0, 365, rows)
    occurred = [date(int(y), 1, 1) + timedelta(days=int(d)) for y, d in zip(year, day_of_year, strict=True)]
    delay = np.minimum(rng.geometric(0.12, rows) - 1 + (rng.random(rows) < 0.05) * rng.integers(20, 200, rows), 330)
    reported = [_weekday(o + timedelta(days=int(d))) for o, d in zip(occurred, delay, strict=True)]
    category = _pick(rng, {"Sedan": 0.624, "Sport": 0.35, "Utility": 0.026}, rows)
    cover = np.array([_pick(rng, COVER[c], 1)[0] for c in category])
    age = np.clip(rng.normal(40, 12, rows), 16, 80).astype(int) * (rng.random(rows) > 0.022)  # 0 = unknown
    policy_days = np.array([_days_in(rng, label) for label in _pick(rng, POLICY_DAYS, rows)])
    frame = pd.DataFrame(
        {
            "Month": [MONTHS[o.month - 1] for o in occurred],
            "WeekOfMonth": [week_of_month(o) for o in occurred],
            "DayOfWeek": [WEEKDAYS[o.weekday()] for o in occurred],
            "Make": _pick(rng, MAKES, rows),
            "AccidentArea": _pick(rng, {"Urban": 0.896, "Rural": 0.104}, rows),
            "DayOfWeekClaimed": [WEEKDAYS[r.weekday()] for r in reported],
            "MonthClaimed": [MONTHS[r.month - 1] for r in reported],
            "WeekOfMonthClaimed": [week_of_month(r) for r in reported],
            "Sex": _pick(rng, {"Male": 0.843, "Female": 0.157}, rows),
            "MaritalStatus": _pick(rng, {"Married": 0.69, "Single": 0.302, "Divorced": 0.005, "Widow": 0.003}, rows),
            "Age": age,
            "Fault": _pick(rng, {"Policy Holder": 0.727, "Third Party": 0.273}, rows),
            "PolicyType": [_policy_type(c, b) for c, b in zip(category, cover, strict=True)],
            "VehicleCategory": category,
            "VehiclePrice": _pick(rng, VEHICLE_PRICE, rows),
            "FraudFound_P": 0,
            "PolicyNumber": np.arange(1, rows + 1),
            "RepNumber": rng.integers(1, 17, rows),
            "Deductible": _pick(rng, {400: 0.961, 700: 0.021, 500: 0.017, 300: 0.001}, rows),
            "DriverRating": rng.integers(1, 5, rows),
            "Days_Policy_Accident": [bins.POLICY_DAYS.label(d) for d in policy_days],
            "Days_Policy_Claim": [
                bins.POLICY_DAYS.label(d + (r - o).days)
                for d, o, r in zip(policy_days, occurred, reported, strict=True)
            ],
            "PastNumberOfClaims": _pick(rng, PAST_CLAIMS, rows),
            "AgeOfVehicle": _pick(rng, VEHICLE_AGE, rows),
            "AgeOfPolicyHolder": [_holder_age(a) for a in age],
            "PoliceReportFiled": _pick(rng, {"No": 0.972, "Yes": 0.028}, rows),
            "WitnessPresent": _pick(rng, {"No": 0.9945, "Yes": 0.0055}, rows),
            "AgentType": _pick(rng, {"External": 0.984, "Internal": 0.016}, rows),
            "NumberOfSuppliments": _pick(rng, SUPPLEMENTS, rows),
            "AddressChange_Claim": _pick(rng, ADDRESS_CHANGE, rows),
            "NumberOfCars": _pick(rng, CARS, rows),
            "Year": year,
            "BasePolicy": cover,
        }
    )
    frame["FraudFound_P"] = (rng.random(rows) < _fraud_probability(frame, base_rate=0.06)).astype(int)
    return frame[list(FRAUD_COLUMNS)]


def fremtpl2_sev_frame(rows: int, seed: int) -> pd.DataFrame:
    """About `rows` synthetic claims in freMTPL2sev's layout (policies with several claims repeat)."""
    rng = np.random.default_rng(seed)
    policies = int(rows / 1.12)
    claims = np.minimum(rng.geometric(0.9, policies), 4)
    area = _pick(rng, AREAS, policies)
    typical, spread = np.array([DENSITY[a] for a in area]).T
    driver_age = np.clip(rng.normal(45, 14.7, policies), 18, 99).astype(int)
    young = np.clip(30 - driver_age, 0, None)
    policy = pd.DataFrame(
        {
            "IDpol": rng.choice(np.arange(100, 6_200_000), policies, replace=False),
            "ClaimNb": claims,
            "Exposure": np.round(np.clip(rng.beta(2.2, 1, policies), 0.0027, 1.0), 2),
            "VehPower": rng.choice(
                np.arange(4, 16),
                policies,
                p=_normalised([0.152, 0.193, 0.24, 0.21, 0.061, 0.047, 0.047, 0.026, 0.011, 0.005, 0.004, 0.004]),
            ),
            "VehAge": np.clip(rng.gamma(2.0, 3.7, policies), 0, 40).astype(int),
            "DrivAge": driver_age,
            "BonusMalus": np.clip(
                50 + (rng.random(policies) > 0.44) * rng.exponential(22, policies) + 3 * young, 50, 230
            ).astype(int),
            "VehBrand": _pick(rng, BRANDS, policies),
            "VehGas": _pick(rng, {"Diesel": 0.506, "Regular": 0.494}, policies),
            "Area": area,
            "Density": np.clip(typical * np.exp(rng.normal(0, spread)), 2, 27000).astype(int),
            "Region": _pick(rng, REGIONS, policies),
        }
    )
    frame = policy.loc[policy.index.repeat(policy["ClaimNb"])].reset_index(drop=True)
    frame["ClaimAmount"] = _claim_amounts(rng, frame)
    return frame[list(SEVERITY_COLUMNS)]


def peril_descriptions_frame(rows: int, seed: int) -> pd.DataFrame:
    """`rows` synthetic property claims in the LGPIF layout: one-hot perils, Loss, padded Description."""
    rng = np.random.default_rng(seed)
    perils = rng.choice(len(PERIL_COLUMNS), rows, p=_normalised(list(PERIL_SHARES)))
    # One description in ten reads like another peril, as in the real file ("fire hydrant damaged" is a vehicle).
    worded_as = np.where(rng.random(rows) < 0.1, rng.integers(0, len(PERIL_COLUMNS), rows), perils)
    texts = []
    for peril in worded_as:
        phrase = str(rng.choice(PERIL_PHRASES[PERIL_COLUMNS[peril]]))
        texts.append(f"{phrase} {rng.choice(PLACES)}".ljust(50))
    frame = pd.DataFrame(np.eye(len(PERIL_COLUMNS), dtype=int)[perils], columns=list(PERIL_COLUMNS))
    frame["Loss"] = np.round(np.exp(rng.normal(7.7, 1.5, rows)), 2)
    frame["Description"] = texts
    return frame


def _claim_amounts(rng: np.random.Generator, frame: pd.DataFrame) -> np.ndarray:
    n = len(frame)
    risk = (
        0.004 * (frame["BonusMalus"] - 50)
        + 0.04 * (frame["VehPower"] - 6)
        + 0.015 * np.clip(30 - frame["DrivAge"], 0, None)
    ).to_numpy()
    body = np.exp(rng.normal(6.7 + risk, 1.1, n))
    tail = 4000 * (1 + rng.pareto(1.3, n)) * np.exp(risk)
    kind = rng.random(n)
    fixed = _pick(rng, {k: v / sum(IRSA_AMOUNTS.values()) for k, v in IRSA_AMOUNTS.items()}, n)
    amounts = np.where(kind < 0.41, fixed, np.where(kind < 0.97, body, tail))
    return np.round(np.clip(amounts, 1, 4_000_000), 2)


def _fraud_probability(frame: pd.DataFrame, base_rate: float) -> np.ndarray:
    """A logistic model of fraud on the red flags; the intercept set so the mean is `base_rate`."""
    score = (
        -2.4 * (frame["BasePolicy"] == "Liability")
        - 2.0 * (frame["Fault"] == "Third Party")
        + 1.4 * frame["Days_Policy_Accident"].isin(["none", "1 to 7", "8 to 15", "15 to 30"])
        + 1.2 * frame["AddressChange_Claim"].isin(["under 6 months", "1 year", "2 to 3 years"])
        + 0.6 * (frame["PoliceReportFiled"] == "No")
        + 0.4 * (frame["WitnessPresent"] == "No")
        + 0.4 * (frame["PastNumberOfClaims"] == "none")
        + 0.4 * frame["Age"].between(1, 25)
        + 0.5 * (frame["VehiclePrice"] == "more than 69000")
    ).to_numpy(dtype=float)
    low, high = -15.0, 5.0
    for _ in range(60):  # bisection on the intercept
        middle = (low + high) / 2
        low, high = (middle, high) if (1 / (1 + np.exp(-(score + middle)))).mean() < base_rate else (low, middle)
    probability: np.ndarray = 1 / (1 + np.exp(-(score + low)))
    return probability


def _pick(rng: np.random.Generator, weights: Mapping[Any, float], size: int) -> np.ndarray:
    values = list(weights)
    return np.asarray(values)[rng.choice(len(values), size, p=_normalised(list(weights.values())))]


def _normalised(weights: list[float]) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    shares: np.ndarray = array / array.sum()
    return shares


def _days_in(rng: np.random.Generator, label: str) -> int:
    low, high = bins.POLICY_DAYS.span(label, floor=-30, ceiling=1500)
    return int(rng.integers(int(low), int(high) + 1))


def _weekday(day: date) -> date:
    """Claims offices rarely log reports at weekends: move most of them to Monday."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 and day.day % 10 else day


def _policy_type(category: str, cover: str) -> str:
    return f"Sedan - {cover}" if (category, cover) == ("Sport", "Liability") else f"{category} - {cover}"


def _holder_age(age: int) -> str:
    if age == 0:
        return "16 to 17"
    return next(label for upper, label in HOLDER_AGE if age <= upper)
