"""The gateway as its own process (`triage run gateway`), started and stopped: for tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

SERVICE = "services.gateway.service:Gateway"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_command(host: str, port: int) -> list[str]:
    """The command line that serves the gateway with BentoML."""
    return [sys.executable, "-m", "bentoml", "serve", SERVICE, "--host", host, "--port", str(port)]


class GatewayProcess:
    """One gateway on 127.0.0.1:`port` with the given TRIAGE_* environment; it logs to `log`."""

    def __init__(self, env: Mapping[str, str], log: Path, port: int | None = None) -> None:
        self.env = {**os.environ, **env}
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> GatewayProcess:
        with self.log.open("ab") as log:
            # A session of its own: stopping it stops BentoML's worker processes too.
            env = {**self.env, "TRIAGE_GATEWAY_HOST": "127.0.0.1", "TRIAGE_GATEWAY_PORT": str(self.port)}
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "services.app.cli", "run", "gateway"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self, timeout_s: float = 90.0) -> None:
        """Until /readyz answers 200 (both models loaded); an error naming the log if it never does."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"the gateway exited ({self.proc.returncode}); see {self.log}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)  # polling a starting server, not waiting out a race
        raise TimeoutError(f"the gateway was not ready within {timeout_s:.0f}s; see {self.log}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
