"""Load: sustained throughput and FNOL-to-decision latency, embedded and on the real Kafka pipeline.

    python -m benchmarks.load [--embedded-claims 20000] [--claims 3000] [--rate 200] [--backlog 30000]
                              [--warmup 20000] [--settle-windows 24] [--documents-share 0] [--chained] [--skip-kafka]

1. embedded: `--embedded-claims` structured FNOLs published as fast as possible through the in-process
   pipeline (a long run: the figure is the sustained rate, not the first second's ramp);
2. Kafka: every stage as its own process (`--chained`: the whole pipeline as one process, `triage run intake --through
   router`; scripts/kafka.sh starts a broker if none runs): after `--warmup` claims,
   a burst of `--claims` for capacity; then windows of 10 s at `--rate` claims/s until the broker's JIT has
   compiled what paced load runs and its CPU a claim has stopped falling (at most `--settle-windows`), as the
   figure is a broker's that has run for a while; then `--claims` at `--rate` claims/s for latency, and the CPU a
   claim of every stage process and the broker from their own counters (`cpu_ms_per_claim`, their sum);
3. scale-out of the slowest stage (the one whose process spent the most CPU on the burst: one process is one core at
   most; hop latencies would name intake, whose hop holds the load generator's whole burst), two ways:
   - the stage alone: `--backlog` claims wait in its input topic while it (and every stage after it) is stopped; one
     instance, then two in the same consumer group, work the backlog off. Its rate is read from its own finish
     stamps, from the moment every instance holds partitions to the 95th percentile (start-up, the rebalance
     and the last batch do not count);
   - the whole pipeline: the burst again with the two instances. On two cores the five stages and the broker
     already share every cycle, so a second instance only takes cycles from the other stages.
The pipeline topics' partitions are printed (topics made before keep theirs: `TRIAGE_KAFKA_TOPIC_PARTITIONS` only
applies to new ones). Last line: `load: embedded_cps=… partitions=… kafka_cps=… kafka_rate=… kafka_p50_ms=…
kafka_p99_ms=… cpu_ms_per_claim=… paced_warmup_s=… processes=… slowest=… stage_cps=… scaled_stage_cps=… scaled_cps=…`
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import psutil
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from benchmarks.kafka_tools import KafkaBenchBus
from benchmarks.loadgen import LoadReport, collect_decisions, make_fnols, measure, publish_paced
from benchmarks.local_cluster import LocalCluster, cluster_env, pipeline_spans
from benchmarks.scratch import scratch_folder
from services.app.embedded import EmbeddedPipeline
from services.app.stages import STAGES, declared
from services.core import topics
from services.core.documents import DocumentStore
from services.core.settings import TriageSettings

ROOT = Path(__file__).resolve().parents[1]
KAFKA_SH = str(ROOT / "scripts" / "kafka.sh")
console = Console()
# A broker just started compiles its hot paths (HotSpot's JIT) through its first minutes of paced load, its CPU a claim
# and latency falling as compiled code replaces interpreted code. The paced round measures a broker past that: its JIT
# threads under JIT_SETTLED_MS a claim, and its CPU a claim no new low (by 3 %) for SETTLED_WINDOWS windows in a row.
JIT_SETTLED_MS = 0.05
SETTLED_WINDOWS = 3
SETTLE_WINDOW_S = 10.0
# Every round draws new FNOLs: one seed again would file the same claimants, phones and loss dates under new claim
# ids, round after round, until every entity in the claims graph looked like a ring of dozens of claims.
_SEEDS = itertools.count(21)


def run_embedded(data_dir: Path, claims: int, documents_share: float) -> LoadReport:
    settings = TriageSettings(bus="memory", data_dir=data_dir)
    with EmbeddedPipeline(settings) as pipeline, Progress(console=console, transient=True) as progress:
        fnols = make_fnols(
            claims,
            prefix=f"E{uuid.uuid4().hex[:6]}",
            documents_share=documents_share,
            put=pipeline.deps.documents.put,
            seed=next(_SEEDS),
        )
        reader = pipeline.bus.stage_link("load-reader", [topics.DECIDED, topics.DLQ])
        published = publish_paced(pipeline.bus.publisher(), fnols, None, progress)
        decided, _ = collect_decisions(lambda: reader.poll(1000, 0.2), set(published), 600, progress)
    return measure(decided, published)


def kafka_bootstrap() -> str:
    out = subprocess.run([KAFKA_SH, "start"], check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1].split("=", 1)[1]


def broker_pid() -> int | None:
    """The pid of the broker scripts/kafka.sh runs, or None (a broker of one's own, not ours)."""
    out = subprocess.run([KAFKA_SH, "status"], capture_output=True, text=True)
    found = re.search(r"\bpid=(\d+)", out.stdout)
    return int(found.group(1)) if found else None


def jit_cpu(pid: int) -> dict[int, float]:
    """CPU seconds each of the JVM's JIT compiler threads (`C1/C2 CompilerThreadN`) has used, by thread id (Linux
    /proc; empty elsewhere). By thread: the JVM ends idle compiler threads, and their seconds must not count as
    negative work."""
    used: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return used
    for task in tasks:
        try:
            if "CompilerThre" not in (task / "comm").read_text():
                continue
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        used[int(task.name)] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return used


def jit_seconds_between(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(tid, 0.0) for tid, seconds in after.items())


def settle_broker(bus: KafkaBenchBus, documents: DocumentStore, rate: float, max_windows: int) -> float:
    """Paced windows of SETTLE_WINDOW_S at `rate` until the broker has compiled what this load runs and its CPU a
    claim has stopped falling: the figures are those of a broker that has run for a while, not of its first
    minutes. Returns the seconds of paced warm-up."""
    pid = broker_pid()
    if pid is None or not jit_cpu(pid):
        console.print("[yellow]the broker's JIT threads cannot be read here: no paced warm-up")
        return 0.0
    broker = psutil.Process(pid)
    claims = int(rate * SETTLE_WINDOW_S)
    broker_ms: list[float] = []
    for window in range(1, max_windows + 1):
        jit_before, cpu_before = jit_cpu(pid), sum(broker.cpu_times()[:2])
        report = run_kafka_round(bus, documents, claims, rate, 0.0)
        jit_ms = jit_seconds_between(jit_before, jit_cpu(pid)) * 1000 / claims
        broker_ms.append((sum(broker.cpu_times()[:2]) - cpu_before) * 1000 / claims)
        console.print(
            f"warm-up {window}: broker {broker_ms[-1]:.2f} ms CPU a claim (JIT {jit_ms:.2f}),"
            f" p99 {report.e2e_ms['p99']:.0f} ms"
        )
        if jit_ms < JIT_SETTLED_MS and stopped_falling(broker_ms):
            return window * SETTLE_WINDOW_S
    console.print(f"[yellow]the broker still settling after {max_windows} windows: measuring anyway")
    return max_windows * SETTLE_WINDOW_S


def stopped_falling(cpu_ms: Sequence[float]) -> bool:
    """Whether the last SETTLED_WINDOWS figures came no more than 3 % under the lowest one before them."""
    if len(cpu_ms) <= SETTLED_WINDOWS:
        return False
    return min(cpu_ms[-SETTLED_WINDOWS:]) >= 0.97 * min(cpu_ms[:-SETTLED_WINDOWS])


def run_kafka_round(
    bus: KafkaBenchBus, documents: DocumentStore, claims: int, rate: float | None, documents_share: float
) -> LoadReport:
    prefix, seed = f"L{uuid.uuid4().hex[:6]}", next(_SEEDS)
    fnols = make_fnols(claims, prefix=prefix, documents_share=documents_share, put=documents.put, seed=seed)
    reader = bus.tail([topics.DECIDED, topics.DLQ])  # made before publishing: it reads from the end on
    with Progress(console=console, transient=True) as progress:
        published = publish_paced(bus.publisher(), fnols, rate, progress)
        decided, dead = collect_decisions(lambda: reader.poll(1000, 0.2), set(published), 900, progress)
    reader.close()
    if dead or len(decided) < claims:
        console.print(f"[red]{claims - len(decided)} claims without a decision ({dead} dead-lettered)")
    return measure(decided, published)


def run_stage_backlog(
    bus: KafkaBenchBus,
    documents: DocumentStore,
    cluster: LocalCluster,
    stage: str,
    instances: int,
    claims: int,
    spans: dict[str, str],
) -> float:
    """The stage's own claims/s working off a backlog of `claims` with `instances` instances in its group.

    The stage and the stages after it are stopped (cleanly: they commit and leave their groups) while the claims
    reach its input topic; then its instances start and its output is read. Afterwards the stages after it start
    again and every claim must be decided. `spans`: each process's first stage and last (a process of one stage:
    itself); a span's output is its last stage's."""
    tag = uuid.uuid4().hex[:6]
    later = list(spans)[list(spans).index(stage) :]
    last = spans[stage]
    for key in [key for key in cluster.procs if key.rsplit("-", 1)[0] in later]:
        cluster.stop(key)
    fnols = make_fnols(claims, prefix=f"B{tag}", documents_share=0.0, put=documents.put, seed=next(_SEEDS))
    waiting, done = bus.tail([declared(stage).input_topic]), bus.tail([declared(last).output_topic, topics.DLQ])
    reader = bus.tail([topics.DECIDED, topics.DLQ])
    with Progress(console=console, transient=True) as progress:
        published = publish_paced(bus.publisher(), fnols, None, progress)
        queued, _ = collect_decisions(lambda: waiting.poll(1000, 0.2), set(published), 900, progress)
        for instance in range(instances):
            cluster.start(stage, str(instance))
        joined = all_joined(bus, stage, instances)
        outputs, dead = collect_decisions(lambda: done.poll(1000, 0.2), set(published), 900, progress)
    waiting.close()
    done.close()
    for name in later[1:]:
        cluster.start(name)
    if len(queued) < claims or dead or len(outputs) < claims:
        raise RuntimeError(
            f"backlog round: {len(queued)} of {claims} queued for {stage}, {len(outputs)} through it,"
            f" {dead} dead-lettered"
        )
    finished = np.array(
        [at.timestamp() for copies in outputs.values() for name, at in copies[0].finished if name == last]
    )
    end = float(np.percentile(finished, 95))
    counted = int(np.count_nonzero((finished > joined) & (finished <= end)))
    if counted < claims // 4:
        raise RuntimeError(
            f"{stage}: only {counted} of {claims} claims were handled after all {instances} instances"
            " had joined; raise --backlog"
        )
    rate = counted / (end - joined)
    with Progress(console=console, transient=True) as progress:
        decided, dead = collect_decisions(lambda: reader.poll(1000, 0.2), set(published), 900, progress)
    reader.close()
    if dead or len(decided) < claims:
        raise RuntimeError(f"backlog round: {claims - len(decided)} claims without a decision ({dead} dead-lettered)")
    console.print(
        f"{stage} alone, {instances} instance{'s' if instances > 1 else ''}, a backlog of {claims}: {rate:.0f} claims/s"
    )
    return rate


def cpu_seconds(cluster: LocalCluster, spans: dict[str, str], *, broker: bool = False) -> dict[str, float]:
    """CPU seconds (user and system, every thread) each process's first instance (named by its first stage), and
    with `broker` the broker, has used so far: each process's own counters."""
    pids = {stage: cluster.procs[f"{stage}-0"].pid for stage in spans}
    if broker and (pid := broker_pid()) is not None:
        pids["broker"] = pid
    used = {}
    for name, pid in pids.items():
        times = psutil.Process(pid).cpu_times()
        used[name] = times.user + times.system
    return used


def cpu_ms_per_claim(before: dict[str, float], after: dict[str, float], claims: int) -> dict[str, float]:
    return {name: (after[name] - before[name]) * 1000 / claims for name in after}


def all_joined(bus: KafkaBenchBus, group: str, members: int, deadline_s: float = 120) -> float:
    """When (epoch seconds) `members` members of the group first held partitions."""
    end = time.monotonic() + deadline_s
    while bus.group_members(group) < members:
        if time.monotonic() > end:
            raise RuntimeError(f"{group}: {members} instances did not all join within {deadline_s:.0f}s")
        time.sleep(0.05)  # asking the broker again, not waiting for a result
    return time.time()


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
    parser.add_argument(
        "--backlog", type=int, default=30_000, help="claims queued for the slowest stage in the scale-out rounds"
    )
    parser.add_argument("--warmup", type=int, default=20_000, help="claims through the Kafka pipeline before measuring")
    parser.add_argument(
        "--settle-windows",
        type=int,
        default=24,
        help=f"most paced windows of {SETTLE_WINDOW_S:.0f} s before the paced round, ended once the"
        " broker's JIT is done and its CPU a claim has stopped falling",
    )
    parser.add_argument("--documents-share", type=float, default=0.0, help="share of FNOLs with PDF documents")
    parser.add_argument(
        "--chained",
        action="store_true",
        help="on Kafka, the whole pipeline as one process (`triage run intake --through router`, every batch one"
        " transaction) instead of one process a stage",
    )
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
    bus = KafkaBenchBus(settings)
    bus.ensure_topics(topics.ALL)
    partitions = {bus.partitions(topic) for topic in {t for s in STAGES for t in (s.input_topic, s.output_topic)}}
    console.print(f"pipeline topics' partitions: {', '.join(map(str, sorted(partitions)))}")
    if partitions != {settings.kafka_topic_partitions}:
        console.print(
            f"[yellow]the topics existed before with other than TRIAGE_KAFKA_TOPIC_PARTITIONS="
            f"{settings.kafka_topic_partitions} partitions (each costs the broker work in every transaction)"
        )
    env = cluster_env(bootstrap, data_dir)
    cluster = LocalCluster(env, data_dir / "logs")
    documents = DocumentStore(data_dir / "documents")
    spans = pipeline_spans(args.chained)
    cluster.start_spans(spans)
    try:
        # Warm-up: every stage has joined its group, and a broker just started has compiled what the burst runs.
        run_kafka_round(bus, documents, args.warmup, None, 0.0)
        before = cpu_seconds(cluster, spans)
        burst = run_kafka_round(bus, documents, args.claims, None, args.documents_share)
        cpu_ms = cpu_ms_per_claim(before, cpu_seconds(cluster, spans), args.claims)
        show("Kafka, burst", burst)
        console.print("CPU a claim in the burst (ms): " + ", ".join(f"{s} {ms:.2f}" for s, ms in cpu_ms.items()))
        settled_s = settle_broker(bus, documents, args.rate, args.settle_windows)
        before = cpu_seconds(cluster, spans, broker=True)
        paced = run_kafka_round(bus, documents, args.claims, args.rate, args.documents_share)
        paced_cpu = cpu_ms_per_claim(before, cpu_seconds(cluster, spans, broker=True), args.claims)
        show(f"Kafka, {args.rate:.0f} claims/s", paced)
        console.print(
            f"CPU a claim at {args.rate:.0f} claims/s (ms), each process's own counters: "
            + ", ".join(f"{s} {ms:.2f}" for s, ms in paced_cpu.items())
        )
        slowest = max(cpu_ms, key=lambda stage: cpu_ms[stage])
        alone = run_stage_backlog(bus, documents, cluster, slowest, 1, args.backlog, spans)
        alone_scaled = run_stage_backlog(bus, documents, cluster, slowest, 2, args.backlog, spans)
        run_kafka_round(bus, documents, 20, None, 0.0)  # every group has settled
        scaled = run_kafka_round(bus, documents, args.claims, None, args.documents_share)
        show(f"Kafka, burst, two {slowest} instances", scaled)
    finally:
        cluster.stop_all()
    return (
        f" partitions={max(partitions)} kafka_cps={burst.cps:.0f} kafka_rate={args.rate:.0f}"
        f" kafka_p50_ms={paced.e2e_ms['p50']:.1f}"
        f" kafka_p99_ms={paced.e2e_ms['p99']:.1f} cpu_ms_per_claim={sum(paced_cpu.values()):.2f}"
        f" paced_warmup_s={settled_s:.0f} processes={len(spans)}"
        f" slowest={slowest if spans[slowest] == slowest else f'{slowest}..{spans[slowest]}'}"
        f" stage_cps={alone:.0f}"
        f" scaled_stage_cps={alone_scaled:.0f} scaled_cps={scaled.cps:.0f}"
    )


if __name__ == "__main__":
    main()
