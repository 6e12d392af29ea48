"""One ASGI middleware for browser security: the session id cookie, CSRF, headers, body limits.

CSRF fails closed: every unsafe request outside /api/ must carry a token (form field
``csrf_token`` or header ``X-CSRF-Token``) that matches the browser's session cookie, or it is
refused before any route runs. The JSON API accepts only bearer tokens, never cookies, so a
cross-site request cannot act with a user's authority there and the API is exempt.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SESSION_COOKIE = "rs_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{40,64}$")


def csrf_token_for(session_secret: str) -> str:
    """The CSRF token is derived from the HttpOnly session secret, which a third party never sees."""
    return hmac.new(session_secret.encode(), b"riskscreen-csrf", hashlib.sha256).hexdigest()


def content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ])


def set_session_cookie(response: Response, request: Request, secret: str) -> None:
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")


class _BodyTooLarge(Exception):
    pass


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The whole request body, or (b"", True) once it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks), False


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        secret = request.cookies.get(SESSION_COOKIE, "")
        fresh = None
        if not _SECRET_SHAPE.match(secret):
            secret = fresh = secrets.token_urlsafe(32)
        nonce = secrets.token_urlsafe(16)
        state = scope.setdefault("state", {})
        state.update(session_secret=secret, csrf_token=csrf_token_for(secret), csp_nonce=nonce)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", content_security_policy(nonce))
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                if not scope["path"].startswith("/static/"):
                    headers.setdefault("Cache-Control", "no-store")  # pages show private data
                if fresh is not None and not scope["path"].startswith(("/static/", "/api/")):
                    cookie = Response()
                    set_session_cookie(cookie, request, fresh)
                    headers.append("set-cookie", cookie.headers["set-cookie"])
            await send(message)

        if request.method not in SAFE_METHODS:
            body, too_large = await _read_body(receive, self.max_body_bytes)
            if too_large:
                await PlainTextResponse("Request too large", status_code=413)(scope, receive, send_with_headers)
                return
            receive = _replay(body)
            if not scope["path"].startswith("/api/"):
                supplied = await self._supplied_token(scope, body)
                if fresh is not None or not hmac.compare_digest(supplied, csrf_token_for(secret)):
                    await self._refuse(scope, receive, send_with_headers)
                    return
                receive = _replay(body)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    async def _supplied_token(scope: Scope, body: bytes) -> str:
        request = Request(scope, _replay(body))
        header = request.headers.get(CSRF_HEADER)
        if header:
            return header
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            return ""
        try:
            form = await request.form()
        except Exception:  # a malformed body carries no valid token; refuse it below
            return ""
        try:
            value = form.get(CSRF_FIELD)
            return value if isinstance(value, str) else ""
        finally:
            await form.close()

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        page = HTMLResponse(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Your form has expired</title></head>"
            "<body><h1>Your form has expired</h1><p>For your security, the form could not be "
            "sent. Go back, reload the page and try again.</p></body></html>",
            status_code=403,
        )
        await page(scope, receive, send)
