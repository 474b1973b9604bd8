"""An entity's claims sliced by a loss-date window as the database compares dates: SQLite's wall times, PostgreSQL's
instants."""

from datetime import UTC, datetime, timedelta, timezone

from services.links.signals import _Rows

PARIS = timezone(timedelta(hours=1))


def test_a_window_takes_its_ends_latest_first_and_one_days_claims_in_claim_order():
    day = datetime(2024, 3, 1, 12)
    rows = _Rows([(day, "C2", "witness"), (day, "C1", "claimant"), (day + timedelta(days=1), "C3", "claimant")])
    assert rows.between(day, day + timedelta(days=1)) == [("C3", "claimant"), ("C1", "claimant"), ("C2", "witness")]
    assert rows.between(day + timedelta(microseconds=1), day + timedelta(days=2)) == [("C3", "claimant")]
    assert rows.between(day - timedelta(days=2), day - timedelta(microseconds=1)) == []
    assert _Rows([]).between(day, day) == []


def test_sqlite_wall_times_compare_with_a_windows_wall_time_and_postgresql_instants_with_its_instant():
    wall = _Rows([(datetime(2024, 3, 1, 12), "C1", "claimant")])  # SQLite: the wall time, naive
    window = datetime(2024, 3, 1, 12, tzinfo=PARIS)  # 11:00 UTC, but 12:00 on the wall
    assert wall.between(window, window) == [("C1", "claimant")]
    instant = _Rows([(datetime(2024, 3, 1, 11, tzinfo=UTC), "C1", "claimant")])  # PostgreSQL: the instant
    assert instant.between(window, window) == [("C1", "claimant")]
    assert instant.between(datetime(2024, 3, 1, 11), datetime(2024, 3, 1, 11)) == [("C1", "claimant")]  # naive: UTC
