"""Jinja2 for pages: our templates first, then the GOV.UK Frontend macros; always autoescaped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse

from riskscreen.store.workflow import STATUSES

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

TIER_TAG_COLOURS = {"autonomy": "green", "advice": "yellow", "alignment": "orange", "stop": "red"}
STATUS_TAG_COLOURS = {"draft": "grey", "submitted": "blue", "withdrawn": "purple"}


def safe_filename(reference: str) -> str:
    """A download name from a reference: letters, digits, dash and underscore only."""
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in reference).strip("-")
    return cleaned[:80] or "engagement"


def make_environment() -> Environment:
    environment = Environment(
        loader=ChoiceLoader([
            FileSystemLoader(str(TEMPLATES_DIR)),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        statuses=STATUSES,
        tier_colours=TIER_TAG_COLOURS,
        status_colours=STATUS_TAG_COLOURS,
    )
    environment.filters["safe_filename"] = safe_filename
    return environment


class Pages:
    """Renders a page template with what every page needs (user, CSRF token, CSP nonce)."""

    def __init__(self, service_name: str) -> None:
        self.environment = make_environment()
        self.service_name = service_name

    def render(self, request: Request, template: str, status_code: int = 200,
               **context: Any) -> HTMLResponse:
        state = request.state
        context.setdefault("errors", [])
        html = self.environment.get_template(template).render(
            request=request,
            user=getattr(state, "user", None),
            csrf_token=getattr(state, "csrf_token", ""),
            cspNonce=getattr(state, "csp_nonce", ""),
            service_name=self.service_name,
            **context,
        )
        return HTMLResponse(html, status_code=status_code)
