"""Writing the audit trail out: JSON Lines (one sealed event per line) or CSV (payloads as JSON text).

Both carry every field the verifier needs, so an exported trail can be checked away from the
database (``riskscreen audit verify --file``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from riskscreen.errors import InputError, Location, Problem
from riskscreen.workflow.audit import SealedEvent

COLUMNS = ("seq", "at", "actor", "action", "subject", "before", "after", "prev_hash", "hash")
FORMATS = ("jsonl", "csv")


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def write_jsonl(events: Iterable[SealedEvent], out: TextIO) -> int:
    count = 0
    for event in events:
        out.write(_json(event.as_dict()) + "\n")
        count += 1
    return count


def write_csv(events: Iterable[SealedEvent], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for e in events:
        writer.writerow([e.seq, e.at, e.actor, e.action, e.subject, _json(e.before), _json(e.after),
                         e.prev_hash, e.hash])
        count += 1
    return count


def _event(record: dict[str, Any], where: Location) -> SealedEvent:
    missing = [c for c in COLUMNS if c not in record]
    if missing:
        raise InputError(Problem(f"missing field(s): {', '.join(missing)}", where))
    try:
        seq = int(record["seq"])
    except (TypeError, ValueError):
        raise InputError(Problem("seq must be a whole number", where, value=record["seq"])) from None
    return SealedEvent(seq, str(record["at"]), str(record["actor"]), str(record["action"]),
                       str(record["subject"]), record["before"], record["after"], str(record["prev_hash"]),
                       str(record["hash"]))


def read_jsonl(lines: Iterable[str], file: str) -> Iterator[SealedEvent]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(Problem(f"not JSON: {exc.msg}", Location(file, line=number))) from None
        if not isinstance(record, dict):
            raise InputError(Problem("each line must be a JSON object", Location(file, line=number)))
        yield _event(record, Location(file, line=number))


def read_csv(text: Iterable[str], file: str) -> Iterator[SealedEvent]:
    for number, row in enumerate(csv.DictReader(text), start=2):
        record: dict[str, Any] = dict(row)
        where = Location(file, row=number)
        for column in ("before", "after"):
            try:
                record[column] = json.loads(record.get(column) or "null")
            except json.JSONDecodeError as exc:
                raise InputError(Problem(f"not JSON: {exc.msg}", Location(file, row=number, field=column))) from None
        yield _event(record, where)
