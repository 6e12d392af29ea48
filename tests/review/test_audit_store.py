"""The stored audit trail: events written in the caller's transaction, UPDATE/DELETE refused by the
database, tampering found by the verifier, and parallel writers never forking the chain — on
SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from riskscreen.review.audit_store import append, batched, stream, verify_stored
from riskscreen.workflow.audit import AuditEvent
from tests.review.helpers import install_audit

T0 = datetime(2026, 12, 4, 21, 0, tzinfo=timezone.utc)


def event(i: int, actor: str = "user:1") -> AuditEvent:
    return AuditEvent(T0 + timedelta(seconds=i), actor, "engagement.accept", f"engagement:{i}",
                      {"state": "submitted"}, {"state": "in_review", "i": i, "password": "never"})


def write(engine: Engine, count: int, start: int = 1) -> None:
    for i in range(start, start + count):
        with engine.begin() as connection:
            append(connection, event(i))


def install(engine: Engine) -> None:
    install_audit(engine)


def test_appended_events_chain_and_verify(db_engine: Engine) -> None:
    install(db_engine)
    write(db_engine, 5)
    with db_engine.connect() as connection:
        report = verify_stored(connection)
        events = list(stream(connection, batch=2))
    assert report.intact and report.chain.events == 5 and report.head_seq == 5
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].after == {"state": "in_review", "i": 1, "password": "[redacted]"}
    assert events[-1].hash == report.head_hash


def test_an_event_is_only_kept_with_its_transaction(db_engine: Engine) -> None:
    install(db_engine)
    write(db_engine, 1)
    with pytest.raises(RuntimeError), db_engine.begin() as connection:
        append(connection, event(2))
        raise RuntimeError("the change failed")
    write(db_engine, 1, start=3)
    with db_engine.connect() as connection:
        assert [e.subject for e in stream(connection)] == ["engagement:1", "engagement:3"]
        assert verify_stored(connection).intact


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET actor = 'mallory' WHERE seq = 1",
                                       "DELETE FROM audit_event WHERE seq = 1"])
def test_update_and_delete_are_refused_by_the_database(db_engine: Engine, statement: str) -> None:
    install(db_engine)
    write(db_engine, 2)
    with pytest.raises(DBAPIError, match="audit_event is append-only"), db_engine.begin() as connection:
        connection.execute(text(statement))
    with db_engine.connect() as connection:
        assert verify_stored(connection).intact


def _without_triggers(engine: Engine, statement: str) -> None:
    """What only someone with full control of the database can do."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER USER")
            connection.exec_driver_sql(statement)
            connection.exec_driver_sql("ALTER TABLE audit_event ENABLE TRIGGER USER")
        else:
            connection.exec_driver_sql("DROP TRIGGER audit_event_no_update")
            connection.exec_driver_sql("DROP TRIGGER audit_event_no_delete")
            connection.exec_driver_sql(statement)


def test_tampering_with_a_row_is_named(db_engine: Engine) -> None:
    install(db_engine)
    write(db_engine, 6)
    _without_triggers(db_engine, """UPDATE audit_event SET after_json = '{"state":"decided"}' WHERE seq = 4""")
    with db_engine.connect() as connection:
        report = verify_stored(connection)
    assert not report.intact
    assert report.problem == ("event 4: its content does not match its hash "
                              "(the event was changed after it was written)")


def test_a_deleted_row_is_named(db_engine: Engine) -> None:
    install(db_engine)
    write(db_engine, 6)
    _without_triggers(db_engine, "DELETE FROM audit_event WHERE seq = 2")
    with db_engine.connect() as connection:
        assert verify_stored(connection).problem == ("event 2: expected event 2 next but found 3: "
                                                     "events are missing")


def test_events_cut_from_the_end_are_noticed(db_engine: Engine) -> None:
    install(db_engine)
    write(db_engine, 4)
    _without_triggers(db_engine, "DELETE FROM audit_event WHERE seq > 2")
    with db_engine.connect() as connection:
        assert verify_stored(connection).problem == ("the chain ends at event 2 but its recorded head is "
                                                     "event 4: events were cut from the end")


def test_parallel_writers_never_fork_the_chain(db_engine: Engine) -> None:
    install(db_engine)
    writers, each = 6, 15
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(each):
                with db_engine.begin() as connection:
                    # the change being recorded comes first, as in the service
                    connection.execute(text("SELECT 1"))
                    append(connection, event(n * 1000 + i, actor=f"user:{n}"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db_engine.connect() as connection:
        report = verify_stored(connection)
        count = connection.execute(text("SELECT count(*) FROM audit_event")).scalar_one()
    assert report.intact, report.problem
    assert count == report.chain.events == writers * each


def test_batched_events_chain_with_single_ones(db_engine: Engine) -> None:
    install(db_engine)
    write(db_engine, 2)
    with Session(db_engine) as session, session.begin(), batched(session):
        sealed = [append(session, event(i)) for i in range(3, 7)]
        # sealed in memory, not yet written: one insert when the block ends
        assert session.execute(text("SELECT count(*) FROM audit_event")).scalar_one() == 2
    write(db_engine, 1, start=7)
    with db_engine.connect() as connection:
        report = verify_stored(connection)
        events = list(stream(connection))
    assert report.intact, report.problem
    assert [e.seq for e in events] == list(range(1, 8))
    assert [e.hash for e in events[2:6]] == [s.hash for s in sealed]
    assert events[2].prev_hash == events[1].hash


def test_a_failed_batch_writes_nothing(db_engine: Engine) -> None:
    install(db_engine)
    write(db_engine, 1)
    with pytest.raises(RuntimeError), Session(db_engine) as session, session.begin(), batched(session):
        append(session, event(2))
        raise RuntimeError("the change failed")
    write(db_engine, 1, start=3)
    with db_engine.connect() as connection:
        assert [e.subject for e in stream(connection)] == ["engagement:1", "engagement:3"]
        assert verify_stored(connection).intact


def test_a_batch_and_single_writers_never_fork_the_chain(db_engine: Engine) -> None:
    install(db_engine)
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def singles(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                with db_engine.begin() as connection:
                    append(connection, event(n * 1000 + i, actor=f"user:{n}"))
        except BaseException as exc:
            errors.append(exc)

    def batches() -> None:
        try:
            barrier.wait()
            for b in range(5):
                with Session(db_engine) as session, session.begin(), batched(session):
                    for i in range(4):
                        append(session, event(9000 + b * 10 + i, actor="admin"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=singles, args=(n,)) for n in (1, 2)] + [threading.Thread(target=batches)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db_engine.connect() as connection:
        report = verify_stored(connection)
    assert report.intact, report.problem
    assert report.chain.events == 2 * 10 + 5 * 4
