"""The review clock: due soon and overdue against a configurable target, and the submission-date
window a query uses agreeing with the clock for every day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskscreen.workflow.clock import ClockPolicy, ClockStatus, due_window, review_clock
from riskscreen.workflow.errors import WorkflowError

SUB = date(2026, 11, 1)


@pytest.mark.parametrize(("today", "status", "label"), [
    (date(2026, 11, 1), ClockStatus.ON_TRACK, "30 days left"),
    (date(2026, 11, 25), ClockStatus.ON_TRACK, "6 days left"),
    (date(2026, 11, 26), ClockStatus.DUE_SOON, "5 days left"),
    (date(2026, 11, 30), ClockStatus.DUE_SOON, "1 day left"),
    (date(2026, 12, 1), ClockStatus.DUE_SOON, "0 days left"),
    (date(2026, 12, 2), ClockStatus.OVERDUE, "1 day overdue"),
    (date(2026, 12, 11), ClockStatus.OVERDUE, "10 days overdue"),
])
def test_default_thirty_day_clock(today: date, status: ClockStatus, label: str) -> None:
    clock = review_clock(SUB, today)
    assert clock.status is status and clock.label == label
    assert clock.due_on == date(2026, 12, 1)


def test_target_is_configurable() -> None:
    policy = ClockPolicy(target_days=10, due_soon_days=2)
    assert review_clock(SUB, date(2026, 11, 9), policy).status is ClockStatus.DUE_SOON
    assert review_clock(SUB, date(2026, 11, 12), policy).status is ClockStatus.OVERDUE


def test_a_decision_stops_the_clock() -> None:
    clock = review_clock(SUB, date(2027, 3, 1), stopped_on=date(2026, 11, 20))
    assert clock.status is ClockStatus.STOPPED and clock.days_elapsed == 19 and clock.label == "stopped"


@pytest.mark.parametrize(("target", "soon"), [(0, 0), (10, 10), (10, -1)])
def test_bad_policy_is_refused(target: int, soon: int) -> None:
    with pytest.raises(WorkflowError):
        ClockPolicy(target_days=target, due_soon_days=soon)


@given(st.integers(-5, 90), st.integers(1, 60), st.data())
def test_window_agrees_with_the_clock(offset: int, target: int, data: st.DataObject) -> None:
    soon = data.draw(st.integers(0, target - 1))
    policy = ClockPolicy(target_days=target, due_soon_days=soon)
    today = date(2026, 12, 4)
    submitted = today - timedelta(days=offset)
    status = review_clock(submitted, today, policy).status
    for candidate in (ClockStatus.ON_TRACK, ClockStatus.DUE_SOON, ClockStatus.OVERDUE):
        low, high = due_window(today, policy, candidate)
        inside = (low is None or submitted >= low) and (high is None or submitted <= high)
        assert inside == (candidate is status)
