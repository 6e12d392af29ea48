"""Exceptions raised by the riskscreen core.

The core never prints or exits; the CLI turns these into one-line messages and exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and optionally a line (YAML/JSON) or row (CSV/XLSX) and a field."""

    file: str | None = None
    line: int | None = None
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            place = self.file
            if self.line is not None:
                place += f":{self.line}"
            elif self.row is not None:
                place += f": row {self.row}"
            parts.append(place)
        elif self.line is not None:
            parts.append(f"line {self.line}")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)


class RiskscreenError(Exception):
    """Base class for every error riskscreen raises on purpose."""


@dataclass
class Problem:
    """One located problem: what is wrong, the bad value and what to write instead."""

    message: str
    location: Location = Location()
    value: object = None
    suggestion: str | None = None

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if str(self.location) else self.message
        if self.value is not None:
            text += f" (got {self.value!r})"
        if self.suggestion:
            text += f"; {self.suggestion}"
        return text


class LocatedError(RiskscreenError):
    """An error made of one or more located problems."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__(str(self.problems[0]))

    def __str__(self) -> str:
        first = str(self.problems[0])
        if len(self.problems) > 1:
            first += f" (and {len(self.problems) - 1} more problem(s))"
        return first


class InputError(LocatedError):
    """The user's engagement, register, waiver or watchlist file is invalid."""


class RulePackError(LocatedError):
    """A rule pack or taxonomy directory is invalid."""


def display_path(path: Path | str) -> str:
    """A path as the user typed it, with forward slashes so messages read the same everywhere."""
    return str(path).replace("\\", "/")
