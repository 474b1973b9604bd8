"""What a process's handlers need from the outside world, built once per process."""

from __future__ import annotations

from dataclasses import dataclass

from services.adjuster.queue import QueueStore
from services.core.audit import AuditLog
from services.core.documents import DocumentStore
from services.core.settings import TriageSettings
from services.core.store import ClaimStore, StageOrder


@dataclass
class Dependencies:
    """The stores every stage and API writes to; `order` ranks the claim store's stage rows."""

    settings: TriageSettings
    store: ClaimStore
    documents: DocumentStore
    audit: AuditLog
    queue: QueueStore

    @classmethod
    def from_settings(cls, settings: TriageSettings, order: StageOrder) -> Dependencies:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = ClaimStore(settings.resolved_database_url(), order)
        return cls(
            settings,
            store,
            DocumentStore(settings.resolved_document_dir()),
            AuditLog(store.engine),
            QueueStore(store.engine),
        )
