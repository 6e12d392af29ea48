"""Dates in input: YYYY-MM-DD only, with the ISO form suggested for a day/month/year date."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic_core import PydanticCustomError

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
EXPECTED = "expected a date written YYYY-MM-DD"


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def iso_hint(text: str) -> str | None:
    """For a UK-style day/month/year date, the ISO form (spelt out when it could be read both ways)."""
    match = _DAY_FIRST.match(text.strip())
    if not match:
        return None
    first, second, year = (int(part) for part in match.groups())
    uk = _valid(year, second, first)
    if uk is None:
        return None
    if first <= 12 and first != second:  # 01/06/2035 could be a US-style date too
        return f"if you mean {uk.day} {uk:%B %Y}, write {uk.isoformat()}"
    return f"did you mean {uk.isoformat()}?"


def parse_date_text(value: Any) -> Any:
    """A pydantic 'before' validator: leave dates and ISO text to pydantic, explain the rest."""
    if not isinstance(value, str) or _ISO.match(value.strip()):
        return value.strip() if isinstance(value, str) else value
    raise PydanticCustomError(
        "located",
        EXPECTED,
        {"reason": EXPECTED, "value": value[:40], "suggestion": iso_hint(value)},
    )
