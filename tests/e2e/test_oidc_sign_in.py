"""Signing in with Keycloak in Debian's headless Chromium: the workbench's button, Keycloak's own page, back with
the realm's roles, and signing out of both."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgen.fnol import GeneratedClaim
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.integration.workbench import keycloak_settings, running_workbench

pytestmark = [pytest.mark.browser, pytest.mark.keycloak]


def test_an_adjuster_signs_in_with_keycloak_in_the_browser_and_out_again(
    chromium_path: str,
    keycloak_url: str,
    sample_claims: list[GeneratedClaim],
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with (
        running_workbench(tmp_path, sample_claims, keycloak_settings(keycloak_url)) as (base, _, _),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{base}/queue")
        page.click("#oidc")  # "Sign in with Keycloak"
        assert page.url.startswith(f"{keycloak_url}/realms/claims/protocol/openid-connect/auth?")
        page.fill("#username", "sam")
        page.fill("#password", "sam-keycloak-password")
        page.click("#kc-login")
        page.wait_for_url(f"{base}/queue")
        expect(page.locator("nav strong")).to_have_text("sam")
        expect(page.locator("nav a")).to_have_text(["Queue", "Decision log", "Compliance report", "Model inventory"])
        expect(page.locator("#queue tbody tr")).to_have_count(6)
        page.screenshot(path=str(tmp_path / "signed-in.png"))
        page.click("#signout")
        page.wait_for_url(f"{base}/login?signed_out=1*")
        expect(page.locator("#signed-out")).to_be_visible()
        page.click("#oidc")  # Keycloak's session ended too: it asks for the password again
        expect(page.locator("#kc-login")).to_be_visible()
        browser.close()
