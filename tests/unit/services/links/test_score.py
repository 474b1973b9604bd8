from services.links.score import Pair, ring_score


def pair(*shares: tuple[str, str, str]) -> Pair:
    made = Pair()
    for kind, mine, theirs in shares:
        made.share(kind, 1.0, (mine, theirs))
    return made


def test_the_same_witness_in_two_accidents_weighs_more_than_the_same_claimant_phone() -> None:
    assert pair(("phone", "witness", "other_driver")).strength > pair(("phone", "claimant", "claimant")).strength


def test_a_garage_alone_is_no_link_but_counts_beside_something_else() -> None:
    assert pair(("repair_shop", "repair_shop", "repair_shop")).strength == 0
    with_phone = pair(("repair_shop", "repair_shop", "repair_shop"), ("phone", "witness", "witness"))
    assert with_phone.strength > pair(("phone", "witness", "witness")).strength


def test_many_claims_at_one_address_are_households_not_a_ring() -> None:
    employer = {f"C-{i}": pair(("address", "claimant", "claimant")) for i in range(15)}
    crew = {f"C-{i}": pair(("phone", "other_driver", "other_driver")) for i in range(4)}
    assert ring_score(employer, 0, {}) < 0.5 < ring_score(crew, 0, {})


def test_a_neighbour_denied_for_fraud_counts_more_than_one_referred() -> None:
    one = {"C-1": pair(("phone", "witness", "witness"))}
    assert ring_score(one, 0, {"C-1": "denied"}) > ring_score(one, 0, {"C-1": "referred"}) > ring_score(one, 0, {})
