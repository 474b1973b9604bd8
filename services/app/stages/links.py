"""Links: the claim joined to the claims graph (shared phones, accounts, persons, vehicles, garages) and its ring
signals, between fraud and severity, so the router reads them."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from services.app.stages.declaration import Handlers, StageDeclaration
from services.core import topics
from services.core.events import ClaimCase
from services.core.settings import LinksSettings

if TYPE_CHECKING:
    from services.app.dependencies import Dependencies


def build(deps: Dependencies, settings: LinksSettings) -> Handlers:
    from services.links.handler import Linker, link_claim, link_claims
    from services.links.signals import RingSettings

    linker = Linker(deps.store.engine, RingSettings(settings.window_days, settings.hops, settings.common_claims))
    # a batch in one transaction; a claim that fails it is then linked alone (the runner's fallback)
    return Handlers(ClaimCase, partial(link_claim, linker=linker), partial(link_claims, linker=linker))


STAGE = StageDeclaration("links", LinksSettings, topics.SCORED, topics.LINKED, "linked", build)
