"""docker-compose.yml cannot run here (no Docker): it is read against the code instead. Every service it runs is a
`triage run` target, every one of those runs in it, and Prometheus scrapes each at the port its settings use."""

from __future__ import annotations

from pathlib import Path

import yaml

from services.app.run import Service
from services.app.stages import STAGES
from services.core.settings import AdjusterSettings, GatewaySettings, IntakeSettings

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SCRAPES = yaml.safe_load((ROOT / "scripts" / "prometheus.yml").read_text())


def runs() -> dict[str, str]:
    """Compose service name -> the `triage run` target it starts."""
    return {
        name: spec["command"][1]
        for name, spec in COMPOSE["services"].items()
        if spec.get("command", [None])[0] == "run"
    }


def test_compose_runs_every_service_and_only_real_ones() -> None:
    assert sorted(runs().values()) == sorted(service.value for service in Service)


def test_prometheus_scrapes_every_service_where_it_serves_metrics() -> None:
    targets = {
        target for job in SCRAPES["scrape_configs"] for config in job["static_configs"] for target in config["targets"]
    }
    expected = {
        f"{stage}:{settings.model_fields['metrics_port'].default}"
        for stage, settings in ((s.name, s.settings) for s in STAGES)
    }
    environment = {name: spec.get("environment", {}) for name, spec in COMPOSE["services"].items()}
    for name, settings, variable in (
        ("intake-api", IntakeSettings, "TRIAGE_INTAKE_PORT"),
        ("adjuster-api", AdjusterSettings, "TRIAGE_ADJUSTER_PORT"),
        ("gateway", GatewaySettings, "TRIAGE_GATEWAY_PORT"),
    ):
        port = environment[name].get(variable, settings.model_fields["port"].default)
        expected.add(f"{name}:{port}")
    assert targets == expected
    assert set(runs()) >= {target.split(":")[0] for target in targets}  # each target is a compose service
