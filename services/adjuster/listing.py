"""Which queue cases a list shows and in what order: the filters and sort keys an adjuster chooses on the queue page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select

from services.core.tables import queue_items

DUE_SOON = timedelta(hours=4)


class SlaState(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"  # within the next 4 hours
    BREACHED = "breached"


class SortKey(StrEnum):
    """The columns an adjuster sorts the queue by; `urgency` is the working order (priority, then due time)."""

    URGENCY = "urgency"
    CLAIMANT = "claimant"
    LINE = "line"
    FRAUD = "fraud"
    COST = "cost"
    CLAIMED = "claimed"
    RECEIVED = "received"
    DUE = "due"


SORT_COLUMNS = {
    SortKey.CLAIMANT: queue_items.c.claimant,
    SortKey.LINE: queue_items.c.line_of_business,
    SortKey.FRAUD: queue_items.c.fraud_probability,
    SortKey.COST: queue_items.c.expected_cost,
    SortKey.CLAIMED: queue_items.c.claimed_amount,
    SortKey.RECEIVED: queue_items.c.queued_at,
    SortKey.DUE: queue_items.c.sla_due_at,
}


@dataclass(frozen=True)
class QueueFilter:
    """The cases of one status, narrowed by desk, priority, SLA state, line of business and holder."""

    status: str = "open"
    desk: str | None = None
    priority: int | None = None
    sla: SlaState | None = None
    line: str | None = None
    held_by: str | None = None

    def where(self, query: Select[Any], now: datetime) -> Select[Any]:
        """The query narrowed to the cases this filter admits at `now`."""
        given: dict[ColumnElement[object], object | None] = {
            queue_items.c.status: self.status,
            queue_items.c.desk: self.desk,
            queue_items.c.priority: self.priority,
            queue_items.c.line_of_business: self.line,
            queue_items.c.held_by: self.held_by,
        }
        query = query.where(*(column == value for column, value in given.items() if value))
        if self.sla is SlaState.BREACHED:
            query = query.where(queue_items.c.sla_due_at < now)
        elif self.sla is SlaState.DUE_SOON:
            query = query.where(queue_items.c.sla_due_at.between(now, now + DUE_SOON))
        elif self.sla is SlaState.ON_TIME:
            query = query.where(queue_items.c.sla_due_at > now + DUE_SOON)
        return query


def ordered(query: Select[Any], key: SortKey, descending: bool) -> Select[Any]:
    """The query in the order of `key`, cases without the value last and ties by claim id in the same direction (the
    line: then in working order), or in the working order: priority, then due time (an index scan)."""
    working = (queue_items.c.priority, queue_items.c.sla_due_at, queue_items.c.claim_id)
    column = SORT_COLUMNS.get(key)
    if column is None:
        return query.order_by(*working)
    if key is SortKey.LINE:  # two values: within each, the working order
        return query.order_by(column.desc() if descending else column, *working)
    first = column.desc() if descending else column.asc()
    if column.nullable:  # NULLS LAST only where there are NULLs (a NOT NULL column sorts as its index does)
        first = first.nulls_last()
    return query.order_by(first, queue_items.c.claim_id.desc() if descending else queue_items.c.claim_id)
