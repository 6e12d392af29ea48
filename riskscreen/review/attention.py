"""What needs my attention: the in-app list each user sees, computed from the review's state.

A reviewer: open engagements assigned to them, answers to questions they asked, engagements sent
back to the queue (flagged), and overdue conditions of decisions they made. An officer: their
organisation's engagements waiting for their answer, and decided ones with conditions still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskscreen.review.models import ConditionRecord, DecisionRecord, ReviewCase, WorkflowStep
from riskscreen.store.models import EngagementRecord, User
from riskscreen.workflow.machine import OPEN_STATES

_OPEN = tuple(s.value for s in OPEN_STATES)
LIMIT = 100


@dataclass(frozen=True)
class Item:
    record: EngagementRecord
    why: str
    href: str


def _last_step(session: Session, record: EngagementRecord) -> WorkflowStep | None:
    return session.scalar(select(WorkflowStep).where(WorkflowStep.engagement_id == record.id)
                          .order_by(WorkflowStep.id.desc()).limit(1))


def for_reviewer(session: Session, user: User, today: date) -> list[Item]:
    items: list[Item] = []
    seen: set[int] = set()

    def add(record: EngagementRecord, why: str) -> None:
        if record.id not in seen:
            seen.add(record.id)
            items.append(Item(record, why, f"/review/{record.id}"))

    flagged = session.scalars(select(EngagementRecord).join(ReviewCase, ReviewCase.engagement_id == EngagementRecord.id)
                              .where(ReviewCase.flagged.is_(True), EngagementRecord.status.in_(_OPEN))
                              .order_by(EngagementRecord.submitted_at).limit(LIMIT))
    for record in flagged:
        case = session.get(ReviewCase, record.id)
        add(record, f"Back in the queue: {case.flag_note if case else ''}")
    answered = session.scalars(select(EngagementRecord).where(EngagementRecord.status == "in_review")
                               .order_by(EngagementRecord.updated_at).limit(LIMIT * 5))
    for record in answered:
        last = _last_step(session, record)
        if last is None or last.action != "provide_information":
            continue
        asked = session.scalar(select(WorkflowStep.actor_id).where(
            WorkflowStep.engagement_id == record.id, WorkflowStep.action == "request_information")
            .order_by(WorkflowStep.id.desc()).limit(1))
        case = session.get(ReviewCase, record.id)
        if asked == user.id or (case is not None and case.assignee_id == user.id):
            add(record, "The officer answered your question")
    assigned = session.scalars(select(EngagementRecord).join(ReviewCase, ReviewCase.engagement_id == EngagementRecord.id)
                               .where(ReviewCase.assignee_id == user.id, EngagementRecord.status.in_(_OPEN))
                               .order_by(EngagementRecord.submitted_at).limit(LIMIT))
    for record in assigned:
        add(record, "Assigned to you")
    overdue = session.execute(select(ConditionRecord, DecisionRecord).join(
        DecisionRecord, DecisionRecord.id == ConditionRecord.decision_id)
        .where(DecisionRecord.decided_by_id == user.id, ConditionRecord.met_on.is_(None),
               ConditionRecord.due < today).limit(LIMIT))
    for condition, decision in overdue:
        decided = session.get(EngagementRecord, decision.engagement_id)
        if decided is not None and decided.status == "decided":
            add(decided, f"A condition is overdue: {condition.text} ({condition.owner}, due {condition.due:%-d %b %Y})")
    return items


def for_officer(session: Session, user: User, today: date) -> list[Item]:
    items = [Item(r, "A reviewer asked for information", f"/engagements/{r.id}/respond")
             for r in session.scalars(select(EngagementRecord).where(
                 EngagementRecord.organisation_id == user.organisation_id,
                 EngagementRecord.status == "information_requested").order_by(EngagementRecord.updated_at))]
    open_conditions = session.execute(select(ConditionRecord, DecisionRecord).join(
        DecisionRecord, DecisionRecord.id == ConditionRecord.decision_id)
        .join(EngagementRecord, EngagementRecord.id == DecisionRecord.engagement_id)
        .where(EngagementRecord.organisation_id == user.organisation_id, EngagementRecord.status == "decided",
               ConditionRecord.met_on.is_(None)).order_by(ConditionRecord.due).limit(LIMIT))
    for condition, decision in open_conditions:
        record = session.get(EngagementRecord, decision.engagement_id)
        if record is None:
            continue
        state = "overdue" if condition.due < today else "due"
        items.append(Item(record, f"Condition {state} {condition.due:%-d %b %Y}: {condition.text} ({condition.owner})",
                          f"/engagements/{record.id}#review"))
    return items


def needs_attention(session: Session, user: User, today: date) -> list[Item]:
    if user.role == "reviewer":
        return for_reviewer(session, user, today)
    if user.role in ("officer", "admin"):
        return for_officer(session, user, today)
    return []
