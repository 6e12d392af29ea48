"""My organisation's engagements: the list, one engagement with its result, actions, downloads."""

from __future__ import annotations

from typing import cast

import yaml
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from riskscreen.models.base import TIER_ORDER
from riskscreen.store.engagements import (
    EngagementError,
    EngagementFilter,
    apply_transition,
    current_screening,
    delete_draft,
    list_engagements,
    screenings,
)
from riskscreen.store.models import EngagementRecord, Screening, User
from riskscreen.store.permissions import Action, allowed, capacity, visible_organisation
from riskscreen.store.workflow import DRAFT, STATUSES
from riskscreen.web.auth import DbSession, PageUser, require
from riskscreen.web.context import service
from riskscreen.web.records import render_download, stored_result, visible_record
from riskscreen.web.routes.review import officer_panel
from riskscreen.web.templating import safe_filename
from riskscreen.workflow.machine import Role

router = APIRouter()

PER_PAGE = 25
DOWNLOADS = {
    "html": ("text/html; charset=utf-8", "html"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "json": ("application/json", "json"),
}


@router.get("/")
def home(request: Request, user: PageUser) -> Response:
    return RedirectResponse("/engagements", status_code=303)


@router.get("/engagements")
def engagement_list(request: Request, session: DbSession, user: PageUser, status: str = "",
                    tier: str = "", q: str = "", page: int = 1) -> Response:
    statuses = (status,) if status in STATUSES else ()
    tiers = (tier,) if tier in TIER_ORDER else ()
    organisation = visible_organisation(user)
    where = EngagementFilter(organisation_id=organisation, statuses=statuses, tiers=tiers,
                             text=q[:200], exclude_statuses=(DRAFT,) if organisation is None else ())
    found = list_engagements(session, where, page=page, per_page=PER_PAGE)
    query = {"status": status if statuses else "", "tier": tier if tiers else "", "q": q}
    return service(request).pages.render(
        request, "engagements/list.html", title="Engagements" if organisation is None else
        "Your organisation's engagements", found=found, query=query, tiers=TIER_ORDER,
        may_create=allowed(user, "create"))


@router.get("/engagements/{engagement_id:int}")
def overview(request: Request, session: DbSession, user: PageUser, engagement_id: int,
             done: str = "") -> Response:
    record = visible_record(session, user, engagement_id)
    screening = current_screening(session, record)
    history = screenings(session, record)
    svc = service(request)
    return svc.pages.render(
        request, "engagements/overview.html", title=record.title or record.reference,
        record=record, screening=screening, history=history,
        result=stored_result(screening) if screening else None,
        taxonomies=svc.engine.taxonomies, done=done if done in CONFIRMATIONS else "",
        confirmations=CONFIRMATIONS,
        may={action: allowed(user, action, record)
             for action in ("edit", "screen", "submit", "withdraw", "reopen", "delete")},
        review=officer_panel(session, user, record))


@router.get("/engagements/{engagement_id:int}/screenings/{screening_id:int}")
def past_screening(request: Request, session: DbSession, user: PageUser, engagement_id: int,
                   screening_id: int) -> Response:
    record = visible_record(session, user, engagement_id)
    screening = session.get(Screening, screening_id)
    if screening is None or screening.engagement_id != record.id:
        raise HTTPException(status_code=404, detail="Page not found")
    svc = service(request)
    return svc.pages.render(request, "engagements/screening.html",
                            title=f"Screening of {screening.screened_at:%-d %B %Y %H:%M}",
                            record=record, screening=screening, result=stored_result(screening),
                            taxonomies=svc.engine.taxonomies)


@router.get("/engagements/{engagement_id:int}/download/{name}")
def download(request: Request, session: DbSession, user: PageUser, engagement_id: int,
             name: str) -> Response:
    record = visible_record(session, user, engagement_id)
    stem, _, fmt = name.rpartition(".")
    if stem != safe_filename(record.reference) or fmt not in (*DOWNLOADS, "yaml"):
        raise HTTPException(status_code=404, detail="Page not found")
    if fmt == "yaml":
        text = yaml.safe_dump(record.input, sort_keys=False, allow_unicode=True)
        media = "application/yaml"
    else:
        screening = current_screening(session, record)
        if screening is None:
            raise HTTPException(status_code=404, detail="Page not found")
        text = render_download(service(request), screening, fmt, f"{stem}.yaml")
        media = DOWNLOADS[fmt][0]
    return Response(text, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})


CONFIRMATIONS = {
    "submit": "Engagement submitted for review",
    "withdraw": "Engagement withdrawn",
    "reopen": "Engagement reopened as a draft",
}

ACTIONS = {
    "submit": ("Submit this engagement for review?",
               "The Devolved Diplomacy Unit's reviewers will see it and its latest screening. "
               "You will not be able to change it unless you withdraw it.", "Submit for review"),
    "withdraw": ("Withdraw this engagement?",
                 "It stays on record with every screening, marked withdrawn. You can reopen it "
                 "as a draft later.", "Withdraw"),
    "reopen": ("Reopen this engagement as a draft?",
               "You will be able to change and re-screen it, then submit it again.", "Reopen"),
    "delete": ("Delete this draft?",
               "It has never been screened, so nothing about it is kept.", "Delete draft"),
}


def _actionable(session: DbSession, user: User, engagement_id: int, action: str) -> EngagementRecord:
    """The engagement, when the action exists and the user may take it (404 / 403 otherwise)."""
    if action not in ACTIONS:
        raise HTTPException(status_code=404, detail="Page not found")
    record = visible_record(session, user, engagement_id)
    require(user, cast(Action, action), record)
    # these are the organisation's own actions; a reviewer reopens a decision on the review page,
    # where a reason is asked for
    if capacity(user, record) is not Role.OFFICER:
        raise HTTPException(status_code=403, detail="You do not have permission to do that")
    return record


def _confirm_page(request: Request, record: EngagementRecord, action: str, message: str = "",
                  status_code: int = 200) -> Response:
    heading, text, button = ACTIONS[action]
    errors = [{"text": message, "href": "#confirm"}] if message else []
    return service(request).pages.render(
        request, "engagements/confirm.html", status_code=status_code, title=heading, record=record,
        text=text, button=button, action=action, errors=errors)


@router.get("/engagements/{engagement_id:int}/{action}")
def confirm_action(request: Request, session: DbSession, user: PageUser, engagement_id: int,
                   action: str) -> Response:
    return _confirm_page(request, _actionable(session, user, engagement_id, action), action)


@router.post("/engagements/{engagement_id:int}/{action}")
def do_action(request: Request, session: DbSession, user: PageUser, engagement_id: int,
              action: str) -> Response:
    record = _actionable(session, user, engagement_id, action)
    if action == "delete":
        try:
            delete_draft(session, record)
        except EngagementError as exc:
            return _confirm_page(request, record, action, str(exc), 409)
        return RedirectResponse("/engagements", status_code=303)
    if action == "submit" and current_screening(session, record) is None:
        return _confirm_page(request, record, action,
                             "Screen the engagement with its current answers before submitting it", 409)
    apply_transition(session, record, action, user)
    return RedirectResponse(f"/engagements/{record.id}?done={action}", status_code=303)
