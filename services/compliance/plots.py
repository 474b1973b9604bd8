"""The report's plots as PNG bytes (matplotlib's object API: no pyplot state, safe in a server thread)."""

from __future__ import annotations

import io
from datetime import datetime

import numpy as np
import pandas as pd
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from models.drift import MAJOR, MODERATE
from services.compliance.drift import CALENDAR
from services.compliance.fairness import ATTRIBUTES, OUTCOMES

FLAGGED, NORMAL = "#c0392b", "#2e86c1"


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    return buffer.getvalue()


def desks(decisions: pd.DataFrame) -> bytes:
    figure = Figure(figsize=(7, 0.4 * len(decisions) + 1.2))
    ax = figure.subplots()
    labels = [
        f"{d} ({r.replace('_', ' ')})" if d != r else d
        for r, d in zip(decisions["route"], decisions["desk"], strict=True)
    ]
    ax.barh(labels[::-1], decisions["claims"][::-1], color=NORMAL)
    ax.set_xlabel("claims decided")
    ax.set_title("Decisions per route and desk")
    return png(figure)


def straight_through(by_day: pd.DataFrame, start: datetime, end: datetime) -> bytes:
    figure = Figure(figsize=(7, 2.8))
    ax = figure.subplots()
    ax.plot(by_day["day"], by_day["straight_through_rate"], marker="o", color=NORMAL)
    # the whole period, one day or many; matplotlib's stubs take floats, its date converter takes Timestamps
    ax.set_xlim(pd.Timestamp(start).floor("D"), pd.Timestamp(end).ceil("D"))  # type: ignore[arg-type]
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_ylim(0, 1)
    ax.set_ylabel("straight-through rate")
    ax.set_title("Straight-through rate per day (UTC)")
    return png(figure)


def overrides(by_desk: pd.DataFrame, by_fraud: pd.DataFrame, by_severity: pd.DataFrame) -> bytes:
    figure = Figure(figsize=(11, 3))
    panels = (
        (by_desk, "desk", "per desk"),
        (by_fraud, "fraud_model", "per fraud model"),
        (by_severity, "severity_model", "per severity model"),
    )
    for ax, (table, column, title) in zip(figure.subplots(1, 3), panels, strict=True):
        ax.bar(table[column].astype(str), table["override_rate"], color=NORMAL)
        ax.set_ylim(0, 1)
        ax.set_title(f"Override rate {title}", fontsize=10)
        ax.tick_params(axis="x", labelrotation=30)
    return png(figure)


def scores(frame: pd.DataFrame) -> bytes:
    figure = Figure(figsize=(9, 3))
    left, right = figure.subplots(1, 2)
    for label, part in frame[frame["fraud_probability"].notna()].groupby("fraud_model"):
        left.hist(part["fraud_probability"], bins=np.linspace(0, 1, 21), alpha=0.6, label=str(label))
    left.set_title("Fraud probability")
    costs = frame[frame["expected_cost"].notna() & (frame["expected_cost"] > 0)]
    low = max(float(costs["expected_cost"].min()), 1.0) if len(costs) else 1.0
    high = max(float(costs["expected_cost"].max()), 2 * low) if len(costs) else 2.0  # one value: still a range
    bins = np.geomspace(low, high, 21)
    for label, part in costs.groupby("severity_model"):
        right.hist(part["expected_cost"], bins=bins, alpha=0.6, label=str(label))
    right.set_xscale("log")
    right.set_title("Expected cost (log scale)")
    for ax in (left, right):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
        ax.set_ylabel("claims")
    return png(figure)


def drift(table: pd.DataFrame) -> bytes:
    return png(drift_figure(table))


def drift_figure(table: pd.DataFrame) -> Figure:
    """One panel per model version, side by side; versions of one input set share the input names on the left, and
    the layout keeps each panel's names clear of its neighbour's bars."""
    measured = table[table["input"].notna()]
    versions = list(measured.groupby(["model", "version"], sort=False))
    inputs = [list(part["input"]) for _, part in versions]
    shared = len({tuple(sorted(names)) for names in inputs}) <= 1
    rows = max((len(names) for names in inputs), default=4)
    figure = Figure(figsize=(max(9.0, 4.2 * len(versions) + 2.0), 0.22 * rows + 1.4), layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, max(len(versions), 1), sharey=shared and len(versions) > 1))
    right = max(float(measured["psi"].max()) * 1.1 if len(measured) else 0.0, MAJOR * 1.4)
    order = inputs[0][::-1] if inputs else []
    for ax, ((name, version), part) in zip(axes, versions, strict=False):
        part = part.set_index("input").reindex(order).reset_index() if shared else part.iloc[::-1]
        colors = [
            "#aaaaaa" if f in CALENDAR else FLAGGED if v > MAJOR else "#e67e22" if v > MODERATE else NORMAL
            for f, v in zip(part["input"], part["psi"], strict=True)
        ]
        ax.barh(part["input"], part["psi"], color=colors)
        for threshold in (MODERATE, MAJOR):
            ax.axvline(threshold, color="grey", linestyle="--", linewidth=0.8)
        ax.set_xlim(0, right)
        ax.set_title(f"PSI, {name} v{version}", fontsize=10)
        ax.set_xlabel("population stability index")
        ax.tick_params(axis="y", labelsize=8)
    figure.suptitle("Drift per input (grey: calendar inputs; dashed lines at 0.1 and 0.25)", fontsize=10)
    return figure


def fairness(rates: pd.DataFrame) -> bytes:
    figure = Figure(figsize=(11, 5))
    grid = figure.subplots(len(ATTRIBUTES), len(OUTCOMES), squeeze=False)
    for i, attribute in enumerate(ATTRIBUTES):
        for j, outcome in enumerate(OUTCOMES):
            ax = grid[i][j]
            part = rates[(rates["attribute"] == attribute) & (rates["outcome"] == outcome.name)]
            colors = [FLAGGED if f else NORMAL for f in part["flagged"]]
            ax.bar(part["group"].astype(str), part["rate"], color=colors)
            ax.set_ylim(0, 1)
            ax.set_title(f"{outcome.name.replace('_', ' ')} by {attribute.replace('_', ' ')}", fontsize=9)
            ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    figure.suptitle("Outcome rates per group (red: flagged under the four-fifths rule)")
    figure.tight_layout()
    return png(figure)
