"""Throughput and latency of the whole pipeline in one process (in-process bus, SQLite, local MLflow).

    python benchmarks/embedded_pipeline.py [--claims N] [--documents]

Prints the demo's summary, then a last line:
`embedded_pipeline: claims=… documents=… cps=… e2e_p50_ms=… e2e_p99_ms=…`.
"""

from __future__ import annotations

import argparse
from contextlib import nullcontext
from pathlib import Path

import numpy as np
from rich.console import Console

from benchmarks.scratch import scratch_folder
from services.app.demo import print_summary, run_demo
from services.core.settings import TriageSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--documents", action="store_true", help="attach generated PDFs to every claim")
    parser.add_argument("--data-dir", type=Path, default=None, help="reuse a data folder (and its trained models)")
    args = parser.parse_args()
    console = Console()
    with nullcontext(args.data_dir) if args.data_dir else scratch_folder("triage-bench-") as data_dir:
        result = run_demo(
            TriageSettings(bus="memory", data_dir=data_dir),
            claims=args.claims,
            seed=13,
            console=console,
            with_documents=args.documents,
        )
    print_summary(result, console)
    e2e = np.array(
        [
            (c.decision.decided_at - result.published_at[c.claim_id]).total_seconds() * 1000
            for c in result.decided
            if c.decision
        ]
    )
    print(
        f"embedded_pipeline: claims={len(result.decided)} documents={args.documents} "
        f"cps={len(result.decided) / result.seconds:.1f} e2e_p50_ms={np.percentile(e2e, 50):.1f} "
        f"e2e_p99_ms={np.percentile(e2e, 99):.1f}"
    )


if __name__ == "__main__":
    main()
