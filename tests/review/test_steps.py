"""Every state change goes through one path: the machine decides, the engagement, its workflow
step and its audit event are written in one transaction (or none of them is)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from riskscreen import Engine
from riskscreen.review.audit_store import stream, verify_stored
from riskscreen.review.models import WorkflowStep
from riskscreen.review.steps import act, allowed_for, load_case
from riskscreen.store import Store
from riskscreen.store.models import EngagementRecord
from riskscreen.workflow.errors import (
    FourEyesViolation,
    IllegalTransition,
    InvalidDecision,
    WorkflowError,
)
from riskscreen.workflow.machine import Action, State
from tests.review.service import submitted, user

AS_OF = date(2026, 11, 22)


def test_the_review_loop_writes_steps_and_a_verifiable_trail(store: Store, engine: Engine) -> None:
    engagement_id = submitted(store, engine)
    with store.session() as session:
        record = session.get(EngagementRecord, engagement_id)
        r1, officer = user(session, "r1@ddu.example"), user(session, "officer@leeds.example")
        assert allowed_for(session, r1, record) == [Action.ACCEPT, Action.REQUEST_INFORMATION]
        assert allowed_for(session, user(session, "audit@ddu.example"), record) == []
        act(session, record, r1, Action.ACCEPT)
        act(session, record, r1, Action.REQUEST_INFORMATION, note="Who owns the partner?")
        act(session, record, officer, Action.PROVIDE_INFORMATION, note="The city government; no owner.")
        assert record.status == State.IN_REVIEW.value
    with store.session() as session:
        steps = session.scalars(select(WorkflowStep).where(WorkflowStep.engagement_id == engagement_id)
                                .order_by(WorkflowStep.id)).all()
        assert [(s.action, s.actor_role, s.from_state, s.to_state) for s in steps] == [
            ("submit", "officer", "draft", "submitted"),
            ("accept", "reviewer", "submitted", "in_review"),
            ("request_information", "reviewer", "in_review", "information_requested"),
            ("provide_information", "officer", "information_requested", "in_review")]
        assert steps[2].note == "Who owns the partner?"
        events = list(stream(session))
        assert [(e.actor, e.action, e.subject) for e in events] == [
            ("officer@leeds.example", "engagement.submit", f"engagement:{engagement_id}"),
            ("r1@ddu.example", "engagement.accept", f"engagement:{engagement_id}"),
            ("r1@ddu.example", "engagement.request_information", f"engagement:{engagement_id}"),
            ("officer@leeds.example", "engagement.provide_information", f"engagement:{engagement_id}")]
        assert events[2].before == {"state": "in_review"}
        assert events[2].after == {"state": "information_requested", "note": "Who owns the partner?"}
        assert verify_stored(session).intact


def test_refusals_change_nothing(store: Store, engine: Engine) -> None:
    engagement_id = submitted(store, engine)
    with store.session() as session:
        record = session.get(EngagementRecord, engagement_id)
        with pytest.raises(IllegalTransition, match="only a reviewer may accept it"):
            act(session, record, user(session, "officer@leeds.example"), Action.ACCEPT)
        with pytest.raises(WorkflowError, match="no part in its review"):
            act(session, record, user(session, "other@bristol.example"), Action.WITHDRAW)
        with pytest.raises(WorkflowError, match="no part in its review"):
            act(session, record, user(session, "audit@ddu.example"), Action.ACCEPT)
        with pytest.raises(InvalidDecision, match="a message is required"):
            act(session, record, user(session, "r1@ddu.example"), Action.REQUEST_INFORMATION, note=" ")
        assert record.status == "submitted"
    with store.session() as session:
        assert len(list(stream(session))) == 1  # the submission only


def test_the_creator_cannot_decide_even_as_a_reviewer(store: Store, engine: Engine) -> None:
    engagement_id = submitted(store, engine)
    with store.session() as session:
        record = session.get(EngagementRecord, engagement_id)
        act(session, record, user(session, "r1@ddu.example"), Action.ACCEPT)
        officer = user(session, "officer@leeds.example")
        officer.role = "reviewer"  # promoted later
        assert Action.DECIDE not in allowed_for(session, officer, record)
        case = load_case(session, record)
        assert str(officer.id) in case.submitters
        from tests.workflow.helpers import decision

        with pytest.raises(FourEyesViolation):
            act(session, record, officer, Action.DECIDE, decision=decision())


def test_steps_are_append_only(store: Store, engine: Engine) -> None:
    submitted(store, engine)
    for statement in ("UPDATE workflow_step SET note = 'x'", "DELETE FROM workflow_step"):
        with pytest.raises(DBAPIError, match="workflow_step is append-only"), store.session() as session:
            session.execute(text(statement))


def test_a_failed_change_leaves_no_event(store: Store, engine: Engine) -> None:
    engagement_id = submitted(store, engine)
    with pytest.raises(RuntimeError), store.session() as session:
        record = session.get(EngagementRecord, engagement_id)
        act(session, record, user(session, "r1@ddu.example"), Action.ACCEPT)
        raise RuntimeError("the page failed after the step")
    with store.session() as session:
        assert session.get(EngagementRecord, engagement_id).status == "submitted"
        assert [e.action for e in stream(session)] == ["engagement.submit"]
        assert verify_stored(session).intact


def test_two_reviewers_deciding_at_once_cannot_both_win(store: Store, engine: Engine) -> None:
    from riskscreen.review.actions import decide

    engagement_id = submitted(store, engine)
    with store.session() as session:
        act(session, session.get(EngagementRecord, engagement_id), user(session, "r1@ddu.example"), Action.ACCEPT)
    first, second = store._sessions(), store._sessions()
    try:
        stale = second.get(EngagementRecord, engagement_id)
        assert stale.status == "in_review"  # both opened the page
        decide(first, first.get(EngagementRecord, engagement_id), user(first, "r1@ddu.example"),
               {"kind": "approved", "reason": "Fine"}, bodies=set(), known_rules=set())
        first.commit()
        with pytest.raises(WorkflowError, match="changed since you opened it"):
            decide(second, stale, user(second, "r2@ddu.example"), {"kind": "declined", "reason": "Not fine"},
                   bodies=set(), known_rules=set())
        second.rollback()
    finally:
        first.close()
        second.close()
    with store.session() as session:
        from riskscreen.review.actions import decisions_of

        record = session.get(EngagementRecord, engagement_id)
        assert record.status == "decided" and [d.kind for d in decisions_of(session, record)] == ["approved"]
        assert verify_stored(session).intact
