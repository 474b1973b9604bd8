"""An FNOL out of a request: a JSON body, or a multipart form whose `fnol` part is a text field (curl's
`-F fnol=<fnol.json`) or a file part (`-F fnol=@fnol.json`), with its documents as file parts. Every refusal
names the field and says what to send instead."""

from __future__ import annotations

from typing import Any, Protocol

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from services.core.events import FNOL, DocumentRef

# As large as Starlette lets a text field be: the FNOL as a file part may be as large as it could be as a field.
MAX_FNOL_BYTES = 1024 * 1024


class DocumentSink(Protocol):
    def put(self, content: bytes) -> str: ...


async def fnol_from_request(
    request: Request, sink: DocumentSink, max_document_bytes: int
) -> tuple[FNOL, tuple[str, ...]]:
    """The FNOL a request carries, its documents stored, and where its fields are in the request (for errors)."""
    content_type = request.headers.get("content-type", "")
    form = content_type.startswith("multipart/form-data")
    if content_type.startswith("application/x-www-form-urlencoded"):
        # curl's `-d @fnol.json` without a content-type header says url-encoded but sends the JSON as it is.
        form = not (await request.body()).lstrip().startswith(b"{")
    if form:
        return await _from_form(request, sink, max_document_bytes), ("body", "fnol")
    return parse_fnol(await request.body(), ("body",)), ("body",)


def parse_fnol(raw: bytes | str, loc: tuple[str, ...]) -> FNOL:
    try:
        return FNOL.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError(named_errors(exc, loc)) from exc


def named_errors(exc: ValidationError, loc: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each bad field by location, message and type; not the input, which may be bytes that are not JSON."""
    return [{"loc": (*loc, *e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors(include_url=False)]


def refusal(loc: tuple[str, ...], message: str, kind: str = "value_error") -> RequestValidationError:
    return RequestValidationError([{"loc": loc, "msg": message, "type": kind}])


async def _from_form(request: Request, sink: DocumentSink, max_bytes: int) -> FNOL:
    form = await request.form()
    part = form.get("fnol")
    if part is None:
        raise refusal(
            ("body", "fnol"), "Field required: add the FNOL as the part `fnol` (-F fnol=@fnol.json)", "missing"
        )
    raw = part if isinstance(part, str) else await _fnol_file(part)
    fnol = parse_fnol(raw, ("body", "fnol"))
    refs = list(fnol.documents)
    for upload in form.getlist("documents"):
        if isinstance(upload, str):
            raise refusal(
                ("body", "documents"), "Expected a file: attach each document as a file (-F documents=@x.pdf)"
            )
        refs.append(await _store_upload(upload, sink, max_bytes))
    try:
        return FNOL.model_validate({**fnol.model_dump(), "documents": refs})
    except ValidationError as exc:  # e.g. too many documents
        raise RequestValidationError(named_errors(exc, ("body", "fnol"))) from exc


async def _fnol_file(upload: UploadFile) -> bytes:
    content = await upload.read(MAX_FNOL_BYTES + 1)
    if len(content) > MAX_FNOL_BYTES:
        raise HTTPException(413, f"the part `fnol` is larger than {MAX_FNOL_BYTES} bytes: an FNOL is a few kB of JSON")
    return content


async def _store_upload(upload: UploadFile, sink: DocumentSink, max_bytes: int) -> DocumentRef:
    content = await upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise HTTPException(
            413,
            f"documents: {upload.filename} is larger than {max_bytes} bytes: send a smaller scan or leave it out",
        )
    return DocumentRef(
        sha256=await run_in_threadpool(sink.put, content),
        filename=upload.filename or "document",
        media_type=upload.content_type or "application/octet-stream",
        size_bytes=len(content),
    )
