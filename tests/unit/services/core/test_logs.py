"""Logs are JSON lines with the claim id, and personal data never reaches them."""

from __future__ import annotations

import io
import json
import logging

from services.core.logs import configure_logging, redact


def test_personal_data_is_masked() -> None:
    text = redact(
        'claimant "name": "Maria Garcia", maria.garcia@example.com, +1-555-1234 567, POL-6477429, VIN 1HGCM82633A004352'
    )
    for secret in ("Maria Garcia", "maria.garcia@example.com", "555-1234", "POL-6477429", "1HGCM82633A004352"):
        assert secret not in text
    assert "CLM-20261122-000003" in redact("claim CLM-20261122-000003 decided")


def test_a_log_line_is_json_with_the_claim_id_and_no_personal_data() -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logging("fraud")
    stream = io.StringIO()
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    try:
        raise ValueError("bad value for email jo@example.org")
    except ValueError:
        logging.getLogger("t").exception("failed for %s", "jo@example.org", extra={"claim_id": "C-1"})
    line = json.loads(stream.getvalue().splitlines()[0])
    assert line["claim_id"] == "C-1" and line["service"] == "fraud" and line["level"] == "ERROR"
    assert "jo@example.org" not in stream.getvalue()
    root.handlers[:], root.level = saved[0], saved[1]
