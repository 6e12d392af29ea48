"""Schema migrations with Alembic, run from inside the package (no alembic.ini needed).

``upgrade`` brings an empty or older database to the newest schema; a database whose revision
this code does not know was written by a newer riskscreen, and is refused rather than damaged.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from riskscreen.store.db import StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    if head is None:  # the package always ships migrations
        raise StoreError("no migrations found in the riskscreen package")
    return head


def known_revisions() -> list[str]:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return [rev.revision for rev in script.walk_revisions()]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_not_newer(engine: Engine) -> str | None:
    """Raise StoreError when the database was migrated by a newer riskscreen."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise StoreError(
            f"the database is at schema revision {current}, which this riskscreen does not know "
            f"(newest known: {head_revision()}); it was written by a newer version — upgrade "
            "riskscreen, or point --db at another database"
        )
    return current


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Migrate to ``revision``; returns (revision before, revision after)."""
    before = check_not_newer(engine)
    command.upgrade(_config(engine), revision)
    after = current_revision(engine)
    return before, after or ""


def is_current(engine: Engine) -> bool:
    return check_not_newer(engine) == head_revision()
