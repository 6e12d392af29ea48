"""The reviewers' full loop on a real `riskscreen serve --demo` instance, in a real browser
(Playwright driving Debian's chromium), with the command line doing what an administrator does:

officer's demo register submitted → reviewer accepts, requests information → officer answers →
reviewer decides with a condition and a waiver → a new watchlist designates the partner →
`riskscreen rescreen` puts the engagement back in the queue, flagged → `riskscreen audit verify`
reports an intact chain.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright")
pytest.importorskip("uvicorn", reason="the web service needs riskscreen[web]")

from tests.browser.test_review_loop import (  # noqa: E402
    ARGS,
    CHROMIUM,
    _port,
    approve_with_condition_and_waiver,
    press,
)

if not Path(CHROMIUM).exists():
    pytest.skip("browser tests skipped: Debian's chromium is not installed (apt-get install chromium)",
                allow_module_level=True)

ACCOUNT = re.compile(r"^\s+(officer|admin|reviewer|auditor)\s+(\S+@\S+)\s+(\S+)\s*$")


def riskscreen(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from riskscreen.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], str, dict[str, str]]]:
    """A `riskscreen serve --demo` process: its address, the demo passwords, its database, its env."""
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    env = {**os.environ, "RISKSCREEN_DATA_DIR": str(tmp_path), "NO_COLOR": "1"}
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from riskscreen.cli import main; main()", "serve", "--demo", "--db", db,
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    passwords: dict[str, str] = {}
    assert server.stdout is not None
    try:
        for line in server.stdout:
            if match := ACCOUNT.match(line):
                passwords[match.group(2)] = match.group(3)
            if line.startswith("Serving on"):
                break
        else:
            pytest.fail(f"riskscreen serve --demo stopped: exit {server.wait()}")
        _wait_until_listening(port)
        yield f"http://127.0.0.1:{port}", passwords, db, env
    finally:
        server.terminate()
        server.wait(20)


def _wait_until_listening(port: int) -> None:
    import socket
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("the demo service did not start listening")


def signed_in(browser: Any, base: str, email: str, password: str) -> Any:
    page = browser.new_context(base_url=base).new_page()
    page.goto("/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    press(page, "#sign-in-button")
    assert page.locator("#email").count() == 0, "sign-in refused"
    return page


def test_full_loop_on_a_demo_instance(demo: tuple[str, dict[str, str], str, dict[str, str]],
                                      tmp_path: Path) -> None:
    base, passwords, db, env = demo
    officer_email, reviewer_email = "officer@demo-council.example", "reviewer@ddu.example"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        reviewer = signed_in(browser, base, reviewer_email, passwords[reviewer_email])
        engagement_id, partner = _submitted_at_alignment(db)  # a tier a designation can raise
        case = f"/review/{engagement_id}"
        reviewer.goto("/review")
        assert reviewer.locator(f'a[href="{case}"]').count() == 1
        press(reviewer, f'a[href="{case}"]')
        press(reviewer, "#accept-button")
        reviewer.fill("#rfi-note", "Who ultimately owns the partner?")
        press(reviewer, "#rfi-button")
        assert "Information requested" in reviewer.text_content("#state")

        officer = signed_in(browser, base, officer_email, passwords[officer_email])
        officer.goto(f"/engagements/{engagement_id}")
        assert "Who ultimately owns the partner?" in officer.text_content("#information-requested")
        press(officer, "#respond-link")
        officer.fill("#respond-note", "The city government itself; no other owner.")
        press(officer, "#respond-button")

        reviewer.goto(case)
        assert "no other owner" in reviewer.text_content("#thread")
        approve_with_condition_and_waiver(reviewer, "Links within the council's appetite; publish the agreement.")
        summary = reviewer.locator(".govuk-error-summary")
        assert summary.count() == 0, summary.text_content()
        assert "Decided" in reviewer.text_content("#state")

        # The rules change: a designation list names this engagement's partner.
        designations = tmp_path / "designations.yaml"
        designations.write_text(
            "description: a designation list for the test\nas_of: 2026-12-01\nentries:\n"
            f"  - id: designated-partner\n    name: {_yaml_string(partner)}\n    tags: [sanctioned]\n"
            "    source: a test designation\n", encoding="utf-8")
        rescreen = riskscreen("rescreen", "--db", db, "--watchlist", str(designations),
                              "--by", "admin@demo-council.example", "--format", "json", env=env)
        assert rescreen.returncode == 0, rescreen.stderr
        report = json.loads(rescreen.stdout)
        assert report["requeued"] == 1
        [change] = [c for c in report["changes"] if c["effect"] == "requeued"]
        assert (change["old_tier"], change["new_tier"]) == ("alignment", "stop")
        assert "geo_sanctions_designation_match" in change["added"]

        reviewer.goto("/review?flagged=1")
        assert reviewer.locator(f'a[href="{case}"]').count() == 1
        reviewer.goto(case)
        assert "raised the tier" in reviewer.text_content("#flag")
        browser.close()

    verified = riskscreen("audit", "verify", "--db", db, env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "intact" in verified.stdout.lower()


def _submitted_at_alignment(db: str) -> tuple[int, str]:
    """The first engagement of the demo register waiting for review at `alignment`, and its partner."""
    from sqlalchemy import select

    from riskscreen.store import Store
    from riskscreen.store.models import EngagementRecord

    store = Store(db)
    try:
        with store.session() as session:
            record = session.scalars(select(EngagementRecord).where(
                EngagementRecord.status == "submitted", EngagementRecord.tier == "alignment")
                .order_by(EngagementRecord.id)).first()
            assert record is not None and record.partner_name
            return record.id, record.partner_name
    finally:
        store.close()


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
