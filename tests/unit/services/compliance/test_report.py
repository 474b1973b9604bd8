"""Every figure of the compliance report on a small generated run, with the values it must find."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pandas as pd

from services.compliance.drift import drift_table
from services.compliance.fairness import group_rates
from services.compliance.figures import claim_frame, decisions_by_desk, override_rates, straight_through_by_day
from services.compliance.pdf import render_pdf
from services.compliance.report import build_report, render_html
from services.compliance.reports import ComplianceReports
from tests.unit.services.compliance.conftest import DAYS, START, Run


def frame_of(run: Run) -> pd.DataFrame:
    cases = {c.claim_id: c for c in run.cases}
    return claim_frame(run.audit.entries(), cases)


def test_decisions_and_straight_through_rate(run: Run) -> None:
    frame = frame_of(run)
    assert len(frame) == 400
    expected_stp = sum(c.decision.route.value == "straight_through" for c in run.cases) / 400  # type: ignore[union-attr]
    decisions = decisions_by_desk(frame)
    assert decisions["claims"].sum() == 400
    assert set(decisions["desk"]) == {"straight_through", "general", "special_investigations"}
    stp = decisions.loc[decisions["desk"] == "straight_through", "share"].item()
    assert abs(stp - expected_stp) < 1e-9
    by_day = straight_through_by_day(frame)
    assert len(by_day) == DAYS and by_day["claims"].sum() == 400
    assert abs((by_day["claims"] * by_day["straight_through_rate"]).sum() / 400 - expected_stp) < 1e-9


def test_override_rates_per_desk_and_model_version(run: Run) -> None:
    frame = frame_of(run)
    by_desk = override_rates(frame, "desk").set_index("desk")
    assert by_desk.loc["special_investigations", "override_rate"] == 0  # adjusters followed every referral
    general = frame[frame["desk"] == "general"]
    assert by_desk.loc["general", "decisions"] == len(general)
    assert abs(by_desk.loc["general", "override_rate"] - general["overridden"].mean()) < 1e-9
    assert 0.1 < by_desk.loc["general", "override_rate"] < 0.45  # one in four, by claim index
    by_model = override_rates(frame, "fraud_model").set_index("fraud_model")
    assert set(by_model.index) == {"fraud v3", "fraud v4"}
    assert by_model["decisions"].sum() == frame["human_decision"].notna().sum()
    by_severity = override_rates(frame, "severity_model").set_index("severity_model")
    assert list(by_severity.index) == ["severity v2"]
    assert by_severity.loc["severity v2", "overrides"] == frame["overridden"].sum()


def test_psi_is_near_zero_against_its_own_population_and_large_for_the_shifted_reference(run: Run) -> None:
    frame = frame_of(run)
    table = drift_table(frame, {c.claim_id: c for c in run.cases}, run.facts)
    v3 = table[(table["model"] == "fraud") & (table["version"] == "3")].set_index("input")
    v4 = table[(table["model"] == "fraud") & (table["version"] == "4")].set_index("input")
    assert v3["psi"].max() < 1e-9 and v3["reading"].str.startswith("stable").all()
    assert v3.loc["loss_month", "reading"] == "stable (calendar: read against the season)"
    assert v4.loc["claimant_age", "psi"] > 1 and v4.loc["claimant_age", "reading"] == "major shift"
    assert v4.loc["deductible", "psi"] < 0.25  # the same population otherwise, another sample of it
    severity = table[table["model"] == "severity"]
    assert list(severity["reading"]) == ["no training reference logged"]


def test_the_constructed_disparity_by_sex_is_flagged_and_age_is_not(run: Run) -> None:
    rates = group_rates(frame_of(run), min_claims=20)
    referred = rates[(rates["attribute"] == "sex") & (rates["outcome"] == "referred")].set_index("group")
    assert referred.loc["female", "rate"] > 0.6 and referred.loc["male", "rate"] < 0.3
    assert referred.loc["female", "reference"] == "male" and referred.loc["female", "ratio"] < 0.5
    assert referred.loc["female", "flagged"] and not referred.loc["male", "flagged"]
    stp = rates[(rates["attribute"] == "sex") & (rates["outcome"] == "straight_through")].set_index("group")
    assert stp.loc["female", "flagged"] and stp.loc["female", "ratio"] < 0.8
    by_age = rates[(rates["attribute"] == "age_band") & (rates["outcome"] == "referred")]
    assert not by_age["flagged"].any()  # referrals did not depend on age


def test_html_and_pdf_carry_every_section_with_its_plot(run: Run) -> None:
    reports = ComplianceReports(audit=run.audit, cases=run.store, models=run.facts, clock=lambda: START, min_group=20)
    report = reports.report(START, START + timedelta(days=DAYS))
    assert report.claims == 400
    assert [s.key for s in report.sections] == [
        "decisions",
        "straight_through",
        "overrides",
        "scores",
        "drift",
        "fairness",
    ]
    assert all(s.figure and s.figure.startswith(b"\x89PNG") for s in report.sections)
    assert int(report.headline["group disparities flagged"]) >= 2
    html = render_html(report)
    assert html.count("data:image/png;base64,") == 6 and 'class="flagged"' in html
    assert "claimant_age" in html and "female" in html
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def test_a_period_without_decisions_gives_an_empty_report(run: Run) -> None:
    later = START + timedelta(days=30)
    report = build_report(
        run.audit.entries(later, later + timedelta(days=1)), {}, run.facts, later, later + timedelta(days=1), later
    )
    assert report.claims == 0 and report.sections == []
    assert "No routing decisions" in render_html(report) and render_pdf(report).startswith(b"%PDF")


def test_triage_compliance_report_writes_html_and_pdf(run: Run, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from services.app.cli import app

    monkeypatch.setenv("TRIAGE_DATABASE_URL", str(run.store.engine.url))
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))  # an empty registry: no training references
    runner = CliRunner()
    html = runner.invoke(
        app, ["compliance", "report", "--from", "2026-11-02", "--to", "2026-11-03", "--out", str(tmp_path / "r.html")]
    )
    assert html.exit_code == 0, html.output
    assert "200 claims routed from 2026-11-02 00:00 to 2026-11-04 00:00" in " ".join(html.output.split())
    page = (tmp_path / "r.html").read_text()
    assert "no training reference logged" in page and page.count("data:image/png") == 6
    pdf = runner.invoke(app, ["compliance", "report", "--from", "2026-11-02", "--out", str(tmp_path / "r.pdf")])
    assert pdf.exit_code == 0 and "400 claims routed" in " ".join(pdf.output.split()), pdf.output
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    wrong = runner.invoke(app, ["compliance", "report", "--from", "2026-11-02", "--out", str(tmp_path / "r.txt")])
    assert wrong.exit_code != 0


def test_holm_adjusts_for_many_comparisons() -> None:
    import numpy as np

    from services.compliance.fairness import holm

    adjusted = holm(np.array([0.01, 0.04, 0.03, 0.5]))
    assert np.allclose(adjusted, [0.04, 0.09, 0.09, 0.5])  # 0.01*4, max(0.03*3, .04), 0.04*2 -> 0.09, 0.5*1


def test_a_period_where_no_model_estimated_a_cost_still_reports(run: Run) -> None:
    def unestimated(entry: dict[str, Any]) -> dict[str, Any]:
        if entry["kind"] != "severity_estimate":
            return entry
        return {**entry, "outputs_json": json.dumps({**json.loads(entry["outputs_json"]), "expected_cost": None})}

    entries = [unestimated(e) for e in run.audit.entries()]
    cases = {c.claim_id: c for c in run.cases}
    report = build_report(entries, cases, run.facts, START, START + timedelta(days=DAYS), START)
    costs = next(t for t in report.section("scores").tables if t.caption == "Expected cost")
    assert report.claims == 400 and costs.rows == []
    assert "Expected cost" in render_html(report) and render_pdf(report).startswith(b"%PDF")
