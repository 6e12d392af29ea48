"""Deciding (with conditions and waivers), waiver expiry, assignment, comments and conditions —
each with its audit event, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from riskscreen import Engine
from riskscreen.registers.waivers import load_waivers
from riskscreen.review.actions import (
    add_waiver,
    assign,
    comment,
    current_waivers,
    decide,
    expire_waivers,
    meet_condition,
)
from riskscreen.review.audit_store import stream, verify_stored
from riskscreen.review.models import ReviewCase
from riskscreen.review.steps import act
from riskscreen.store import Store
from riskscreen.store.engagements import current_screening
from riskscreen.store.models import EngagementRecord
from riskscreen.workflow.errors import FourEyesViolation, InvalidDecision
from riskscreen.workflow.machine import Action
from riskscreen.workflow.waivers import waivers_file
from tests.review.service import submitted, user

BODIES = {"ddu", "fcdo", "isu"}
TODAY = date(2026, 12, 4)
DECISION = {"kind": "approved_with_conditions", "reason": "Proportionate, with publication",
            "conditions": [{"text": "Publish the agreement", "owner": "Leeds international team",
                            "due": "2027-02-01"}]}


def in_review(store: Store, engine: Engine) -> int:
    engagement_id = submitted(store, engine)
    with store.session() as session:
        act(session, session.get(EngagementRecord, engagement_id), user(session, "r1@ddu.example"), Action.ACCEPT)
    return engagement_id


def rules(engine: Engine) -> set[str]:
    return {rule.id for rule in engine.pack.findings}


def test_decision_keeps_the_screening_and_its_rule_versions(store: Store, engine: Engine) -> None:
    engagement_id = in_review(store, engine)
    with store.session() as session:
        record = session.get(EngagementRecord, engagement_id)
        screening = current_screening(session, record)
        row = decide(session, record, user(session, "r1@ddu.example"), DECISION, bodies=BODIES,
                     known_rules=rules(engine), today=TODAY,
                     waivers=[{"rule_id": "", "reason": "Committee accepted the profile", "expires": "2027-06-30"}])
        assert (row.kind, row.screening_id, row.tier) == ("approved_with_conditions", screening.id, screening.tier)
        assert row.rule_pack_hash == screening.rule_pack_hash == engine.pack.digest
        assert [(c.text, c.owner, c.due) for c in row.conditions] == [
            ("Publish the agreement", "Leeds international team", date(2027, 2, 1))]
        assert record.status == "decided"
        assert session.get(ReviewCase, engagement_id).decided_at is not None
    with store.session() as session:
        events = list(stream(session))
        decided = next(e for e in events if e.action == "engagement.decide")
        assert decided.after["decision"]["basis"]["screening_id"] == str(screening.id)
        assert decided.after["decision"]["conditions"][0]["owner"] == "Leeds international team"
        assert [e.action for e in events][-1] == "waiver.grant"
        assert verify_stored(session).intact


def test_every_problem_with_the_decision_form_is_reported(store: Store, engine: Engine) -> None:
    engagement_id = in_review(store, engine)
    with store.session() as session:
        record = session.get(EngagementRecord, engagement_id)
        with pytest.raises(InvalidDecision) as info:
            decide(session, record, user(session, "r1@ddu.example"), {"kind": "referred", "reason": ""},
                   bodies=BODIES, known_rules=rules(engine), today=TODAY,
                   waivers=[{"rule_id": "nope", "reason": "fine", "expires": "2026-01-01"}])
        assert [p.location.field for p in info.value.problems] == [
            "reason", "referred_to", "waivers[0].rule_id", "waivers[0].expires"]
        assert record.status == "in_review"


def test_the_submitter_cannot_decide_or_waive(store: Store, engine: Engine) -> None:
    engagement_id = in_review(store, engine)
    with store.session() as session:
        record = session.get(EngagementRecord, engagement_id)
        officer = user(session, "officer@leeds.example")
        officer.role = "reviewer"
        with pytest.raises(FourEyesViolation):
            decide(session, record, officer, DECISION, bodies=BODIES, known_rules=rules(engine), today=TODAY)
        with pytest.raises(FourEyesViolation):
            add_waiver(session, record, officer, {"reason": "Fine by me", "expires": "2027-01-01"},
                       known_rules=rules(engine), today=TODAY)


def test_an_expired_waiver_sends_the_decision_back_once(store: Store, engine: Engine, tmp_path: Path) -> None:
    engagement_id = in_review(store, engine)
    with store.session() as session:
        record = session.get(EngagementRecord, engagement_id)
        decide(session, record, user(session, "r1@ddu.example"), {"kind": "approved", "reason": "Low risk"},
               bodies=BODIES, known_rules=rules(engine), today=TODAY,
               waivers=[{"reason": "Accepted for a year", "expires": "2026-12-31"}])
        exported = current_waivers(session, TODAY)
    path = tmp_path / "waivers.yaml"
    path.write_text(waivers_file(exported), encoding="utf-8")
    assert [w.waiver for w in load_waivers(path)] == exported
    with store.session() as session:
        assert expire_waivers(session, date(2026, 12, 31)) == []  # still current on its last day
        assert expire_waivers(session, date(2027, 1, 1)) == [engagement_id]
        record = session.get(EngagementRecord, engagement_id)
        assert record.status == "in_review"
        case = session.get(ReviewCase, engagement_id)
        assert case.flagged and "expired on 2026-12-31" in case.flag_note
        assert current_waivers(session, date(2027, 1, 1)) == []
    with store.session() as session:
        assert expire_waivers(session, date(2027, 1, 2)) == []  # handled once
        actions = [(e.actor, e.action) for e in stream(session)][-2:]
        assert actions == [("system", "engagement.requeue"), ("system", "waiver.expire")]


def test_assign_comment_and_meet_a_condition(store: Store, engine: Engine) -> None:
    engagement_id = in_review(store, engine)
    with store.session() as session:
        record = session.get(EngagementRecord, engagement_id)
        r1, r2 = user(session, "r1@ddu.example"), user(session, "r2@ddu.example")
        assign(session, record, r1, r2)
        with pytest.raises(InvalidDecision, match="only an active reviewer"):
            assign(session, record, r1, user(session, "officer@leeds.example"))
        comment(session, record, user(session, "officer@leeds.example"), "  The MoU text is attached.  ")
        with pytest.raises(InvalidDecision, match="enter a comment"):
            comment(session, record, r1, "   ")
        row = decide(session, record, r2, DECISION, bodies=BODIES, known_rules=rules(engine), today=TODAY)
        condition = row.conditions[0]
        meet_condition(session, record, r2, condition.id, date(2027, 1, 20))
        with pytest.raises(InvalidDecision, match="already met on 2027-01-20"):
            meet_condition(session, record, r2, condition.id, date(2027, 1, 21))
    with store.session() as session:
        events = [(e.actor, e.action, e.before, e.after) for e in stream(session)]
        assert ("r1@ddu.example", "engagement.assign", {"assignee": None}, {"assignee": "r2@ddu.example"}) in events
        assert ("officer@leeds.example", "comment.add", None, {"body": "The MoU text is attached."}) in events
        assert events[-1][1] == "condition.met" and events[-1][3]["met_on"] == "2027-01-20"
    for statement in ("UPDATE review_comment SET body = 'x'", "DELETE FROM review_decision"):
        with pytest.raises(DBAPIError, match="append-only"), store.session() as session:
            session.execute(text(statement))


def test_queue_columns_follow_the_latest_screening(store: Store, engine: Engine) -> None:
    engagement_id = submitted(store, engine)
    with store.session() as session:
        case: Any = session.get(ReviewCase, engagement_id)
        assert case.country == "TW"
        assert case.risk_types.startswith(",") and ",geopolitical," in case.risk_types
