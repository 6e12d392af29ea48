"""Signing in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from riskscreen.review.steps import record_event
from riskscreen.store.accounts import authenticate, end_session, start_session
from riskscreen.web.auth import DbSession, browser_user
from riskscreen.web.context import service
from riskscreen.web.security import set_session_cookie

router = APIRouter()


def _safe_next(value: str) -> str:
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/sign-in")
def sign_in_page(request: Request, session: DbSession, next: str = "/") -> Response:
    if browser_user(request, session) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return service(request).pages.render(
        request, "sign_in.html", title="Sign in", next_path=_safe_next(next), email="",
        field_errors={}, trusted_header=service(request).settings.trusted_header)


@router.post("/sign-in")
def sign_in(request: Request, session: DbSession, email: Annotated[str, Form()] = "",
            password: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:
    pages = service(request).pages
    field_errors: dict[str, str] = {}
    if not email.strip():
        field_errors["email"] = "Enter your email address"
    if not password:
        field_errors["password"] = "Enter your password"
    status = 400
    if not field_errors and not service(request).settings.trusted_header:
        outcome = authenticate(session, email, password, _client(request))
        if outcome.user is not None:
            secret = start_session(session, outcome.user)
            record_event(session, outcome.user, "user.sign_in", f"user:{outcome.user.id}", None,
                         {"address": _client(request)})
            response = RedirectResponse(_safe_next(next), status_code=303)
            set_session_cookie(response, request, secret)
            return response
        # failed sign-ins are counted for throttling, and kept in the trail (never the password)
        record_event(session, None, "user.sign_in_failed", f"email:{email.strip().lower()[:150]}", None,
                     {"address": _client(request), "throttled": outcome.throttled})
        if outcome.throttled:
            field_errors["email"] = ("Too many failed attempts to sign in. Wait 15 minutes and "
                                     "try again, or ask your administrator to reset your password")
            status = 429
        else:
            field_errors["email"] = "Enter a correct email address and password"
    errors = [{"text": text, "href": f"#{name}"} for name, text in field_errors.items()]
    return pages.render(request, "sign_in.html", status_code=status, title="Sign in",
                        next_path=_safe_next(next), email=email, field_errors=field_errors,
                        errors=errors, trusted_header=service(request).settings.trusted_header)


@router.post("/sign-out")
def sign_out(request: Request, session: DbSession) -> Response:
    import secrets

    end_session(session, request.state.session_secret)
    response = RedirectResponse("/sign-in", status_code=303)
    set_session_cookie(response, request, secrets.token_urlsafe(32))
    return response
