"""Champion against challenger on live traffic: `triage models compare`.

Every routed claim that both arms scored (the deciding arm's score on the case, the other's as its
`shadow`) is compared: how often the two agree, how their scores are distributed, the route each
would have taken (the routing policy run again with that arm's fraud score and severity estimate in
place of the deciding ones), and, for claims adjusters have decided, each model's figures on the
same labelled claims. The router's own decision is never changed: this only reads stored cases.

Labels follow the policy in training/labels.py: fraud is 1 for a referral or a denial (except a denial on
cover grounds at the coverage desk), 0 for an approval; severity is the approved amount of a motor claim.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from jinja2 import Template
from matplotlib.figure import Figure
from sklearn.metrics import brier_score_loss, mean_absolute_error, roc_auc_score

from services.core.events import ClaimCase, FraudScore, RoutingDecision, SeverityEstimate
from training.labels import DecidedClaim, fraud_label

ARMS = ("champion", "challenger")
Route = Callable[[ClaimCase], RoutingDecision]


@dataclass(frozen=True)
class Comparison:
    """What `compare` found; `claims` has one row per claim both arms scored."""

    claims: pd.DataFrame
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, Any]:
        c = self.claims
        if c.empty:
            return {"claims": 0}
        both = c.dropna(subset=["champion_fraud", "challenger_fraud"])
        return {
            "claims": len(c),
            "decided_by_challenger": int((c["arm"] == "challenger").sum()),
            "route_agreement": float((c["champion_route"] == c["challenger_route"]).mean()),
            "desk_agreement": float((c["champion_desk"].fillna("-") == c["challenger_desk"].fillna("-")).mean()),
            "fraud_mean_abs_diff": float((both["champion_fraud"] - both["challenger_fraud"]).abs().mean()),
            "fraud_rank_correlation": _spearman(both["champion_fraud"], both["challenger_fraud"]),
            "labelled": int(c["fraud_label"].notna().sum()),
        }

    def arm_metrics(self) -> dict[str, dict[str, float | int | None]]:
        """Each model's figures on the same labelled claims (both arms scored every one of them)."""
        out: dict[str, dict[str, float | int | None]] = {}
        fraud = self.claims.dropna(subset=["fraud_label", "champion_fraud", "challenger_fraud"])
        cost = self.claims.dropna(subset=["approved_amount", "champion_cost", "challenger_cost"])
        for arm in ARMS:
            labels = fraud["fraud_label"].astype(int)
            two_classes = labels.nunique() == 2
            out[arm] = {
                "fraud_labelled": len(fraud),
                "fraud_roc_auc": float(roc_auc_score(labels, fraud[f"{arm}_fraud"])) if two_classes else None,
                "fraud_brier": float(brier_score_loss(labels, fraud[f"{arm}_fraud"])) if len(fraud) else None,
                "severity_labelled": len(cost),
                "severity_mae": float(mean_absolute_error(cost["approved_amount"], cost[f"{arm}_cost"]))
                if len(cost)
                else None,
            }
        return out

    def routes(self) -> pd.DataFrame:
        """Claims by the route (and desk) the champion would have taken against the challenger's."""
        c = self.claims
        champion = c["champion_route"] + ":" + c["champion_desk"].fillna("-")
        challenger = c["challenger_route"] + ":" + c["challenger_desk"].fillna("-")
        return pd.crosstab(champion.rename("champion"), challenger.rename("challenger"))


def compare(cases: Sequence[ClaimCase], route: Route, decided: Sequence[DecidedClaim] = ()) -> Comparison:
    """Champion against challenger on every routed case both arms scored for fraud."""
    labels = {d.claim_id: d for d in decided}
    rows, versions = [], {}
    for case in cases:
        if case.fraud is None or case.fraud.shadow is None or case.decision is None:
            continue
        fraud = _by_arm(case.fraud)
        severity = _by_arm(case.severity) if case.severity is not None else {}
        versions.update({arm: score.model.version for arm, score in fraud.items()})
        row: dict[str, Any] = {"claim_id": case.claim_id, "arm": case.fraud.model.arm}
        for arm in ARMS:
            decision = route(
                case.model_copy(update={"fraud": fraud[arm], "severity": severity.get(arm, case.severity)})
            )
            estimate = severity.get(arm)
            row |= {
                f"{arm}_fraud": fraud[arm].probability,
                f"{arm}_cost": estimate.expected_cost if estimate is not None else None,
                f"{arm}_route": decision.route.value,
                f"{arm}_desk": decision.desk,
            }
        label = labels.get(case.claim_id)
        row["fraud_label"] = fraud_label(label) if label else None
        row["approved_amount"] = label.amount if label and label.outcome == "approve" and label.amount else None
        rows.append(row)
    return Comparison(pd.DataFrame(rows, columns=_COLUMNS), versions)


_COLUMNS = [
    "claim_id",
    "arm",
    *(f"{a}_{k}" for a in ARMS for k in ("fraud", "cost", "route", "desk")),
    "fraud_label",
    "approved_amount",
]


def _by_arm(section: FraudScore | SeverityEstimate) -> dict[str, Any]:
    """The deciding section and its shadow, by arm, each without the other nested in it."""
    arms: dict[str, Any] = {}
    for part in (section, section.shadow):
        if part is not None and part.model is not None:
            arms[part.model.arm] = part.model_copy(update={"shadow": None})
    return arms


def _spearman(a: pd.Series, b: pd.Series) -> float | None:
    if len(a) < 2 or a.nunique() < 2 or b.nunique() < 2:
        return None
    return float(a.rank().corr(b.rank()))


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode()


def plots(comparison: Comparison) -> dict[str, str]:
    """Base64 PNGs: score distributions, champion against challenger per claim, routes each would take."""
    c = comparison.claims
    figure = Figure(figsize=(10, 3.2))
    hist, scatter = figure.subplots(1, 2)
    bins = np.linspace(0, 1, 41)
    for arm, colour in zip(ARMS, ("#2e86c1", "#e67e22"), strict=True):
        hist.hist(
            c[f"{arm}_fraud"].dropna(),
            bins=bins,
            alpha=0.6,
            label=f"{arm} v{comparison.versions.get(arm)}",
            color=colour,
        )
    hist.set(xlabel="fraud probability", ylabel="claims", title="Fraud score distributions")
    hist.legend()
    scatter.scatter(c["champion_fraud"], c["challenger_fraud"], s=6, alpha=0.5, color="#2e86c1")
    scatter.plot([0, 1], [0, 1], color="grey", linewidth=0.8)
    scatter.set(xlabel="champion", ylabel="challenger", title="Fraud probability per claim")
    out = {"fraud": _png(figure)}
    routes = pd.DataFrame(
        {arm: (c[f"{arm}_route"] + ":" + c[f"{arm}_desk"].fillna("-")).value_counts() for arm in ARMS}
    ).fillna(0)
    figure = Figure(figsize=(10, 0.35 * len(routes) + 1.5))
    ax = figure.subplots()
    routes.plot.barh(ax=ax, color=["#2e86c1", "#e67e22"])
    ax.set(xlabel="claims", title="Route and desk each arm would have taken")
    out["routes"] = _png(figure)
    return out


PAGE: Template = Template("""<!doctype html><html><head><meta charset="utf-8"><title>Champion vs challenger</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}</style></head><body>
<h1>{{ model }}: champion v{{ versions.champion }} against challenger v{{ versions.challenger }}</h1>
<p>{{ summary.claims }} routed claims scored by both arms; {{ summary.decided_by_challenger }} decided by the
challenger. Shadow scores never changed a route: the routes below are the policy run again with each arm's scores.</p>
<table>{% for key, value in summary.items() %}<tr><th>{{ key }}</th><td>{{ fmt(value) }}</td></tr>{% endfor %}</table>
<h2>Scores</h2><img src="data:image/png;base64,{{ images.fraud }}" alt="fraud score distributions">
<h2>Routes each would have taken</h2><img src="data:image/png;base64,{{ images.routes }}" alt="routes">
{{ routes }}
<h2>Each arm on adjusters' decisions</h2>
{% if metrics.champion.fraud_labelled or metrics.champion.severity_labelled %}<table><tr><th>arm</th>
{% for key in metrics.champion %}<th>{{ key }}</th>{% endfor %}</tr>{% for arm, values in metrics.items() %}
<tr><th>{{ arm }}</th>{% for value in values.values() %}<td>{{ fmt(value) }}</td>{% endfor %}</tr>{% endfor %}
</table>{% else %}<p>No adjuster has decided any of these claims yet.</p>{% endif %}
</body></html>""")


def html(comparison: Comparison, model: str = "fraud") -> str:
    """The comparison as one self-contained HTML page (plots embedded)."""
    return PAGE.render(
        model=model,
        versions=comparison.versions,
        summary=comparison.summary,
        images=plots(comparison),
        routes=comparison.routes().to_html(),
        metrics=comparison.arm_metrics(),
        fmt=_fmt,
    )


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    return f"{value:.4f}" if isinstance(value, float) else str(value)
