"""Every route, walked as an anonymous visitor, an officer of another organisation and each role.

Who may do what is decided in riskscreen.store.permissions; this test pins the outcome for every
route the app serves (a new route fails the test until its row is added), so an engagement of
one organisation can never be read or changed by another (no IDOR): they get 404, not 403.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

from riskscreen import Engine
from riskscreen.store.accounts import create_token, require_user
from riskscreen.store.engagements import apply_transition, create_engagement, record_screening
from riskscreen.web.app import routers
from riskscreen.web.templating import safe_filename
from tests.web.conftest import ENGAGEMENT, Browser, Service

ACTORS = ("anonymous", "officer", "admin", "reviewer", "other_officer", "auditor")
OWNERS = {"officer", "admin"}  # the engagement's organisation (Leeds)


@dataclass
class World:
    draft: int
    draft_reference: str
    submitted: int
    screening: int
    token: int
    officer: int


_numbers = itertools.count()


def _world(service: Service, result: Any) -> World:
    with service.store.session() as session:
        officer = require_user(session, "officer@leeds.example")
        officer.active = True  # an earlier row may have disabled them; submitting needs an active officer
        draft = create_engagement(session, officer, dict(ENGAGEMENT, id=f"D-{next(_numbers)}"))
        screening = record_screening(session, draft, result, officer)
        submitted = create_engagement(session, officer, dict(ENGAGEMENT, id=f"S-{next(_numbers)}"))
        record_screening(session, submitted, result, officer)
        apply_transition(session, submitted, "submit", officer)
        token, _ = create_token(session, officer, "matrix")
        return World(draft.id, draft.reference, submitted.id, screening.id, token.id, officer.id)


def page(signed_in: int, anonymous: int = 303, **by_actor: int) -> dict[str, int]:
    return {actor: by_actor.get(actor, anonymous if actor == "anonymous" else signed_in) for actor in ACTORS}


def own(ok: int, reviewer: int = 404, anonymous: int = 303, auditor: int | None = None) -> dict[str, int]:
    """Owners get ``ok``; the reviewer ``reviewer``; another organisation 404; the auditor, who
    sees everything and changes nothing, ``ok`` unless told (403 for every change)."""
    return page(ok, anonymous=anonymous, reviewer=reviewer, other_officer=404,
                auditor=ok if auditor is None else auditor)


# (method, path template) -> (path to request, form data, expected status per actor)
def expectations(w: World) -> dict[tuple[str, str], tuple[str, dict[str, Any], dict[str, int]]]:
    d = f"/engagements/{w.draft}"
    ref = safe_filename(w.draft_reference)
    a, sa = f"/api/v1/engagements/{w.draft}", f"/api/v1/engagements/{w.submitted}"
    api = {"anonymous": 401}
    return {
        ("GET", "/sign-in"): ("/sign-in", {}, page(303, anonymous=200)),
        ("POST", "/sign-in"): ("/sign-in", {}, page(400, anonymous=400)),
        ("POST", "/sign-out"): ("/sign-out", {}, page(303)),
        ("GET", "/"): ("/", {}, page(303)),
        ("GET", "/engagements"): ("/engagements", {}, page(200)),
        ("POST", "/engagements/new"): ("/engagements/new", {}, page(303, reviewer=403, auditor=403)),
        ("GET", "/engagements/{engagement_id:int}"): (d, {}, own(200)),
        ("GET", "/engagements/{engagement_id:int}/questions/{slug}"): (f"{d}/questions/partner", {}, own(200, auditor=403)),
        ("POST", "/engagements/{engagement_id:int}/questions/{slug}"): (
            f"{d}/questions/sectors", {"sectors": "culture"}, own(303, auditor=403)),
        ("GET", "/engagements/{engagement_id:int}/check"): (f"{d}/check", {}, own(200, auditor=403)),
        ("POST", "/engagements/{engagement_id:int}/screen"): (f"{d}/screen", {}, own(303, auditor=403)),
        ("GET", "/engagements/{engagement_id:int}/screenings/{screening_id:int}"): (
            f"{d}/screenings/{w.screening}", {}, own(200)),
        ("GET", "/engagements/{engagement_id:int}/download/{name}"): (f"{d}/download/{ref}.json", {}, own(200)),
        ("GET", "/engagements/{engagement_id:int}/{action}"): (f"{d}/submit", {}, own(200, auditor=403)),
        ("POST", "/engagements/{engagement_id:int}/{action}"): (f"{d}/submit", {}, own(303, auditor=403)),
        ("GET", "/registers/upload"): ("/registers/upload", {}, page(200, reviewer=403, auditor=403)),
        ("POST", "/registers/upload"): ("/registers/upload", {}, page(400, reviewer=403, auditor=403)),
        ("GET", "/account"): ("/account", {}, page(200)),
        ("POST", "/account/tokens"): ("/account/tokens", {"name": "x"}, page(200)),
        ("POST", "/account/tokens/{token_id:int}/revoke"): (
            f"/account/tokens/{w.token}/revoke", {}, page(404, officer=303)),
        ("POST", "/account/password"): ("/account/password", {"current": "wrong"}, page(400)),
        ("GET", "/admin/users"): ("/admin/users", {}, page(403, admin=200)),
        ("POST", "/admin/users"): (
            "/admin/users", {"email": f"new{w.draft}@leeds.example", "role": "officer"}, page(403, admin=200)),
        ("POST", "/admin/users/{user_id:int}/disable"): (
            f"/admin/users/{w.officer}/disable", {}, page(403, admin=200)),
        ("POST", "/admin/users/{user_id:int}/reset-password"): (
            f"/admin/users/{w.officer}/reset-password", {}, page(403, admin=200)),
        ("GET", "/api/docs"): ("/api/docs", {}, page(200, anonymous=200)),
        ("GET", "/accessibility"): ("/accessibility", {}, page(200, anonymous=200)),
        ("GET", "/api/openapi.json"): ("/api/openapi.json", {}, page(200, anonymous=200)),
        ("POST", "/api/v1/screen"): ("/api/v1/screen", ENGAGEMENT, page(200, **api)),
        ("GET", "/api/v1/engagements"): ("/api/v1/engagements", {}, page(200, **api)),
        ("POST", "/api/v1/engagements"): ("/api/v1/engagements", ENGAGEMENT, page(201, reviewer=403, auditor=403, **api)),
        ("GET", "/api/v1/engagements/{engagement_id}"): (a, {}, own(200, anonymous=401)),
        ("PUT", "/api/v1/engagements/{engagement_id}"): (
            a, dict(ENGAGEMENT, id=w.draft_reference), own(200, anonymous=401, auditor=403)),
        ("DELETE", "/api/v1/engagements/{engagement_id}"): (a, {}, own(409, anonymous=401, auditor=403)),
        ("POST", "/api/v1/engagements/{engagement_id}/screen"): (f"{a}/screen", {}, own(200, anonymous=401, auditor=403)),
        ("GET", "/api/v1/engagements/{engagement_id}/screenings"): (f"{a}/screenings", {}, own(200, anonymous=401)),
        ("GET", "/api/v1/engagements/{engagement_id}/screenings/{screening_id}"): (
            f"{a}/screenings/{w.screening}", {}, own(200, anonymous=401)),
        ("POST", "/api/v1/engagements/{engagement_id}/submit"): (f"{a}/submit", {}, own(200, anonymous=401, auditor=403)),
        # A draft cannot be reopened: owners get a conflict, everyone else what they always get.
        ("POST", "/api/v1/engagements/{engagement_id}/reopen"): (f"{a}/reopen", {}, own(409, anonymous=401, auditor=403)),
        # Reviewers see submitted engagements, but may not change them (403, not 404).
        ("POST", "/api/v1/engagements/{engagement_id}/withdraw"): (
            f"{sa}/withdraw", {}, own(200, reviewer=403, anonymous=401, auditor=403)),
        **review_expectations(w),
    }


def review_expectations(w: World) -> dict[tuple[str, str], tuple[str, dict[str, Any], dict[str, int]]]:
    """The reviewers' routes, on the submitted engagement of Leeds. The review page is for
    reviewers (and, read only, auditors): the engagement's own officers get 403, another
    organisation 404. Actions the state does not allow yet are refused (403), never ignored."""
    r = f"/review/{w.submitted}"
    e = f"/engagements/{w.submitted}"

    def review(reviewer: int, auditor: int = 403) -> dict[str, int]:
        return page(403, reviewer=reviewer, auditor=auditor, other_officer=404)

    return {
        ("GET", "/review"): ("/review", {}, page(403, reviewer=200, auditor=200)),
        ("GET", "/review/dashboard"): ("/review/dashboard", {}, page(403, reviewer=200, auditor=200, admin=200)),
        ("GET", "/review/{engagement_id:int}"): (r, {}, review(200, auditor=200)),
        ("POST", "/review/{engagement_id:int}/accept"): (f"{r}/accept", {}, review(303)),
        ("POST", "/review/{engagement_id:int}/request-information"): (
            f"{r}/request-information", {"note": "Who owns the partner?"}, review(303)),
        ("POST", "/review/{engagement_id:int}/decide"): (
            f"{r}/decide", {"kind": "approved", "reason": "Low risk"}, review(403)),
        ("POST", "/review/{engagement_id:int}/reopen"): (f"{r}/reopen", {"note": "again"}, review(403)),
        ("POST", "/review/{engagement_id:int}/waivers"): (f"{r}/waivers", {"waiver-reason": "ok"}, review(403)),
        ("POST", "/review/{engagement_id:int}/assign"): (f"{r}/assign", {"assignee": "me"}, review(303)),
        ("POST", "/review/{engagement_id:int}/conditions/{condition_id:int}/met"): (
            f"{r}/conditions/1/met", {}, review(403)),
        ("POST", "/review/{engagement_id:int}/comments"): (f"{r}/comments", {"body": "Noted"}, review(303)),
        ("GET", "/engagements/{engagement_id:int}/respond"): (f"{e}/respond", {}, page(403, other_officer=404)),
        ("POST", "/engagements/{engagement_id:int}/respond"): (
            f"{e}/respond", {"note": "Answer"}, page(403, other_officer=404)),
        ("POST", "/engagements/{engagement_id:int}/comments"): (
            f"{e}/comments", {"body": "Noted"}, page(303, other_officer=404, auditor=403)),
        ("GET", "/admin/rescreen"): ("/admin/rescreen", {}, page(403, admin=200)),
        ("GET", "/attention"): ("/attention", {}, page(200)),
        ("GET", "/audit"): ("/audit?verify=1", {}, page(403, admin=200, auditor=200)),
        ("GET", "/audit/export.jsonl"): ("/audit/export.jsonl", {}, page(403, admin=200, auditor=200)),
        ("GET", "/public-register"): ("/public-register", {}, page(404, anonymous=404)),  # off by default
        ("POST", "/engagements/{engagement_id:int}/publish"): (
            f"{e}/publish", {"public": "1"}, page(403, other_officer=404)),  # not decided yet
        ("GET", "/review/export/register.{fmt}"): ("/review/export/register.csv", {}, page(403, reviewer=200, auditor=200)),
        ("GET", "/review/export/waivers.yaml"): ("/review/export/waivers.yaml", {}, page(403, reviewer=200, auditor=200)),
        ("POST", "/admin/rescreen"): ("/admin/rescreen", {}, page(403, admin=303)),
        **review_api_expectations(w),
    }


def review_api_expectations(w: World) -> dict[tuple[str, str], tuple[str, dict[str, Any], dict[str, int]]]:
    """The reviewer's JSON API on the same submitted engagement: as the pages, with 401 for no
    token, and 409 (with what is allowed) for a reviewer's step the state does not allow yet."""
    r = f"/api/v1/review/{w.submitted}"

    def api(reviewer: int, auditor: int = 403) -> dict[str, int]:
        return page(403, anonymous=401, reviewer=reviewer, auditor=auditor, other_officer=404)

    return {
        ("GET", "/api/v1/review/queue"): ("/api/v1/review/queue", {}, page(403, anonymous=401, reviewer=200,
                                                                          auditor=200)),
        ("GET", "/api/v1/review/{engagement_id}"): (r, {}, api(200, auditor=200)),
        ("POST", "/api/v1/review/{engagement_id}/accept"): (f"{r}/accept", {}, api(200)),
        ("POST", "/api/v1/review/{engagement_id}/request-information"): (
            f"{r}/request-information", {"note": "Who owns the partner?"}, api(200)),
        ("POST", "/api/v1/review/{engagement_id}/decide"): (
            f"{r}/decide", {"kind": "approved", "reason": "Low risk"}, api(409)),
        ("POST", "/api/v1/review/{engagement_id}/waivers"): (
            f"{r}/waivers", {"reason": "Accepted", "expires": "2030-01-01"}, api(409)),
    }


@pytest.fixture(scope="module")
def result(engine: Engine) -> Any:
    return engine.screen(ENGAGEMENT, as_of=date(2026, 11, 22))


def _routes(service: Service) -> set[tuple[str, str]]:
    found = set()
    served = [r for r in service.app.routes if isinstance(r, Route)]  # the app's own (OpenAPI)
    for router, _ in routers():
        served += router.routes
    for route in served:
        assert isinstance(route, (APIRoute, Route))
        for method in route.methods or ():
            if method != "HEAD":
                found.add((method, route.path))
    return found


def _call(service: Service, actor: str, method: str, path: str, data: dict[str, Any]) -> int:
    if path.startswith("/api/v1/"):
        client = TestClient(service.app) if actor == "anonymous" else service.api(actor)
        response = client.request(method, path, json=data if method in ("POST", "PUT") and data else None)
        return response.status_code
    browser: Browser = service.browser(None if actor == "anonymous" else actor)
    if method == "GET":
        return int(browser.get(path).status_code)
    return int(browser.post(path, data).status_code)


def test_every_route_is_in_the_table(service: Service, result: Any) -> None:
    world = _world(service, result)
    assert _routes(service) == set(expectations(world))


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_for_each_actor(service: Service, result: Any, actor: str) -> None:
    failures = []
    for key in expectations(_world(service, result)):
        path, data, expected = expectations(_world(service, result))[key]  # fresh records each time
        method = key[0]
        status = _call(service, actor, method, path, data)
        if status != expected[actor]:
            failures.append(f"{actor} {method} {path}: {status}, expected {expected[actor]}")
    assert not failures, "\n".join(failures)


def test_reviewer_sees_submitted_engagements_of_other_organisations(service: Service, result: Any) -> None:
    world = _world(service, result)
    reviewer = service.browser("reviewer")
    assert reviewer.get(f"/engagements/{world.submitted}").status_code == 200
    assert reviewer.get(f"/engagements/{world.submitted}/questions/lead").status_code == 403
    assert reviewer.post(f"/engagements/{world.submitted}/withdraw").status_code == 403
    listing = reviewer.get("/engagements").text
    assert f'href="/engagements/{world.submitted}"' in listing
    assert f'href="/engagements/{world.draft}"' not in listing
    other = service.browser("other_officer")
    assert other.get(f"/engagements/{world.submitted}").status_code == 404
    assert f'href="/engagements/{world.submitted}"' not in other.get("/engagements").text


@pytest.mark.parametrize(("method", "path"), [("GET", "/engagements/99999"), ("GET", "/engagements/abc"),
                                              ("GET", "/engagements/1/questions/nope"),
                                              ("GET", "/engagements/1/nope"), ("POST", "/engagements/1/nope")])
def test_unknown_ids_and_pages_are_404(service: Service, result: Any, method: str, path: str) -> None:
    _world(service, result)
    browser = service.browser("officer")
    response = browser.get(path) if method == "GET" else browser.post(path)
    assert response.status_code == 404 and "Page not found" in response.text


def test_wrong_method_is_405(service: Service) -> None:
    browser = service.browser("officer")
    assert browser.client.put("/engagements", headers={"X-CSRF-Token": browser.csrf}).status_code == 405
    assert service.api("officer").patch("/api/v1/screen").status_code == 405
