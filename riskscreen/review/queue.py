"""The reviewers' queue in SQL, and the dashboard's figures computed from the very same filtered
query (so the counts can never drift from the lists they summarise)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from riskscreen.models.base import RISK_TYPES, TIER_ORDER
from riskscreen.review.models import ReviewCase
from riskscreen.store.engagements import text_matches
from riskscreen.store.models import EngagementRecord, Organisation, User
from riskscreen.workflow.clock import (
    ClockPolicy,
    ClockStatus,
    ReviewClock,
    due_window,
    review_clock,
)
from riskscreen.workflow.machine import OPEN_STATES
from riskscreen.workflow.queue import QueueQuery
from riskscreen.workflow.stats import percentile

_OPEN = tuple(s.value for s in OPEN_STATES)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _clock_condition(status: str, today: date, policy: ClockPolicy) -> Any:
    low, high = due_window(today, policy, ClockStatus(status))
    parts: list[Any] = [EngagementRecord.status.in_(_OPEN), EngagementRecord.submitted_at.is_not(None)]
    if low is not None:
        parts.append(EngagementRecord.submitted_at >= _start(low))
    if high is not None:
        parts.append(EngagementRecord.submitted_at < _start(high + timedelta(days=1)))
    return and_(*parts)


def filtered(query: Select[Any], q: QueueQuery, user: User, today: date, policy: ClockPolicy) -> Select[Any]:
    """Apply the queue's filters to a query over engagement ⟕ review_case. Drafts never appear."""
    query = query.where(EngagementRecord.status != "draft")
    if q.states:
        query = query.where(EngagementRecord.status.in_(q.states))
    if q.tiers:
        query = query.where(EngagementRecord.tier.in_(q.tiers))
    if q.organisations:
        query = query.where(EngagementRecord.organisation_id.in_(q.organisations))
    if q.countries:
        query = query.where(ReviewCase.country.in_(q.countries))
    if q.risk_types:
        query = query.where(or_(*(ReviewCase.risk_types.like(f"%,{t},%") for t in q.risk_types)))
    if q.assignee == "me":
        query = query.where(ReviewCase.assignee_id == user.id)
    elif q.assignee == "nobody":
        query = query.where(ReviewCase.assignee_id.is_(None))
    elif q.assignee:
        query = query.where(ReviewCase.assignee_id == int(q.assignee))
    if q.clock:
        query = query.where(or_(*(_clock_condition(c, today, policy) for c in q.clock)))
    if q.flagged:
        query = query.where(ReviewCase.flagged.is_(True))
    if q.text.strip():
        query = query.where(text_matches(q.text))
    return query


def _base(columns: Sequence[Any]) -> Select[Any]:
    return (select(*columns).select_from(EngagementRecord)
            .join(Organisation, Organisation.id == EngagementRecord.organisation_id)
            .outerjoin(ReviewCase, ReviewCase.engagement_id == EngagementRecord.id))


_TIER_RANK = case({t: i for i, t in enumerate(TIER_ORDER)}, value=EngagementRecord.tier, else_=-1)


def _order(q: QueueQuery) -> list[Any]:
    column: Any = {
        "clock": EngagementRecord.submitted_at,
        "tier": _TIER_RANK,
        "submitted": EngagementRecord.submitted_at,
        "updated": EngagementRecord.updated_at,
        "organisation": Organisation.name,
        "reference": EngagementRecord.reference,
    }[q.sort]
    # the clock runs out first for the oldest submission; "descending" turns any order round
    primary = column.desc() if q.descending else column.asc()
    return [primary, EngagementRecord.id.desc() if q.descending else EngagementRecord.id.asc()]


@dataclass(frozen=True)
class QueueRow:
    record: EngagementRecord
    case: ReviewCase | None
    clock: ReviewClock | None


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def clock_of(record: EngagementRecord, case_row: ReviewCase | None, today: date, policy: ClockPolicy) -> ReviewClock | None:
    if record.submitted_at is None:
        return None
    stopped = None
    if record.status not in _OPEN:
        stopped = (case_row.decided_at if case_row is not None and case_row.decided_at else record.updated_at).date()
    return review_clock(record.submitted_at.date(), today, policy, stopped_on=stopped)


def queue_page(session: Session, q: QueueQuery, user: User, today: date, policy: ClockPolicy) -> QueuePage:
    total = session.scalar(filtered(_base([func.count(EngagementRecord.id)]), q, user, today, policy)) or 0
    page = min(q.page, max(1, -(-total // q.per_page)))
    query = filtered(_base([EngagementRecord, ReviewCase]), q, user, today, policy).order_by(*_order(q))
    rows = session.execute(query.offset((page - 1) * q.per_page).limit(q.per_page)).all()
    return QueuePage([QueueRow(r[0], r[1], clock_of(r[0], r[1], today, policy)) for r in rows],
                     total, page, q.per_page)


@dataclass(frozen=True)
class Dashboard:
    total: int
    by_tier: dict[str, int]
    by_state: dict[str, int]
    by_organisation: list[tuple[str, int]]
    by_risk_type: dict[str, int]
    overdue: int
    decided: int
    median_days_to_decision: float | None
    p90_days_to_decision: float | None


def dashboard(session: Session, q: QueueQuery, user: User, today: date, policy: ClockPolicy) -> Dashboard:
    """Counts over exactly the rows the queue with the same filters lists (whatever its page)."""
    def grouped(column: Any) -> list[tuple[Any, int]]:
        query = filtered(_base([column, func.count(EngagementRecord.id)]), q, user, today, policy)
        return [(k, int(n)) for k, n in session.execute(query.group_by(column))]

    total = session.scalar(filtered(_base([func.count(EngagementRecord.id)]), q, user, today, policy)) or 0
    by_tier = dict(grouped(EngagementRecord.tier))
    by_state = dict(grouped(EngagementRecord.status))
    by_org = sorted(grouped(Organisation.name), key=lambda item: (-item[1], item[0]))
    by_risk = {}
    for risk in RISK_TYPES:
        query = filtered(_base([func.count(EngagementRecord.id)]), q, user, today, policy)
        by_risk[risk] = session.scalar(query.where(ReviewCase.risk_types.like(f"%,{risk},%"))) or 0
    overdue_q = filtered(_base([func.count(EngagementRecord.id)]), q, user, today, policy)
    overdue = session.scalar(overdue_q.where(_clock_condition("overdue", today, policy))) or 0
    spans = filtered(_base([EngagementRecord.submitted_at, ReviewCase.decided_at]), q, user, today, policy)
    spans = spans.where(EngagementRecord.status == "decided", ReviewCase.decided_at.is_not(None),
                        EngagementRecord.submitted_at.is_not(None))
    days = [max((decided - submitted).total_seconds(), 0) / 86400
            for submitted, decided in session.execute(spans)]
    return Dashboard(total, {t: by_tier.get(t, 0) for t in TIER_ORDER}, by_state, by_org, by_risk, overdue,
                     len(days), percentile(days, 50), percentile(days, 90))
