"""Every page of the service, reached as a person reaches it, passes axe (WCAG 2.2 AA) with
JavaScript on and off. The walk is checked against the app's own routes, so a new page cannot be
added without being checked here."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright", reason="browser tests skipped: Playwright is not installed (pip install '.[dev]')")

import re

import pytest
from playwright.sync_api import expect

from tests.web.browser.conftest import ADMIN, REVIEWER, LiveServer, Visitor

# Routes that answer with something other than an HTML page of their own.
NOT_PAGES = {"/", "/engagements/{engagement_id:int}/download/{name}"}


def page_routes(server: LiveServer) -> set[str]:
    from fastapi.routing import APIRoute

    from riskscreen.web import WebSettings, create_app

    app = create_app(WebSettings(database_url=server.database_url))
    try:
        return {route.path for route in app.routes
                if isinstance(route, APIRoute) and "GET" in route.methods
                and not route.include_in_schema and route.path not in NOT_PAGES}
    finally:
        app.state.service.store.close()


def engagement_id(url: str) -> str:
    found = re.search(r"/engagements/(\d+)", url)
    assert found, url
    return found.group(1)


def test_every_page_passes_axe(visitor: Visitor) -> None:
    page = visitor.page
    seen: set[str] = set()

    def visit(route: str, path: str, name: str) -> None:
        visitor.goto(path)
        assert visitor.path().split("?")[0] == path.split("?")[0], f"{path} went to {visitor.path()}"
        visitor.check(name)
        seen.add(route)

    visit("/sign-in", "/sign-in", "sign-in")
    visit("/accessibility", "/accessibility", "accessibility-signed-out")
    visitor.sign_in()
    visit("/engagements", "/engagements", "engagements")
    visit("/engagements", "/engagements?page=2", "engagements-page-2")
    visit("/engagements", "/engagements?status=submitted&tier=alignment", "engagements-filtered")
    visit("/engagements", "/engagements?q=no-such-engagement", "engagements-none-found")

    # A screened demo engagement: its result, its screenings, and what may be done to it.
    visitor.goto("/engagements?status=draft&tier=advice")
    page.locator("#engagements tbody tr a").first.click()
    draft = engagement_id(page.url)
    visit("/engagements/{engagement_id:int}", f"/engagements/{draft}", "overview-screened-draft")
    screening = page.locator("#history ~ table tbody a").first.get_attribute("href") or ""
    visit("/engagements/{engagement_id:int}/screenings/{screening_id:int}", screening, "screening")
    visit("/engagements/{engagement_id:int}/{action}", f"/engagements/{draft}/submit", "confirm-submit")
    visit("/engagements/{engagement_id:int}/check", f"/engagements/{draft}/check", "check-answers")
    for slug in ("lead", "partner", "agreement", "sectors", "involves", "diligence"):
        visit("/engagements/{engagement_id:int}/questions/{slug}",
              f"/engagements/{draft}/questions/{slug}", f"question-{slug}")
    visitor.goto("/engagements?status=submitted")
    page.locator("#engagements tbody tr a").first.click()
    visit("/engagements/{engagement_id:int}/{action}",
          f"/engagements/{engagement_id(page.url)}/withdraw", "confirm-withdraw")

    # A new draft, never screened: it may be deleted.
    visitor.goto("/engagements")
    page.get_by_role("button", name="Screen a new engagement").click()
    fresh = engagement_id(page.url)
    visit("/engagements/{engagement_id:int}", f"/engagements/{fresh}", "overview-not-screened")
    visit("/engagements/{engagement_id:int}/{action}", f"/engagements/{fresh}/delete", "confirm-delete")
    page.get_by_role("button", name="Delete draft").click()
    expect(page.locator("h1")).to_have_text("Your organisation's engagements")

    visit("/registers/upload", "/registers/upload", "register-upload")
    visit("/account", "/account", "account")
    visit("/api/docs", "/api/docs", "api-docs")
    visit("/accessibility", "/accessibility", "accessibility")
    visitor.goto("/engagements/999999")
    expect(page.locator("h1")).to_have_text("Page not found")
    visitor.check("not-found")

    # An administrator also manages the organisation's users.
    page.context.clear_cookies()
    visitor.sign_in(ADMIN)
    visit("/admin/users", "/admin/users", "admin-users")

    missing = page_routes(visitor.server) - seen
    assert not missing, f"pages no browser test checks: {sorted(missing)}"


@pytest.mark.parametrize("who", ["reviewer"])
def test_reviewer_pages_pass_axe(visitor: Visitor, who: str) -> None:
    """A reviewer sees every organisation's submitted engagements and changes none."""
    page = visitor.page
    visitor.sign_in(REVIEWER)
    expect(page.locator("h1")).to_have_text("Engagements")
    expect(page.get_by_role("button", name="Screen a new engagement")).to_have_count(0)
    visitor.check("reviewer-engagements")
    page.locator("#engagements tbody tr a").first.click()
    expect(page.locator("#tier")).to_be_visible()
    expect(page.locator("#edit-answers")).to_have_count(0)
    visitor.check("reviewer-overview")
