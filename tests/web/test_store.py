"""Storage on SQLite and PostgreSQL: migrations, accounts, engagements, append-only screenings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from riskscreen import Engine
from riskscreen.store import Store, StoreError, migrate
from riskscreen.store.accounts import (
    AccountError,
    add_user,
    authenticate,
    create_token,
    disable_user,
    revoke_token,
    session_user,
    set_password,
    start_session,
    token_user,
)
from riskscreen.store.engagements import (
    EngagementError,
    EngagementFilter,
    apply_transition,
    create_engagement,
    current_screening,
    delete_draft,
    input_hash,
    list_engagements,
    record_screening,
    screenings,
    update_input,
)
from riskscreen.store.models import Screening
from riskscreen.store.workflow import TransitionError
from tests.web.conftest import ENGAGEMENT, PASSWORD

AS_OF = date(2026, 11, 22)


@pytest.fixture
def store(database_url: str) -> Any:
    made = Store(database_url)
    made.upgrade()
    yield made
    made.close()


def _tables(store: Store) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(store.engine).get_table_names())


def test_upgrade_from_empty_creates_every_table(database_url: str) -> None:
    store = Store(database_url)
    before, after = store.upgrade()
    assert (before, after) == (None, migrate.head_revision())
    assert {"organisation", "app_user", "api_token", "web_session", "login_attempt",
            "engagement", "screening"} <= _tables(store)
    store.check_current()
    assert store.upgrade() == (after, after)  # a second upgrade changes nothing
    store.close()


def test_upgrade_from_previous_revision_keeps_data(database_url: str) -> None:
    store = Store(database_url)
    migrate.upgrade(store.engine, "0001_accounts")
    assert "engagement" not in _tables(store)
    with pytest.raises(StoreError, match="run 'riskscreen db upgrade'"):
        store.check_current()
    with store.session() as session:
        add_user(session, email="a@x.example", name="A", role="officer", organisation="X",
                 password=PASSWORD)
    assert store.upgrade() == ("0001_accounts", migrate.head_revision())
    with store.session() as session:
        assert session_user(session, "nothing") is None
        assert authenticate(session, "a@x.example", PASSWORD, "1.2.3.4").user is not None
    store.close()


def test_database_newer_than_the_code_is_refused(database_url: str) -> None:
    store = Store(database_url)
    store.upgrade()
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(StoreError, match="newer version"):
        store.upgrade()
    with pytest.raises(StoreError, match="9999_future"):
        store.check_current()
    store.close()


def test_users_passwords_and_sessions(store: Store) -> None:
    with store.session() as session:
        user = add_user(session, email=" Ana@Leeds.Example ", name="Ana", role="officer",
                        organisation="Leeds", password=PASSWORD)
        assert user.email == "ana@leeds.example"
        assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
        with pytest.raises(AccountError, match="already exists"):
            add_user(session, email="ana@leeds.example", name="", role="officer",
                     organisation="Leeds", password=PASSWORD)
        with pytest.raises(AccountError, match="12 characters"):
            add_user(session, email="b@leeds.example", name="", role="officer",
                     organisation="Leeds", password="short")
        with pytest.raises(AccountError, match="unknown role"):
            add_user(session, email="c@leeds.example", name="", role="boss",
                     organisation="Leeds", password=PASSWORD)
        assert authenticate(session, "ANA@leeds.example", PASSWORD, "a").user is user
        assert authenticate(session, "ana@leeds.example", "wrong password!", "a").user is None
        secret = start_session(session, user)
        assert session_user(session, secret) is user
        set_password(session, user, "another long passphrase")
        assert session_user(session, secret) is None  # a new password ends every session
        assert authenticate(session, "ana@leeds.example", "another long passphrase", "a").user is user


def test_sign_in_is_throttled_per_account(store: Store) -> None:
    with store.session() as session:
        add_user(session, email="t@x.example", name="T", role="officer", organisation="X",
                 password=PASSWORD)
        for attempt in range(5):
            outcome = authenticate(session, "t@x.example", f"wrong guess {attempt}!", "9.9.9.9")
            assert outcome.user is None and not outcome.throttled
        blocked = authenticate(session, "t@x.example", PASSWORD, "8.8.8.8")
        assert blocked.throttled and blocked.user is None


def test_sign_in_is_throttled_per_address(store: Store) -> None:
    with store.session() as session:
        add_user(session, email="victim@x.example", name="V", role="officer", organisation="X",
                 password=PASSWORD)
        for n in range(20):  # a spray of guesses over many accounts from one address
            authenticate(session, f"user{n}@x.example", "some guess here", "6.6.6.6")
        assert authenticate(session, "victim@x.example", PASSWORD, "6.6.6.6").throttled
        assert authenticate(session, "victim@x.example", PASSWORD, "7.7.7.7").user is not None


def test_sign_in_clears_expired_sessions_and_old_failures(store: Store) -> None:
    from datetime import timedelta

    from sqlalchemy import func, select

    from riskscreen.store.accounts import utcnow
    from riskscreen.store.models import LoginAttempt, WebSession

    with store.session() as session:
        user = add_user(session, email="h@x.example", name="H", role="officer", organisation="X",
                        password=PASSWORD)
        old = start_session(session, user)
        session.execute(text("UPDATE web_session SET expires_at = :t"), {"t": utcnow() - timedelta(hours=1)})
        session.add(LoginAttempt(email="h@x.example", address="a", at=utcnow() - timedelta(days=2)))
        session.flush()
        assert session_user(session, old) is None
        start_session(session, user)
        assert session.scalar(select(func.count(WebSession.id))) == 1
        assert session.scalar(select(func.count(LoginAttempt.id))) == 0


def test_tokens_are_hashed_and_revocable(store: Store) -> None:
    with store.session() as session:
        user = add_user(session, email="api@x.example", name="Api", role="officer",
                        organisation="X", password=PASSWORD)
        token, secret = create_token(session, user, "ci")
        assert secret.startswith("rs_") and secret not in token.token_hash
        assert token_user(session, secret) is user
        assert token_user(session, secret + "x") is None
        assert revoke_token(session, user, token.id)
        assert token_user(session, secret) is None
        _other, other_secret = create_token(session, user, "second")
        disable_user(session, user)
        assert token_user(session, other_secret) is None


def test_engagement_life_cycle_and_append_only_screenings(store: Store, engine: Engine) -> None:
    with store.session() as session:
        user = add_user(session, email="o@x.example", name="O", role="officer", organisation="X",
                        password=PASSWORD)
        record = create_engagement(session, user, ENGAGEMENT)
        assert (record.reference, record.status, record.partner_name) == (
            "LDS-KHH-1", "draft", "Kaohsiung City Government")
        with pytest.raises(EngagementError, match="already has an engagement"):
            create_engagement(session, user, ENGAGEMENT)
        first = record_screening(session, record, engine.screen(record.input, as_of=AS_OF), user)
        assert current_screening(session, record) is first
        changed = dict(ENGAGEMENT, involves=["personal_data"])
        update_input(session, record, changed)
        assert record.tier is None and current_screening(session, record) is None
        second = record_screening(session, record, engine.screen(record.input, as_of=AS_OF), user)
        assert [s.id for s in screenings(session, record)] == [second.id, first.id]
        assert first.input_hash == input_hash(ENGAGEMENT) != second.input_hash
        assert first.rule_pack_hash == engine.pack.digest
        assert first.result["tier"] == first.tier and first.as_of == AS_OF
        apply_transition(session, record, "submit", user)
        with pytest.raises(EngagementError, match="only drafts"):
            update_input(session, record, ENGAGEMENT)
        with pytest.raises(TransitionError, match="cannot submit"):
            apply_transition(session, record, "submit", user)
        with pytest.raises(EngagementError, match="withdraw it instead"):
            delete_draft(session, record)
        first_id = first.id
    with pytest.raises(DBAPIError, match="append-only"), store.session() as session:
        session.execute(text("UPDATE screening SET tier = 'autonomy' WHERE id = :id"), {"id": first_id})
    with pytest.raises(DBAPIError, match="append-only"), store.session() as session:
        session.execute(text("DELETE FROM screening WHERE id = :id"), {"id": first_id})
    with store.session() as session:
        assert session.get(Screening, first_id) is not None


def test_listing_filters_and_pages(store: Store) -> None:
    with store.session() as session:
        leeds = add_user(session, email="l@x.example", name="L", role="officer", organisation="Leeds",
                         password=PASSWORD)
        york = add_user(session, email="y@x.example", name="Y", role="officer", organisation="York",
                        password=PASSWORD)
        for n in range(30):
            create_engagement(session, leeds, dict(ENGAGEMENT, id=f"L-{n:02d}", title=f"Leeds {n}"))
        create_engagement(session, york, dict(ENGAGEMENT, id="Y-1", title="100% York_link"))
        page = list_engagements(session, EngagementFilter(organisation_id=leeds.organisation_id),
                                page=2, per_page=25)
        assert (page.total, page.pages, len(page.items)) == (30, 2, 5)
        found = list_engagements(session, EngagementFilter(text="100%"))
        assert [r.reference for r in found.items] == ["Y-1"]
        assert list_engagements(session, EngagementFilter(text="_")).total == 1  # no wildcard
        assert list_engagements(session, EngagementFilter(statuses=("submitted",))).total == 0
