"""Composition root: the one module that knows every service and wires its handler to the runner."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from models.client.port import ModelClient
from services.core import topics
from services.core.audit import AuditLog, entries_for_stage
from services.core.database import writing
from services.core.documents import DocumentStore
from services.core.events import FNOL, ClaimCase
from services.core.queue import QueueStore
from services.core.runner import Stage, utcnow
from services.core.settings import (
    DocextractSettings,
    FraudSettings,
    IntakeSettings,
    RouterSettings,
    SeveritySettings,
    StageSettings,
    TriageSettings,
)
from services.core.store import ClaimStore
from services.docextract.bootstrap import ocr_pool, read_limits, text_layer_reader
from services.docextract.handler import extract
from services.fraud.handler import score_fraud, score_fraud_batch
from services.intake.handler import accept_fnol, accept_fnols
from services.router.handler import decide, decide_batch
from services.router.policy import load_policy
from services.router.settlement import settlement_events
from services.severity.handler import estimate_severity, estimate_severity_batch

if TYPE_CHECKING:
    from models.peril.reader import LivePerilReader

STAGES = ("intake", "docextract", "fraud", "severity", "router")
SETTINGS: dict[str, type[StageSettings]] = {
    "intake": IntakeSettings,
    "docextract": DocextractSettings,
    "fraud": FraudSettings,
    "severity": SeveritySettings,
    "router": RouterSettings,
}
INPUTS = {
    "intake": topics.FNOL_INBOUND,
    "docextract": topics.FNOL,
    "fraud": topics.EXTRACTED,
    "severity": topics.SCORED,
    "router": topics.ESTIMATED,
}
OUTPUTS = {
    "intake": topics.FNOL,
    "docextract": topics.EXTRACTED,
    "fraud": topics.SCORED,
    "severity": topics.ESTIMATED,
    "router": topics.DECIDED,
}


@dataclass
class Dependencies:
    """What handlers need from the outside world, built once per process."""

    settings: TriageSettings
    store: ClaimStore
    documents: DocumentStore
    audit: AuditLog
    queue: QueueStore

    @classmethod
    def from_settings(cls, settings: TriageSettings) -> Dependencies:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = ClaimStore(settings.resolved_database_url())
        return cls(
            settings,
            store,
            DocumentStore(settings.resolved_document_dir()),
            AuditLog(store.engine),
            QueueStore(store.engine),
        )


def record_and_audit(
    stage: str,
    cases: Sequence[ClaimCase],
    texts: Sequence[str] | None = None,
    consumed: Sequence[bytes] | None = None,
    *,
    store: ClaimStore,
    audit: AuditLog,
    queue: QueueStore | None = None,
) -> None:
    """A batch's stage rows, its audit entries and (router) its queued cases, in one transaction; all idempotent,
    so a replayed batch adds nothing. `texts`: the cases' JSON; `consumed`: the records they were made from."""
    entries = entries_for_stage(stage, cases, consumed)
    with writing(store.engine) as conn:
        store.record_stage(stage, cases, texts, conn=conn)
        audit.append(entries, conn=conn)
        if stage == "router" and queue is not None:
            queue.enqueue(cases, conn=conn)


def document_count(case: ClaimCase) -> int:
    """What a case costs docextract: its documents (a claim without any is all but free)."""
    return len(case.fnol.documents)


def load_model(settings: TriageSettings, name: str, alias: str) -> Any:
    """A registered model by alias, from the MLflow registry."""
    from models.registry import ModelRegistry  # mlflow is heavy: only stages that score load it

    return ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root()).load(name, alias)


def model_client(settings: TriageSettings, name: str, alias: str) -> ModelClient:
    """The model-client port for stage `name`: over HTTP to the gateway when one is configured, else in process."""
    if settings.model_gateway_url:
        from models.client.http import GatewayClient

        return GatewayClient(
            settings.model_gateway_url,
            timeout_s=settings.model_gateway_timeout_s,
            retries=settings.model_gateway_retries,
        )
    from models.arms import SplitPolicy
    from models.client.inprocess import InProcessModels
    from models.live import LiveModels
    from models.registry import ModelRegistry  # mlflow is heavy: only stages that score load it

    registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
    live = LiveModels(registry, name, champion_alias=alias, reload_s=settings.model_reload_s)
    policy = SplitPolicy(settings.model_challenger_share, settings.model_shadow)
    return InProcessModels(policy=policy, **{name: live})


def peril_reader(settings: TriageSettings, alias: str) -> LivePerilReader:
    """The peril model the router reads causes of loss with, loaded once per process, following its alias."""
    from models.live import LiveModels
    from models.peril.reader import LivePerilReader
    from models.registry import ModelRegistry  # mlflow is heavy: only stages that score load it

    registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
    # No challenger arm for the peril: naming the champion twice loads one model.
    return LivePerilReader(
        LiveModels(registry, "peril", champion_alias=alias, challenger_alias=alias, reload_s=settings.model_reload_s)
    )


def build_stage(name: str, deps: Dependencies, stage_settings: StageSettings) -> Stage[BaseModel]:
    """Stage `name` with its handler bound to its dependencies."""
    record = partial(record_and_audit, store=deps.store, audit=deps.audit, queue=deps.queue)
    if name == "intake":
        accept = partial(accept_fnol, ledger=deps.store, clock=utcnow)
        return Stage(
            name,
            INPUTS[name],
            OUTPUTS[name],
            FNOL,
            accept,
            record,  # type: ignore[arg-type]
            handle_batch=partial(accept_fnols, ledger=deps.store, clock=utcnow),
        )
    if name == "docextract":
        assert isinstance(stage_settings, DocextractSettings)
        handle = partial(
            extract,
            documents=deps.documents,
            max_pages=stage_settings.max_pages,
            limits=read_limits(stage_settings),
            ocr=ocr_pool(stage_settings),
            text_layer=text_layer_reader(),
        )
        return Stage(
            name,
            INPUTS[name],
            OUTPUTS[name],
            ClaimCase,
            handle,
            record,  # type: ignore[arg-type]
            cost=document_count,  # type: ignore[arg-type]
            max_cost=stage_settings.max_batch_documents,
        )
    if name == "fraud":
        assert isinstance(stage_settings, FraudSettings)
        scorer = model_client(deps.settings, "fraud", stage_settings.model_alias)
        return Stage(
            name,
            INPUTS[name],
            OUTPUTS[name],
            ClaimCase,
            partial(score_fraud, scorer=scorer),
            record,
            handle_batch=partial(score_fraud_batch, scorer=scorer),
        )  # type: ignore[arg-type]
    if name == "severity":
        assert isinstance(stage_settings, SeveritySettings)
        estimator = model_client(deps.settings, "severity", stage_settings.model_alias)
        return Stage(
            name,
            INPUTS[name],
            OUTPUTS[name],
            ClaimCase,
            partial(estimate_severity, estimator=estimator),
            record,
            handle_batch=partial(estimate_severity_batch, estimator=estimator),
        )  # type: ignore[arg-type]
    if name == "router":
        assert isinstance(stage_settings, RouterSettings)
        policy, perils = (
            load_policy(stage_settings.policy_file),
            peril_reader(deps.settings, stage_settings.peril_model_alias),
        )
        return Stage(
            name,
            INPUTS[name],
            OUTPUTS[name],
            ClaimCase,  # type: ignore[arg-type]
            partial(decide, policy=policy, clock=utcnow, perils=perils),
            record,
            handle_batch=partial(decide_batch, policy=policy, clock=utcnow, perils=perils),
            side_events=partial(settlement_events, policy=policy),
        )
    raise ValueError(f"unknown stage {name!r}; choose one of {', '.join(STAGES)}")
