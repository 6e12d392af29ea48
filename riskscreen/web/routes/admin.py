"""Administrators manage their own organisation's accounts (reviewers are added from the CLI)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import select

from riskscreen.review.steps import record_event
from riskscreen.store.accounts import AccountError, add_user, disable_user, set_password
from riskscreen.store.models import User
from riskscreen.store.passwords import generate_password
from riskscreen.web.auth import DbSession, PageUser, require
from riskscreen.web.context import service

router = APIRouter()

ORGANISATION_ROLES = {"officer": "Officer", "admin": "Administrator"}


def _page(request: Request, session: DbSession, admin: User, status_code: int = 200,
          errors: list[dict[str, str]] | None = None, notice: str = "", password: str = "",
          form: dict[str, str] | None = None) -> Response:
    members = list(session.scalars(select(User).where(User.organisation_id == admin.organisation_id)
                                   .order_by(User.email)))
    return service(request).pages.render(
        request, "admin/users.html", status_code=status_code, title="Users", members=members,
        admin_id=admin.id, roles=ORGANISATION_ROLES, errors=errors or [], notice=notice,
        password=password, form=form or {"email": "", "name": "", "role": "officer"})


def _member(session: DbSession, admin: User, user_id: int) -> User:
    member = session.get(User, user_id)
    if member is None or member.organisation_id != admin.organisation_id:
        raise HTTPException(status_code=404, detail="Page not found")
    if member.id == admin.id:
        raise HTTPException(status_code=409, detail="Use 'Your account' to change your own account")
    return member


@router.get("/admin/users")
def users(request: Request, session: DbSession, user: PageUser) -> Response:
    require(user, "manage_users")
    return _page(request, session, user)


@router.post("/admin/users")
def add(request: Request, session: DbSession, user: PageUser, email: Annotated[str, Form()] = "",
        name: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "officer") -> Response:
    require(user, "manage_users")
    form = {"email": email, "name": name, "role": role}
    if role not in ORGANISATION_ROLES:
        return _page(request, session, user, 400, [{"text": "Select a role", "href": "#role"}], form=form)
    password = generate_password()
    try:
        added = add_user(session, email=email, name=name, role=role,
                         organisation=user.organisation.name, password=password)
    except AccountError as exc:
        return _page(request, session, user, 400, [{"text": str(exc), "href": "#email"}], form=form)
    record_event(session, user, "user.add", f"user:{added.id}", None,
                 {"email": added.email, "role": added.role, "organisation": user.organisation.name})
    return _page(request, session, user, notice=f"Added {added.email}.", password=password)


@router.post("/admin/users/{user_id:int}/disable")
def disable(request: Request, session: DbSession, user: PageUser, user_id: int) -> Response:
    require(user, "manage_users")
    member = _member(session, user, user_id)
    disable_user(session, member)
    record_event(session, user, "user.disable", f"user:{member.id}", {"active": True}, {"active": False})
    return _page(request, session, user, notice=f"Disabled {member.email}; they have been signed out.")


@router.post("/admin/users/{user_id:int}/reset-password")
def reset(request: Request, session: DbSession, user: PageUser, user_id: int) -> Response:
    require(user, "manage_users")
    member = _member(session, user, user_id)
    password = generate_password()
    set_password(session, member, password)
    record_event(session, user, "user.reset_password", f"user:{member.id}", None, {"password": "changed"})
    return _page(request, session, user, notice=f"New password for {member.email}.", password=password)
