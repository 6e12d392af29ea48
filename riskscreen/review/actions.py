"""The review's other actions, each with its audit event in the same transaction: deciding (with
conditions and waivers), assigning, commenting, meeting a condition, publishing, and the expiry
of waivers. State changes go through :func:`riskscreen.review.steps.act`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskscreen.errors import Location, Problem
from riskscreen.models.engagement import Waiver
from riskscreen.models.result import ScreeningResult
from riskscreen.review.models import Comment, ConditionRecord, DecisionRecord, WaiverRecord
from riskscreen.review.steps import act, actor_for, case_row, load_case, record_event, subject
from riskscreen.store.accounts import utcnow
from riskscreen.store.engagements import current_screening
from riskscreen.store.models import EngagementRecord, User
from riskscreen.workflow.decisions import ScreeningBasis, make_decision
from riskscreen.workflow.errors import InvalidDecision, WorkflowError
from riskscreen.workflow.machine import Action, Case, State
from riskscreen.workflow.waivers import grant_waiver, is_expired, requeue_on_expiry

MAX_COMMENT = 5000


def decide(session: Session, record: EngagementRecord, user: User, data: Mapping[str, Any], *,
           bodies: Collection[str], known_rules: Collection[str],
           waivers: Sequence[Mapping[str, Any]] = (), today: date | None = None) -> DecisionRecord:
    """Record a decision on the engagement's current screening, with its conditions and any
    waivers, as one step. Every problem with the form is reported together."""
    screening = current_screening(session, record)
    if screening is None:
        raise InvalidDecision(Problem("the engagement has no screening of its current answers to decide on",
                                      Location(field="decision")))
    result = ScreeningResult.model_validate(screening.result)
    basis = ScreeningBasis.of(str(screening.id), result)
    problems: list[Problem] = []
    decision = None
    try:
        decision = make_decision({**data, "basis": basis.model_dump()}, bodies)
    except InvalidDecision as exc:
        problems.extend(exc.problems)
    granted: list[Waiver] = []
    case = load_case(session, record)
    actor = actor_for(user, record)
    if actor is None:
        raise WorkflowError("you have no part in this engagement's review")
    # a waiver is granted with the decision, so check it as the case will be once decided
    deciding = Case(State.DECIDED, case.submitters, None)
    for index, item in enumerate(waivers):
        try:
            granted.append(grant_waiver(item, engagement_id=record.reference, case=deciding, actor=actor,
                                        approver_name=user.name, today=today or date.today(),
                                        known_rules=known_rules))
        except InvalidDecision as exc:
            problems.extend(Problem(p.message, Location(field=f"waivers[{index}].{p.location.field}"),
                                    p.value, p.suggestion) for p in exc.problems)
    if problems or decision is None:
        raise InvalidDecision(problems)
    _, step_row = act(session, record, user, Action.DECIDE, decision=decision)
    session.flush()
    row = DecisionRecord(engagement_id=record.id, step_id=step_row.id, kind=decision.kind.value,
                         reason=decision.reason, referred_to=decision.referred_to, screening_id=screening.id,
                         tier=basis.tier, rule_pack_hash=basis.rule_pack_hash,
                         taxonomies_hash=basis.taxonomies_hash, watchlists_hash=basis.watchlists_hash,
                         decided_by_id=user.id, decided_at=step_row.at)
    session.add(row)
    session.flush()
    for position, condition in enumerate(decision.conditions):
        session.add(ConditionRecord(decision_id=row.id, position=position, text=condition.text,
                                    owner=condition.owner, due=condition.due))
    for waiver in granted:
        _store_waiver(session, record, user, waiver)
    session.flush()
    session.refresh(row)
    return row


def _store_waiver(session: Session, record: EngagementRecord, user: User, waiver: Waiver) -> WaiverRecord:
    row = WaiverRecord(engagement_id=record.id, rule_id=waiver.rule_id, reason=waiver.reason,
                       approved_by=waiver.approved_by, expires=waiver.expires, granted_by_id=user.id,
                       granted_at=utcnow(), expiry_handled_at=None)
    session.add(row)
    record_event(session, user, "waiver.grant", subject(record), None, waiver.model_dump(mode="json"))
    return row


def add_waiver(session: Session, record: EngagementRecord, user: User, data: Mapping[str, Any], *,
               known_rules: Collection[str], today: date | None = None) -> WaiverRecord:
    """A waiver granted on its own (while reviewing, or after the decision)."""
    actor = actor_for(user, record)
    if actor is None:
        raise WorkflowError("you have no part in this engagement's review")
    waiver = grant_waiver(data, engagement_id=record.reference, case=load_case(session, record), actor=actor,
                          approver_name=user.name, today=today or date.today(), known_rules=known_rules)
    return _store_waiver(session, record, user, waiver)


def waivers_of(session: Session, record: EngagementRecord) -> list[WaiverRecord]:
    return list(session.scalars(select(WaiverRecord).where(WaiverRecord.engagement_id == record.id)
                                .order_by(WaiverRecord.id)))


def as_waiver(row: WaiverRecord) -> Waiver:
    return Waiver(engagement_id=row.engagement.reference, rule_id=row.rule_id, reason=row.reason,
                  approved_by=row.approved_by, expires=row.expires)


def current_waivers(session: Session, today: date) -> list[Waiver]:
    """Every waiver still in force, for a waivers file ``riskscreen check --waivers`` reads."""
    rows = session.scalars(select(WaiverRecord).where(WaiverRecord.expires >= today).order_by(WaiverRecord.id))
    return [as_waiver(r) for r in rows]


def expire_waivers(session: Session, today: date) -> list[int]:
    """Handle each waiver that has expired since last time: a decided engagement goes back to the
    queue (by the system), and the waiver is marked so it happens once. Returns engagement ids."""
    requeued: list[int] = []
    rows = session.scalars(select(WaiverRecord).where(WaiverRecord.expires < today,
                                                      WaiverRecord.expiry_handled_at.is_(None))
                           .order_by(WaiverRecord.id)).all()
    for row in rows:
        record = row.engagement
        waiver = as_waiver(row)
        if not is_expired(waiver, today):
            continue
        step = requeue_on_expiry(load_case(session, record), waiver, today)
        if step is not None:
            act(session, record, None, Action.REQUEUE, note=step.note)
            requeued.append(record.id)
        row.expiry_handled_at = utcnow()
        record_event(session, None, "waiver.expire", subject(record), None,
                     {**waiver.model_dump(mode="json"), "requeued": step is not None})
    return requeued


def assign(session: Session, record: EngagementRecord, user: User, assignee: User | None) -> None:
    if assignee is not None and (assignee.role != "reviewer" or not assignee.active):
        raise InvalidDecision(Problem("only an active reviewer can be assigned", Location(field="assignee"),
                                      value=assignee.email))
    row = case_row(session, record)
    before = row.assignee.email if row.assignee is not None else None
    row.assignee_id = assignee.id if assignee is not None else None
    row.assignee = assignee
    record_event(session, user, "engagement.assign", subject(record), {"assignee": before},
                 {"assignee": assignee.email if assignee is not None else None})


def comment(session: Session, record: EngagementRecord, user: User, body: str) -> Comment:
    text = body.strip()
    if not text:
        raise InvalidDecision(Problem("enter a comment", Location(field="body")))
    if len(text) > MAX_COMMENT:
        raise InvalidDecision(Problem(f"a comment can be at most {MAX_COMMENT} characters", Location(field="body"),
                                      value=f"{len(text)} characters"))
    row = Comment(engagement_id=record.id, author_id=user.id, body=text, at=utcnow())
    session.add(row)
    record_event(session, user, "comment.add", subject(record), None, {"body": text}, at=row.at)
    return row


def comments_of(session: Session, record: EngagementRecord) -> list[Comment]:
    return list(session.scalars(select(Comment).where(Comment.engagement_id == record.id).order_by(Comment.id)))


def meet_condition(session: Session, record: EngagementRecord, user: User, condition_id: int,
                   on: date) -> ConditionRecord:
    row = session.get(ConditionRecord, condition_id)
    if row is None or row.decision.engagement_id != record.id:
        raise InvalidDecision(Problem("no such condition on this engagement", Location(field="condition")))
    if row.met_on is not None:
        raise InvalidDecision(Problem(f"this condition was already met on {row.met_on.isoformat()}",
                                      Location(field="condition")))
    row.met_on, row.met_by_id = on, user.id
    record_event(session, user, "condition.met", subject(record), {"condition": row.id, "met_on": None},
                 {"condition": row.id, "text": row.text, "met_on": on})
    return row


def publish(session: Session, record: EngagementRecord, user: User, public: bool) -> None:
    row = case_row(session, record)
    before = bool(row.public)
    row.public = public
    record_event(session, user, "register.publish" if public else "register.unpublish", subject(record),
                 {"public": before}, {"public": public})


def decisions_of(session: Session, record: EngagementRecord) -> list[DecisionRecord]:
    return list(session.scalars(select(DecisionRecord).where(DecisionRecord.engagement_id == record.id)
                                .order_by(DecisionRecord.id.desc())))


def users_named(session: Session, ids: Iterable[int]) -> dict[int, User]:
    wanted = set(ids)
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}
