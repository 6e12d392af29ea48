"""The application factory: one FastAPI app serving the officer's pages and the JSON API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from riskscreen import Engine, __version__
from riskscreen.store import Store
from riskscreen.web.auth import ApiAuthRequired, SignInRequired, sign_in_url
from riskscreen.web.context import Service
from riskscreen.web.security import SecurityMiddleware
from riskscreen.web.settings import WebSettings
from riskscreen.web.templating import Pages

STATIC_DIR = Path(__file__).resolve().parent / "static"

ERROR_PAGES = {
    403: ("You do not have permission to do that", "Your account cannot do this. Ask your organisation's administrator if you need to."),
    404: ("Page not found", "If you typed the web address, check it is correct. If you followed a link, the engagement may have been deleted or you may not have access to it."),
    405: ("Page not found", "That page cannot be used in this way."),
    409: ("That cannot be done now", "The engagement has changed since you loaded the page."),
}


def problem(status: int, title: str, detail: str = "", **extra: Any) -> JSONResponse:
    """An RFC 9457 problem-details response."""
    body = {"type": "about:blank", "title": title, "status": status, **({"detail": detail} if detail else {}), **extra}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The job worker (re-screening, email, expiring waivers) runs beside the pages, in-process."""
    from riskscreen.review.jobs import Worker

    svc: Service = app.state.service
    worker = Worker(svc.store.engine, svc.job_handlers(), on_idle=svc.housekeeping()) if svc.settings.run_jobs else None
    if worker is not None:
        worker.start()
    try:
        yield
    finally:
        if worker is not None:
            worker.stop()


def create_app(settings: WebSettings, engine: Engine | None = None) -> FastAPI:
    store = Store(settings.database_url)
    store.check_current()
    app = FastAPI(title="riskscreen", version=__version__, docs_url=None, redoc_url=None, lifespan=_lifespan,
                  openapi_url="/api/openapi.json",
                  description="Screen international engagements; keep engagements and every screening.")
    engine = engine or Engine.load()
    app.state.service = Service(settings=settings, store=store, engine=engine,
                                pages=Pages(settings.service_name, engine.taxonomies))
    app.add_middleware(SecurityMiddleware, max_body_bytes=settings.max_body_bytes)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    _routes(app)
    _handlers(app)
    return app


def create_app_from_env() -> FastAPI:
    return create_app(WebSettings.from_env())


def routers() -> list[tuple[APIRouter, bool]]:
    """Every router of the service, in matching order, and whether it is in the OpenAPI schema.

    The journey's fixed paths (``/engagements/{id}/check``) come before the engagement router's
    ``/engagements/{id}/{action}``."""
    from riskscreen.web.routes import (
        account,
        admin,
        admin_review,
        api,
        apidocs,
        audit,
        auth,
        engagements,
        journey,
        registers,
        review,
        review_api,
    )

    pages = [auth, journey, registers, account, admin, review, admin_review, audit, engagements, apidocs]
    return [(module.router, False) for module in pages] + [(api.router, True), (review_api.router, True)]


def _routes(app: FastAPI) -> None:
    for router, in_schema in routers():
        app.include_router(router, include_in_schema=in_schema)


def _pages(request: Request) -> Pages:
    service: Service = request.app.state.service
    return service.pages


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/v1")


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(sign_in_url(exc.next_path), status_code=303)

    @app.exception_handler(ApiAuthRequired)
    async def _api_auth(request: Request, exc: ApiAuthRequired) -> Response:
        response = problem(401, "Authentication required",
                           "Send a personal API token: 'Authorization: Bearer rs_…'. Create one under "
                           "'Your account' in the web service.")
        response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return problem(exc.status_code, str(exc.detail))
        title, message = ERROR_PAGES.get(exc.status_code, ("Sorry, there is a problem", str(exc.detail)))
        return _pages(request).render(request, "error.html", status_code=exc.status_code,
                                      title=title, message=message)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        # Logged by the server; the user sees no traceback and nothing of the internals.
        if _is_api(request):
            return problem(500, "Internal error", "the service could not complete the request")
        return _pages(request).render(
            request, "error.html", status_code=500, title="Sorry, there is a problem with the service",
            message="Try again later. Your saved answers have not been lost.")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]),
                   "message": e["msg"], "value": e.get("input") if not isinstance(e.get("input"), (dict, list)) else None}
                  for e in exc.errors()]
        if _is_api(request):
            return problem(422, "Invalid request", errors[0]["message"] if errors else "", errors=errors)
        return _pages(request).render(
            request, "error.html", status_code=404, title="Page not found",
            message="If you typed the web address, check it is correct.")
