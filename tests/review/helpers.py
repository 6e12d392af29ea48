"""Schema set-up for the review service's storage tests: the real migrations."""

from __future__ import annotations

from sqlalchemy import Engine

from riskscreen.store.migrate import upgrade


def install_audit(engine: Engine) -> None:
    upgrade(engine)
