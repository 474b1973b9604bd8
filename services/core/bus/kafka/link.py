"""The Kafka stage link: a read_committed consumer in the stage's group and a transactional producer, so a batch's
outputs and its consumed offsets commit together or not at all.

The producer's transactional id is stable per instance (`<group>-<instance>`): a restarted instance fences its
dead predecessor and aborts whatever transaction it left open.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Producer, TopicPartition

from services.core.bus.kafka.config import client_config
from services.core.bus.kafka.errors import FENCED, NO_RETRY_FIXES, REQUEST_TIMEOUT_S, kafka_error, until_answered
from services.core.bus.kafka.records import polled_messages, produce
from services.core.bus.port import Message, Outgoing, TransientBusError

log = logging.getLogger(__package__)  # the adapter's one logger, whichever of its modules logs

TRANSACTION_TIMEOUT_S = 30.0  # the broker aborts a transaction left open longer (a stage killed mid-batch)
STUCK_TIMEOUTS = 2  # one timed-out transaction happens while a broker restarts; a second in a row is a stuck producer
# A consumer given no assignment this long after losing its partitions is not rejoining (librdkafka 2.16 can leave
# one outside its group for good after a broker restart): a new consumer takes its place.
REJOIN_TIMEOUT_S = 60.0


class KafkaStageLink:
    def __init__(
        self,
        config: dict[str, Any],
        group: str,
        topics: Sequence[str],
        instance: str,
        max_poll_interval_ms: int,
        session_timeout_ms: int,
        linger_s: float = 0.0,
    ) -> None:
        # Heartbeats run on librdkafka's own thread, so a slow batch (OCR) only needs to
        # finish within max_poll_interval_ms to keep its partitions.
        consumer_config, _ = client_config(config, f"{group}-{instance}-in")
        self._consumer_config = {
            **consumer_config,
            "group.id": group,
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "isolation.level": "read_committed",
            "auto.offset.reset": "earliest",
            "max.poll.interval.ms": max_poll_interval_ms,
            "session.timeout.ms": session_timeout_ms,
            "heartbeat.interval.ms": session_timeout_ms // 3,
            # fetch.wait.max.ms stays at librdkafka's 500 ms: a held fetch returns once an upstream commit lands, while
            # short fetches would keep an idle broker busy.
            "queued.max.messages.kbytes": 16_384,  # prefetch per partition; the default 64 MiB is far beyond a batch
        }
        self._topics = list(topics)
        self._linger_s = linger_s
        self._consumer = self._join()
        self._transactional_id = f"{group}-{instance}"
        self._producer_config = config
        self._producer: Producer | None = None
        self._timeouts = 0  # transactions in a row the current producer saw time out
        self._rewind_pending = False
        try:
            self._producer = self._start_producer()
        except BaseException:
            self._consumer.close()  # do not leave a member in the group behind
            raise

    def _join(self) -> Consumer:
        """A consumer subscribed to the stage's topics; it counts as joining until the group assigns it."""
        consumer = Consumer(self._consumer_config)
        self._joining_since: float | None = time.monotonic()
        consumer.subscribe(self._topics, on_assign=self._assigned, on_revoke=self._revoked, on_lost=self._revoked)
        return consumer

    def _assigned(self, _consumer: Consumer, _partitions: list[TopicPartition]) -> None:
        self._joining_since = None  # librdkafka assigns them once this returns

    def _revoked(self, _consumer: Consumer, _partitions: list[TopicPartition]) -> None:
        self._joining_since = time.monotonic()

    def _rejoin_if_stuck(self) -> None:
        if self._joining_since is None or time.monotonic() - self._joining_since < REJOIN_TIMEOUT_S:
            return
        log.warning(
            "consumer of %s not back in its group after %.0fs: a new one joins in its place",
            self._topics,
            REJOIN_TIMEOUT_S,
        )
        self._consumer.close()
        self._consumer = self._join()  # it starts from the committed offsets
        self._rewind_pending = False

    def _start_producer(self) -> Producer:
        """A transactional producer under this instance's id: starting it fences any earlier holder of the id and
        settles the transaction it left open, so the committed offsets read after it are final."""
        config, errors = client_config(self._producer_config, f"{self._transactional_id}-out")
        self._producer_errors = errors
        producer = Producer(
            {
                **config,
                "transactional.id": self._transactional_id,
                "enable.idempotence": True,
                "acks": "all",
                "transaction.timeout.ms": int(TRANSACTION_TIMEOUT_S * 1000),
                "linger.ms": 2,
                # The broker answers CONCURRENT_TRANSACTIONS while it writes the last transaction's markers, and the
                # client waits retry.backoff.ms before asking again: 100 ms by default, a floor under every batch.
                "retry.backoff.ms": 2,
                "retry.backoff.max.ms": 100,
            }
        )
        until_answered(producer.init_transactions, producer.poll, errors)  # a call timed out is resumed by the next
        return producer

    def poll(self, max_records: int, timeout_s: float) -> list[Message]:
        try:
            self._rejoin_if_stuck()
            if self._rewind_pending:
                self._seek_to_committed()
            # What is already fetched, at once; else wait up to timeout_s for the first record, then take what
            # came with it. If records are coming in a stream, wait up to the linger for more unless the batch is
            # full: each batch is a transaction, and under load a few milliseconds' wait makes them fewer and
            # larger (librdkafka alone would wait the whole timeout). A stream: records were waiting, or the
            # first came within the linger; one that comes after a quiet spell is handled at once.
            polled = self._consumer.consume(max_records, 0)
            linger_s = self._linger_s
            if not polled:
                asked = time.monotonic()
                polled = self._consumer.consume(1, timeout_s)
                if time.monotonic() - asked >= self._linger_s:
                    linger_s = 0.0
            if polled and len(polled) < max_records:
                polled += self._consumer.consume(max_records - len(polled), linger_s)
        except KafkaException as exc:
            error = kafka_error(exc)
            if error.fatal() or error.code() in NO_RETRY_FIXES:
                raise
            # The broker away, or a seek back to the committed offsets refused while a partition is still being
            # assigned: the runner backs off, and the next poll seeks again before it reads.
            self._rewind_pending = True
            raise TransientBusError(f"poll failed: {error.str()}") from exc
        return polled_messages(polled)

    def commit(self, outputs: Sequence[Outgoing], consumed: Sequence[Message]) -> None:
        offsets: dict[tuple[str, int], int] = {}
        for msg in consumed:
            tp = (msg.topic, msg.partition)
            offsets[tp] = max(offsets.get(tp, 0), msg.offset + 1)
        try:
            if self._producer is None:
                self._producer = self._start_producer()
            producer = self._producer
            producer.begin_transaction()
            for out in outputs:
                produce(producer, out)
            producer.send_offsets_to_transaction(
                [TopicPartition(t, p, o) for (t, p), o in offsets.items()],
                self._consumer.consumer_group_metadata(),
                REQUEST_TIMEOUT_S,
            )
            producer.commit_transaction(REQUEST_TIMEOUT_S)
            self._producer_errors.answered()
            self._timeouts = 0
            producer.poll(0)  # serve the producer's log lines and error callbacks now, not at the next flush
        except KafkaException as exc:
            explained = self._producer_errors.explain(exc)
            if kafka_error(explained).fatal() or kafka_error(explained).code() in NO_RETRY_FIXES:
                # Fenced (a newer instance with our transactional id runs) or refused (credentials, ACLs), as poll
                # and start-up raise it: no retry fixes that, this instance must stop; nothing was committed.
                if explained is exc:
                    raise
                raise explained from exc
            self._timeouts = self._timeouts + 1 if kafka_error(exc).code() == KafkaError._TIMED_OUT else 0
            # A producer whose coordinator requests time out again and again after a broker restart stays stuck
            # (its request never leaves the queue): a new one under the same id reconnects and settles the old.
            self._abort_and_rewind(restart=self._timeouts >= STUCK_TIMEOUTS)
            raise TransientBusError(f"transaction failed: {kafka_error(exc).str()}") from exc

    def _abort_and_rewind(self, *, restart: bool = False) -> None:
        why = f"{self._timeouts} transactions in a row timed out"
        if self._producer is not None:
            try:
                self._producer.abort_transaction(REQUEST_TIMEOUT_S)
            except KafkaException as exc:
                if kafka_error(exc).code() in FENCED:
                    raise
                # Not abortable from here (a commit still in flight, the broker away, or the producer left in an
                # invalid state by a broker restart): a new producer under the same id settles the old transaction
                # before any offsets are read again.
                why, restart = f"abort failed ({kafka_error(exc).str()})", True
            if restart:
                self._restart_producer(why)
        self.rewind()

    def _restart_producer(self, why: str) -> None:
        log.warning("%s: restarting the transactional producer", why)
        self._producer, self._timeouts = None, 0
        try:
            self._producer = self._start_producer()
        except KafkaException as again:
            log.warning("producer restart deferred to the next commit: %s", kafka_error(again).str())

    def lag(self) -> int:
        lag = 0
        for tp in self._consumer.position(self._consumer.assignment()):
            if tp.offset < 0:
                continue
            try:
                _, high = self._consumer.get_watermark_offsets(tp, cached=True)  # known once a fetch returned
            except KafkaException:
                continue
            if high >= 0:
                lag += max(high - tp.offset, 0)
        return lag

    def rewind(self) -> None:
        """Go back to the committed offsets; if the broker cannot say what they are, the next poll does it."""
        self._rewind_pending = True
        try:
            self._seek_to_committed()
        except KafkaException as exc:
            log.warning("rewind deferred to the next poll: %s", kafka_error(exc).str())

    def give_back(self, messages: Sequence[Message]) -> None:
        first: dict[tuple[str, int], int] = {}
        for msg in messages:
            tp = (msg.topic, msg.partition)
            first[tp] = min(first.get(tp, msg.offset), msg.offset)
        assigned = {(tp.topic, tp.partition) for tp in self._consumer.assignment()}
        try:
            for (topic, partition), offset in first.items():
                if (topic, partition) in assigned:  # a partition moved to another member is read from its commit there
                    self._consumer.seek(TopicPartition(topic, partition, offset))
        except KafkaException as exc:
            # The next poll starts from the committed offsets instead: the records before these are committed
            # by then (or, if that commit fails, read again with them), so nothing is skipped.
            log.warning("give_back deferred to a rewind: %s", kafka_error(exc).str())
            self._rewind_pending = True

    def _seek_to_committed(self) -> None:
        assigned = self._consumer.assignment()
        if assigned:
            # read_committed: the broker answers only once no transaction on these offsets is still open
            for tp in self._consumer.committed(assigned, timeout=REQUEST_TIMEOUT_S):
                self._consumer.seek(
                    TopicPartition(tp.topic, tp.partition, tp.offset if tp.offset >= 0 else OFFSET_BEGINNING)
                )
        self._rewind_pending = False

    def close(self) -> None:
        self._consumer.close()  # leaves the group at once: its partitions go to the other members now
        # The producer holds no records outside a transaction, and an open one is aborted by the next holder of
        # the transactional id (or the broker's timeout): nothing to flush.
        self._producer = None
