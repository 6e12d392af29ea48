"""The web service's storage: SQLAlchemy models, repositories and Alembic migrations.

Only the web service and the ``db``/``serve``/``users`` commands import this package; the
screening core and its other commands never need SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from riskscreen.store.db import StoreError, make_engine, session_factory
from riskscreen.store.migrate import check_not_newer, head_revision, upgrade


class Store:
    """One database: its engine and a unit-of-work session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self._sessions = session_factory(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed when the block ends normally, rolled back when it raises."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self) -> tuple[str | None, str]:
        return upgrade(self.engine)

    def check_current(self) -> None:
        """Raise StoreError unless the schema is exactly this code's newest."""
        current = check_not_newer(self.engine)
        if current != head_revision():
            raise StoreError(
                f"the database schema is at {current or 'nothing (empty)'}, not {head_revision()}; "
                "run 'riskscreen db upgrade'"
            )

    def close(self) -> None:
        self.engine.dispose()


__all__ = ["Store", "StoreError"]
