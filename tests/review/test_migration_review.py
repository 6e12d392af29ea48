"""Migration 0003_review upgrades a database holding the officer's data, and the worker runs
inside the service's lifespan; housekeeping expires waivers and queues notices at most every
interval."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import inspect, select

from riskscreen import Engine
from riskscreen.review.handlers import Housekeeping
from riskscreen.review.models import ReviewCase, WaiverRecord
from riskscreen.review.steps import act
from riskscreen.store import Store, migrate
from riskscreen.store.accounts import add_user
from riskscreen.store.engagements import create_engagement, record_screening
from riskscreen.store.models import EngagementRecord
from riskscreen.workflow.machine import Action
from riskscreen.workflow.notify import MailSettings
from tests.review.service import AS_OF, submitted, user
from tests.web.conftest import ENGAGEMENT, PASSWORD


def test_upgrade_from_0002_keeps_engagements(db_engine: Any, engine: Engine) -> None:
    store = Store(db_engine.url.render_as_string(hide_password=False))
    migrate.upgrade(store.engine, "0002_engagements")
    with store.session() as session:
        officer = add_user(session, email="o@x.example", name="O", role="officer", organisation="X",
                           password=PASSWORD)
        record = create_engagement(session, officer, ENGAGEMENT)
        record_screening(session, record, engine.screen(record.input, as_of=AS_OF), officer)
        record.status = "submitted"
        engagement_id = record.id
    assert store.upgrade() == ("0002_engagements", "0003_review")
    tables = set(inspect(store.engine).get_table_names())
    assert {"workflow_step", "review_decision", "review_condition", "waiver_grant", "review_comment",
            "review_case", "rescreen_change", "job", "audit_event", "audit_head", "notify_cursor"} <= tables
    with store.session() as session:
        record = session.get(EngagementRecord, engagement_id)
        reviewer = add_user(session, email="r@x.example", name="R", role="reviewer", organisation="DDU",
                            password=PASSWORD)
        act(session, record, reviewer, Action.ACCEPT)
        act(session, record, reviewer, Action.REQUEST_INFORMATION, note="x" * 50)
        assert record.status == "information_requested"  # longer than the old column allowed
    store.close()


def test_housekeeping_expires_waivers_at_most_every_interval(store: Store, engine: Engine) -> None:
    engagement_id = submitted(store, engine)
    with store.session() as session:
        record = session.get(EngagementRecord, engagement_id)
        r1 = user(session, "r1@ddu.example")
        act(session, record, r1, Action.ACCEPT)
        from riskscreen.review.actions import decide

        decide(session, record, r1, {"kind": "approved", "reason": "Low risk"}, bodies=set(), known_rules=set(),
               today=AS_OF, waivers=[{"reason": "Accepted for now", "expires": str(date.today() + timedelta(days=1))}])
        # the waiver has since expired
        session.execute(WaiverRecord.__table__.update().values(expires=date.today() - timedelta(days=1)))
    chores = Housekeeping(store, MailSettings(), "http://x", every=3600)
    chores()
    with store.session() as session:
        assert session.get(EngagementRecord, engagement_id).status == "in_review"
        assert session.get(ReviewCase, engagement_id).flagged
        assert session.scalar(select(WaiverRecord.expiry_handled_at)) is not None
    chores()  # within the interval: nothing more happens (and nothing breaks)
