"""Adjusters' decisions as training rows: the label policy, and what they do to a trained model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claimgen.datasets import fraud_oracle_frame, fremtpl2_sev_frame
from claimgen.fnol import GeneratedClaim
from models.fraud.features import fraud_features
from models.markets import FREMTPL2
from models.severity.features import severity_features
from tests.unit.models.conftest import in_france
from training.feedback import LABEL_POLICY, feedback_rows, fraud_label, severity_label
from training.fraud import train_fraud
from training.labels import DecidedClaim
from training.severity import train_severity
from training.sources import TrainingSet

AT = datetime(2026, 11, 21, tzinfo=UTC)


def decided(claim: GeneratedClaim, outcome: str, desk: str = "general", amount: float | None = None) -> DecidedClaim:
    return DecidedClaim(claim.fnol.claim_id, desk, outcome, amount, AT, claim.fnol)


@pytest.mark.parametrize(
    ("outcome", "desk", "fraud", "severity"),
    [
        ("refer", "special_investigations", 1, None),
        ("deny", "special_investigations", 1, None),
        ("deny", "general", 1, None),
        ("deny", "coverage", None, None),  # refused on cover grounds: not a fraud label
        ("approve", "general", 0, 850.0),
        ("request_documents", "general", None, None),  # no outcome yet
    ],
)
def test_the_label_policy(
    sample_claims: list[GeneratedClaim], outcome: str, desk: str, fraud: int | None, severity: float | None
) -> None:
    motor = next(c for c in sample_claims if c.fnol.vehicle is not None)
    claim = decided(motor, outcome, desk, 850.0 if outcome == "approve" else None)
    assert fraud_label(claim) == fraud
    assert severity_label(claim) == severity


def test_property_claims_and_zero_amounts_teach_severity_nothing(sample_claims: list[GeneratedClaim]) -> None:
    motor = next(c for c in sample_claims if c.fnol.vehicle is not None)
    building = next(c for c in sample_claims if c.fnol.vehicle is None)
    claims = [
        decided(building, "approve", amount=5_000.0),
        decided(motor, "approve", amount=0.0),
        decided(motor, "approve", amount=700.0),
    ]
    rows = feedback_rows("severity", claims, weight=2.0)
    assert list(rows.targets) == [700.0] and rows.claim_ids == (motor.fnol.claim_id,)
    assert rows.params()["feedback_rows"] == 1 and rows.params()["feedback_label_policy"] == LABEL_POLICY
    with pytest.raises(ValueError, match="peril"):
        feedback_rows("peril", claims)


def test_severity_learns_the_amounts_of_its_markets_claims_only(sample_claims: list[GeneratedClaim]) -> None:
    motor = [c for c in sample_claims if c.fnol.vehicle is not None][:2]
    american, french = motor[0], GeneratedClaim(in_france(motor[1].fnol), False, ())
    claims = [decided(american, "approve", amount=700.0), decided(french, "approve", amount=650.0)]
    assert feedback_rows("severity", claims, market=FREMTPL2).claim_ids == (french.fnol.claim_id,)  # USD is no EUR
    assert len(feedback_rows("severity", claims).rows) == 2  # no market named: every claim
    assert len(feedback_rows("fraud", claims, market=FREMTPL2).rows) == 2  # fraud labels are no amounts


def test_rows_go_through_the_scoring_features_and_the_digest_follows_the_labels(
    sample_claims: list[GeneratedClaim],
) -> None:
    motor = [c for c in sample_claims if c.fnol.vehicle is not None][:3]
    claims = [decided(motor[0], "refer"), decided(motor[1], "approve", amount=10.0), decided(motor[2], "deny")]
    rows = feedback_rows("fraud", claims)
    assert rows.rows == tuple(fraud_features(c.fnol) for c in (motor[0], motor[1], motor[2]))
    assert list(rows.targets) == [1, 0, 1]
    assert rows.digest == feedback_rows("fraud", list(claims)).digest
    flipped = [claims[0], decided(motor[1], "refer"), claims[2]]
    assert feedback_rows("fraud", flipped).digest != rows.digest


def test_fraud_feedback_teaches_the_model_and_leaves_the_figures_on_the_data_set(
    sample_claims: list[GeneratedClaim],
) -> None:
    data = TrainingSet("synthetic", fraud_oracle_frame(2_000, seed=2), "synthetic", "0" * 64, "test")
    motor = [c for c in sample_claims if c.fnol.vehicle is not None]
    # Adjusters keep finding fraud on one make the data set never saw.
    marked = [
        c.fnol.model_copy(update={"vehicle": c.fnol.vehicle.model_copy(update={"make": "Lada"})})  # type: ignore[union-attr]
        for c in motor
    ]
    claims = [DecidedClaim(f.claim_id, "special_investigations", "refer", None, AT, f) for f in marked]
    rows = feedback_rows("fraud", claims * 10, weight=3.0)

    plain = train_fraud(data, rounds=30, folds=2)
    taught = train_fraud(data, rounds=30, folds=2, feedback=rows)

    assert taught.params["feedback_rows"] == len(rows.rows) and taught.params["feedback_weight"] == 3.0
    assert taught.params["feedback_sha256"] == rows.digest and "feedback_rows" not in plain.params
    assert taught.metrics["n_rows"] == plain.metrics["n_rows"] == 2_000  # feedback is trained on, never scored
    probe = [fraud_features(f) for f in marked[:5]]
    assert (
        taught.model.probabilities(taught.model.spec.matrix(probe)).mean()
        > plain.model.probabilities(plain.model.spec.matrix(probe)).mean() + 0.05
    )


def test_severity_feedback_moves_the_expected_cost(sample_claims: list[GeneratedClaim]) -> None:
    data = TrainingSet("synthetic", fremtpl2_sev_frame(2_000, seed=2), "synthetic", "0" * 64, "test")
    motor = [c for c in sample_claims if c.fnol.vehicle is not None]
    claims = [decided(c, "approve", amount=90_000.0) for c in motor] * 20
    plain = train_severity(data, rounds=30, folds=2)
    taught = train_severity(data, rounds=30, folds=2, feedback=feedback_rows("severity", claims))
    assert taught.params["feedback_rows"] == len(claims)
    probe = [severity_features(c.fnol) for c in motor]
    before, after = (model.model.predict(model.model.spec.matrix(probe))[0].mean() for model in (plain, taught))
    assert after > 2 * before
