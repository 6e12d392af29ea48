"""The reviewers' pages: the queue, the dashboard, and the review page of one engagement where it
is accepted, questioned, decided (with conditions and waivers), assigned and reopened.

Every state change goes through :func:`riskscreen.review.steps.act`; who may do what is decided
by :mod:`riskscreen.store.permissions` (and the four-eyes rule by the state machine).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from riskscreen.errors import Problem
from riskscreen.models.base import RISK_TYPES, TIER_ORDER
from riskscreen.review import actions
from riskscreen.review.models import ReviewCase, WorkflowStep
from riskscreen.review.queue import clock_of, dashboard, queue_page
from riskscreen.review.steps import act, allowed_for
from riskscreen.store.engagements import current_screening, latest_screening, screenings
from riskscreen.store.models import EngagementRecord, Organisation, User
from riskscreen.store.permissions import allowed
from riskscreen.web.auth import DbSession, PageUser, require
from riskscreen.web.context import Service, service
from riskscreen.web.records import stored_result, visible_record
from riskscreen.workflow.clock import ClockPolicy
from riskscreen.workflow.errors import (
    FourEyesViolation,
    IllegalTransition,
    InvalidDecision,
    WorkflowError,
)
from riskscreen.workflow.machine import Action
from riskscreen.workflow.queue import parse_query

router = APIRouter()

DECISION_KINDS = {
    "approved": "Approve",
    "approved_with_conditions": "Approve with conditions",
    "referred": "Refer to another body",
    "declined": "Decline",
}
# how a decision reads once made (history, public register)
DECIDED_KINDS = {
    "approved": "Approved",
    "approved_with_conditions": "Approved with conditions",
    "referred": "Referred",
    "declined": "Declined",
}
CONDITION_SLOTS = 3


def policy(svc: Service) -> ClockPolicy:
    return ClockPolicy(svc.settings.review_target_days, svc.settings.review_due_soon_days)


def _countries(session: Session) -> list[str]:
    return sorted(c for c in session.scalars(select(ReviewCase.country).distinct()) if c)


def _organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))


def _reviewers(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.role == "reviewer", User.active.is_(True))
                                .order_by(User.name)))


def queue_query(request: Request, session: Session) -> Any:
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    return parse_query(params, countries=_countries(session),
                       organisations=[o.id for o in _organisations(session)])


@router.get("/review")
def queue(request: Request, session: DbSession, user: PageUser) -> Response:
    require(user, "review")
    svc = service(request)
    q = queue_query(request, session)
    found = queue_page(session, q, user, date.today(), policy(svc))
    errors = [{"text": str(p), "href": f"#{p.location.field}"} for p in q.problems]
    return svc.pages.render(
        request, "review/queue.html", title="Review queue", found=found, q=q, errors=errors,
        organisations=_organisations(session), countries=_countries(session), tiers=TIER_ORDER,
        risk_types=RISK_TYPES, target=svc.settings.review_target_days)


@router.get("/review/dashboard")
def dashboard_page(request: Request, session: DbSession, user: PageUser) -> Response:
    require(user, "dashboard")
    svc = service(request)
    q = queue_query(request, session)
    board = dashboard(session, q, user, date.today(), policy(svc))
    return svc.pages.render(request, "review/dashboard.html", title="Review dashboard", board=board, q=q,
                            tiers=TIER_ORDER, target=svc.settings.review_target_days)


def reviewable(session: Session, user: User, engagement_id: int) -> EngagementRecord:
    """The engagement for the review page: 404 when the user may not see it, 403 when they may
    but have no part in reviewing it."""
    record = visible_record(session, user, engagement_id)
    if record.status == "draft" or not allowed(user, "review"):
        raise HTTPException(status_code=403, detail="You do not have permission to do that")
    return record


def history_of(session: Session, record: EngagementRecord) -> list[dict[str, Any]]:
    """Steps and comments, oldest first, as one thread."""
    items: list[dict[str, Any]] = [
        {"at": s.at, "who": s.actor.name if s.actor else "riskscreen (automatic)", "kind": "step",
         "action": s.action, "to": s.to_state, "note": s.note}
        for s in session.scalars(select(WorkflowStep).where(WorkflowStep.engagement_id == record.id)
                                 .order_by(WorkflowStep.id))]
    items += [{"at": c.at, "who": c.author.name, "kind": "comment", "note": c.body}
              for c in actions.comments_of(session, record)]
    return sorted(items, key=lambda item: item["at"])


def _render_case(request: Request, session: Session, user: User, record: EngagementRecord,
                 errors: list[dict[str, str]] | None = None, form: Mapping[str, Any] | None = None,
                 status_code: int = 200) -> Response:
    svc = service(request)
    screening = current_screening(session, record) or latest_screening(session, record)
    case = session.get(ReviewCase, record.id)
    may = {a.value for a in allowed_for(session, user, record)}
    may |= {a for a in ("assign", "grant_waiver", "meet_condition", "comment") if allowed(user, a, record)}
    return svc.pages.render(
        request, "review/case.html", status_code=status_code,
        title=f"Review: {record.title or record.reference}", record=record, case=case,
        screening=screening, result=stored_result(screening) if screening else None,
        current=current_screening(session, record) is not None,
        history=history_of(session, record), screenings=screenings(session, record),
        decisions=actions.decisions_of(session, record), waivers=actions.waivers_of(session, record),
        clock=clock_of(record, case, date.today(), policy(svc)), may=may, reviewers=_reviewers(session),
        kinds=DECISION_KINDS, decided_kinds=DECIDED_KINDS, bodies=svc.engine.taxonomies.escalation_bodies, slots=range(CONDITION_SLOTS),
        taxonomies=svc.engine.taxonomies, errors=errors or [], form=form or {}, today=date.today())


@router.get("/review/{engagement_id:int}")
def case_page(request: Request, session: DbSession, user: PageUser, engagement_id: int) -> Response:
    return _render_case(request, session, user, reviewable(session, user, engagement_id))


# What each form field is, for error messages in the words of the page rather than the validator's
_FIELD_NOUNS = {"kind": "a decision", "reason": "the reason for the decision", "text": "the condition", "owner": "who owns the condition",
                "due": "the date the condition is due", "expires": "the date the waiver expires",
                "rule_id": "the finding to waive", "note": "a message", "body": "a comment"}
_TOO_SHORT = re.compile(r"^String should have at least (\d+) characters?$")


def _page_message(field: str, message: str) -> str:
    """A validator's message about a form field, in the GOV.UK pattern ("Enter …", "Choose …")."""
    leaf = field.rsplit(".", 1)[-1]
    noun = _FIELD_NOUNS.get(leaf)
    if leaf == "reason" and field.startswith("waivers"):
        noun = "why the finding is accepted"
    if noun is None:
        return message
    if leaf in ("kind", "rule_id"):
        return f"Choose {noun}"
    short = _TOO_SHORT.match(message)
    if short:
        least = int(short.group(1))
        return f"Enter {noun}" + (f" (at least {least} characters)" if least > 1 else "")
    if message == "Field required" or message.startswith("Input should be a valid string"):
        return f"Enter {noun}"
    if message.startswith("Input should be a valid date"):
        return f"Enter {noun} as a real date, for example 31 3 2030"
    return message


def _problems(problems: list[Problem], prefix: str = "") -> list[dict[str, str]]:
    out = []
    for p in problems:
        field = (p.location.field or "decision").replace(".", "-").replace("[", "-").replace("]", "")
        message = _page_message(p.location.field or "", p.message)
        text = message[0].upper() + message[1:]
        if p.suggestion:
            text += f" ({p.suggestion})"
        out.append({"text": text, "href": f"#{prefix}{field}"})
    return out


def _attempt(request: Request, session: Session, user: User, record: EngagementRecord,
             form: Mapping[str, Any], change: Callable[[], object], prefix: str = "") -> Response:
    """Run one change; on a refusal, show the review page again with the reason (never a no-op)."""
    try:
        change()
    except InvalidDecision as exc:
        session.rollback()
        return _render_case(request, session, user, record, _problems(exc.problems, prefix), form, 400)
    except FourEyesViolation as exc:
        session.rollback()
        return _render_case(request, session, user, record, [{"text": str(exc), "href": "#actions"}], form, 403)
    except (IllegalTransition, WorkflowError) as exc:
        session.rollback()
        return _render_case(request, session, user, record, [{"text": str(exc), "href": "#actions"}], form, 409)
    # commit before answering: the browser's next request must see the change
    session.commit()
    return RedirectResponse(f"/review/{record.id}", status_code=303)


async def _form(request: Request) -> dict[str, Any]:
    data = await request.form()
    return {k: v for k, v in data.multi_items() if isinstance(v, str)}


@router.post("/review/{engagement_id:int}/accept")
async def accept(request: Request, session: DbSession, user: PageUser, engagement_id: int) -> Response:
    record = reviewable(session, user, engagement_id)
    require(user, "accept", record)
    return _attempt(request, session, user, record, {}, lambda: act(session, record, user, Action.ACCEPT))


@router.post("/review/{engagement_id:int}/request-information")
async def request_information(request: Request, session: DbSession, user: PageUser,
                              engagement_id: int) -> Response:
    record = reviewable(session, user, engagement_id)
    require(user, "request_information", record)
    form = await _form(request)
    return _attempt(request, session, user, record, form,
                    lambda: act(session, record, user, Action.REQUEST_INFORMATION, note=form.get("note")),
                    prefix="rfi-")


@router.post("/review/{engagement_id:int}/reopen")
async def reopen(request: Request, session: DbSession, user: PageUser, engagement_id: int) -> Response:
    record = reviewable(session, user, engagement_id)
    require(user, "reopen", record)
    form = await _form(request)
    return _attempt(request, session, user, record, form,
                    lambda: act(session, record, user, Action.REOPEN, note=form.get("note")), prefix="reopen-")


def _date(form: Mapping[str, Any], stem: str) -> str:
    """A GOV.UK date input (day, month, year) as ISO text, or what was typed (for the error)."""
    day, month, year = (str(form.get(f"{stem}-{part}", "")).strip() for part in ("day", "month", "year"))
    if not (day or month or year):
        return ""
    if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return f"{year}-{month}-{day}"


def decision_form(form: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The decision and any waiver from the decision form; empty condition rows are ignored."""
    conditions = []
    for slot in range(CONDITION_SLOTS):
        text = str(form.get(f"condition-{slot}-text", "")).strip()
        owner = str(form.get(f"condition-{slot}-owner", "")).strip()
        due = _date(form, f"condition-{slot}-due")
        if text or owner or due:
            conditions.append({"text": text, "owner": owner, "due": due or None})
    data: dict[str, Any] = {"kind": form.get("kind") or None, "reason": str(form.get("reason", "")),
                            "conditions": conditions}
    if form.get("kind") == "referred":
        data["referred_to"] = form.get("referred_to") or None
    waivers = []
    if str(form.get("waiver-reason", "")).strip() or _date(form, "waiver-expires"):
        waivers.append({"rule_id": form.get("waiver-rule_id", ""), "reason": str(form.get("waiver-reason", "")),
                        "expires": _date(form, "waiver-expires") or None})
    return data, waivers


@router.post("/review/{engagement_id:int}/decide")
async def decide(request: Request, session: DbSession, user: PageUser, engagement_id: int) -> Response:
    record = reviewable(session, user, engagement_id)
    require(user, "decide", record)
    form = await _form(request)
    data, waivers = decision_form(form)
    svc = service(request)
    return _attempt(request, session, user, record, form, lambda: actions.decide(
        session, record, user, data, bodies=set(svc.engine.taxonomies.escalation_bodies),
        known_rules={r.id for r in svc.engine.pack.findings}, waivers=waivers), prefix="decision-")


@router.post("/review/{engagement_id:int}/waivers")
async def add_waiver(request: Request, session: DbSession, user: PageUser, engagement_id: int) -> Response:
    record = reviewable(session, user, engagement_id)
    require(user, "grant_waiver", record)
    form = await _form(request)
    data = {"rule_id": form.get("waiver-rule_id", ""), "reason": str(form.get("waiver-reason", "")),
            "expires": _date(form, "waiver-expires") or None}
    svc = service(request)
    return _attempt(request, session, user, record, form, lambda: actions.add_waiver(
        session, record, user, data, known_rules={r.id for r in svc.engine.pack.findings}), prefix="waiver-")


@router.post("/review/{engagement_id:int}/assign")
async def assign(request: Request, session: DbSession, user: PageUser, engagement_id: int) -> Response:
    record = reviewable(session, user, engagement_id)
    require(user, "assign", record)
    form = await _form(request)
    choice = str(form.get("assignee", ""))
    assignee: User | None
    if choice == "me":
        assignee = user
    elif choice == "":
        assignee = None
    elif choice.isdigit() and (found := session.get(User, int(choice))) is not None:
        assignee = found
    else:
        return _render_case(request, session, user, record,
                            [{"text": "Choose a reviewer", "href": "#assignee"}], form, 400)
    return _attempt(request, session, user, record, form,
                    lambda: actions.assign(session, record, user, assignee), prefix="")


@router.post("/review/{engagement_id:int}/conditions/{condition_id:int}/met")
async def condition_met(request: Request, session: DbSession, user: PageUser, engagement_id: int,
                        condition_id: int) -> Response:
    record = reviewable(session, user, engagement_id)
    require(user, "meet_condition", record)
    return _attempt(request, session, user, record, {}, lambda: actions.meet_condition(
        session, record, user, condition_id, date.today()), prefix="condition-")


@router.post("/review/{engagement_id:int}/comments")
async def review_comment(request: Request, session: DbSession, user: PageUser, engagement_id: int) -> Response:
    record = reviewable(session, user, engagement_id)
    require(user, "comment", record)
    form = await _form(request)
    return _attempt(request, session, user, record, form,
                    lambda: actions.comment(session, record, user, str(form.get("body", ""))), prefix="comment-")


# -- the officer's side: answering an information request, and the comment thread -----------


def officer_panel(session: Session, user: User, record: EngagementRecord) -> dict[str, Any]:
    """What the engagement page shows an officer about its review."""
    steps = list(session.scalars(select(WorkflowStep).where(WorkflowStep.engagement_id == record.id)
                                 .order_by(WorkflowStep.id.desc())))
    question = next((s for s in steps if s.action == Action.REQUEST_INFORMATION.value), None)
    return {"question": question if record.status == "information_requested" else None,
            "decision": next(iter(actions.decisions_of(session, record)), None) if record.status == "decided" else None,
            "history": history_of(session, record) if record.status != "draft" else [],
            "may_respond": allowed(user, "provide_information", record),
            "may_comment": allowed(user, "comment", record),
            "may_review": allowed(user, "review") and record.status != "draft",
            "may_publish": allowed(user, "publish", record),
            "public": bool(getattr(session.get(ReviewCase, record.id), "public", False))}


@router.get("/engagements/{engagement_id:int}/respond")
def respond_page(request: Request, session: DbSession, user: PageUser, engagement_id: int) -> Response:
    record = visible_record(session, user, engagement_id)
    require(user, "provide_information", record)
    return service(request).pages.render(request, "review/respond.html", title="Answer the reviewer",
                                         record=record, panel=officer_panel(session, user, record), form={})


@router.post("/engagements/{engagement_id:int}/respond")
async def respond(request: Request, session: DbSession, user: PageUser, engagement_id: int) -> Response:
    record = visible_record(session, user, engagement_id)
    require(user, "provide_information", record)
    form = await _form(request)
    problem: str | None = None
    if current_screening(session, record) is None:
        problem = "Screen the engagement with its changed answers before you reply"
    else:
        try:
            act(session, record, user, Action.PROVIDE_INFORMATION, note=form.get("note"))
        except InvalidDecision:
            problem = "Enter your answer to the reviewer"
    if problem is not None:
        session.rollback()
        return service(request).pages.render(
            request, "review/respond.html", status_code=400, title="Answer the reviewer", record=record,
            panel=officer_panel(session, user, record), form=form,
            errors=[{"text": problem, "href": "#respond-note"}])
    session.commit()
    return RedirectResponse(f"/engagements/{record.id}", status_code=303)


@router.post("/engagements/{engagement_id:int}/comments")
async def officer_comment(request: Request, session: DbSession, user: PageUser, engagement_id: int) -> Response:
    record = visible_record(session, user, engagement_id)
    require(user, "comment", record)
    form = await _form(request)
    try:
        actions.comment(session, record, user, str(form.get("body", "")))
    except InvalidDecision:
        session.rollback()
        raise HTTPException(status_code=400, detail="Enter a comment") from None
    session.commit()
    return RedirectResponse(f"/engagements/{record.id}#review", status_code=303)


@router.get("/attention")
def attention(request: Request, session: DbSession, user: PageUser) -> Response:
    from riskscreen.review.attention import needs_attention

    return service(request).pages.render(request, "review/attention.html", title="Needs your attention",
                                         items=needs_attention(session, user, date.today()))


# -- exports in the formats the command line reads ---------------------------------------------

EXPORTS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/review/export/register.{fmt}")
def export_register(request: Request, session: DbSession, user: PageUser, fmt: str) -> Response:
    """The engagements the queue lists with the same filters, as a register ``riskscreen check``
    reads (and the upload page imports)."""
    import io
    import tempfile
    from pathlib import Path

    from riskscreen.registers.writers import write_csv, write_xlsx
    from riskscreen.review.queue import _base, filtered

    require(user, "export_register")
    if fmt not in EXPORTS:
        raise HTTPException(status_code=404, detail="Page not found")
    svc = service(request)
    q = queue_query(request, session)
    query = filtered(_base([EngagementRecord]), q, user, date.today(), policy(svc)).order_by(EngagementRecord.id)
    engagements = [svc.engine.validate(r.input) for r in session.scalars(query)]
    if fmt == "csv":
        out = io.StringIO()
        count = write_csv(engagements, out)
        body: bytes = out.getvalue().encode("utf-8")
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "register.xlsx"
            count = write_xlsx(engagements, path)
            body = path.read_bytes()
    from riskscreen.review.steps import record_event

    record_event(session, user, "register.export", "register", None,
                 {"format": fmt, "engagements": count, "filters": q.url()})
    return Response(body, media_type=EXPORTS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="register.{fmt}"'})


@router.get("/review/export/waivers.yaml")
def export_waivers(request: Request, session: DbSession, user: PageUser) -> Response:
    """Every waiver in force, as a file for ``riskscreen check REGISTER --waivers waivers.yaml``."""
    from riskscreen.review.steps import record_event
    from riskscreen.workflow.waivers import waivers_file

    require(user, "export_register")
    current = actions.current_waivers(session, date.today())
    record_event(session, user, "waivers.export", "waivers", None, {"waivers": len(current)})
    return Response(waivers_file(current), media_type="application/yaml",
                    headers={"Content-Disposition": 'attachment; filename="waivers.yaml"'})


# -- the public register (off unless switched on; shows only what an administrator publishes) --


@router.post("/engagements/{engagement_id:int}/publish")
async def publish(request: Request, session: DbSession, user: PageUser, engagement_id: int) -> Response:
    record = visible_record(session, user, engagement_id)
    require(user, "publish", record)
    form = await _form(request)
    actions.publish(session, record, user, form.get("public") == "1")
    session.commit()
    return RedirectResponse(f"/engagements/{record.id}#review", status_code=303)


@router.get("/public-register")
def public_register(request: Request, session: DbSession) -> Response:
    """Title, parties and decision of each engagement an administrator made public (as
    Australia's Foreign Arrangements Scheme publishes); nothing else, and no sign-in."""
    from riskscreen.review.models import DecisionRecord

    svc = service(request)
    if not svc.settings.public_register:
        raise HTTPException(status_code=404, detail="Page not found")
    rows = []
    published = session.scalars(select(EngagementRecord).join(ReviewCase, ReviewCase.engagement_id == EngagementRecord.id)
                                .where(ReviewCase.public.is_(True), EngagementRecord.status == "decided")
                                .order_by(EngagementRecord.id))
    for record in published:
        decision = session.scalar(select(DecisionRecord).where(DecisionRecord.engagement_id == record.id)
                                  .order_by(DecisionRecord.id.desc()).limit(1))
        if decision is not None:
            rows.append({"title": record.title or record.reference, "lead": record.organisation.name,
                         "partner": record.partner_name or "", "decision": DECIDED_KINDS.get(decision.kind, decision.kind),
                         "referred_to": decision.referred_to, "on": decision.decided_at})
    return svc.pages.render(request, "review/public_register.html", title="Public register of decided engagements",
                            rows=rows)
