"""The model gateway against `mlflow models serve` of the same registered LightGBM fraud model, side by side.

    python benchmarks/gateway.py [--seconds 10] [--workers 1] [--datasets ../shared/data] [--registry DIR]

Trains the fraud model on the real data set (the generator's stand-in without it) into a throwaway
registry as versions 1 and 2 (with `--registry DIR`: into DIR on the first run, reused as it is on the
next), serves `fraud@champion` with both servers (the same worker count, no conda: `--env-manager local`),
and loads each with single-claim requests at concurrency 1, 8 and 32 and batches of 100 claims at
concurrency 4. Then it releases version 2 by moving `champion` while 32 clients keep scoring, and rolls
back, counting every failed request. Both servers see the same claims; mlflow answers probabilities
only, the gateway also the reason codes (SHAP), model and arm, and its batches are measured twice:
with reasons, and with `"reasons": false` (probabilities only).

Last line: `gateway: rps=… p99_ms=… mlflow_rps=… mlflow_p99_ms=… speedup_vs_mlflow=… batch_claims_per_s=…
batch_reasons_claims_per_s=… mlflow_batch_claims_per_s=… batch_speedup_vs_mlflow=…
batch_reasons_speedup_vs_mlflow=… failed_during_switch=…` (rps and speedup_vs_mlflow: single claims at
concurrency 32; the batch figures: batches of 100 at concurrency 4, each against mlflow's probabilities).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import numpy as np

from claimgen.fnol import generate_claims
from models.fraud.features import fraud_features
from models.registry import ModelRegistry
from services.gateway.process import GatewayProcess, free_port
from training.fraud import train_fraud
from training.severity import train_severity
from training.sources import FRAUD, SEVERITY, load_training_set


@dataclass
class Phase:
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    versions: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def p(self, q: float) -> float:
        return float(np.percentile(self.latencies_ms, q)) if self.latencies_ms else float("nan")


async def load(
    url: str, bodies: list[bytes], concurrency: int, seconds: float, phase: Phase, until: asyncio.Event | None = None
) -> Phase:
    """`concurrency` clients, each posting its next body as soon as its last answer came (closed loop)."""
    headers = {"content-type": "application/json"}
    end = time.perf_counter() + seconds

    async def client(session: aiohttp.ClientSession, offset: int) -> None:
        i = offset
        while time.perf_counter() < end and not (until and until.is_set()):
            started = time.perf_counter()
            try:
                async with session.post(url, data=bodies[i % len(bodies)], headers=headers) as response:
                    answer = await response.read()
                    if response.status != 200:
                        phase.failures.append(f"{response.status} {answer[:200]!r}")
                    elif b'"version"' in answer[:400]:
                        phase.versions[json.loads(answer)[0]["model"]["version"]] += 1
            except (TimeoutError, aiohttp.ClientError) as exc:
                phase.failures.append(repr(exc))
            phase.latencies_ms.append((time.perf_counter() - started) * 1000)
            i += concurrency

    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency), timeout=timeout) as s:
        started = time.perf_counter()
        await asyncio.gather(*(client(s, k) for k in range(concurrency)))
        phase.seconds = time.perf_counter() - started
    return phase


def bodies(
    claims: list[dict[str, Any]], size: int, server: str, columns: list[str], reasons: bool = True
) -> list[bytes]:
    """Request bodies of `size` claims each: the gateway's claims list, or mlflow's dataframe_split."""
    out = []
    switch = {} if reasons else {"reasons": False}
    for start in range(0, len(claims) - size + 1, size):
        chunk = claims[start : start + size]
        if server == "gateway":
            out.append(json.dumps({"claims": [{**claim, **switch} for claim in chunk]}).encode())
        else:
            rows = [[c["features"][name] for name in columns] for c in chunk]
            out.append(json.dumps({"dataframe_split": {"columns": columns, "data": rows}}).encode())
    return out


def registry_with_fraud(root: Path, datasets: Path) -> tuple[ModelRegistry, list[str]]:
    """fraud v1 (champion) and v2 (the same run registered again, to release), severity v1; fraud's columns.

    A registry `root` already holds (from an earlier run) is reused as it is, `champion` back on v1.
    """
    registry = ModelRegistry(f"sqlite:///{root / 'mlflow' / 'mlflow.db'}", root / "mlflow" / "artifacts")
    if (root / "mlflow" / "mlflow.db").exists() and registry.has("fraud", "champion"):
        registry.set_alias("fraud", "champion", "1")
        print("reusing the registry in", root, flush=True)
        return registry, list(registry.load("fraud", "champion").spec.names)
    print("training fraud on", datasets / FRAUD.file, flush=True)
    fraud = train_fraud(load_training_set(FRAUD, datasets))
    severity = train_severity(load_training_set(SEVERITY, datasets), rounds=40, folds=2)
    for name, trained in (("fraud", fraud), ("fraud", fraud), ("severity", severity)):
        registry.log_and_register(
            name,
            trained.model,
            params={},
            metrics={},
            artifacts={},
            input_example=trained.input_example,
            dataset_hash="0" * 64,
        )
    registry.set_alias("fraud", "champion", "1")
    registry.set_alias("severity", "champion", "1")
    return registry, list(fraud.model.spec.names)


def start_mlflow(root: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"sqlite:///{root / 'mlflow' / 'mlflow.db'}"}
    command = [
        sys.executable,
        "-m",
        "mlflow",
        "models",
        "serve",
        "-m",
        "models:/fraud@champion",
        "--env-manager",
        "local",
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "-w",
        str(workers),
    ]
    with (root / "mlflow-serve.log").open("ab") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ping", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.3)  # polling a starting server
    raise TimeoutError(f"mlflow models serve did not start; see {root / 'mlflow-serve.log'}")


PHASES = (("c1", 1, 1, True), ("c8", 1, 8, True), ("c32", 1, 32, True), ("batch100", 100, 4, True))
PROBABILITIES_ONLY = ("batch100_probabilities", 100, 4, False)  # the gateway's; mlflow's batches are that already


def measure(name: str, url: str, claims: list[dict[str, Any]], columns: list[str], seconds: float) -> dict[str, Phase]:
    results = {}
    server = "gateway" if name == "gateway" else "mlflow"
    for label, size, concurrency, reasons in PHASES + ((PROBABILITIES_ONLY,) if server == "gateway" else ()):
        sent = bodies(claims, size, server, columns, reasons)
        asyncio.run(load(url, sent[:50], concurrency, 2.0, Phase()))  # warm up
        phase = asyncio.run(load(url, sent, concurrency, seconds, Phase()))
        results[label] = phase
        print(
            f"  {name:8} {label:9} requests={len(phase.latencies_ms):6d} rps={phase.rps:8.1f} "
            f"p50_ms={phase.p(50):7.1f} p99_ms={phase.p(99):7.1f} failed={len(phase.failures)}",
            flush=True,
        )
    return results


async def switch_under_load(gateway: GatewayProcess, registry: ModelRegistry, claims: list[dict[str, Any]]) -> Phase:
    """32 clients scoring while `champion` moves to v2 and back; every failed request counted."""
    phase, done = Phase(), asyncio.Event()
    body = bodies(claims, 1, "gateway", [])
    loader = asyncio.create_task(load(f"{gateway.url}/v1/fraud", body, 32, 600, phase, until=done))

    async def served(version: str, at_least: int) -> None:
        deadline = time.monotonic() + 120
        while phase.versions[version] < at_least and time.monotonic() < deadline:
            await asyncio.sleep(0.05)  # polling what the clients observed
        if phase.versions[version] < at_least:
            raise TimeoutError(f"v{version} was not served after the alias moved: {phase.versions}")

    await served("1", 200)
    registry.set_alias("fraud", "champion", "2")
    print("  moved fraud@champion to v2 (release)", flush=True)
    await served("2", 200)
    registry.set_alias("fraud", "champion", "1")
    print("  moved fraud@champion back to v1 (rollback)", flush=True)
    await served("1", phase.versions["1"] + 200)
    done.set()
    await loader
    return phase


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="Length of each measured phase.")
    parser.add_argument("--workers", type=int, default=1, help="Worker processes of each server.")
    parser.add_argument("--datasets", type=Path, default=Path("../shared/data"))
    parser.add_argument("--registry", type=Path, help="A folder to train into once and reuse (default: a new one).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-gateway-") as tmp:
        root = args.registry or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        registry, columns = registry_with_fraud(root, args.datasets)
        claims = [
            {"claim_id": g.fnol.claim_id, "features": fraud_features(g.fnol)}
            for g in generate_claims(2000, seed=17, id_prefix="BENCH")
        ]
        env = {"TRIAGE_DATA_DIR": str(root), "TRIAGE_GATEWAY_WORKERS": str(args.workers), "TRIAGE_MODEL_RELOAD_S": "1"}
        gateway = GatewayProcess(env, root / "gateway.log").start()
        mlflow_port = free_port()
        mlflow = None
        try:
            gateway.wait_ready()
            mlflow = start_mlflow(root, mlflow_port, args.workers)
            print(f"servers up ({args.workers} worker(s) each); {args.seconds:.0f}s per phase", flush=True)
            ours = measure("gateway", f"{gateway.url}/v1/fraud", claims, columns, args.seconds)
            theirs = measure("mlflow", f"http://127.0.0.1:{mlflow_port}/invocations", claims, columns, args.seconds)
            print("alias switch under load (concurrency 32):", flush=True)
            switch = asyncio.run(switch_under_load(gateway, registry, claims))
            print(
                f"  requests={len(switch.latencies_ms)} failed={len(switch.failures)} "
                f"served={dict(switch.versions)} p99_ms={switch.p(99):.1f}",
                flush=True,
            )
        finally:
            gateway.stop()
            if mlflow is not None:
                os.killpg(mlflow.pid, signal.SIGTERM)
                mlflow.wait(timeout=30)
    print_table(ours, theirs)
    c32, m32 = ours["c32"], theirs["c32"]
    probabilities, explained, mlflow_batch = (
        ours["batch100_probabilities"].rps * 100,
        ours["batch100"].rps * 100,
        theirs["batch100"].rps * 100,
    )
    print(
        f"gateway: rps={c32.rps:.1f} p99_ms={c32.p(99):.1f} mlflow_rps={m32.rps:.1f} mlflow_p99_ms={m32.p(99):.1f} "
        f"speedup_vs_mlflow={c32.rps / m32.rps:.2f} batch_claims_per_s={probabilities:.0f} "
        f"batch_reasons_claims_per_s={explained:.0f} mlflow_batch_claims_per_s={mlflow_batch:.0f} "
        f"batch_speedup_vs_mlflow={probabilities / mlflow_batch:.2f} "
        f"batch_reasons_speedup_vs_mlflow={explained / mlflow_batch:.2f} failed_during_switch={len(switch.failures)}"
    )


def print_table(ours: dict[str, Phase], theirs: dict[str, Phase]) -> None:
    print(
        f"\n{'load':<26}{'gateway rps':>12}{'p50 ms':>9}{'p99 ms':>9}{'mlflow rps':>12}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'speedup':>9}"
    )
    names = {
        "c1": ("1 claim, concurrency 1", "c1"),
        "c8": ("1 claim, concurrency 8", "c8"),
        "c32": ("1 claim, concurrency 32", "c32"),
        "batch100": ("100 claims, concurrency 4", "batch100"),
        "batch100_probabilities": ("100, probabilities only", "batch100"),
    }
    for key, (label, against) in names.items():
        a, b = ours[key], theirs[against]
        print(
            f"{label:<26}{a.rps:>12.1f}{a.p(50):>9.1f}{a.p(99):>9.1f}{b.rps:>12.1f}{b.p(50):>9.1f}{b.p(99):>9.1f}"
            f"{a.rps / b.rps:>9.2f}"
        )
    print()


if __name__ == "__main__":
    main()
