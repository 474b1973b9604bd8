"""python -m claimgen.corpus_routes build OUT_DIR [--seed N] [--set dev|holdout] [--workers N]"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from claimgen.corpus_routes.build import build
from claimgen.corpus_routes.verify import unprinted_values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m claimgen.corpus_routes", description="Build a corpus of claim documents with ground truth."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build_command = commands.add_parser("build", help="write the documents and their .truth.json files")
    build_command.add_argument("out_dir", type=Path)
    build_command.add_argument("--seed", type=int, default=None, help="base seed (default: 1 for dev, 2 for holdout)")
    build_command.add_argument("--set", dest="corpus_set", choices=("dev", "holdout"), default="dev")
    build_command.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 2) + 1))
    arguments = parser.parse_args(argv)
    started = time.monotonic()
    made = build(arguments.out_dir, arguments.corpus_set, arguments.seed, arguments.workers)
    print(f"{len(made)} documents in {arguments.out_dir} ({time.monotonic() - started:.0f} s)")
    for path, missing in unprinted_values(made):
        print(f"  note: {path.name}: not found verbatim in the text layer: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
