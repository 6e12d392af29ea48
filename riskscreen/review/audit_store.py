"""The audit trail in the database: one append-only table, a one-row chain head, and streaming
reads for verification and export.

Append-only is enforced by the database (triggers, created by migration 0003_review, refuse
UPDATE and DELETE on SQLite and PostgreSQL), not by the application. :func:`append` runs inside the caller's transaction, so an
event is committed if and only if the change it records is. It first updates the head row, which
takes the database's write lock (SQLite) or the row's lock (PostgreSQL) until commit: concurrent
writers queue behind one another and can never fork the chain. The head row also lets the
verifier notice events cut off the end of the chain.

Work that records many events in one transaction (re-screening a batch of engagements) can wrap
it in :func:`batched`: the head is then locked and read once, events are sealed in memory as they
come and inserted together when the block ends — still before, and in, the same commit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    String,
    Table,
    Text,
    select,
    update,
)
from sqlalchemy.orm import Session

from riskscreen.store.models import Base
from riskscreen.workflow.audit import AuditEvent, ChainReport, SealedEvent, seal, verify

# the service's one schema, so migrations and the ORM models see every table
metadata = Base.metadata

audit_event = Table(
    "audit_event", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("subject", String(200), nullable=False, index=True),
    # canonical JSON text, not a JSON column: what is hashed must come back byte for byte
    Column("before_json", Text, nullable=False),
    Column("after_json", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)

audit_head = Table(
    "audit_head", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


Executor = Session | Connection


_BATCH = "riskscreen.audit_batch"


@dataclass
class _Batch:
    head: tuple[int, str] | None = None
    events: list[SealedEvent] = field(default_factory=list)

    def add(self, db: Executor, event: AuditEvent) -> SealedEvent:
        if self.head is None:
            # an UPDATE that changes nothing still takes the lock until commit
            row = db.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=audit_head.c.seq)
                             .returning(audit_head.c.seq, audit_head.c.hash)).one()
            self.head = (int(row.seq), row.hash)
        sealed = seal(event, self.head[0] + 1, self.head[1])
        self.head = (sealed.seq, sealed.hash)
        self.events.append(sealed)
        return sealed

    def write(self, db: Executor) -> None:
        if self.head is None or not self.events:
            return
        db.execute(audit_event.insert(), [_row(sealed) for sealed in self.events])
        db.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=self.head[0], hash=self.head[1]))
        self.events.clear()


@contextmanager
def batched(session: Session) -> Iterator[None]:
    """Events appended in ``session`` inside the block are written together as it ends (in the
    same transaction); nothing is written if the block raises."""
    if _BATCH in session.info:
        raise RuntimeError("audit events are already being batched in this session")
    batch = session.info[_BATCH] = _Batch()
    try:
        yield
        batch.write(session)
    finally:
        session.info.pop(_BATCH, None)


def is_batched(db: Executor) -> bool:
    return isinstance(db, Session) and _BATCH in db.info


def _row(sealed: SealedEvent) -> dict[str, Any]:
    return {"seq": sealed.seq, "at": sealed.at, "actor": sealed.actor, "action": sealed.action,
            "subject": sealed.subject, "before_json": _json(sealed.before), "after_json": _json(sealed.after),
            "prev_hash": sealed.prev_hash, "hash": sealed.hash}


def append(db: Executor, event: AuditEvent) -> SealedEvent:
    """Seal ``event`` as the next link and insert it, in the caller's transaction."""
    if isinstance(db, Session) and _BATCH in db.info:
        batch: _Batch = db.info[_BATCH]
        return batch.add(db, event)
    seq_after = db.execute(update(audit_head).where(audit_head.c.id == 1)
                           .values(seq=audit_head.c.seq + 1)
                           .returning(audit_head.c.seq)).scalar_one()
    prev = db.execute(select(audit_head.c.hash).where(audit_head.c.id == 1)).scalar_one()
    sealed = seal(event, seq_after, prev)
    db.execute(audit_event.insert().values(**_row(sealed)))
    db.execute(update(audit_head).where(audit_head.c.id == 1).values(hash=sealed.hash))
    return sealed


def _sealed(row: Any) -> SealedEvent:
    return SealedEvent(int(row.seq), row.at, row.actor, row.action, row.subject, json.loads(row.before_json),
                       json.loads(row.after_json), row.prev_hash, row.hash)


def stream(db: Executor, *, subject: str | None = None, batch: int = 1000) -> Iterator[SealedEvent]:
    """Every event in chain order, fetched in batches by key so memory stays flat."""
    last = 0
    while True:
        query = select(audit_event).where(audit_event.c.seq > last).order_by(audit_event.c.seq).limit(batch)
        if subject is not None:
            query = query.where(audit_event.c.subject == subject)
        rows = db.execute(query).all()
        if not rows:
            return
        for row in rows:
            yield _sealed(row)
        last = int(rows[-1].seq)


@dataclass(frozen=True)
class StoredChainReport:
    chain: ChainReport
    head_seq: int
    head_hash: str

    @property
    def intact(self) -> bool:
        return self.problem is None

    @property
    def problem(self) -> str | None:
        if self.chain.broken is not None:
            return str(self.chain.broken)
        if (self.chain.events, self.chain.head) != (self.head_seq, self.head_hash):
            return (f"the chain ends at event {self.chain.events} but its recorded head is event "
                    f"{self.head_seq}: events were cut from the end")
        return None


def verify_stored(db: Executor) -> StoredChainReport:
    head = db.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).one()
    return StoredChainReport(verify(stream(db)), int(head.seq), head.hash)
