"""Browser tests: the real service (``riskscreen serve`` on a loopback port and a temporary SQLite
file) driven by Debian's Chromium through Playwright, with axe-core run on every page.

Skipped, with the reason in pytest's summary, when Playwright or Chromium is missing;
scripts/test.sh installs Chromium when it can. Screenshots of every page checked go to
out/browser/ (git-ignored), or to $RISKSCREEN_BROWSER_ARTEFACTS.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install '.[web]'")

try:
    from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

    from tests.web.browser.axe import Axe, describe
except ImportError:
    pass  # each test module skips itself, saying why
else:
    # The machine may be busy: allow slow pages rather than fail on a timing.
    expect.set_options(timeout=30_000)

CHROMIUM = Path(os.environ.get("RISKSCREEN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPO = Path(__file__).resolve().parents[3]
ARTEFACTS = Path(os.environ.get("RISKSCREEN_BROWSER_ARTEFACTS", REPO / "out" / "browser"))
OFFICER = "officer@demo-council.example"
REVIEWER = "reviewer@ddu.example"
ADMIN = "admin@demo-council.example"
MODES = ("js", "nojs")


@dataclass(frozen=True)
class LiveServer:
    url: str
    database_url: str
    password: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"riskscreen serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/sign-in", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"riskscreen serve did not answer within 90 s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``riskscreen serve`` with the demo data, on a free loopback port; the demo officer's,
    reviewer's and admin's password is set to a fresh generated one the tests know."""
    from riskscreen.store import Store
    from riskscreen.store.accounts import require_user, set_password
    from riskscreen.store.passwords import generate_password
    from riskscreen.web.demo import load_demo

    directory = tmp_path_factory.mktemp("live")
    database_url = f"sqlite:///{directory / 'riskscreen.sqlite3'}"
    store = Store(database_url)
    store.upgrade()
    load_demo(store)
    password = generate_password()
    with store.session() as session:
        for email in (OFFICER, REVIEWER, ADMIN):
            set_password(session, require_user(session, email), password)
    store.close()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = directory / "serve.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("RISKSCREEN_TRUSTED_HEADER", None)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-c", "from riskscreen.cli import main; main()", "serve",
             "--port", str(port), "--db", database_url],
            stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=directory)
    try:
        _wait_until_up(url, process, log)
        yield LiveServer(url, database_url, password)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} (Debian: apt-get install "
                    "chromium; scripts/test.sh installs it when run as root)")
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def axe(browser: Browser) -> Iterator[Axe]:
    checker = Axe(browser)
    yield checker
    checker.close()


@dataclass
class Visitor:
    """One person's browser tab. ``check`` asserts the page is accessible (axe, WCAG 2.2 AA),
    loaded all its assets and raised no script errors, and saves its screenshot."""

    page: Page
    server: LiveServer
    axe: Axe
    javascript: bool
    shots: Path
    problems: list[str] = field(default_factory=list)
    count: int = 0

    def __post_init__(self) -> None:
        self.page.set_default_timeout(30_000)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("console", lambda message: self.problems.append(f"console: {message.text}")
                     if message.type == "error" and "Failed to load resource" not in message.text
                     else None)
        self.page.on("response", lambda response: self.problems.append(
            f"{response.status} for {response.url}")
            if response.status >= 400 and response.request.resource_type != "document" else None)

    def goto(self, path: str) -> None:
        self.page.goto(self.server.url + path)

    def path(self) -> str:
        return self.page.url.removeprefix(self.server.url)

    def check(self, name: str) -> None:
        self.count += 1
        self.shots.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.shots / f"{self.count:02d}-{name}.png"), full_page=True)
        violations = self.axe.violations(self.page, self.javascript)
        assert not violations, f"axe found violations on {self.path()} ({name}):\n{describe(violations)}"
        problems, self.problems[:] = list(self.problems), []
        assert not problems, f"{self.path()} ({name}): {problems}"

    def sign_in(self, email: str = OFFICER, password: str | None = None) -> None:
        self.goto("/sign-in")
        self.page.get_by_label("Email address").fill(email)
        self.page.locator("#password").fill(password or self.server.password)
        self.page.get_by_role("button", name="Sign in").click()

    def title(self) -> str:
        return self.page.title()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


@pytest.fixture(params=MODES)
def visitor(request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer,
            axe: Axe) -> Iterator[Visitor]:
    """A fresh signed-out browser, once with JavaScript on and once with it off."""
    javascript = request.param == "js"
    context = browser.new_context(java_script_enabled=javascript, accept_downloads=True,
                                  viewport={"width": 1024, "height": 768})
    test_name = _slug(request.node.originalname)
    shots = ARTEFACTS / request.param / test_name
    if shots.is_dir():
        for old in shots.glob("*.png"):
            old.unlink()
    try:
        yield Visitor(context.new_page(), live_server, axe, javascript, shots)
    finally:
        context.close()
