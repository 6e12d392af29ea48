"""The JSON API: stateless screening identical to the CLI, engagements CRUD, screen, submit,
withdraw, screenings, problem details, tokens, OpenAPI and the reference page."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from fastapi.testclient import TestClient

from riskscreen.cli import main
from tests.web.conftest import ENGAGEMENT, Service

AS_OF = "2026-11-22"


def test_stateless_screen_returns_exactly_the_cli_json(service: Service, tmp_path: Path) -> None:
    source = tmp_path / "engagement.yaml"
    source.write_text(yaml.safe_dump(ENGAGEMENT, sort_keys=False), encoding="utf-8")
    cli = CliRunner().invoke(main, ["screen", str(source), "--format", "json", "--as-of", AS_OF])
    assert cli.exit_code == 0
    response = service.api("officer").post(f"/api/v1/screen?as_of={AS_OF}", json=ENGAGEMENT)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.text == cli.output


def test_invalid_engagement_is_problem_details_with_the_cli_messages(service: Service, tmp_path: Path) -> None:
    bad = dict(ENGAGEMENT, agreement_type="twining", partner=dict(ENGAGEMENT["partner"], country="Atlantis"))
    response = service.api("officer").post("/api/v1/screen", json=bad)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Invalid engagement" and body["status"] == 422
    by_field = {e["field"]: e for e in body["errors"]}
    assert by_field["agreement_type"]["value"] == "twining"
    assert by_field["agreement_type"]["suggestion"].startswith("did you mean 'twinning'?")
    assert by_field["partner.country"]["message"].startswith("unknown country")
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(bad), encoding="utf-8")
    cli = CliRunner().invoke(main, ["screen", str(source)])
    cli_messages = [line.removeprefix("Error: ") for line in cli.output.splitlines()]
    # The same messages as the CLI, without the CLI's file and line.
    assert len(cli_messages) == len(body["messages"]) == 2
    assert [m.split(", ", 1)[1] if m.startswith(str(source)) else m for m in cli_messages] == body["messages"]


def test_screen_rejects_bad_bodies_and_dates(service: Service) -> None:
    api = service.api("officer")
    not_object = api.post("/api/v1/screen", json=["a list"])
    assert not_object.status_code == 422 and not_object.headers["content-type"] == "application/problem+json"
    bad_date = api.post("/api/v1/screen?as_of=yesterday", json=ENGAGEMENT)
    assert bad_date.status_code == 422
    assert bad_date.json()["errors"][0] == {"field": None, "message": "not a date", "value": "yesterday",
                                            "suggestion": "write it as YYYY-MM-DD", "line": None}


def test_api_needs_a_valid_bearer_token(service: Service) -> None:
    anonymous = TestClient(service.app)
    response = anonymous.post("/api/v1/screen", json=ENGAGEMENT)
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert response.json()["title"] == "Authentication required"
    forged = TestClient(service.app, headers={"Authorization": "Bearer rs_not-a-token"})
    assert forged.get("/api/v1/engagements").status_code == 401
    browser = service.browser("officer")  # a session cookie is not an API credential
    assert browser.client.get("/api/v1/engagements").status_code == 401


def test_engagement_crud_screen_submit_withdraw(service: Service) -> None:
    api = service.api("officer")
    created = api.post("/api/v1/engagements", json=ENGAGEMENT)
    assert created.status_code == 201
    body = created.json()
    assert created.headers["location"] == f"/api/v1/engagements/{body['id']}"
    assert (body["reference"], body["status"], body["tier"], body["organisation"]) == (
        "LDS-KHH-1", "draft", None, "Leeds City Council")
    url = f"/api/v1/engagements/{body['id']}"
    assert api.post("/api/v1/engagements", json=ENGAGEMENT).status_code == 409
    assert api.post(f"{url}/submit").status_code == 409  # not screened yet
    screened = api.post(f"{url}/screen")
    assert screened.status_code == 200
    result = screened.json()
    assert api.get(url).json()["tier"] == result["tier"]
    updated = api.put(url, json=dict(ENGAGEMENT, involves=["personal_data"]))
    assert updated.status_code == 200 and updated.json()["tier"] is None
    invalid = api.put(url, json=dict(ENGAGEMENT, sectors=[]))
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["field"] == "sectors"
    api.post(f"{url}/screen")
    history = api.get(f"{url}/screenings").json()["items"]
    assert len(history) == 2 and history[0]["input_hash"] != history[1]["input_hash"]
    assert history[0]["rule_pack"]["hash"] and history[0]["screened_by"] == "officer@leeds.example"
    one = api.get(f"{url}/screenings/{history[1]['id']}")
    assert one.json()["tier"] == result["tier"]
    assert api.get(f"{url}/screenings/99999").status_code == 404
    submitted = api.post(f"{url}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert api.put(url, json=ENGAGEMENT).status_code == 403
    assert api.post(f"{url}/submit").status_code == 409
    assert api.delete(url).status_code == 403
    assert api.post(f"{url}/withdraw").json()["status"] == "withdrawn"
    assert api.post(f"{url}/withdraw").status_code == 409
    assert api.post(f"{url}/reopen").json()["status"] == "draft"
    assert api.post(f"{url}/withdraw").json()["status"] == "withdrawn"
    listed = api.get("/api/v1/engagements?status=withdrawn").json()
    assert listed["total"] == 1 and listed["items"][0]["reference"] == "LDS-KHH-1"
    assert api.get("/api/v1/engagements?status=nonsense").status_code == 200


def test_delete_draft_and_not_found(service: Service) -> None:
    api = service.api("officer")
    url = f"/api/v1/engagements/{api.post('/api/v1/engagements', json=ENGAGEMENT).json()['id']}"
    assert api.delete(url).status_code == 204
    missing = api.get(url)
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert api.get("/api/v1/engagements/not-a-number").status_code == 422


def test_reviewer_reads_submitted_but_changes_nothing(service: Service) -> None:
    officer = service.api("officer")
    url = f"/api/v1/engagements/{officer.post('/api/v1/engagements', json=ENGAGEMENT).json()['id']}"
    reviewer = service.api("reviewer")
    assert reviewer.get(url).status_code == 404  # drafts stay private to the organisation
    officer.post(f"{url}/screen")
    officer.post(f"{url}/submit")
    assert reviewer.get(url).status_code == 200
    assert reviewer.get("/api/v1/engagements").json()["total"] == 1
    assert reviewer.post(f"{url}/withdraw").status_code == 403
    assert reviewer.post("/api/v1/engagements", json=dict(ENGAGEMENT, id="R-1")).status_code == 403
    other = service.api("other_officer")
    assert other.get(url).status_code == 404
    assert other.get("/api/v1/engagements").json()["total"] == 0


def test_openapi_and_reference_page(service: Service) -> None:
    client = TestClient(service.app)
    spec = client.get("/api/openapi.json").json()
    assert {"/api/v1/screen", "/api/v1/engagements", "/api/v1/engagements/{engagement_id}/submit"} <= set(spec["paths"])
    assert not any(path.startswith(("/engagements", "/sign-in")) for path in spec["paths"])
    page = client.get("/api/docs")
    assert page.status_code == 200 and "POST /api/v1/screen" in page.text
    assert "cdn" not in page.text.lower()  # nothing loaded from elsewhere


def test_repeated_screens_are_served_from_the_memo(service: Service, monkeypatch: object) -> None:
    api = service.api("officer")
    first = api.post(f"/api/v1/screen?as_of={AS_OF}", json=ENGAGEMENT).text
    calls: list[object] = []
    svc = service.app.state.service
    original = svc.screen
    monkeypatch.setattr(svc, "screen", lambda *a, **k: calls.append(a) or original(*a, **k))  # type: ignore[attr-defined]
    reordered = dict(reversed(list(ENGAGEMENT.items())))  # same input, other key order
    assert api.post(f"/api/v1/screen?as_of={AS_OF}", json=reordered).text == first
    assert calls == []
    other_day = api.post("/api/v1/screen?as_of=2026-12-01", json=ENGAGEMENT).json()
    assert other_day["provenance"]["as_of"] == "2026-12-01" and len(calls) == 1
