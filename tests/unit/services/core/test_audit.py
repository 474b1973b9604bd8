"""The audit log on SQLite and PostgreSQL: chained, idempotent, and tampering shows on verify."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from claimgen.fnol import GeneratedClaim
from services.app.bootstrap import open_dependencies
from services.app.cli import app
from services.app.stages import audit_entries, declared
from services.compliance.audit_export import ChainBroken, export_audit
from services.core.audit import AuditLog
from services.core.events import ModelRef, PerilAssessment
from services.core.settings import TriageSettings
from tests.unit.services.core.audit_cases import START, routed_case


@pytest.fixture
def log(database_url: str) -> AuditLog:
    return AuditLog.open(database_url)


def fill(log: AuditLog, claims: list[GeneratedClaim], count: int = 4) -> None:
    cases = [routed_case(c, minute=i) for i, c in enumerate(claims[:count])]
    for stage in ("fraud", "severity", "router"):
        log.append(audit_entries(stage, cases))


def execute(log: AuditLog, *statements: str) -> None:
    with log.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_each_score_and_decision_is_logged_once_and_the_chain_holds(
    log: AuditLog, sample_claims: list[GeneratedClaim]
) -> None:
    fill(log, sample_claims)
    fill(log, sample_claims)  # a replayed batch adds nothing
    report = log.verify()
    assert report.intact and report.entries == 12
    entries = log.entries(claim_id=sample_claims[0].fnol.claim_id)
    assert [e["kind"] for e in entries] == ["fraud_score", "severity_estimate", "routing_decision"]
    fraud, _, routing = entries
    assert (fraud["model_name"], fraud["model_version"], fraud["model_arm"]) == ("fraud", "3", "champion")
    assert routing["policy_version"] == "2026.11.1" and "straight-through limit" in routing["reasons_json"]
    assert len(fraud["inputs_digest"]) == 64


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (["UPDATE audit_entries SET outputs_json = '{\"probability\": 0.01}' WHERE seq = 3"], "entry 3: content"),
        (["UPDATE audit_entries SET actor = 'someone' WHERE seq = 5"], "entry 5: content"),
        (["DELETE FROM audit_entries WHERE seq = 4"], "entry 5: expected entry 4"),
        (
            [
                "UPDATE audit_entries SET seq = 100 WHERE seq = 2",
                "UPDATE audit_entries SET seq = 2 WHERE seq = 3",
                "UPDATE audit_entries SET seq = 3 WHERE seq = 100",
            ],
            "entry 2: does not follow",
        ),
        (["DELETE FROM audit_entries WHERE seq = 12"], "cut off the end"),
    ],
)
def test_tampering_with_the_store_is_caught(
    log: AuditLog, sample_claims: list[GeneratedClaim], tamper: list[str], expected: str
) -> None:
    fill(log, sample_claims)
    execute(log, *tamper)
    report = log.verify()
    assert not report.intact
    assert any(expected in problem for problem in report.problems), report.problems


def test_appenders_in_parallel_keep_one_chain(
    database_url: str, sample_claims: list[GeneratedClaim], tmp_path: Path
) -> None:
    deps = open_dependencies(TriageSettings(data_dir=tmp_path, database_url=database_url))
    log = deps.audit
    errors: list[BaseException] = []

    def stage(name: str) -> None:
        try:
            for i in range(0, 20, 5):  # batches of five, as a runner records them
                cases = [routed_case(c, minute=i) for c in sample_claims[i : i + 5]]
                declared(name).record_hook(deps)(name, cases, None, None)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=stage, args=(name,)) for name in ("fraud", "severity", "router")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = log.verify()
    assert report.intact and report.entries == 60


def test_export_a_date_range_as_csv_and_parquet(
    log: AuditLog, sample_claims: list[GeneratedClaim], tmp_path: Path
) -> None:
    fill(log, sample_claims)  # claims at minutes 0..3
    start, end = START.replace(minute=1), START.replace(minute=3)
    assert export_audit(log, tmp_path / "audit.csv", "csv", start, end) == 6
    rows = list(csv.DictReader((tmp_path / "audit.csv").open()))
    assert {r["claim_id"] for r in rows} == {c.fnol.claim_id for c in sample_claims[1:3]}
    assert [int(r["seq"]) for r in rows] == sorted(int(r["seq"]) for r in rows)
    assert export_audit(log, tmp_path / "audit.parquet", "parquet", start, end) == 6
    table = pq.read_table(tmp_path / "audit.parquet")
    assert table.num_rows == 6 and "entry_hash" in table.column_names


def test_triage_audit_verify_exits_1_on_a_tampered_log(
    log: AuditLog,
    database_url: str,
    sample_claims: list[GeneratedClaim],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("TRIAGE_DATABASE_URL", database_url)
    fill(log, sample_claims)
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "intact: 12 entries" in ok.output
    exported = runner.invoke(
        app,
        [
            "audit",
            "export",
            str(tmp_path / "a.parquet"),
            "--format",
            "parquet",
            "--since",
            "2026-11-20",
            "--until",
            "2026-11-21",
        ],
    )
    assert exported.exit_code == 0 and "wrote 12" in exported.output
    execute(log, "UPDATE audit_entries SET reasons_json = '[]' WHERE seq = 9")
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "entry 9" in broken.output


def test_an_export_of_a_log_that_does_not_verify_is_refused_unless_asked_for(
    log: AuditLog,
    database_url: str,
    sample_claims: list[GeneratedClaim],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("TRIAGE_DATABASE_URL", database_url)
    fill(log, sample_claims)
    execute(log, "UPDATE audit_entries SET outputs_json = '{}' WHERE seq = 3")
    with pytest.raises(ChainBroken, match="entry 3: content does not match its hash"):
        export_audit(log, tmp_path / "refused.csv", "csv")
    assert not (tmp_path / "refused.csv").exists()
    runner = CliRunner()
    refused = runner.invoke(app, ["audit", "export", str(tmp_path / "a.csv")])
    assert refused.exit_code == 1 and "export refused" in refused.output and not (tmp_path / "a.csv").exists()
    forced = runner.invoke(app, ["audit", "export", str(tmp_path / "a.csv"), "--allow-broken-chain"])
    assert forced.exit_code == 0 and "does NOT verify" in forced.output
    assert len(list(csv.DictReader((tmp_path / "a.csv").open()))) == 12


def test_a_routing_entry_keeps_the_peril_the_router_read(sample_claims: list[GeneratedClaim]) -> None:
    case = routed_case(sample_claims[0])
    assessed = case.model_copy(
        update={
            "peril": PerilAssessment(
                peril="hail", probability=0.91, model=ModelRef(name="peril", version="4", alias="champion")
            )
        }
    )
    unread = case.model_copy(
        update={
            "peril": PerilAssessment(peril=None, probability=None, model=None, note="no peril model for line motor")
        }
    )
    [with_peril] = audit_entries("router", [assessed])
    [without] = audit_entries("router", [unread])
    assert with_peril.outputs["peril"] == {
        "peril": "hail",
        "probability": 0.91,
        "model_name": "peril",
        "model_version": "4",
    }
    assert "peril" not in without.outputs and without.outputs["route"] == "adjuster"
