"""Scratch folders for benchmark runs: databases, documents, trained models and stage logs."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A new folder, removed when the run ends well (a load run leaves hundreds of megabytes of store behind);
    kept, and named on stderr, when it ends in an error or an exit (a failed check), for its stage logs."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    except BaseException:
        print(f"kept {folder} (stage logs under logs/)", file=sys.stderr)
        raise
    shutil.rmtree(folder, ignore_errors=True)
