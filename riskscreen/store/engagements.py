"""Engagements and their screenings: create, update the current input, record screenings, list."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from riskscreen.errors import RiskscreenError
from riskscreen.models.result import ScreeningResult
from riskscreen.store.accounts import utcnow
from riskscreen.store.models import EngagementRecord, Screening, User
from riskscreen.store.workflow import DRAFT, STATUSES, editable
from riskscreen.workflow.machine import Action, Step


class EngagementError(RiskscreenError):
    """An engagement change that cannot be made (duplicate reference, not editable …)."""


def input_hash(data: Mapping[str, Any]) -> str:
    """SHA-256 of the input as canonical JSON, so equal inputs hash equal whatever the key order."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_reference() -> str:
    return "RS-" + secrets.token_hex(4).upper()


def _summary_columns(record: EngagementRecord, data: Mapping[str, Any]) -> None:
    record.title = (str(data["title"])[:500] if data.get("title") else None)
    partner = data.get("partner")
    record.partner_name = (str(partner.get("name"))[:500] if isinstance(partner, Mapping)
                           and partner.get("name") else None)
    review = data.get("review_date")
    record.review_date = review if isinstance(review, date) else _as_date(review)


def _as_date(value: Any) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    """The input as plain JSON types (dates as ISO strings), as stored and as downloaded."""
    loaded: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return loaded


def reference_taken(session: Session, organisation_id: int, reference: str,
                    except_id: int | None = None) -> bool:
    query = select(EngagementRecord.id).where(EngagementRecord.organisation_id == organisation_id,
                                              EngagementRecord.reference == reference)
    if except_id is not None:
        query = query.where(EngagementRecord.id != except_id)
    return session.scalar(query) is not None


def create_engagement(session: Session, user: User, data: Mapping[str, Any]) -> EngagementRecord:
    """A new draft in the user's organisation; its reference is the input's id (made if absent)."""
    stored = jsonable(data)
    reference = str(stored.get("id") or "").strip() or new_reference()
    while not stored.get("id") and reference_taken(session, user.organisation_id, reference):
        reference = new_reference()
    if reference_taken(session, user.organisation_id, reference):
        raise EngagementError(f"your organisation already has an engagement with id {reference!r}")
    stored["id"] = reference
    now = utcnow()
    record = EngagementRecord(organisation_id=user.organisation_id, reference=reference,
                              status=DRAFT, input=stored, tier=None, created_by_id=user.id,
                              created_at=now, updated_at=now, submitted_at=None)
    _summary_columns(record, stored)
    session.add(record)
    session.flush()
    return record


def update_input(session: Session, record: EngagementRecord, data: Mapping[str, Any]) -> None:
    """Replace the current input of a draft (screenings already made are kept as they were)."""
    if not editable(record.status):
        raise EngagementError(
            f"only drafts (or engagements a reviewer asked you about) can be changed; this engagement is "
            f"{STATUSES[record.status].lower()}")
    stored = jsonable(data)
    reference = str(stored.get("id") or "").strip() or record.reference
    if reference != record.reference and reference_taken(session, record.organisation_id,
                                                         reference, except_id=record.id):
        raise EngagementError(f"your organisation already has an engagement with id {reference!r}")
    stored["id"] = reference
    if input_hash(stored) != input_hash(record.input):
        record.tier = None  # the latest screening no longer describes the current input
    record.reference = reference
    record.input = stored
    record.updated_at = utcnow()
    _summary_columns(record, stored)
    session.flush()


def record_screening(session: Session, record: EngagementRecord, result: ScreeningResult,
                     user: User, *, flush: bool = True) -> Screening:
    """Append a screening of the record's current input; never overwrites an earlier one.
    Without ``flush`` the row waits for the session's next flush (and has no id until then), so
    many can be inserted together."""
    provenance = result.provenance
    screening = Screening(
        engagement_id=record.id,
        input_hash=input_hash(record.input),
        input=record.input,
        tier=result.tier,
        result=result.model_dump(mode="json"),
        rule_pack_name=provenance.rule_pack.name,
        rule_pack_version=provenance.rule_pack.version,
        rule_pack_hash=provenance.rule_pack.hash,
        taxonomies_version=provenance.taxonomies.version,
        taxonomies_hash=provenance.taxonomies.hash,
        watchlists_version=provenance.watchlists.version,
        watchlists_hash=provenance.watchlists.hash,
        tool_version=provenance.tool_version,
        as_of=provenance.as_of,
        screened_by_id=user.id,
        screened_at=utcnow(),
        finding_count=len(result.findings),
        notes=None,
    )
    session.add(screening)
    record.tier = result.tier
    record.updated_at = screening.screened_at
    if flush:
        session.flush()
    return screening


def latest_screening(session: Session, record: EngagementRecord) -> Screening | None:
    return session.scalar(select(Screening).where(Screening.engagement_id == record.id)
                          .order_by(Screening.id.desc()).limit(1))


def latest_screenings(session: Session, engagement_ids: Sequence[int]) -> dict[int, Screening]:
    """Each engagement's latest screening, for many engagements in one query."""
    newest = (select(func.max(Screening.id)).where(Screening.engagement_id.in_(engagement_ids))
              .group_by(Screening.engagement_id))
    return {row.engagement_id: row for row in session.scalars(select(Screening).where(Screening.id.in_(newest)))}


def current_screening(session: Session, record: EngagementRecord) -> Screening | None:
    """The latest screening, if it was made of the engagement's current input."""
    latest = latest_screening(session, record)
    if latest is None or latest.input_hash != input_hash(record.input):
        return None
    return latest


def screenings(session: Session, record: EngagementRecord) -> list[Screening]:
    return list(session.scalars(select(Screening).where(Screening.engagement_id == record.id)
                                .order_by(Screening.id.desc())))


def apply_transition(session: Session, record: EngagementRecord, action: str, user: User,
                     note: str | None = None) -> Step:
    """Submit, withdraw or reopen (and every review action) through the one path that writes a
    status: the state machine, the workflow step and the audit event, in this transaction."""
    from riskscreen.review.steps import act  # the review package builds on this one

    return act(session, record, user, Action(action), note=note)[0]


def delete_draft(session: Session, record: EngagementRecord) -> None:
    """Delete a draft never screened; anything screened stays on record (withdraw it instead)."""
    if record.status != DRAFT or latest_screening(session, record) is not None:
        raise EngagementError("only drafts that were never screened can be deleted; withdraw it instead")
    session.delete(record)
    session.flush()


@dataclass(frozen=True)
class EngagementFilter:
    organisation_id: int | None = None  # None: every organisation
    statuses: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    text: str = ""
    exclude_statuses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    items: list[EngagementRecord]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filtered(query: Select[Any], where: EngagementFilter) -> Select[Any]:
    if where.organisation_id is not None:
        query = query.where(EngagementRecord.organisation_id == where.organisation_id)
    if where.statuses:
        query = query.where(EngagementRecord.status.in_(where.statuses))
    if where.exclude_statuses:
        query = query.where(EngagementRecord.status.not_in(where.exclude_statuses))
    if where.tiers:
        query = query.where(EngagementRecord.tier.in_(where.tiers))
    if where.text.strip():
        query = query.where(text_matches(where.text))
    return query


def text_matches(text: str) -> Any:
    """Reference, title or partner name containing ``text``, case-insensitively (wildcards escaped)."""
    pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(EngagementRecord.reference.ilike(pattern, escape="\\"),
               EngagementRecord.title.ilike(pattern, escape="\\"),
               EngagementRecord.partner_name.ilike(pattern, escape="\\"))


def list_engagements(session: Session, where: EngagementFilter, page: int = 1,
                     per_page: int = 25) -> Page:
    page = max(1, page)
    total = session.scalar(_filtered(select(func.count(EngagementRecord.id)), where)) or 0
    query = _filtered(select(EngagementRecord), where).order_by(
        EngagementRecord.updated_at.desc(), EngagementRecord.id.desc())
    items = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return Page(items, total, page, per_page)
