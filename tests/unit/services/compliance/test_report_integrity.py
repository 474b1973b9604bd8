"""A compliance report built from an audit log that does not verify says so, on top, in HTML, in PDF and on the CLI."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from services.compliance.pdf import render_pdf
from services.compliance.report import render_html
from services.compliance.reports import ComplianceReports
from tests.unit.services.compliance.conftest import DAYS, START, Run


def first_page_text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        return " ".join(document[0].get_textpage().get_text_range().split())
    finally:
        document.close()


def tamper(run: Run) -> None:
    with run.store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 9"))


def reports_of(run: Run) -> ComplianceReports:
    return ComplianceReports(audit=run.audit, cases=run.store, models=run.facts, clock=lambda: START, min_group=20)


def test_an_intact_log_is_reported_as_verified(run: Run) -> None:
    report = reports_of(run).report(START, START + timedelta(days=DAYS))
    assert report.integrity is not None and report.integrity.intact and report.integrity.warning == ""
    html = render_html(report)
    assert 'id="chain-ok"' in html and "chain-warning" not in html
    assert "Audit log verified" in first_page_text(render_pdf(report))


def test_a_tampered_log_puts_a_warning_on_top_of_the_html_and_the_pdf(run: Run) -> None:
    tamper(run)
    report = reports_of(run).report(START, START + timedelta(days=DAYS))
    assert report.integrity is not None and not report.integrity.intact
    html = render_html(report)
    warning = html.index('id="chain-warning"')
    assert 'role="alert"' in html[warning - 60 : warning + 60]
    assert warning < html.index('id="headline"') and "entry 9: content does not match its hash" in html
    page = first_page_text(render_pdf(report))
    assert "WARNING: the audit log does not verify" in page and "entry 9" in page
    assert page.index("WARNING") < page.index("Headline")


def test_the_cli_report_warns_when_the_log_does_not_verify(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.app.cli import app

    tamper(run)
    monkeypatch.setenv("TRIAGE_DATABASE_URL", str(run.store.engine.url))
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["compliance", "report", "--from", "2026-11-02", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "WARNING" in result.output and "does NOT verify" in " ".join(result.output.split())
    assert 'id="chain-warning"' in out.read_text()
