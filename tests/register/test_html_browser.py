"""A large register's HTML report in a real browser (Playwright driving Debian's chromium), with
JavaScript on and off, and axe-core (WCAG 2.2 AA tags) on each: the script-drawn table shows rows,
pages, filters, sorts and opens a row to its findings; without JavaScript the page says why there
is no table and lists the first failing engagements. Screenshots go to out/browser/register/.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright")
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

import riskscreen.render.register_html as register_html
from tests.register.test_html_large import check, hostile_register
from tests.web.browser.axe import Axe, describe

CHROMIUM = Path(os.environ.get("RISKSCREEN_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("RISKSCREEN_BROWSER_ARTEFACTS", ROOT / "out" / "browser")) / "register"
URL = "http://register.test/report.html"  # served from memory by a route, never the network


@dataclass(frozen=True)
class Report:
    html: str
    results: dict[str, Any]  # the same register checked with --format json
    engagements: list[dict[str, Any]]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The example register with hostile text, as a large register: 10 rows to a page, 5 listed plainly."""
    register = hostile_register(tmp_path_factory.mktemp("register"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(register_html, "LARGE_ROWS", 20)
        patch.setattr(register_html, "LISTED", 5)
        patch.setattr(register_html, "SCRIPT_PAGE_ROWS", 10)
        html = check(register, "--format", "html")
    return Report(html, json.loads(check(register, "--format", "json")),
                  yaml.safe_load(register.read_text(encoding="utf-8"))["engagements"])


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def axe(browser: Browser) -> Iterator[Axe]:
    checker = Axe(browser)
    yield checker
    checker.close()


def open_report(browser: Browser, html: str, javascript: bool) -> tuple[Page, list[str]]:
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)

    def serve(route: Route) -> None:
        route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")

    context.route(URL, serve)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("request", lambda request: problems.append(f"request: {request.url}") if request.url != URL else None)
    page.goto(URL)
    return page, problems


def assert_accessible(axe: Axe, page: Page, javascript: bool, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=not javascript)
    violations = axe.violations(page, javascript)
    assert not violations, describe(violations)


def body_rows(page: Page) -> Any:
    return page.locator("#engagement-rows > tr:not(.detail)")


def test_the_table_pages_filters_sorts_and_opens_rows(browser: Browser, axe: Axe,
                                                       report: Report) -> None:
    results = report.results["results"]
    page, problems = open_report(browser, report.html, javascript=True)
    status = page.locator("#table-status")
    expect(status).to_have_text("Showing 1–10 of 55 engagements")
    expect(page.locator("#table-needs-script")).to_be_hidden()
    expect(body_rows(page)).to_have_count(10)
    assert body_rows(page).locator("th").all_text_contents() == [r["engagement_id"] for r in results[:10]]

    page.get_by_role("button", name="Next").click()
    expect(status).to_have_text("Showing 11–20 of 55 engagements")
    expect(body_rows(page).first.locator("td").first).to_have_text("11")
    page.get_by_role("button", name="Last").click()
    expect(status).to_have_text("Showing 51–55 of 55 engagements")
    expect(page.locator("#page-number")).to_have_value("6")
    expect(page.get_by_role("button", name="Next")).to_be_disabled()

    alignment = sum(r["tier"] == "alignment" for r in results)
    page.select_option("#filter-tier", label="National alignment")
    expect(status).to_have_text(f"Showing 1–{alignment} of {alignment} engagements (of 55 in the register)")
    page.select_option("#filter-tier", label="All tiers")
    page.get_by_label("Filter by text").fill("alert(1)")  # the hostile title, shown and searched as text
    expect(status).to_have_text("Showing 1–1 of 1 engagements (of 55 in the register)")
    expect(body_rows(page).locator("td").first).to_have_text("3")
    page.get_by_label("Filter by text").fill("")
    expect(body_rows(page).nth(3).locator("td").nth(3)).to_have_text("<!--<script>alert(2)</script>")

    page.get_by_role("button", name="#").click()
    page.get_by_role("button", name="#").click()
    expect(body_rows(page).first.locator("td").first).to_have_text("55")
    page.get_by_role("button", name="Partner").click()
    first_partner = min((e["partner"]["name"] for e in report.engagements), key=str.lower)
    expect(body_rows(page).first.locator("td").nth(3)).to_have_text(first_partner)

    failing = [r for r in results if r["failing"]]
    page.get_by_role("button", name="#").click()
    page.select_option("#filter-failing", label="Failing")
    expect(status).to_have_text(f"Showing 1–10 of {len(failing)} engagements (of 55 in the register)")
    opener = page.get_by_role("button", name=failing[0]["engagement_id"], exact=True)
    opener.click()
    expect(opener).to_have_attribute("aria-expanded", "true")
    detail = page.locator("tr.detail")
    expect(detail.locator("h3")).to_contain_text(failing[0]["engagement_id"])
    titles = [report.results["rules"][f["rule_id"]]["title"] for f in failing[0]["findings"]]
    assert detail.locator("ul.register-findings > li > p > a").all_text_contents() == titles
    expect(detail.get_by_text("Advice").first).to_be_visible()
    assert_accessible(axe, page, True, "js-open-row")
    opener.click()
    expect(page.locator("tr.detail")).to_have_count(0)
    assert not problems, problems


def test_without_javascript_the_page_explains_and_lists_failing(browser: Browser, axe: Axe,
                                                                report: Report) -> None:
    page, problems = open_report(browser, report.html, javascript=False)
    expect(page.locator("#table-needs-script")).to_contain_text("drawn by JavaScript, which is off here")
    expect(page.locator("#register-app")).to_be_hidden()
    failing = [r["engagement_id"] for r in report.results["results"] if r["failing"]]
    expect(page.locator("section.engagement")).to_have_count(5)
    assert [h.split(":")[0] for h in page.locator("section.engagement h3").all_text_contents()] == failing[:5]
    assert_accessible(axe, page, False, "nojs")
    assert not problems, problems
