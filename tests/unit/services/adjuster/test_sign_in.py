"""Signing in with a local user: redirects, the session cookie's flags, CSRF on every form, navigation by role,
sign-out, and a disabled user's session ending."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from services.adjuster.api import create_app
from services.adjuster.outbox import Outbox
from services.adjuster.queue import QueueStore
from services.adjuster.sessions import SESSION_COOKIE, SignIn
from services.adjuster.signin import safe_next
from services.adjuster.users import UserStore
from services.app.stages import order
from services.core.audit import AuditLog
from services.core.auth import Role
from services.core.bus.memory import MemoryBus
from services.core.settings import OidcSettings
from services.core.store import ClaimStore
from tests.unit.services.adjuster.conftest import SECRET, Clock, fill, token
from tests.unit.services.core.audit_cases import START

PASSWORD = "a long enough password"
CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')


class Workbench:
    def __init__(self, tmp_path, sample_claims, oidc: OidcSettings | None = None, base_url: str = "http://desk"):  # type: ignore[no-untyped-def]
        tmp_path.mkdir(parents=True, exist_ok=True)
        store = ClaimStore(f"sqlite:///{tmp_path / 'triage.db'}", order())
        queue = QueueStore(store.engine)
        self.users = UserStore(store.engine)
        self.claim_ids = fill(store, queue, sample_claims)
        app = create_app(
            queue=queue,
            cases=store,
            audit=AuditLog(store.engine),
            feedback=Outbox(store.engine, MemoryBus().publisher()),
            token_secret=SECRET,
            clock=Clock(START + timedelta(hours=1)),
            sign_in=SignIn(users=self.users, oidc=oidc),
        )
        self.client = TestClient(app, base_url=base_url, follow_redirects=False)

    def sign_in(self, username: str, password: str = PASSWORD, next_page: str | None = None):  # type: ignore[no-untyped-def]
        self.client.cookies.delete(SESSION_COOKIE)  # whoever was signed in on this browser before
        form = self.client.get("/login", params={"next": next_page} if next_page else {})
        data = {"username": username, "password": password, "csrftoken": csrf(form.text)}
        return self.client.post("/login", data=data | ({"next": next_page} if next_page else {}))


def csrf(page: str) -> str:
    found = CSRF.search(page)
    assert found is not None, "the page has no CSRF field"
    return found.group(1)


@pytest.fixture
def bench(tmp_path, sample_claims) -> Workbench:  # type: ignore[no-untyped-def]
    bench = Workbench(tmp_path, sample_claims)
    bench.users.add("alice", PASSWORD, [Role.ADJUSTER])
    bench.users.add("ann", PASSWORD, [Role.AUDITOR])
    bench.users.add("dana", PASSWORD, [Role.DATA_SCIENTIST])
    return bench


def test_a_page_without_a_session_redirects_to_sign_in_and_back(bench: Workbench) -> None:
    asked = bench.client.get("/queue", params={"desk": "general"})
    assert asked.status_code == 303 and asked.headers["location"] == "/login?next=%2Fqueue%3Fdesk%3Dgeneral"
    assert bench.client.get("/v1/queue").status_code == 401  # the API answers machines as before
    signed_in = bench.sign_in("alice", next_page="/queue?desk=general")
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/queue?desk=general"
    page = bench.client.get("/queue?desk=general")
    assert page.status_code == 200 and "<strong>alice</strong> (adjuster)" in page.text


def test_the_root_leads_to_sign_in_or_to_the_first_page_of_the_role(bench: Workbench) -> None:
    assert bench.client.get("/").headers["location"] == "/login"
    bench.sign_in("ann")
    assert bench.client.get("/").headers["location"] == "/audit"
    bench.sign_in("dana")
    assert bench.client.get("/").headers["location"] == "/models/inventory"


def test_a_wrong_password_or_unknown_user_is_refused_alike(bench: Workbench) -> None:
    wrong, unknown = bench.sign_in("alice", "not the password at all"), bench.sign_in("mallory")
    assert wrong.status_code == unknown.status_code == 401
    assert "wrong user name or password" in wrong.text and "wrong user name or password" in unknown.text
    assert SESSION_COOKIE not in bench.client.cookies


def test_the_session_cookie_is_httponly_samesite_and_secure_on_https(tmp_path, sample_claims) -> None:  # type: ignore[no-untyped-def]
    for base, secure in (("http://desk", False), ("https://desk", True)):
        bench = Workbench(tmp_path / base[:5], sample_claims, base_url=base)
        bench.users.add("alice", PASSWORD, [Role.ADJUSTER])
        cookies = bench.sign_in("alice").headers.get_list("set-cookie")
        session = next(c.lower() for c in cookies if c.startswith(f"{SESSION_COOKIE}="))
        assert "httponly" in session and "samesite=lax" in session and ("secure" in session) is secure
        assert PASSWORD not in session


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(bench: Workbench) -> None:
    bench.sign_in("alice")
    claim = bench.claim_ids[0]
    refused = bench.client.post(f"/cases/{claim}/take")
    assert refused.status_code == 403 and "Form refused" in refused.text
    forged = bench.client.post(f"/cases/{claim}/take", data={"csrftoken": "made-up"})
    assert forged.status_code == 403
    assert "Take this case" in bench.client.get(f"/cases/{claim}").text  # nobody holds it
    page = bench.client.get(f"/cases/{claim}")
    taken = bench.client.post(f"/cases/{claim}/take", data={"csrftoken": csrf(page.text)})
    assert taken.status_code == 303 and 'id="decision"' in bench.client.get(f"/cases/{claim}").text


def test_a_signed_in_adjuster_takes_and_decides_through_the_forms(bench: Workbench) -> None:
    bench.sign_in("alice")
    claim = bench.claim_ids[0]
    bench.client.post(f"/cases/{claim}/take", data={"csrftoken": csrf(bench.client.get(f"/cases/{claim}").text)})
    form = {"outcome": "approve", "amount": "1500", "csrftoken": csrf(bench.client.get(f"/cases/{claim}").text)}
    decided = bench.client.post(f"/cases/{claim}/decision", data=form)
    assert decided.status_code == 303 and decided.headers["location"] == f"/queue?decided={claim}"


def test_the_page_asked_for_survives_a_wrong_password(bench: Workbench) -> None:
    wrong = bench.sign_in("alice", "not the password at all", next_page="/queue?desk=general")
    assert 'name="next" value="/queue?desk=general"' in wrong.text and 'value="alice"' in wrong.text
    again = bench.client.post(
        "/login",
        data={"username": "alice", "password": PASSWORD, "next": "/queue?desk=general", "csrftoken": csrf(wrong.text)},
    )
    assert again.headers["location"] == "/queue?desk=general"


def test_sign_in_and_sign_out_forms_need_the_csrf_token_too(bench: Workbench) -> None:
    bench.client.get("/login")  # a browser that has been here has the CSRF cookie
    assert bench.client.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 403
    bench.sign_in("alice")
    assert bench.client.post("/logout").status_code == 403
    assert bench.client.get("/queue").status_code == 200


def test_machine_clients_with_a_bearer_token_need_no_csrf_token(bench: Workbench) -> None:
    claim = bench.claim_ids[0]
    answer = bench.client.post(f"/v1/cases/{claim}/take", headers=token("robot", Role.ADJUSTER))
    assert answer.status_code == 200


def test_navigation_shows_only_the_pages_the_role_opens(bench: Workbench) -> None:
    def nav_links(page: str) -> list[str]:
        nav = page[page.index("<nav") : page.index("</nav>")]  # the navigation bar comes first on every page
        return re.findall(r'<a href="(/[a-z/]+)"', nav)

    bench.sign_in("alice")
    assert nav_links(bench.client.get("/queue").text) == ["/queue"]
    bench.sign_in("ann")
    assert nav_links(bench.client.get("/audit").text) == ["/audit", "/compliance/report", "/models/inventory"]
    refused = bench.client.get("/queue")
    assert refused.status_code == 403 and "ann cannot open this page" in refused.text


def test_signing_out_ends_the_session(bench: Workbench) -> None:
    bench.sign_in("alice")
    page = bench.client.get("/queue")
    out = bench.client.post("/logout", data={"csrftoken": csrf(page.text)})
    assert out.status_code == 303 and out.headers["location"] == "/login?signed_out=1"
    assert bench.client.get("/queue").status_code == 303
    assert "You are signed out" in bench.client.get("/login?signed_out=1").text


def test_disabling_a_user_ends_their_open_session(bench: Workbench) -> None:
    bench.sign_in("alice")
    assert bench.client.get("/queue").status_code == 200
    bench.users.disable("alice")
    assert bench.client.get("/queue").headers["location"].startswith("/login")


def test_a_tampered_session_cookie_is_no_session(bench: Workbench) -> None:
    bench.sign_in("ann")
    signed = bench.client.cookies[SESSION_COOKIE]
    _, _, signature = signed.partition(".")
    # Someone rewrites the payload to claim alice's session, keeping ann's signature.
    forged = base64.b64encode(json.dumps({"user": "alice", "via": "local", "roles": ["adjuster"]}).encode()).decode()
    cookie = next(c for c in bench.client.cookies.jar if c.name == SESSION_COOKIE)
    cookie.value = f"{forged}.{signature}"
    assert bench.client.get("/queue").status_code == 303
    cookie.value = signed
    assert bench.client.get("/audit").status_code == 200


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        ("/queue?desk=general", True),
        ("/cases/C-1", True),
        ("//evil.example/queue", False),
        ("/\\evil.example", False),
        ("https://evil.example/", False),
        ("queue", False),
        (None, False),
    ],
)
def test_only_a_path_of_this_site_is_followed_after_sign_in(target: str | None, kept: bool) -> None:
    assert safe_next(target) == (target if kept else None)


def test_the_sign_in_page_offers_the_identity_provider_when_configured(tmp_path, sample_claims) -> None:  # type: ignore[no-untyped-def]
    oidc = OidcSettings(issuer="http://127.0.0.1:9/realms/claims", provider_name="Keycloak", local_users=False)
    bench = Workbench(tmp_path, sample_claims, oidc=oidc)
    page = bench.client.get("/login", params={"next": "/audit"})
    assert 'href="/login/oidc?next=/audit"' in page.text and "Sign in with Keycloak" in page.text
    assert 'name="password"' not in page.text  # local users are switched off
    unreachable = bench.client.get("/login/oidc")  # nothing listens on port 9: the person is told so
    assert unreachable.status_code == 502 and "Keycloak at http://127.0.0.1:9/realms/claims did not answer" in (
        unreachable.text
    )
