"""The compliance report for a period: its sections (text, tables, a plot each), as HTML or PDF.

Built from the audit log (every routing decision, model score and human decision in the period), the
claims' FNOLs (claimant groups, model inputs) and the registry (each model version's training
reference). `render_html` embeds the plots as base64 PNGs, so the page is one self-contained file.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.compliance import plots
from services.compliance.drift import ModelFacts, drift_table, shifted
from services.compliance.fairness import FOUR_FIFTHS, OUTCOMES, group_rates
from services.compliance.figures import (
    STRAIGHT_THROUGH,
    claim_frame,
    decisions_by_desk,
    override_rates,
    score_summary,
    straight_through_by_day,
)
from services.core.events import ClaimCase

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")), autoescape=select_autoescape(["html"])
)
RATES = {"share", "rate", "straight_through_rate", "override_rate"}


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    flagged: list[bool] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    text: str
    tables: list[Table]
    figure: bytes | None

    @property
    def figure_base64(self) -> str:
        return base64.b64encode(self.figure).decode() if self.figure else ""


@dataclass(frozen=True)
class Integrity:
    """Whether the audit log the report is built from verifies: its entries checked and every break found."""

    entries: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def warning(self) -> str:
        """What a reader must know before trusting the report's figures ("" when the chain verifies)."""
        if self.intact:
            return ""
        return (
            f"The audit log does NOT verify: {len(self.problems)} problem(s) in its hash chain of {self.entries:,} "
            "entries. Entries were altered, deleted or reordered: the figures below are built from the log as it "
            "stands and cannot be relied on until `triage audit verify` passes."
        )


@dataclass(frozen=True)
class Report:
    start: datetime
    end: datetime
    generated_at: datetime
    claims: int
    headline: dict[str, str]
    sections: list[Section]
    integrity: Integrity | None = None  # None: not checked

    @property
    def last_day(self) -> date:
        """The last day the period touches (its end is exclusive)."""
        return (self.end - timedelta(microseconds=1)).date()

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def build_report(
    entries: Iterable[Mapping[str, Any]],
    cases: Mapping[str, ClaimCase],
    models: ModelFacts,
    start: datetime,
    end: datetime,
    now: datetime,
    min_group: int = 30,
) -> Report:
    """The report on the claims routed in [start, end)."""
    frame = claim_frame(entries, cases)
    if frame.empty:
        return Report(start, end, now, 0, {"claims routed": "0"}, [])
    decisions, by_day = decisions_by_desk(frame), straight_through_by_day(frame)
    by_desk, by_model = override_rates(frame, "desk"), override_rates(frame, "fraud_model")
    by_severity = override_rates(frame, "severity_model")
    drift, rates = drift_table(frame, cases, models), group_rates(frame, min_group)
    decided = frame["human_decision"].notna()
    headline = {
        "claims routed": f"{len(frame):,}",
        "straight-through rate": _percent((frame["route"] == STRAIGHT_THROUGH).mean()),
        "decided by an adjuster": f"{int(decided.sum()):,}",
        "override rate": _percent(frame.loc[decided, "overridden"].mean()) if decided.any() else "n/a",
        "inputs and scores with a major shift (PSI > 0.25; calendar inputs aside)": str(int(shifted(drift).sum())),
        "group disparities flagged": str(int(rates["flagged"].sum())) if not rates.empty else "0",
    }
    sections = [
        Section(
            "decisions",
            "Decisions per route and desk",
            "Every routing decision in the period, by desk.",
            [_table("Claims per route and desk", decisions)],
            plots.desks(decisions),
        ),
        Section(
            "straight_through",
            "Straight-through rate",
            "Share of claims settled without an adjuster, per day.",
            [_table("Per day", by_day)],
            plots.straight_through(by_day, start, end),
        ),
        Section(
            "overrides",
            "Adjuster overrides",
            "Share of adjusters' decisions that departed from the recommendation of the models and the policy.",
            [
                _table("Per desk", by_desk),
                _table("Per fraud model version", by_model),
                _table("Per severity model version", by_severity),
            ],
            plots.overrides(by_desk, by_model, by_severity),
        ),
        Section(
            "scores",
            "Score distributions",
            "What each model version output in the period, per A/B arm.",
            [
                _table("Fraud probability", score_summary(frame, "fraud_model", "fraud_probability")),
                _table("Expected cost", score_summary(frame, "severity_model", "expected_cost")),
            ],
            plots.scores(frame),
        ),
        Section(
            "drift",
            "Drift against training (population stability index)",
            _DRIFT_TEXT,
            [_table("PSI per model version and input", drift, flag=shifted(drift))],
            plots.drift(drift),
        ),
        Section(
            "fairness",
            "Outcome rates across groups",
            _fairness_text(min_group),
            [_table("Rates per group", rates, flag=rates["flagged"].astype(bool))] if not rates.empty else [],
            plots.fairness(rates) if not rates.empty else None,
        ),
    ]
    return Report(start, end, now, len(frame), headline, sections)


def render_html(report: Report, nav: str = "") -> str:
    """The report as one self-contained HTML page (`nav`: trusted links to put on top, e.g. the auditor pages)."""
    return TEMPLATES.get_template("report.html").render(report=report, nav=nav)


def _table(caption: str, frame: pd.DataFrame, flag: pd.Series | None = None) -> Table:
    columns = [str(c) for c in frame.columns]
    rows = [
        [_cell(name, value) for name, value in zip(columns, values, strict=True)]
        for values in frame.itertuples(index=False)
    ]
    return Table(
        caption,
        [c.replace("_", " ") for c in columns],
        rows,
        [bool(f) for f in flag] if flag is not None else [False] * len(rows),
    )


def _cell(column: str, value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, pd.Timestamp | datetime):
        return value.strftime("%Y-%m-%d")
    if column in RATES:
        return _percent(float(value))
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}"
    return str(value)


def _percent(value: float) -> str:
    return f"{100 * value:.1f} %"


_DRIFT_TEXT = (
    "Each model version's inputs (recomputed from the FNOLs with its own feature pipeline) and its score "
    "in the period, against the histograms of its training population logged with it. Below 0.1 stable, "
    "0.1 to 0.25 a moderate shift, above 0.25 a major shift."
)


def _fairness_text(min_group: int) -> str:
    outcomes = "; ".join(f"{o.name.replace('_', ' ')}: {o.description}" for o in OUTCOMES)
    return (
        f"Outcome rates per claimant age band and sex (from the FNOL; neither is a routing input). {outcomes}. "
        f"A group is flagged when its rate relative to the most favoured group is below {FOUR_FIFTHS:g} "
        f"(four-fifths rule) and Fisher's exact test against it gives p < 0.05 after Holm's correction over "
        f"every comparison in this table; groups under {min_group} claims and 'unknown' are not judged."
    )
