"""The workflow's domain errors as HTTP answers, in one place for the JSON API and the pages."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exception_handlers import http_exception_handler

from services.adjuster.decisions import InvalidDecision
from services.adjuster.queue import NotHeld, UnknownCase
from services.adjuster.workflow import NoteRefused

STATUS: dict[type[Exception], int] = {UnknownCase: 404, NotHeld: 409, InvalidDecision: 422, NoteRefused: 422}
REFUSED = tuple(STATUS)


def http_error(exc: Exception) -> HTTPException:
    """The refusal as an HTTPException: its status from STATUS, the error's message as its detail."""
    return HTTPException(next(code for kind, code in STATUS.items() if isinstance(exc, kind)), str(exc))


def add_refusals(app: FastAPI) -> None:
    """Answer a refusal that reaches the app exactly as FastAPI answers the HTTPException it stands for."""

    async def refused(request: Request, exc: Exception) -> Response:
        return await http_exception_handler(request, http_error(exc))

    for kind in STATUS:
        app.add_exception_handler(kind, refused)
