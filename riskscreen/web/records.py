"""Finding an engagement the user may see, and screening one into the store."""

from __future__ import annotations

from fastapi import HTTPException
from sqlalchemy.orm import Session

from riskscreen.models.result import ScreeningResult
from riskscreen.render import RenderOptions, render_screening
from riskscreen.store.engagements import record_screening
from riskscreen.store.models import EngagementRecord, Screening, User
from riskscreen.store.permissions import may_see
from riskscreen.web.context import Service


def visible_record(session: Session, user: User, engagement_id: int) -> EngagementRecord:
    """The engagement, or 404 — also when it exists but belongs to someone the user may not see."""
    record = session.get(EngagementRecord, engagement_id)
    if record is None or not may_see(user, record):
        raise HTTPException(status_code=404, detail="Page not found")
    return record


def screen_record(service: Service, session: Session, record: EngagementRecord,
                  user: User) -> Screening:
    """Screen the current input (raises InputError when it is incomplete) and keep the result."""
    result = service.screen(record.input)
    return record_screening(session, record, result, user)


def stored_result(screening: Screening) -> ScreeningResult:
    return ScreeningResult.model_validate(screening.result)


def render_download(service: Service, screening: Screening, fmt: str, source: str) -> str:
    """The report exactly as ``riskscreen screen --format FMT`` renders the same result."""
    options = RenderOptions(engine=service.engine, source=source)
    return render_screening(stored_result(screening), fmt, options)
