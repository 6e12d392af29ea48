"""Who is asking: a browser session (or the trusted SSO header), or an API bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from riskscreen.store.accounts import find_user, session_user, token_user
from riskscreen.store.models import User
from riskscreen.store.permissions import Action, allowed
from riskscreen.web.context import db_session, service


@dataclass(frozen=True)
class Viewer:
    """What pages show of the signed-in user; a plain copy, so error pages rendered after the
    database session has closed can still show it."""

    name: str
    email: str
    role: str
    organisation_name: str

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(user.name, user.email, user.role, user.organisation.name)


class SignInRequired(Exception):
    """A page needs a signed-in user; answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class ApiAuthRequired(Exception):
    """The API needs a bearer token; answered 401 with problem details."""


def browser_user(request: Request, session: Session) -> User | None:
    header = service(request).settings.trusted_header
    if header:
        email = request.headers.get(header, "")
        user = find_user(session, email) if email else None
        return user if user is not None and user.active else None
    return session_user(session, request.state.session_secret)


def page_user(request: Request, session: Annotated[Session, Depends(db_session)]) -> User:
    user = browser_user(request, session)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target if request.method == "GET" else "/")
    request.state.user = Viewer.of(user)
    return user


def api_user(request: Request, session: Annotated[Session, Depends(db_session)]) -> User:
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    user = token_user(session, secret.strip()) if scheme.lower() == "bearer" and secret else None
    if user is None:
        raise ApiAuthRequired()
    return user


def require(user: User, action: Action, record: object = None) -> None:
    from riskscreen.store.models import EngagementRecord

    target = record if isinstance(record, EngagementRecord) else None
    if not allowed(user, action, target):
        raise HTTPException(status_code=403, detail="You do not have permission to do that")


def sign_in_url(next_path: str) -> str:
    safe = next_path if next_path.startswith("/") and not next_path.startswith("//") else "/"
    return "/sign-in?next=" + quote(safe, safe="/")


PageUser = Annotated[User, Depends(page_user)]
ApiUser = Annotated[User, Depends(api_user)]
DbSession = Annotated[Session, Depends(db_session)]
