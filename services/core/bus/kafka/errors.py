"""Kafka errors and refusals: which errors a retry fixes, and why a call that merely timed out failed."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from confluent_kafka import KafkaError, KafkaException

log = logging.getLogger(__package__)  # the adapter's one logger, whichever of its modules logs
T = TypeVar("T")

REQUEST_TIMEOUT_S = 30.0
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
NO_RETRY_FIXES = frozenset(
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


# Fatal errors that mean another instance holds our transactional id: this one must stop. Any other fatal error
# (an abort in an invalid state after a broker restart) leaves only this producer unusable: a new one under the same
# id settles the old transaction.
FENCED = frozenset({KafkaError._FENCED, KafkaError.PRODUCER_FENCED, KafkaError.INVALID_PRODUCER_EPOCH})


def kafka_error(exc: KafkaException) -> KafkaError:
    """The KafkaError an exception carries (a generic failure if it carries none)."""
    error = exc.args[0] if exc.args else None
    return error if isinstance(error, KafkaError) else KafkaError(KafkaError._FAIL, str(exc))


def retriable(exc: KafkaException) -> bool:
    """Whether a retry can fix `exc`: the broker away or busy, not a refusal."""
    error = kafka_error(exc)
    return error.code() not in NO_RETRY_FIXES and (error.retriable() or error.code() in _REACHABILITY)


class LastError:
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
        return self.error if self.error is not None and self.error.code() in NO_RETRY_FIXES else None

    def answered(self) -> None:
        """The broker has just answered: what it refused before (credentials since fixed) no longer explains a
        later timeout."""
        self.error = None


def _tls_refusal(error: KafkaError) -> KafkaError:
    """`error`, as an SSL error if it is the broker refusing the TLS session: over TLS 1.3 a client learns that its
    certificate was refused (or missing) only on its first read, which librdkafka reports as a transport failure
    ("SSL routines::ssl/tls alert bad certificate")."""
    text = error.str()
    if error.code() == KafkaError._TRANSPORT and "SSL routines" in text and " alert " in text:
        return KafkaError(KafkaError._SSL, text)
    return error


def until_answered(call: Callable[[float], T], serve: Callable[[float], object], errors: LastError) -> T:
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
            if not retriable(exc) or time.monotonic() >= deadline:
                raise
        slice_s *= 2
