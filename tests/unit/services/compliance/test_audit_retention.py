"""Retention: only entries past the retention period are purged, and the chain still verifies afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from typer.testing import CliRunner

from claimgen.fnol import GeneratedClaim
from services.app.cli import app
from services.app.stages import audit_entries
from services.compliance.audit_retention import RetentionRefused, purge
from services.core.audit import PURGE_KIND, AuditEntry, AuditLog
from services.core.settings import TriageSettings
from tests.unit.services.core.audit_cases import START, routed_case

RETENTION = timedelta(days=183)
NOW = START + timedelta(days=200)  # claims at START are past retention, claims 30 days later are not


@pytest.fixture
def log(database_url: str) -> AuditLog:
    return AuditLog.open(database_url)


def fill(log: AuditLog, claims: list[GeneratedClaim], days: int, count: int = 3) -> None:
    cases = [routed_case(c, minute=days * 24 * 60 + i) for i, c in enumerate(claims[:count])]
    for stage in ("fraud", "severity", "router"):
        log.append(audit_entries(stage, cases))


def seqs(log: AuditLog) -> list[int]:
    return [e["seq"] for e in log.entries()]


def test_purge_removes_only_entries_past_retention_and_the_chain_still_verifies(
    log: AuditLog, sample_claims: list[GeneratedClaim]
) -> None:
    fill(log, sample_claims[:3], days=0)  # entries 1..9, old
    fill(log, sample_claims[3:6], days=30)  # entries 10..18, inside the retention period
    done = purge(log, before=NOW - RETENTION, now=NOW, retention=RETENTION, actor="carol")
    assert (done.entries, done.through_seq) == (9, 9)
    kept = log.entries()
    assert [e["seq"] for e in kept] == list(range(10, 20))
    assert all(e["recorded_at"] >= START + timedelta(days=30) for e in kept)
    marker = kept[-1]
    assert marker["kind"] == PURGE_KIND and marker["actor"] == "carol"
    assert '"through_seq":9' in marker["outputs_json"] and done.anchor_hash in marker["outputs_json"]
    report = log.verify()
    assert report.intact, report.problems
    assert report.entries == 10


def test_an_old_entry_after_a_younger_one_waits_for_it(log: AuditLog, sample_claims: list[GeneratedClaim]) -> None:
    fill(log, sample_claims[:1], days=0, count=1)  # 1..3 old
    fill(log, sample_claims[1:2], days=30, count=1)  # 4..6 young
    fill(log, sample_claims[2:3], days=0, count=1)  # 7..9 old again, but after young entries in the chain
    done = purge(log, before=NOW - RETENTION, now=NOW, retention=RETENTION, actor="carol")
    assert done.through_seq == 3
    assert seqs(log)[:1] == [4] and 7 in seqs(log)
    assert log.verify().intact


def test_a_purge_inside_the_retention_period_is_refused(log: AuditLog, sample_claims: list[GeneratedClaim]) -> None:
    fill(log, sample_claims, days=0)
    with pytest.raises(RetentionRefused, match="inside the retention period"):
        purge(log, before=NOW - RETENTION + timedelta(seconds=1), now=NOW, retention=RETENTION, actor="mallory")
    with pytest.raises(RetentionRefused, match="below the minimum"):
        purge(log, before=NOW - timedelta(days=30), now=NOW, retention=timedelta(days=30), actor="mallory")
    assert seqs(log) == list(range(1, 10))


def test_a_log_that_does_not_verify_is_not_purged(log: AuditLog, sample_claims: list[GeneratedClaim]) -> None:
    fill(log, sample_claims, days=0)
    with log.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'someone' WHERE seq = 2"))
    with pytest.raises(RetentionRefused, match="does not verify"):
        purge(log, before=NOW - RETENTION, now=NOW, retention=RETENTION, actor="mallory")
    assert seqs(log) == list(range(1, 10))


@pytest.mark.parametrize("deleted", ["seq <= 3", "seq <= 12"])
def test_deleting_old_entries_without_a_purge_still_shows(
    log: AuditLog, sample_claims: list[GeneratedClaim], deleted: str
) -> None:
    fill(log, sample_claims[:3], days=0)
    fill(log, sample_claims[3:6], days=30)
    if deleted == "seq <= 12":  # a real purge first, then someone deletes more than it did
        purge(log, before=NOW - RETENTION, now=NOW, retention=RETENTION, actor="carol")
    with log.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM audit_entries WHERE {deleted}"))
    report = log.verify()
    assert not report.intact
    assert any("no purge entry records their removal" in p for p in report.problems), report.problems


def test_purges_in_turn_keep_the_chain_verifiable(log: AuditLog, sample_claims: list[GeneratedClaim]) -> None:
    fill(log, sample_claims[:3], days=0)
    fill(log, sample_claims[3:6], days=30)
    purge(log, before=NOW - RETENTION, now=NOW, retention=RETENTION, actor="carol")
    later = NOW + timedelta(days=400)  # now the 30-day claims and the first purge entry are past retention too
    fill(log, sample_claims[6:8], days=500, count=2)
    done = purge(log, before=later - RETENTION, now=later, retention=RETENTION, actor="dave")
    assert done.entries == 10  # entries 10..18 and the first purge entry (19)
    assert log.verify().intact
    assert purge(log, before=later - RETENTION, now=later, retention=RETENTION, actor="dave").entries == 0


def test_retention_is_at_least_six_months(monkeypatch: pytest.MonkeyPatch) -> None:
    assert TriageSettings().audit_retention_days == 183
    monkeypatch.setenv("TRIAGE_AUDIT_RETENTION_DAYS", "90")
    with pytest.raises(ValidationError):
        TriageSettings()


def test_triage_audit_purge(log: AuditLog, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_DATABASE_URL", database_url)
    monkeypatch.setenv("TRIAGE_AUDIT_RETENTION_DAYS", "365")
    now = datetime.now(UTC)
    ages = [800, 700, 10]  # days ago: two past a year's retention, one inside it
    log.append(
        [
            AuditEntry(
                entry_key=f"k{i}",
                recorded_at=now - timedelta(days=d),
                claim_id=f"C-{i}",
                kind="human_take",
                actor="alice",
                inputs_digest="0" * 64,
                outputs={},
                reasons=[],
            )
            for i, d in enumerate(ages)
        ]
    )
    runner = CliRunner()
    refused = runner.invoke(app, ["audit", "purge", "--before", (now - timedelta(days=30)).strftime("%Y-%m-%d")])
    assert refused.exit_code == 1 and "inside the retention period" in refused.output
    done = runner.invoke(app, ["audit", "purge", "--by", "carol"])
    assert done.exit_code == 0, done.output
    assert "purged 2 audit entries" in done.output
    assert [e["claim_id"] for e in log.entries()] == ["C-2", ""]
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
