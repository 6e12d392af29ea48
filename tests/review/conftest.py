"""Databases for the review service's storage tests: a SQLite file, and a real PostgreSQL server
when one can be reached (skipped with a message saying so when not)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

sqlalchemy = pytest.importorskip("sqlalchemy")

from sqlalchemy import Engine, create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from riskscreen.store import Store  # noqa: E402
from riskscreen.store.accounts import add_user  # noqa: E402
from tests.smtp import smtp_server  # noqa: E402
from tests.web.conftest import PASSWORD  # noqa: E402

__all__ = ["smtp_server"]

POSTGRES_ENV = "RISKSCREEN_TEST_POSTGRES_URL"


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def sqlite_engine(path: str) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    return engine


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests skipped: {POSTGRES_ENV} is not set "
                    "(scripts/test.sh sets it when scripts/services.sh can start a server)")
    # work from the maintenance database, so the shared test database is never held open
    url = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL tests skipped: no server at {url} ({type(exc).__name__}); "
                    f".ci/run starts one, or set {POSTGRES_ENV}")
    yield url
    admin.dispose()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the server, dropped afterwards."""
    name = f"riskscreen_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_engine(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Engine]:
    """The same tests on both databases."""
    if request.param == "sqlite":
        engine = sqlite_engine(str(tmp_path) + "/review.sqlite3")
    else:
        engine = create_engine(request.getfixturevalue("postgres_url"))
    yield engine
    engine.dispose()


@pytest.fixture
def store(db_engine: Engine) -> Iterator[Store]:
    made = Store(db_engine.url.render_as_string(hide_password=False))
    made.upgrade()
    with made.session() as session:
        for email, role, org in (("officer@leeds.example", "officer", "Leeds"),
                                 ("other@bristol.example", "officer", "Bristol"),
                                 ("r1@ddu.example", "reviewer", "DDU"), ("r2@ddu.example", "reviewer", "DDU"),
                                 ("audit@ddu.example", "auditor", "DDU")):
            add_user(session, email=email, name=email.split("@")[0], role=role, organisation=org,
                     password=PASSWORD)
    yield made
    made.close()
