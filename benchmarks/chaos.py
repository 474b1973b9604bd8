"""Chaos: a stream of claims through the Kafka pipeline while stages are SIGKILLed and the broker restarts.

    python -m benchmarks.chaos [--claims 20000] [--rate 150] [--kills 12] [--chained]

Every stage runs as its own process (benchmarks/local_cluster.py; `--chained`: the whole pipeline as one process,
`triage run intake --through router`, and every kill is of it). While the claims stream in, a
stage chosen at random is killed with SIGKILL at a random moment and started again, `--kills`
times, and the broker is restarted once (scripts/kafka.sh restart: same port, same data). Then
every claim must have exactly one decision and one audit entry for each stage that audits (a model
score or a routing decision), on a hash chain that still verifies: none lost, none doubled.
Last line: `chaos: claims=… decisions=… lost=… doubled=… dead_lettered=… kills=… broker_restarts=… crashed=…
audit_missing=… audit_doubled=… audit_chain_intact=…`
"""

from __future__ import annotations

import argparse
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import Progress

from benchmarks.kafka_tools import KafkaBenchBus, KafkaTail
from benchmarks.loadgen import Decided, collect_decisions, make_fnols, publish_paced
from benchmarks.local_cluster import LocalCluster, cluster_env, pipeline_spans
from benchmarks.scratch import scratch_folder
from services.app.stages import STAGES, names
from services.core import topics
from services.core.audit import AuditLog
from services.core.documents import DocumentStore
from services.core.settings import TriageSettings

ROOT = Path(__file__).resolve().parents[1]
KAFKA = str(ROOT / "scripts" / "kafka.sh")
AUDITED_STAGES = [s.name for s in STAGES if s.audit is not None]  # model scores and decisions


@dataclass(frozen=True)
class ChaosResult:
    claims: int
    decisions: int
    lost: int
    doubled: int
    dead_lettered: int
    kills: int
    broker_restarts: int
    crashed: int  # stages that died by themselves (and were started again)
    audit_missing: int  # (claim, auditing stage) pairs without their audit entry
    audit_doubled: int  # extra audit entries for a (claim, stage) pair
    audit_chain_intact: bool

    def line(self) -> str:
        return "chaos: " + " ".join(f"{k}={v}" for k, v in self.__dict__.items())


def kafka_bootstrap() -> str:
    out = subprocess.run([KAFKA, "start"], check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1].split("=", 1)[1]


def chaos_monkey(
    cluster: LocalCluster, kills: int, over_s: float, restart_broker: bool, seed: int, done: threading.Event
) -> Callable[[], tuple[int, int]]:
    """A thread that SIGKILLs `kills` random stage instances at random moments over `over_s` seconds and
    restarts the broker once; like a supervisor, it also starts again any stage that died by itself.
    Returns a function that stops it and gives (broker restarts, stages that died by themselves)."""
    rng = np.random.default_rng(seed)
    moments = list(np.sort(rng.uniform(0.05, 0.9, kills) * over_s))
    broker_at = float(rng.uniform(0.3, 0.6) * over_s) if restart_broker else None
    counts = {"broker": 0, "crashed": 0}

    def run() -> None:
        start = time.monotonic()
        while not done.wait(0.25):  # the monkey's clock tick
            elapsed = time.monotonic() - start
            for key in cluster.dead():
                counts["crashed"] += 1
                cluster.start(*key.rsplit("-", 1))
            if moments and elapsed >= moments[0]:
                moments.pop(0)
                cluster.restart(f"{rng.choice([n for n in names() if f'{n}-0' in cluster.procs])}-0")
            if broker_at is not None and counts["broker"] == 0 and elapsed >= broker_at:
                subprocess.run([KAFKA, "restart"], check=True, capture_output=True)
                counts["broker"] += 1

    thread = threading.Thread(target=run, name="chaos", daemon=True)
    thread.start()

    def stop() -> tuple[int, int]:
        done.set()
        thread.join()
        return counts["broker"], counts["crashed"]

    return stop


def run_chaos(
    bootstrap: str,
    data_dir: Path,
    *,
    claims: int,
    rate: float,
    kills: int,
    restart_broker: bool,
    console: Console,
    seed: int = 3,
    chained: bool = False,
) -> ChaosResult:
    """Stream `claims` at `rate` through a local cluster under chaos (`chained`: the whole pipeline as one process);
    count decisions per claim."""
    bus = KafkaBenchBus(TriageSettings(bus="kafka", kafka_bootstrap=bootstrap))
    bus.ensure_topics(topics.ALL)
    env = {**cluster_env(bootstrap, data_dir), "TRIAGE_DOCEXTRACT_BATCH_SIZE": "20"}
    cluster = LocalCluster(env, data_dir / "logs")
    cluster.start_spans(pipeline_spans(chained))
    fnols = make_fnols(
        claims, prefix=f"X{uuid.uuid4().hex[:6]}", documents_share=0.05, put=DocumentStore(data_dir / "documents").put
    )
    reader = bus.tail([topics.DECIDED, topics.DLQ])
    stop_monkey = chaos_monkey(cluster, kills, claims / rate, restart_broker, seed, threading.Event())
    try:
        with Progress(console=console, transient=True) as progress:
            published = publish_paced(bus.publisher(), fnols, rate, progress)
            decided, dead = collect_decisions(lambda: reader.poll(1000, 0.5), set(published), 900, progress)
            decided = _settle(reader, decided, set(published))
    finally:
        restarts, crashed = stop_monkey()  # first: the monkey would restart the stages stop_all ends
        cluster.stop_all()
    copies = [len(v) for v in decided.values()]
    missing, extra, intact = audit_counts(data_dir, set(published))
    return ChaosResult(
        claims=claims,
        decisions=sum(copies),
        lost=claims - len(decided) - dead,
        doubled=sum(c - 1 for c in copies),
        dead_lettered=dead,
        kills=cluster.kills,
        broker_restarts=restarts,
        crashed=crashed,
        audit_missing=missing,
        audit_doubled=extra,
        audit_chain_intact=intact,
    )


def audit_counts(data_dir: Path, claim_ids: set[str]) -> tuple[int, int, bool]:
    """(missing, doubled) audit entries over `claim_ids` x the auditing stages, and whether the chain verifies."""
    audit = AuditLog.open(TriageSettings(data_dir=data_dir).resolved_database_url())
    per_pair = Counter(
        (e["claim_id"], e["entry_key"].rsplit(":", 1)[1]) for e in audit.entries() if e["claim_id"] in claim_ids
    )
    missing = sum(1 for claim_id in claim_ids for stage in AUDITED_STAGES if (claim_id, stage) not in per_pair)
    return missing, sum(n - 1 for n in per_pair.values()), audit.verify().intact


def _settle(reader: KafkaTail, decided: dict[str, list[Decided]], expected: set[str]) -> dict[str, list[Decided]]:
    """Read on briefly after the last claim arrived: a doubled decision would show up here."""
    for _ in range(6):
        more, _ = collect_decisions(lambda: reader.poll(1000, 0.5), expected, 0.5)
        for claim_id, cases in more.items():
            decided.setdefault(claim_id, []).extend(cases)
    return decided


def main() -> None:
    parser = argparse.ArgumentParser(description="Chaos run on the Kafka pipeline")
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=150.0)
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument(
        "--chained", action="store_true", help="the whole pipeline as one process (triage run intake --through router)"
    )
    args = parser.parse_args()
    console = Console()
    from training.run import train_missing

    with scratch_folder("triage-chaos-") as data_dir:
        train_missing(TriageSettings(data_dir=data_dir), console=console, names=("fraud", "severity", "peril"))
        result = run_chaos(
            kafka_bootstrap(),
            data_dir,
            claims=args.claims,
            rate=args.rate,
            kills=args.kills,
            restart_broker=True,
            console=console,
            chained=args.chained,
        )
        print(result.line())
        if (
            result.lost
            or result.doubled
            or result.crashed
            or result.audit_missing
            or result.audit_doubled
            or not result.audit_chain_intact
        ):
            raise SystemExit(1)  # the folder, with every stage's log, is kept


if __name__ == "__main__":
    main()
