"""Models that follow their aliases: a moved alias loads the new version, then switches in one step."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

import pytest

from models.live import LiveModels
from services.core.events import ModelRef


@dataclass(frozen=True)
class Versioned:
    ref: ModelRef
    prepared: list[str] = field(default_factory=list)

    def with_ref(self, ref: ModelRef) -> Versioned:
        return replace(self, ref=ref)

    def prepare(self) -> None:
        self.prepared.append(self.ref.version)


@dataclass
class FakeRegistry:
    """Aliases in a dict; counts loads; can be made to fail."""

    aliases: dict[str, str] = field(default_factory=dict)
    loads: list[str] = field(default_factory=list)
    down: bool = False

    def version_of(self, name: str, alias: str) -> str | None:
        if self.down:
            raise ConnectionError("registry down")
        return self.aliases.get(alias)

    def load_version(self, name: str, version: str, alias: str) -> Versioned:
        self.loads.append(version)
        return Versioned(ModelRef(name=name, version=version, alias=alias))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def live(registry: FakeRegistry, clock: Clock) -> LiveModels:
    return LiveModels(registry, "fraud", reload_s=10, clock=clock)


def test_loads_champion_and_challenger() -> None:
    models = live(FakeRegistry({"champion": "1", "challenger": "2"}), Clock())
    assert models.current.champion.ref.version == "1" and models.current.challenger.ref.version == "2"
    assert models.versions == ("1", "2")


def test_a_challenger_on_the_champions_version_is_no_challenger() -> None:
    models = live(FakeRegistry({"champion": "1", "challenger": "1"}), Clock())
    assert models.current.challenger is None


def test_no_champion_is_an_error() -> None:
    with pytest.raises(LookupError, match="fraud@champion"):
        live(FakeRegistry(), Clock())


def test_a_moved_alias_is_picked_up_only_when_due_and_then_in_one_switch() -> None:
    registry, clock = FakeRegistry({"champion": "1", "challenger": "2"}), Clock()
    models = live(registry, clock)
    before = models.current
    registry.aliases["champion"] = "2"  # promotion
    clock.now = 5
    assert models.refresh_if_due() is None  # not due
    assert models.current is before
    clock.now = 11
    checking = models.refresh_if_due()
    assert checking is not None
    checking.join()
    assert models.current.champion.ref == ModelRef(name="fraud", version="2", alias="champion")
    assert models.current.challenger is None
    assert before.champion.ref.version == "1"  # a batch holding the old pair still scores with it
    assert registry.loads == ["1", "2"]  # version 2 was reused, not loaded again


def test_a_rollback_is_moving_the_alias_back() -> None:
    registry, clock = FakeRegistry({"champion": "1"}), Clock()
    models = live(registry, clock)
    registry.aliases["champion"] = "3"
    assert models.refresh()
    registry.aliases["champion"] = "1"
    assert models.refresh() and models.current.champion.ref.version == "1"


def test_a_registry_outage_keeps_the_live_models() -> None:
    registry, clock = FakeRegistry({"champion": "1"}), Clock()
    models = live(registry, clock)
    registry.down, clock.now = True, 20
    checking = models.refresh_if_due()
    assert checking is not None
    checking.join()
    assert models.current.champion.ref.version == "1"


def test_watch_stops_when_told() -> None:
    models = live(FakeRegistry({"champion": "1"}), Clock())
    stop = threading.Event()
    stop.set()
    models.watch(stop)  # returns at once


def test_a_loaded_version_is_prepared_once_before_it_goes_live() -> None:
    registry, clock = FakeRegistry({"champion": "1"}), Clock()
    models = live(registry, clock)
    assert models.current.champion.prepared == ["1"]
    registry.aliases["champion"] = "2"
    models.refresh()
    assert models.current.champion.prepared == ["2"]
    registry.aliases["challenger"] = "2"  # the same version in another arm: loaded and prepared already
    registry.aliases["champion"] = "1"
    models.refresh()
    assert models.current.challenger is not None and models.current.challenger.prepared == ["2"]
