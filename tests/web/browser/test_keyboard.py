"""Keyboard only: sign in, start a screening and complete a question page with Tab, arrow keys,
Space and Enter — no mouse — with JavaScript on and off. Every control reached shows a visible
focus indicator."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright", reason="browser tests skipped: Playwright is not installed (pip install '.[dev]')")

from typing import Any

from playwright.sync_api import Page, expect

from tests.web.browser.conftest import Visitor

FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return {id: e.id || '', tag: e.tagName, text: (e.innerText || e.value || '').trim().slice(0, 60),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                   && style.outlineColor !== 'rgba(0, 0, 0, 0)',
          shadow: style.boxShadow !== 'none', background: style.backgroundColor};
}"""


def focused(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(FOCUSED)
    return found


def tab_to(page: Page, element_id: str = "", text: str = "", limit: int = 40) -> dict[str, Any]:
    """Press Tab until the element is focused; fail if it is never reached."""
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        visited.append(now["id"] or now["text"])
        if (element_id and now["id"] == element_id) or (text and now["text"] == text):
            return now
    raise AssertionError(f"never reached {element_id or text!r} by Tab; went through {visited}")


def assert_focus_visible(state: dict[str, Any]) -> None:
    # GOV.UK Frontend's focus state: a yellow outline or box-shadow, or a yellow background.
    assert state["outline"] or state["shadow"] or state["background"] == "rgb(255, 221, 0)", state


def test_keyboard_only(visitor: Visitor) -> None:
    page = visitor.page
    visitor.goto("/sign-in")
    first = tab_to(page, limit=1, text="Skip to main content")
    assert_focus_visible(first)
    assert_focus_visible(tab_to(page, "email"))
    page.keyboard.type("officer@demo-council.example")
    assert_focus_visible(tab_to(page, "password"))
    page.keyboard.type(visitor.server.password)
    assert_focus_visible(tab_to(page, "sign-in-button"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Your organisation's engagements")

    assert_focus_visible(tab_to(page, "start-screening"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Who is leading the engagement?")

    name = tab_to(page, "lead-name")
    assert_focus_visible(name)
    page.keyboard.press("Control+A")
    page.keyboard.type("Demo City Council international office")
    tab_to(page, "lead-type")  # the first radio; arrow keys move within the group and select
    page.keyboard.press("ArrowDown")
    assert focused(page)["id"] == "lead-type-2"
    assert_focus_visible(tab_to(page, "lead-international-team-fte"))
    page.keyboard.type("2")
    tab_to(page, "lead-has-international-strategy")
    page.keyboard.press("Space")
    assert_focus_visible(tab_to(page, "continue"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Who is the overseas partner?")

    # The answers were saved: the Back link, followed by keyboard, shows them.
    tab_to(page, text="Back")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Who is leading the engagement?")
    expect(page.get_by_label("Name of your organisation")).to_have_value(
        "Demo City Council international office")
    expect(page.locator("#lead-type-2")).to_be_checked()
    expect(page.get_by_label("How many full-time staff work on international relations?")).to_have_value("2")
    expect(page.locator("#lead-has-international-strategy")).to_be_checked()
    visitor.check("keyboard-lead-saved")
