"""The compliance report and the model inventory over the project's stores: what the CLI and the auditor pages call.

`RegistryFacts` reads each model version's facts and drift reference from the MLflow registry (once per
version: a registered version never changes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from models.drift import ARTIFACT, DriftReference
from models.registry import ModelRegistry, VersionFacts
from services.compliance.drift import ModelFacts
from services.compliance.inventory import (
    MODEL_KINDS,
    PROMOTION_KIND,
    InventoryEntry,
    bias_groups,
    build_inventory,
    to_csv,
    to_json,
)
from services.compliance.pdf import render_pdf
from services.compliance.report import TEMPLATES, Integrity, Report, build_report, render_html
from services.core.audit import AuditLog
from services.core.events import ClaimCase


class CaseSource(Protocol):
    def latest_cases(self, claim_ids: list[str]) -> dict[str, ClaimCase]: ...


class RegistryFacts:
    """ModelFacts from the MLflow registry, each version read once (a registered version never changes)."""

    def __init__(self, registry: ModelRegistry) -> None:
        self.registry = registry
        self._references: dict[tuple[str, str], DriftReference | None] = {}
        self._facts: dict[tuple[str, str], VersionFacts | None] = {}

    def reference(self, name: str, version: str) -> DriftReference | None:
        if (name, version) not in self._references:
            text = self.registry.version_artifact(name, version, ARTIFACT)
            self._references[name, version] = DriftReference.from_json(text) if text else None
        return self._references[name, version]

    def facts(self, name: str, version: str) -> VersionFacts | None:
        if (name, version) not in self._facts:
            self._facts[name, version] = self.registry.version_facts(name, version)
        return self._facts[name, version]


class ComplianceReports:
    """Reports for any period, from the audit log, the claim store and the registry."""

    def __init__(
        self,
        *,
        audit: AuditLog,
        cases: CaseSource,
        models: ModelFacts,
        clock: Callable[[], datetime],
        min_group: int = 30,
    ) -> None:
        self.audit, self.cases, self.models, self.clock, self.min_group = audit, cases, models, clock, min_group

    def report(self, start: datetime, end: datetime) -> Report:
        """The report on the claims routed in [start, end), with whether the audit log it is built from verifies."""
        check = self.audit.verify()
        entries = self.audit.entries(start, end)
        cases = self.cases.latest_cases(sorted({e["claim_id"] for e in entries if e["claim_id"]}))
        built = build_report(entries, cases, self.models, start, end, self.clock(), self.min_group)
        return replace(built, integrity=Integrity(check.entries, check.problems))

    def html(self, start: datetime, end: datetime, nav: str = "") -> str:
        return render_html(self.report(start, end), nav)

    def pdf(self, start: datetime, end: datetime) -> bytes:
        return render_pdf(self.report(start, end))

    def inventory(self) -> list[InventoryEntry]:
        """Every model version in the audit log, with its serving periods, promotions and registry facts."""
        return build_inventory(self.audit.scan(MODEL_KINDS), self.audit.scan([PROMOTION_KIND]), self.models)

    def inventory_html(self, nav: str = "") -> str:
        return TEMPLATES.get_template("inventory.html").render(
            entries=self.inventory(), nav=nav, generated_at=self.clock(), bias_groups=bias_groups
        )

    def inventory_export(self, fmt: str) -> str:
        """The inventory as `json` or `csv`."""
        return to_csv(self.inventory()) if fmt == "csv" else to_json(self.inventory())
