"""The fraud model scores claim cases: calibrated probability, reasons in plain language, any line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import numpy as np
import pytest

from claimgen.datasets import fraud_oracle_frame
from claimgen.fnol import generate_claims
from models.fraud.features import fraud_features
from models.fraud.model import TABLED_SHAP_ROWS, FraudModel
from models.mapping import fraud_row_to_fnol
from services.core.events import FNOL, ClaimCase, LineOfBusiness, PoliceReport


@pytest.fixture(scope="module")
def ordinary_claim() -> FNOL:
    """A collision claim, policyholder at fault, police report filed, policy years old."""
    rows = fraud_oracle_frame(2_000, seed=21).to_dict("records")
    row = next(
        r
        for r in rows
        if r["BasePolicy"] == "Collision"
        and r["Fault"] == "Policy Holder"
        and r["Days_Policy_Accident"] == "more than 30"
        and r["AddressChange_Claim"] == "no change"
    )
    fnol = fraud_row_to_fnol(row)
    return fnol.model_copy(update={"loss": fnol.loss.model_copy(update={"police_report": PoliceReport(filed=True)})})


def with_red_flags(fnol: FNOL) -> FNOL:
    """The same claim on a policy incepted ten days before the loss, with no police report."""
    inception = fnol.loss.occurred_at.date() - timedelta(days=10)
    return fnol.model_copy(
        update={
            "policy": fnol.policy.model_copy(update={"inception_date": inception}),
            "loss": fnol.loss.model_copy(update={"police_report": PoliceReport(filed=False)}),
        }
    )


def test_red_flags_raise_the_probability_and_are_named_as_reasons(
    small_fraud_model: FraudModel, ordinary_claim: FNOL, as_case: Callable[[FNOL], ClaimCase]
) -> None:
    ordinary = small_fraud_model.score(as_case(ordinary_claim))
    flagged = small_fraud_model.score(as_case(with_red_flags(ordinary_claim)))
    assert flagged.probability > ordinary.probability
    assert "Policy incepted 8 to 15 days before the loss" in {reason.message for reason in flagged.reasons}
    assert not {"days_policy_accident", "days_policy_claim"} & {reason.code for reason in ordinary.reasons}


def test_reasons_are_at_most_three_and_each_raised_the_score(
    small_fraud_model: FraudModel, as_case: Callable[[FNOL], ClaimCase]
) -> None:
    for score in small_fraud_model.score_many([as_case(c.fnol) for c in generate_claims(30, seed=4)]):
        assert 0 <= score.probability <= 1 and len(score.reasons) <= 3
        contributions = [reason.contribution for reason in score.reasons]
        assert all(c > 0 for c in contributions) and contributions == sorted(contributions, reverse=True)


def test_score_many_agrees_with_score(small_fraud_model: FraudModel, as_case: Callable[[FNOL], ClaimCase]) -> None:
    cases = [as_case(c.fnol) for c in generate_claims(10, seed=8)]
    assert small_fraud_model.score_many(cases) == [small_fraud_model.score(case) for case in cases]
    assert small_fraud_model.score_many([]) == []


def test_property_claims_and_unseen_makes_are_scored_not_refused(
    small_fraud_model: FraudModel, as_case: Callable[[FNOL], ClaimCase], ordinary_claim: FNOL
) -> None:
    property_claim = next(
        c.fnol for c in generate_claims(40, seed=11) if c.fnol.line_of_business is LineOfBusiness.PROPERTY
    )
    unseen_make = ordinary_claim.model_copy(
        update={"vehicle": ordinary_claim.vehicle.model_copy(update={"make": "Rivian", "value": None})}
    )
    for fnol in (property_claim, unseen_make):
        score = small_fraud_model.score(as_case(fnol))
        assert 0 < score.probability < 1
        assert score.model.name == "fraud"


def test_scoring_reads_inputs_exactly_as_training_did(
    small_fraud_model: FraudModel, as_case: Callable[[FNOL], ClaimCase], ordinary_claim: FNOL
) -> None:
    """Training feeds LightGBM a frame of pandas categoricals, scoring a matrix of codes: same numbers."""
    fnols = [c.fnol for c in generate_claims(30, seed=5)] + [
        ordinary_claim.model_copy(update={"vehicle": ordinary_claim.vehicle.model_copy(update={"make": "Rivian"})})
    ]
    rows = [fraud_features(f) for f in fnols]
    spec = small_fraud_model.spec
    np.testing.assert_allclose(
        small_fraud_model.probabilities(spec.matrix(rows)), small_fraud_model.probabilities(spec.frame(rows))
    )
    np.testing.assert_allclose(
        [s.probability for s in small_fraud_model.score_many([as_case(f) for f in fnols])],
        small_fraud_model.probabilities(spec.frame(rows)),
    )


def test_every_reason_reads_as_a_sentence_whatever_the_value() -> None:
    from models.fraud.reasons import MESSAGES, reason_message

    for feature in MESSAGES:
        for value in ("", "zzz", "-1", 3.0, float("nan"), None):
            message = reason_message(feature, value)
            assert isinstance(message, str) and message, (feature, value)
    assert reason_message("area_type", "") == "Area type not given"  # the gateway once failed on this (a 500)
    assert reason_message("area_type", "urban") == "Loss in an urban area"


def test_reasons_off_gives_the_same_probabilities_and_no_reasons(small_fraud_model: FraudModel) -> None:
    rows = [fraud_features(c.fnol) for c in generate_claims(40, seed=5)]
    explained = small_fraud_model.score_rows(rows)
    bare = small_fraud_model.score_rows(rows, reasons=[False] * len(rows))
    assert [s.probability for s in bare] == [s.probability for s in explained]
    assert all(s.reasons == [] for s in bare) and any(s.reasons for s in explained)


def test_batch_reasons_are_each_claims_own_and_only_for_the_claims_that_ask(small_fraud_model: FraudModel) -> None:
    rows = [fraud_features(c.fnol) for c in generate_claims(4 * TABLED_SHAP_ROWS, seed=6)]  # tabled, one by one not
    asked = [i % 3 != 0 for i in range(len(rows))]
    batch = small_fraud_model.score_rows(rows, reasons=asked)
    one_by_one = [small_fraud_model.score_rows([row])[0] for row in rows]
    for score, alone, wanted in zip(batch, one_by_one, asked, strict=True):
        assert score.probability == alone.probability
        assert score.reasons == (alone.reasons if wanted else [])


def test_reasons_are_the_strongest_shap_values_and_the_probability_their_sum(small_fraud_model: FraudModel) -> None:
    rows = [fraud_features(c.fnol) for c in generate_claims(20, seed=7)]
    contributions = small_fraud_model.booster.predict(small_fraud_model.spec.matrix(rows), pred_contrib=True)
    names = small_fraud_model.spec.names
    for score, shap in zip(small_fraud_model.score_rows(rows), contributions, strict=True):
        assert score.probability == pytest.approx(float(small_fraud_model.calibrator(shap.sum(keepdims=True))[0]))
        strongest = sorted(((w, n) for n, w in zip(names, shap[:-1], strict=True) if w > 0), reverse=True)[:3]
        assert [(r.code, r.contribution) for r in score.reasons] == [(n, round(float(w), 4)) for w, n in strongest]


def test_shap_values_on_several_threads_give_the_same_reasons(small_fraud_model: FraudModel) -> None:
    rows = [fraud_features(c.fnol) for c in generate_claims(TABLED_SHAP_ROWS - 1, seed=8)]  # left to LightGBM
    asked = [i % 4 != 0 for i in range(len(rows))]
    one = small_fraud_model.score_rows(rows, reasons=asked)
    many = small_fraud_model.score_rows(rows, reasons=asked, explain_threads=4)
    assert many == one and any(s.reasons for s in one)
