"""Jinja2 for pages: our templates first, then the GOV.UK Frontend macros; always autoescaped."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse

from riskscreen.models.result import Finding, ScreeningResult
from riskscreen.render.evidence import EvidenceView, EvidenceWriter
from riskscreen.render.view import Labels
from riskscreen.store.workflow import STATUSES

if TYPE_CHECKING:
    from riskscreen.inputs.taxonomy import Taxonomies

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

TIER_TAG_COLOURS = {"autonomy": "green", "advice": "yellow", "alignment": "orange", "stop": "red"}
STATUS_TAG_COLOURS = {"draft": "grey", "submitted": "blue", "withdrawn": "purple"}


def safe_filename(reference: str) -> str:
    """A download name from a reference: letters, digits, dash and underscore only."""
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in reference).strip("-")
    return cleaned[:80] or "engagement"


def evidence_phrases(labels: Labels) -> Any:
    """A template function: a finding's evidence in the officer's words, each answer once
    ("partner country: China (high sensitivity …)"), as the reports write it."""

    def phrases(result: ScreeningResult, finding: Finding) -> list[EvidenceView]:
        unique: dict[tuple[str, str], EvidenceView] = {}
        for view in EvidenceWriter(result, labels).for_finding(finding):
            unique.setdefault((view.label, view.value), view)
        return list(unique.values())

    return phrases


def make_environment(taxonomies: Taxonomies | None = None) -> Environment:
    environment = Environment(
        loader=ChoiceLoader([
            FileSystemLoader(str(TEMPLATES_DIR)),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]),
        autoescape=True,
        # The templates ship inside the package and do not change while it runs: skip the
        # file-modification check Jinja otherwise makes for every template and macro import.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        statuses=STATUSES,
        tier_colours=TIER_TAG_COLOURS,
        status_colours=STATUS_TAG_COLOURS,
        evidence_phrases=evidence_phrases(Labels(taxonomies)),
    )
    environment.filters["safe_filename"] = safe_filename
    return environment


class Pages:
    """Renders a page template with what every page needs (user, CSRF token, CSP nonce)."""

    def __init__(self, service_name: str, taxonomies: Taxonomies | None = None) -> None:
        self.environment = make_environment(taxonomies)
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
