"""The audit trail for auditors and administrators: the latest events, a check of the whole
chain on request, and the export (JSONL) that `riskscreen audit verify --file` checks elsewhere."""

from __future__ import annotations

import io
from datetime import datetime, timezone

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from riskscreen.review.audit_store import append, audit_event, stream, verify_stored
from riskscreen.review.steps import audit_actor
from riskscreen.web.auth import DbSession, PageUser, require
from riskscreen.web.context import service
from riskscreen.workflow.audit import AuditEvent
from riskscreen.workflow.audit_export import write_jsonl

router = APIRouter()
SHOWN = 100


@router.get("/audit")
def audit_page(request: Request, session: DbSession, user: PageUser, verify: str = "") -> Response:
    require(user, "view_audit")
    rows = session.execute(select(audit_event).order_by(audit_event.c.seq.desc()).limit(SHOWN)).all()
    report = verify_stored(session) if verify == "1" else None
    return service(request).pages.render(request, "review/audit.html", title="Audit trail", rows=rows,
                                         report=report)


@router.get("/audit/export.jsonl")
def audit_export(request: Request, session: DbSession, user: PageUser) -> Response:
    require(user, "view_audit")
    out = io.StringIO()
    count = write_jsonl(stream(session), out)
    session.flush()
    append(session, AuditEvent(datetime.now(timezone.utc), audit_actor(user), "audit.export", "audit", None,
                               {"format": "jsonl", "events": count}))
    return Response(out.getvalue(), media_type="application/x-ndjson",
                    headers={"Content-Disposition": 'attachment; filename="audit.jsonl"'})
