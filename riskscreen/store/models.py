"""The service's tables: organisations, users, API tokens, sessions, engagements and screenings.

Screenings are append-only: every screening ever made of an engagement is kept with the versions
and hashes of the rule pack, taxonomies and watchlists that produced it, so a decision can be
replayed later. Engagement status values live in :mod:`riskscreen.store.workflow`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]

    users: Mapped[list[User]] = relationship(back_populates="organisation")


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

    organisation: Mapped[Organisation] = relationship(back_populates="users", lazy="joined")


class ApiToken(Base):
    """A personal API token; only the SHA-256 of the secret is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class WebSession(Base):
    """A signed-in browser; the cookie holds a secret whose SHA-256 is stored here."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship(lazy="joined")


class LoginAttempt(Base):
    """Failed sign-ins, counted per account and per client address for throttling."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_email_at", "email", "at"),
                      Index("ix_login_attempt_address_at", "address", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class EngagementRecord(Base):
    """One engagement: its current input (the public contract, possibly incomplete as a draft)."""

    __tablename__ = "engagement"
    __table_args__ = (
        UniqueConstraint("organisation_id", "reference"),
        Index("ix_engagement_org_updated", "organisation_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    reference: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(500))
    partner_name: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(30))
    input: Mapped[dict[str, Any]]
    tier: Mapped[str | None] = mapped_column(String(20))  # of the latest screening of this input
    review_date: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    created_by: Mapped[User] = relationship(lazy="joined")


class Screening(Base):
    """One screening of one engagement input; rows are never updated or deleted."""

    __tablename__ = "screening"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id"), index=True)
    input_hash: Mapped[str] = mapped_column(String(64))
    input: Mapped[dict[str, Any]]
    tier: Mapped[str] = mapped_column(String(20))
    result: Mapped[dict[str, Any]]  # the CLI's JSON result, findings included
    rule_pack_name: Mapped[str] = mapped_column(String(200))
    rule_pack_version: Mapped[str] = mapped_column(String(100))
    rule_pack_hash: Mapped[str] = mapped_column(String(100))
    taxonomies_version: Mapped[str] = mapped_column(String(100))
    taxonomies_hash: Mapped[str] = mapped_column(String(100))
    watchlists_version: Mapped[str] = mapped_column(String(100))
    watchlists_hash: Mapped[str] = mapped_column(String(100))
    tool_version: Mapped[str] = mapped_column(String(50))
    as_of: Mapped[date] = mapped_column(Date)
    screened_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    screened_at: Mapped[datetime]
    finding_count: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)

    screened_by: Mapped[User] = relationship(lazy="joined")
