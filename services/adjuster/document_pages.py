"""A case's stored documents in the browser: the original, and each page as an image with the values read from it
outlined. Only a document of that case, for a user who may read cases."""

# No `from __future__ import annotations`: FastAPI must see the local Annotated role aliases.
from typing import Annotated, Protocol
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Path
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from services.adjuster import security
from services.adjuster.comparison import compare
from services.adjuster.document_images import PageNotFound, media_type, page_png
from services.adjuster.workflow import Workflow
from services.core.auth import Principal
from services.core.events import ClaimCase, ExtractedField
from services.core.events.case import Box

# Stored documents never change (they are addressed by their sha256): the browser may keep them for the session.
CACHE = {"Cache-Control": "private, max-age=3600"}


class DocumentSource(Protocol):
    def get(self, sha256: str) -> bytes: ...


def add_documents(app: FastAPI, flow: Workflow, documents: DocumentSource | None, token_secret: str) -> None:
    """GET /cases/{claim}/documents/{sha256} (the original) and …/pages/{n}.png (a page, values outlined)."""
    Reader = Annotated[Principal, Depends(security.requires(token_secret, *security.READ_CASE))]
    Sha = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]

    def stored(claim_id: str, sha256: str) -> tuple[ClaimCase, bytes]:
        case = flow.case(claim_id)
        if documents is None or case is None or sha256 not in {d.sha256 for d in case.fnol.documents}:
            raise HTTPException(404, f"claim {claim_id} has no document {sha256}")
        try:
            return case, documents.get(sha256)
        except LookupError as exc:
            raise HTTPException(404, f"document {sha256} of claim {claim_id} is not in the document store") from exc

    @app.get("/cases/{claim_id}/documents/{sha256}")
    def original(claim_id: str, sha256: Sha, _: Reader) -> Response:
        case, content = stored(claim_id, sha256)
        name = next(d.filename for d in case.fnol.documents if d.sha256 == sha256)
        headers = {**CACHE, "Content-Disposition": _inline(name), "X-Content-Type-Options": "nosniff"}
        return Response(content, media_type=media_type(content), headers=headers)

    @app.get("/cases/{claim_id}/documents/{sha256}/pages/{page}.png")
    async def page_image(claim_id: str, sha256: Sha, page: int, _: Reader) -> Response:
        case, content = stored(claim_id, sha256)
        try:
            image = await run_in_threadpool(page_png, content, page, _boxes(case, sha256, page))
        except PageNotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        return Response(image, media_type="image/png", headers=CACHE)


def _inline(filename: str) -> str:
    """Content-Disposition for a file name in any script: an ASCII fallback and the UTF-8 name (RFC 6266)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _boxes(case: ClaimCase, sha256: str, page: int) -> list[tuple[Box, bool]]:
    """Where the values read from that page are printed (each field's best reading), and whether each differs from
    the FNOL."""
    differing = {(row.name, r.document) for row in compare(case) for r in row.readings if r.differs}
    best: dict[str, ExtractedField] = {}
    for f in case.extraction.fields if case.extraction else []:
        mine = f.document == sha256 and f.page == page and f.box is not None
        if mine and (f.name not in best or f.confidence > best[f.name].confidence):
            best[f.name] = f
    return [(f.box, (name, sha256) in differing) for name, f in best.items() if f.box is not None]
