"""What travels between the model client and the gateway: claims' feature rows in, scores out.

Each model's features are one strict TypedDict built from the feature lists the model code keeps
(models/fraud/features.py, models/severity/features.py): every feature must be present (null when
the fact is unknown), numbers must be finite numbers, bins must be one of their labels, and an
unknown name is refused, so a bad request names each bad feature instead of scoring garbage.
A TypedDict, not a model: pydantic checks the whole request in one pass and hands over plain dicts,
which the model's feature spec turns into its input matrix column by column.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AllowInfNan, BaseModel, ConfigDict, Field, Strict
from typing_extensions import TypedDict

from models.fraud import features as fraud
from models.severity import features as severity

FiniteNumber = Annotated[float, Strict(), AllowInfNan(False)]  # strict: "12" or true is not a number


def _features_dict(
    name: str, numeric: tuple[str, ...], categorical: tuple[str, ...], ordinal: dict[str, tuple[str, ...]]
) -> Any:
    fields: dict[str, Any] = {n: FiniteNumber | None for n in numeric}
    fields |= {n: Annotated[str, Strict()] | None for n in categorical}
    fields |= {n: Literal[labels] | None for n, labels in ordinal.items()}
    features = TypedDict(name, fields)  # type: ignore[misc]  # the fields come from the model code's lists
    features.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]
    return features


FraudFeatures = _features_dict(
    "FraudFeatures", fraud.NUMERIC, fraud.CATEGORICAL, {n: tuple(labels) for n, labels in fraud.ORDINAL.items()}
)
SeverityFeatures = _features_dict("SeverityFeatures", severity.NUMERIC, severity.CATEGORICAL, {})


class FraudClaim(BaseModel):
    """One claim to score for fraud: its id (which decides its A/B arm) and its features."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    claim_id: str = Field(min_length=1)
    features: FraudFeatures  # type: ignore[valid-type]  # a class built at import, which mypy cannot see
    reasons: Annotated[bool, Strict()] = Field(
        default=True, description="Whether to explain the score (reason codes); false: the probability only."
    )


class SeverityClaim(BaseModel):
    """One motor claim to estimate: its id and its features."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    claim_id: str = Field(min_length=1)
    features: SeverityFeatures  # type: ignore[valid-type]  # built at import too
