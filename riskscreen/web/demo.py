"""``riskscreen serve --demo``: demo organisations and users, and the example register loaded.

Passwords are generated on every run and printed once; they are never fixed in the code.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from riskscreen import Engine
from riskscreen.registers import read_register
from riskscreen.registers.check import CheckSettings, check_register
from riskscreen.store import Store
from riskscreen.store.accounts import add_user, find_user, set_password
from riskscreen.store.engagements import apply_transition, create_engagement, record_screening
from riskscreen.store.models import EngagementRecord, Organisation
from riskscreen.store.passwords import generate_password

_PACKAGE = Path(__file__).resolve().parent.parent
DEMO_USERS = (
    ("officer@demo-council.example", "Olu Officer", "officer", "Demo City Council"),
    ("admin@demo-council.example", "Ada Admin", "admin", "Demo City Council"),
    ("officer@demo-university.example", "Uma Officer", "officer", "Demo University"),
    ("reviewer@ddu.example", "Rhys Reviewer", "reviewer", "Devolved Diplomacy Unit"),
    ("reviewer2@ddu.example", "Rosa Reviewer", "reviewer", "Devolved Diplomacy Unit"),
    ("auditor@ddu.example", "Aled Auditor", "auditor", "Devolved Diplomacy Unit"),
)
SUBMITTED_TIERS = ("alignment", "stop")


def example_register() -> Path:
    """The example register: inside an installed wheel, or at the top of a source checkout."""
    installed = _PACKAGE / "_bundled" / "examples" / "register.yaml"
    return installed if installed.is_file() else _PACKAGE.parent / "examples" / "register.yaml"


def load_demo(store: Store, engine: Engine | None = None) -> list[str]:
    """Create (or refresh the passwords of) the demo users; load the register once. Returns the
    lines to print: each user's email and new password."""
    lines = ["Demo accounts (passwords are new on every start with --demo; shown only now):"]
    with store.session() as session:
        for email, name, role, organisation in DEMO_USERS:
            password = generate_password()
            user = find_user(session, email)
            if user is None:
                user = add_user(session, email=email, name=name, role=role,
                                organisation=organisation, password=password)
            else:
                set_password(session, user, password)
            lines.append(f"  {role:<9} {email:<34} {password}")
        council = session.scalar(select(Organisation).where(Organisation.name == DEMO_USERS[0][3]))
        assert council is not None
        loaded = session.scalar(select(EngagementRecord.id).where(
            EngagementRecord.organisation_id == council.id).limit(1))
        if loaded is None:
            officer = find_user(session, DEMO_USERS[0][0])
            assert officer is not None
            count = _load_register(session, officer, engine or Engine.load())
            lines.append(f"Loaded {count} engagements from the example register into {council.name}.")
    return lines


def _load_register(session: object, officer: object, engine: Engine) -> int:
    from sqlalchemy.orm import Session

    from riskscreen.store.models import User

    assert isinstance(session, Session) and isinstance(officer, User)
    path = example_register()
    report = check_register(engine, path, CheckSettings(as_of=date.today()))
    rows = [row.data for row in read_register(path)]
    for data, entry in zip(rows, report.results, strict=True):
        assert data is not None
        record = create_engagement(session, officer, data)
        record_screening(session, record, entry.result, officer)
        if entry.result.tier in SUBMITTED_TIERS:
            apply_transition(session, record, "submit", officer)
    return len(rows)
