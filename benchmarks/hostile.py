"""Hostile input: schemathesis against every HTTP API, and fuzzed records and documents through the stages.

    python -m benchmarks.hostile [--examples 100] [--records 2000] [--documents 300] [--skip-gateway]

1. schemathesis generates requests from each API's own OpenAPI document (the intake API and the adjuster
   queue API, each with a token holding every role, and the model gateway as its own BentoML process) and
   counts the answers that are server errors (5xx);
2. hypothesis makes hostile records for the inbound topic (random bytes, random JSON, real FNOLs with a
   field dropped, retyped or blown up to 200 kB) and drives them through the intake stage: each must be
   accepted once or dead-lettered with its reason, and the stream must go on;
3. broken documents (random bytes, a PDF header before random bytes) go through docextract: each must
   end as a named error on the case, never an exception.
Last line: `hostile: schemathesis_cases=… server_errors=… fuzz_records=… dead_lettered=… fuzz_documents=…
crashes=…`
"""

from __future__ import annotations

import argparse
import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from benchmarks.scratch import scratch_folder
from claimgen.fnol import generate_claims
from services.core.events import ClaimCase, DocumentRef
from services.core.runner import Delivery

VALID = json.loads(generate_claims(1, seed=1, now=datetime(2026, 11, 1, tzinfo=UTC))[0].fnol.model_dump_json())
json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)


@st.composite
def mutated_fnol(draw: st.DrawFn) -> bytes:
    """A real FNOL with one part broken: a field dropped, retyped, or blown up to a huge size."""
    fnol: dict[str, Any] = json.loads(json.dumps(VALID))
    section = draw(st.sampled_from(["root", "loss", "policy", "claimant", "vehicle"]))
    target = fnol if section == "root" else fnol[section]
    name = draw(st.sampled_from(sorted(target)))
    action = draw(st.sampled_from(["drop", "retype", "huge"]))
    if action == "drop":
        del target[name]
    elif action == "retype":
        target[name] = draw(json_values)
    else:
        target[name] = "x" * draw(st.integers(10_000, 200_000))
    return json.dumps(fnol).encode()


hostile_records = st.one_of(st.binary(max_size=2000), json_values.map(lambda v: json.dumps(v).encode()), mutated_fnol())
broken_documents = st.one_of(st.binary(max_size=5000), st.binary(max_size=3000).map(lambda b: b"%PDF-1.7\n" + b))


@dataclass
class ApiReport:
    name: str
    cases: int = 0
    server_errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)  # the first few requests that got a 5xx


def probe_api(name: str, schema: Any, examples: int, headers: dict[str, str] | None = None) -> ApiReport:
    """`examples` generated requests per operation of `schema`; every answer's status counted."""
    report = ApiReport(name)
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            response = case.call(headers=headers)
            report.cases += 1
            report.statuses[response.status_code] += 1
            if response.status_code >= 500:
                report.server_errors += 1
                if len(report.examples) < 5:
                    report.examples.append(f"{case.method} {case.formatted_path} -> {response.status_code}")

        call()
    return report


def intake_schema(folder: Path, secret: str) -> Any:
    """The intake API, admitting intake systems by bearer tokens signed with `secret`."""
    import schemathesis

    from services.app.stages import order
    from services.core.bus.memory import MemoryBus
    from services.core.documents import DocumentStore
    from services.core.store import ClaimStore
    from services.intake.api import ThreadedAdmission, create_app
    from services.intake.security import bearer_token

    folder.mkdir(parents=True, exist_ok=True)
    app = create_app(
        admission=ThreadedAdmission(ClaimStore(f"sqlite:///{folder / 'c.db'}", order()), MemoryBus().publisher()),
        documents=DocumentStore(folder / "docs"),
        max_document_bytes=100_000,
        authenticate=bearer_token(secret),
    )
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def adjuster_schema(folder: Path, secret: str) -> Any:
    """The adjuster API over a store holding a few routed claims, so ids in paths can hit real cases."""
    import schemathesis

    from services.adjuster.api import create_app
    from services.adjuster.outbox import Outbox
    from services.adjuster.queue import QueueStore
    from services.app.stages import order
    from services.core.audit import AuditLog
    from services.core.bus.memory import MemoryBus
    from services.core.store import ClaimStore

    folder.mkdir(parents=True, exist_ok=True)
    store = ClaimStore(f"sqlite:///{folder / 'adjuster.db'}", order())
    queue = QueueStore(store.engine)
    app = create_app(
        queue=queue,
        cases=store,
        audit=AuditLog(store.engine),
        feedback=Outbox(store.engine, MemoryBus().publisher()),
        token_secret=secret,
        clock=lambda: datetime.now(UTC),
        hold=timedelta(minutes=30),
    )
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def all_roles_token(secret: str) -> dict[str, str]:
    from services.core.auth import Role, mint_token

    return {"Authorization": f"Bearer {mint_token('hostile-bench', list(Role), secret)}"}


def gateway_report(folder: Path, examples: int) -> ApiReport:
    """The gateway as its own process over models trained here."""
    import schemathesis

    from services.core.settings import TriageSettings
    from services.gateway.process import GatewayProcess
    from training.run import train_missing

    train_missing(TriageSettings(data_dir=folder), names=("fraud", "severity"))
    gateway = GatewayProcess({"TRIAGE_DATA_DIR": str(folder)}, folder / "gateway.log").start()
    try:
        gateway.wait_ready()
        return probe_api("gateway", schemathesis.openapi.from_url(f"{gateway.url}/docs.json"), examples)
    finally:
        gateway.stop()


@dataclass
class FuzzReport:
    records: int = 0
    accepted: int = 0
    dead_lettered: int = 0
    documents: int = 0
    document_errors: Counter[str] = field(default_factory=Counter)
    crashes: int = 0
    crash_examples: list[str] = field(default_factory=list)


def fuzz_intake(folder: Path, batches: int, report: FuzzReport) -> None:
    """Batches of hostile records, each followed by a valid FNOL, through the intake stage on the memory bus."""
    from services.app.bootstrap import open_dependencies
    from services.app.stages import declared
    from services.core import topics
    from services.core.bus.memory import MemoryBus
    from services.core.bus.port import Outgoing
    from services.core.runner import Runner, drain
    from services.core.settings import TriageSettings

    stage = declared("intake").stage(open_dependencies(TriageSettings(data_dir=folder)))

    @settings(
        max_examples=batches,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(records=st.lists(hostile_records, min_size=1, max_size=8))
    def run(records: list[bytes]) -> None:
        bus = MemoryBus()
        valid = generate_claims(1, seed=2, id_prefix=f"F{uuid.uuid4().hex[:8]}")[0].fnol
        bus.publisher().publish(
            [Outgoing(topics.FNOL_INBOUND, "k", r) for r in records]
            + [Outgoing(topics.FNOL_INBOUND, valid.claim_id, valid.model_dump_json().encode())]
        )
        report.records += len(records)
        try:
            drain([Runner(stage, bus.stage_link("intake", [topics.FNOL_INBOUND]), poll_timeout_s=0.01)])
        except Exception as exc:  # the stage itself fell over: what this benchmark exists to find
            _crash(report, f"intake: {exc!r}")
            return
        accepted = {ClaimCase.model_validate_json(m.value).claim_id for m in bus.messages(topics.FNOL)}
        dead = bus.messages(topics.DLQ)
        if valid.claim_id not in accepted:
            _crash(report, "intake: the stream did not go on past a hostile record")
        if any(not dict(m.headers).get("dlq.error") for m in dead):
            _crash(report, "intake: a dead letter without its reason")
        report.accepted += len(accepted) - 1
        report.dead_lettered += len(dead)
        unaccounted = len(records) - (len(accepted) - 1) - len(dead)
        if unaccounted > 0:  # neither published nor dead-lettered: only a repeated, identical FNOL may vanish
            duplicates = len(records) - len(set(records))
            if unaccounted > duplicates:
                _crash(report, f"intake: {unaccounted} records neither accepted nor dead-lettered")

    run()


def fuzz_documents(folder: Path, count: int, report: FuzzReport) -> None:
    """Broken documents attached to a claim, read by docextract: each a named error on the case."""
    from services.core.documents import DocumentStore
    from services.docextract import extract

    store = DocumentStore(folder / "fuzz-docs")
    fnol = generate_claims(1, seed=4)[0].fnol

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(content=broken_documents)
    def run(content: bytes) -> None:
        digest = store.put(content)
        ref = DocumentRef(sha256=digest, filename="upload.pdf", media_type="application/pdf", size_bytes=len(content))
        now = datetime.now(UTC)
        case = ClaimCase(
            event_id=uuid.uuid4(),
            claim_id=fnol.claim_id,
            occurred_at=now,
            accepted_at=now,
            fnol=fnol.model_copy(update={"documents": [ref]}),
        )
        report.documents += 1
        try:
            out = extract(case, Delivery("fuzz:0:0", now), documents=store, max_pages=20)
        except Exception as exc:
            _crash(report, f"docextract: {exc!r}")
            return
        [summary] = out.extraction.documents if out.extraction else [None]
        if summary is None:
            _crash(report, "docextract: no summary for the document")
            return
        report.document_errors[(summary.error or "read").split(":")[0]] += 1

    run()


def _crash(report: FuzzReport, text: str) -> None:
    report.crashes += 1
    if len(report.crash_examples) < 5:
        report.crash_examples.append(text[:300])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="schemathesis requests per API operation")
    parser.add_argument("--records", type=int, default=300, help="batches of 1-8 hostile inbound records")
    parser.add_argument("--documents", type=int, default=300, help="broken documents through docextract")
    parser.add_argument("--skip-gateway", action="store_true", help="do not start the model gateway")
    args = parser.parse_args()
    with scratch_folder("triage-hostile-") as folder:
        secret = uuid.uuid4().hex * 2
        steps: list[tuple[str, Callable[[], ApiReport]]] = [
            (
                "intake API",
                lambda: probe_api(
                    "intake", intake_schema(folder / "intake", secret), args.examples, all_roles_token(secret)
                ),
            ),
            (
                "adjuster API",
                lambda: probe_api(
                    "adjuster", adjuster_schema(folder / "adjuster", secret), args.examples, all_roles_token(secret)
                ),
            ),
        ]
        if not args.skip_gateway:
            steps.append(("model gateway", lambda: gateway_report(folder / "gateway", args.examples)))
        apis = []
        for title, step in steps:
            print(f"schemathesis: {title}...", flush=True)
            apis.append(step())
            api = apis[-1]
            statuses = dict(sorted(api.statuses.items()))
            print(f"  {api.cases} requests, {api.server_errors} server errors; statuses {statuses}")
            for example in api.examples:
                print(f"    {example}")
        fuzz = FuzzReport()
        print(f"fuzzing the inbound topic ({args.records} batches of 1-8 records)...", flush=True)
        fuzz_intake(folder / "fuzz", args.records, fuzz)
        print(f"  {fuzz.records} records: {fuzz.accepted} accepted, {fuzz.dead_lettered} dead-lettered")
        print(f"fuzzing docextract ({args.documents} broken documents)...", flush=True)
        fuzz_documents(folder, args.documents, fuzz)
        print(f"  {fuzz.documents} documents: {dict(fuzz.document_errors.most_common())}")
        for example in fuzz.crash_examples:
            print(f"  crash: {example}")
        print(
            f"hostile: schemathesis_cases={sum(a.cases for a in apis)} "
            f"server_errors={sum(a.server_errors for a in apis)} fuzz_records={fuzz.records} "
            f"dead_lettered={fuzz.dead_lettered} fuzz_documents={fuzz.documents} crashes={fuzz.crashes}"
        )


if __name__ == "__main__":
    main()
