"""Acting on an engagement: the one path every state change takes in the service.

:func:`act` loads the engagement's workflow facts, asks the state machine
(:mod:`riskscreen.workflow.machine`) for the step, then — in the caller's transaction — updates
the engagement, appends the workflow step and writes the audit event. Nothing else writes a status.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from riskscreen.review.audit_store import append, is_batched
from riskscreen.review.models import DecisionRecord, ReviewCase, WorkflowStep
from riskscreen.store.accounts import utcnow
from riskscreen.store.engagements import latest_screening
from riskscreen.store.models import EngagementRecord, Screening, User
from riskscreen.store.permissions import capacity
from riskscreen.workflow.audit import AuditEvent
from riskscreen.workflow.decisions import Condition, ReviewDecision, ScreeningBasis
from riskscreen.workflow.errors import WorkflowError
from riskscreen.workflow.machine import (
    SYSTEM_ACTOR,
    Action,
    Actor,
    Case,
    State,
    Step,
    allowed_actions,
    transition,
)


def actor_for(user: User | None, record: EngagementRecord) -> Actor | None:
    if user is None:
        return SYSTEM_ACTOR
    role = capacity(user, record)
    return None if role is None else Actor(str(user.id), role)


def audit_actor(user: User | None) -> str:
    return "system" if user is None else user.email


def subject(record: EngagementRecord) -> str:
    return f"engagement:{record.id}"


def record_event(session: Session, user: User | None, action: str, subject_: str, before: Any = None,
                 after: Any = None, at: datetime | None = None) -> None:
    """Append an audit event in the session's transaction (flushing pending changes first, so
    the event and the change commit or roll back together; a batch of events is written at the
    end of its block, after the changes)."""
    if not is_batched(session):
        session.flush()
    append(session, AuditEvent(at or utcnow(), audit_actor(user), action, subject_, before, after))


def _decision(row: DecisionRecord) -> ReviewDecision:
    return ReviewDecision(
        kind=row.kind, reason=row.reason, referred_to=row.referred_to,
        conditions=tuple(Condition(text=c.text, owner=c.owner, due=c.due, met_on=c.met_on)
                         for c in row.conditions),
        basis=ScreeningBasis(screening_id=str(row.screening_id), tier=row.tier, rule_pack_hash=row.rule_pack_hash,
                             taxonomies_hash=row.taxonomies_hash, watchlists_hash=row.watchlists_hash))


def latest_decision(session: Session, record: EngagementRecord) -> DecisionRecord | None:
    return session.scalar(select(DecisionRecord).where(DecisionRecord.engagement_id == record.id)
                          .order_by(DecisionRecord.id.desc()).limit(1))


def load_case(session: Session, record: EngagementRecord) -> Case:
    """The engagement's workflow facts. Whoever created it counts as a submitter too: the person
    who drafted a request may not approve it either."""
    return load_cases(session, [record])[record.id]


def load_cases(session: Session, records: Sequence[EngagementRecord]) -> dict[int, Case]:
    """:func:`load_case` for many engagements with one query per kind of fact, not per engagement."""
    ids = [record.id for record in records]
    submitters: dict[int, set[str]] = {record.id: {str(record.created_by_id)} for record in records}
    for engagement_id, actor_id in session.execute(
            select(WorkflowStep.engagement_id, WorkflowStep.actor_id)
            .where(WorkflowStep.engagement_id.in_(ids), WorkflowStep.action == Action.SUBMIT.value)):
        if actor_id is not None:
            submitters[engagement_id].add(str(actor_id))
    decided = [record.id for record in records if record.status == State.DECIDED.value]
    decisions: dict[int, DecisionRecord] = {}
    if decided:
        for found in session.scalars(select(DecisionRecord).where(DecisionRecord.engagement_id.in_(decided))
                                     .order_by(DecisionRecord.id)):
            decisions[found.engagement_id] = found  # the latest wins
    cases = {}
    for record in records:
        decision = decisions.get(record.id)
        cases[record.id] = Case(State(record.status), frozenset(submitters[record.id]),
                                _decision(decision) if decision is not None else None)
    return cases


def case_row(session: Session, record: EngagementRecord) -> ReviewCase:
    """The engagement's review-case row, made on first use."""
    row = session.get(ReviewCase, record.id)
    if row is None:
        row = ReviewCase(engagement_id=record.id, risk_types="", flagged=False, public=False)
        session.add(row)
    return row


def refresh_case(session: Session, record: EngagementRecord, screening: Screening | None = None) -> None:
    """Copy what the queue filters on (country, risk types) from the latest screening."""
    screening = screening or latest_screening(session, record)
    row = case_row(session, record)
    if screening is None:
        return
    result = screening.result
    row.country = str(result.get("engagement", {}).get("country") or "")[:3] or None
    types = sorted({str(f.get("risk_type")) for f in result.get("findings", []) if f.get("risk_type")})
    row.risk_types = "".join(f",{t}" for t in types) + ("," if types else "")


def allowed_for(session: Session, user: User, record: EngagementRecord) -> list[Action]:
    actor = actor_for(user, record)
    return [] if actor is None else allowed_actions(load_case(session, record), actor)


def act(session: Session, record: EngagementRecord, user: User | None, action: Action, *,
        note: str | None = None, decision: ReviewDecision | None = None) -> tuple[Step, WorkflowStep]:
    """Take one action (``user`` None: the system). Raises the machine's errors unchanged:
    IllegalTransition, FourEyesViolation, InvalidDecision."""
    actor = actor_for(user, record)
    case = load_case(session, record)
    if actor is None:
        raise WorkflowError(f"you cannot {action.value.replace('_', ' ')} this engagement: you have no part "
                            "in its review")
    step = transition(case, action, actor, note=note, decision=decision)
    now = utcnow()
    # Compare-and-set: if someone else moved the engagement since it was read (two reviewers
    # deciding at once), this step is refused instead of overwriting theirs. The UPDATE also
    # takes the row's lock until commit.
    moved = session.execute(update(EngagementRecord)
                            .where(EngagementRecord.id == record.id, EngagementRecord.status == case.state.value)
                            .values(status=step.after.state.value, updated_at=now)
                            .execution_options(synchronize_session=False))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise WorkflowError("the engagement changed since you opened it (someone else acted on it); "
                            "reload the page and try again")
    record.status = step.after.state.value
    record.updated_at = now
    if action is Action.SUBMIT:
        record.submitted_at = now
    if action in (Action.SUBMIT, Action.PROVIDE_INFORMATION):
        refresh_case(session, record)
    row = WorkflowStep(engagement_id=record.id, action=action.value,
                       actor_id=None if user is None else user.id, actor_role=actor.role.value,
                       from_state=step.before.state.value, to_state=step.after.state.value,
                       note=step.note, at=now)
    session.add(row)
    review = case_row(session, record)
    if step.after.state is State.DECIDED:
        review.decided_at = now
        review.flagged, review.flag_note = False, None
    elif action is Action.REQUEUE:
        review.flagged, review.flag_note = True, step.note
    after: dict[str, Any] = {"state": step.after.state.value, "note": step.note}
    if decision is not None:
        after["decision"] = decision.model_dump(mode="json")
    record_event(session, user, f"engagement.{action.value}", subject(record),
                 {"state": step.before.state.value}, after, at=now)
    return step, row
