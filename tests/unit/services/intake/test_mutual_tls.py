"""Mutual TLS against a real uvicorn server, with real certificates: a client certificate that the configured CA
signed is let in without a token; no certificate, or one from another CA, gets no answer at all."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from claimgen.fnol import GeneratedClaim
from services.core.bus.memory import MemoryBus
from services.core.documents import DocumentStore
from services.core.settings import IntakeApiSettings
from services.intake.security import authentication, server_tls
from tests.integration.certificates import CertificateAuthority, pem, pkcs8
from tests.unit.services.intake.apps import intake_app, serving


@dataclass(frozen=True)
class Files:
    ca: Path
    server_certificate: Path
    server_key: Path
    client_certificate: Path
    client_key: Path
    stranger_certificate: Path  # signed by a CA the server does not trust
    stranger_key: Path


def _pair(folder: Path, authority: CertificateAuthority, name: str, *, server: bool) -> tuple[Path, Path]:
    key, certificate = authority.issue(name, server=server)
    (folder / f"{name}.pem").write_bytes(pem(certificate))
    (folder / f"{name}.key").write_bytes(pkcs8(key))
    return folder / f"{name}.pem", folder / f"{name}.key"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    folder = tmp_path_factory.mktemp("tls")
    authority = CertificateAuthority("intake systems CA")
    server = _pair(folder, authority, "localhost", server=True)
    client = _pair(folder, authority, "acme-fnol", server=False)
    stranger = _pair(folder, CertificateAuthority("a CA the intake API never heard of"), "mallory", server=False)
    return Files(authority.write(folder / "ca.pem"), *server, *client, *stranger)


@pytest.fixture
def base_url(files: Files, tmp_path: Path) -> Iterator[str]:
    settings = IntakeApiSettings(
        tls_certfile=files.server_certificate, tls_keyfile=files.server_key, tls_client_cafile=files.ca
    )
    app = intake_app(
        tmp_path, MemoryBus().publisher(), DocumentStore(tmp_path / "docs"), authenticate=authentication(settings)
    )
    with serving(app, **server_tls(settings)) as url:
        yield url


def client_context(files: Files, certificate: Path | None, key: Path | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=files.ca)
    if certificate is not None and key is not None:
        context.load_cert_chain(certificate, key)
    return context


def test_a_client_certificate_from_the_ca_is_the_authentication(
    base_url: str, files: Files, sample_claims: list[GeneratedClaim]
) -> None:
    context = client_context(files, files.client_certificate, files.client_key)
    with httpx.Client(base_url=base_url, verify=context, timeout=10) as client:
        fnol = sample_claims[0].fnol
        response = client.post("/v1/fnol", content=fnol.model_dump_json(), headers={"content-type": "application/json"})
        assert response.status_code == 202, response.text
        assert client.get(f"/v1/claims/{fnol.claim_id}").json()["status"] == "received"


@pytest.mark.parametrize("who", ["no certificate", "another CA's certificate"])
def test_without_a_certificate_the_ca_signed_the_handshake_fails(base_url: str, files: Files, who: str) -> None:
    pair = (None, None) if who == "no certificate" else (files.stranger_certificate, files.stranger_key)
    with (
        httpx.Client(base_url=base_url, verify=client_context(files, *pair), timeout=10) as client,
        pytest.raises(httpx.TransportError),
    ):
        client.get("/healthz")  # the server refuses the handshake before any request is read


def test_plain_http_to_the_tls_port_gets_nothing(base_url: str) -> None:
    with pytest.raises(httpx.TransportError):
        httpx.get(base_url.replace("https://", "http://") + "/healthz", timeout=10)
