import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from services.core.database import make_engine, migrate
from services.core.events import FNOL

EXAMPLE = Path(__file__).parents[4] / "services" / "core" / "events" / "fnol.example.json"
LOSS = datetime(2026, 6, 1, 12, tzinfo=UTC)


def fnol(claim_id: str, days: int = 0, **changes: Any) -> FNOL:
    """The example FNOL as claim `claim_id`, its loss `days` after LOSS, a claimant of its own, then `changes`."""
    data = json.loads(EXAMPLE.read_text())
    data["claim_id"] = claim_id
    at = LOSS + timedelta(days=days)
    data["loss"] |= {"occurred_at": at.isoformat(), "reported_at": (at + timedelta(hours=2)).isoformat()}
    n = sum(ord(c) * (i + 1) for i, c in enumerate(claim_id))
    data["claimant"] |= {
        "name": f"Person {claim_id}",
        "date_of_birth": (datetime(1950, 1, 1) + timedelta(days=n % 20000)).date().isoformat(),
        "phone": f"(217) 55{n % 10}-{n % 10000:04d}",
        "email": f"{claim_id.lower()}@example.com",
        "address": {"street": f"{n % 9000 + 10} Elm St", "city": "Springfield", "postcode": f"627{n % 100:02d}"},
    }
    data["vehicle"] |= {"vin": None, "plate": f"P{n}"}
    data["policy"]["policy_number"] = f"POL-{claim_id}"
    for key, value in changes.items():
        data[key] = value if not isinstance(value, dict) else data.get(key, {}) | value
    return FNOL.model_validate(data)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """The claims graph's database: a SQLite file, and (tests marked `postgres`) a database on the real server."""
    migrate(database_url)
    made = make_engine(database_url)
    yield made
    made.dispose()
