"""The compliance report and the model inventory on the auditor pages, with their exports.

The report and inventory themselves are built elsewhere (services/compliance) and handed in by the
composition root as `ComplianceViews`: this module only checks roles and translates the request.
"""

# No `from __future__ import annotations`: FastAPI must see the local Annotated role aliases.
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal, Protocol

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from services.adjuster import security
from services.adjuster.templating import nav
from services.core.auth import Principal, Role

DEFAULT_DAYS = 30
EARLIEST, LATEST = date(1900, 1, 1), date(9999, 12, 30)  # whole-day arithmetic on either side stays in range


class ComplianceViews(Protocol):
    def html(self, start: datetime, end: datetime, nav: str = "") -> str: ...

    def pdf(self, start: datetime, end: datetime) -> bytes: ...

    def inventory_html(self, nav: str = "") -> str: ...

    def inventory_export(self, fmt: str) -> str: ...


def add_compliance(app: FastAPI, views: ComplianceViews | None, token_secret: str, clock: Any) -> None:
    """The report (auditor, supervisor) and the inventory (auditor, supervisor, data scientist) pages."""

    def role(*roles: Role) -> Any:
        return Depends(security.requires(token_secret, *roles))

    Auditor = Annotated[Principal, role(*security.AUDIT)]
    Inventory = Annotated[Principal, role(*security.MODEL_INVENTORY)]

    def configured() -> ComplianceViews:
        if views is None:
            raise HTTPException(404, "compliance reports are not configured on this server")
        return views

    @app.get("/compliance/report", response_class=HTMLResponse)
    def report_page(request: Request, who: Auditor, start: date | None = None, end: date | None = None) -> Response:
        first, last = _period(start, end, clock())
        return HTMLResponse(configured().html(first, last, nav=nav(request, who)))

    @app.get("/compliance/report.pdf")
    def report_pdf(_: Auditor, start: date | None = None, end: date | None = None) -> Response:
        first, last = _period(start, end, clock())
        name = f"compliance-report-{first:%Y-%m-%d}-{last:%Y-%m-%d}.pdf"
        return Response(
            configured().pdf(first, last),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @app.get("/models/inventory", response_class=HTMLResponse)
    def inventory_page(request: Request, who: Inventory) -> Response:
        return HTMLResponse(configured().inventory_html(nav=nav(request, who)))

    @app.get("/v1/models/inventory")
    def inventory_export(_: Inventory, format: Literal["json", "csv"] = "json") -> Response:  # noqa: A002
        body = configured().inventory_export(format)
        media = "text/csv" if format == "csv" else "application/json"
        return Response(
            body, media_type=media, headers={"Content-Disposition": f'attachment; filename="model-inventory.{format}"'}
        )


def _period(start: date | None, end: date | None, now: datetime) -> tuple[datetime, datetime]:
    """[start, end] as whole UTC days; default the last 30 days up to now."""
    for name, day in (("start", start), ("end", end)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise HTTPException(422, f"{name} must be between {EARLIEST} and {LATEST}")
    last = datetime.combine(end + timedelta(days=1), time(0), UTC) if end else now
    first = datetime.combine(start, time(0), UTC) if start else last - timedelta(days=DEFAULT_DAYS)
    if first >= last:
        raise HTTPException(422, "start must be before end")
    return first, last
