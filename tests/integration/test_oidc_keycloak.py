"""OpenID Connect sign-in against the real Keycloak that scripts/keycloak.sh starts: the authorization-code flow
with PKCE, driven as a browser would (Keycloak's own login form), roles from the realm, and sign-out."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from claimgen.fnol import GeneratedClaim
from tests.integration.workbench import REALM, keycloak_settings, running_workbench

pytestmark = pytest.mark.keycloak
LOGIN_FORM = re.compile(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"')
CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')


def browser_client() -> httpx.Client:
    """An HTTP client with a browser's cookie handling, following no redirect by itself."""
    client = httpx.Client(timeout=30)

    def loopback_is_secure(_: httpx.Response) -> None:
        # Keycloak marks its cookies Secure; browsers send those to http://127.0.0.1 too (a secure context), and
        # Python's cookie jar would not.
        for cookie in client.cookies.jar:
            cookie.secure = cookie.secure and cookie.domain != "127.0.0.1"

    client.event_hooks["response"] = [loopback_is_secure]
    return client


@pytest.fixture
def workbench(tmp_path: Path, sample_claims: list[GeneratedClaim], keycloak_url: str) -> Iterator[str]:
    with running_workbench(tmp_path, sample_claims, keycloak_settings(keycloak_url)) as (base, _, _):
        yield base


def keycloak_login_form(browser: httpx.Client, base: str, after: str | None = None) -> tuple[str, httpx.Response]:
    """Follow "Sign in with Keycloak" to Keycloak's login form; its action URL and the redirect that led there."""
    redirect = browser.get(f"{base}/login/oidc", params={"next": after} if after else {})
    assert redirect.status_code == 302
    page = browser.get(redirect.headers["location"])
    assert page.status_code == 200, page.text
    form = LOGIN_FORM.search(page.text)
    assert form is not None, "no login form on Keycloak's page"
    return html.unescape(form.group(1)), redirect


def sign_in(browser: httpx.Client, base: str, username: str, password: str, after: str | None = None) -> httpx.Response:
    """The whole flow: workbench -> Keycloak's form -> credentials -> callback with the code -> workbench."""
    action, _ = keycloak_login_form(browser, base, after)
    back = browser.post(action, data={"username": username, "password": password, "credentialId": ""})
    assert back.status_code == 302, back.text
    callback = back.headers["location"]
    assert callback.startswith(f"{base}/login/oidc/callback?") and "code=" in callback
    return browser.get(callback)


def test_the_authorization_request_carries_a_pkce_challenge_and_keycloak_requires_one(
    workbench: str, keycloak_url: str
) -> None:
    with browser_client() as browser:
        _, redirect = keycloak_login_form(browser, workbench)
        query = parse_qs(urlsplit(redirect.headers["location"]).query)
        assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
        assert query["response_type"] == ["code"] and "openid" in query["scope"][0].split()
        without = {k: v[0] for k, v in query.items() if not k.startswith("code_challenge")}
        refused = browser.get(f"{keycloak_url}/realms/{REALM}/protocol/openid-connect/auth", params=without)
    assert refused.status_code in (302, 400)
    assert "code_challenge" in refused.headers.get("location", "") + refused.text  # "Missing parameter: ..."


def test_an_adjuster_signs_in_with_keycloak_and_gets_the_realm_roles(workbench: str) -> None:
    with browser_client() as browser:
        landed = sign_in(browser, workbench, "ada", "ada-keycloak-password", after="/queue?desk=general")
        assert landed.status_code == 303 and landed.headers["location"] == "/queue?desk=general"
        cookie = next(c for c in landed.headers.get_list("set-cookie") if c.startswith("triage_session="))
        assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower() and "secure" not in cookie.lower()
        assert len(cookie.split(";")[0]) < 4096  # browsers drop larger cookies
        queue = browser.get(f"{workbench}/queue")
        assert queue.status_code == 200
        assert "<strong>ada</strong> (adjuster)" in queue.text
        assert 'href="/queue"' in queue.text and 'href="/audit"' not in queue.text  # nav by role
        assert browser.get(f"{workbench}/audit").status_code == 403


def test_a_supervisor_and_an_auditor_get_their_own_roles_and_pages(workbench: str) -> None:
    with browser_client() as browser:
        assert sign_in(browser, workbench, "sam", "sam-keycloak-password").status_code == 303
        page = browser.get(f"{workbench}/audit")
        assert page.status_code == 200 and "<strong>sam</strong> (adjuster, supervisor)" in page.text
    with browser_client() as browser:
        landed = sign_in(browser, workbench, "aud", "aud-keycloak-password")
        assert landed.headers["location"] == "/audit"  # no page asked for: the first one an auditor may open
        assert browser.get(f"{workbench}/queue").status_code == 403
        assert browser.get(f"{workbench}/audit").status_code == 200


def test_a_person_without_a_workbench_role_is_not_signed_in(workbench: str) -> None:
    with browser_client() as browser:
        refused = sign_in(browser, workbench, "nobody", "nobody-keycloak-password")
        assert refused.status_code == 403 and "has no role in claims triage" in refused.text
        assert browser.get(f"{workbench}/queue").headers["location"].startswith("/login")


def test_a_callback_without_the_flows_state_is_refused(workbench: str) -> None:
    with browser_client() as browser:
        action, _ = keycloak_login_form(browser, workbench)
        back = browser.post(action, data={"username": "ada", "password": "ada-keycloak-password"})
        browser.cookies.delete("triage_session")  # another browser: it never started this sign-in
        replayed = browser.get(back.headers["location"])
        assert replayed.status_code == 403 and "did not sign you in" in replayed.text
        assert browser.get(f"{workbench}/queue").status_code == 303


def test_signing_out_ends_the_keycloak_session_too(workbench: str) -> None:
    with browser_client() as browser:
        sign_in(browser, workbench, "ada", "ada-keycloak-password")
        token = CSRF.search(browser.get(f"{workbench}/queue").text)
        assert token is not None
        out = browser.post(f"{workbench}/logout", data={"csrftoken": token.group(1)})
        assert out.status_code == 302 and "/protocol/openid-connect/logout" in out.headers["location"]
        assert "id_token_hint=" in out.headers["location"]
        back = browser.get(out.headers["location"])
        assert back.status_code == 302 and back.headers["location"].startswith(f"{workbench}/login?signed_out=1")
        assert browser.get(f"{workbench}/queue").status_code == 303
        # Keycloak asks for the password again: its own session ended with the workbench's.
        keycloak_login_form(browser, workbench)
