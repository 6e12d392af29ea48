"""The reviewer's pages end to end with JavaScript off (plain form posts): the queue, the
completeness check, an information request answered by the officer, and a decision with a
condition and a waiver — with the four-eyes rule and refusals shown, never silent."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from riskscreen import Engine
from riskscreen.review.audit_store import verify_stored
from riskscreen.store.accounts import require_user
from riskscreen.store.engagements import apply_transition, create_engagement, record_screening
from tests.web.conftest import ENGAGEMENT, Service

pytest.importorskip("fastapi")


def submit(service: Service, engine: Engine, reference: str = "LDS-KHH-1", who: str = "officer@leeds.example") -> int:
    with service.store.session() as session:
        officer = require_user(session, who)
        record = create_engagement(session, officer, dict(ENGAGEMENT, id=reference))
        record_screening(session, record, engine.screen(record.input, as_of=date.today()), officer)
        apply_transition(session, record, "submit", officer)
        return record.id


def status(service: Service, engagement_id: int) -> str:
    from riskscreen.store.models import EngagementRecord

    with service.store.session() as session:
        return session.get(EngagementRecord, engagement_id).status  # type: ignore[union-attr]


def test_queue_lists_submissions_with_filters_in_the_url(service: Service, engine: Engine) -> None:
    engagement_id = submit(service, engine)
    reviewer = service.browser("reviewer")
    page = reviewer.get("/review")
    assert page.status_code == 200 and f'href="/review/{engagement_id}"' in page.text
    assert "30 days left" in page.text
    filtered = reviewer.get("/review?tier=autonomy&clock=overdue")
    assert f'href="/review/{engagement_id}"' not in filtered.text and "0 engagements" in filtered.text
    bad = reviewer.get("/review?tier=stopp")
    assert bad.status_code == 200 and "There is a problem" in bad.text and "did you mean" in bad.text


def test_full_review_loop_without_javascript(service: Service, engine: Engine) -> None:
    engagement_id = submit(service, engine)
    reviewer, officer = service.browser("reviewer"), service.browser("officer")
    base = f"/review/{engagement_id}"
    page = reviewer.get(base)
    assert page.status_code == 200 and 'id="accept-button"' in page.text and 'id="decide-button"' not in page.text
    # an empty information request is refused and says so
    refused = reviewer.post(f"{base}/request-information", {"note": "  "})
    assert refused.status_code == 400 and 'href="#rfi-note"' in refused.text and status(service, engagement_id) == "submitted"
    assert reviewer.post(f"{base}/request-information", {"note": "Who owns the partner?"}).status_code == 303
    assert status(service, engagement_id) == "information_requested"
    # the officer sees the question on the engagement page and answers it
    overview = officer.get(f"/engagements/{engagement_id}")
    assert "Who owns the partner?" in overview.text and 'id="respond-link"' in overview.text
    answer_page = officer.get(f"/engagements/{engagement_id}/respond")
    assert answer_page.status_code == 200
    # the question is shown as text in the page's markup, neither double-escaped nor raw
    assert "asked:</strong></p>" in answer_page.text and "&lt;p" not in answer_page.text
    assert officer.post(f"/engagements/{engagement_id}/respond", {"note": "The city government itself."}).status_code == 303
    assert status(service, engagement_id) == "in_review"
    # the reviewer decides with a condition and a waiver
    page = reviewer.get(base)
    assert "The city government itself." in page.text and 'id="decide-button"' in page.text
    form = {"kind": "approved_with_conditions", "reason": "Proportionate with publication",
            "condition-0-text": "Publish the agreement", "condition-0-owner": "International team",
            "condition-0-due-day": "1", "condition-0-due-month": "2", "condition-0-due-year": "2030",
            "waiver-rule_id": "", "waiver-reason": "Committee accepted the media profile",
            "waiver-expires-day": "31", "waiver-expires-month": "12", "waiver-expires-year": "2030"}
    missing = reviewer.post(f"{base}/decide", {**form, "reason": ""})
    assert missing.status_code == 400 and 'href="#decision-reason"' in missing.text
    assert "Enter the reason for the decision (at least 3 characters)" in missing.text
    assert "String should" not in missing.text
    # every problem at once: no reason, and an approval with conditions that names none
    both = reviewer.post(f"{base}/decide", {"kind": "approved_with_conditions", "reason": ""})
    assert 'href="#decision-reason"' in both.text and 'href="#decision-conditions"' in both.text
    nothing = reviewer.post(f"{base}/decide", {"reason": "Proportionate"})
    assert "Choose a decision" in nothing.text and 'href="#decision-kind"' in nothing.text
    assert status(service, engagement_id) == "in_review"
    assert reviewer.post(f"{base}/decide", form).status_code == 303
    assert status(service, engagement_id) == "decided"
    page = reviewer.get(base)
    assert "Publish the agreement" in page.text and "Committee accepted the media profile" in page.text
    met = re.search(r'action="(/review/\d+/conditions/\d+/met)"', page.text)
    assert met and reviewer.post(met.group(1)).status_code == 303
    assert "Met " in reviewer.get(base).text
    with service.store.session() as session:
        assert verify_stored(session).intact


def test_a_reviewer_who_submitted_cannot_decide(service: Service, engine: Engine) -> None:
    engagement_id = submit(service, engine)
    with service.store.session() as session:
        require_user(session, "officer@leeds.example").role = "reviewer"  # promoted after submitting
    promoted, other = service.browser("officer"), service.browser("reviewer")
    assert other.post(f"/review/{engagement_id}/accept").status_code == 303
    page = promoted.get(f"/review/{engagement_id}")
    assert 'id="four-eyes"' in page.text and 'id="decide-button"' not in page.text
    refused = promoted.post(f"/review/{engagement_id}/decide", {"kind": "approved", "reason": "Looks fine to me"})
    assert refused.status_code == 403 and "cannot decide it" in refused.text
    assert status(service, engagement_id) == "in_review"


def test_illegal_action_is_a_clear_refusal(service: Service, engine: Engine) -> None:
    engagement_id = submit(service, engine)
    reviewer = service.browser("reviewer")
    response = reviewer.post(f"/review/{engagement_id}/reopen", {"note": "again"})
    assert response.status_code == 403  # not allowed from 'submitted': refused, not ignored
    assert status(service, engagement_id) == "submitted"


def test_assign_and_comment(service: Service, engine: Engine) -> None:
    engagement_id = submit(service, engine)
    reviewer = service.browser("reviewer")
    assert reviewer.post(f"/review/{engagement_id}/assign", {"assignee": "me"}).status_code == 303
    assert reviewer.get("/review?assignee=me").text.count(f'href="/review/{engagement_id}"') == 1
    assert reviewer.post(f"/review/{engagement_id}/comments", {"body": "Looking at it this week"}).status_code == 303
    officer = service.browser("officer")
    assert "Looking at it this week" in officer.get(f"/engagements/{engagement_id}").text
    assert officer.post(f"/engagements/{engagement_id}/comments", {"body": "Thanks"}).status_code == 303
    assert "Thanks" in reviewer.get(f"/review/{engagement_id}").text


def test_dashboard_counts(service: Service, engine: Engine) -> None:
    submit(service, engine)
    page: Any = service.browser("reviewer").get("/review/dashboard")
    assert page.status_code == 200 and 'id="overdue">0<' in page.text


def test_rules_change_rescreen_puts_a_decision_back_in_the_queue(service: Service, engine: Engine) -> None:
    """The admin button queues a job; the worker's handler re-screens under the service's rules."""
    from riskscreen.review.jobs import DONE, run_one
    from riskscreen.store.accounts import add_user

    with service.store.session() as session:
        add_user(session, email="admin@ddu.example", name="DDU admin", role="admin",
                 organisation="Devolved Diplomacy Unit", password="correct horse battery staple")
        officer = require_user(session, "officer@leeds.example")
        record = create_engagement(session, officer, dict(ENGAGEMENT, id="OLD-RULES-1"))
        current = engine.screen(record.input, as_of=date.today())
        old_pack = current.provenance.rule_pack.model_copy(update={"hash": "0" * 64, "version": "old"})
        old = current.model_copy(update={"tier": "autonomy", "findings": [],
                                         "provenance": current.provenance.model_copy(update={"rule_pack": old_pack})})
        record_screening(session, record, old, officer)
        apply_transition(session, record, "submit", officer)
        engagement_id = record.id
    reviewer = service.browser("reviewer")
    reviewer.post(f"/review/{engagement_id}/accept")
    assert reviewer.post(f"/review/{engagement_id}/decide", {"kind": "approved", "reason": "Low risk"}).status_code == 303
    admin = service.browser("admin")
    page = admin.get("/admin/rescreen")
    assert page.status_code == 200 and 'id="stale"><strong>1</strong>' in page.text
    assert admin.post("/admin/rescreen").status_code == 303
    assert 'id="active"' in admin.get("/admin/rescreen").text
    svc = service.app.state.service
    ran = run_one(service.store.engine, svc.job_handlers())
    assert ran is not None and ran.state == DONE and ran.result["requeued"] == 1, ran
    assert status(service, engagement_id) == "in_review"
    queue = reviewer.get("/review?flagged=1").text
    assert f'href="/review/{engagement_id}"' in queue and "raised the tier from autonomy to" in queue
    assert "requeued" in admin.get("/admin/rescreen").text


def test_needs_my_attention(service: Service, engine: Engine) -> None:
    engagement_id = submit(service, engine)
    reviewer, officer = service.browser("reviewer"), service.browser("officer")
    assert 'id="nothing"' in officer.get("/attention").text
    reviewer.post(f"/review/{engagement_id}/request-information", {"note": "Who owns the partner?"})
    page = officer.get("/attention").text
    assert f'href="/engagements/{engagement_id}/respond"' in page and "asked for information" in page
    officer.post(f"/engagements/{engagement_id}/respond", {"note": "Nobody"})
    assert "The officer answered your question" in reviewer.get("/attention").text
    assert 'id="nothing"' in service.browser("reviewer2").get("/attention").text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_register_export_round_trip(service: Service, engine: Engine, tmp_path: Any, fmt: str) -> None:
    """What the reviewer downloads is a register `riskscreen check` reads, with the same results,
    and the upload page imports it back as the same engagements."""
    import json as json_module

    from click.testing import CliRunner

    from riskscreen.cli import main
    from riskscreen.store.models import EngagementRecord

    ids = [submit(service, engine, reference=f"LDS-{n}") for n in range(3)]
    reviewer = service.browser("reviewer")
    response = reviewer.get(f"/review/export/register.{fmt}")
    assert response.status_code == 200 and response.headers["content-disposition"].endswith(f'register.{fmt}"')
    path = tmp_path / f"register.{fmt}"
    path.write_bytes(response.content)
    run = CliRunner().invoke(main, ["check", str(path), "--format", "json"], catch_exceptions=False)
    assert run.exit_code in (0, 1), run.output
    results = json_module.loads(run.stdout)["results"]
    with service.store.session() as session:
        stored = {r.reference: r for r in session.query(EngagementRecord).filter(EngagementRecord.id.in_(ids))}
        assert {r["engagement_id"]: r["tier"] for r in results} == {ref: r.tier for ref, r in stored.items()}
        inputs = {ref: r.input for ref, r in stored.items()}
    other = service.browser("other_officer")
    with path.open("rb") as handle:
        uploaded = other.client.post("/registers/upload", data={"csrf_token": other.csrf},
                                     files={"register": (path.name, handle)})
    import re as re_module
    assert uploaded.status_code == 200, re_module.findall(r"<a href=\"#[^\"]*\">([^<]*)<", uploaded.text)
    with service.store.session() as session:
        bristol = require_user(session, "officer@bristol.example").organisation_id
        imported = {r.reference: r.input for r in session.query(EngagementRecord).filter(
            EngagementRecord.organisation_id == bristol)}
    normalised = {ref: engine.validate(data).model_dump(mode="json") for ref, data in inputs.items()}
    assert {ref: engine.validate(data).model_dump(mode="json") for ref, data in imported.items()} == normalised


def test_waivers_export_feeds_check(service: Service, engine: Engine, tmp_path: Any) -> None:
    from riskscreen.registers.waivers import load_waivers

    engagement_id = submit(service, engine)
    reviewer = service.browser("reviewer")
    reviewer.post(f"/review/{engagement_id}/accept")
    reviewer.post(f"/review/{engagement_id}/waivers", {"waiver-rule_id": "", "waiver-reason": "Committee accepted it",
                                                       "waiver-expires-day": "1", "waiver-expires-month": "1",
                                                       "waiver-expires-year": "2031"})
    text = reviewer.get("/review/export/waivers.yaml").text
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    [entry] = load_waivers(path)
    assert (entry.waiver.engagement_id, entry.waiver.reason, str(entry.waiver.expires)) == (
        "LDS-KHH-1", "Committee accepted it", "2031-01-01")


def test_public_register_is_off_by_default_and_shows_only_what_an_admin_publishes(
        sqlite_url: str, engine: Engine) -> None:
    from tests.web.conftest import make_service

    service = make_service(sqlite_url, engine, public_register=True)
    try:
        published, private = submit(service, engine, "PUB-1"), submit(service, engine, "PRIV-2")
        reviewer = service.browser("reviewer")
        for engagement_id in (published, private):
            reviewer.post(f"/review/{engagement_id}/accept")
            reviewer.post(f"/review/{engagement_id}/decide", {"kind": "declined", "reason": "Too sensitive now"})
        admin = service.browser("admin")
        assert 'id="publish-button"' in admin.get(f"/engagements/{published}").text
        assert admin.post(f"/engagements/{published}/publish", {"public": "1"}).status_code == 303
        anonymous = service.browser(None)
        page = anonymous.get("/public-register")
        assert page.status_code == 200 and "PUB-1" not in page.text  # the title is shown, not the reference
        assert page.text.count('<tr class="govuk-table__row"><td') == 1 and "Declined" in page.text
        assert "Too sensitive now" not in page.text  # reasons are not published
        assert service.browser("officer").post(f"/engagements/{published}/publish", {"public": "0"}).status_code == 403
    finally:
        service.store.close()
        service.app.state.service.store.close()


def test_audit_page_verifies_and_exports(service: Service, engine: Engine, tmp_path: Any) -> None:
    from click.testing import CliRunner

    from riskscreen.cli import main

    engagement_id = submit(service, engine)
    service.browser("reviewer").post(f"/review/{engagement_id}/accept")
    auditor = service.browser("auditor")
    page = auditor.get("/audit?verify=1").text
    assert 'id="verified"' in page and "engagement.accept" in page and "engagement.submit" in page
    exported = auditor.get("/audit/export.jsonl")
    path = tmp_path / "audit.jsonl"
    path.write_bytes(exported.content)
    result = CliRunner().invoke(main, ["audit", "verify", "--file", str(path)])
    assert result.exit_code == 0 and result.stdout.startswith("audit trail intact")
    assert "audit.export" in auditor.get("/audit").text
    with service.store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        connection.exec_driver_sql("UPDATE audit_event SET actor = 'mallory' WHERE seq = 1")
    assert "event 1: its content does not match its hash" in auditor.get("/audit?verify=1").text


def test_worker_runs_in_the_service_lifespan(sqlite_url: str, engine: Engine) -> None:
    import threading

    from fastapi.testclient import TestClient

    from tests.web.conftest import make_service

    service = make_service(sqlite_url, engine)
    before = {t.name for t in threading.enumerate()}
    assert "riskscreen-jobs" not in before
    with TestClient(service.app):
        assert "riskscreen-jobs" in {t.name for t in threading.enumerate()}
    assert "riskscreen-jobs" not in {t.name for t in threading.enumerate() if t.is_alive()}
    service.store.close()


def test_evidence_lists_each_answer_once_in_words(service: Service, engine: Engine) -> None:
    engagement_id = submit(service, engine)
    page = service.browser("reviewer").get(f"/review/{engagement_id}").text
    lines = re.findall(r"Because:\s*([^<]*?)\s*</p>", page)
    assert lines, "the fixture's findings carry evidence"
    for line in lines:
        parts = line.split("; ")
        assert len(parts) == len(set(parts)), line  # each input once
        assert "[" not in line, line  # a list reads as its items, not as Python's repr
        # the reports' plain English ("partner country: …"), never internal names or dotted paths
        assert " = " not in line and line.count("partner country: ") <= 1, line
        assert not re.search(r"\b(?:lead|partner)\.[a-z_]+ =|_rank\b|_tags\b", line), line
