"""Sessions, CSRF, security headers, sign-in throttling, SSO header mode, escaping."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from riskscreen import Engine
from riskscreen.web.security import SESSION_COOKIE
from tests.web.conftest import ENGAGEMENT, PASSWORD, Service, make_service


def _create(service: Service, who: str = "officer", **changes: object) -> int:
    response = service.api(who).post("/api/v1/engagements", json=dict(ENGAGEMENT, **changes))
    assert response.status_code == 201, response.text
    engagement_id: int = response.json()["id"]
    return engagement_id


def test_security_headers_and_nonce(service: Service) -> None:
    response = service.browser().get("/sign-in")
    csp = response.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "script-src 'self' 'nonce-" in csp
    scripts = re.findall(r"<script([^>]*)>", response.text)
    assert scripts and all(f'nonce="{nonce.group(1)}"' in s or "src=" in s for s in scripts)
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_session_cookie_flags(service: Service) -> None:
    cookie = TestClient(service.app).get("/sign-in").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    secure = TestClient(service.app, base_url="https://testserver").get("/sign-in").headers["set-cookie"]
    assert "Secure" in secure and "HttpOnly" in secure


def test_csrf_fails_closed(service: Service) -> None:
    browser = service.browser("officer")
    refused = browser.post("/engagements/new", csrf=False)
    assert refused.status_code == 403 and "Your form has expired" in refused.text
    assert "frame-ancestors 'none'" in refused.headers["content-security-policy"]
    assert browser.post("/engagements/new", {"csrf_token": "0" * 64}).status_code == 403
    assert browser.post("/engagements/new", csrf=False,
                        headers={"X-CSRF-Token": browser.csrf}).status_code == 303
    assert browser.post("/engagements/new").status_code == 303
    stranger = TestClient(service.app)  # no session cookie at all
    assert stranger.post("/sign-in", data={"email": "a", "password": "b", "csrf_token": "x"}).status_code == 403
    upload = browser.client.post("/registers/upload", files={"register": ("r.yaml", b"[]")})
    assert upload.status_code == 403
    assert browser.client.post("/engagements/new", content=b"{}",
                               headers={"content-type": "application/json"}).status_code == 403


def test_oversized_request_is_refused(service: Service) -> None:
    browser = service.browser("officer")
    limit = service.app.state.service.settings.max_body_bytes
    response = browser.post("/registers/upload", files={"register": ("r.csv", b"x" * (limit + 10))})
    assert response.status_code == 413


def test_sign_in_rotates_session_and_sign_out_ends_it(service: Service) -> None:
    browser = service.browser()
    anonymous = browser.client.cookies.get(SESSION_COOKIE)
    response = browser.post("/sign-in", {"email": "officer@leeds.example", "password": PASSWORD,
                                          "next": "/engagements?tier=stop"})
    assert response.status_code == 303 and response.headers["location"] == "/engagements?tier=stop"
    signed_in = browser.client.cookies.get(SESSION_COOKIE)
    assert signed_in != anonymous
    assert browser.get("/engagements").status_code == 200
    assert browser.post("/sign-out").status_code == 303
    assert browser.get("/engagements").headers["location"] == "/sign-in?next=/engagements"
    browser.client.cookies.set(SESSION_COOKIE, signed_in, domain="testserver.local")  # the old cookie is dead server-side
    assert browser.get("/engagements").status_code == 303


def test_sign_in_errors_and_open_redirects(service: Service) -> None:
    browser = service.browser()
    empty = browser.post("/sign-in", {"email": "", "password": ""})
    assert empty.status_code == 400
    assert '<a href="#email">Enter your email address</a>' in empty.text
    assert '<a href="#password">Enter your password</a>' in empty.text
    assert "<title>Error: Sign in" in empty.text
    wrong = browser.post("/sign-in", {"email": "officer@leeds.example", "password": "not the password"})
    assert wrong.status_code == 400 and "Enter a correct email address and password" in wrong.text
    unknown = browser.post("/sign-in", {"email": "nobody@leeds.example", "password": "whatever it is"})
    assert "Enter a correct email address and password" in unknown.text  # no account enumeration
    evil = browser.post("/sign-in", {"email": "officer@leeds.example", "password": PASSWORD,
                                     "next": "//evil.example/"})
    assert evil.headers["location"] == "/"


def test_sign_in_throttled_after_repeated_failures(service: Service) -> None:
    browser = service.browser()
    for attempt in range(5):
        browser.post("/sign-in", {"email": "admin@leeds.example", "password": f"guess number {attempt}"})
    blocked = browser.post("/sign-in", {"email": "admin@leeds.example", "password": PASSWORD})
    assert blocked.status_code == 429 and "Too many failed attempts" in blocked.text


def test_password_field_allows_paste_and_managers(service: Service) -> None:
    page = service.browser().get("/sign-in").text
    assert 'autocomplete="current-password"' in page and 'autocomplete="username"' in page
    assert "onpaste" not in page


def test_anonymous_pages_redirect_to_sign_in(service: Service) -> None:
    browser = service.browser()
    response = browser.get("/engagements?q=x")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/engagements%3Fq%3Dx"


def test_trusted_header_mode(sqlite_url: str, engine: Engine) -> None:
    sso = make_service(sqlite_url, engine, trusted_header="X-Remote-User")
    client = TestClient(sso.app)
    assert client.get("/engagements", headers={"X-Remote-User": "officer@leeds.example"}).status_code == 200
    assert client.get("/engagements", follow_redirects=False).status_code == 303
    unknown = client.get("/engagements", headers={"X-Remote-User": "nobody@x.example"},
                         follow_redirects=True)
    assert "single sign-on" in unknown.text


def test_header_is_ignored_unless_trusted_mode_is_on(service: Service) -> None:
    client = TestClient(service.app)
    response = client.get("/engagements", headers={"X-Remote-User": "officer@leeds.example"},
                          follow_redirects=False)
    assert response.status_code == 303


def test_user_input_is_escaped(service: Service) -> None:
    engagement_id = _create(service, title="<script>alert(1)</script>")
    page = service.browser("officer").get(f"/engagements/{engagement_id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_disabled_user_is_signed_out(service: Service) -> None:
    from riskscreen.store.accounts import disable_user, require_user

    browser = service.browser("officer")
    assert browser.get("/engagements").status_code == 200
    with service.store.session() as session:
        disable_user(session, require_user(session, "officer@leeds.example"))
    assert browser.get("/engagements").status_code == 303


def test_change_password_and_tokens_page(service: Service) -> None:
    browser = service.browser("officer")
    wrong = browser.post("/account/password", {"current": "nope", "new": "a much longer passphrase"})
    assert wrong.status_code == 400 and "Enter your current password correctly" in wrong.text
    weak = browser.post("/account/password", {"current": PASSWORD, "new": "short"})
    assert weak.status_code == 400 and "12 characters or more" in weak.text
    done = browser.post("/account/password", {"current": PASSWORD, "new": "a much longer passphrase"})
    assert done.status_code == 303 and browser.get("/account").status_code == 200
    created = browser.post("/account/tokens", {"name": "CI pipeline"})
    token = re.search(r'<code id="new-token">(rs_[^<]+)</code>', created.text)
    assert token is not None
    api = TestClient(service.app, headers={"Authorization": f"Bearer {token.group(1)}"})
    assert api.get("/api/v1/engagements").status_code == 200
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', created.text)
    assert token_id is not None
    assert browser.post(f"/account/tokens/{token_id.group(1)}/revoke").status_code == 303
    assert api.get("/api/v1/engagements").status_code == 401
    assert browser.post(f"/account/tokens/{token_id.group(1)}/revoke").status_code == 404
    nameless = browser.post("/account/tokens", {"name": "  "})
    assert nameless.status_code == 400 and "Enter a name for the token" in nameless.text


def test_unexpected_errors_show_no_traceback(service: Service, monkeypatch: object) -> None:
    from riskscreen.web.routes import api as api_routes
    from riskscreen.web.routes import engagements

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(engagements, "list_engagements", broken)  # type: ignore[attr-defined]
    monkeypatch.setattr(api_routes, "list_engagements", broken)  # type: ignore[attr-defined]
    browser = service.browser("officer")
    browser.client = TestClient(service.app, raise_server_exceptions=False, cookies=browser.client.cookies)
    page = browser.get("/engagements")
    assert page.status_code == 500 and "Sorry, there is a problem with the service" in page.text
    assert "secret internals" not in page.text and "Traceback" not in page.text
    api = service.api("officer")
    api_client = TestClient(service.app, raise_server_exceptions=False, headers=dict(api.headers))
    failed = api_client.get("/api/v1/engagements")
    assert failed.status_code == 500 and failed.headers["content-type"] == "application/problem+json"
    assert "secret internals" not in failed.text
