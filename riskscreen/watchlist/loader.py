"""Loading the tag vocabulary and watchlist files, with located, one-line errors."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.suggest import did_you_mean
from riskscreen.inputs.yamlio import LineDict, LineList, load_yaml_file
from riskscreen.watchlist.matcher import WatchlistMatcher
from riskscreen.watchlist.model import WatchlistEntry
from riskscreen.watchlist.scoring import DEFAULT_THRESHOLD

TAGS_FILE = "watchlist_tags.yaml"
WATCHLIST_FILE = "watchlist.yaml"
TAG_ID = re.compile(r"^[a-z][a-z0-9_]*$")
ENTRY_FIELDS = tuple(WatchlistEntry.model_fields)
FILE_KEYS = ("description", "as_of", "entries")


def _entries_of(data: Any, shown: str, what: str) -> LineList:
    """The list of entries: the file itself, or its ``entries`` key."""
    if isinstance(data, LineDict):
        unknown = [key for key in data if key not in FILE_KEYS]
        if unknown:
            raise InputError(
                Problem(
                    f"unknown key '{unknown[0]}' in {what} file",
                    Location(shown, line=data.line_of(unknown[0])),
                    suggestion=did_you_mean(unknown[0], FILE_KEYS, "valid keys"),
                )
            )
        data = data.get("entries")
        if data is None:
            raise InputError(Problem(f"{what} file has no 'entries' list", Location(shown, line=1)))
    if not isinstance(data, LineList):
        line = getattr(data, "line", None)
        raise InputError(
            Problem(f"{what} file must hold a list of entries", Location(shown, line=line))
        )
    return data


def load_tag_vocabulary(taxonomy_dir: Path) -> dict[str, str]:
    """Tag id → description, from ``taxonomy_dir / 'watchlist_tags.yaml'``."""
    path = taxonomy_dir / TAGS_FILE
    shown = display_path(path)
    items = _entries_of(load_yaml_file(path), shown, "tag vocabulary")
    tags: dict[str, str] = {}
    first_line: dict[str, int | None] = {}
    for item, line in zip(items, items.item_lines, strict=True):
        if not isinstance(item, LineDict):
            raise InputError(
                Problem(
                    "a tag must be a mapping with id and description", Location(shown, line=line)
                )
            )
        for key in item:
            if key not in ("id", "description"):
                raise InputError(
                    Problem(
                        f"unknown field '{key}'",
                        Location(shown, line=item.line_of(key)),
                        suggestion=did_you_mean(key, ("id", "description")),
                    )
                )
        tag_id, description = item.get("id"), item.get("description")
        if not isinstance(tag_id, str) or not TAG_ID.match(tag_id):
            raise InputError(
                Problem(
                    "tag id must be snake_case text",
                    Location(shown, line=item.line_of("id"), field="id"),
                    value=tag_id,
                )
            )
        if not isinstance(description, str) or not description.strip():
            raise InputError(
                Problem(
                    f"tag '{tag_id}' needs a description",
                    Location(shown, line=item.line, field="description"),
                )
            )
        if tag_id in tags:
            raise InputError(
                Problem(
                    f"duplicate tag id '{tag_id}' (first defined at {shown}:{first_line[tag_id]})",
                    Location(shown, line=item.line_of("id"), field="id"),
                )
            )
        tags[tag_id] = " ".join(description.split())
        first_line[tag_id] = item.line_of("id")
    return tags


def _field_path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_for(item: LineDict, loc: tuple[int | str, ...]) -> int | None:
    if not loc:
        return item.line
    line = item.line_of(str(loc[0]))
    value = item.get(str(loc[0]))
    index = loc[1] if len(loc) > 1 else None
    if isinstance(index, int) and isinstance(value, LineList) and index < len(value.item_lines):
        line = value.item_lines[index]
    return line


def _validation_problems(exc: ValidationError, item: LineDict, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        field = _field_path(loc) or None
        where = Location(shown, line=_line_for(item, loc), field=field)
        kind = error["type"]
        if kind == "missing":
            problems.append(Problem(f"missing required field '{field}'", where))
        elif kind == "extra_forbidden":
            problems.append(
                Problem(
                    f"unknown field '{field}'",
                    where,
                    suggestion=did_you_mean(field, ENTRY_FIELDS, "valid fields"),
                )
            )
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            value = error.get("input")
            shown_value = value if isinstance(value, (str, int, float, bool)) else None
            problems.append(Problem(message, where, value=shown_value))
    return problems


def load_watchlist_file(
    path: Path, vocabulary: dict[str, str]
) -> list[tuple[WatchlistEntry, int | None]]:
    """Validated entries of one watchlist file, each with the line it starts on."""
    shown = display_path(path)
    data = load_yaml_file(path)
    items = _entries_of(data, shown, "watchlist")
    default_as_of = data.get("as_of") if isinstance(data, LineDict) else None
    problems: list[Problem] = []
    entries: list[tuple[WatchlistEntry, int | None]] = []
    for item, line in zip(items, items.item_lines, strict=True):
        if not isinstance(item, LineDict):
            problems.append(
                Problem(
                    "a watchlist entry must be a mapping", Location(shown, line=line), value=item
                )
            )
            continue
        raw = dict(item)
        if default_as_of is not None and "as_of" not in raw:
            raw["as_of"] = default_as_of
        try:
            entry = WatchlistEntry.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_validation_problems(exc, item, shown))
            continue
        tag_lines = item.get("tags")
        for position, tag in enumerate(entry.tags):
            if tag not in vocabulary:
                tag_line = (
                    tag_lines.item_lines[position]
                    if isinstance(tag_lines, LineList)
                    else item.line_of("tags")
                )
                problems.append(
                    Problem(
                        f"unknown tag '{tag}'",
                        Location(shown, line=tag_line, field=f"tags[{position}]"),
                        suggestion=did_you_mean(tag, vocabulary, f"known tags (see {TAGS_FILE})"),
                    )
                )
        entries.append((entry, item.line_of("id") if "id" in item else item.line))
    if problems:
        raise InputError(problems)
    return entries


def load_watchlists(
    taxonomy_dir: Path,
    extra: Sequence[Path] = (),
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> WatchlistMatcher:
    """The bundled ``watchlist.yaml`` (if present) plus each extra file, as one matcher."""
    vocabulary = load_tag_vocabulary(taxonomy_dir)
    files = [taxonomy_dir / WATCHLIST_FILE] if (taxonomy_dir / WATCHLIST_FILE).exists() else []
    files.extend(extra)
    seen: dict[str, str] = {}
    entries: list[WatchlistEntry] = []
    problems: list[Problem] = []
    for path in files:
        shown = display_path(path)
        for entry, line in load_watchlist_file(path, vocabulary):
            if entry.id in seen:
                problems.append(
                    Problem(
                        f"duplicate id '{entry.id}' (first defined at {seen[entry.id]})",
                        Location(shown, line=line, field="id"),
                        suggestion="give each entry a unique id",
                    )
                )
                continue
            seen[entry.id] = f"{shown}:{line}" if line is not None else shown
            entries.append(entry)
    if problems:
        raise InputError(problems)
    return WatchlistMatcher(entries, threshold=threshold)
