"""Who is told what, read from the review's own history (an outbox without a second table):
the sender walks the workflow steps and comments written since it last looked, composes the
notices and queues one email job each. Off unless an SMTP host is configured; the cursor moves
on either way, so switching email on later does not send a backlog.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskscreen.review import jobs
from riskscreen.review.models import Comment, NotifyCursor, ReviewCase, WorkflowStep
from riskscreen.store.models import EngagementRecord, User
from riskscreen.workflow.machine import Action
from riskscreen.workflow.notify import MailSettings, Notice, comment_notice, compose

# Steps the officer hears about, and steps the reviewers (the assignee, else whoever asked) hear about.
_TO_OFFICER = {Action.ACCEPT.value, Action.REQUEST_INFORMATION.value, Action.DECIDE.value, Action.REOPEN.value}
_TO_REVIEWER = {Action.PROVIDE_INFORMATION.value, Action.WITHDRAW.value, Action.REQUEUE.value}
BATCH = 500


def _officers(session: Session, record: EngagementRecord) -> list[str]:
    ids = {record.created_by_id} | {a for a in session.scalars(
        select(WorkflowStep.actor_id).where(WorkflowStep.engagement_id == record.id,
                                            WorkflowStep.action == Action.SUBMIT.value)) if a is not None}
    return [u.email for u in session.scalars(select(User).where(User.id.in_(ids), User.active.is_(True)))]


def _reviewers(session: Session, record: EngagementRecord) -> list[str]:
    case = session.get(ReviewCase, record.id)
    if case is not None and case.assignee is not None and case.assignee.active:
        return [case.assignee.email]
    ids = {a for a in session.scalars(select(WorkflowStep.actor_id).where(
        WorkflowStep.engagement_id == record.id, WorkflowStep.actor_role == "reviewer")) if a is not None}
    return [u.email for u in session.scalars(select(User).where(User.id.in_(ids), User.active.is_(True)))]


def collect(session: Session, base_url: str) -> list[Notice]:
    """Notices for the steps and comments since the cursor; moves the cursor past them."""
    cursor = session.get(NotifyCursor, 1)
    if cursor is None:
        return []
    notices: list[Notice] = []
    steps = session.scalars(select(WorkflowStep).where(WorkflowStep.id > cursor.step_id)
                            .order_by(WorkflowStep.id).limit(BATCH)).all()
    for step in steps:
        record = session.get(EngagementRecord, step.engagement_id)
        assert record is not None
        if step.action in _TO_OFFICER:
            to, link = _officers(session, record), f"{base_url}/engagements/{record.id}"
        elif step.action in _TO_REVIEWER:
            to, link = _reviewers(session, record), f"{base_url}/review/{record.id}"
        else:
            continue
        notice = compose(step.action, record.reference, record.title, link,
                         [a for a in to if step.actor is None or a != step.actor.email], note=step.note)
        if notice is not None:
            notices.append(notice)
        cursor.step_id = step.id
    if steps:
        cursor.step_id = steps[-1].id
    comments = session.scalars(select(Comment).where(Comment.id > cursor.comment_id)
                               .order_by(Comment.id).limit(BATCH)).all()
    for comment in comments:
        record = session.get(EngagementRecord, comment.engagement_id)
        assert record is not None
        author = comment.author
        to = _officers(session, record) + _reviewers(session, record)
        link = (f"{base_url}/review/{record.id}" if author.role != "reviewer"
                else f"{base_url}/engagements/{record.id}")
        notice = comment_notice(record.reference, record.title, link, [a for a in to if a != author.email],
                                author.name)
        if notice is not None:
            notices.append(notice)
    if comments:
        cursor.comment_id = comments[-1].id
    return notices


def queue_notices(session: Session, settings: MailSettings, base_url: str) -> int:
    """Queue an email job per notice (only when email is on); returns how many were queued."""
    notices = collect(session, base_url.rstrip("/"))
    if not settings.enabled:
        return 0
    for notice in notices:
        jobs.enqueue(session, "send_email", {"to": list(notice.to), "subject": notice.subject, "body": notice.body},
                     "system")
    return len(notices)
