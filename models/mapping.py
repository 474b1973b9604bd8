"""How each training data set's columns map onto the FNOL: the one place that says so.

Training turns every data set row into the FNOL an intake system would have sent, then
computes features from that FNOL with the same code that scores live claims.

Vehicle claim fraud ("fraud_oracle", US motor, 1994-96), one row per claim:
  Year, Month, WeekOfMonth, DayOfWeek  -> loss.occurred_at (noon UTC; see models.loss_dates)
  MonthClaimed, WeekOfMonthClaimed, DayOfWeekClaimed -> loss.reported_at (the next year if the month
      comes before the loss month; a report dated before the loss, or "0", is taken as the loss day)
  Days_Policy_Accident, Days_Policy_Claim -> policy.inception_date (a day count inside both bins when
      the row's dates allow it, else inside the Days_Policy_Accident bin)
  AgeOfVehicle -> vehicle.year;  VehiclePrice -> vehicle.value (and policy.sum_insured);  Make -> vehicle.make
      (spelling corrected: Accura, Nisson, Porche, Mecedes);  VehicleCategory -> vehicle.category
  Age -> claimant.date_of_birth (Age 0 means unknown: no date);  Sex, MaritalStatus -> claimant
  AddressChange_Claim -> claimant.address_changed_on (before the report);  NumberOfSuppliments -> supplements
  BasePolicy -> policy.coverage;  Deductible, DriverRating, AgentType -> policy;  PastNumberOfClaims ->
      policy.prior_claims;  NumberOfCars -> policy.vehicles_insured
  AccidentArea -> loss.area_type;  Fault -> loss.fault;  PoliceReportFiled -> loss.police_report.filed;
      WitnessPresent -> loss.witness_present
  Not mapped: AgeOfPolicyHolder (a re-binning of Age), PolicyType (VehicleCategory x BasePolicy, except that
      Sport cars on liability cover are filed as "Sedan - Liability"), RepNumber (the claim handler),
      FraudFound_P (the label); PolicyNumber only names the claim.

freMTPL2sev (French motor third-party liability), one row per claim, no dates:
  VehPower -> vehicle.power;  VehAge -> vehicle.year (capped at 50 years: 99 is a placeholder);
  VehBrand -> vehicle.make, kept as its code (B1..B14: the data set does not name the brands);
  VehGas -> vehicle.fuel;  DrivAge -> claimant.date_of_birth;  BonusMalus -> policy.bonus_malus;
  Area -> policy.area_code;  Density -> policy.population_density;  Region -> policy.region and loss.place
  Exposure (years the policy was in force in the observation year) -> policy.inception_date, Exposure/2 years
      before the loss (the loss taken midway through the exposure): the severity model's policy age at the loss.
      A short exposure mixes new policies with policies that ended early, some perhaps because of the claim;
      the data cannot tell them apart (docs/models.md).
  Synthesised: a loss date in 2004; third-party liability cover, no deductible, the EU minimum cover
      (1.22 M EUR) as sum insured. Not mapped: ClaimNb (it counts later claims too), ClaimAmount (the label).

Wisconsin LGPIF property claim descriptions ("peril.training.csv"), one row per claim:
  Description -> loss.description (the fixed-width padding stripped);  the one-hot peril columns -> the
      peril label (PERILS below);  Loss (USD) is not mapped (the peril model reads the text alone).

Values the data sets do not carry (claim ids, names, places) are synthesised, deterministically from the row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from models import bins
from models.loss_dates import MONTHS, WEEKDAYS, date_in_week
from services.core.events import (
    FNOL,
    Address,
    AreaType,
    Coverage,
    Fault,
    LineOfBusiness,
    Loss,
    MaritalStatus,
    Person,
    PoliceReport,
    Policy,
    Sex,
    Vehicle,
    VehicleCategory,
)

if TYPE_CHECKING:
    import pandas as pd

Row = Mapping[str, str | int | float]

FRAUD_LABEL = "FraudFound_P"
SEVERITY_LABEL = "ClaimAmount"
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
    "VehPower",
    "VehAge",
    "DrivAge",
    "BonusMalus",
    "VehBrand",
    "VehGas",
    "Area",
    "Density",
    "Region",
    "Exposure",
)

PERIL_TEXT = "Description"
# The LGPIF one-hot peril columns and the peril each stands for (WaterW: weather-related water, e.g. a storm).
PERILS = {
    "Vandalism": "vandalism",
    "Fire": "fire",
    "Lightning": "lightning",
    "Wind": "wind",
    "Hail": "hail",
    "Vehicle": "vehicle",
    "WaterNW": "water_non_weather",
    "WaterW": "water_weather",
    "Misc": "other",
}
PERIL_COLUMNS = (*PERILS, PERIL_TEXT)

# The data set's misspelt makes, as an intake system would spell them.
MAKE_SPELLINGS = {"Accura": "Acura", "Nisson": "Nissan", "Porche": "Porsche", "Mecedes": "Mercedes"}
COVERAGES = {"Liability": Coverage.LIABILITY, "Collision": Coverage.COLLISION, "All Perils": Coverage.ALL_PERILS}
FAULTS = {"Policy Holder": Fault.POLICY_HOLDER, "Third Party": Fault.THIRD_PARTY}
MARITAL = {
    "Single": MaritalStatus.SINGLE,
    "Married": MaritalStatus.MARRIED,
    "Divorced": MaritalStatus.DIVORCED,
    "Widow": MaritalStatus.WIDOWED,
}
NOON = time(12, tzinfo=UTC)
MAX_VEHICLE_AGE = 50
EU_MINIMUM_COVER = 1_220_000.0


def frame_rows(frame: pd.DataFrame) -> list[Row]:
    """A data set's rows as the mappings the functions below read, keyed by column name."""
    return [{str(column): value for column, value in record.items()} for record in frame.to_dict("records")]


def fraud_row_to_fnol(row: Row) -> FNOL:
    """The FNOL behind one row of the vehicle claim fraud data set (label columns are ignored)."""
    key = _row_key(row, FRAUD_LABEL)
    name = f"FO-{int(row['PolicyNumber']):05d}" if "PolicyNumber" in row else f"FO-{key[:10]}"
    occurred = date_in_week(
        int(row["Year"]),
        MONTHS.index(str(row["Month"])) + 1,
        int(row["WeekOfMonth"]),
        WEEKDAYS.index(str(row["DayOfWeek"])),
    )
    reported = _report_date(row, occurred)
    policy_days = _policy_days_at_loss(row, (reported - occurred).days)
    value = bins.VEHICLE_PRICE.representative(str(row["VehiclePrice"]))
    vehicle_age = int(bins.VEHICLE_AGE.representative(str(row["AgeOfVehicle"])))
    return FNOL(
        claim_id=name,
        line_of_business=LineOfBusiness.MOTOR,
        policy=Policy(
            policy_number=f"P{name}",
            inception_date=occurred - timedelta(days=policy_days),
            coverage=COVERAGES[str(row["BasePolicy"])],
            deductible=float(row["Deductible"]),
            sum_insured=value,
            currency="USD",  # US auto claims (markets.FRAUD_ORACLE)
            prior_claims=int(bins.PAST_CLAIMS.representative(str(row["PastNumberOfClaims"]))),
            vehicles_insured=int(bins.VEHICLES_INSURED.representative(str(row["NumberOfCars"]))),
            agent_type=str(row["AgentType"]).lower(),
            driver_rating=int(row["DriverRating"]),
        ),
        loss=Loss(
            occurred_at=datetime.combine(occurred, NOON),
            reported_at=datetime.combine(reported, NOON),
            place=Address(city="unknown", country="US"),
            area_type=AreaType(str(row["AccidentArea"]).lower()),
            description=f"Motor claim {name} from the vehicle claim fraud data set.",
            cause="collision",
            fault=FAULTS[str(row["Fault"])],
            police_report=PoliceReport(filed=row["PoliceReportFiled"] == "Yes"),
            witness_present=row["WitnessPresent"] == "Yes",
        ),
        claimant=Person(
            name=f"Policyholder {name}",
            date_of_birth=_birth_date(int(row["Age"]), occurred, key),
            sex=Sex(str(row["Sex"]).lower()),
            marital_status=MARITAL[str(row["MaritalStatus"])],
            address_changed_on=_address_change(str(row["AddressChange_Claim"]), reported),
        ),
        vehicle=Vehicle(
            make=MAKE_SPELLINGS.get(str(row["Make"]), str(row["Make"])),
            year=occurred.year - vehicle_age,
            category=VehicleCategory(str(row["VehicleCategory"]).lower()),
            value=value,
        ),
        supplements=int(bins.SUPPLEMENTS.representative(str(row["NumberOfSuppliments"]))),
    )


def severity_row_to_fnol(row: Row) -> FNOL:
    """The FNOL behind one row of freMTPL2sev (label columns are ignored for everything but the claim id)."""
    key = _row_key(row)
    name = f"MTPL-{int(row['IDpol'])}-{key[:6]}" if "IDpol" in row else f"MTPL-{key[:12]}"
    occurred = date(2004, 1, 1) + timedelta(days=int(key[6:14], 16) % 366)
    exposure_days = round(float(row["Exposure"]) * 365 / 2)
    region = str(row["Region"])
    return FNOL(
        claim_id=name,
        line_of_business=LineOfBusiness.MOTOR,
        policy=Policy(
            policy_number=f"P{name.rsplit('-', 1)[0]}",
            inception_date=occurred - timedelta(days=exposure_days),
            coverage=Coverage.LIABILITY,
            deductible=0.0,
            sum_insured=EU_MINIMUM_COVER,
            currency="EUR",  # FREMTPL2
            bonus_malus=int(row["BonusMalus"]),
            area_code=str(row["Area"]),
            population_density=int(row["Density"]),
            region=region,
        ),
        loss=Loss(
            occurred_at=datetime.combine(occurred, NOON),
            reported_at=datetime.combine(occurred, NOON),
            place=Address(city="unknown", region=region, country="FR"),
            description=f"Motor third-party liability claim {name} from freMTPL2.",
            cause="collision",
        ),
        claimant=Person(name=f"Policyholder {name}", date_of_birth=_birth_date(int(row["DrivAge"]), occurred, key)),
        vehicle=Vehicle(
            make=str(row["VehBrand"]),
            year=occurred.year - min(int(row["VehAge"]), MAX_VEHICLE_AGE),
            power=int(row["VehPower"]),
            fuel=str(row["VehGas"]).lower(),
        ),
    )


def peril_of_row(row: Row) -> str:
    """The peril of one row of the LGPIF descriptions: the name of its one-hot column set to 1."""
    perils = [peril for column, peril in PERILS.items() if int(row[column]) == 1]
    if len(perils) != 1:
        raise ValueError(f"a row needs exactly one peril column set to 1, not {len(perils)}")
    return perils[0]


def _row_key(row: Row, *skip: str) -> str:
    """A stable hex digest of the row, the seed of every synthesised value."""
    text = "|".join(f"{k}={row[k]}" for k in sorted(row) if k not in skip)
    return hashlib.sha256(text.encode()).hexdigest()


def _report_date(row: Row, occurred: date) -> date:
    if str(row["MonthClaimed"]) not in MONTHS:  # one row has "0": no report date
        return occurred
    month = MONTHS.index(str(row["MonthClaimed"])) + 1
    year = occurred.year + (month < occurred.month)
    reported = date_in_week(year, month, int(row["WeekOfMonthClaimed"]), WEEKDAYS.index(str(row["DayOfWeekClaimed"])))
    return max(reported, occurred)  # some rows date the report before the loss


def _policy_days_at_loss(row: Row, report_delay: int) -> int:
    """Days from inception to the loss: inside the row's accident bin, and its claim bin too when possible."""
    accident_bin, claim_bin = str(row["Days_Policy_Accident"]), str(row["Days_Policy_Claim"])
    low, high = bins.POLICY_DAYS.span(accident_bin, floor=-400, ceiling=4000)
    claim_low, claim_high = bins.POLICY_DAYS.span(claim_bin, floor=-400, ceiling=4000)
    low, high = max(low, claim_low - report_delay), min(high, claim_high - report_delay)
    typical = bins.POLICY_DAYS.representative(accident_bin)
    if low > high:
        return int(typical)
    return int(min(max(typical, low), high))


def _birth_date(age: int, on: date, key: str) -> date | None:
    """A birth date that makes the person `age` on `on`; None for age 0, the data set's 'unknown'."""
    if age <= 0:
        return None
    birthday = on.replace(year=on.year - age, day=min(on.day, 28))
    return birthday - timedelta(days=int(key[:6], 16) % 300)


def _address_change(label: str, reported: date) -> date | None:
    if label == bins.NO_ADDRESS_CHANGE:
        return None
    return reported - timedelta(days=bins.ADDRESS_CHANGE_DAYS.representative(label))
