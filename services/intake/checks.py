"""What an FNOL can pass its schema with and still be wrong: a loss dated after it reached us. The API answers it
with a 422 and the inbound topic dead-letters it, with the same words."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.core.events import FNOL

# An intake system's clock may run a little ahead of ours: later than this past our now is a wrong date.
CLOCK_SKEW = timedelta(minutes=5)


def dated_in_the_future(fnol: FNOL, now: datetime) -> list[tuple[tuple[str, ...], str]]:
    """Each of the loss's times later than `now` (with some clock skew): its location in the FNOL and what to do."""
    found: list[tuple[tuple[str, ...], str]] = []
    for name in ("occurred_at", "reported_at"):
        value: datetime = getattr(fnol.loss, name)
        if value > now + CLOCK_SKEW:
            message = (
                f"loss.{name} {value.isoformat()} is in the future (it is now {now.isoformat(timespec='seconds')}):"
                f" send when the loss {'occurred' if name == 'occurred_at' else 'was reported'}, with its UTC offset"
            )
            found.append((("loss", name), message))
    return found
