"""Notifications from the review's history: the officer hears of questions and decisions, the
reviewer of answers; off unless SMTP is configured (and no backlog when it is switched on);
delivered through the job worker to a local test SMTP server."""

from __future__ import annotations

from email import message_from_bytes
from typing import Any

import pytest
from sqlalchemy import select

from riskscreen import Engine
from riskscreen.review import jobs
from riskscreen.review.handlers import make_handlers
from riskscreen.review.notices import queue_notices
from riskscreen.review.steps import act
from riskscreen.store import Store
from riskscreen.store.models import EngagementRecord
from riskscreen.workflow.machine import Action
from riskscreen.workflow.notify import MailSettings
from tests.review.service import submitted, user

BASE = "https://riskscreen.example"


def _question_and_answer(store: Store, engine: Engine) -> int:
    engagement_id = submitted(store, engine)
    with store.session() as session:
        record = session.get(EngagementRecord, engagement_id)
        act(session, record, user(session, "r1@ddu.example"), Action.REQUEST_INFORMATION, note="Who owns it?")
        act(session, record, user(session, "officer@leeds.example"), Action.PROVIDE_INFORMATION, note="Nobody")
    return engagement_id


def test_off_by_default_and_no_backlog(store: Store, engine: Engine) -> None:
    _question_and_answer(store, engine)
    with store.session() as session:
        assert queue_notices(session, MailSettings(), BASE) == 0
        assert jobs.recent(session) == []
    with store.session() as session:  # switched on later: only what happens from now on
        assert queue_notices(session, MailSettings(host="127.0.0.1"), BASE) == 0


def test_who_is_told_what(store: Store, engine: Engine, smtp_server: Any) -> None:
    handler, port = smtp_server
    engagement_id = _question_and_answer(store, engine)
    mail = MailSettings(host="127.0.0.1", port=port, starttls=False, sender="ddu@example.org")
    with store.session() as session:
        assert queue_notices(session, mail, BASE) == 2
    handlers = make_handlers(store, lambda data, on: engine.screen(data, as_of=on), engine.provenance, mail)
    for _ in range(2):
        ran = jobs.run_one(store.engine, handlers)
        assert ran is not None and ran.state == jobs.DONE, ran
    sent = [(sorted(e.rcpt_tos), message_from_bytes(e.content)) for e in handler.envelopes]
    assert [(to, m["Subject"]) for to, m in sent] == [
        (["officer@leeds.example"], "[riskscreen] LDS-KHH-1 needs more information from you"),
        (["r1@ddu.example"], "[riskscreen] LDS-KHH-1 has the information you asked for")]
    assert f"{BASE}/engagements/{engagement_id}" in sent[0][1].get_payload()
    assert "Who owns it?" in sent[0][1].get_payload()
    with store.session() as session:  # each step is told once
        assert queue_notices(session, mail, BASE) == 0
        assert len(list(session.execute(select(jobs.job)))) == 2


@pytest.mark.parametrize("author", ["officer@leeds.example", "r1@ddu.example"])
def test_comments_go_to_the_other_side(store: Store, engine: Engine, author: str) -> None:
    from riskscreen.review.actions import comment
    from riskscreen.review.notices import collect

    engagement_id = _question_and_answer(store, engine)
    with store.session() as session:
        collect(session, BASE)
        comment(session, session.get(EngagementRecord, engagement_id), user(session, author), "See the annex")
    with store.session() as session:
        notices = collect(session, BASE)
    others = {"officer@leeds.example", "r1@ddu.example"} - {author}
    assert [set(n.to) for n in notices] == [others]
