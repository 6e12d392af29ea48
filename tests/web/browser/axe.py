"""axe-core, injected from the vendored copy (never fetched at run time), for WCAG 2.2 AA checks.

With JavaScript off a page cannot run axe: the browser runs no timers there, and axe needs them.
Such a page is checked by replaying its HTML, at its own address, in a second page whose
Content-Security-Policy forbids every script: the page renders exactly as without JavaScript,
yet axe, injected through the DevTools protocol, still runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Route

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return {
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})),
    passes: result.passes.length,
  };
}"""


class Axe:
    """Runs axe-core on pages; counts the pages it checked."""

    def __init__(self, browser: Browser) -> None:
        self.source = AXE_JS.read_text(encoding="utf-8")
        self._replay_context: BrowserContext = browser.new_context()
        self.checked = 0

    def close(self) -> None:
        self._replay_context.close()

    def _run(self, page: Page) -> list[dict[str, Any]]:
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(self.source)
        outcome: dict[str, Any] = page.evaluate(_RUN, list(WCAG_TAGS))
        self.checked += 1
        violations: list[dict[str, Any]] = outcome["violations"]
        return violations

    def violations(self, page: Page, javascript: bool) -> list[dict[str, Any]]:
        if javascript:
            return self._run(page)
        html, url = page.content(), page.url.split("#")[0]

        def serve(route: Route) -> None:
            route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8",
                          headers={"Content-Security-Policy": "script-src 'none'"})

        replay = self._replay_context.new_page()
        try:
            replay.route(lambda address: address == url, serve)
            replay.goto(url)
            # Make sure axe checks the replayed page, not a fresh fetch of the address.
            assert replay.title() == page.title(), (replay.title(), page.title())
            return self._run(replay)
        finally:
            replay.close()


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per failing element, to read in a test failure."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}: "
                         f"{(node['summary'] or '').splitlines()[-1].strip()}")
    return "\n".join(lines)
