"""The reviewers' queue as a query: filters and sort read from a URL's parameters and written back
in one canonical order, so a filtered view can be bookmarked and shared (saved filters in the URL).

The database layer turns a :class:`QueueQuery` into SQL; this module only knows which values are
valid and how they round-trip through a query string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from riskscreen.errors import Location, Problem
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.models.base import RISK_TYPES, TIER_ORDER
from riskscreen.workflow.clock import ClockStatus
from riskscreen.workflow.machine import OPEN_STATES, State

SORTS = ("clock", "tier", "submitted", "updated", "organisation", "reference")
ASSIGNEE_SPECIAL = ("me", "nobody")
PER_PAGE_CHOICES = (25, 50, 100)
QUEUE_STATES = tuple(s.value for s in State if s is not State.DRAFT)
DEFAULT_STATES = tuple(sorted(s.value for s in OPEN_STATES))


@dataclass(frozen=True)
class QueueQuery:
    tiers: tuple[str, ...] = ()
    states: tuple[str, ...] = DEFAULT_STATES
    organisations: tuple[int, ...] = ()
    countries: tuple[str, ...] = ()
    risk_types: tuple[str, ...] = ()
    assignee: str = ""  # "", "me", "nobody" or a user id
    clock: tuple[str, ...] = ()
    flagged: bool = False
    text: str = ""
    sort: str = "clock"
    descending: bool = False
    page: int = 1
    per_page: int = 25
    problems: tuple[Problem, ...] = field(default=(), compare=False)

    def params(self) -> list[tuple[str, str]]:
        """The query as URL parameters in a fixed order, defaults left out."""
        out: list[tuple[str, str]] = []
        out += [("tier", t) for t in self.tiers]
        if self.states != DEFAULT_STATES:
            out += [("state", s) for s in self.states] or [("state", "any")]
        out += [("organisation", str(o)) for o in self.organisations]
        out += [("country", c) for c in self.countries]
        out += [("risk_type", r) for r in self.risk_types]
        if self.assignee:
            out.append(("assignee", self.assignee))
        out += [("clock", c) for c in self.clock]
        if self.flagged:
            out.append(("flagged", "1"))
        if self.text:
            out.append(("q", self.text))
        if (self.sort, self.descending) != ("clock", False):
            out.append(("sort", ("-" if self.descending else "") + self.sort))
        if self.per_page != 25:
            out.append(("per_page", str(self.per_page)))
        if self.page != 1:
            out.append(("page", str(self.page)))
        return out

    def url(self, **changes: object) -> str:
        """``?…`` for this query with some fields changed; changing a filter goes back to page 1."""
        changed = replace(self, **changes) if changes else self  # type: ignore[arg-type]
        if changes and "page" not in changes:
            changed = replace(changed, page=1)
        text = urlencode(changed.params())
        return "?" + text if text else "?"


def _values(params: Mapping[str, Sequence[str]], name: str) -> list[str]:
    return [v.strip() for v in params.get(name, ()) if v.strip()]


def _choose(params: Mapping[str, Sequence[str]], name: str, valid: Iterable[str],
            problems: list[Problem], *, upper: bool = False) -> tuple[str, ...]:
    allowed = list(valid)
    chosen: list[str] = []
    for value in _values(params, name):
        value = value.upper() if upper else value
        if value in allowed:
            if value not in chosen:
                chosen.append(value)
        else:
            problems.append(Problem(f"unknown {name.replace('_', ' ')}", Location(field=name), value=value,
                                    suggestion=did_you_mean(value, allowed, f"{name.replace('_', ' ')}s")))
    return tuple(sorted(chosen, key=allowed.index))


def _number(params: Mapping[str, Sequence[str]], name: str, default: int, problems: list[Problem],
            choices: Sequence[int] | None = None) -> int:
    values = _values(params, name)
    if not values:
        return default
    text = values[-1]
    if not text.isdigit() or int(text) < 1 or (choices is not None and int(text) not in choices):
        hint = f"use one of {', '.join(map(str, choices))}" if choices else "use a whole number from 1"
        problems.append(Problem(f"not a valid {name.replace('_', ' ')}", Location(field=name), value=text,
                                suggestion=hint))
        return default
    return int(text)


def parse_query(params: Mapping[str, Sequence[str]], *, countries: Iterable[str],
                organisations: Iterable[int]) -> QueueQuery:
    """Read the queue's URL parameters. A value that is not valid is left out and reported (the
    page shows what was ignored) rather than failing the whole page."""
    problems: list[Problem] = []
    states_given = _values(params, "state")
    states: tuple[str, ...]
    if states_given == ["any"]:
        states = ()
    elif states_given:
        states = _choose(params, "state", QUEUE_STATES, problems)
    else:
        states = DEFAULT_STATES
    known_orgs = [str(o) for o in organisations]
    assignee_values = _values(params, "assignee")
    assignee = assignee_values[-1] if assignee_values else ""
    if assignee and assignee not in ASSIGNEE_SPECIAL and not assignee.isdigit():
        problems.append(Problem("unknown assignee", Location(field="assignee"), value=assignee,
                                suggestion="use 'me', 'nobody' or a user"))
        assignee = ""
    sort_values = _values(params, "sort")
    sort_text = sort_values[-1] if sort_values else "clock"
    descending = sort_text.startswith("-")
    sort = sort_text.lstrip("-")
    if sort not in SORTS:
        problems.append(Problem("unknown sort", Location(field="sort"), value=sort_text,
                                suggestion=did_you_mean(sort, SORTS, "sorts")))
        sort, descending = "clock", False
    text_values = _values(params, "q")
    return QueueQuery(
        tiers=_choose(params, "tier", TIER_ORDER, problems),
        states=states,
        organisations=tuple(int(o) for o in _choose(params, "organisation", known_orgs, problems)),
        countries=_choose(params, "country", sorted(countries), problems, upper=True),
        risk_types=_choose(params, "risk_type", RISK_TYPES, problems),
        assignee=assignee,
        clock=_choose(params, "clock", [s.value for s in ClockStatus if s is not ClockStatus.STOPPED], problems),
        flagged=bool(_values(params, "flagged")) and _values(params, "flagged")[-1] in ("1", "true", "yes"),
        text=text_values[-1][:200] if text_values else "",
        sort=sort,
        descending=descending,
        page=_number(params, "page", 1, problems),
        per_page=_number(params, "per_page", 25, problems, PER_PAGE_CHOICES),
        problems=tuple(problems),
    )
