"""The accessibility check itself can fail: axe finds a known defect, with JavaScript on (axe runs
in the page) and off (the page's HTML is replayed without scripts)."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright", reason="browser tests skipped: Playwright is not installed (pip install '.[dev]')")

from playwright.sync_api import Route

from tests.web.browser.conftest import Visitor

BROKEN = ("<!DOCTYPE html><html lang='en'><head><title>Probe</title></head><body><main>"
          "<h1>Probe</h1><form><input type='text' name='unlabelled'></form>"
          "<img src='/static/favicon.svg'></main></body></html>")


def test_axe_reports_a_known_defect(visitor: Visitor) -> None:
    def serve(route: Route) -> None:
        route.fulfill(status=200, body=BROKEN, content_type="text/html; charset=utf-8")

    visitor.page.route("**/axe-probe", serve)
    visitor.goto("/axe-probe")
    found = {v["id"] for v in visitor.axe.violations(visitor.page, visitor.javascript)}
    assert {"label", "image-alt"} <= found
