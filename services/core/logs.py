"""Structured JSON logs: one object a line, the claim id as a field, personal data masked.

Services log claim ids, never FNOL content; the redacting filter is the safety net for what
slips into a message anyway (an exception that quotes a value, a library's own log line).
"""

from __future__ import annotations

import logging
import re
import sys

from pythonjsonlogger.json import JsonFormatter

PATTERNS = (
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "<email>"),
    (
        re.compile(r"(?<![\w-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d{3}[ .-]\d{3,4}(?:[ .-]\d{2,4})?(?![\w-])"),
        "<phone>",
    ),
    (re.compile(r"\bPOL-?[A-Z0-9]{4,}\b", re.IGNORECASE), "<policy>"),
    (re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b"), "<vin>"),
    (
        re.compile(r'("?(?:name|claimant|email|phone|policy_number|date_of_birth|street)"?\s*[:=]\s*)"[^"]*"'),
        r'\1"<redacted>"',
    ),
)


def redact(text: str) -> str:
    """The text with e-mail addresses, phone numbers, policy numbers, VINs and named personal fields masked."""
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def configure_logging(service: str, level: int = logging.INFO, *, json: bool = True) -> None:
    """Root logging for a service process: JSON lines on stderr, redacted (librdkafka's lines come through it too)."""
    handler = logging.StreamHandler(sys.stderr)
    if json:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                static_fields={"service": service},
                rename_fields={"levelname": "level"},
            )
        )
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
