"""The pages' Jinja templates, with the workbench's words as filters, and the packaged assets (the stylesheet)."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from services.adjuster.wording import FILTERS

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
templates.env.filters.update(FILTERS)
ASSETS = Path(__file__).with_name("assets")
