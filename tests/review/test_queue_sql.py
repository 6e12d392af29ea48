"""The queue's filters and sorts in SQL, and dashboard figures that equal the lists they summarise."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from riskscreen import Engine
from riskscreen.inputs.yamlio import load_yaml_file
from riskscreen.review.actions import assign, decide
from riskscreen.review.queue import dashboard, queue_page
from riskscreen.review.steps import act
from riskscreen.store import Store
from riskscreen.store.accounts import add_user
from riskscreen.store.engagements import apply_transition, create_engagement, record_screening
from riskscreen.store.models import EngagementRecord
from riskscreen.workflow.clock import ClockPolicy
from riskscreen.workflow.machine import Action
from riskscreen.workflow.queue import QueueQuery
from tests.conftest import ROOT
from tests.review.service import AS_OF, user
from tests.web.conftest import PASSWORD

TODAY = date(2026, 12, 4)
POLICY = ClockPolicy(target_days=30, due_soon_days=5)
EXAMPLES = {  # example file -> (organisation, days since submission)
    "edinburgh-kaohsiung.yaml": ("Leeds", 40),        # overdue
    "greater-manchester-osaka.yaml": ("Leeds", 27),   # due soon
    "huawei-5g-partnership.yaml": ("Bristol", 3),     # on track
    "sheffield-sichuan-guodong.yaml": ("Bristol", 10),
    "birmingham-frankfurt.yaml": ("Bristol", 31),     # overdue
}


@pytest.fixture
def queue(store: Store, engine: Engine) -> dict[str, int]:
    ids: dict[str, int] = {}
    with store.session() as session:
        add_user(session, email="officer@bristol.example", name="Bristol officer", role="officer",
                 organisation="Bristol", password=PASSWORD)
        for name, (org, days) in EXAMPLES.items():
            officer = user(session, "officer@leeds.example" if org == "Leeds" else "officer@bristol.example")
            record = create_engagement(session, officer, load_yaml_file(ROOT / "examples" / name))
            record_screening(session, record, engine.screen(record.input, as_of=AS_OF), officer)
            apply_transition(session, record, "submit", officer)
            record.submitted_at = datetime.combine(TODAY - timedelta(days=days), datetime.min.time(),
                                                   tzinfo=timezone.utc) + timedelta(hours=9)
            ids[name] = record.id
        r1 = user(session, "r1@ddu.example")
        frankfurt = session.get(EngagementRecord, ids["birmingham-frankfurt.yaml"])
        act(session, frankfurt, r1, Action.ACCEPT)
        decide(session, frankfurt, r1, {"kind": "approved", "reason": "Low risk"}, bodies={"ddu"},
               known_rules=set(), today=TODAY)
        assign(session, session.get(EngagementRecord, ids["huawei-5g-partnership.yaml"]), r1, r1)
    return ids


def listed(store: Store, q: QueueQuery, who: str = "r1@ddu.example") -> list[str]:
    with store.session() as session:
        page = queue_page(session, q, user(session, who), TODAY, POLICY)
        return [row.record.reference for row in page.rows]


def test_default_queue_is_open_engagements_oldest_first(store: Store, queue: dict[str, int]) -> None:
    assert listed(store, QueueQuery()) == ["EDI-KHH-2019", "GM-OSAKA-2025", "SHF-SGD-2016", "HUAWEI-5G-2019"]


def test_filters(store: Store, queue: dict[str, int]) -> None:
    assert listed(store, QueueQuery(clock=("overdue",))) == ["EDI-KHH-2019"]
    assert listed(store, QueueQuery(clock=("due_soon", "overdue"))) == ["EDI-KHH-2019", "GM-OSAKA-2025"]
    assert listed(store, QueueQuery(states=("decided",))) == ["BHM-FRA-1966"]
    assert listed(store, QueueQuery(states=())) == [
        "EDI-KHH-2019", "BHM-FRA-1966", "GM-OSAKA-2025", "SHF-SGD-2016", "HUAWEI-5G-2019"]
    assert listed(store, QueueQuery(assignee="me")) == ["HUAWEI-5G-2019"]
    assert listed(store, QueueQuery(assignee="nobody")) == ["EDI-KHH-2019", "GM-OSAKA-2025", "SHF-SGD-2016"]
    assert listed(store, QueueQuery(countries=("TW",))) == ["EDI-KHH-2019"]
    assert listed(store, QueueQuery(text="osaka")) == ["GM-OSAKA-2025"]


def test_tier_and_risk_type_filters_agree_with_the_screenings(store: Store, queue: dict[str, int]) -> None:
    with store.session() as session:
        records = {r.reference: r for r in session.query(EngagementRecord).all()}
        tiers = {ref: r.tier for ref, r in records.items()}
    stop_or_alignment = sorted(ref for ref, t in tiers.items() if t in ("alignment", "stop")
                               and ref != "BHM-FRA-1966")
    assert sorted(listed(store, QueueQuery(tiers=("alignment", "stop")))) == stop_or_alignment
    security = listed(store, QueueQuery(risk_types=("security",)))
    assert "HUAWEI-5G-2019" in security and "GM-OSAKA-2025" not in security


def test_sorting_and_pages(store: Store, queue: dict[str, int]) -> None:
    newest_first = listed(store, QueueQuery(sort="clock", descending=True))
    assert newest_first == list(reversed(listed(store, QueueQuery())))
    first = listed(store, QueueQuery(per_page=25, page=1, sort="reference"))
    assert first == sorted(first)
    with store.session() as session:
        page = queue_page(session, QueueQuery(page=9), user(session, "r1@ddu.example"), TODAY, POLICY)
        assert (page.page, page.total, page.pages) == (1, 4, 1)  # past the end: the last page


def test_dashboard_counts_equal_the_lists(store: Store, queue: dict[str, int]) -> None:
    for q in (QueueQuery(), QueueQuery(states=()), QueueQuery(states=(), organisations=())):
        with store.session() as session:
            board = dashboard(session, q, user(session, "r1@ddu.example"), TODAY, POLICY)
        every = listed(store, q)
        assert board.total == len(every) == sum(board.by_tier.values()) == sum(board.by_state.values())
        assert board.overdue == len(listed(store, QueueQuery(states=q.states, clock=("overdue",))))
        for risk, count in board.by_risk_type.items():
            assert count == len(listed(store, QueueQuery(states=q.states, risk_types=(risk,))))
    with store.session() as session:
        board: Any = dashboard(session, QueueQuery(states=()), user(session, "r1@ddu.example"), TODAY, POLICY)
    assert board.decided == 1 and board.median_days_to_decision == pytest.approx(31, abs=1)
    assert board.by_organisation == [("Bristol", 3), ("Leeds", 2)]
