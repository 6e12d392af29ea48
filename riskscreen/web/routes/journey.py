"""The officer's questions: one page per topic, check your answers, then screen."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from riskscreen.errors import InputError
from riskscreen.store.engagements import EngagementError, create_engagement, update_input
from riskscreen.store.models import EngagementRecord, User
from riskscreen.web.auth import DbSession, PageUser, require
from riskscreen.web.context import service
from riskscreen.web.questions import (
    SECTION_BY_SLUG,
    SECTIONS,
    FormProblem,
    Question,
    Section,
    answer_text,
    choices,
    form_values,
    parse_section,
    problems_in,
    section_for,
)
from riskscreen.web.records import screen_record, visible_record

router = APIRouter()


@router.post("/engagements/new")
def start(request: Request, session: DbSession, user: PageUser) -> Response:
    require(user, "create")
    name = user.organisation.name
    record = create_engagement(session, user, {"lead": {"name": name}})
    return RedirectResponse(f"/engagements/{record.id}/questions/{SECTIONS[0].slug}", status_code=303)


def _section(slug: str) -> Section:
    section = SECTION_BY_SLUG.get(slug)
    if section is None:
        raise HTTPException(status_code=404, detail="Page not found")
    return section


def _editable(session: DbSession, user: User, engagement_id: int) -> EngagementRecord:
    record = visible_record(session, user, engagement_id)
    require(user, "edit", record)
    return record


def _render_section(request: Request, record: EngagementRecord, section: Section,
                    values: dict[str, Any], problems: list[FormProblem], returning: bool,
                    status_code: int = 200) -> Response:
    svc = service(request)
    index = SECTIONS.index(section)
    by_key = {p.question.key: p.message for p in problems}
    fields = [
        {"q": q, "value": values.get(q.key), "choices": choices(q, svc.engine.taxonomies),
         "error": by_key.get(q.key)}
        for q in section.questions
    ]
    resolver = svc.engine.taxonomies.country_resolver
    countries = sorted({resolver.name(code) for code in resolver.codes}) if section.slug == "partner" else []
    return svc.pages.render(
        request, "engagements/question.html", countries=countries, status_code=status_code, title=section.heading,
        record=record, section=section, fields=fields, step=index + 1, steps=len(SECTIONS),
        errors=[{"text": p.message, "href": p.href} for p in problems], returning=returning,
        back=(f"/engagements/{record.id}/check" if returning else
              f"/engagements/{record.id}/questions/{SECTIONS[index - 1].slug}" if index else
              "/engagements"))


@router.get("/engagements/{engagement_id:int}/questions/{slug}")
def question_page(request: Request, session: DbSession, user: PageUser, engagement_id: int,
                  slug: str, returning: bool = False) -> Response:
    record = _editable(session, user, engagement_id)
    section = _section(slug)
    values = {q.key: form_values(q, record.input) for q in section.questions}
    return _render_section(request, record, section, values, [], returning)


@router.post("/engagements/{engagement_id:int}/questions/{slug}")
async def answer(request: Request, session: DbSession, user: PageUser, engagement_id: int,
                 slug: str, returning: bool = False) -> Response:
    form = await request.form()
    # Validation and the database are blocking work: keep them off the event loop.
    return await run_in_threadpool(_answer, request, session, user, engagement_id, slug, returning,
                                   form)


def _answer(request: Request, session: DbSession, user: User, engagement_id: int, slug: str,
            returning: bool, form: FormData) -> Response:
    record = _editable(session, user, engagement_id)
    section = _section(slug)
    parsed = parse_section(section, form, form.getlist, record.input)
    problems = list(parsed.problems)
    try:
        service(request).engine.validate(parsed.data)
    except InputError as exc:
        typed = {p.question.key for p in problems}
        problems += [p for p in problems_in(section, exc) if p.question.key not in typed]
    if not problems:
        try:
            update_input(session, record, parsed.data)
        except EngagementError as exc:
            reference = SECTION_BY_SLUG["agreement"].questions[0]
            problems.append(FormProblem(reference, str(exc)))
    if problems:
        values = {q.key: form_values(q, parsed.data) for q in section.questions}
        values.update(parsed.raw)
        return _render_section(request, record, section, values, problems, returning, 400)
    if form.get("action") == "save":
        return RedirectResponse(f"/engagements/{record.id}", status_code=303)
    index = SECTIONS.index(section)
    if returning or index == len(SECTIONS) - 1:
        return RedirectResponse(f"/engagements/{record.id}/check", status_code=303)
    return RedirectResponse(f"/engagements/{record.id}/questions/{SECTIONS[index + 1].slug}",
                            status_code=303)


def _summary(request: Request, record: EngagementRecord) -> list[dict[str, Any]]:
    taxonomies = service(request).engine.taxonomies
    return [
        {"section": section,
         "rows": [{"q": q, "answer": answer_text(q, record.input, taxonomies),
                   "href": f"/engagements/{record.id}/questions/{section.slug}?returning=true#{q.html_id}"}
                  for q in section.questions]}
        for section in SECTIONS
    ]


def _check_page(request: Request, record: EngagementRecord, problems: list[dict[str, str]],
                status_code: int = 200) -> Response:
    return service(request).pages.render(
        request, "engagements/check.html", status_code=status_code,
        title="Check your answers before screening", record=record,
        summary=_summary(request, record), errors=problems)


@router.get("/engagements/{engagement_id:int}/check")
def check_answers(request: Request, session: DbSession, user: PageUser,
                  engagement_id: int) -> Response:
    record = _editable(session, user, engagement_id)
    return _check_page(request, record, [])


def _link(record: EngagementRecord, question: Question, field: str) -> str:
    located = section_for(field)
    slug = located[0].slug if located else SECTIONS[0].slug
    return f"/engagements/{record.id}/questions/{slug}?returning=true#{question.html_id}"


@router.post("/engagements/{engagement_id:int}/screen")
def screen(request: Request, session: DbSession, user: PageUser, engagement_id: int) -> Response:
    record = visible_record(session, user, engagement_id)
    require(user, "screen", record)
    try:
        screen_record(service(request), session, record, user)
    except InputError as exc:
        problems = problems_in(None, exc)
        errors = [{"text": p.message, "href": _link(record, p.question, p.question.key)}
                  for p in problems]
        if not errors:  # a problem no question owns (should not happen); still say what it is
            errors = [{"text": str(problem), "href": "#main-content"} for problem in exc.problems]
        return _check_page(request, record, errors, 400)
    return RedirectResponse(f"/engagements/{record.id}", status_code=303)
