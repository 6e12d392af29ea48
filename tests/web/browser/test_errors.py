"""Every error state in a real browser: the page title starts "Error: ", a GOV.UK error summary
lists each problem with a link to its field, the summary takes focus (JavaScript on), its links
lead to the field, and axe finds no WCAG 2.2 AA violation."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright", reason="browser tests skipped: Playwright is not installed (pip install '.[dev]')")

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.web.browser.conftest import ADMIN, Visitor

BAD_REGISTER = (
    "id,title,lead.name,lead.type,partner.name,partner.type,partner.country,agreement_type,sectors\n"
    "BT-OK-1,A sound link,Demo City Council,local_authority,Ville de Lyon,city_government,FR,"
    "sister_city,culture\n"
    "BT-BAD-2,A link to nowhere,Demo City Council,local_authority,Somewhere,city_government,"
    "Narnia,sister_city,culture\n"
    "BT-BAD-3,A mistyped type,Demo City Council,local_authority,Ville de Nice,city_government,FR,"
    "sister_citty,culture\n"
)
GOOD_REGISTER = (
    "id,title,lead.name,lead.type,partner.name,partner.type,partner.country,agreement_type,sectors\n"
    "BT-UP-1,Lyon cultural link,Demo City Council,local_authority,Ville de Lyon,city_government,FR,"
    "sister_city,culture\n"
    "BT-UP-2,Osaka trade mission,Demo City Council,local_authority,Osaka City Government,"
    "city_government,JP,trade_mission,trade_promotion\n"
)

# True when the summary's links to fields on this page follow the fields' order on the page.
IN_PAGE_ORDER = """() => {
  const fields = [...document.querySelectorAll('.govuk-error-summary__list a')]
    .map(a => a.getAttribute('href') || '').filter(h => h.startsWith('#'))
    .map(h => document.getElementById(h.slice(1))).filter(Boolean);
  return fields.every((field, i) => i === 0 || field === fields[i - 1]
    || (fields[i - 1].compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING));
}"""


def summary(page: Page) -> list[str]:
    return [text.strip() for text in page.locator(".govuk-error-summary__list a").all_inner_texts()]


def assert_error_state(visitor: Visitor, name: str, *expected: str) -> list[str]:
    """The page shows an error summary naming each expected problem, and is accessible."""
    page = visitor.page
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: "), page.title()
    problems = summary(page)
    for text in expected:
        assert any(text in problem for problem in problems), (text, problems)
    assert page.evaluate(IN_PAGE_ORDER), f"the summary's order is not the page's: {problems}"
    if visitor.javascript:
        # GOV.UK Frontend moves focus to the summary so screen readers announce it first.
        expect(page.locator(".govuk-error-summary")).to_be_focused()
    visitor.check(name)
    return problems


def follow_first_error(visitor: Visitor) -> None:
    """The summary's first link leads to its field: focused with JavaScript, scrolled to without."""
    page = visitor.page
    link = page.locator(".govuk-error-summary__list a").first
    target = (link.get_attribute("href") or "").split("#")[-1]
    link.click()
    field = page.locator(f"[id='{target}']")
    expect(field).to_have_count(1)
    if visitor.javascript:
        expect(field).to_be_focused()
    else:
        assert page.url.endswith(f"#{target}")


def test_sign_in_errors(visitor: Visitor) -> None:
    page = visitor.page
    visitor.goto("/sign-in")
    page.get_by_role("button", name="Sign in").click()
    assert_error_state(visitor, "sign-in-empty", "Enter your email address", "Enter your password")
    follow_first_error(visitor)
    visitor.sign_in("nobody@demo-council.example", "not the password at all")
    assert_error_state(visitor, "sign-in-wrong", "Enter a correct email address and password")


def start_engagement(visitor: Visitor) -> str:
    visitor.sign_in()
    visitor.page.get_by_role("button", name="Screen a new engagement").click()
    expect(visitor.page.locator("h1")).to_have_text("Who is leading the engagement?")
    return visitor.path().rsplit("/questions/", 1)[0]


def test_question_page_errors(visitor: Visitor) -> None:
    page = visitor.page
    base = start_engagement(visitor)
    page.get_by_role("button", name="Save and continue").click()
    assert_error_state(visitor, "lead-missing", "Select what kind of organisation is leading")

    visitor.goto(f"{base}/questions/partner")
    page.get_by_role("button", name="Save and continue").click()
    assert_error_state(visitor, "partner-missing", "Enter the partner's name",
                       "Select what kind of body the partner is", "Enter the partner's country")
    follow_first_error(visitor)

    # The core's own validation: an unknown country is named with a suggestion, as on the CLI.
    page.get_by_label("Partner's name").fill("Somewhere")
    page.get_by_role("group", name="What kind of body is the partner?").get_by_label(
        "City government", exact=True).check()
    page.get_by_label("Country").fill("Narnia")
    page.get_by_role("button", name="Save and continue").click()
    problems = assert_error_state(visitor, "partner-bad-country", "Narnia")
    assert len(problems) == 1
    expect(page.get_by_label("Country")).to_have_value("Narnia")  # the answer is kept to correct

    visitor.goto(f"{base}/questions/agreement")
    page.get_by_label("Value in pounds").fill("lots")
    review = page.get_by_role("group", name="When will it be reviewed?")
    review.get_by_label("Day").fill("31")
    review.get_by_label("Month").fill("2")
    review.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save and continue").click()
    assert_error_state(visitor, "agreement-bad-values", "Select the type of agreement")
    assert len(summary(page)) >= 3, summary(page)


def test_screening_incomplete_answers(visitor: Visitor) -> None:
    page = visitor.page
    base = start_engagement(visitor)
    visitor.goto(f"{base}/check")
    page.get_by_role("button", name="Screen this engagement").click()
    problems = assert_error_state(visitor, "check-incomplete")
    assert problems, "screening an empty engagement must list what is missing"
    page.locator(".govuk-error-summary__list a").first.click()
    assert "/questions/" in visitor.path() and "returning=true" in visitor.path()


def test_refused_action(visitor: Visitor) -> None:
    page = visitor.page
    base = start_engagement(visitor)
    visitor.goto(f"{base}/submit")
    page.get_by_role("button", name="Submit for review").click()
    assert_error_state(visitor, "submit-unscreened",
                       "Screen the engagement with its current answers before submitting it")


def test_account_errors(visitor: Visitor) -> None:
    page = visitor.page
    visitor.sign_in()
    visitor.goto("/account")
    page.get_by_role("button", name="Create token").click()
    assert_error_state(visitor, "token-unnamed", "Enter a name for the token")
    follow_first_error(visitor)
    page.get_by_label("Name for a new token").fill("browser test")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("rs_")
    visitor.check("token-created")
    page.locator("#current-password").fill("not my password")
    page.locator("#new-password").fill("short")
    page.get_by_role("button", name="Change password").click()
    assert_error_state(visitor, "password-wrong", "Enter your current password correctly")


def upload(visitor: Visitor, path: Path | None) -> None:
    page = visitor.page
    visitor.goto("/registers/upload")
    if path is not None:
        page.get_by_label("Register file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and screen").click()


def test_register_upload(visitor: Visitor, tmp_path: Path) -> None:
    page = visitor.page
    visitor.sign_in()
    upload(visitor, None)
    assert_error_state(visitor, "upload-no-file", "Select a register file")
    follow_first_error(visitor)

    notes = tmp_path / "register.txt"
    notes.write_text("not a register", encoding="utf-8")
    upload(visitor, notes)
    assert_error_state(visitor, "upload-wrong-type", "The file must be one of")

    bad = tmp_path / "bad-register.csv"
    bad.write_text(BAD_REGISTER, encoding="utf-8")
    upload(visitor, bad)
    # The same located problems as `riskscreen check`: file, row, field, value and suggestion.
    problems = assert_error_state(visitor, "upload-bad-rows", "Narnia", "sister_citty")
    assert all("bad-register.csv" in problem for problem in problems), problems
    assert any("sister_city" in problem for problem in problems), problems  # the suggestion

    suffix = "JS" if visitor.javascript else "NOJS"
    good = tmp_path / "good-register.csv"
    good.write_text(GOOD_REGISTER.replace("BT-UP-", f"BT-UP-{suffix}-"), encoding="utf-8")
    upload(visitor, good)
    expect(page.locator("h1")).to_have_text("Register uploaded")
    expect(page.get_by_role("link", name=f"BT-UP-{suffix}-1")).to_be_visible()
    visitor.check("upload-done")


def test_admin_user_management(visitor: Visitor) -> None:
    page = visitor.page
    visitor.sign_in(ADMIN)
    visitor.goto("/admin/users")
    page.get_by_role("button", name="Add user").click()
    assert_error_state(visitor, "admin-add-empty")
    follow_first_error(visitor)
    email = f"new-{'js' if visitor.javascript else 'nojs'}@demo-council.example"
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Full name").fill("New Officer")
    page.get_by_role("group", name="Role").get_by_label("Officer").check()
    page.get_by_role("button", name="Add user").click()
    expect(page.locator("#new-password")).not_to_be_empty()
    visitor.check("admin-user-added")
    page.get_by_role("button", name=f"Reset password for {email}").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"New password for {email}")
    page.get_by_role("button", name=f"Disable {email}").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Disabled {email}")
    visitor.check("admin-user-disabled")
