"""An FNOL together with the documents a claimant would attach to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import numpy as np

from claimgen.documents import loss_notice_pdf, police_report_pdf, repair_estimate_pdf
from claimgen.fnol import GeneratedClaim
from services.core.events import FNOL, DocumentRef, LineOfBusiness


def attach_documents(claim: GeneratedClaim, put: Callable[[bytes], str], rng: np.random.Generator) -> FNOL:
    """Render the claim's documents, store each with `put` (returns its sha256), refer to them from the FNOL."""
    refs = [
        DocumentRef(sha256=put(content), filename=name, media_type="application/pdf", size_bytes=len(content))
        for name, content in claim_documents(claim, rng)
    ]
    return claim.fnol.model_copy(update={"documents": refs})


def claim_documents(claim: GeneratedClaim, rng: np.random.Generator) -> list[tuple[str, bytes]]:
    """The PDFs (file name, content) a claimant would attach to the claim's FNOL.

    Most motor claims bring a loss notice and a repair estimate, and a police report when one
    was filed; some leave a document out, and a share of red-flag claims bring a notice whose
    date of loss disagrees with the FNOL.
    """
    fnol = claim.fnol
    overrides: dict[str, str] = {}
    if claim.red_flags and rng.random() < 0.5:
        overrides["loss_date"] = (fnol.loss.occurred_at - timedelta(days=3)).strftime("%m/%d/%Y")
    documents = [("loss_notice.pdf", loss_notice_pdf(fnol, overrides=overrides or None))]
    if fnol.line_of_business is LineOfBusiness.MOTOR and rng.random() < 0.9:
        documents.append(("repair_estimate.pdf", repair_estimate_pdf(fnol, claim.repair_items)))
    if fnol.loss.police_report is not None and fnol.loss.police_report.filed:
        documents.append(("police_report.pdf", police_report_pdf(fnol)))
    return documents
