"""A training run's configuration: what `triage train <model> --config FILE` reads, and what the run logs.

The same configuration on the same data file gives the same model and the same figures
(every random choice is seeded; LightGBM runs deterministic on one thread).

    model: fraud            # fraud | severity | peril
    data: ../shared/data/vehicle_claim_fraud_oracle/train.csv.gz   # optional; default: TRIAGE_DATASETS_DIR
    market: {line_of_business: motor, country: BE, currency: EUR}   # optional, with `data`: whose claims the
                            # file holds, when not the data set's own; a severity model estimates only those
    seed: 7
    folds: 5
    rounds: 200             # boosting rounds (fraud, severity)
    holdout_share: 0.2      # held back from training, for the evaluation and the promotion gate
    holdout_seed: 20261124
    with_feedback: false    # add adjusters' decisions (claims.feedback.v1) as labels: fraud, severity
    feedback_weight: 1.0    # the training weight of each feedback row (a data set row weighs 1)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from services.core.events import Market
from training.evaluation import HOLDOUT_SEED, HOLDOUT_SHARE

ModelName = Literal["fraud", "severity", "peril"]


class ConfigError(ValueError):
    """A configuration file that cannot be used, and why."""


class TrainConfig(BaseModel):
    """One training run, reproducible from these values and the data file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: ModelName
    data: Path | None = None
    market: Market | None = None
    seed: int = 7
    folds: int = Field(5, ge=2, le=20)
    rounds: int | None = Field(None, ge=1)
    holdout_share: float = Field(HOLDOUT_SHARE, ge=0.0, lt=0.9)
    holdout_seed: int = HOLDOUT_SEED
    with_feedback: bool = False
    feedback_weight: float = Field(1.0, gt=0.0, le=100.0)

    @model_validator(mode="after")
    def _feedback_has_labels(self) -> TrainConfig:
        if self.with_feedback and self.model == "peril":
            raise ValueError("with_feedback: adjusters' decisions label the fraud and severity models, not peril")
        return self

    @model_validator(mode="after")
    def _market_is_a_files(self) -> TrainConfig:
        if self.market is not None and self.data is None:
            raise ValueError("market: names the market of a `data` file; the data set's own market is known")
        return self


def load_config(path: Path, model: ModelName | None = None) -> TrainConfig:
    """The configuration in a YAML (or JSON) file; `model`, when given, must agree with the file's."""
    try:
        content = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: cannot read it as YAML ({error})") from error
    if not isinstance(content, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, not {type(content).__name__}")
    if model is not None and content.setdefault("model", model) != model:
        raise ConfigError(f"{path}: configures model {content['model']!r}, not {model!r}")
    try:
        config = TrainConfig.model_validate(content)
    except ValidationError as error:
        raise ConfigError(f"{path}: {error}") from error
    if config.data is not None and not config.data.is_absolute():
        config = config.model_copy(update={"data": (path.parent / config.data).resolve()})
    return config
