"""Your account: personal API tokens and changing your password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from riskscreen.store.accounts import (
    AccountError,
    create_token,
    revoke_token,
    set_password,
    start_session,
    user_tokens,
)
from riskscreen.store.passwords import verify_password
from riskscreen.web.auth import DbSession, PageUser
from riskscreen.web.context import service
from riskscreen.web.security import set_session_cookie

router = APIRouter()


def _page(request: Request, session: DbSession, user: PageUser, status_code: int = 200,
          errors: list[dict[str, str]] | None = None, new_token: str = "",
          field_errors: dict[str, str] | None = None, message: str = "") -> Response:
    return service(request).pages.render(
        request, "account/index.html", status_code=status_code, title="Your account",
        tokens=user_tokens(session, user), errors=errors or [], new_token=new_token,
        field_errors=field_errors or {}, message=message,
        trusted_header=service(request).settings.trusted_header)


@router.get("/account")
def account(request: Request, session: DbSession, user: PageUser) -> Response:
    return _page(request, session, user, message=request.query_params.get("done", ""))


@router.post("/account/tokens")
def new_token(request: Request, session: DbSession, user: PageUser,
              name: Annotated[str, Form()] = "") -> Response:
    try:
        _, secret = create_token(session, user, name)
    except AccountError:
        return _page(request, session, user, 400,
                     errors=[{"text": "Enter a name for the token", "href": "#token-name"}],
                     field_errors={"token-name": "Enter a name for the token"})
    return _page(request, session, user, new_token=secret)


@router.post("/account/tokens/{token_id:int}/revoke")
def revoke(request: Request, session: DbSession, user: PageUser, token_id: int) -> Response:
    if not revoke_token(session, user, token_id):
        raise HTTPException(status_code=404, detail="Page not found")
    return RedirectResponse("/account?done=token-revoked", status_code=303)


@router.post("/account/password")
def change_password(request: Request, session: DbSession, user: PageUser,
                    current: Annotated[str, Form()] = "", new: Annotated[str, Form()] = "") -> Response:
    field_errors: dict[str, str] = {}
    if not verify_password(user.password_hash, current):
        field_errors["current-password"] = "Enter your current password correctly"
    else:
        try:
            set_password(session, user, new)
        except AccountError as exc:
            field_errors["new-password"] = str(exc)
    if field_errors:
        return _page(request, session, user, 400,
                     errors=[{"text": t, "href": f"#{k}"} for k, t in field_errors.items()],
                     field_errors=field_errors)
    # Changing the password signs out every other browser; keep this one signed in.
    response = RedirectResponse("/account?done=password-changed", status_code=303)
    set_session_cookie(response, request, start_session(session, user))
    return response
