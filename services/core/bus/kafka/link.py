"""Kafka bus: the only module that imports a Kafka client (confluent-kafka, over librdkafka).

Each stage link is a read_committed consumer in the stage's group plus a transactional
producer whose transactional id is stable per instance (`<group>-<instance>`): a restarted
instance fences its dead predecessor and aborts whatever transaction it left open.

librdkafka does the protocol work (fetching, batching, the transaction round trips) on its own C
threads, so a stage's interpreter spends its time on claims, not on the wire: five stage processes
and a broker share this machine's two cores.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from services.core.bus.port import Message, Outgoing, TransientBusError
from services.core.settings import TriageSettings

log = logging.getLogger(__name__)
T = TypeVar("T")

TRANSACTION_TIMEOUT_S = 30.0  # the broker aborts a transaction left open longer (a stage killed mid-batch)
REQUEST_TIMEOUT_S = 30.0
# A partition's leader being elected or moved: the request is right, the broker will have it shortly.
_LEADER_MOVING = {
    KafkaError.NOT_LEADER_FOR_PARTITION,
    KafkaError.LEADER_NOT_AVAILABLE,
    KafkaError.UNKNOWN_TOPIC_OR_PART,
}
# A consumer that has lost its partitions (a broker restart) and has not been given any back, not even an empty
# assignment, within this long is not rejoining: librdkafka 2.16 can leave one outside its group for good after
# a single broker's restart (found by the chaos test). A new consumer takes its place.
REJOIN_TIMEOUT_S = 60.0
_REACHABILITY = frozenset(
    {
        KafkaError._TRANSPORT,
        KafkaError._ALL_BROKERS_DOWN,
        KafkaError._TIMED_OUT,
        KafkaError._RESOLVE,
        KafkaError._MSG_TIMED_OUT,
        KafkaError.NOT_COORDINATOR,
        KafkaError.COORDINATOR_NOT_AVAILABLE,
        KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
        KafkaError.LEADER_NOT_AVAILABLE,
        KafkaError.NOT_LEADER_FOR_PARTITION,
    }
)
_NO_RETRY_FIXES = frozenset(
    {
        KafkaError._AUTHENTICATION,
        KafkaError.SASL_AUTHENTICATION_FAILED,
        KafkaError._SSL,
        KafkaError.TOPIC_AUTHORIZATION_FAILED,
        KafkaError.GROUP_AUTHORIZATION_FAILED,
        KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        KafkaError.CLUSTER_AUTHORIZATION_FAILED,
    }
)


def connection_config(settings: TriageSettings) -> dict[str, Any]:
    """Bootstrap and security options shared by every client (TLS and SASL from the environment)."""
    config: dict[str, Any] = {
        "bootstrap.servers": settings.kafka_bootstrap,
        "security.protocol": settings.kafka_security_protocol.lower(),
    }
    if settings.kafka_sasl_mechanism:
        config["sasl.mechanism"] = settings.kafka_sasl_mechanism
        if settings.kafka_sasl_username is not None:
            config["sasl.username"] = settings.kafka_sasl_username
        if settings.kafka_sasl_password is not None:
            config["sasl.password"] = settings.kafka_sasl_password.get_secret_value()
    if settings.kafka_ssl_cafile:
        config["ssl.ca.location"] = str(settings.kafka_ssl_cafile)
    if settings.kafka_ssl_certfile:  # mutual TLS: the client shows a certificate of its own
        config["ssl.certificate.location"] = str(settings.kafka_ssl_certfile)
    if settings.kafka_ssl_keyfile:
        config["ssl.key.location"] = str(settings.kafka_ssl_keyfile)
    if settings.kafka_ssl_key_password is not None:
        config["ssl.key.password"] = settings.kafka_ssl_key_password.get_secret_value()
    return config


def _error(exc: KafkaException) -> KafkaError:
    error = exc.args[0] if exc.args else None
    return error if isinstance(error, KafkaError) else KafkaError(KafkaError._FAIL, str(exc))


def _retriable(exc: KafkaException) -> bool:
    error = _error(exc)
    return error.code() not in _NO_RETRY_FIXES and (error.retriable() or error.code() in _REACHABILITY)


class _LastError:
    """A client's error callback: keeps the last error librdkafka reported in the background, so a call that
    merely timed out can say why (a refused SASL password, say)."""

    def __init__(self, client: str) -> None:
        self.client = client
        self.error: KafkaError | None = None

    def __call__(self, error: KafkaError) -> None:
        # librdkafka has logged it already (through `logger`). "All brokers are down" follows each broker's own
        # failure and says nothing of why: it does not hide a refused password behind it.
        if error.code() != KafkaError._ALL_BROKERS_DOWN or self.error is None:
            self.error = _tls_refusal(error)
        if error.fatal():
            log.error("kafka %s: fatal: %s", self.client, error.str())

    def explain(self, exc: KafkaException) -> KafkaException:
        """`exc`, or the background error behind it when retrying cannot fix that one."""
        refusal = self.refusal()
        return exc if refusal is None else KafkaException(refusal)

    def refusal(self) -> KafkaError | None:
        """The last background error if no retry fixes it (credentials, certificates, rights), else None."""
        return self.error if self.error is not None and self.error.code() in _NO_RETRY_FIXES else None

    def answered(self) -> None:
        """The broker has just answered: what it refused before (credentials since fixed) no longer explains a
        later timeout."""
        self.error = None


def _client_config(config: dict[str, Any], client: str) -> tuple[dict[str, Any], _LastError]:
    errors = _LastError(client)
    return {
        **config,
        "client.id": client,
        "error_cb": errors,
        "logger": log,  # librdkafka's own log lines through ours (JSON); served by poll/consume/flush
        # Re-bootstrap (on by default since librdkafka 2.10) decommissions the brokers it knew when all are down;
        # after a restart of a single broker the transaction coordinator's handle never finishes terminating and
        # send_offsets_to_transaction waits forever (found by the chaos test). The broker comes back at the same
        # address, so reconnecting to it is all that is needed.
        "metadata.recovery.strategy": "none",
        "reconnect.backoff.max.ms": 1000,  # back within a second of the broker, not up to ten
    }, errors


def _tls_refusal(error: KafkaError) -> KafkaError:
    """`error`, as an SSL error if it is the broker refusing the TLS session: over TLS 1.3 a client learns that its
    certificate was refused (or missing) only on its first read, which librdkafka reports as a transport failure
    ("SSL routines::ssl/tls alert bad certificate")."""
    text = error.str()
    if error.code() == KafkaError._TRANSPORT and "SSL routines" in text and " alert " in text:
        return KafkaError(KafkaError._SSL, text)
    return error


def _answered(call: Callable[[float], T], serve: Callable[[float], object], errors: _LastError) -> T:
    """`call(timeout)`, given REQUEST_TIMEOUT_S in slices of 1, 2, 4, ... s with the client's callbacks served
    (`serve(0)`) between them. librdkafka reports a refused password or certificate in the background at once,
    while the call would wait out its whole timeout and then say only that the broker did not answer."""
    deadline = time.monotonic() + REQUEST_TIMEOUT_S
    slice_s = 1.0
    while True:
        try:
            answer = call(min(slice_s, max(deadline - time.monotonic(), 0.1)))
            errors.answered()
            return answer
        except KafkaException as exc:
            serve(0)
            explained = errors.explain(exc)
            if explained is not exc:
                raise explained from exc
            if not _retriable(exc) or time.monotonic() >= deadline:
                raise
        slice_s *= 2


def _produce(producer: Producer, out: Outgoing, on_delivery: Callable[..., None] | None = None) -> None:
    while True:
        try:
            producer.produce(out.topic, out.value, out.key.encode(), headers=list(out.headers), on_delivery=on_delivery)
            return
        except BufferError:  # the local queue is full: let deliveries drain it
            producer.poll(0.05)


def when_reachable(connect: Callable[[], T], stop: threading.Event, what: str) -> T | None:
    """`connect()` once the broker answers: a service started while the broker is away (restarting) waits for
    it, backing off up to 10 s, instead of exiting. None if `stop` is set first; errors no retry fixes raise."""
    backoff = 0.5
    while True:
        try:
            return connect()
        except KafkaException as exc:
            if not _retriable(exc):
                raise
            log.warning("%s: broker not reachable (%s); retrying in %.1fs", what, _error(exc).str(), backoff)
        if stop.wait(backoff):
            return None
        backoff = min(backoff * 2, 10.0)


class KafkaBus:
    def __init__(self, settings: TriageSettings, *, max_poll_interval_ms: int = 300_000) -> None:
        self._config = connection_config(settings)
        self._partitions = settings.kafka_topic_partitions
        self._session_timeout_ms = settings.kafka_session_timeout_ms
        self._linger_s = settings.kafka_batch_linger_ms / 1000
        self._max_poll_interval_ms = max_poll_interval_ms
        self._admin_client: tuple[AdminClient, _LastError] | None = None

    def stage_link(
        self, group: str, topics: Sequence[str], instance: str = "0", linger_ms: int | None = None
    ) -> KafkaStageLink:
        linger_s = self._linger_s if linger_ms is None else linger_ms / 1000
        return KafkaStageLink(
            self._config, group, topics, instance, self._max_poll_interval_ms, self._session_timeout_ms, linger_s
        )

    def publisher(self) -> KafkaPublisher:
        return KafkaPublisher(self._config)

    def _admin(self) -> tuple[AdminClient, _LastError]:
        """The bus's admin client, made on first use and kept."""
        if self._admin_client is None:
            config, errors = _client_config(self._config, "triage-admin")
            self._admin_client = (AdminClient(config), errors)
        return self._admin_client

    def ensure_topics(self, topics: Sequence[str]) -> None:
        admin, errors = self._admin()
        existing = _answered(lambda timeout: admin.list_topics(timeout=timeout), admin.poll, errors).topics
        new = [
            NewTopic(t, num_partitions=self._partitions, replication_factor=1)
            for t in sorted(set(topics) - set(existing))
        ]
        if not new:
            return
        for future in admin.create_topics(new, operation_timeout=REQUEST_TIMEOUT_S).values():
            try:
                future.result()
            except KafkaException as exc:
                if _error(exc).code() != KafkaError.TOPIC_ALREADY_EXISTS:  # another process made it first
                    raise

    def partitions(self, topic: str) -> int:
        """How many partitions `topic` has on the broker (0 if it does not exist)."""
        admin, errors = self._admin()
        known = _answered(lambda timeout: admin.list_topics(topic, timeout=timeout), admin.poll, errors).topics
        found = known.get(topic)
        return len(found.partitions) if found is not None and found.error is None else 0

    def tail(self, topics: Sequence[str]) -> KafkaTail:
        """A reader of what is committed to `topics` from now on (no consumer group, nothing of the past)."""
        return KafkaTail(self._config, topics)

    def group_members(self, group: str) -> int:
        """How many members of a consumer group hold partitions now (0 for a group unknown or empty)."""
        admin, errors = self._admin()
        try:
            description = admin.describe_consumer_groups([group], request_timeout=REQUEST_TIMEOUT_S)[group].result()
        except KafkaException as exc:
            raise errors.explain(exc) from exc
        return sum(
            1 for member in description.members if member.assignment is not None and member.assignment.topic_partitions
        )

    def close(self) -> None:
        return None


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
        consumer_config, _ = _client_config(config, f"{group}-{instance}-in")
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
            # fetch.wait.max.ms stays at librdkafka's 500 ms: a fetch the broker holds returns as soon as an upstream
            # commit makes records readable, and 10 ms polling cost the broker a sixth of a core with the pipeline idle.
            "queued.max.messages.kbytes": 16_384,  # prefetch per partition; the default 64 MiB is far beyond a batch
        }
        self._topics = list(topics)
        self._linger_s = linger_s
        self._consumer = self._join()
        self._transactional_id = f"{group}-{instance}"
        self._producer_config = config
        self._producer: Producer | None = None
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
        config, errors = _client_config(self._producer_config, f"{self._transactional_id}-out")
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
        _answered(producer.init_transactions, producer.poll, errors)  # a call timed out is resumed by the next
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
            error = _error(exc)
            if error.fatal() or error.code() in _NO_RETRY_FIXES:
                raise
            # The broker away, or a seek back to the committed offsets refused while a partition is still being
            # assigned: the runner backs off, and the next poll seeks again before it reads.
            self._rewind_pending = True
            raise TransientBusError(f"poll failed: {error.str()}") from exc
        return _messages(polled)

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
                _produce(producer, out)
            producer.send_offsets_to_transaction(
                [TopicPartition(t, p, o) for (t, p), o in offsets.items()],
                self._consumer.consumer_group_metadata(),
                REQUEST_TIMEOUT_S,
            )
            producer.commit_transaction(REQUEST_TIMEOUT_S)
            self._producer_errors.answered()
            producer.poll(0)  # serve the producer's log lines and error callbacks now, not at the next flush
        except KafkaException as exc:
            explained = self._producer_errors.explain(exc)
            if _error(explained).fatal() or _error(explained).code() in _NO_RETRY_FIXES:
                # Fenced (a newer instance with our transactional id runs) or refused (credentials, ACLs), as poll
                # and start-up raise it: no retry fixes that, this instance must stop; nothing was committed.
                if explained is exc:
                    raise
                raise explained from exc
            self._abort_and_rewind()
            raise TransientBusError(f"transaction failed: {_error(exc).str()}") from exc

    def _abort_and_rewind(self) -> None:
        if self._producer is not None:
            try:
                self._producer.abort_transaction(REQUEST_TIMEOUT_S)
            except KafkaException as exc:
                if _error(exc).fatal():
                    raise
                # Not abortable from here (a commit still in flight, the broker away): a new producer under the
                # same id settles the old transaction before any offsets are read again.
                log.warning("abort failed (%s): restarting the transactional producer", _error(exc).str())
                self._producer = None
                try:
                    self._producer = self._start_producer()
                except KafkaException as again:
                    log.warning("producer restart deferred to the next commit: %s", _error(again).str())
        self.rewind()

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
            log.warning("rewind deferred to the next poll: %s", _error(exc).str())

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
            log.warning("give_back deferred to a rewind: %s", _error(exc).str())
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


def _messages(polled: Sequence[Any]) -> list[Message]:
    """The records among what a consumer polled; consumer errors are reports: librdkafka recovers by itself
    unless one is fatal."""
    messages: list[Message] = []
    for record in polled:
        report = record.error()
        if report is None:
            messages.append(_message(record))
        elif report.fatal():
            raise KafkaException(report)
        else:
            log.warning("kafka consumer: %s", report.str())
    return messages


def _message(record: Any) -> Message:
    """A fetched record (not an error event) as the port's Message; a null value or header reads as empty."""
    headers = tuple((k, v or b"") for k, v in record.headers() or ())
    return Message(record.topic(), record.partition(), record.offset(), record.key(), record.value() or b"", headers)


class KafkaTail:
    """Reads the records committed to some topics after it was made: every partition is assigned at its end offset,
    so a reader for one benchmark round neither joins a group nor reads the millions of records before it."""

    def __init__(self, config: dict[str, Any], topics: Sequence[str]) -> None:
        consumer_config, errors = _client_config(config, "triage-tail")
        # librdkafka wants a group id even for a consumer that only assigns: a throwaway one, never joined or committed.
        self._consumer = Consumer(
            {
                **consumer_config,
                "group.id": f"triage-tail-{uuid.uuid4().hex}",
                "enable.auto.commit": False,
                "isolation.level": "read_committed",
            }
        )
        try:
            # Nothing is assigned yet: serving the callbacks with poll reads no record.
            known = _answered(
                lambda timeout: self._consumer.list_topics(timeout=timeout), self._consumer.poll, errors
            ).topics
            starts = []
            for topic in topics:
                for partition in sorted(known[topic].partitions) if topic in known else ():
                    starts.append(TopicPartition(topic, partition, self._end_offset(topic, partition)))
        except KafkaException as exc:
            self._consumer.close()
            raise errors.explain(exc) from exc
        missing = [topic for topic in topics if topic not in known]
        if missing:
            self._consumer.close()
            raise ValueError(f"no such topics: {', '.join(missing)}")
        self._consumer.assign(starts)

    def _end_offset(self, topic: str, partition: int) -> int:
        # A topic made a moment ago may not have its leader in place yet (NOT_LEADER_FOR_PARTITION): asked again.
        deadline = time.monotonic() + REQUEST_TIMEOUT_S
        while True:
            try:
                _, end = self._consumer.get_watermark_offsets(
                    TopicPartition(topic, partition), timeout=REQUEST_TIMEOUT_S
                )
                return int(end)
            except KafkaException as exc:
                if _error(exc).code() not in _LEADER_MOVING or time.monotonic() > deadline:
                    raise
            time.sleep(0.1)

    def poll(self, max_records: int, timeout_s: float) -> list[Message]:
        return _messages(self._consumer.consume(max_records, timeout_s))

    def close(self) -> None:
        self._consumer.close()


class KafkaPublisher:
    def __init__(self, config: dict[str, Any]) -> None:
        client_config, self._errors = _client_config(config, "triage-publisher")
        # acks=all, idempotent (no duplicates from retries), retried until delivered or 60 s have passed
        self._producer = Producer(
            {**client_config, "acks": "all", "enable.idempotence": True, "linger.ms": 2, "message.timeout.ms": 60_000}
        )

    def publish(self, outputs: Sequence[Outgoing]) -> None:
        failures: list[KafkaError] = []

        def delivered(error: KafkaError | None, _: object) -> None:
            if error is not None:
                failures.append(error)

        for out in outputs:
            _produce(self._producer, out, delivered)
        waited_s = 0
        while self._producer.flush(1.0):  # every record ends delivered or failed (message.timeout.ms)
            # flush serves the error callback: a refused password or certificate is known by now, while the records
            # would wait out their timeout and then say only that.
            if (refusal := self._errors.refusal()) is not None:
                raise KafkaException(refusal)
            waited_s += 1
            if waited_s % 10 == 0:
                log.warning("publisher: records still waiting for the broker after %d s", waited_s)
        if failures:
            raise TransientBusError(f"publish failed: {failures[0].str()}")
        self._errors.answered()

    def close(self) -> None:
        self._producer.flush(10)
