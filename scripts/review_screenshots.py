"""Screenshots of every review page, as each role, at 1280 and 390 pixels wide, to look at.

    .venv/bin/python scripts/review_screenshots.py [OUT_DIR] [--port 8765]

Starts ``riskscreen serve --demo`` on a fresh SQLite file (public register on), walks the review
as the demo reviewer, officer, admin and auditor with Debian's chromium (Playwright), and saves
each page in slices (``NAME-wide-1.png``, ``NAME-narrow-1.png`` …) small enough to view. A page
wider than its window (something overflowing on a phone) is reported with the elements that stick out.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = ((1280, "wide", 1400), (390, "narrow", 1100))
CHROMIUM = os.environ.get("RISKSCREEN_CHROMIUM", "/usr/bin/chromium")
OVERFLOWING = """w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
    .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className).slice(0, 6)"""


def start(port: int, db: Path) -> tuple[subprocess.Popen[str], dict[str, tuple[str, str]]]:
    """The demo service, and its accounts (role → email, password) as it prints them."""
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "riskscreen"), "serve", "--demo", "--port", str(port),
                               "--db", f"sqlite:///{db}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "RISKSCREEN_PUBLIC_REGISTER": "1"})
    assert server.stdout is not None
    accounts: dict[str, tuple[str, str]] = {}
    for line in server.stdout:
        found = re.match(r"\s+(\w+)\s+(\S+@\S+)\s+(\S+)$", line)
        if found:
            role = found.group(1)
            accounts[role + "2" if role in accounts else role] = (found.group(2), found.group(3))
        if "Uvicorn running" in line or f":{port}" in line:
            break
    threading.Thread(target=lambda: [None for _ in server.stdout or ()], daemon=True).start()
    return server, accounts


class Shots:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.overflow: list[str] = []

    def take(self, page: Any, name: str) -> None:
        for width, label, slice_height in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(100)
            height = page.evaluate("document.documentElement.scrollHeight")
            for top in range(0, min(height, 12000), slice_height):
                clip = {"x": 0, "y": top, "width": width, "height": min(slice_height, height - top)}
                page.screenshot(path=str(self.out / f"{name}-{label}-{top // slice_height + 1}.png"),
                                full_page=True, clip=clip)
            if page.evaluate("document.documentElement.scrollWidth") > width:
                self.overflow.append(f"{name} at {width}px: {page.evaluate(OVERFLOWING, width)}")
        page.set_viewport_size({"width": 1280, "height": 900})


def press(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def walk(browser: Any, base: str, accounts: dict[str, tuple[str, str]], shots: Shots) -> None:
    def sign_in(role: str) -> Any:
        page = browser.new_context(base_url=base).new_page()
        page.goto("/sign-in")
        page.fill("#email", accounts[role][0])
        page.fill("#password", accounts[role][1])
        press(page, "#sign-in-button")
        return page

    reviewer, officer, admin, auditor = (sign_in(r) for r in ("reviewer", "officer", "admin", "auditor"))
    reviewer.goto("/review")
    shots.take(reviewer, "reviewer-queue")
    links = reviewer.eval_on_selector_all('a[href^="/review/"]', "els => els.map(e => e.getAttribute('href'))")
    first, second = [link for link in links if re.fullmatch(r"/review/\d+", link)][:2]
    reviewer.goto("/review?tier=stop&sort=-tier&state=submitted")
    shots.take(reviewer, "reviewer-queue-filtered")
    reviewer.goto(first)
    shots.take(reviewer, "reviewer-case-submitted")
    press(reviewer, "#accept-button")
    reviewer.fill("#rfi-note", "Who ultimately owns the partner?")
    press(reviewer, "#rfi-button")
    shots.take(reviewer, "reviewer-case-information-requested")
    engagement = first.rsplit("/", 1)[-1]
    officer.goto("/attention")
    shots.take(officer, "officer-attention")
    officer.goto(f"/engagements/{engagement}")
    shots.take(officer, "officer-engagement-question")
    press(officer, "#respond-link")
    shots.take(officer, "officer-respond")
    press(officer, "#respond-button")
    shots.take(officer, "officer-respond-error")
    officer.fill("#respond-note", "The city government itself; no other owner.")
    press(officer, "#respond-button")
    reviewer.goto("/attention")
    shots.take(reviewer, "reviewer-attention")
    reviewer.goto(first)
    reviewer.fill("#comment-body", "Thanks - please also send the draft MoU.")
    press(reviewer, "#comment-button")
    reviewer.check("#decision-kind-2")
    press(reviewer, "#decide-button")
    shots.take(reviewer, "reviewer-case-decision-errors")
    reviewer.check("#decision-kind-2")
    for field, value in (("#decision-reason", "Cultural and educational links; publish the agreement."),
                         ("#decision-conditions-0-text", "Publish the agreement on the council's website"),
                         ("#decision-conditions-0-owner", "International team"),
                         ("#decision-conditions-0-due-day", "31"), ("#decision-conditions-0-due-month", "3"),
                         ("#decision-conditions-0-due-year", "2030"),
                         ("#decision-waivers-0-reason", "Committee accepted the political profile"),
                         ("#decision-waivers-0-expires-day", "31"), ("#decision-waivers-0-expires-month", "12"),
                         ("#decision-waivers-0-expires-year", "2030")):
        reviewer.fill(field, value)
    press(reviewer, "#decide-button")
    shots.take(reviewer, "reviewer-case-decided")
    reviewer.goto(second)
    press(reviewer, "#accept-button")
    shots.take(reviewer, "reviewer-case-in-review")
    reviewer.goto("/review/dashboard")
    shots.take(reviewer, "reviewer-dashboard")
    officer.goto(f"/engagements/{engagement}")
    shots.take(officer, "officer-engagement-decided")
    officer.goto("/registers/upload")
    shots.take(officer, "officer-register-upload")
    admin.goto("/admin/rescreen")
    shots.take(admin, "admin-rescreen")
    press(admin, "#rescreen-button")
    shots.take(admin, "admin-rescreen-queued")
    admin.wait_for_timeout(8000)  # the service's job worker runs it
    admin.goto("/admin/rescreen")
    shots.take(admin, "admin-rescreen-after")
    admin.goto("/admin/users")
    shots.take(admin, "admin-users")
    admin.goto(f"/engagements/{engagement}")
    if admin.locator("#publish-form button").count():
        press(admin, "#publish-form button")
    for path, name in (("/review", "auditor-queue"), (first, "auditor-case"), ("/audit", "auditor-audit"),
                       ("/audit?verify=1", "auditor-audit-verified"), ("/review/dashboard", "auditor-dashboard")):
        auditor.goto(path)
        shots.take(auditor, name)
    anonymous = browser.new_context(base_url=base).new_page()
    anonymous.goto("/public-register")
    shots.take(anonymous, "public-register")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path(tempfile.gettempdir()) / "riskscreen-review-shots")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        server, accounts = start(args.port, Path(folder) / "demo.sqlite3")
        shots = Shots(args.out)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                walk(browser, f"http://127.0.0.1:{args.port}", accounts, shots)
                browser.close()
        finally:
            server.terminate()
            server.wait(10)
    print(f"screenshots in {args.out}")
    for line in shots.overflow:
        print(f"wider than the window: {line}", file=sys.stderr)
    return 1 if shots.overflow else 0


if __name__ == "__main__":
    sys.exit(main())
