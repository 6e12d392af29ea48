"""Where the database is and how to connect to it (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from riskscreen.errors import RiskscreenError

DATABASE_URL_ENV = "RISKSCREEN_DATABASE_URL"
DATA_DIR_ENV = "RISKSCREEN_DATA_DIR"
DEFAULT_FILE = "riskscreen.sqlite3"


class StoreError(RiskscreenError):
    """The database cannot be used: unreachable, malformed URL, or a schema newer than this code."""


def default_data_dir() -> Path:
    """$RISKSCREEN_DATA_DIR, else $XDG_DATA_HOME/riskscreen, else ~/.local/share/riskscreen."""
    explicit = os.environ.get(DATA_DIR_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "riskscreen"


def resolve_url(url: str | None) -> tuple[str, Path | None]:
    """The database URL to use, and the SQLite file it names when that file is the default one.

    Order: the explicit URL, then $RISKSCREEN_DATABASE_URL, then a SQLite file in the data dir
    (whose directory is created here, so the caller can say where it is).
    """
    chosen = url or os.environ.get(DATABASE_URL_ENV)
    if chosen:
        try:
            make_url(chosen)
        except ArgumentError:
            raise StoreError(
                f"not a database URL: {chosen!r}; use e.g. sqlite:///path/riskscreen.sqlite3 "
                "or postgresql+psycopg://user:password@host/dbname"
            ) from None
        return chosen, None
    directory = default_data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / DEFAULT_FILE
    return f"sqlite:///{path}", path


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An SQLAlchemy engine; SQLite gets foreign keys, a busy timeout and WAL for concurrent readers."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False}
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if parsed.database and parsed.database != ":memory:":
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
