"""Organisations, users, sessions and API tokens: create, find, disable, authenticate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from riskscreen.errors import RiskscreenError
from riskscreen.store.models import ApiToken, LoginAttempt, Organisation, User, WebSession
from riskscreen.store.passwords import (
    DUMMY_HASH,
    hash_password,
    password_problems,
    verify_password,
)
from riskscreen.store.tokens import API_TOKEN_PREFIX, digest, new_secret

ROLES: dict[str, str] = {
    "officer": "Officer",
    "reviewer": "Reviewer",
    "admin": "Administrator",
    "auditor": "Auditor (read only)",
}

SESSION_LIFETIME = timedelta(hours=12)
THROTTLE_WINDOW = timedelta(minutes=15)
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


class AccountError(RiskscreenError):
    """An account operation that cannot be done (unknown user, bad role, weak password …)."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns; they were stored as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_or_create_organisation(session: Session, name: str) -> Organisation:
    name = " ".join(name.split())
    if not name:
        raise AccountError("an organisation needs a name")
    found = session.scalar(select(Organisation).where(Organisation.name == name))
    if found is not None:
        return found
    organisation = Organisation(name=name, created_at=utcnow())
    session.add(organisation)
    session.flush()
    return organisation


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def require_user(session: Session, email: str) -> User:
    user = find_user(session, email)
    if user is None:
        raise AccountError(f"no user with email {normalise_email(email)!r}")
    return user


def add_user(session: Session, *, email: str, name: str, role: str, organisation: str,
             password: str | None) -> User:
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountError(f"not an email address: {email!r}")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if find_user(session, email) is not None:
        raise AccountError(f"a user with email {email!r} already exists")
    if password is not None:
        problems = password_problems(password, email)
        if problems:
            raise AccountError(problems[0])
    user = User(
        email=email,
        name=name.strip() or email,
        role=role,
        organisation=get_or_create_organisation(session, organisation),
        password_hash=hash_password(password) if password is not None else None,
        active=True,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    problems = password_problems(password, user.email)
    if problems:
        raise AccountError(problems[0])
    user.password_hash = hash_password(password)
    end_sessions(session, user)


def disable_user(session: Session, user: User) -> None:
    user.active = False
    end_sessions(session, user)
    for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                        ApiToken.revoked_at.is_(None))):
        token.revoked_at = utcnow()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


# -- sign-in -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    user: User | None
    throttled: bool = False


def _recent_failures(session: Session, column: InstrumentedAttribute[str], value: str) -> int:
    since = utcnow() - THROTTLE_WINDOW
    query = select(func.count()).select_from(LoginAttempt).where(column == value,
                                                                  LoginAttempt.at >= since)
    return session.scalar(query) or 0


def authenticate(session: Session, email: str, password: str, address: str) -> SignIn:
    """Check a password, counting failures per account and per address to slow guessing."""
    email = normalise_email(email)
    if (_recent_failures(session, LoginAttempt.email, email) >= MAX_FAILURES_PER_ACCOUNT
            or _recent_failures(session, LoginAttempt.address, address) >= MAX_FAILURES_PER_ADDRESS):
        return SignIn(None, throttled=True)
    user = find_user(session, email)
    ok = verify_password(user.password_hash if user else DUMMY_HASH, password)
    if user is None or not ok or not user.active:
        session.add(LoginAttempt(email=email[:320], address=address[:64], at=utcnow()))
        session.flush()
        return SignIn(None)
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
    return SignIn(user)


def start_session(session: Session, user: User) -> str:
    secret = new_secret()
    now = utcnow()
    # Housekeeping on each sign-in keeps both tables small without a scheduled job.
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - THROTTLE_WINDOW))
    session.add(WebSession(token_hash=digest(secret), user_id=user.id, created_at=now,
                           expires_at=now + SESSION_LIFETIME))
    session.flush()
    return secret


def session_user(session: Session, secret: str) -> User | None:
    found = session.scalar(select(WebSession).where(WebSession.token_hash == digest(secret)))
    if found is None or _aware(found.expires_at) <= utcnow() or not found.user.active:
        return None
    return found.user


def end_session(session: Session, secret: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == digest(secret)))


def end_sessions(session: Session, user: User) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))


# -- API tokens ----------------------------------------------------------------------------


def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the secret is returned once and never stored."""
    name = name.strip()
    if not name:
        raise AccountError("a token needs a name")
    secret = new_secret(API_TOKEN_PREFIX)
    token = ApiToken(user_id=user.id, name=name[:100], token_hash=digest(secret),
                     prefix=secret[:8], created_at=utcnow(), last_used_at=None, revoked_at=None)
    session.add(token)
    session.flush()
    return token, secret


def token_user(session: Session, secret: str) -> User | None:
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    # Recorded to the minute the account page shows: a write (and on SQLite a file lock) on
    # every API call would serialise a busy pipeline's requests for no visible gain.
    if token.last_used_at is None or now - _aware(token.last_used_at) >= TOKEN_USE_RESOLUTION:
        token.last_used_at = now
    return token.user


def user_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(),
                                                                      ApiToken.id.desc())))


def revoke_token(session: Session, user: User, token_id: int) -> bool:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    return True
