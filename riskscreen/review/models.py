"""The review service's tables beside the officer's (same declarative base, same migrations).

History is append-only and enforced by the database: workflow steps, decisions and comments are
never updated or deleted. What changes — a condition being met, a waiver's expiry being handled,
who a case is assigned to — lives in separate rows whose every change is also an audit event.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskscreen.store.models import Base, EngagementRecord, Screening, User


class WorkflowStep(Base):
    """One transition of one engagement: who, in which capacity, from where to where, and why."""

    __tablename__ = "workflow_step"
    __table_args__ = (Index("ix_workflow_step_engagement", "engagement_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id"))
    action: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))  # None: the system
    actor_role: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]

    actor: Mapped[User | None] = relationship(lazy="joined")


class DecisionRecord(Base):
    """A decision and the screening it rested on (with the rule versions), kept for ever."""

    __tablename__ = "review_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("workflow_step.id"))
    kind: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    referred_to: Mapped[str | None] = mapped_column(String(50))
    screening_id: Mapped[int] = mapped_column(ForeignKey("screening.id"))
    tier: Mapped[str] = mapped_column(String(20))
    rule_pack_hash: Mapped[str] = mapped_column(String(100))
    taxonomies_hash: Mapped[str] = mapped_column(String(100))
    watchlists_hash: Mapped[str] = mapped_column(String(100))
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime]

    decided_by: Mapped[User] = relationship(lazy="joined")
    screening: Mapped[Screening] = relationship(lazy="select")
    conditions: Mapped[list[ConditionRecord]] = relationship(
        lazy="selectin", order_by="ConditionRecord.position", back_populates="decision")


class ConditionRecord(Base):
    __tablename__ = "review_condition"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("review_decision.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due: Mapped[date] = mapped_column(Date)
    met_on: Mapped[date | None] = mapped_column(Date)
    met_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    decision: Mapped[DecisionRecord] = relationship(back_populates="conditions", lazy="joined")


class WaiverRecord(Base):
    """A waiver in the CLI's model (engagement, optional rule, reason, approved by, expiry)."""

    __tablename__ = "waiver_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id"), index=True)
    rule_id: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(String(200))
    expires: Mapped[date] = mapped_column(Date, index=True)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    granted_at: Mapped[datetime]
    # set once the expiry has sent the engagement back to the queue, so it happens once
    expiry_handled_at: Mapped[datetime | None]

    engagement: Mapped[EngagementRecord] = relationship(lazy="joined")


class Comment(Base):
    __tablename__ = "review_comment"
    __table_args__ = (Index("ix_review_comment_engagement", "engagement_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]

    author: Mapped[User] = relationship(lazy="joined")


class ReviewCase(Base):
    """What the queue filters and sorts on besides the engagement itself: the assignee, the
    country and risk types of the latest screening, and a flag when a re-screen raised the tier."""

    __tablename__ = "review_case"
    __table_args__ = (Index("ix_review_case_assignee", "assignee_id"),
                      Index("ix_review_case_country", "country"))

    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id"), primary_key=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    country: Mapped[str | None] = mapped_column(String(3))
    # ",geopolitical,security," so one LIKE finds a type on every database
    risk_types: Mapped[str] = mapped_column(String(200), default="")
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_note: Mapped[str | None] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_at: Mapped[datetime | None]

    assignee: Mapped[User | None] = relationship(lazy="joined")


class RescreenChange(Base):
    """What one re-screen changed for one engagement (the same comparison as ``riskscreen diff``)."""

    __tablename__ = "rescreen_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int | None] = mapped_column(Integer, index=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id"), index=True)
    old_screening_id: Mapped[int] = mapped_column(ForeignKey("screening.id"))
    new_screening_id: Mapped[int] = mapped_column(ForeignKey("screening.id"))
    change: Mapped[str] = mapped_column(String(30))
    old_tier: Mapped[str] = mapped_column(String(20))
    new_tier: Mapped[str] = mapped_column(String(20))
    added_findings: Mapped[str] = mapped_column(Text)
    removed_findings: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]


class NotifyCursor(Base):
    """How far the notification sender has read the workflow steps and comments (one row)."""

    __tablename__ = "notify_cursor"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    step_id: Mapped[int] = mapped_column(Integer)
    comment_id: Mapped[int] = mapped_column(Integer)
