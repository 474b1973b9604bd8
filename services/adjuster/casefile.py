"""Everything the case page shows, gathered once: the claim at a glance, the recommendation and its reasons, the
documents, the FNOL against the documents, findings, fraud, severity and payment, history and notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.adjuster.comparison import FieldRow, compare
from services.adjuster.document_images import MEDIA
from services.adjuster.explain import Raised, finding_detail, finding_title, fraud_raisers, outputs_text, reasons_text
from services.core.events import ClaimCase

NOTE = "human_note"


@dataclass(frozen=True)
class DocumentView:
    sha256: str
    filename: str
    kind: str  # what docextract took it for, in words
    pages: int
    viewable: bool  # PDF or image: its pages are shown inline
    error: str | None
    highlighted: int  # values outlined on its pages


@dataclass(frozen=True)
class Event:
    """One line of the claim's history, from its audit entry."""

    seq: int
    at: datetime
    claim_id: str | None
    kind: str
    actor: str
    what: str
    reasons: list[str]
    model: str | None = None  # "fraud v3 (champion)"
    policy_version: str | None = None


@dataclass(frozen=True)
class CaseFile:
    case: ClaimCase | None
    documents: list[DocumentView] = field(default_factory=list)
    comparison: list[FieldRow] = field(default_factory=list)
    findings: list[tuple[str, str]] = field(default_factory=list)  # (title, detail)
    raisers: list[Raised] = field(default_factory=list)
    motor_only_left_out: int = 0
    history: list[Event] = field(default_factory=list)
    notes: list[Event] = field(default_factory=list)

    @property
    def disagreements(self) -> int:
        return sum(row.differs for row in self.comparison)


def case_file(case: ClaimCase | None, entries: list[dict[str, Any]]) -> CaseFile:
    """The page's view of a case (None: the claim store has no case for the queue row) and its audit entries."""
    history = [_event(e) for e in entries]
    notes = [e for e in history if e.kind == NOTE]
    if case is None:
        return CaseFile(None, history=history, notes=notes)
    raisers, left_out = fraud_raisers(case)
    extraction = case.extraction
    return CaseFile(
        case=case,
        documents=_documents(case),
        comparison=compare(case),
        findings=[(finding_title(f.code), finding_detail(f.message)) for f in extraction.findings]
        if extraction
        else [],
        raisers=raisers,
        motor_only_left_out=left_out,
        history=history,
        notes=notes,
    )


def _documents(case: ClaimCase) -> list[DocumentView]:
    read = {d.sha256: d for d in case.extraction.documents} if case.extraction else {}
    boxed: dict[str, int] = {}
    for f in case.extraction.fields if case.extraction else []:
        boxed[f.document] = boxed.get(f.document, 0) + (f.box is not None)
    views = []
    for ref in case.fnol.documents:
        summary = read.get(ref.sha256)
        media = ref.media_type.lower()
        views.append(
            DocumentView(
                sha256=ref.sha256,
                filename=ref.filename,
                kind=(summary.kind or summary.doc_type).replace("_", " ") if summary else "not read",
                pages=summary.pages if summary else 0,
                viewable=media in MEDIA.values(),
                error=summary.error if summary else None,
                highlighted=boxed.get(ref.sha256, 0),
            )
        )
    return views


def _event(entry: dict[str, Any]) -> Event:
    return Event(
        seq=entry["seq"],
        at=entry["recorded_at"],
        claim_id=entry.get("claim_id"),
        kind=entry["kind"],
        actor=entry["actor"],
        what=outputs_text(entry.get("outputs_json")),
        reasons=reasons_text(entry.get("reasons_json")),
        model=f"{name} v{entry.get('model_version')} ({entry.get('model_arm')})"
        if (name := entry.get("model_name"))
        else None,
        policy_version=entry.get("policy_version"),
    )
