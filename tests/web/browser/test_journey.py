"""The officer's whole journey in a real browser, with JavaScript on and off: sign in, answer
every question page, check the answers, screen, read the result, download the engagement and
get the same tier and findings from ``riskscreen screen``, then save, edit, re-screen, submit
and withdraw. Every page on the way passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright", reason="browser tests skipped: Playwright is not installed (pip install '.[dev]')")

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Page, expect

from tests.web.browser.conftest import Visitor


def group(page: Page, legend: str) -> Any:
    """A fieldset (radios, checkboxes or a date) by its legend."""
    return page.get_by_role("group", name=legend, exact=True)


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def answer_every_question(visitor: Visitor, reference: str) -> None:
    page = visitor.page
    expect(page.locator("h1")).to_have_text("Who is leading the engagement?")
    expect(page.get_by_label("Name of your organisation")).to_have_value("Demo City Council")
    group(page, "What kind of organisation is it?").get_by_label("Local authority").check()
    page.get_by_label("How many full-time staff work on international relations?").fill("1.5")
    group(page, "Does your organisation have an agreed international strategy?").get_by_label("Yes", exact=True).check()
    visitor.check("question-lead")
    save_and_continue(page)

    expect(page.locator("h1")).to_have_text("Who is the overseas partner?")
    page.get_by_label("Partner's name").fill("Wuhan Municipal People's Government")
    group(page, "What kind of body is the partner?").get_by_label("City government", exact=True).check()
    page.get_by_label("Country").fill("CN")  # an ISO code, normalised as the CLI does
    group(page, "Is the partner known to be controlled by a foreign state?").get_by_label("Yes", exact=True).check()
    page.get_by_label("Other names the partner uses").fill("Wuhan City Government\nWuhan Municipality")
    visitor.check("question-partner")
    save_and_continue(page)

    expect(page.locator("h1")).to_have_text("What is the agreement?")
    page.get_by_label("Your reference for this engagement").fill(reference)
    group(page, "What type of agreement is it?").get_by_label("Memorandum of understanding").check()
    page.get_by_label("Title", exact=True).fill("Smart cities memorandum with Wuhan")
    page.get_by_label("Value in pounds").fill("25000")
    page.get_by_label("Term in years").fill("3")
    group(page, "Is the agreement legally binding?").get_by_label("No", exact=True).check()
    group(page, "Will the agreement be published?").get_by_label("Yes", exact=True).check()
    group(page, "Are its objectives written down and measurable?").get_by_label("Yes", exact=True).check()
    review = group(page, "When will it be reviewed?")
    review.get_by_label("Day").fill("31")
    review.get_by_label("Month").fill("3")
    review.get_by_label("Year").fill("2027")
    visitor.check("question-agreement")
    save_and_continue(page)

    expect(page.locator("h1")).to_have_text("Which sectors does it cover?")
    sectors = group(page, "Which sectors does it cover?")
    sectors.get_by_label("Smart city systems").check()
    sectors.get_by_label("Higher education (teaching and students)").check()
    visitor.check("question-sectors")
    save_and_continue(page)

    expect(page.locator("h1")).to_have_text("What does the engagement involve?")
    involves = group(page, "Which of these apply?")
    involves.get_by_label("Will personal data about residents, staff or students be shared?").check()
    involves.get_by_label("Will the partner get access to your sites, systems or networks?").check()
    visitor.check("question-involves")
    save_and_continue(page)

    expect(page.locator("h1")).to_have_text("Due diligence and approval")
    checks = group(page, "Which checks have you completed?")
    checks.get_by_label("Sanctions screening").check()
    checks.get_by_label("Ownership and control").check()
    group(page, "Who approved it, or will approve it?").get_by_label("Committee").check()
    page.get_by_label("Notes").fill("Proposed at the 2026 smart cities expo.")
    visitor.check("question-diligence")
    save_and_continue(page)


def summary_value(page: Page, label: str) -> str:
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=label))
    return row.locator(".govuk-summary-list__value").inner_text().strip()


def change_an_answer(visitor: Visitor) -> None:
    """Every answer has a Change link; follow one, change the answer, come back to the check page."""
    page = visitor.page
    rows = page.locator(".govuk-summary-list__row")
    expect(rows.locator(".govuk-summary-list__actions a")).to_have_count(rows.count())
    page.get_by_role("link", name="Change term in years").click()
    expect(page.locator("h1")).to_have_text("What is the agreement?")
    expect(page.get_by_label("Term in years")).to_have_value("3")
    page.get_by_label("Term in years").fill("5")
    visitor.check("question-agreement-returning")
    save_and_continue(page)
    expect(page.locator("h1")).to_have_text("Check your answers before screening")
    assert summary_value(page, "Term in years").startswith("5")


def download(page: Page, link_id: str, into: Path) -> Path:
    with page.expect_download() as info:
        page.locator(f"#{link_id}").click()
    target = into / info.value.suggested_filename
    info.value.save_as(target)
    return target


def cli_json(engagement: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-c", "from riskscreen.cli import main; main()", "screen",
         str(engagement), "--format", "json"], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def shown_tier(page: Page) -> str:
    classes = page.locator("#tier").get_attribute("class") or ""
    return next(c.removeprefix("rs-tier--") for c in classes.split() if c.startswith("rs-tier--"))


def shown_findings(page: Page) -> list[str]:
    ids = page.locator("[id^='finding-']").evaluate_all("nodes => nodes.map(n => n.id)")
    return [i.removeprefix("finding-") for i in ids]


def status(page: Page) -> str:
    return page.locator("#status .govuk-tag").inner_text().strip()


def test_officer_journey(visitor: Visitor, tmp_path: Path) -> None:
    page = visitor.page
    reference = f"BT-WUH-{'JS' if visitor.javascript else 'NOJS'}"
    visitor.goto("/")
    assert visitor.path().startswith("/sign-in")
    visitor.check("sign-in")
    visitor.sign_in()
    expect(page.locator("h1")).to_have_text("Your organisation's engagements")
    visitor.check("engagements")

    page.get_by_role("button", name="Screen a new engagement").click()
    answer_every_question(visitor, reference)

    expect(page.locator("h1")).to_have_text("Check your answers before screening")
    assert summary_value(page, "Country") in {"China", "CN"}
    assert summary_value(page, "Partner's name") == "Wuhan Municipal People's Government"
    visitor.check("check-answers")
    change_an_answer(visitor)
    page.get_by_role("button", name="Screen this engagement").click()

    # The result: tier first, then whom to contact, why, the findings, what would change it.
    expect(page.locator("#tier h2")).to_contain_text("Tier:")
    for section in ("what-to-do-next", "escalation", "why", "findings", "what-would-change", "checklist"):
        expect(page.locator(f"#{section}")).to_be_visible()
    visitor.check("result")
    tier, findings = shown_tier(page), shown_findings(page)
    assert findings, "this engagement (state-linked partner, personal data) must raise findings"

    # The downloaded engagement screens to the same tier and findings on the command line.
    engagement = download(page, "download-yaml", tmp_path)
    assert engagement.name == f"{reference}.yaml"
    data = yaml.safe_load(engagement.read_text(encoding="utf-8"))
    assert data["partner"]["country"] in {"CN", "China"} and data["term_years"] == 5
    cli = cli_json(engagement)
    assert cli["tier"] == tier
    assert [f["rule_id"] for f in cli["findings"]] == findings
    web = json.loads(download(page, "download-json", tmp_path).read_text(encoding="utf-8"))
    assert web["tier"] == cli["tier"]
    assert web["findings"] == cli["findings"]
    assert web["escalation"] == cli["escalation"]
    report = download(page, "download-html", tmp_path).read_text(encoding="utf-8")
    assert "Wuhan Municipal People" in report

    # Save as a draft, come back, edit, re-screen.
    overview = visitor.path()
    page.get_by_role("link", name="Check or change the answers").click()
    page.get_by_role("link", name="Change value in pounds").click()
    page.get_by_label("Value in pounds").fill("40000")
    page.get_by_role("button", name="Save as draft").click()
    assert visitor.path() == overview
    expect(page.locator("#not-current")).to_be_visible()
    visitor.check("draft-changed")
    visitor.goto("/engagements")
    page.get_by_label("Reference, title or partner").fill(reference)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    visitor.check("engagements-filtered")
    page.get_by_role("link", name="Smart cities memorandum with Wuhan").click()
    page.get_by_role("button", name="Continue").click()
    assert "40000" in summary_value(page, "Value in pounds").replace(",", "")
    page.get_by_role("button", name="Screen this engagement").click()
    expect(page.locator("#history ~ table tbody tr")).to_have_count(2)
    page.locator("#history ~ table tbody tr").last.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("Screening of")
    visitor.check("earlier-screening")
    page.go_back()

    # Submit for review, then withdraw.
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("h1")).to_have_text("Submit this engagement for review?")
    visitor.check("confirm-submit")
    page.get_by_role("button", name="Submit for review").click()
    assert status(page) == "Submitted for review"
    visitor.check("submitted")
    page.get_by_role("link", name="Withdraw").click()
    expect(page.locator("h1")).to_have_text("Withdraw this engagement?")
    visitor.check("confirm-withdraw")
    page.get_by_role("button", name="Withdraw").click()
    assert status(page) == "Withdrawn"
    visitor.check("withdrawn")
