"""The workbench's Jinja templates, with what every page may call (the CSRF field of a form, the navigation, the
workbench's words as filters), and the packaged assets (the stylesheet)."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from services.adjuster.security import navigation
from services.adjuster.sessions import CSRF_FIELD
from services.adjuster.wording import FILTERS
from services.core.auth import Principal

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
ASSETS = Path(__file__).with_name("assets")


def csrf_field(request: Request) -> Markup:
    """The hidden input a state-changing form sends back (services/adjuster/sessions.py checks it)."""
    token = request.scope.get(CSRF_FIELD)
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token())}">') if token else Markup("")


def nav(request: Request, who: Principal | None) -> str:
    """The navigation bar as HTML, for pages not rendered from base.html (the compliance report, the inventory)."""
    return templates.get_template("nav.html").render(request=request, who=who)


templates.env.globals.update(csrf_field=csrf_field, navigation=navigation)
templates.env.filters.update(FILTERS)
