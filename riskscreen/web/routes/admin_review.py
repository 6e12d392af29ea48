"""The administrator's re-screening page: what would change, a button that queues the job, and
what each run changed (the same comparison as ``riskscreen diff``)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from riskscreen.review import jobs
from riskscreen.review.models import RescreenChange
from riskscreen.review.steps import record_event
from riskscreen.store.models import EngagementRecord, Screening
from riskscreen.web.auth import DbSession, PageUser, require
from riskscreen.web.context import service

router = APIRouter()

_CANDIDATES = ("submitted", "in_review", "information_requested", "decided")


def stale_count(session: Session, rule_pack: str, taxonomies: str, watchlists: str) -> int:
    """Engagements in the queue or decided whose latest screening used other rules (an upper
    bound: declined and referred decisions are counted here but left alone by the run)."""
    latest = (select(Screening.engagement_id, func.max(Screening.id).label("latest"))
              .group_by(Screening.engagement_id).subquery())
    query = (select(func.count()).select_from(EngagementRecord)
             .join(latest, latest.c.engagement_id == EngagementRecord.id)
             .join(Screening, Screening.id == latest.c.latest)
             .where(EngagementRecord.status.in_(_CANDIDATES),
                    or_(Screening.rule_pack_hash != rule_pack, Screening.taxonomies_hash != taxonomies,
                        Screening.watchlists_hash != watchlists)))
    return int(session.scalar(query) or 0)


@router.get("/admin/rescreen")
def rescreen_page(request: Request, session: DbSession, user: PageUser) -> Response:
    require(user, "rescreen")
    svc = service(request)
    provenance = svc.engine.provenance(date.today())
    runs = jobs.recent(session, "rescreen", limit=10)
    changes: list[Any] = []
    if runs:
        changes = list(session.execute(
            select(RescreenChange, EngagementRecord.reference).join(
                EngagementRecord, EngagementRecord.id == RescreenChange.engagement_id)
            .where(RescreenChange.job_id == runs[0].id).order_by(RescreenChange.id)))
    return svc.pages.render(
        request, "review/rescreen.html", title="Re-screen after a rule change", provenance=provenance,
        stale=stale_count(session, provenance.rule_pack.hash, provenance.taxonomies.hash,
                          provenance.watchlists.hash),
        runs=runs, active=jobs.active(session, "rescreen"), changes=changes, loads=json.loads)


@router.post("/admin/rescreen")
def start_rescreen(request: Request, session: DbSession, user: PageUser) -> Response:
    require(user, "rescreen")
    if jobs.active(session, "rescreen") is None:
        job_id = jobs.enqueue(session, "rescreen", {"by": user.email, "as_of": date.today().isoformat()}, user.email)
        record_event(session, user, "rescreen.queue", f"job:{job_id}", None, {"by": user.email})
        session.commit()
    return RedirectResponse("/admin/rescreen", status_code=303)
