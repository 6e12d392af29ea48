"""The JSON API (/api/v1): stateless screening, engagements, screenings; bearer tokens only.

Errors are problem details (RFC 9457); invalid engagements list each problem with the field,
the value and a suggestion — the same messages ``riskscreen screen`` prints.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from riskscreen.errors import InputError, Problem
from riskscreen.models.base import TIER_ORDER
from riskscreen.store.engagements import (
    EngagementError,
    EngagementFilter,
    apply_transition,
    create_engagement,
    current_screening,
    delete_draft,
    list_engagements,
    screenings,
    update_input,
)
from riskscreen.store.models import EngagementRecord, Screening
from riskscreen.store.permissions import Action, allowed, visible_organisation
from riskscreen.store.workflow import DRAFT, STATUSES
from riskscreen.web.auth import ApiUser, DbSession
from riskscreen.web.context import service
from riskscreen.web.records import screen_record, visible_record
from riskscreen.workflow.errors import WorkflowError

router = APIRouter(prefix="/api/v1", tags=["riskscreen"])

ENGAGEMENT_EXAMPLE = {
    "id": "LDS-001", "title": "Friendship agreement",
    "lead": {"name": "Leeds City Council", "type": "local_authority"},
    "partner": {"name": "Kaohsiung City Government", "type": "city_government", "country": "Taiwan"},
    "agreement_type": "friendship_agreement", "sectors": ["culture"],
}


EngagementBody = Annotated[dict[str, Any], Body(examples=[ENGAGEMENT_EXAMPLE])]


class ProblemDetail(BaseModel):
    field: str | None
    message: str
    value: Any = None
    suggestion: str | None = None
    line: int | None = None


def problem_response(status: int, title: str, detail: str,
                     problems: list[Problem] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if problems is not None:
        body["errors"] = [
            ProblemDetail(field=p.location.field, message=p.message,
                          value=p.value if isinstance(p.value, (str, int, float, bool)) else None,
                          suggestion=p.suggestion, line=p.location.line).model_dump()
            for p in problems
        ]
        body["messages"] = [str(p) for p in problems]
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def invalid(exc: InputError) -> JSONResponse:
    return problem_response(422, "Invalid engagement", str(exc), exc.problems)


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _BadAsOf(value) from None


class _BadAsOf(Exception):
    def __init__(self, value: str) -> None:
        self.value = value


def _bad_as_of(value: str) -> JSONResponse:
    return problem_response(422, "Invalid request", "as_of must be a date YYYY-MM-DD", [
        Problem("not a date", value=value, suggestion="write it as YYYY-MM-DD")])


@router.post("/screen", summary="Screen an engagement (stateless)",
             responses={200: {"description": "The result, exactly as `riskscreen screen --format json`"},
                        422: {"description": "Invalid engagement (problem details)"}})
def screen(request: Request, user: ApiUser,
           engagement: EngagementBody,
           as_of: str | None = Query(None, description="Screening date YYYY-MM-DD (default today)")) -> Response:
    """Screen one engagement (the YAML contract, as JSON) without storing anything."""
    svc = service(request)
    try:
        text = svc.screen_json(engagement, as_of=_as_of(as_of))
    except _BadAsOf as exc:
        return _bad_as_of(exc.value)
    except InputError as exc:
        return invalid(exc)
    return Response(text, media_type="application/json")


def _summary(record: EngagementRecord, screening: Screening | None = None) -> dict[str, Any]:
    return {
        "id": record.id, "reference": record.reference, "title": record.title,
        "partner": record.partner_name, "organisation": record.organisation.name,
        "status": record.status, "tier": record.tier,
        "review_date": record.review_date.isoformat() if record.review_date else None,
        "created_at": record.created_at.isoformat(), "updated_at": record.updated_at.isoformat(),
        "submitted_at": record.submitted_at.isoformat() if record.submitted_at else None,
    }


def _detail(session: DbSession, record: EngagementRecord) -> dict[str, Any]:
    screening = current_screening(session, record)
    body = _summary(record)
    body["input"] = record.input
    body["current_screening"] = screening.id if screening else None
    return body


def _screening_summary(s: Screening) -> dict[str, Any]:
    return {
        "id": s.id, "tier": s.tier, "input_hash": s.input_hash, "as_of": s.as_of.isoformat(),
        "screened_at": s.screened_at.isoformat(), "screened_by": s.screened_by.email,
        "finding_count": s.finding_count,
        "rule_pack": {"name": s.rule_pack_name, "version": s.rule_pack_version, "hash": s.rule_pack_hash},
        "taxonomies": {"version": s.taxonomies_version, "hash": s.taxonomies_hash},
        "watchlists": {"version": s.watchlists_version, "hash": s.watchlists_hash},
        "tool_version": s.tool_version,
    }


def _forbidden(action: str) -> JSONResponse:
    return problem_response(403, "Forbidden", f"your account may not {action} this engagement")


def _check(user: Any, action: Action, record: EngagementRecord | None = None) -> JSONResponse | None:
    return None if allowed(user, action, record) else _forbidden(action)


@router.get("/engagements", summary="List engagements you may see")
def list_(request: Request, session: DbSession, user: ApiUser,
          status: str | None = Query(None, json_schema_extra={"enum": list(STATUSES)}),
          tier: str | None = Query(None, json_schema_extra={"enum": list(TIER_ORDER)}),
          q: str = Query("", max_length=200), page: int = Query(1, ge=1),
          per_page: int = Query(50, ge=1, le=200)) -> dict[str, Any]:
    organisation = visible_organisation(user)
    where = EngagementFilter(organisation_id=organisation, statuses=(status,) if status else (),
                             tiers=(tier,) if tier else (), text=q,
                             exclude_statuses=(DRAFT,) if organisation is None else ())
    found = list_engagements(session, where, page=page, per_page=per_page)
    return {"total": found.total, "page": found.page, "per_page": found.per_page,
            "pages": found.pages, "items": [_summary(r) for r in found.items]}


@router.post("/engagements", status_code=201, summary="Create a draft engagement")
def create(request: Request, session: DbSession, user: ApiUser,
           engagement: EngagementBody) -> Response:
    if (refused := _check(user, "create")) is not None:
        return refused
    try:
        service(request).engine.validate(engagement)
        record = create_engagement(session, user, engagement)
    except InputError as exc:
        return invalid(exc)
    except EngagementError as exc:
        return problem_response(409, "Conflict", str(exc), [Problem(str(exc), value=engagement.get("id"))])
    return JSONResponse(_detail(session, record), status_code=201,
                        headers={"Location": f"/api/v1/engagements/{record.id}"})


@router.get("/engagements/{engagement_id}", summary="One engagement and its current input")
def read(session: DbSession, user: ApiUser, engagement_id: int) -> dict[str, Any]:
    return _detail(session, visible_record(session, user, engagement_id))


@router.put("/engagements/{engagement_id}", summary="Replace a draft's input")
def replace(request: Request, session: DbSession, user: ApiUser, engagement_id: int,
            engagement: EngagementBody) -> Response:
    record = visible_record(session, user, engagement_id)
    if (refused := _check(user, "edit", record)) is not None:
        return refused
    try:
        service(request).engine.validate(engagement)
        update_input(session, record, engagement)
    except InputError as exc:
        return invalid(exc)
    except EngagementError as exc:
        return problem_response(409, "Conflict", str(exc))
    return JSONResponse(_detail(session, record))


@router.delete("/engagements/{engagement_id}", status_code=204, summary="Delete a draft never screened")
def delete(session: DbSession, user: ApiUser, engagement_id: int) -> Response:
    record = visible_record(session, user, engagement_id)
    if (refused := _check(user, "delete", record)) is not None:
        return refused
    try:
        delete_draft(session, record)
    except EngagementError as exc:
        return problem_response(409, "Conflict", str(exc))
    return Response(status_code=204)


@router.post("/engagements/{engagement_id}/screen", summary="Screen a draft and keep the result")
def screen_stored(request: Request, session: DbSession, user: ApiUser, engagement_id: int) -> Response:
    record = visible_record(session, user, engagement_id)
    if (refused := _check(user, "screen", record)) is not None:
        return refused
    try:
        screening = screen_record(service(request), session, record, user)
    except InputError as exc:
        return invalid(exc)
    from riskscreen.web.records import render_download

    text = render_download(service(request), screening, "json", record.reference)
    return Response(text, media_type="application/json",
                    headers={"Location": f"/api/v1/engagements/{record.id}/screenings/{screening.id}"})


@router.get("/engagements/{engagement_id}/screenings", summary="Every screening of an engagement")
def list_screenings(session: DbSession, user: ApiUser, engagement_id: int) -> dict[str, Any]:
    record = visible_record(session, user, engagement_id)
    return {"items": [_screening_summary(s) for s in screenings(session, record)]}


@router.get("/engagements/{engagement_id}/screenings/{screening_id}",
            summary="One screening's full result (the CLI's JSON)")
def read_screening(session: DbSession, user: ApiUser, engagement_id: int, screening_id: int) -> Response:
    record = visible_record(session, user, engagement_id)
    found = session.get(Screening, screening_id)
    if found is None or found.engagement_id != record.id:
        raise HTTPException(status_code=404, detail="No such screening")
    return JSONResponse(found.result)


def _transition(session: DbSession, user: Any, engagement_id: int, action: Action) -> Response:
    record = visible_record(session, user, engagement_id)
    if action == "submit" and allowed(user, "edit", record) and current_screening(session, record) is None:
        return problem_response(409, "Conflict", "screen the engagement's current input before submitting it")
    if not allowed(user, action, record):
        if record.organisation_id == user.organisation_id and user.role in ("officer", "admin"):
            return problem_response(409, "Conflict",
                                    f"cannot {action} an engagement that is {STATUSES[record.status].lower()}")
        return _forbidden(action)
    try:
        apply_transition(session, record, action, user)
    except WorkflowError as exc:  # the state machine's refusal, with what is allowed instead
        return problem_response(409, "Conflict", str(exc))
    return JSONResponse(_detail(session, record))


@router.post("/engagements/{engagement_id}/submit", summary="Submit for review")
def submit(session: DbSession, user: ApiUser, engagement_id: int) -> Response:
    return _transition(session, user, engagement_id, "submit")


@router.post("/engagements/{engagement_id}/withdraw", summary="Withdraw")
def withdraw(session: DbSession, user: ApiUser, engagement_id: int) -> Response:
    return _transition(session, user, engagement_id, "withdraw")


@router.post("/engagements/{engagement_id}/reopen", summary="Reopen a withdrawn engagement as a draft")
def reopen(session: DbSession, user: ApiUser, engagement_id: int) -> Response:
    return _transition(session, user, engagement_id, "reopen")
