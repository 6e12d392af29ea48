"""The hash chain: canonical serialisation, each hash covering the previous, secrets never written,
and the verifier naming the first broken link for every kind of tampering."""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskscreen.workflow.audit import (
    GENESIS,
    REDACTED,
    AuditEvent,
    SealedEvent,
    canonical_body,
    link_hash,
    seal,
    verify,
)
from riskscreen.workflow.audit_export import read_csv, read_jsonl, write_csv, write_jsonl
from riskscreen.workflow.errors import WorkflowError

T0 = datetime(2026, 12, 4, 21, 7, 39, 123456, tzinfo=timezone.utc)


def chain(n: int) -> list[SealedEvent]:
    out: list[SealedEvent] = []
    prev = GENESIS
    for i in range(1, n + 1):
        event = AuditEvent(T0 + timedelta(minutes=i), f"user-{i % 3}", "engagement.accept", f"engagement:{i}",
                           {"state": "submitted"}, {"state": "in_review", "n": i})
        sealed = seal(event, i, prev)
        out.append(sealed)
        prev = sealed.hash
    return out


def test_body_is_canonical_and_times_are_utc() -> None:
    bst = timezone(timedelta(hours=1))
    event = AuditEvent(datetime(2026, 6, 1, 13, 0, tzinfo=bst), "u1", "decide", "engagement:7",
                       {"b": 1, "a": [date(2026, 6, 1)]}, None)
    sealed = seal(event, 1, GENESIS)
    assert sealed.at == "2026-06-01T12:00:00.000000Z"
    assert sealed.body() == (b'{"action":"decide","actor":"u1","after":null,"at":"2026-06-01T12:00:00.000000Z",'
                             b'"before":{"a":["2026-06-01"],"b":1},"seq":1,"subject":"engagement:7"}')
    assert sealed.hash == link_hash(GENESIS, sealed.body())
    assert len(sealed.hash) == 64 and sealed.prev_hash == GENESIS


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(WorkflowError, match="time zone"):
        seal(AuditEvent(datetime(2026, 1, 1), "u", "a", "s"), 1, GENESIS)


def test_empty_actor_action_or_subject_is_refused() -> None:
    for field in ("actor", "action", "subject"):
        with pytest.raises(WorkflowError, match=field):
            seal(dataclasses.replace(AuditEvent(T0, "u", "a", "s"), **{field: ""}), 1, GENESIS)


def test_secrets_are_never_written() -> None:
    event = AuditEvent(T0, "admin", "user.reset_password", "user:5",
                       {"password_hash": "$argon2id$v=19$...", "email": "a@example.org"},
                       {"password_hash": "$argon2id$new", "api_token": "tok_123", "nested": [{"csrf_token": "x"}],
                        "SMTP_PASSWORD": "hunter2"})
    sealed = seal(event, 1, GENESIS)
    text = sealed.body().decode()
    for secret in ("argon2", "tok_123", "hunter2", '"x"'):
        assert secret not in text
    assert sealed.before == {"password_hash": REDACTED, "email": "a@example.org"}
    assert sealed.after["nested"] == [{"csrf_token": REDACTED}]


def test_payload_that_json_cannot_hold_is_refused() -> None:
    with pytest.raises(WorkflowError, match="cannot hold"):
        seal(AuditEvent(T0, "u", "a", "s", after={"x": float("nan")}), 1, GENESIS)
    with pytest.raises(WorkflowError, match="cannot hold a object"):
        seal(AuditEvent(T0, "u", "a", "s", after={"x": object()}), 1, GENESIS)


def test_intact_chain_verifies() -> None:
    events = chain(5)
    report = verify(events)
    assert report.intact and report.events == 5 and report.head == events[-1].hash
    assert verify([]).intact and verify([]).head == GENESIS


def test_each_hash_covers_the_previous() -> None:
    a = chain(3)
    other_first = seal(AuditEvent(T0, "someone", "login", "user:1"), 1, GENESIS)
    second = dataclasses.replace(a[1], prev_hash=other_first.hash)
    assert link_hash(other_first.hash, second.body()) != a[1].hash


@pytest.mark.parametrize("index", [0, 2, 4])
def test_changed_content_is_named(index: int) -> None:
    events = chain(5)
    events[index] = dataclasses.replace(events[index], after={"state": "decided"})
    report = verify(events)
    assert not report.intact and report.broken is not None
    assert report.broken.seq == index + 1 and "changed after it was written" in report.broken.reason
    assert report.events == index


def test_changed_actor_or_time_is_named() -> None:
    for change in ({"actor": "mallory"}, {"at": "2026-12-04T21:08:39.123457Z"}, {"action": "approve"}):
        events = chain(3)
        events[1] = dataclasses.replace(events[1], **change)
        assert str(verify(events).broken).startswith("event 2: ")


def test_recomputed_hash_breaks_the_next_link() -> None:
    events = chain(4)
    forged = dataclasses.replace(events[1], after={"state": "decided"})
    events[1] = dataclasses.replace(forged, hash=link_hash(forged.prev_hash, forged.body()))
    broken = verify(events).broken
    assert broken is not None and broken.seq == 3 and "removed or replaced" in broken.reason


def test_removed_event_is_named() -> None:
    events = chain(5)
    del events[2]
    broken = verify(events).broken
    assert broken is not None and broken.seq == 3 and "missing" in broken.reason


def test_reordered_events_are_named() -> None:
    events = chain(4)
    events[1], events[2] = events[2], events[1]
    broken = verify(events).broken
    assert broken is not None and broken.seq == 2


def test_removed_tail_is_caught_by_the_head() -> None:
    # dropping the last events leaves a valid prefix; the head is what an exported checkpoint compares
    events = chain(5)
    assert verify(events[:3]).head == events[2].hash != verify(events).head


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5)
                    | st.floats(allow_nan=False, allow_infinity=False),
                    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=4), kids, max_size=3),
                    max_leaves=10))
def test_any_json_payload_survives_a_round_trip_through_storage(payload: object) -> None:
    sealed = seal(AuditEvent(T0, "u", "a", "s", after=payload), 1, GENESIS)
    stored = json.loads(json.dumps(sealed.after))
    again = dataclasses.replace(sealed, after=stored)
    assert verify([again]).intact
    assert canonical_body(1, sealed.at, "u", "a", "s", None, stored) == sealed.body()


@pytest.mark.parametrize(("write", "read"), [(write_jsonl, read_jsonl), (write_csv, read_csv)])
def test_exports_read_back_and_verify(write: object, read: object) -> None:
    events = chain(6)
    out = io.StringIO()
    assert write(events, out) == 6  # type: ignore[operator]
    back = list(read(io.StringIO(out.getvalue()), "trail"))  # type: ignore[operator]
    assert back == events and verify(back).intact
