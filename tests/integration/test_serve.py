"""`triage serve` killed mid-stream loses nothing it answered 202 for and decides nothing twice."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from benchmarks.serve import ServeProcess, bundles, decided_at, doubled, send_all
from services.core.audit import AuditLog

pytestmark = pytest.mark.slow


def test_a_killed_server_takes_up_every_accepted_claim_once(trained_models: Path, tmp_path: Path) -> None:
    server = ServeProcess(tmp_path, trained_models, tmp_path / "serve.log")
    server.start()
    sent = bundles(240, seed=5, documents_share=0.1)

    async def send_and_kill() -> dict[str, datetime]:
        sending = asyncio.create_task(send_all(server, sent, concurrency=16))
        while not (tmp_path / "triage.db").exists():
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.5)  # mid-stream: claims are being accepted and handled at every stage
        await asyncio.to_thread(server.kill)
        await asyncio.to_thread(server.start)
        return await sending

    try:
        accepted = asyncio.run(send_and_kill())
        decided = decided_at(tmp_path / "triage.db", list(accepted), deadline_s=300)
    finally:
        server.stop()
    assert len(accepted) == len(sent)
    assert set(decided) == set(accepted), f"lost: {sorted(set(accepted) - set(decided))[:5]}"
    assert doubled(tmp_path / "triage.db") == 0
    log = AuditLog.open(f"sqlite:///{tmp_path / 'triage.db'}")
    assert log.verify().intact
    with create_engine(f"sqlite:///{tmp_path / 'triage.db'}").connect() as conn:
        routing = conn.execute(text("SELECT count(*) FROM audit_entries WHERE kind = 'routing_decision'")).scalar()
    assert routing == len(sent)
