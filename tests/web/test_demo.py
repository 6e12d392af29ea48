"""``riskscreen serve --demo``: generated credentials that work, and the example register loaded."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from riskscreen import Engine
from riskscreen.store import Store
from riskscreen.store.accounts import authenticate
from riskscreen.store.models import EngagementRecord, Screening
from riskscreen.web.demo import DEMO_USERS, example_register, load_demo


def _credentials(lines: list[str]) -> dict[str, str]:
    return dict(re.findall(r"^\s+\w+\s+(\S+@\S+)\s+(\S+)$", "\n".join(lines), re.M))


def test_demo_users_register_and_fresh_passwords(sqlite_url: str, engine: Engine) -> None:
    store = Store(sqlite_url)
    store.upgrade()
    first = load_demo(store, engine)
    credentials = _credentials(first)
    assert set(credentials) == {email for email, *_ in DEMO_USERS}
    with store.session() as session:
        for email, password in credentials.items():
            assert authenticate(session, email, password, "test").user is not None
        count = session.scalar(select(func.count(EngagementRecord.id)))
        assert count == sum(1 for line in example_register().read_text().splitlines() if line.startswith("- id:"))
        assert session.scalar(select(func.count(Screening.id))) == count
        submitted = session.scalar(select(func.count(EngagementRecord.id)).where(
            EngagementRecord.status == "submitted"))
        assert submitted and 0 < submitted < count
    second = load_demo(store, engine)
    again = _credentials(second)
    assert all(again[email] != credentials[email] for email in credentials)  # generated each time
    assert not any("Loaded" in line for line in second)  # the register is loaded once
    with store.session() as session:
        assert session.scalar(select(func.count(EngagementRecord.id))) == count
        email, password = next(iter(credentials.items()))
        assert authenticate(session, email, password, "test").user is None
    store.close()
