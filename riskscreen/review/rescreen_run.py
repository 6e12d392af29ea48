"""Re-screening stored engagements when the rules change: streamed in batches by id, each batch
in its own transaction, resumable from a checkpoint (so a job survives a restart). A batch reads
what it needs with a few queries and inserts its screenings and audit events together.

An open or approved engagement whose latest screening used a different rule pack, taxonomies or
watchlists is screened again into a new screening row (nothing is overwritten) and compared with
the same comparison as ``riskscreen diff``; what that means for the review (re-queued, flagged,
noted) is decided by :mod:`riskscreen.workflow.rescreen`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskscreen.models.result import Provenance, ScreeningResult
from riskscreen.review.audit_store import batched
from riskscreen.review.models import RescreenChange, ReviewCase
from riskscreen.review.steps import act, case_row, load_cases, record_event, refresh_case, subject
from riskscreen.store import Store
from riskscreen.store.accounts import utcnow
from riskscreen.store.engagements import latest_screenings, record_screening
from riskscreen.store.models import EngagementRecord, Screening, User
from riskscreen.workflow.machine import OPEN_STATES, Action, Case, State
from riskscreen.workflow.rescreen import Effect, rescreen_outcome, should_rescreen

BATCH = 200
_CANDIDATE_STATES = tuple(s.value for s in (*OPEN_STATES, State.DECIDED))

Screen = Callable[[Mapping[str, Any], date], ScreeningResult]


@dataclass
class RescreenSummary:
    checked: int = 0
    rescreened: int = 0
    requeued: int = 0
    flagged: int = 0
    noted: int = 0
    unchanged: int = 0
    cursor: int = 0
    changes: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"checked": self.checked, "rescreened": self.rescreened, "requeued": self.requeued,
                "flagged": self.flagged, "noted": self.noted, "unchanged": self.unchanged, "cursor": self.cursor}

    @classmethod
    def resume(cls, progress: Mapping[str, Any]) -> RescreenSummary:
        def n(key: str) -> int:
            return int(progress.get(key, 0))

        return cls(checked=n("checked"), rescreened=n("rescreened"), requeued=n("requeued"), flagged=n("flagged"),
                   noted=n("noted"), unchanged=n("unchanged"), cursor=n("cursor"))


def _stale(screening: Any, current: Provenance) -> bool:
    return (screening.rule_pack_hash, screening.taxonomies_hash, screening.watchlists_hash) != (
        current.rule_pack.hash, current.taxonomies.hash, current.watchlists.hash)


def _batches(store: Store, start: int, size: int) -> Iterator[list[int]]:
    cursor = start
    while True:
        with store.session() as session:
            ids = list(session.scalars(select(EngagementRecord.id)
                                       .where(EngagementRecord.id > cursor,
                                              EngagementRecord.status.in_(_CANDIDATE_STATES))
                                       .order_by(EngagementRecord.id).limit(size)))
        if not ids:
            return
        yield ids
        cursor = ids[-1]


def rescreen(store: Store, screen: Screen, current: Provenance, by_email: str, *, as_of: date,
             progress: Mapping[str, Any] | None = None, checkpoint: Callable[[dict[str, Any]], None] | None = None,
             job_id: int | None = None, batch: int = BATCH, keep_changes: bool = False) -> RescreenSummary:
    """Re-screen every open and approved engagement whose rules changed, batch by batch.

    ``screen`` is the engine's screening function; ``current`` its provenance (the versions to
    compare with); ``by_email`` the admin the new screenings are recorded against. Each batch is
    one transaction: its new screenings, case changes and audit events commit together, with the
    audit chain's head locked once for the batch.
    """
    summary = RescreenSummary.resume(progress or {})
    for ids in _batches(store, summary.cursor, batch):
        with store.session() as session, batched(session):
            by = session.scalar(select(User).where(User.email == by_email))
            if by is None:
                raise ValueError(f"no user {by_email!r} to record the re-screening against")
            _batch(session, ids, by, screen, current, as_of, summary, job_id, keep_changes)
            summary.cursor = ids[-1]
        if checkpoint is not None:
            checkpoint(summary.as_dict())
    return summary


@dataclass
class _Pending:
    record: EngagementRecord
    case: Case
    latest: Screening
    old: ScreeningResult
    new: ScreeningResult
    screening: Screening


def _batch(session: Session, ids: list[int], by: User, screen: Screen, current: Provenance, as_of: date,
           summary: RescreenSummary, job_id: int | None, keep_changes: bool) -> None:
    records = list(session.scalars(select(EngagementRecord).where(EngagementRecord.id.in_(ids))
                                   .order_by(EngagementRecord.id)))
    latest = latest_screenings(session, ids)
    cases = load_cases(session, records)
    # the review-case rows in one query; holding them keeps them in the session's (weak) identity
    # map, where case_row finds them without a query each
    review_cases = list(session.scalars(select(ReviewCase).where(ReviewCase.engagement_id.in_(ids))))
    pending = []
    for record in records:
        summary.checked += 1
        previous, case = latest.get(record.id), cases[record.id]
        if previous is None or not should_rescreen(case) or not _stale(previous, current):
            continue
        new = screen(record.input, as_of)
        pending.append(_Pending(record, case, previous, ScreeningResult.model_validate(previous.result), new,
                                record_screening(session, record, new, by, flush=False)))
    session.flush()  # the batch's new screenings in one go; each now has its id
    for item in pending:
        _apply(session, item, by, current, summary, job_id, keep_changes)
    del review_cases


def _apply(session: Session, item: _Pending, by: User, current: Provenance, summary: RescreenSummary,
           job_id: int | None, keep_changes: bool) -> None:
    record, old, new, screening = item.record, item.old, item.new, item.screening
    outcome = rescreen_outcome(item.case, old, new)
    refresh_case(session, record, screening)
    summary.rescreened += 1
    if outcome.effect is Effect.REQUEUED and outcome.step is not None:
        act(session, record, None, Action.REQUEUE, note=outcome.step.note)
        summary.requeued += 1
    elif outcome.effect is Effect.FLAGGED:
        row = case_row(session, record)
        row.flagged = True
        row.flag_note = (f"re-screening under changed rules raised the tier from {old.tier} to {new.tier}")
        summary.flagged += 1
    elif outcome.effect is Effect.NOTED:
        summary.noted += 1
    else:
        summary.unchanged += 1
    change = outcome.change
    if change is not None:
        session.add(RescreenChange(job_id=job_id, engagement_id=record.id, old_screening_id=item.latest.id,
                                   new_screening_id=screening.id, change=change.change,
                                   old_tier=old.tier, new_tier=new.tier,
                                   added_findings=json.dumps(change.added_findings),
                                   removed_findings=json.dumps(change.removed_findings),
                                   effect=outcome.effect.value, at=utcnow()))
        if keep_changes:
            summary.changes.append({"engagement": record.reference, "change": change.change,
                                    "old_tier": old.tier, "new_tier": new.tier, "effect": outcome.effect.value,
                                    "added": change.added_findings, "removed": change.removed_findings})
    record_event(session, by, "engagement.rescreen", subject(record),
                 {"screening": item.latest.id, "tier": old.tier},
                 {"screening": screening.id, "tier": new.tier, "effect": outcome.effect.value,
                  "rule_pack": current.rule_pack.hash, "taxonomies": current.taxonomies.hash,
                  "watchlists": current.watchlists.hash})
