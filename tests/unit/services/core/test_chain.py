"""A chain of stages in one process: every stage's records and the first one's offsets in one commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from claimgen.fnol import GeneratedClaim
from services.app.bootstrap import open_dependencies
from services.app.cli import app
from services.app.stages import declared
from services.core import topics
from services.core.bus.memory import MemoryBus
from services.core.bus.port import Message, Outgoing
from services.core.chain import Chain, Inbox
from services.core.events import ClaimCase
from services.core.runner import Delivery, Runner, Stage, Transient
from services.core.settings import TriageSettings

SPAN = [topics.FNOL, topics.EXTRACTED, topics.SCORED, topics.LINKED]


class CountingLink:
    """The bus's link, counting commits."""

    def __init__(self, bus: MemoryBus) -> None:
        self.inner = bus.stage_link("intake", [topics.FNOL_INBOUND])
        self.commits = 0

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.inner, name)

    def commit(self, outputs: Sequence[Outgoing], consumed: Sequence[Message]) -> None:
        self.commits += 1
        self.inner.commit(outputs, consumed)


def echo(stage: str, source: str, target: str, cost: int = 0, fail: list[int] | None = None) -> Stage[ClaimCase]:
    """A stage that passes each case on (stamped by the runner); `fail`: transient failures still to raise."""

    def handle(case: ClaimCase, delivery: Delivery) -> ClaimCase:
        if fail:
            fail.pop()
            raise Transient("the model gateway is away")
        return case

    return Stage(stage, source, target, ClaimCase, handle, cost=(lambda _: 1) if cost else None, max_cost=cost)


def chain_after_intake(tmp_path: Path, bus: MemoryBus, fail: list[int] | None = None) -> tuple[Chain, CountingLink]:
    """The real intake, then three stages passing the cases on: the last one fails `fail` times."""
    deps = open_dependencies(TriageSettings(data_dir=tmp_path))
    link = CountingLink(bus)
    later = [echo("one", SPAN[0], SPAN[1]), echo("two", SPAN[1], SPAN[2]), echo("three", SPAN[2], SPAN[3], fail=fail)]
    runners: list[Runner[Any]] = [Runner(declared("intake").stage(deps), link, poll_timeout_s=0.01)]  # type: ignore[arg-type]
    runners += [Runner(stage, Inbox(stage.input_topic)) for stage in later]
    return Chain(runners), link


def publish(bus: MemoryBus, values: Sequence[bytes]) -> None:
    bus.publisher().publish([Outgoing(topics.FNOL_INBOUND, f"k{i}", v) for i, v in enumerate(values)])


def keys(bus: MemoryBus, topic: str) -> list[str]:
    return [m.key.decode() for m in bus.messages(topic) if m.key]


def test_a_batch_passes_every_stage_and_commits_once(tmp_path: Path, sample_claims: list[GeneratedClaim]) -> None:
    bus = MemoryBus()
    chain, link = chain_after_intake(tmp_path, bus)
    fnols = [c.fnol for c in sample_claims[:12]]
    publish(bus, [b'{"claim_id": "BROKEN-1"}', *(f.model_dump_json().encode() for f in fnols)])
    assert chain.run_once() == 13
    assert link.commits == 1 and link.lag() == 0
    claim_ids = [f.claim_id for f in fnols]
    assert keys(bus, SPAN[-1]) == claim_ids  # the last stage's cases, once a claim
    assert all(not bus.messages(topic) for topic in SPAN[:-1])  # the span's own topics are not written
    [dead] = bus.messages(topics.DLQ)
    assert dict(dead.headers)["dlq.stage"] == b"intake"
    last = [ClaimCase.model_validate_json(m.value) for m in bus.messages(SPAN[-1])]
    assert all([t.stage for t in c.trace] == ["intake", "one", "two", "three"] for c in last)
    assert chain.stats.handled == 12 and chain.run_once() == 0
    assert [r.stats.handled for r in chain.runners] == [12] * 4  # each stage counts what it handled


def test_a_transient_failure_late_in_the_chain_commits_nothing_and_the_retry_everything_once(
    tmp_path: Path, sample_claims: list[GeneratedClaim]
) -> None:
    bus = MemoryBus()
    chain, link = chain_after_intake(tmp_path, bus, fail=[1])
    fnols = [c.fnol for c in sample_claims[:6]]
    publish(bus, [f.model_dump_json().encode() for f in fnols])
    with pytest.raises(Transient):
        chain.run_once()
    assert link.commits == 0 and all(not bus.messages(topic) for topic in SPAN)
    assert all(r.link.lag() == 0 for r in chain.runners[1:])  # the records handed on are dropped
    chain.rewind()
    assert chain.run_once() == 6
    # intake knows the claims it accepted in the failed try: the retry is not a duplicate
    assert keys(bus, SPAN[-1]) == [f.claim_id for f in fnols]


def test_a_later_stage_with_a_cost_budget_works_through_everything_handed_to_it(
    sample_claims: list[GeneratedClaim],
) -> None:
    bus = MemoryBus()
    head = Runner(echo("first", topics.FNOL, topics.EXTRACTED), bus.stage_link("first", [topics.FNOL]))
    budget = Runner(echo("second", topics.EXTRACTED, topics.SCORED, cost=2), Inbox(topics.EXTRACTED))
    chain = Chain([head, budget])
    now = datetime.now(UTC)
    cases = [
        ClaimCase(event_id=uuid.uuid4(), claim_id=c.fnol.claim_id, occurred_at=now, accepted_at=now, fnol=c.fnol)
        for c in sample_claims[:5]
    ]
    bus.publisher().publish([Outgoing(topics.FNOL, c.claim_id, c.model_dump_json().encode(), (), c) for c in cases])
    assert chain.run_once() == 5
    assert keys(bus, topics.SCORED) == [c.claim_id for c in cases]
    assert budget.stats.batches == 3  # 2 + 2 + 1, all in the chain's one commit


def test_a_chain_must_read_what_the_stage_before_wrote(sample_claims: list[GeneratedClaim]) -> None:
    def stage(name: str, source: str, target: str) -> Stage[ClaimCase]:
        return Stage(name, source, target, ClaimCase, lambda case, delivery: case)

    bus = MemoryBus()
    head = Runner(stage("first", topics.FNOL, topics.EXTRACTED), bus.stage_link("first", [topics.FNOL]))
    with pytest.raises(ValueError, match="does not read what first writes"):
        Chain([head, Runner(stage("second", topics.SCORED, topics.LINKED), Inbox(topics.SCORED))])
    with pytest.raises(ValueError, match="two stages or more"):
        Chain([head])
    with pytest.raises(RuntimeError, match="committed by the chain"):
        Inbox(topics.SCORED).commit([], [])


@pytest.mark.parametrize(
    ("args", "refusal"),
    [
        (["router", "--through", "fraud"], "'fraud' is not a stage after router; choose one of (none: it is the last)"),
        (["fraud", "--through", "intake"], "choose one of links, severity, router"),
        (["intake-api", "--through", "router"], "'intake-api' is not one"),
    ],
)
def test_the_run_command_refuses_a_span_that_is_not_one(args: list[str], refusal: str) -> None:
    refused = CliRunner().invoke(app, ["run", *args], terminal_width=300)
    assert refused.exit_code == 2
    assert refusal in " ".join(w for w in refused.output.split() if w != "│")  # the words, out of their box
