"""The audit trail's hash chain: canonical serialisation of an event, sealing, and verification.

Each event is serialised canonically (sorted keys, no spaces, UTC time to the microsecond) and its
hash is SHA-256 over the previous event's hash followed by that body, so changing, removing or
re-ordering any stored event breaks every hash after it. The store appends sealed events; the
verifier walks them in order and names the first broken link. Secrets never reach the trail:
values under secret-looking keys are replaced before sealing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any

from riskscreen.workflow.errors import WorkflowError

GENESIS = "0" * 64
"""The ``prev_hash`` of the first event."""

REDACTED = "[redacted]"
_SECRET_WORDS = ("password", "secret", "token", "api_key", "apikey", "csrf", "session", "credential",
                 "smtp_pass")


def is_secret_key(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in _SECRET_WORDS)


def _plain(value: Any) -> Any:
    """JSON-native copy of a payload, with secrets replaced; what is stored is what is hashed."""
    if isinstance(value, Mapping):
        return {str(k): REDACTED if is_secret_key(str(k)) else _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=_canonical) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise WorkflowError(f"an audit payload cannot hold {value!r}")
        return value
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        return _plain(model_dump(mode="json"))
    raise WorkflowError(f"an audit payload cannot hold a {type(value).__name__}")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def utc_text(moment: datetime) -> str:
    """``2026-12-04T21:07:39.123456Z``; a time without a zone is refused rather than guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise WorkflowError(f"audit times must carry a time zone (got {moment.isoformat()})")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AuditEvent:
    """Something that happened: when (UTC), who, what, to what, and the state before and after."""

    at: datetime
    actor: str
    action: str
    subject: str
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class SealedEvent:
    """An event as stored: its place in the chain, its JSON-native payloads and both hashes."""

    seq: int
    at: str
    actor: str
    action: str
    subject: str
    before: Any
    after: Any
    prev_hash: str
    hash: str

    def body(self) -> bytes:
        return canonical_body(self.seq, self.at, self.actor, self.action, self.subject, self.before, self.after)

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at, "actor": self.actor, "action": self.action,
                "subject": self.subject, "before": self.before, "after": self.after,
                "prev_hash": self.prev_hash, "hash": self.hash}


def canonical_body(seq: int, at: str, actor: str, action: str, subject: str, before: Any, after: Any) -> bytes:
    return _canonical({"seq": seq, "at": at, "actor": actor, "action": action, "subject": subject,
                       "before": before, "after": after}).encode("utf-8")


def link_hash(prev_hash: str, body: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + body).hexdigest()


def seal(event: AuditEvent, seq: int, prev_hash: str) -> SealedEvent:
    """The event as the next link after ``prev_hash`` (``seq`` counts from 1)."""
    for name in ("actor", "action", "subject"):
        if not getattr(event, name):
            raise WorkflowError(f"an audit event needs a non-empty {name}")
    at = utc_text(event.at)
    before, after = _plain(event.before), _plain(event.after)
    body = canonical_body(seq, at, event.actor, event.action, event.subject, before, after)
    return SealedEvent(seq, at, event.actor, event.action, event.subject, before, after, prev_hash,
                       link_hash(prev_hash, body))


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"event {self.seq}: {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    events: int
    head: str
    broken: BrokenLink | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify(events: Iterable[SealedEvent]) -> ChainReport:
    """Walk the events in ``seq`` order (streamed) and stop at the first that does not chain."""
    prev, expected_seq, count = GENESIS, 1, 0
    for event in events:
        if event.seq != expected_seq:
            reason = (f"expected event {expected_seq} next but found {event.seq}: "
                      + ("events are missing" if event.seq > expected_seq else "events are out of order"))
            return ChainReport(count, prev, BrokenLink(expected_seq, reason))
        if event.prev_hash != prev:
            return ChainReport(count, prev, BrokenLink(event.seq, "its previous-hash does not match the event "
                                                                  "before it (an event was removed or replaced)"))
        if link_hash(prev, event.body()) != event.hash:
            return ChainReport(count, prev, BrokenLink(event.seq, "its content does not match its hash "
                                                                  "(the event was changed after it was written)"))
        prev, expected_seq, count = event.hash, expected_seq + 1, count + 1
    return ChainReport(count, prev, None)
