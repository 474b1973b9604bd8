"""Garbage-collector settings for long-running processes that have loaded their models."""

from __future__ import annotations

import gc


def quieten_garbage_collector(young: int = 100_000) -> None:
    """Fewer, shorter collector pauses: call once start-up (imports, models, database) is done.

    What loading left behind (mlflow, pandas, sklearn, the models) lives as long as the process: frozen, full
    passes skip it instead of walking millions of objects. A claim's short-lived objects (pydantic models,
    dicts) are collected every `young` allocations instead of CPython's every 700, whose collections would take a
    large share of each claim's time and hold up the slowest requests.
    """
    gc.freeze()
    gc.set_threshold(young, 50, 100)
