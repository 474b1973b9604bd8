"""Prometheus metrics of an HTTP service: `/metrics`, and its responses counted by route template (never by the
path itself, which would carry claim ids)."""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, make_asgi_app
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def serve_metrics(app: FastAPI, registry: CollectorRegistry, service: str) -> None:
    """Mount `/metrics` for `registry` on `app` and count its responses as `triage_<service>_responses_total`
    by method, route template and status."""
    responses = Counter(
        f"triage_{service}_responses",
        f"{service.capitalize()} API responses",
        ["method", "route", "status"],
        registry=registry,
    )
    app.mount("/metrics", make_asgi_app(registry=registry))
    app.add_middleware(CountResponses, responses=responses)


class CountResponses:
    """Plain ASGI middleware (Starlette's BaseHTTPMiddleware runs each request as a task of its own, a cost every
    request would pay): counts each response once its status is known and the router has named the route."""

    def __init__(self, app: ASGIApp, responses: Counter) -> None:
        self.app, self.responses = app, responses

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what the client gets when the app fails before it answers

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            route = scope.get("route")
            self.responses.labels(scope["method"], getattr(route, "path", "other"), str(status)).inc()
