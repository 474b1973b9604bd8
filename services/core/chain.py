"""Consecutive stages in one process: one poll, one transaction for the whole span.

The first stage reads its link; each later stage reads, in memory, the cases the stage before it made (with their
validated events, as on the in-process bus). The last stage's cases, every stage's dead letters and side events
(settlements) and the first stage's consumed offsets are committed in one transaction, so the span counts each
record exactly once, as one stage does: a crash anywhere in it leaves nothing committed, and the store rows are
idempotent. The topics between the stages are the span's own and are not written (as Kafka Streams fuses the
operators of a sub-topology): no reader outside it, no broker work, and no records left there for a stage's own
consumer group to take up should the stages later run one a process.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Sequence
from itertools import count
from typing import Any

from services.core.bus.port import Message, Outgoing
from services.core.metrics import StageMetrics
from services.core.runner import Runner, RunnerStats, Worked, run_until


class Inbox:
    """A later stage's link in a chain: the records the stage before it wrote in this round, nothing committed."""

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self._queue: deque[Message] = deque()
        self._offsets = count()  # a handed record's place, for its source in a dead letter and the trace

    def hand(self, outputs: Sequence[Outgoing]) -> None:
        """Queue the records written to this inbox's topic."""
        self._queue.extend(
            Message(out.topic, -1, next(self._offsets), out.key.encode(), out.value, out.headers, out.event)
            for out in outputs
            if out.topic == self.topic
        )

    def poll(self, max_records: int, timeout_s: float) -> list[Message]:
        return [self._queue.popleft() for _ in range(min(max_records, len(self._queue)))]

    def commit(self, outputs: Sequence[Outgoing], consumed: Sequence[Message]) -> None:
        raise RuntimeError("a chained stage's records are committed by the chain")

    def rewind(self) -> None:
        self._queue.clear()  # the chain reads the first stage's records again

    def give_back(self, messages: Sequence[Message]) -> None:
        self._queue.extendleft(reversed(messages))

    def lag(self) -> int:
        return len(self._queue)

    def close(self) -> None:
        self._queue.clear()


class Chain:
    """Drives `runners` as one stage: the first one's link is the bus's, every other one's an `Inbox`."""

    def __init__(self, runners: Sequence[Runner[Any]], metrics: StageMetrics | None = None) -> None:
        if len(runners) < 2:
            raise ValueError("a chain is two stages or more")
        for before, after in zip(runners, runners[1:], strict=False):
            if not isinstance(after.link, Inbox) or after.stage.input_topic != before.stage.output_topic:
                raise ValueError(f"{after.stage.name} does not read what {before.stage.name} writes through an Inbox")
        self.runners, self.metrics = list(runners), metrics
        self.head, self.link = runners[0], runners[0].link
        self.name = f"{self.head.stage.name}..{runners[-1].stage.name}"
        self.stats = RunnerStats()

    def run(self, stop: threading.Event) -> None:
        """Process batches until `stop` is set; a transient failure anywhere retries the whole batch."""
        run_until(stop, self.name, self.run_once, self.rewind, self.stats, self.metrics)

    def run_once(self) -> int:
        """Poll one batch, pass it through every stage and commit all they wrote; how many records it consumed."""
        batch = self.link.poll(self.head.batch_size, self.head.poll_timeout_s)
        if not batch:
            return 0
        try:
            worked = [[self.head.work(batch)]]
            for runner in self.runners[1:]:
                inbox = runner.link
                assert isinstance(inbox, Inbox)
                for done in worked[-1]:
                    inbox.hand(done.outputs)
                stage: list[Worked] = []
                while polled := inbox.poll(runner.batch_size, 0):  # a cost budget may give a tail back
                    stage.append(runner.work(polled))
                worked.append(stage)
            began = time.perf_counter()
            self.link.commit(self._written(worked), worked[0][0].batch)
        except BaseException:
            self._clear()
            raise
        commit_s = time.perf_counter() - began
        for runner, stage in zip(self.runners, worked, strict=True):
            for done in stage:
                runner.settle(done, commit_s)
        self.stats.handled += sum(done.cases for done in worked[-1])
        self.stats.batches += 1
        return len(worked[0][0].batch)

    def _written(self, worked: list[list[Worked]]) -> list[Outgoing]:
        """Every record the stages made except the cases handed from one stage to the next."""
        last = len(self.runners) - 1
        return [
            out
            for i, (runner, stage) in enumerate(zip(self.runners, worked, strict=True))
            for done in stage
            for out in done.outputs
            if i == last or out.topic != runner.stage.output_topic
        ]

    def rewind(self) -> None:
        self._clear()
        self.link.rewind()

    def _clear(self) -> None:
        for runner in self.runners[1:]:
            runner.link.rewind()
