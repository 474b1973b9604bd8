"""Train the entity-resolution models with Splink on DuckDB: persons and addresses of a generated book.

Splink estimates, without labels, how likely each level of agreement (names equal, close by Jaro-Winkler,
different; dates of birth equal; postcodes equal...) is among records of one entity (m) and among records
of different entities (u): u by sampling random pairs, m by expectation maximisation over blocked pairs.
The models are saved in Splink's own JSON format in services/links/models/, which the links stage reads
(services/links/matching.py) to score the few candidates its blocking keys find for a new claim.

    python -m training.links --claims 20000 --seed 11
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator

from claimgen.rings import book
from services.links.entities import mentions
from services.links.matching import MODELS

# Comparisons by model; the links stage evaluates the same levels (services/links/matching.py).
COMPARISONS: dict[str, list[ComparisonCreator | dict[str, Any]]] = {
    "person": [
        cl.JaroWinklerAtThresholds("name", [0.92, 0.8]),
        cl.ExactMatch("dob"),
        cl.ExactMatch("postcode"),
    ],
    "address": [
        cl.ExactMatch("number"),
        cl.JaroWinklerAtThresholds("street", [0.92, 0.8]),
        cl.ExactMatch("postcode"),
    ],
}
# Pairs EM learns from: each rule leaves out the comparison it blocks on, so every m is estimated once.
EM_BLOCKS = {"person": ["dob", "name"], "address": ["postcode", "number"]}
DETERMINISTIC: dict[str, list[str | BlockingRuleCreator]] = {
    "person": [block_on("name", "dob")],
    "address": [block_on("number", "street", "postcode")],
}


def records(claims: int, seed: int) -> dict[str, pd.DataFrame]:
    """Person (claimants with a date of birth) and address records of a generated book."""
    people: list[dict[str, Any]] = []
    places: list[dict[str, Any]] = []
    for claim in book(claims, seed):
        for m in mentions(claim.fnol, None):
            if m.person is not None and m.person.dob is not None:
                people.append({"name": m.person.name, "dob": m.person.dob, "postcode": m.person.postcode})
            if m.address is not None:
                a = m.address
                places.append({"number": a.number or None, "street": a.street, "postcode": a.postcode or None})
    frames = {"person": pd.DataFrame(people), "address": pd.DataFrame(places)}
    for frame in frames.values():
        frame.insert(0, "unique_id", range(len(frame)))
    return frames


def train(kind: str, frame: pd.DataFrame, seed: int) -> dict[str, Any]:
    """Splink's model for `kind`, trained on `frame`, as the JSON dictionary Splink saves."""
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=COMPARISONS[kind],
        blocking_rules_to_generate_predictions=[block_on(c) for c in EM_BLOCKS[kind]],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(DuckDBAPI().register(frame), settings, log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match(DETERMINISTIC[kind], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    for column in EM_BLOCKS[kind]:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(column))
    model: dict[str, Any] = linker.misc.save_model_to_json()
    return model


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the person and address match models with Splink.")
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=11, help="the book's seed: not the benchmark's")
    parser.add_argument("--out", type=Path, default=MODELS)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for kind, frame in records(args.claims, args.seed).items():
        model = train(kind, frame, args.seed)
        (args.out / f"{kind}.json").write_text(json.dumps(model, indent=1) + "\n")
        print(f"{kind}: {len(frame)} records -> {args.out / f'{kind}.json'}")


if __name__ == "__main__":
    main()
