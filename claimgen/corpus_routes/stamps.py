"""Reproducible PDFs from producers that stamp the clock into them: creation and modification
dates, XMP dates and UUIDs, the file /ID and LibreOffice's /DocChecksum are replaced, in place
and at the same length (so the cross-reference offsets stay right), by values that depend only
on the rest of the file. The same content then gives the same bytes, build after build."""

from __future__ import annotations

import hashlib
import re

_PDF_DATE = re.compile(rb"\(D:\d{14}")
_XMP_DATE = re.compile(rb"(<xmp:\w+Date>|<xap:\w+Date>)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
_UUID = re.compile(rb"uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_FILE_ID = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)")
_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)")


def _blank(match: re.Match[bytes], groups: tuple[int, ...]) -> bytes:
    parts = list(match.groups())
    for index in groups:
        parts[index - 1] = b"0" * len(parts[index - 1])
    return b"".join(parts)


def _hex(digest: str, length: int) -> bytes:
    return (digest * (length // len(digest) + 1))[:length].upper().encode()


def reproducible(pdf: bytes) -> bytes:
    """`pdf` with its clock stamps replaced by content-derived values of the same length."""
    fixed = _PDF_DATE.sub(b"(D:20260101000000", pdf)
    fixed = _XMP_DATE.sub(lambda match: match.group(1) + b"2026-01-01T00:00:00", fixed)
    fixed = _FILE_ID.sub(lambda match: _blank(match, (2, 4)), fixed)
    fixed = _CHECKSUM.sub(lambda match: _blank(match, (2,)), fixed)
    fixed = _UUID.sub(b"uuid:00000000-0000-0000-0000-000000000000", fixed)
    digest = hashlib.md5(fixed, usedforsecurity=False).hexdigest()
    uuid = f"uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}".encode()
    fixed = fixed.replace(b"uuid:00000000-0000-0000-0000-000000000000", uuid)
    fixed = _FILE_ID.sub(
        lambda match: (
            match.group(1)
            + _hex(digest, len(match.group(2)))
            + match.group(3)
            + _hex(digest, len(match.group(4)))
            + match.group(5)
        ),
        fixed,
    )
    return _CHECKSUM.sub(lambda match: match.group(1) + _hex(digest, len(match.group(2))), fixed)
