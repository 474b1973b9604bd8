"""A second real broker (scripts/kafka.sh in a state dir of its own) that asks clients to prove who they are.

Its listeners: PLAINTEXT (the script's readiness probe, and setting up the SCRAM user), SASL_SSL with SCRAM-SHA-512,
and SSL that requires a client certificate (mutual TLS). Inter-broker and controller traffic stays PLAINTEXT. The
certificates are made for the run: a CA signs the broker's (names 127.0.0.1 and localhost) and a client's.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient, ScramCredentialInfo, ScramMechanism, UserScramCredentialUpsertion

from tests.integration.certificates import CertificateAuthority, pem, pkcs8

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "kafka.sh"
HOST = "127.0.0.1"
SCRAM_USER = "triage-fraud"


@dataclass(frozen=True)
class SecureBroker:
    """Where the broker listens and what a client needs to be let in."""

    plaintext: str
    sasl_ssl: str
    mutual_tls: str
    ca_file: Path
    client_certificate: Path
    client_key: Path  # encrypted with client_key_password
    client_key_password: str
    stranger_ca_file: Path  # a CA that signed nothing this broker shows
    scram_password: str
    state_dir: Path


def runtime_missing() -> str | None:
    """Why scripts/kafka.sh could not start a broker here (no java, no jars and no mvn to fetch them), or None."""
    if shutil.which(os.environ.get("JAVA", "java")) is None:
        return "java not found: the secure broker runs from Kafka's jars"
    version = os.environ.get("KAFKA_VERSION", "3.9.1")
    home = Path(os.environ.get("KAFKA_HOME", Path.home() / ".cache" / "claims-triage" / f"kafka-{version}"))
    if not (home / ".fetched").exists() and shutil.which("mvn") is None:
        return f"Kafka {version} not fetched into {home} and no mvn to fetch it (scripts/kafka.sh fetch)"
    return None


def _free_ports(count: int) -> list[int]:
    sockets = [socket.create_server((HOST, 0)) for _ in range(count)]  # all open at once: distinct ports
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def _write_certificates(folder: Path, key_password: str) -> dict[str, Path]:
    folder.mkdir(parents=True)
    authority = CertificateAuthority("claims-triage test CA")
    broker_key, broker_certificate = authority.issue("localhost", server=True)
    client_key, client_certificate = authority.issue("triage-fraud", server=False)
    files = {
        "ca": authority.write(folder / "ca.pem"),
        "stranger_ca": CertificateAuthority("a CA the broker never heard of").write(folder / "stranger-ca.pem"),
        "keystore": folder / "broker.pem",
        "client_certificate": folder / "client.pem",
        "client_key": folder / "client.key",
    }
    # Kafka's PEM key store: the private key (PKCS#8) then the certificate chain, in one file.
    files["keystore"].write_bytes(pkcs8(broker_key) + pem(broker_certificate) + pem(authority.certificate))
    files["client_certificate"].write_bytes(pem(client_certificate))
    files["client_key"].write_bytes(pkcs8(client_key, key_password))
    return files


def _listeners_config(ports: dict[str, int], files: dict[str, Path]) -> str:
    """server.properties lines appended after the script's: they replace its listeners (last key wins)."""
    plaintext, controller, sasl_ssl, mutual_tls = (
        ports[name] for name in ("plaintext", "controller", "sasl_ssl", "mutual_tls")
    )
    served = f"PLAINTEXT://{HOST}:{plaintext},SASL_SSL://{HOST}:{sasl_ssl},SSL://{HOST}:{mutual_tls}"
    return "\n".join(
        [
            f"listeners={served},CONTROLLER://{HOST}:{controller}",
            f"advertised.listeners={served}",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL",
            "sasl.enabled.mechanisms=SCRAM-SHA-512",
            "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
            "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.keystore.type=PEM",
            f"ssl.keystore.location={files['keystore']}",
            "ssl.truststore.type=PEM",
            f"ssl.truststore.location={files['ca']}",
            "listener.name.ssl.ssl.client.auth=required",  # the SSL listener lets in only clients with a certificate
        ]
    )


def _kafka_sh(command: str, env: dict[str, str]) -> None:
    done = subprocess.run([str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        raise RuntimeError(f"scripts/kafka.sh {command} failed ({done.returncode}):\n{done.stderr[-4000:]}")


def _add_scram_user(plaintext: str, password: str) -> None:
    """The SCRAM user, made through the PLAINTEXT listener; returns once the broker knows it."""
    admin = AdminClient({"bootstrap.servers": plaintext})
    upsert = UserScramCredentialUpsertion(
        SCRAM_USER, ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password.encode()
    )
    for future in admin.alter_user_scram_credentials([upsert], request_timeout=30).values():
        future.result()
    deadline = time.monotonic() + 30  # the controller wrote it; the broker's metadata cache has it a moment later
    while True:
        try:
            described = admin.describe_user_scram_credentials([SCRAM_USER], request_timeout=10)
            assert isinstance(described, dict)  # asked about named users: a future each
            described[SCRAM_USER].result()
            return
        except KafkaException:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)


@contextmanager
def running_secure_broker(state_dir: Path) -> Iterator[SecureBroker]:
    """The broker, started in `state_dir` with fresh certificates and ports; stopped on leaving, whatever happened."""
    client_key_password, scram_password = secrets.token_urlsafe(12), secrets.token_urlsafe(16)
    files = _write_certificates(state_dir / "tls", client_key_password)
    ports = dict(zip(("plaintext", "controller", "sasl_ssl", "mutual_tls"), _free_ports(4), strict=True))
    env = {
        **os.environ,
        "KAFKA_STATE_DIR": str(state_dir / "kafka"),
        "KAFKA_PORT": str(ports["plaintext"]),
        "KAFKA_CONTROLLER_PORT": str(ports["controller"]),
        "KAFKA_EXTRA_CONFIG": _listeners_config(ports, files),
    }
    try:
        _kafka_sh("start", env)
        _add_scram_user(f"{HOST}:{ports['plaintext']}", scram_password)
        yield SecureBroker(
            plaintext=f"{HOST}:{ports['plaintext']}",
            sasl_ssl=f"{HOST}:{ports['sasl_ssl']}",
            mutual_tls=f"{HOST}:{ports['mutual_tls']}",
            ca_file=files["ca"],
            client_certificate=files["client_certificate"],
            client_key=files["client_key"],
            client_key_password=client_key_password,
            stranger_ca_file=files["stranger_ca"],
            scram_password=scram_password,
            state_dir=state_dir / "kafka",
        )
    finally:
        _kafka_sh("stop", env)
