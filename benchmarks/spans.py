"""Spans: the CPU a claim of the Kafka pipeline as a process a stage against as one process, on the same claims.

    python -m benchmarks.spans [--claims 15000] [--rounds 2]

Each round runs both deployments in turn, on a new claim store each time (the claims graph starts empty, so the
two see the same book): every stage as its own `triage run` process, then the whole pipeline as one
(`triage run intake --through router`). `--claims` FNOLs (the same ones in every round) wait on the inbound topic
as a backlog after 300 to warm up; the figure is every process's own CPU counters (user and system, the broker's
included) over the claims, from the first publish to the last decision. The rounds alternate the order, as this
shared machine's speed drifts. Last line: `spans: claims=… separate_cpu_ms_per_claim=… chained_cpu_ms_per_claim=…
separate_cps=… chained_cps=… lost=… doubled=…` (the medians over the rounds; lost and doubled summed).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
import uuid
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from benchmarks.kafka_tools import KafkaBenchBus
from benchmarks.load import cpu_ms_per_claim, cpu_seconds, kafka_bootstrap
from benchmarks.loadgen import collect_decisions, make_fnols, publish_paced
from benchmarks.local_cluster import LocalCluster, cluster_env, pipeline_spans
from benchmarks.scratch import scratch_folder
from services.core import topics
from services.core.documents import DocumentStore
from services.core.settings import TriageSettings

console = Console()
WARMUP = 300


def run_round(
    bootstrap: str, models: Path, folder: Path, claims: int, chained: bool
) -> tuple[dict[str, float], float, int, int]:
    """(CPU ms a claim by process, claims/s, lost, doubled) of one deployment on a new store."""
    data_dir = folder / uuid.uuid4().hex[:8]
    shutil.copytree(models, data_dir / "mlflow")
    bus = KafkaBenchBus(TriageSettings(bus="kafka", kafka_bootstrap=bootstrap))
    env = cluster_env(bootstrap, data_dir)
    cluster = LocalCluster(env, data_dir / "logs")
    spans = pipeline_spans(chained)
    cluster.start_spans(spans)
    documents = DocumentStore(data_dir / "documents")
    reader = bus.tail([topics.DECIDED, topics.DLQ])
    try:
        warm = make_fnols(WARMUP, prefix=f"W{uuid.uuid4().hex[:6]}", documents_share=0.0, put=documents.put, seed=5)
        collect_decisions(lambda: reader.poll(1000, 0.2), set(publish_paced(bus.publisher(), warm, None)), 300)
        fnols = make_fnols(claims, prefix=f"S{uuid.uuid4().hex[:6]}", documents_share=0.0, put=documents.put, seed=77)
        before, began = cpu_seconds(cluster, spans, broker=True), time.monotonic()
        with Progress(console=console, transient=True) as progress:
            published = publish_paced(bus.publisher(), fnols, None, progress)
            decided, dead = collect_decisions(lambda: reader.poll(1000, 0.2), set(published), 900, progress)
        seconds = time.monotonic() - began
        ms = cpu_ms_per_claim(before, cpu_seconds(cluster, spans, broker=True), claims)
    finally:
        reader.close()
        cluster.stop_all()
    copies = [len(v) for v in decided.values()]
    return ms, claims / seconds, claims - len(decided) - dead, sum(c - 1 for c in copies)


def main() -> None:
    parser = argparse.ArgumentParser(description="A process a stage against the pipeline as one process")
    parser.add_argument("--claims", type=int, default=15_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    from training.run import train_missing

    bootstrap = kafka_bootstrap()
    KafkaBenchBus(TriageSettings(bus="kafka", kafka_bootstrap=bootstrap)).ensure_topics(topics.ALL)
    cpu: dict[bool, list[float]] = {False: [], True: []}
    cps: dict[bool, list[float]] = {False: [], True: []}
    lost = doubled = 0
    with scratch_folder("triage-spans-") as folder:
        train_missing(TriageSettings(data_dir=folder / "models"), console=console)
        for round_ in range(args.rounds):
            for chained in (False, True) if round_ % 2 == 0 else (True, False):
                models = folder / "models" / "mlflow"
                ms, rate, missing, extra = run_round(bootstrap, models, folder, args.claims, chained)
                cpu[chained].append(sum(ms.values()))
                cps[chained].append(rate)
                lost, doubled = lost + missing, doubled + extra
                console.print(
                    f"round {round_ + 1}, {'one process' if chained else 'a process a stage'}: "
                    f"{sum(ms.values()):.2f} ms CPU a claim ({', '.join(f'{k} {v:.2f}' for k, v in ms.items())}),"
                    f" {rate:.0f} claims/s"
                )
    print(
        f"spans: claims={args.claims} separate_cpu_ms_per_claim={statistics.median(cpu[False]):.2f}"
        f" chained_cpu_ms_per_claim={statistics.median(cpu[True]):.2f}"
        f" separate_cps={statistics.median(cps[False]):.0f} chained_cps={statistics.median(cps[True]):.0f}"
        f" lost={lost} doubled={doubled}"
    )


if __name__ == "__main__":
    main()
