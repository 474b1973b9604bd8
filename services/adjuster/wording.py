"""Words for the pages: outcomes, desks, SLA states, amounts and times as an adjuster reads them, never raw tokens.

Registered as Jinja filters on the pages' templates; a value that is missing reads "not given", never "None".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

MISSING = "not given"
OUTCOMES = {
    "approve": "Approve",
    "deny": "Deny",
    "refer": "Refer to special investigations",
    "request_documents": "Request documents",
}
SLA = {"on_time": "On time", "due_soon": "Due soon", "breached": "Overdue"}
LINES = {"motor": "Motor", "property": "Property"}
KINDS = {
    "human_take": "Taken",
    "human_decision": "Decided",
    "human_reassign": "Reassigned",
    "human_note": "Note",
    "fraud_score": "Fraud scored",
    "severity_estimate": "Cost estimated",
    "routing_decision": "Routed",
}


def words(token: object, table: dict[str, str] | None = None) -> str:
    """A token (desk, outcome, route, kind) in words: from `table`, else its underscores as spaces, capitalised."""
    if token is None or token == "":
        return MISSING
    text = str(token)
    return (table or {}).get(text) or text.replace("_", " ").capitalize()


def money(value: float | Decimal | None, currency: str | None = None) -> str:
    """An amount with its currency, or "not given"."""
    if value is None:
        return MISSING
    figure = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"  # cents only where there are some
    return f"{currency} {figure}" if currency else figure


def round_money(value: float | Decimal | None, currency: str | None = None) -> str:
    """An amount in whole units, as a list compares them."""
    return money(None if value is None else round(value), currency)


def percent(value: float | None) -> str:
    return MISSING if value is None else f"{100 * value:.0f} %"


def span(gap: timedelta) -> str:
    """A length of time in days and hours, or hours and minutes: "2 d 3 h", "3 h 20 min"."""
    minutes = int(abs(gap).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"] * (not days)
    return " ".join(parts) if any((days, hours, minutes)) else "0 min"


def time_left(due: datetime, now: datetime) -> str:
    """How long until `due`, or how long past it (beside the SLA's words: "Overdue by 2 h", "On time 3 h left")."""
    return f"by {span(due - now)}" if due < now else f"{span(due - now)} left"


def age(since: datetime, now: datetime) -> str:
    """How long ago: "3 h 20 min ago"."""
    return f"{span(now - since)} ago"


def when(value: datetime | None) -> str:
    return MISSING if value is None else f"{value:%d %b %Y %H:%M} UTC"


def short_when(value: datetime | None) -> str:
    """A time in the current year, as a list shows it (UTC)."""
    return MISSING if value is None else f"{value:%d %b %H:%M}"


def day(value: Any) -> str:
    return MISSING if value is None else f"{value:%d %b %Y}"


FILTERS: dict[str, Callable[..., str]] = {
    "words": words,
    "outcome": lambda v: words(v, OUTCOMES),
    "sla_words": lambda v: words(v, SLA),
    "line_words": lambda v: words(v, LINES),
    "kind_words": lambda v: words(v, KINDS),
    "money": money,
    "round_money": round_money,
    "percent": percent,
    "time_left": time_left,
    "age": age,
    "when": when,
    "short_when": short_when,
    "day": day,
    "given": lambda v: MISSING if v is None or v == "" else str(v),
}
