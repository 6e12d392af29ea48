"""The reviewers' full loop in a real browser (Playwright driving Debian's chromium), with
JavaScript on and off, and axe-core (WCAG 2.2 AA tags) on every page visited:

officer submits → reviewer accepts, requests information → officer answers → reviewer decides
with a condition and a waiver → the rules change → the admin's re-screen puts it back in the
queue, flagged → the audit trail verifies.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright")
axe_module = pytest.importorskip("axe_playwright_python", reason="the browser tests need axe-playwright-python")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("browser tests skipped: Debian's chromium is not installed (apt-get install chromium)",
                allow_module_level=True)

import uvicorn  # noqa: E402

from riskscreen import Engine  # noqa: E402
from tests.web.conftest import ENGAGEMENT, PASSWORD, USERS, Service, make_service  # noqa: E402

AXE_JS = Path(axe_module.__file__).with_name("axe.min.js")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_JAVASCRIPT: dict[int, bool] = {}  # page -> whether it runs scripts
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path, engine: Engine) -> Iterator[tuple[Service, str]]:
    service = make_service(f"sqlite:///{tmp_path / 'browser.sqlite3'}", engine)
    port = _port()
    server = uvicorn.Server(uvicorn.Config(service.app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield service, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    service.store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def accessible(page: Any, where: str) -> None:
    """No axe-core violations for the WCAG 2.2 AA tags on the page as it is now. With JavaScript
    off, the page's HTML is checked in a JavaScript-enabled page of the same origin (axe is a script)."""
    target = page
    if not _JAVASCRIPT.get(id(page), True):
        target = page.context.browser.new_context(bypass_csp=True).new_page()
        origin = page.url.split("/", 3)
        target.goto("/".join(origin[:3]) + "/accessibility")
        target.set_content(page.content())
    target.add_script_tag(path=str(AXE_JS))
    result = target.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    if target is not page:
        target.context.close()
    problems = [f"{v['id']}: {v['help']} ({len(v['nodes'])} node(s))" for v in result["violations"]]
    assert not problems, f"{where}: " + "; ".join(problems)


def press(page: Any, selector: str) -> None:
    """Click something that loads a page, and wait for that page."""
    with page.expect_navigation():
        page.click(selector)


def signed_in(browser: Any, base: str, who: str, javascript: bool) -> Any:
    # axe is injected as a script, which the service's Content-Security-Policy would (rightly) refuse
    context = browser.new_context(java_script_enabled=javascript, bypass_csp=True, base_url=base)
    page = context.new_page()
    _JAVASCRIPT[id(page)] = javascript
    page.goto("/sign-in")
    page.fill("#email", USERS[who][0])
    page.fill("#password", PASSWORD)
    press(page, "#sign-in-button")
    return page


def approve_with_condition_and_waiver(reviewer: Any, reason: str) -> None:
    """Decide on the open review page: approved with a condition (publish, due 31 March 2030) and
    a waiver of the engagement's findings until the end of 2030."""
    reviewer.check("#decision-kind-2")  # approve with conditions
    reviewer.fill("#decision-reason", reason)
    reviewer.fill("#decision-conditions-0-text", "Publish the agreement on the council's website")
    reviewer.fill("#decision-conditions-0-owner", "International team")
    reviewer.fill("#decision-conditions-0-due-day", "31")
    reviewer.fill("#decision-conditions-0-due-month", "3")
    reviewer.fill("#decision-conditions-0-due-year", "2030")
    reviewer.fill("#decision-waivers-0-reason", "Committee accepted the political profile")
    reviewer.fill("#decision-waivers-0-expires-day", "31")
    reviewer.fill("#decision-waivers-0-expires-month", "12")
    reviewer.fill("#decision-waivers-0-expires-year", "2030")
    press(reviewer, "#decide-button")


def _submitted_under_old_rules(service: Service, engine: Engine) -> int:
    """An engagement submitted after a screening made under an older rule pack (tier autonomy, no
    findings), so that re-screening under the service's rules raises its tier."""
    from riskscreen.store.accounts import add_user, require_user
    from riskscreen.store.engagements import apply_transition, create_engagement, record_screening

    with service.store.session() as session:
        add_user(session, email="ddu-admin@ddu.example", name="DDU admin", role="admin",
                 organisation="Devolved Diplomacy Unit", password=PASSWORD)
        officer = require_user(session, USERS["officer"][0])
        record = create_engagement(session, officer, ENGAGEMENT)
        current = engine.screen(record.input, as_of=date.today(), what_if=True)
        pack = current.provenance.rule_pack.model_copy(update={"hash": "0" * 64, "version": "old"})
        old = current.model_copy(update={"tier": "autonomy", "findings": [], "provenance":
                                         current.provenance.model_copy(update={"rule_pack": pack})})
        record_screening(session, record, old, officer)
        apply_transition(session, record, "submit", officer)
        return record.id


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_full_review_loop(browser: Any, served: tuple[Service, str], engine: Engine, javascript: bool) -> None:
    service, base = served
    engagement_id = _submitted_under_old_rules(service, engine)
    case = f"/review/{engagement_id}"

    reviewer = signed_in(browser, base, "reviewer", javascript)
    reviewer.goto("/review")
    accessible(reviewer, "queue")
    press(reviewer, f'a[href="{case}"]')
    accessible(reviewer, "review page")
    press(reviewer, "#accept-button")
    reviewer.fill("#rfi-note", "Who ultimately owns the partner?")
    press(reviewer, "#rfi-button")
    assert "Information requested" in reviewer.text_content("#state")

    officer = signed_in(browser, base, "officer", javascript)
    officer.goto(f"/engagements/{engagement_id}")
    assert "Who ultimately owns the partner?" in officer.text_content("#information-requested")
    accessible(officer, "engagement page with a question")
    press(officer, "#respond-link")
    accessible(officer, "answer page")
    press(officer, "#respond-button")  # empty: the error summary, not a silent no-op
    assert officer.locator(".govuk-error-summary").count() == 1
    accessible(officer, "answer page with an error")
    officer.fill("#respond-note", "The city government itself; no other owner.")
    press(officer, "#respond-button")

    reviewer.goto(case)
    assert "no other owner" in reviewer.text_content("#thread")
    reviewer.check("#decision-kind-2")  # approve with conditions
    press(reviewer, "#decide-button")  # no reason: refused with the field named
    assert reviewer.locator('.govuk-error-summary a[href="#decision-reason"]').count() == 1
    accessible(reviewer, "decision with errors")
    approve_with_condition_and_waiver(reviewer, "Cultural and educational links; publish the agreement.")
    summary = reviewer.locator(".govuk-error-summary")
    assert summary.count() == 0, summary.text_content()
    assert "Decided" in reviewer.text_content("#state")
    assert "Publish the agreement" in reviewer.text_content("#history")
    accessible(reviewer, "decided review page")

    admin = signed_in(browser, base, "admin", javascript)
    admin.goto("/admin/rescreen")
    accessible(admin, "re-screen page")
    press(admin, "#rescreen-button")
    from riskscreen.review.jobs import DONE, run_one

    ran = run_one(service.store.engine, service.app.state.service.job_handlers())
    assert ran is not None and ran.state == DONE and ran.result["requeued"] == 1
    admin.goto("/admin/rescreen")
    assert "requeued" in admin.text_content("#changes")

    reviewer.goto("/review?flagged=1")
    assert reviewer.locator(f'a[href="{case}"]').count() == 1
    reviewer.goto(case)
    assert "raised the tier" in reviewer.text_content("#flag")
    for path in ("/review/dashboard", "/attention"):
        reviewer.goto(path)
        accessible(reviewer, path)

    auditor = signed_in(browser, base, "auditor", javascript)
    auditor.goto("/audit?verify=1")
    assert auditor.locator("#verified").count() == 1
    accessible(auditor, "audit trail")
