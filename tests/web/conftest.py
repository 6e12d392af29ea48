"""Fixtures for the web service: databases (SQLite always, PostgreSQL when a server is up), an
app with two organisations and every role, and signed-in browsers that send CSRF tokens."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install '.[web]'")

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import text  # noqa: E402

from riskscreen import Engine  # noqa: E402
from riskscreen.store import Store  # noqa: E402
from riskscreen.store.accounts import add_user, start_session  # noqa: E402
from riskscreen.web import WebSettings, create_app  # noqa: E402
from riskscreen.web.security import SESSION_COOKIE, csrf_token_for  # noqa: E402

POSTGRES_ENV = "RISKSCREEN_TEST_POSTGRES_URL"
PASSWORD = "correct horse battery staple"
ENGAGEMENT: dict[str, Any] = {
    "id": "LDS-KHH-1",
    "title": "Friendship agreement with Kaohsiung",
    "lead": {"name": "Leeds City Council", "type": "local_authority", "approval": "committee",
             "due_diligence": ["sanctions"]},
    "partner": {"name": "Kaohsiung City Government", "type": "city_government", "country": "Taiwan"},
    "agreement_type": "friendship_agreement",
    "sectors": ["culture", "education"],
    "binding": False,
    "review_date": "2027-03-31",
}


def _reset_postgres(url: str) -> None:
    store = Store(url)
    with store.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    store.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, and the same tests again on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rs.sqlite3'}"
        return
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests skipped: {POSTGRES_ENV} is not set "
                    "(scripts/test.sh sets it when scripts/services.sh can start a server)")
    _reset_postgres(url)
    yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'rs.sqlite3'}"


@dataclass
class Browser:
    """A TestClient with a session cookie; unsafe requests carry the CSRF token by default."""

    client: TestClient
    email: str = ""

    @property
    def csrf(self) -> str:
        return csrf_token_for(self.client.cookies.get(SESSION_COOKIE) or "")

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, follow_redirects=kwargs.pop("follow_redirects", False), **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, csrf: bool = True, **kwargs: Any) -> Any:
        form = dict(data or {})
        if csrf:
            form.setdefault("csrf_token", self.csrf)
        return self.client.post(path, data=form, follow_redirects=kwargs.pop("follow_redirects", False),
                                **kwargs)


USERS = {
    "officer": ("officer@leeds.example", "officer", "Leeds City Council"),
    "admin": ("admin@leeds.example", "admin", "Leeds City Council"),
    "reviewer": ("reviewer@ddu.example", "reviewer", "Devolved Diplomacy Unit"),
    "other_officer": ("officer@bristol.example", "officer", "Bristol City Council"),
    # the reviewers' workflow: a second reviewer (four-eyes) and the read-only auditor
    "reviewer2": ("reviewer2@ddu.example", "reviewer", "Devolved Diplomacy Unit"),
    "auditor": ("auditor@ddu.example", "auditor", "Devolved Diplomacy Unit"),
}


@dataclass
class Service:
    app: Any
    store: Store
    url: str

    def browser(self, who: str | None = None) -> Browser:
        client = TestClient(self.app)
        if who is None:
            client.get("/sign-in")  # an anonymous browser still gets a session cookie for CSRF
            return Browser(client)
        email = USERS[who][0]
        with self.store.session() as session:
            from riskscreen.store.accounts import require_user

            secret = start_session(session, require_user(session, email))
        client.cookies.set(SESSION_COOKIE, secret, domain="testserver.local")
        return Browser(client, email)

    def api(self, who: str) -> TestClient:
        from riskscreen.store.accounts import create_token, require_user

        with self.store.session() as session:
            _, secret = create_token(session, require_user(session, USERS[who][0]), "tests")
        return TestClient(self.app, headers={"Authorization": f"Bearer {secret}"})


def make_service(url: str, engine: Engine, **settings: Any) -> Service:
    store = Store(url)
    store.upgrade()
    with store.session() as session:
        for email, role, organisation in USERS.values():
            add_user(session, email=email, name=email.split("@")[0].title(), role=role,
                     organisation=organisation, password=PASSWORD)
    app = create_app(WebSettings(database_url=url, **settings), engine=engine)
    return Service(app, store, url)


@pytest.fixture
def service(sqlite_url: str, engine: Engine) -> Iterator[Service]:
    made = make_service(sqlite_url, engine)
    yield made
    made.store.close()
    made.app.state.service.store.close()
