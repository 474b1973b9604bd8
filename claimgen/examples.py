"""The example documents in examples/documents, rendered from the example FNOLs in examples/fnol by this project's
own generator (deterministic: the same FNOL gives the same bytes). Regenerate after changing an example FNOL:

    python3 -m claimgen.examples [--folder examples]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from claimgen.documents import Item, loss_notice_pdf, medical_bill_pdf, police_report_pdf, repair_estimate_pdf
from services.core.events import FNOL

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Each example's line items add up to the amount its FNOL claims.
MOTOR_REPAIRS: list[Item] = [
    ("Front bumper cover", 500.94),
    ("Headlamp assembly", 283.89),
    ("Hood panel", 624.21),
    ("Labour 6.5 h", 602.41),
    ("Radiator support", 565.19),
]
CLINIC: list[Item] = [
    ("Emergency department visit", 1184.0),
    ("Cervical spine X-ray", 412.97),
    ("Physiotherapy", 337.0),
]
KITCHEN_REPAIRS: list[Item] = [
    ("Fire debris removal and cleaning", 1850.0),
    ("Kitchen cabinets, supply and fit", 7420.0),
    ("Ceiling drywall and paint", 2930.0),
    ("Smoke odour treatment, living room", 1150.0),
    ("Electrical inspection and rewiring", 1500.0),
]
Render = Callable[[FNOL], bytes]
DOCUMENTS: dict[str, dict[str, Render]] = {
    "motor": {
        "loss-notice": loss_notice_pdf,
        "repair-estimate": lambda fnol: repair_estimate_pdf(fnol, MOTOR_REPAIRS),
        "police-report": police_report_pdf,
    },
    "motor-third-party-injury": {
        "loss-notice": loss_notice_pdf,
        "medical-bill": lambda fnol: medical_bill_pdf(fnol, CLINIC),
    },
    "property-fire": {
        "loss-notice": loss_notice_pdf,
        "repair-estimate": lambda fnol: repair_estimate_pdf(fnol, KITCHEN_REPAIRS),
    },
}


def example_documents(folder: Path = EXAMPLES) -> dict[str, bytes]:
    """Each example document by file name (`motor-loss-notice.pdf`), rendered from its FNOL in `folder`/fnol."""
    rendered = {}
    for example, documents in DOCUMENTS.items():
        fnol = FNOL.model_validate_json((folder / "fnol" / f"{example}.json").read_bytes())
        for kind, render in documents.items():
            rendered[f"{example}-{kind}.pdf"] = render(fnol)
    return rendered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=EXAMPLES, help="the examples folder (fnol/ in it is read)")
    folder = parser.parse_args().folder
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    for name, content in example_documents(folder).items():
        (folder / "documents" / name).write_bytes(content)
        print(f"wrote {folder / 'documents' / name} ({len(content)} bytes)")


if __name__ == "__main__":
    main()
