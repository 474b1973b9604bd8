"""Kafka bus: the only package that imports a Kafka client (confluent-kafka, over librdkafka).

librdkafka does the protocol work (fetching, batching, the transaction round trips) on its own C threads, so a
stage's interpreter spends its time on claims, not on the wire: five stage processes and a broker share this
machine's two cores.

errors: which errors a retry fixes, and the refusals behind a timeout; config: every client's options; records:
the port's records to and from Kafka's; link: the stage link and its transaction; publisher: writes outside a
group; admin: the bus itself (topics, links and publishers handed out, the wait for a broker that is away).
"""

from services.core.bus.kafka.admin import KafkaBus, when_reachable
from services.core.bus.kafka.link import KafkaStageLink
from services.core.bus.kafka.publisher import KafkaPublisher

__all__ = ["KafkaBus", "KafkaPublisher", "KafkaStageLink", "when_reachable"]
