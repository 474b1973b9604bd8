"""Row -> FNOL -> features gives back the row's own (binned) columns: the mapping and the features agree."""

from __future__ import annotations

from datetime import date

import pytest

from claimgen.datasets import fraud_oracle_frame, fremtpl2_sev_frame
from models.fraud.features import fraud_features
from models.loss_dates import date_in_week, week_of_month
from models.mapping import fraud_row_to_fnol, severity_row_to_fnol
from models.markets import FRAUD_ORACLE, FREMTPL2, outside
from models.severity.features import severity_features

# feature -> column whose value it must reproduce exactly, on every row
BINNED = {
    "days_policy_accident": "Days_Policy_Accident",
    "vehicle_age": "AgeOfVehicle",
    "vehicle_price": "VehiclePrice",
    "address_change": "AddressChange_Claim",
    "supplements": "NumberOfSuppliments",
    "past_claims": "PastNumberOfClaims",
    "vehicles_insured": "NumberOfCars",
    "loss_month": "Month",
    "loss_day_of_week": "DayOfWeek",
}
# features the data set dates, where its own dates can contradict each other (a report before the loss)
DATED = {
    "report_month": "MonthClaimed",
    "report_day_of_week": "DayOfWeekClaimed",
    "report_week_of_month": "WeekOfMonthClaimed",
    "loss_week_of_month": "WeekOfMonth",
    "days_policy_claim": "Days_Policy_Claim",
}
NAMED = {
    "Policy Holder": "policy_holder",
    "Third Party": "third_party",
    "All Perils": "all_perils",
    "Collision": "collision",
    "Liability": "liability",
    "Urban": "urban",
    "Rural": "rural",
    "Sedan": "sedan",
    "Sport": "sport",
    "Utility": "utility",
    "External": "external",
    "Internal": "internal",
    "Accura": "Acura",
    "Nisson": "Nissan",
    "Porche": "Porsche",
    "Mecedes": "Mercedes",
    "Yes": 1.0,
    "No": 0.0,
}
RENAMED = {
    "fault": "Fault",
    "coverage": "BasePolicy",
    "area_type": "AccidentArea",
    "vehicle_category": "VehicleCategory",
    "agent_type": "AgentType",
    "make": "Make",
    "police_report_filed": "PoliceReportFiled",
    "witness_present": "WitnessPresent",
}


def expected_features(row: dict, columns: dict[str, str]) -> dict:
    return {feature: NAMED.get(row[column], row[column]) for feature, column in columns.items()}


def fraud_mismatches(row: dict, columns: dict[str, str]) -> dict:
    features = fraud_features(fraud_row_to_fnol(row))
    expected = expected_features(row, columns)
    return {k: (features[k], v) for k, v in expected.items() if features[k] != v}


def test_fraud_rows_give_back_their_binned_and_named_columns(fraud_rows: list[dict]) -> None:
    for row in fraud_rows:
        assert fraud_mismatches(row, BINNED | RENAMED) == {}, row
        features = fraud_features(fraud_row_to_fnol(row))
        assert features["claimant_age"] == (None if row["Age"] == 0 else row["Age"])
        assert (features["deductible"], features["driver_rating"]) == (row["Deductible"], row["DriverRating"])


def test_fraud_rows_give_back_their_dates_where_the_data_set_dates_agree(fraud_rows: list[dict]) -> None:
    agreeing = [row for row in fraud_rows if not fraud_mismatches(row, DATED)]
    assert len(agreeing) >= 0.8 * len(fraud_rows)  # the real file: 5th weeks that do not exist, reports before losses


def test_generated_fraud_rows_round_trip_completely() -> None:
    for row in fraud_oracle_frame(300, seed=9).to_dict("records"):
        assert fraud_mismatches(row, BINNED | RENAMED | DATED) == {}, row


def test_a_fifth_week_the_month_lacks_falls_back_to_the_fourth() -> None:
    assert date_in_week(1994, 12, 5, 2) == date(1994, 12, 28)  # December 1994 has four Wednesdays
    assert date_in_week(1994, 12, 5, 4) == date(1994, 12, 30)  # ... and five Fridays
    assert week_of_month(date(1994, 12, 30)) == 5


def test_a_report_dated_before_the_loss_is_taken_as_the_loss_day(fraud_rows: list[dict]) -> None:
    row = dict(fraud_rows[0], Month="Mar", WeekOfMonth=3, MonthClaimed="Mar", WeekOfMonthClaimed=1)
    fnol = fraud_row_to_fnol(row)
    assert fnol.loss.reported_at == fnol.loss.occurred_at


def test_synthesised_values_are_deterministic_from_the_row(fraud_rows: list[dict]) -> None:
    row = {k: v for k, v in fraud_rows[0].items() if k != "PolicyNumber"}
    assert fraud_row_to_fnol(row) == fraud_row_to_fnol(dict(row))
    assert fraud_row_to_fnol(row).claim_id != fraud_row_to_fnol(dict(row, Age=row["Age"] + 1)).claim_id


@pytest.mark.parametrize("source", ["data set", "generator"])
def test_severity_rows_give_back_their_columns(source: str, severity_rows: list[dict]) -> None:
    rows = severity_rows if source == "data set" else fremtpl2_sev_frame(200, seed=9).to_dict("records")
    for row in rows:
        features = severity_features(severity_row_to_fnol(row))
        policy_years = features.pop("policy_years_at_loss")
        assert features == {
            "vehicle_power": row["VehPower"],
            "vehicle_age": min(row["VehAge"], 50),
            "driver_age": row["DrivAge"],
            "bonus_malus": row["BonusMalus"],
            "population_density": row["Density"],
            "vehicle_make": row["VehBrand"],
            "fuel": row["VehGas"].lower(),
            "area_code": row["Area"],
            "region": row["Region"],
        }, row
        assert policy_years == pytest.approx(row["Exposure"] / 2, abs=0.002), row  # the loss midway through it


def test_each_data_sets_rows_are_claims_of_its_market(fraud_rows: list[dict], severity_rows: list[dict]) -> None:
    # a severity model estimates only claims of the market it learnt from: its own training rows must be of it
    assert all(outside(FREMTPL2, severity_row_to_fnol(row)) is None for row in severity_rows)
    assert all(outside(FRAUD_ORACLE, fraud_row_to_fnol(row)) is None for row in fraud_rows)
