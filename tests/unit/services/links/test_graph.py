from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, insert

from services.core.database import writing
from services.core.events import FNOL, ClaimLinks, Extraction
from services.core.tables import queue_items
from services.links.entities import mentions
from services.links.graph import ClaimsGraph, Linked
from services.links.signals import RingSettings, ring_signals
from tests.unit.services.links.conftest import fnol

WITNESS = [{"name": "Carl Crew", "role": "witness", "phone": "+1 217 555 0199"}]


def link(engine: Engine, claim: FNOL, extraction: Extraction | None = None) -> tuple[list[Linked], ClaimLinks]:
    graph = ClaimsGraph(engine)
    with writing(engine) as conn:
        linked = graph.link(claim.claim_id, claim.loss.occurred_at, mentions(claim, extraction), conn)
        return linked, ring_signals(graph, claim.claim_id, claim.loss.occurred_at, linked, RingSettings(), conn)


def test_a_witness_phone_seen_on_earlier_claims_names_them(engine: Engine) -> None:
    for i, claim_id in enumerate(["RING-001", "RING-002"]):
        link(engine, fnol(claim_id, days=i, other_parties=WITNESS))
    _, links = link(engine, fnol("RING-003", days=5, other_parties=WITNESS))
    phone = next(e for e in links.entities if e.kind == "phone")
    assert phone.value == "+1 217 555 0199"
    assert phone.roles == ["witness"]
    assert sorted(phone.claims) == ["RING-001", "RING-002"]
    assert links.claims_by_kind == {"phone": 2}
    assert links.ring_score > 0


def test_claims_outside_the_window_are_not_neighbours(engine: Engine) -> None:
    link(engine, fnol("OLD-001", days=-200, other_parties=WITNESS))
    _, links = link(engine, fnol("NEW-001", other_parties=WITNESS))
    assert links.entities == []
    assert links.ring_score == 0


def test_a_spelling_variant_is_the_same_person_with_a_probability(engine: Engine) -> None:
    first = fnol("SYN-001")
    variant = first.claimant.model_copy(update={"name": first.claimant.name.replace("Person", "Persn")})
    linked_first, _ = link(engine, first)
    linked_variant, links = link(engine, fnol("SYN-002", claimant=variant.model_dump(mode="json")))
    person = {x.mention.kind: x for x in linked_first}["person"]
    again = {x.mention.kind: x for x in linked_variant}["person"]
    assert again.entity_id == person.entity_id
    assert 0.9 <= again.probability < 1.0
    assert "person" in links.claims_by_kind


def test_a_relative_with_another_birth_date_is_another_person(engine: Engine) -> None:
    first = fnol("FAM-001")
    relative = first.claimant.model_copy(
        update={"name": "Other " + first.claimant.name, "date_of_birth": date(1960, 1, 1)}
    )
    linked_first, _ = link(engine, first)
    linked_relative, links = link(engine, fnol("FAM-002", claimant=relative.model_dump(mode="json")))
    persons = [x.entity_id for x in linked_first + linked_relative if x.mention.kind == "person"]
    assert len(set(persons)) == 2
    assert links.linked_claims[0].strength <= 1.0  # a household: phone and address, no more


def test_linking_a_claim_again_counts_it_once(engine: Engine) -> None:
    claim = fnol("REP-001", other_parties=WITNESS)
    first, _ = link(engine, claim)
    again, _ = link(engine, claim)
    assert [x.claims for x in again] == [x.claims for x in first] == [1] * len(first)


def test_an_entity_on_many_claims_is_common_and_no_evidence(engine: Engine) -> None:
    garage = Extraction.model_validate(
        {
            "documents": [{"sha256": "a" * 64, "filename": "e.pdf", "doc_type": "repair_estimate", "pages": 1}],
            "fields": [
                {
                    "name": "repair_shop_name",
                    "value": "Big Auto Body",
                    "confidence": 0.95,
                    "document": "a" * 64,
                    "page": 1,
                    "method": "text_layer",
                }
            ],
            "findings": [],
            "missing_documents": [],
        }
    )
    for i in range(RingSettings().common_claims + 2):
        link(engine, fnol(f"BIG-{i:03d}", days=i % 30), garage)
    _, links = link(engine, fnol("BIG-999", days=3), garage)
    shop = next(e for e in links.entities if e.kind == "repair_shop")
    assert shop.common
    assert links.ring_score == 0


def test_a_neighbour_denied_for_fraud_raises_the_score(engine: Engine) -> None:
    link(engine, fnol("FR-001", other_parties=WITNESS))
    _, before = link(engine, fnol("FR-002", days=1, other_parties=WITNESS))
    now = datetime.now(UTC)
    row = {
        "claim_id": "FR-001",
        "desk": "special_investigations",
        "priority": 1,
        "sla_due_at": now + timedelta(days=1),
        "queued_at": now,
        "status": "decided",
        "recommendation": "investigate",
        "payable_limit": 0.0,
        "decision": "deny",
    }
    with writing(engine) as conn:
        conn.execute(insert(queue_items), [row])
    _, after = link(engine, fnol("FR-002", days=1, other_parties=WITNESS))
    assert before.fraud_claims == []
    assert after.fraud_claims == ["FR-001"]
    assert after.ring_score > before.ring_score


def test_an_entity_filed_by_a_batch_counts_each_of_its_claims_once_replays_included(engine: Engine) -> None:
    from sqlalchemy import select

    from services.core.tables import claim_links, link_entities
    from services.links.graph import ClaimMentions

    claims = [fnol(f"CNT-00{i}", days=i, other_parties=WITNESS) for i in range(3)]
    items = [ClaimMentions(c.claim_id, c.loss.occurred_at, mentions(c, None)) for c in claims]
    graph = ClaimsGraph(engine)
    with writing(engine) as conn:
        batch = graph.link_many([items[0], items[1], items[0]], conn)  # a redelivery within the batch
    with writing(engine) as conn:
        graph.link_many([items[1], items[2]], conn)  # a replay beside a new claim
    phone = next(x.entity_id for x in batch.linked[0] if x.mention.role == "witness")
    assert [next(x.claims for x in row if x.entity_id == phone) for row in batch.linked] == [1, 2, 2]
    with engine.connect() as conn:
        counted = conn.execute(select(link_entities.c.claims).where(link_entities.c.id == phone)).scalar_one()
        carrying = conn.execute(select(claim_links.c.claim_id).where(claim_links.c.entity_id == phone)).scalars()
        assert counted == len(set(carrying)) == 3
