"""Load: sustained throughput and FNOL-to-decision latency, embedded and on the real Kafka pipeline.

    python -m benchmarks.load [--embedded-claims 20000] [--claims 3000] [--rate 200] [--documents-share 0]
                              [--skip-kafka]

1. embedded: `--embedded-claims` structured FNOLs published as fast as possible through the in-process
   pipeline (a long run: the figure is the sustained rate, not the first second's ramp);
2. Kafka: every stage as its own process (scripts/kafka.sh starts a broker if none runs): a burst of
   `--claims` for capacity, then `--claims` at `--rate` claims/s for latency;
3. scale-out: a second instance of the slowest stage joins its consumer group; the burst again.
Last line: `load: embedded_cps=… kafka_cps=… kafka_rate=… kafka_p50_ms=… kafka_p99_ms=… slowest=… scaled_cps=…`
"""

from __future__ import annotations

import argparse
import subprocess
import uuid
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from benchmarks.loadgen import LoadReport, collect_decisions, make_fnols, measure, publish_paced
from benchmarks.scratch import scratch_folder
from services.core import topics
from services.core.bus.kafka import KafkaBus
from services.core.documents import DocumentStore
from services.core.settings import TriageSettings
from services.embedded import EmbeddedPipeline
from services.local_cluster import LocalCluster
from services.pipeline import STAGES

ROOT = Path(__file__).resolve().parents[1]
console = Console()


def run_embedded(data_dir: Path, claims: int, documents_share: float) -> LoadReport:
    settings = TriageSettings(bus="memory", data_dir=data_dir)
    with EmbeddedPipeline(settings) as pipeline, Progress(console=console, transient=True) as progress:
        fnols = make_fnols(claims, prefix=f"E{uuid.uuid4().hex[:6]}", documents_share=documents_share,
                           put=pipeline.deps.documents.put)
        reader = pipeline.bus.stage_link("load-reader", [topics.DECIDED, topics.DLQ])
        published = publish_paced(pipeline.bus.publisher(), fnols, None, progress)
        decided, _ = collect_decisions(lambda: reader.poll(1000, 0.2), set(published), 600, progress)
    return measure(decided, published)


def kafka_bootstrap() -> str:
    out = subprocess.run([str(ROOT / "scripts" / "kafka.sh"), "start"], check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1].split("=", 1)[1]


def run_kafka_round(bus: KafkaBus, documents: DocumentStore, claims: int, rate: float | None,
                    documents_share: float) -> LoadReport:
    fnols = make_fnols(claims, prefix=f"L{uuid.uuid4().hex[:6]}", documents_share=documents_share,
                       put=documents.put)
    reader = bus.stage_link(f"load-reader-{uuid.uuid4().hex[:6]}", [topics.DECIDED, topics.DLQ], "0")
    with Progress(console=console, transient=True) as progress:
        published = publish_paced(bus.publisher(), fnols, rate, progress)
        decided, dead = collect_decisions(lambda: reader.poll(1000, 0.2), set(published), 900, progress)
    reader.close()
    if dead or len(decided) < claims:
        console.print(f"[red]{claims - len(decided)} claims without a decision ({dead} dead-lettered)")
    return measure(decided, published)


def show(title: str, report: LoadReport) -> None:
    table = Table(title=f"{title}: {report.claims} claims, {report.cps:.0f} claims/s (latency in ms)")
    for column in ("stage", "p50", "p95", "p99"):
        table.add_column(column)
    for row in report.rows():
        table.add_row(*row)
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description="Pipeline load benchmark")
    parser.add_argument("--embedded-claims", type=int, default=20_000, help="claims for the embedded round")
    parser.add_argument("--claims", type=int, default=3000, help="claims for each Kafka round")
    parser.add_argument("--rate", type=float, default=200.0, help="claims/s for the latency round on Kafka")
    parser.add_argument("--documents-share", type=float, default=0.0, help="share of FNOLs with PDF documents")
    parser.add_argument("--skip-kafka", action="store_true")
    args = parser.parse_args()
    from training.run import train_missing

    with scratch_folder("triage-load-") as data_dir:
        train_missing(TriageSettings(data_dir=data_dir), console=console)
        embedded = run_embedded(data_dir, args.embedded_claims, args.documents_share)
        show("embedded", embedded)
        line = f"load: embedded_cps={embedded.cps:.0f}"
        if not args.skip_kafka:
            line += run_kafka(data_dir, args)
    print(line)


def run_kafka(data_dir: Path, args: argparse.Namespace) -> str:
    bootstrap = kafka_bootstrap()
    settings = TriageSettings(bus="kafka", kafka_bootstrap=bootstrap)
    bus = KafkaBus(settings)
    bus.ensure_topics(topics.ALL)
    env = {"TRIAGE_BUS": "kafka", "TRIAGE_KAFKA_BOOTSTRAP": bootstrap, "TRIAGE_DATA_DIR": str(data_dir),
           "TRIAGE_DOCUMENT_DIR": str(data_dir / "documents"),
           **{f"TRIAGE_{name.upper()}_METRICS_PORT": "0" for name in STAGES}}
    cluster = LocalCluster(env, data_dir / "logs")
    documents = DocumentStore(data_dir / "documents")
    cluster.start_all()
    try:
        run_kafka_round(bus, documents, 20, None, 0.0)  # warm-up: every stage has joined its group
        burst = run_kafka_round(bus, documents, args.claims, None, args.documents_share)
        show("Kafka, burst", burst)
        paced = run_kafka_round(bus, documents, args.claims, args.rate, args.documents_share)
        show(f"Kafka, {args.rate:.0f} claims/s", paced)
        slowest = max(burst.stage_ms, key=lambda stage: burst.stage_ms[stage]["p50"])
        cluster.start(slowest, "1")
        run_kafka_round(bus, documents, 20, None, 0.0)  # the group rebalances onto two members
        scaled = run_kafka_round(bus, documents, args.claims, None, args.documents_share)
        show(f"Kafka, burst, two {slowest} instances", scaled)
    finally:
        cluster.stop_all()
    return (f" kafka_cps={burst.cps:.0f} kafka_rate={args.rate:.0f} kafka_p50_ms={paced.e2e_ms['p50']:.1f}"
            f" kafka_p99_ms={paced.e2e_ms['p99']:.1f} slowest={slowest} scaled_cps={scaled.cps:.0f}")


if __name__ == "__main__":
    main()
