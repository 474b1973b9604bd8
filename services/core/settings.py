"""Settings: read from the environment only, never at import time.

`TriageSettings` (prefix TRIAGE_) holds what every process shares; each service has its own
class on the `StageSettings` base with its own prefix (TRIAGE_FRAUD_, TRIAGE_ROUTER_, ...).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar, Literal, Self

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# HS256 keys shorter than the hash's output are guessable offline from any one token (RFC 7518, 3.2).
MIN_SECRET_BYTES = 32


def long_enough(secret: SecretStr, info: ValidationInfo, prefix: str) -> SecretStr:
    """`secret` unless it is shorter than MIN_SECRET_BYTES; the refusal names the environment variable."""
    if len(secret.get_secret_value().encode()) < MIN_SECRET_BYTES:
        variable = f"{prefix}{info.field_name}".upper()
        raise ValueError(
            f"{variable} is shorter than {MIN_SECRET_BYTES} bytes: use a random one of at least {MIN_SECRET_BYTES} "
            "(e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
        )
    return secret


class TriageSettings(BaseSettings):
    """Settings shared by every service (environment prefix TRIAGE_)."""

    model_config = SettingsConfigDict(env_prefix="TRIAGE_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Project data folder: databases, documents, MLflow.")
    datasets_dir: Path = Field(default=Path("../shared/data"), description="Real training data sets.")
    bus: Literal["memory", "kafka"] = Field(default="memory", description="Transport between stages.")
    kafka_bootstrap: str = Field(default="127.0.0.1:9092", description="Kafka bootstrap servers.")
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT", description="How clients talk to the brokers: TLS (SSL), SASL, both or neither."
    )
    kafka_sasl_mechanism: str | None = Field(default=None, description="SASL mechanism, e.g. SCRAM-SHA-512.")
    kafka_sasl_username: str | None = Field(default=None, description="SASL user.")
    kafka_sasl_password: SecretStr | None = Field(default=None, description="SASL password (environment only).")
    kafka_ssl_cafile: Path | None = Field(
        default=None, description="CA bundle (PEM) the brokers' certificates are checked with."
    )
    kafka_ssl_certfile: Path | None = Field(
        default=None, description="Client certificate (PEM) for brokers that ask for one (mutual TLS)."
    )
    kafka_ssl_keyfile: Path | None = Field(default=None, description="Private key (PEM) of the client certificate.")
    kafka_ssl_key_password: SecretStr | None = Field(
        default=None, description="Password of an encrypted client key (environment only)."
    )
    kafka_topic_partitions: int = Field(
        default=2,
        ge=1,
        description="Partitions for topics the project creates: as many as the instances a stage may run (each one"
        " costs the broker requests in every transaction that writes to it).",
    )
    kafka_session_timeout_ms: int = Field(
        default=10_000, ge=6_000, description="A consumer whose heartbeats stop this long leaves its group."
    )
    kafka_batch_linger_ms: int = Field(
        default=0,
        ge=0,
        le=10_000,
        description="How long a stage waits, after the first record of a batch, for more: fewer, larger transactions.",
    )
    otel_exporter: Literal["none", "console", "otlp"] = Field(
        default="none", description="Where trace spans go; trace context is propagated in every case."
    )
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite in data_dir.")
    mlflow_tracking_uri: str | None = Field(default=None, description="MLflow store; default SQLite in data_dir.")
    document_dir: Path | None = Field(default=None, description="Content-addressed document store folder.")
    model_gateway_url: str | None = Field(
        default=None, description="Model gateway the fraud and severity stages score through; unset: in process."
    )
    model_gateway_timeout_s: float = Field(default=5.0, gt=0, description="Time one gateway request may take.")
    model_gateway_retries: int = Field(
        default=2, ge=0, description="Quick retries of a failed gateway request before the batch is retried."
    )
    model_challenger_share: float = Field(
        default=0.0, ge=0, le=1, description="Share of claims (by claim id) the challenger decides (A/B split)."
    )
    model_shadow: bool = Field(default=True, description="Score every claim with the other arm too, for comparison.")
    model_reload_s: float = Field(default=10.0, gt=0, description="How often the registry aliases are re-checked.")
    audit_retention_days: int = Field(
        default=183, ge=183, description="Days audit entries are kept; `triage audit purge` removes only older ones."
    )

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'triage.db').resolve()}"

    def resolved_mlflow_uri(self) -> str:
        return self.mlflow_tracking_uri or f"sqlite:///{(self.data_dir / 'mlflow' / 'mlflow.db').resolve()}"

    def resolved_document_dir(self) -> Path:
        return self.document_dir or self.data_dir / "documents"

    def mlflow_artifact_root(self) -> Path:
        return (self.data_dir / "mlflow" / "artifacts").resolve()


class StageSettings(BaseSettings):
    """Runner settings every stage has; subclasses set their own environment prefix."""

    model_config = SettingsConfigDict(extra="ignore")

    instance: str = Field(default="0", description="Instance id; stable across restarts (transactional id).")
    batch_size: int | None = Field(
        default=None, ge=1, description="Records a transaction takes at most; unset: 500 in process, 100 on Kafka."
    )
    batch_linger_ms: int | None = Field(
        default=None,
        ge=0,
        le=10_000,
        description="This stage's wait for more records after a batch's first (Kafka); unset: the bus-wide one.",
    )
    poll_timeout_s: float = Field(default=0.5, gt=0)
    max_poll_interval_ms: int = Field(
        default=300_000, ge=10_000, description="How long one batch may take before the group evicts the consumer."
    )
    metrics_port: int = Field(default=0, ge=0, le=65535, description="Port of /metrics for Prometheus; 0: off.")

    kafka_batch_size: ClassVar[int] = 100

    def batch_limit(self, *, in_process: bool) -> int:
        """The records a batch takes at most: `batch_size` when set. Unset, 500 in process, where each batch pays
        fixed costs (a DataFrame and a model call, a store transaction) that larger batches share out. On Kafka 100:
        a batch is a transaction the next stage reads once it is committed, so smaller batches let a backlog pass
        down in smaller steps; under a steady stream a batch is only what has arrived anyway."""
        if self.batch_size is not None:
            return self.batch_size
        return 500 if in_process else self.kafka_batch_size


class IntakeSettings(StageSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_INTAKE_", extra="ignore")

    metrics_port: int = 9101
    # Producers send FNOLs one by one: lingering gathers them into one transaction, whose batch every later stage keeps.
    batch_linger_ms: int | None = 30
    host: str = "127.0.0.1"
    port: int = 8000
    max_document_bytes: int = Field(default=25 * 1024 * 1024, ge=1)


class IntakeApiSettings(BaseSettings):
    """How the intake API lets intake systems in (environment prefix TRIAGE_INTAKE_, beside the stage's settings):
    bearer tokens with the intake_system role, or mutual TLS. Only the API's process reads them."""

    # A refused secret may still be the real one: never echo it in the error.
    model_config = SettingsConfigDict(env_prefix="TRIAGE_INTAKE_", extra="ignore", hide_input_in_errors=True)

    token_secret: SecretStr | None = Field(
        default=None, description="HS256 key the intake systems' bearer tokens are signed with (from the IdP)."
    )
    tls_certfile: Path | None = Field(default=None, description="The API's certificate (PEM): it serves HTTPS.")
    tls_keyfile: Path | None = Field(default=None, description="Private key (PEM) of the API's certificate.")
    tls_client_cafile: Path | None = Field(
        default=None,
        description="CA bundle (PEM) of the intake systems' client certificates: set, a verified client certificate"
        " is required and is the authentication (mutual TLS).",
    )

    @field_validator("token_secret")
    @classmethod
    def _secret_long_enough(cls, secret: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        return None if secret is None else long_enough(secret, info, "TRIAGE_INTAKE_")

    @model_validator(mode="after")
    def _one_way_in(self) -> Self:
        if (self.tls_certfile is None) != (self.tls_keyfile is None):
            raise ValueError("TRIAGE_INTAKE_TLS_CERTFILE and TRIAGE_INTAKE_TLS_KEYFILE go together: set both")
        if self.tls_client_cafile is not None and self.tls_certfile is None:
            raise ValueError(
                "mutual TLS (TRIAGE_INTAKE_TLS_CLIENT_CAFILE) needs the API's own certificate: set "
                "TRIAGE_INTAKE_TLS_CERTFILE and TRIAGE_INTAKE_TLS_KEYFILE"
            )
        if self.token_secret is None and self.tls_client_cafile is None:
            raise ValueError(
                "the intake API needs a way to authenticate intake systems: set TRIAGE_INTAKE_TOKEN_SECRET "
                "(bearer tokens with the intake_system role) or TRIAGE_INTAKE_TLS_CLIENT_CAFILE with "
                "TRIAGE_INTAKE_TLS_CERTFILE and TRIAGE_INTAKE_TLS_KEYFILE (mutual TLS)"
            )
        return self

    @property
    def mutual_tls(self) -> bool:
        return self.tls_client_cafile is not None


class DocextractSettings(StageSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_DOCEXTRACT_", extra="ignore")

    metrics_port: int = 9102
    kafka_batch_size: ClassVar[int] = 200
    max_batch_documents: int = Field(
        default=10, ge=1, description="Documents read per transaction (a claim with more goes alone): reading is slow."
    )
    max_poll_interval_ms: int = 900_000
    max_pages: int = Field(default=200, ge=1, description="Pages read per document; longer ones are refused.")
    max_pixels: int = Field(default=40_000_000, ge=1_000_000, description="Pixels per page image; larger are refused.")
    document_timeout_s: float = Field(default=120.0, gt=0, description="Time to read one document, OCR included.")
    ocr_workers: int = Field(default=0, ge=0, description="Pages OCR'd at once; 0 means one per CPU core.")
    ocr_page_timeout_s: float = Field(default=30.0, gt=0, description="Time Tesseract may take for one page.")
    # With French and German models beside English, Tesseract reads accents (`Inès`, not `Inés`) and their
    # neighbours right; English-only scans read better too (python benchmarks/docextract.py).
    ocr_language: str = Field(
        default="eng+fra+deu", description="Tesseract languages; one not installed is left out with a warning."
    )
    ocr_dpi: int = Field(default=300, ge=150, le=600, description="Resolution scanned PDF pages are rendered at.")


class FraudSettings(StageSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_FRAUD_", extra="ignore")

    metrics_port: int = 9103
    model_alias: str = "champion"


class LinksSettings(StageSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_LINKS_", extra="ignore")

    metrics_port: int = 9106
    window_days: int = Field(default=90, ge=1, le=3650, description="Days either side of the loss that links count.")
    hops: int = Field(default=2, ge=1, le=2, description="Hops through shared entities a claim's neighbourhood spans.")
    common_claims: int = Field(
        default=20, ge=2, description="Claims in the window above which an entity is common (no evidence of a ring)."
    )


class SeveritySettings(StageSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_SEVERITY_", extra="ignore")

    metrics_port: int = 9104
    model_alias: str = "champion"


class RouterSettings(StageSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_ROUTER_", extra="ignore")

    metrics_port: int = 9105
    policy_file: Path | None = Field(default=None, description="Routing policy YAML; default the packaged one.")
    peril_model_alias: str = Field(default="champion", description="Registry alias the peril model is read with.")


class AdjusterSettings(BaseSettings):
    """The adjuster queue API and pages (environment prefix TRIAGE_ADJUSTER_)."""

    model_config = SettingsConfigDict(env_prefix="TRIAGE_ADJUSTER_", extra="ignore", hide_input_in_errors=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8001, ge=1, le=65535)
    token_secret: SecretStr = Field(description="HS256 key the bearer tokens are signed with (from the IdP).")
    hold_minutes: int = Field(default=30, ge=1, description="How long taking a case holds it for one adjuster.")

    @field_validator("token_secret")
    @classmethod
    def _secret_long_enough(cls, secret: SecretStr, info: ValidationInfo) -> SecretStr:
        return long_enough(secret, info, "TRIAGE_ADJUSTER_")


class OidcSettings(BaseSettings):
    """Sign-in to the adjuster workbench through the insurer's identity provider: OpenID Connect, authorization
    code with PKCE (environment prefix TRIAGE_OIDC_). Unset issuer: local users only."""

    model_config = SettingsConfigDict(env_prefix="TRIAGE_OIDC_", extra="ignore", hide_input_in_errors=True)

    issuer: str | None = Field(
        default=None, description="Issuer URL; its /.well-known/openid-configuration is read on the first sign-in."
    )
    client_id: str = Field(default="claims-triage", description="The workbench's client id at the provider.")
    client_secret: SecretStr | None = Field(
        default=None, description="Client secret of a confidential client (environment only); unset: public client."
    )
    role_claim: str = Field(
        default="realm_access.roles",
        description="Dotted path of the role list in the ID token or userinfo (Keycloak's realm roles by default).",
    )
    username_claim: str = Field(
        default="preferred_username", description="Claim naming the person in the queue and the audit log."
    )
    scope: str = Field(default="openid profile email", description="Scopes asked for.")
    provider_name: str = Field(default="identity provider", description="Shown on the button: Sign in with …")
    redirect_url: str | None = Field(
        default=None,
        description="The callback URL the provider knows (behind a proxy); unset: /login/oidc/callback of the request.",
    )
    local_users: bool = Field(default=True, description="Also accept local users' passwords beside the provider.")

    @field_validator("issuer")
    @classmethod
    def _issuer_is_a_url(cls, issuer: str | None) -> str | None:
        if issuer is not None and not issuer.startswith(("https://", "http://")):
            raise ValueError(f"TRIAGE_OIDC_ISSUER must be an http(s) URL, not {issuer!r}")
        return issuer.rstrip("/") if issuer else None


class GatewaySettings(BaseSettings):
    """The model gateway (environment prefix TRIAGE_GATEWAY_); the split and reload come from TriageSettings."""

    model_config = SettingsConfigDict(env_prefix="TRIAGE_GATEWAY_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=3000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, description="Gateway worker processes, each with its own models.")
    explain_threads: int = Field(
        default=0, ge=0, description="LightGBM threads for a batch's SHAP values (reasons); 0: the cores per worker."
    )

    def resolved_explain_threads(self) -> int:
        """The threads each worker gives a batch's SHAP values: as set, or the machine's cores shared by the workers."""
        return self.explain_threads or max(1, (os.cpu_count() or 1) // self.workers)
