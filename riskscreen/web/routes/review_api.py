"""The reviewer's actions as JSON (/api/v1/review), beside the officer's API and with its bearer
tokens: the queue (the page's filters), one case, accept, request information, decide and grant
a waiver.

Each action takes the same path as the review page: the same permission check
(:func:`riskscreen.store.permissions.allowed`), the same core function (the state machine through
:func:`riskscreen.review.steps.act`, :func:`riskscreen.review.actions.decide`), so the same audit
events. Refusals are problem details (RFC 9457): 403 for a role or the four-eyes rule, 409 for a
step the state does not allow, 422 for an invalid decision or waiver with each field's problem.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from riskscreen.review import actions
from riskscreen.review.models import DecisionRecord, ReviewCase, WaiverRecord
from riskscreen.review.queue import QueueRow, clock_of, queue_page
from riskscreen.review.steps import act, allowed_for
from riskscreen.store.engagements import current_screening, latest_screening
from riskscreen.store.models import EngagementRecord, User
from riskscreen.store.permissions import Action, allowed, capacity
from riskscreen.store.workflow import STATUSES
from riskscreen.web.auth import ApiUser, DbSession
from riskscreen.web.context import service
from riskscreen.web.routes.api import problem_response
from riskscreen.web.routes.review import history_of, policy, queue_query, reviewable
from riskscreen.workflow.errors import (
    FourEyesViolation,
    IllegalTransition,
    InvalidDecision,
    WorkflowError,
)
from riskscreen.workflow.machine import Action as Step
from riskscreen.workflow.machine import Role
from riskscreen.workflow.queue import QueueQuery

router = APIRouter(prefix="/api/v1/review", tags=["review"])

DECISION_EXAMPLE = {
    "kind": "approved_with_conditions", "reason": "Cultural links; publish the agreement.",
    "conditions": [{"text": "Publish the agreement", "owner": "International team", "due": "2027-03-31"}],
    "waivers": [{"rule_id": None, "reason": "Committee accepted the media profile", "expires": "2027-12-31"}],
}
WAIVER_EXAMPLE = {"rule_id": None, "reason": "Committee accepted the media profile", "expires": "2027-12-31"}


def _clock(row: Any) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"status": row.status.value, "label": row.label, "submitted_on": row.submitted_on.isoformat(),
            "due_on": row.due_on.isoformat(), "days_elapsed": row.days_elapsed, "days_left": row.days_left}


def _case_fields(case: ReviewCase | None) -> dict[str, Any]:
    return {"assignee": case.assignee.email if case is not None and case.assignee is not None else None,
            "flagged": bool(case and case.flagged), "flag_note": case.flag_note if case is not None else None,
            "country": case.country if case is not None else None,
            "risk_types": [t for t in (case.risk_types if case is not None else "").split(",") if t]}


def _row(row: QueueRow) -> dict[str, Any]:
    record = row.record
    return {"id": record.id, "reference": record.reference, "title": record.title,
            "organisation": record.organisation.name, "partner": record.partner_name, "state": record.status,
            "tier": record.tier, "clock": _clock(row.clock), **_case_fields(row.case),
            "href": f"/api/v1/review/{record.id}"}


def _decision(d: DecisionRecord) -> dict[str, Any]:
    return {"id": d.id, "kind": d.kind, "reason": d.reason, "referred_to": d.referred_to,
            "decided_by": d.decided_by.email, "decided_at": d.decided_at.isoformat(),
            "basis": {"screening_id": d.screening_id, "tier": d.tier, "rule_pack_hash": d.rule_pack_hash,
                      "taxonomies_hash": d.taxonomies_hash, "watchlists_hash": d.watchlists_hash},
            "conditions": [{"id": c.id, "text": c.text, "owner": c.owner, "due": c.due.isoformat(),
                            "met_on": c.met_on.isoformat() if c.met_on else None} for c in d.conditions]}


def _waiver(w: WaiverRecord) -> dict[str, Any]:
    return {"id": w.id, "rule_id": w.rule_id, "reason": w.reason, "approved_by": w.approved_by,
            "expires": w.expires.isoformat()}


def _case(request: Request, session: Session, user: User, record: EngagementRecord) -> dict[str, Any]:
    current = current_screening(session, record)
    screening = current or latest_screening(session, record)
    case = session.get(ReviewCase, record.id)
    history = [{**item, "at": item["at"].isoformat()} for item in history_of(session, record)]
    return {
        "id": record.id, "reference": record.reference, "title": record.title,
        "organisation": record.organisation.name, "state": record.status, "tier": record.tier,
        "clock": _clock(clock_of(record, case, date.today(), policy(service(request)))), **_case_fields(case),
        "input": record.input,
        "screening": None if screening is None else {
            "id": screening.id, "tier": screening.tier, "of_current_answers": current is not None,
            "rule_pack_hash": screening.rule_pack_hash, "taxonomies_hash": screening.taxonomies_hash,
            "watchlists_hash": screening.watchlists_hash,
            "href": f"/api/v1/engagements/{record.id}/screenings/{screening.id}"},
        "allowed_actions": [a.value for a in allowed_for(session, user, record)],
        "decisions": [_decision(d) for d in actions.decisions_of(session, record)],
        "waivers": [_waiver(w) for w in actions.waivers_of(session, record)],
        "history": history,
    }


def _refused(action: str) -> JSONResponse:
    return problem_response(403, "Forbidden", f"your account may not {action.replace('_', ' ')} this engagement")


def _attempt(request: Request, session: Session, user: User, record: EngagementRecord,
             change: Callable[[], object], status: int = 200) -> Response:
    """Run one change as the review page does; a refusal is a problem document, never a no-op."""
    try:
        change()
    except InvalidDecision as exc:
        session.rollback()
        return problem_response(422, "Invalid request", "; ".join(str(p) for p in exc.problems), exc.problems)
    except FourEyesViolation as exc:
        session.rollback()
        return problem_response(403, "Forbidden", str(exc))
    except (IllegalTransition, WorkflowError) as exc:
        session.rollback()
        return problem_response(409, "Conflict", str(exc))
    session.commit()
    session.refresh(record)
    return JSONResponse(_case(request, session, user, record), status_code=status)


def _target(session: Session, user: User, engagement_id: int, action: Action) -> EngagementRecord | JSONResponse:
    """The engagement to act on, or the refusal: 403 when the user's role may never do this,
    409 when a reviewer may but not in the engagement's present state (saying what they may do)."""
    record = reviewable(session, user, engagement_id)
    if allowed(user, action, record):
        return record
    if capacity(user, record) is not Role.REVIEWER:
        return _refused(action)
    may = [a.value.replace("_", " ") for a in allowed_for(session, user, record)]
    return problem_response(
        409, "Conflict", f"you cannot {action.replace('_', ' ')} an engagement that is "
        f"{STATUSES[record.status].lower()}; " + (f"you may now: {', '.join(may)}" if may else
                                                  "there is nothing you may do to it now"))


@router.get("/queue", summary="The review queue (the page's filters and sorting)")
def queue(request: Request, session: DbSession, user: ApiUser) -> Response:
    """Query parameters as on the queue page, each repeatable: ``state``, ``tier``, ``clock``
    (overdue, due_soon, on_track), ``risk_type``, ``organisation``, ``country``, ``assignee``
    (me, nobody), ``flagged``, ``q``, ``sort`` (clock, -clock, tier, -tier, organisation,
    reference, -updated) and ``page``."""
    if not allowed(user, "review"):
        return problem_response(403, "Forbidden", "your account may not see the review queue")
    q: QueueQuery = queue_query(request, session)
    if q.problems:
        return problem_response(422, "Invalid filter", "; ".join(str(p) for p in q.problems), list(q.problems))
    found = queue_page(session, q, user, date.today(), policy(service(request)))
    return JSONResponse({"total": found.total, "page": found.page, "per_page": found.per_page,
                         "pages": found.pages, "items": [_row(row) for row in found.rows]})


@router.get("/{engagement_id}", summary="One case: engagement, latest screening, decisions, waivers, history")
def read(request: Request, session: DbSession, user: ApiUser, engagement_id: int) -> Response:
    return JSONResponse(_case(request, session, user, reviewable(session, user, engagement_id)))


@router.post("/{engagement_id}/accept", summary="Accept for review (the completeness check passed)")
def accept(request: Request, session: DbSession, user: ApiUser, engagement_id: int) -> Response:
    record = _target(session, user, engagement_id, "accept")
    if isinstance(record, Response):
        return record
    return _attempt(request, session, user, record, lambda: act(session, record, user, Step.ACCEPT))


@router.post("/{engagement_id}/request-information", summary="Ask the officer for information")
def request_information(request: Request, session: DbSession, user: ApiUser, engagement_id: int,
                        body: Annotated[dict[str, Any], Body(examples=[{"note": "Who owns the partner?"}])]
                        ) -> Response:
    record = _target(session, user, engagement_id, "request_information")
    if isinstance(record, Response):
        return record
    note = body.get("note")
    return _attempt(request, session, user, record, lambda: act(
        session, record, user, Step.REQUEST_INFORMATION, note=note if isinstance(note, str) else None))


@router.post("/{engagement_id}/decide", summary="Decide, with a reason, conditions, a referral body and waivers")
def decide(request: Request, session: DbSession, user: ApiUser, engagement_id: int,
           body: Annotated[dict[str, Any], Body(examples=[DECISION_EXAMPLE])]) -> Response:
    record = _target(session, user, engagement_id, "decide")
    if isinstance(record, Response):
        return record
    svc = service(request)
    waivers = body.get("waivers") or []
    data = {k: v for k, v in body.items() if k != "waivers"}
    data.setdefault("conditions", [])
    if not isinstance(waivers, list):
        return problem_response(422, "Invalid decision", "'waivers' is a list of waivers")
    return _attempt(request, session, user, record, lambda: actions.decide(
        session, record, user, data, bodies=set(svc.engine.taxonomies.escalation_bodies),
        known_rules={r.id for r in svc.engine.pack.findings}, waivers=waivers))


@router.post("/{engagement_id}/waivers", status_code=201, summary="Grant a waiver (the CLI's waivers-file fields)")
def grant_waiver(request: Request, session: DbSession, user: ApiUser, engagement_id: int,
                 body: Annotated[dict[str, Any], Body(examples=[WAIVER_EXAMPLE])]) -> Response:
    record = _target(session, user, engagement_id, "grant_waiver")
    if isinstance(record, Response):
        return record
    svc = service(request)
    return _attempt(request, session, user, record, lambda: actions.add_waiver(
        session, record, user, body, known_rules={r.id for r in svc.engine.pack.findings}), status=201)
