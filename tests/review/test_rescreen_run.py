"""Re-screening stored engagements when the rules change: new screening rows (nothing
overwritten), a risen tier back in the queue flagged, a fallen one noted, resumable from a
checkpoint, and `riskscreen rescreen` on the command line."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from riskscreen import Engine
from riskscreen.cli import main
from riskscreen.review.actions import decide
from riskscreen.review.audit_store import stream, verify_stored
from riskscreen.review.models import RescreenChange, ReviewCase
from riskscreen.review.rescreen_run import rescreen
from riskscreen.review.steps import act
from riskscreen.screening.whatif import WhatIfMemo
from riskscreen.store import Store
from riskscreen.store.accounts import add_user
from riskscreen.store.engagements import apply_transition, create_engagement, record_screening
from riskscreen.store.models import EngagementRecord, Screening
from riskscreen.workflow.machine import Action
from tests.register.conftest import CLEAN, MEDIA, RULES, TAXONOMIES, TELECOMS
from tests.review.service import user
from tests.web.conftest import PASSWORD

AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Engine, Path]]:
    """The small test pack without its media rule (old) and with it (new)."""
    old_rules = tmp_path_factory.mktemp("old") / "rules"
    shutil.copytree(RULES, old_rules)
    findings = old_rules / "findings.yaml"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text[: text.index("  - id: t_media")], encoding="utf-8")
    with Engine.load(rules=old_rules, taxonomies=TAXONOMIES) as old, \
            Engine.load(rules=RULES, taxonomies=TAXONOMIES) as new:
        yield old, new, old_rules


def _load(store: Store, old: Engine) -> dict[str, int]:
    """MEDIA decided (approved), CLEAN submitted, TELECOMS decided (declined: not re-screened)."""
    ids = {}
    with store.session() as session:
        add_user(session, email="admin@ddu.example", name="Admin", role="admin", organisation="DDU",
                 password=PASSWORD)
        officer, r1 = user(session, "officer@leeds.example"), user(session, "r1@ddu.example")
        for item, outcome in ((MEDIA, "approved"), (CLEAN, None), (TELECOMS, "declined")):
            record = create_engagement(session, officer, item)
            record_screening(session, record, old.screen(record.input, as_of=AS_OF), officer)
            apply_transition(session, record, "submit", officer)
            if outcome:
                act(session, record, r1, Action.ACCEPT)
                decide(session, record, r1, {"kind": outcome, "reason": "Considered"}, bodies=set(),
                       known_rules=set(), today=AS_OF)
            ids[item["id"]] = record.id
    return ids


def run(store: Store, engine: Engine, **kwargs: Any) -> Any:
    return rescreen(store, lambda data, on: engine.screen(data, as_of=on), engine.provenance(AS_OF),
                    "admin@ddu.example", as_of=AS_OF, **kwargs)


def test_risen_tier_goes_back_to_the_queue(store: Store, packs: tuple[Engine, Engine, Path]) -> None:
    old, new, _ = packs
    ids = _load(store, old)
    summary = run(store, new)
    assert (summary.checked, summary.rescreened, summary.requeued, summary.unchanged) == (3, 2, 1, 1)
    with store.session() as session:
        media = session.get(EngagementRecord, ids["MEDIA-1"])
        assert (media.status, media.tier) == ("in_review", "advice")
        case = session.get(ReviewCase, media.id)
        assert case.flagged and "raised the tier from autonomy to advice" in case.flag_note
        assert session.scalar(select(func.count(Screening.id)).where(Screening.engagement_id == media.id)) == 2
        change = session.scalar(select(RescreenChange))
        assert (change.engagement_id, change.change, change.effect, json.loads(change.added_findings)) == (
            media.id, "raised", "requeued", ["t_media"])
        assert session.get(EngagementRecord, ids["TEL-1"]).status == "decided"  # declined: left alone
        actions = [(e.actor, e.action) for e in stream(session)][-3:]
        assert ("system", "engagement.requeue") in actions and ("admin@ddu.example", "engagement.rescreen") in actions
        assert verify_stored(session).intact
    assert run(store, new).rescreened == 0  # already under these rules: nothing to do


def test_fallen_tier_is_noted_and_not_reopened(store: Store, packs: tuple[Engine, Engine, Path]) -> None:
    old, new, _ = packs
    ids = _load(store, new)
    summary = run(store, old)
    assert (summary.noted, summary.requeued) == (1, 0)
    with store.session() as session:
        media = session.get(EngagementRecord, ids["MEDIA-1"])
        assert (media.status, media.tier) == ("decided", "autonomy")


def test_a_run_resumes_from_its_checkpoint(store: Store, packs: tuple[Engine, Engine, Path]) -> None:
    old, new, _ = packs
    ids = _load(store, old)
    saved: list[dict[str, Any]] = []
    run(store, new, batch=1, checkpoint=saved.append)
    assert [p["cursor"] for p in saved] == sorted(ids.values())
    # resuming after the first batch re-screens only what came after it
    first = min(ids.values())
    again = run(store, old, progress=saved[0], batch=1)
    assert again.checked == saved[0]["checked"] + 2 and again.cursor == max(ids.values())
    assert first == saved[0]["cursor"]


def test_rescreen_command(store: Store, packs: tuple[Engine, Engine, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    old, _, _ = packs
    _load(store, old)
    url = store.url
    result = CliRunner().invoke(main, ["rescreen", "--db", url, "--by", "admin@ddu.example", "--rules", str(RULES),
                                       "--taxonomies", str(TAXONOMIES), "--as-of", "2026-11-22"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Checked 3 open or approved engagement(s); re-screened 2 under changed rules: 1 back in the queue, "
        "0 flagged in the queue, 0 noted (tier fell or findings changed), 1 unchanged.",
        "  MEDIA-1: raised (autonomy → advice), requeued; new: t_media"]
    refused = CliRunner().invoke(main, ["rescreen", "--db", url, "--by", "r1@ddu.example"])
    assert refused.exit_code == 2 and "is not an active administrator" in refused.stderr


def test_a_batch_records_each_engagement_against_its_own_new_screening(
        store: Store, packs: tuple[Engine, Engine, Path]) -> None:
    old, new, _ = packs
    ids = _load(store, old)
    summary = rescreen(store, WhatIfMemo(new).screen, new.provenance(AS_OF), "admin@ddu.example", as_of=AS_OF)
    assert summary.rescreened == 2
    with store.session() as session:
        events = [e for e in stream(session) if e.action == "engagement.rescreen"]
        assert sorted(e.subject for e in events) == sorted(f"engagement:{ids[k]}" for k in ("MEDIA-1", "CLEAN-1"))
        for event in events:
            screening = session.get(Screening, event.after["screening"])
            assert f"engagement:{screening.engagement_id}" == event.subject
            assert (screening.tier, screening.rule_pack_hash) == (event.after["tier"], new.pack.digest)
            assert screening.result["what_would_change"] == new.screen(
                screening.input, as_of=AS_OF, what_if=True).model_dump(mode="json")["what_would_change"]
            assert session.get(EngagementRecord, screening.engagement_id).tier == screening.tier
        assert verify_stored(session).intact


def test_a_crash_inside_a_batch_leaves_nothing_of_it_and_the_run_resumes(
        store: Store, packs: tuple[Engine, Engine, Path]) -> None:
    old, new, _ = packs
    ids = _load(store, old)
    saved: list[dict[str, Any]] = []
    calls = 0

    def failing(data: Any, on: date) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:  # the second engagement of the batch: the first is already screened
            raise RuntimeError("the worker stopped")
        return new.screen(data, as_of=on)

    with pytest.raises(RuntimeError):
        rescreen(store, failing, new.provenance(AS_OF), "admin@ddu.example", as_of=AS_OF,
                 checkpoint=saved.append)
    assert saved == []  # the batch never committed
    with store.session() as session:
        assert session.scalar(select(func.count(Screening.id))) == len(ids)  # only the first screenings
        assert not [e for e in stream(session) if e.action == "engagement.rescreen"]
        assert verify_stored(session).intact
    summary = run(store, new)  # started again from the last checkpoint (none): everything, once
    assert (summary.rescreened, summary.requeued) == (2, 1)
    with store.session() as session:
        assert len([e for e in stream(session) if e.action == "engagement.rescreen"]) == 2
        assert verify_stored(session).intact
