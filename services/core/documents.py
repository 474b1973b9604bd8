"""Content-addressed document store: documents never travel on the bus, their sha256 does."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class DocumentNotFound(LookupError):
    """No document with that digest is stored."""


class DocumentStore:
    """Files under root/ab/cd/<sha256>; writing the same bytes twice stores them once."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, content: bytes) -> str:
        """Store the bytes (atomically: a crash never leaves a half-written document); return the digest."""
        digest = hashlib.sha256(content).hexdigest()
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, target)
        return digest

    def get(self, sha256: str) -> bytes:
        """The stored bytes; raises DocumentNotFound if absent."""
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise DocumentNotFound(sha256) from exc
