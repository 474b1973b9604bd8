"""Every stage as its own `triage run` process on one machine (or spans of stages, each one process): for integration
tests, load and chaos runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from services.app.stages import names


def cluster_env(bootstrap: str, data_dir: Path) -> dict[str, str]:
    """The environment of stage processes on the broker at `bootstrap` with their store under `data_dir`, no metrics
    ports (several clusters and instances share the host)."""
    return {
        "TRIAGE_BUS": "kafka",
        "TRIAGE_KAFKA_BOOTSTRAP": bootstrap,
        "TRIAGE_DATA_DIR": str(data_dir),
        "TRIAGE_DOCUMENT_DIR": str(data_dir / "documents"),
        **{f"TRIAGE_{name.upper()}_METRICS_PORT": "0" for name in names()},
    }


def pipeline_spans(chained: bool) -> dict[str, str]:
    """Each process's first stage and last: the whole pipeline in one (`chained`), else a process a stage."""
    return {names()[0]: names()[-1]} if chained else {name: name for name in names()}


class LocalCluster:
    """Starts, kills and restarts stage processes; each instance logs to `<logs>/<stage>-<instance>.log`."""

    def __init__(self, env: Mapping[str, str], logs: Path) -> None:
        self.env = {**os.environ, **env}
        self.logs = logs
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.through: dict[str, str] = {}  # a span's first stage: its last (`triage run FIRST --through LAST`)
        self.kills = 0
        logs.mkdir(parents=True, exist_ok=True)

    def start(self, name: str, instance: str = "0", **env: str) -> str:
        """Start (or restart) one instance of a stage (of the span it starts, after `start_spans`); returns its key,
        `<stage>-<instance>`."""
        key = f"{name}-{instance}"
        through = ["--through", self.through[name]] if name in self.through else []
        extra = {f"TRIAGE_{name.upper().replace('-', '_')}_INSTANCE": instance, **env}
        if instance != "0":  # a second instance on this host must not take the first one's metrics port
            extra.setdefault(f"TRIAGE_{name.upper()}_METRICS_PORT", "0")
        with (self.logs / f"{key}.log").open("ab") as log:
            self.procs[key] = subprocess.Popen(
                [sys.executable, "-m", "services.app.cli", "run", name, *through],
                env={**self.env, **extra},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return key

    def start_spans(self, spans: Mapping[str, str]) -> None:
        """One process for each span of stages, first stage: last stage (together they must be the pipeline)."""
        self.through = {first: last for first, last in spans.items() if last != first}
        for first in spans:
            self.start(first)

    def kill(self, key: str) -> None:
        """SIGKILL: no clean shutdown, no flush, an open transaction left behind."""
        self.procs[key].send_signal(signal.SIGKILL)
        self.procs[key].wait(timeout=30)
        self.kills += 1

    def stop(self, key: str, timeout_s: float = 30) -> None:
        """SIGTERM: the instance finishes its batch, commits and leaves its consumer group."""
        proc = self.procs.pop(key)
        proc.terminate()
        _wait_or_kill(proc, timeout_s)

    def restart(self, key: str) -> None:
        name, instance = key.rsplit("-", 1)
        self.kill(key)
        self.start(name, instance)

    def dead(self) -> dict[str, int]:
        """Instances that exited on their own, with their exit codes."""
        return {key: code for key, proc in self.procs.items() if (code := proc.poll()) is not None}

    def stop_all(self, timeout_s: float = 30) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            _wait_or_kill(proc, timeout_s)


def _wait_or_kill(proc: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Wait for a process told to stop; SIGKILL it when it has not within `timeout_s`."""
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
