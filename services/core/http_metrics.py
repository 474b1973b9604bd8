"""Prometheus metrics of an HTTP service: `/metrics`, and its responses counted by route template (never by the
path itself, which would carry claim ids)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from prometheus_client import CollectorRegistry, Counter, make_asgi_app


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

    @app.middleware("http")
    async def count_responses(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        route = request.scope.get("route")
        responses.labels(request.method, getattr(route, "path", "other"), str(response.status_code)).inc()
        return response
