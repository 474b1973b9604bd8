"""/docs and /redoc work without the internet: their pages load only what the API itself serves, from the files a
package installed; the FNOL schema carries the example intake systems can start from."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.core.events import FNOL

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "fnol" / "motor.json"
REFERENCE = re.compile(r"""(?:src|href|spec-url)=["']([^"']+)["']|url:\s*["']([^"']+)["']""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_load_only_local_assets_and_the_api_serves_them(client: TestClient, page: str) -> None:
    html = client.get(page)
    assert html.status_code == 200
    assert "//" not in re.sub(r"window\.location\.origin \+ '[^']*'", "", _code(html.text)), "a remote reference"
    references = [a or b for a, b in REFERENCE.findall(html.text)]
    assert "/openapi.json" in references
    scripts = [r for r in references if r.endswith(".js")]
    assert scripts, "no script: the page could not render"
    for reference in references:
        asset = client.get(reference)
        assert asset.status_code == 200, reference
        if reference.endswith(".js"):
            assert len(asset.content) > 100_000, f"{reference} is not the bundled UI"


def _code(html: str) -> str:
    """The page without its comments (they name no resource)."""
    return re.sub(r"<!--.*?-->", "", html, flags=re.S)


def test_the_fnol_schema_carries_the_motor_example_it_validates(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["FNOL"]
    [example] = schema["examples"]
    assert example == json.loads(EXAMPLE.read_text())
    FNOL.model_validate(example)
