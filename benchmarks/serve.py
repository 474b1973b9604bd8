"""`triage serve` under load over HTTP, and killed mid-stream.

    python benchmarks/serve.py [--claims 3000] [--concurrency 32] [--rate 300] [--documents-share 0.2] [--kills 3]

Starts `triage serve` as its own process (models trained once into `--models` when none is registered there),
then, after a warm-up of a tenth as many, four rounds of `--claims` FNOLs from a concurrent HTTP client (aiohttp,
asyncio; bodies serialised before the clock starts):
1. without documents, each sent as soon as a request is free: the capacity, decided claims per second from the
   first 202 to the last decision, and the server's CPU a claim (its own counters, all its threads);
2. without documents at `--rate` claims/s: latency from each claim's 202 to its decision, p50 and p99 (unpaced,
   latency would only measure the backlog the sender built up);
3. `--documents-share` of them carrying their PDFs (multipart), as fast as answered;
4. the same while the server is SIGKILLed `--kills` times at random moments and started again (the client sends
   each FNOL until it is answered 202).
`lost` counts claims answered 202 and never decided, `doubled` any claim with more than one routing decision, score
or estimate in the audit log or more than one queue row. Last line: `serve: claims_per_s=… rate=… p50_ms=…
p99_ms=… cpu_ms_per_claim=… with_documents_claims_per_s=… with_documents_p99_ms=… kills=… lost=… doubled=…`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import numpy as np
import psutil
from sqlalchemy import create_engine, text

from claimgen.bundle import claim_documents
from claimgen.fnol import generate_claims
from services.app.product import token_secret
from services.core.auth import Role, mint_token
from services.core.events import FNOL, ClaimCase
from services.core.settings import TriageSettings

Bundle = tuple[FNOL, list[tuple[str, bytes]]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServeProcess:
    """One `triage serve` on its own data folder, started, killed and started again."""

    def __init__(self, data_dir: Path, models: Path, log: Path) -> None:
        self.data_dir, self.log = data_dir, log
        self.port, self.adjuster_port = free_port(), free_port()
        self.env = {
            **os.environ,
            "TRIAGE_DATA_DIR": str(data_dir),
            "TRIAGE_MLFLOW_TRACKING_URI": f"sqlite:///{models / 'mlflow' / 'mlflow.db'}",
            "TRIAGE_OTEL_EXPORTER": "none",
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, ready_within_s: float = 300) -> None:
        command = [sys.executable, "-m", "services.app.cli", "serve"]
        command += ["--intake-port", str(self.port), "--adjuster-port", str(self.adjuster_port)]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(command, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + ready_within_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"triage serve exited with {self.proc.returncode}; see {self.log}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)  # polling a starting server's health endpoint
        raise TimeoutError(f"triage serve not up within {ready_within_s} s; see {self.log}")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=60)

    def cpu_s(self) -> float:
        """CPU seconds the server has used so far, user and system, all its threads."""
        assert self.proc is not None
        times = psutil.Process(self.proc.pid).cpu_times()
        return float(times.user + times.system)

    def token(self) -> str:
        secret = token_secret(TriageSettings(data_dir=self.data_dir))  # the key the server signs and checks with
        return mint_token("bench", [Role.INTAKE_SYSTEM], secret, lifetime=timedelta(hours=2))


def bundles(count: int, seed: int, documents_share: float) -> list[Bundle]:
    now = datetime.now(UTC).replace(microsecond=0)
    claims = generate_claims(count, seed=seed, now=now, id_prefix=f"S{seed}{now:%H%M%S}")
    rng = np.random.default_rng(seed)
    return [(c.fnol, claim_documents(c, rng) if rng.random() < documents_share else []) for c in claims]


async def send_all(
    server: ServeProcess, sent: Sequence[Bundle], concurrency: int, rate: float | None = None
) -> dict[str, datetime]:
    """Each FNOL until it is answered 202 (a server that is down or restarting is waited for); when it was. With
    `rate`, the i-th FNOL is not sent before i / rate seconds from the start (an intake system's steady stream).

    aiohttp rather than httpx, and each FNOL's JSON made before the clock starts, as an intake system has its
    messages ready: the sender shares the two cores with the server it measures."""
    accepted: dict[str, datetime] = {}
    queue: asyncio.Queue[tuple[int, str, bytes, list[tuple[str, bytes]]]] = asyncio.Queue()
    for i, (fnol, documents) in enumerate(sent):
        queue.put_nowait((i, fnol.claim_id, fnol.model_dump_json().encode(), documents))
    headers = {"authorization": f"Bearer {server.token()}"}
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(server.url, headers=headers, timeout=timeout, connector=connector) as client:
        start = asyncio.get_running_loop().time()

        async def worker() -> None:
            while not queue.empty():
                i, claim_id, body, documents = queue.get_nowait()
                if rate is not None:
                    await asyncio.sleep(start + i / rate - asyncio.get_running_loop().time())  # pacing, not a wait
                while claim_id not in accepted:
                    try:
                        async with client.post("/v1/fnol", **_request(body, documents)) as answer:
                            status, text = answer.status, await answer.text()
                    except aiohttp.ClientError:
                        await asyncio.sleep(0.2)  # the server is down: the sender keeps the claim and tries again
                        continue
                    if status == 202:
                        accepted[claim_id] = datetime.now(UTC)
                    elif status != 503:
                        raise RuntimeError(f"{claim_id}: {status} {text}")

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return accepted


def _request(body: bytes, documents: list[tuple[str, bytes]]) -> dict[str, Any]:
    """aiohttp's post arguments: the FNOL's JSON alone, or multipart with its documents as files."""
    if not documents:
        return {"data": body, "headers": {"content-type": "application/json"}}
    form = aiohttp.FormData()
    form.add_field("fnol", body, content_type="application/json")
    for name, content in documents:
        form.add_field("documents", content, filename=name, content_type="application/pdf")
    return {"data": form}


def decided_at(database: Path, claim_ids: Sequence[str], deadline_s: float) -> dict[str, datetime]:
    """Each claim's decision time, once every one of `claim_ids` is decided (or the deadline passed)."""
    engine = create_engine(f"sqlite:///{database}")
    wanted, found = set(claim_ids), {}
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT claim_id, case_json FROM stage_results WHERE stage = 'router'")).all()
        found = {c: ClaimCase.model_validate_json(j) for c, j in rows if c in wanted}
        if len(found) == len(wanted):
            break
        time.sleep(0.2)  # polling the store for decisions still on their way
    engine.dispose()
    return {c: case.decision.decided_at for c, case in found.items() if case.decision is not None}


def doubled(database: Path) -> int:
    """Claims with more than one audit entry of a kind, or more than one queue row."""
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        audit = conn.execute(
            text("SELECT count(*) FROM (SELECT 1 FROM audit_entries GROUP BY claim_id, kind HAVING count(*) > 1)")
        ).scalar_one()
        queued = conn.execute(
            text("SELECT count(*) FROM (SELECT 1 FROM queue_items GROUP BY claim_id HAVING count(*) > 1)")
        ).scalar_one()
    engine.dispose()
    return int(audit) + int(queued)


@dataclass(frozen=True)
class Round:
    claims_per_s: float
    p50_ms: float
    p99_ms: float
    lost: int
    cpu_ms_per_claim: float  # the server's CPU over the round (meaningless across kills)
    client_cpu_ms_per_claim: float  # this sender's own: a client short of CPU would cap the rate measured


def measure(
    server: ServeProcess, sent: Sequence[Bundle], concurrency: int, kills: int = 0, rate: float | None = None
) -> Round:
    """One round: send everything (at `rate` claims/s, else as fast as answered; killing and restarting the server
    `kills` times meanwhile), await decisions."""

    async def run() -> dict[str, datetime]:
        sending = asyncio.create_task(send_all(server, sent, concurrency, rate))
        for _ in range(kills):
            await asyncio.sleep(random.uniform(1.0, 4.0))  # a crash at a moment nobody chose
            await asyncio.to_thread(server.kill)
            await asyncio.to_thread(server.start)
        return await sending

    cpu_before, client_before = server.cpu_s(), time.process_time()
    accepted = asyncio.run(run())
    client = time.process_time() - client_before
    decided = decided_at(server.data_dir / "triage.db", list(accepted), deadline_s=600)
    cpu = server.cpu_s() - cpu_before
    latency = [(decided[c] - at).total_seconds() * 1000 for c, at in accepted.items() if c in decided]
    span = (max(decided.values()) - min(accepted.values())).total_seconds() if decided else float("inf")
    return Round(
        len(decided) / span,
        float(np.percentile(latency, 50)) if latency else float("nan"),
        float(np.percentile(latency, 99)) if latency else float("nan"),
        len(accepted) - len(decided),
        cpu * 1000 / max(len(decided), 1),
        client * 1000 / max(len(accepted), 1),
    )


def trained(models: Path) -> Path:
    from services.core.settings import TriageSettings
    from training.run import train_missing

    train_missing(TriageSettings(data_dir=models))
    return models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=3000, help="FNOLs in each round")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight")
    parser.add_argument("--rate", type=float, default=300, help="claims/s of the paced round (latency)")
    parser.add_argument("--documents-share", type=float, default=0.2, help="share of FNOLs with PDFs (round 3)")
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs of the server in the last round")
    parser.add_argument("--models", type=Path, default=Path("data/bench-models"), help="MLflow store to train into")
    parser.add_argument("--work", type=Path, default=Path("data/bench-serve"), help="the server's data folder")
    args = parser.parse_args()
    models = trained(args.models)
    args.work.mkdir(parents=True, exist_ok=True)
    data_dir = args.work / datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    data_dir.mkdir()
    server = ServeProcess(data_dir, models, data_dir / "serve.log")
    server.start()
    try:
        # A fresh process's first claims pay for lazy imports, first model calls and an empty database's growth.
        measure(server, bundles(max(args.claims // 10, 100), 5, 0.0), args.concurrency)
        plain = measure(server, bundles(args.claims, 1, 0.0), args.concurrency)
        print(f"no documents, as fast as answered: {plain}")
        paced = measure(server, bundles(args.claims, 4, 0.0), args.concurrency, rate=args.rate)
        print(f"no documents, {args.rate:.0f} claims/s: {paced}")
        with_docs = measure(server, bundles(args.claims, 2, args.documents_share), args.concurrency)
        print(f"{args.documents_share:.0%} with documents: {with_docs}")
        crashed = measure(server, bundles(args.claims, 3, args.documents_share), args.concurrency, args.kills)
        print(f"with {args.kills} kills: {crashed}")
    finally:
        server.stop()
    lost = plain.lost + paced.lost + with_docs.lost + crashed.lost
    twice = doubled(data_dir / "triage.db")
    print(
        f"serve: claims_per_s={plain.claims_per_s:.0f} rate={args.rate:.0f} p50_ms={paced.p50_ms:.0f} "
        f"p99_ms={paced.p99_ms:.0f} cpu_ms_per_claim={plain.cpu_ms_per_claim:.2f} "
        f"with_documents_claims_per_s={with_docs.claims_per_s:.0f} with_documents_p99_ms={with_docs.p99_ms:.0f} "
        f"kills={args.kills} lost={lost} doubled={twice}"
    )


if __name__ == "__main__":
    main()
