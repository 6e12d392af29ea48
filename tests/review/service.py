"""A migrated store with users in every role, and an engagement submitted by its officer."""

from __future__ import annotations

from datetime import date
from typing import Any

from riskscreen import Engine
from riskscreen.store import Store
from riskscreen.store.accounts import require_user
from riskscreen.store.engagements import apply_transition, create_engagement, record_screening
from tests.web.conftest import ENGAGEMENT

AS_OF = date(2026, 11, 22)


def user(session: Any, email: str) -> Any:
    return require_user(session, email)


def submitted(store: Store, engine: Engine) -> int:
    with store.session() as session:
        officer = user(session, "officer@leeds.example")
        record = create_engagement(session, officer, ENGAGEMENT)
        record_screening(session, record, engine.screen(record.input, as_of=AS_OF), officer)
        apply_transition(session, record, "submit", officer)
        return record.id


