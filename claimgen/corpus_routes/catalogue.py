"""Every template: which route produces it, which kind of document it holds, for which
countries, and how many documents it makes. A route's every third template is held out: the
holdout set is made only of templates the dev set never uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claimgen.corpus_routes import producers as make
from claimgen.corpus_routes.producers import Producer


@dataclass(frozen=True)
class Template:
    route: str
    name: str
    kind: str
    countries: tuple[str, ...]
    producer: Producer
    count: int = 3
    line: str = ""  # motor or property; empty: the kind decides
    glyphs: str = "unicode"  # what the producer's fonts show (see style.draw_style)
    bare_money: bool = False


def _route(route: str, *templates: tuple[Any, ...]) -> list[Template]:
    return [Template(route, *fields) for fields in templates]


OFFICE = _route(
    "office",
    ("fnol-grid4", "loss_notice", ("GB", "US", "IN", "CA"), make.word("grid4"), 4, "motor"),
    ("quote-above", "garage_quote", ("DE", "FR", "GB"), make.word("above"), 3),
    ("invoice-twocol", "invoice", ("DE", "US", "FR"), make.word("twocol"), 3),
    ("medical-odt", "medical_bill", ("US", "GB", "CA"), make.opendocument(), 2),
    ("estimate-grid4", "repair_estimate", ("US", "IN", "DE"), make.word("grid4"), 3),
    ("valuation-odt", "total_loss_valuation", ("US", "CA", "GB"), make.opendocument(), 2),
    ("crash-stateform", "crash_report", ("US", "CA"), make.word("stateform"), 2),
    ("property-twocol", "loss_notice", ("FR", "DE", "US"), make.word("twocol"), 2, "property"),
    ("police-above", "police_report", ("GB", "DE", "FR"), make.word("above"), 3),
    ("notice-plain-odt", "minimal_notice", ("US", "GB"), make.opendocument(), 2, "", "unicode", True),
)
HTML = _route(
    "html",
    ("fnol-webform", "loss_notice", ("US", "IN", "CA"), make.web_page("webform"), 3, "motor"),
    ("quote-cards", "garage_quote", ("GB", "FR", "US", "IN"), make.web_page("quote"), 4),
    ("contractor-webform", "contractor_estimate", ("US", "GB", "DE"), make.web_page("webform"), 3),
    ("police-report", "police_report", ("US", "GB", "DE"), make.web_page("report"), 3),
    ("medical-cards", "medical_bill", ("IN", "FR", "US"), make.web_page("quote"), 3),
    ("receipt-slip", "receipt", ("US", "CA", "DE"), make.web_page("receipt"), 3),
    ("fire-report", "fire_report", ("US", "CA", "FR"), make.web_page("report"), 3),
    ("valuation-stateform", "total_loss_valuation", ("US", "GB"), make.web_page("stateform"), 2),
    ("estimate-webform", "repair_estimate", ("CA", "GB", "IN"), make.web_page("webform"), 3),
)
PANDOC = _route(
    "pandoc",
    ("letter-html", "fnol_letter", ("US", "FR", "DE"), make.markdown("html"), 3, "motor"),
    ("invoice-table-docx", "invoice", ("FR", "DE", "IN"), make.markdown("docx", "table"), 3),
    ("narrative-html", "narrative_claim", ("DE", "FR", "US"), make.markdown("html", "bullets"), 3, "property"),
    ("letter-docx", "fnol_letter", ("DE", "FR", "CA"), make.markdown("docx"), 3, "motor"),
    ("contractor-bullets-html", "contractor_estimate", ("US", "GB"), make.markdown("html", "bullets"), 2),
    ("quote-table-html", "garage_quote", ("GB", "DE", "US"), make.markdown("html", "table"), 3),
    ("narrative-docx", "narrative_claim", ("US", "GB", "FR"), make.markdown("docx"), 2, "property"),
    ("email-docx", "fnol_email", ("GB", "US", "IN"), make.markdown("docx"), 3, "motor"),
)
REPORTLAB = _route(
    "reportlab",
    ("fnol-leaders", "loss_notice", ("US", "GB", "DE"), make.canvas("leaders"), 3, "", "latin1"),
    ("contractor-ruled", "contractor_estimate", ("US", "CA", "DE"), make.ruled_tables(), 2, "", "latin1"),
    ("fnol-split-pages", "loss_notice", ("US", "IN", "GB"), make.canvas("split"), 3, "motor", "latin1"),
    ("fnol-acord-inr", "loss_notice", ("IN",), make.canvas("acord"), 3, "motor", "latin1"),
    ("valuation-leaders", "total_loss_valuation", ("US", "GB"), make.canvas("leaders"), 2, "", "latin1"),
    ("crash-acord", "crash_report", ("US", "IN"), make.canvas("acord"), 2, "", "latin1"),
    ("receipt-till", "receipt", ("US", "GB", "IN", "FR"), make.canvas("slip"), 3, "", "latin1"),
    ("invoice-ruled", "invoice", ("DE", "FR"), make.ruled_tables(), 2, "", "latin1"),
    ("medical-leaders", "medical_bill", ("US", "CA"), make.canvas("leaders"), 2, "", "latin1"),
)
ACROFORM = _route(
    "acroform",
    ("two-vehicle", "two_vehicle_notice", ("US", "CA", "GB"), make.acroform("twovehicle"), 3, "", "latin1-fields"),
    ("fnol-beside", "loss_notice", ("GB", "IN"), make.acroform("beside"), 2, "motor", "latin1-fields"),
    ("fnol-above-eu", "loss_notice", ("FR", "DE"), make.acroform("above"), 3, "motor", "latin1-fields"),
    ("property-above", "loss_notice", ("US", "DE"), make.acroform("above"), 2, "property", "latin1-fields"),
    ("quote-beside", "garage_quote", ("US", "FR"), make.acroform("beside"), 2, "", "latin1-fields"),
    (
        "two-vehicle-above",
        "two_vehicle_notice",
        ("IN", "DE"),
        make.acroform("twovehicle-above"),
        2,
        "",
        "latin1-fields",
    ),
)
OUTLINED = _route(
    "outlined",
    ("curves-fnol-webform", "loss_notice", ("US", "IN"), make.outlined(make.web_page("webform")), 2, "motor"),
    ("curves-quote-above", "garage_quote", ("DE", "GB"), make.outlined(make.word("above")), 2),
    ("curves-invoice-twocol", "invoice", ("FR", "US"), make.outlined(make.word("twocol")), 2),
    ("faxed-quote-cards", "garage_quote", ("US", "FR"), make.scanned_behind_cover(make.web_page("quote")), 2),
    ("png-receipt-till", "receipt", ("US", "GB"), make.page_image(make.canvas("slip"), "png"), 2, "", "latin1"),
    (
        "jpeg-fire-leaders",
        "fire_report",
        ("US", "CA"),
        make.page_image(make.canvas("leaders"), "jpeg"),
        2,
        "",
        "latin1",
    ),
    ("fax-medical-odt", "medical_bill", ("US", "GB"), make.page_image(make.opendocument(), "fax"), 2),
    ("jpeg-quote-cards", "garage_quote", ("GB", "IN"), make.page_image(make.web_page("quote"), "jpeg"), 2),
    ("faxed-police-above", "police_report", ("GB", "DE"), make.scanned_behind_cover(make.word("above")), 2),
)
TEMPLATES: tuple[Template, ...] = (*OFFICE, *HTML, *PANDOC, *REPORTLAB, *ACROFORM, *OUTLINED)
ROUTES = ("office", "html", "pandoc", "reportlab", "acroform", "outlined")


def in_set(template: Template, corpus_set: str) -> bool:
    """Whether `template` belongs to the `dev` or the `holdout` set: every third of its route is held out."""
    position = [t for t in TEMPLATES if t.route == template.route].index(template)
    return (position % 3 == 2) == (corpus_set == "holdout")


def templates(corpus_set: str) -> tuple[Template, ...]:
    return tuple(template for template in TEMPLATES if in_set(template, corpus_set))
