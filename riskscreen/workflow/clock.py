"""The review clock: days since submission against a target (30 days by default, as Australia's
Foreign Arrangements Scheme and the UK NSI review period use), with 'due soon' and 'overdue'.

Calendar days, counted from the day of (latest) submission; the clock stops once a decision is made
or the engagement is withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from riskscreen.workflow.errors import WorkflowError


class ClockStatus(str, Enum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    STOPPED = "stopped"


@dataclass(frozen=True)
class ClockPolicy:
    target_days: int = 30
    due_soon_days: int = 5

    def __post_init__(self) -> None:
        if self.target_days < 1:
            raise WorkflowError(f"the review target must be at least 1 day (got {self.target_days})")
        if not 0 <= self.due_soon_days < self.target_days:
            raise WorkflowError(f"'due soon' must be 0 to {self.target_days - 1} days before the target "
                                f"(got {self.due_soon_days})")


@dataclass(frozen=True)
class ReviewClock:
    submitted_on: date
    due_on: date
    days_elapsed: int
    days_left: int
    status: ClockStatus

    @property
    def label(self) -> str:
        if self.status is ClockStatus.STOPPED:
            return "stopped"
        if self.days_left < 0:
            return f"{-self.days_left} day{'s' if self.days_left != -1 else ''} overdue"
        return f"{self.days_left} day{'s' if self.days_left != 1 else ''} left"


def review_clock(submitted_on: date, today: date, policy: ClockPolicy = ClockPolicy(), *,
                 stopped_on: date | None = None) -> ReviewClock:
    """The clock as it reads ``today`` (or as it read when it stopped)."""
    end = stopped_on if stopped_on is not None else today
    elapsed = max((end - submitted_on).days, 0)
    left = policy.target_days - elapsed
    if stopped_on is not None:
        status = ClockStatus.STOPPED
    elif left < 0:
        status = ClockStatus.OVERDUE
    elif left <= policy.due_soon_days:
        status = ClockStatus.DUE_SOON
    else:
        status = ClockStatus.ON_TRACK
    return ReviewClock(submitted_on, submitted_on + timedelta(days=policy.target_days), elapsed, left, status)


def due_window(today: date, policy: ClockPolicy, status: ClockStatus) -> tuple[date | None, date | None]:
    """The range of submission dates (inclusive; None = unbounded) whose open clock reads ``status``
    today, so a database query can filter on the clock without computing it row by row."""
    overdue_before = today - timedelta(days=policy.target_days)  # submitted before this → overdue
    soon_from = today - timedelta(days=policy.target_days)
    soon_to = today - timedelta(days=policy.target_days - policy.due_soon_days)
    if status is ClockStatus.OVERDUE:
        return None, overdue_before - timedelta(days=1)
    if status is ClockStatus.DUE_SOON:
        return soon_from, soon_to
    if status is ClockStatus.ON_TRACK:
        return soon_to + timedelta(days=1), None
    raise WorkflowError("a stopped clock has no window of submission dates")
