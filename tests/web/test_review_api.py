"""The reviewer's JSON API (/api/v1/review): the queue with the page's filters, a case, accept,
request information, decide (reason, conditions, referral) and grant a waiver — through the same
permission checks and core functions as the pages, with problem documents for every refusal and
the same audit events."""

from __future__ import annotations

from typing import Any

import pytest

from riskscreen import Engine
from riskscreen.review.audit_store import stream, verify_stored
from tests.web.conftest import Service
from tests.web.test_review_pages import status, submit

pytest.importorskip("fastapi")

DECISION = {"kind": "approved_with_conditions", "reason": "Proportionate with publication",
            "conditions": [{"text": "Publish the agreement", "owner": "International team", "due": "2030-02-01"}],
            "waivers": [{"rule_id": None, "reason": "Committee accepted the media profile", "expires": "2030-12-31"}]}


def problem(response: Any, code: int) -> dict[str, Any]:
    assert response.status_code == code, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == code and body["title"]
    return body


def events(service: Service, subject: str) -> list[tuple[str, str]]:
    with service.store.session() as session:
        return [(e.actor, e.action) for e in stream(session, subject=subject)]


def test_queue_takes_the_page_filters(service: Service, engine: Engine) -> None:
    first, second = submit(service, engine, "API-1"), submit(service, engine, "API-2")
    api = service.api("reviewer")
    listed = api.get("/api/v1/review/queue")
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 2 and {i["id"] for i in body["items"]} == {first, second}
    item = body["items"][0]
    assert item["state"] == "submitted" and item["clock"]["status"] == "on_track" and item["assignee"] is None
    assert api.get("/api/v1/review/queue?q=API-2").json()["total"] == 1
    assert api.get("/api/v1/review/queue?tier=autonomy&clock=overdue").json()["total"] == 0
    bad = problem(api.get("/api/v1/review/queue?tier=stopp"), 422)
    assert bad["errors"][0]["field"] == "tier" and "stop" in bad["errors"][0]["suggestion"]
    # the same page as the browser's queue shows
    page = service.browser("reviewer").get("/review?q=API-2").text
    assert f'href="/review/{second}"' in page and f'href="/review/{first}"' not in page


def test_officers_cannot_use_the_review_api(service: Service, engine: Engine) -> None:
    engagement_id = submit(service, engine)
    officer = service.api("officer")
    assert "queue" in problem(officer.get("/api/v1/review/queue"), 403)["detail"]
    problem(officer.get(f"/api/v1/review/{engagement_id}"), 403)
    for path, body in (("accept", None), ("request-information", {"note": "x"}), ("decide", DECISION),
                       ("waivers", DECISION["waivers"][0])):
        problem(officer.post(f"/api/v1/review/{engagement_id}/{path}", json=body), 403)
    assert status(service, engagement_id) == "submitted"
    # another organisation's officer does not learn that the engagement exists
    problem(service.api("other_officer").get(f"/api/v1/review/{engagement_id}"), 404)
    problem(service.api("reviewer").get("/api/v1/review/999999"), 404)


def test_the_auditor_reads_and_changes_nothing(service: Service, engine: Engine) -> None:
    engagement_id = submit(service, engine)
    auditor = service.api("auditor")
    assert auditor.get("/api/v1/review/queue").json()["total"] == 1
    case = auditor.get(f"/api/v1/review/{engagement_id}").json()
    assert case["state"] == "submitted" and case["allowed_actions"] == []
    problem(auditor.post(f"/api/v1/review/{engagement_id}/accept"), 403)
    assert status(service, engagement_id) == "submitted"


def test_the_full_review_through_the_api(service: Service, engine: Engine) -> None:
    engagement_id = submit(service, engine)
    base = f"/api/v1/review/{engagement_id}"
    api = service.api("reviewer")
    case = api.get(base).json()
    assert case["allowed_actions"] == ["accept", "request_information"]
    assert case["screening"]["of_current_answers"] and case["screening"]["rule_pack_hash"] == engine.pack.digest
    # an empty question is refused with its reason, and changes nothing
    empty = problem(api.post(f"{base}/request-information", json={"note": " "}), 422)
    assert empty["errors"][0]["field"] == "note"
    assert status(service, engagement_id) == "submitted"
    accepted = api.post(f"{base}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "in_review"
    asked = api.post(f"{base}/request-information", json={"note": "Who owns the partner?"})
    assert asked.json()["state"] == "information_requested"
    assert asked.json()["history"][-1]["note"] == "Who owns the partner?"
    # deciding now is a step the state does not allow
    assert "information" in problem(api.post(f"{base}/decide", json=DECISION), 409)["detail"]
    officer = service.browser("officer")
    assert officer.post(f"/engagements/{engagement_id}/respond", {"note": "The city itself."}).status_code == 303
    # every problem with a decision at once, each with its field
    invalid = problem(api.post(f"{base}/decide", json={"kind": "approved_with_conditions", "reason": ""}), 422)
    assert {e["field"] for e in invalid["errors"]} == {"reason", "conditions"}
    referral = problem(api.post(f"{base}/decide", json={"kind": "referred", "reason": "National interest",
                                                         "referred_to": "fdco"}), 422)
    assert referral["errors"][0]["field"] == "referred_to" and "fcdo" in referral["errors"][0]["suggestion"]
    assert status(service, engagement_id) == "in_review"
    decided = api.post(f"{base}/decide", json=DECISION)
    assert decided.status_code == 200, decided.text
    body = decided.json()
    assert body["state"] == "decided" and body["decisions"][0]["kind"] == "approved_with_conditions"
    assert body["decisions"][0]["basis"]["rule_pack_hash"] == engine.pack.digest
    assert body["decisions"][0]["conditions"][0]["due"] == "2030-02-01"
    assert body["waivers"][0]["expires"] == "2030-12-31"
    waived = api.post(f"{base}/waivers", json={"rule_id": None, "reason": "Accepted again", "expires": "2031-01-31"})
    assert waived.status_code == 201 and len(waived.json()["waivers"]) == 2
    bad_waiver = problem(api.post(f"{base}/waivers", json={"rule_id": "no_such_rule", "reason": "x y z",
                                                            "expires": "2031-01-31"}), 422)
    assert bad_waiver["errors"][0]["field"] == "rule_id"
    # the same audit events as the pages write, in one intact chain
    actions = events(service, f"engagement:{engagement_id}")
    assert ("reviewer@ddu.example", "engagement.accept") in actions
    assert ("reviewer@ddu.example", "engagement.decide") in actions
    assert [a for a in actions if a[1] == "waiver.grant"] == [("reviewer@ddu.example", "waiver.grant")] * 2
    with service.store.session() as session:
        assert verify_stored(session).intact


def test_four_eyes_the_submitter_cannot_decide(service: Service, engine: Engine) -> None:
    engagement_id = submit(service, engine)
    with service.store.session() as session:
        from riskscreen.store.accounts import require_user

        require_user(session, "officer@leeds.example").role = "reviewer"  # promoted after submitting
    promoted = service.api("officer")
    assert promoted.post(f"/api/v1/review/{engagement_id}/accept").status_code == 200
    assert "decide" not in promoted.get(f"/api/v1/review/{engagement_id}").json()["allowed_actions"]
    refused = problem(promoted.post(f"/api/v1/review/{engagement_id}/decide",
                                    json={"kind": "approved", "reason": "Looks fine to me"}), 403)
    assert "cannot decide it" in refused["detail"]
    assert status(service, engagement_id) == "in_review"
    assert service.api("reviewer2").post(f"/api/v1/review/{engagement_id}/decide",
                                         json={"kind": "approved", "reason": "Looks fine"}).status_code == 200


def test_bearer_tokens_need_no_csrf_token_and_cookie_sessions_get_nothing(service: Service, engine: Engine) -> None:
    engagement_id = submit(service, engine)
    # a signed-in browser's cookie is not an API credential: a cross-site request cannot act with it
    browser = service.browser("reviewer")
    refused = browser.client.post(f"/api/v1/review/{engagement_id}/accept")
    problem(refused, 401)
    assert refused.headers["www-authenticate"] == "Bearer"
    assert browser.client.get("/api/v1/review/queue").status_code == 401
    # the page's own form without its CSRF token is refused before anything runs
    assert browser.client.post(f"/review/{engagement_id}/accept").status_code == 403
    assert status(service, engagement_id) == "submitted"
    # a bearer token sends no CSRF token, and is accepted
    assert service.api("reviewer").post(f"/api/v1/review/{engagement_id}/accept").status_code == 200
    assert status(service, engagement_id) == "in_review"


def test_the_review_api_is_in_the_openapi_document(service: Service) -> None:
    schema = service.api("reviewer").get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/v1/review/queue", "/api/v1/review/{engagement_id}", "/api/v1/review/{engagement_id}/accept",
            "/api/v1/review/{engagement_id}/request-information", "/api/v1/review/{engagement_id}/decide",
            "/api/v1/review/{engagement_id}/waivers"} <= paths
