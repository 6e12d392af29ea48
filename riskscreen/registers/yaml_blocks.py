"""Block-style YAML registers through LibYAML, one list item per document.

Most registers are a block list (``- id: …`` at one indentation, under ``engagements:`` or at
the top). Each item is cut out by its indentation and parsed by LibYAML as a document of its
own when its fields are first read — by the worker process that screens it, when the register
is screened in parallel — so scanning, parsing and composing run in C, off the reading process,
and memory holds one item. A file laid out any other way goes to the event-based reader; an item
that fails to parse makes the pipeline re-read the register with the exact reader, which
reports every problem at its line and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import yaml

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.yamlio import construct_plain_mapping
from riskscreen.models.register import SourceLocation
from riskscreen.registers.rows import LazyRow, RegisterRow

REGISTER_KEY = "engagements"
_ITEM = re.compile(r"( *)-( |$)")
# An anchor or alias (``&id001`` / ``*id001``, as PyYAML writes shared lists) can tie items
# together, so such a file is read as one document by the event-based reader. Text that merely
# looks like one only costs that slower reader.
_ANCHOR = re.compile(rb"(?:^|[\s\[{,])[&*][^\s,\]}]", re.MULTILINE)
_READ = 1 << 16


class _Loader(yaml.CSafeLoader):
    """LibYAML with the exact reader's key rules (plain, unique keys)."""


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_plain_mapping)


class _Unusual(Exception):
    """Not a plain block list; another reader takes over."""


def _insignificant(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


class _Items:
    """The register's items as a stream of one-item YAML documents, lines noted as they go."""

    def __init__(self, lines: Iterator[tuple[int, str]], indent: int, first: tuple[int, str]) -> None:
        self._lines = lines
        self._indent = indent
        self._pending: tuple[int, str] | None = first
        self.start = first[0]  # line of the item last cut out
        self.trailing: int | None = None  # line of content after the list, if any

    def next_item(self) -> str | None:
        if self._pending is None:
            return None
        start, text = self._pending
        self._pending = None
        parts = [text[self._indent:]]
        for number, line in self._lines:
            match = _ITEM.match(line)
            if match is not None and len(match.group(1)) == self._indent:
                self._pending = (number, line)
                break
            if _insignificant(line):
                parts.append(line[self._indent:] if line[: self._indent].isspace() else line.lstrip(" "))
                continue
            if not line[: self._indent + 1].isspace():
                self.trailing = number  # the list has ended: something else follows
                break
            parts.append(line[self._indent:])
        self.start = start
        return "".join(parts)


def _numbered(stream: TextIO) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, start=1):
        yield number, line if line.endswith("\n") else line + "\n"


def _first_item(lines: Iterator[tuple[int, str]]) -> tuple[int, str, int]:
    """The first item's line number, text and indentation; _Unusual for any other layout."""
    under_key = False
    for number, line in lines:
        if _insignificant(line) or (not under_key and line.rstrip() == "---"):
            continue
        match = _ITEM.match(line)
        if match is not None and (under_key or not match.group(1)):
            return number, line, len(match.group(1))
        if not under_key and line.rstrip() == f"{REGISTER_KEY}:":
            under_key = True
            continue
        raise _Unusual(line)
    raise _Unusual("no items")


def _has_anchors(path: Path) -> bool:
    tail = b""
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            if _ANCHOR.search(tail + chunk):
                return True
            tail = chunk[-1:]
    return False


def read_block_register(path: Path) -> Iterator[RegisterRow]:
    shown = display_path(path)
    with path.open(encoding="utf-8-sig", newline="") as stream:
        lines = _numbered(stream)
        try:
            if _has_anchors(path):
                raise _Unusual("anchors")
            number, line, indent = _first_item(lines)
        except (_Unusual, UnicodeDecodeError):
            from riskscreen.registers.yaml_json import read_yaml_register

            yield from read_yaml_register(path, fast=True)
            return
        items = _Items(lines, indent, (number, line))
        try:
            while (text := items.next_item()) is not None:
                yield RegisterRow(YamlItem(text, items.start), SourceLocation.model_construct(file=shown, line=items.start))
        except UnicodeDecodeError:
            yield _problem(shown, items.start, "invalid YAML")
            return
        if items.trailing is not None:
            yield _problem(shown, items.trailing, "content after the list of engagements")


class YamlItem(LazyRow):
    """One list item's YAML text, parsed by LibYAML when its fields are first read."""

    __slots__ = ("_line", "_text")

    def __init__(self, text: str, line: int) -> None:
        super().__init__()
        self._text = text
        self._line = line

    def _convert(self) -> dict[str, Any]:
        try:
            document = yaml.load(self._text, Loader=_Loader)
        except yaml.YAMLError:
            raise InputError(Problem("invalid YAML", Location(None, line=self._line))) from None
        item = document[0] if isinstance(document, list) and len(document) == 1 else None
        if not isinstance(item, dict):
            raise InputError(Problem("an engagement must be a mapping of fields", Location(None, line=self._line)))
        return item

    def __reduce__(self) -> tuple[Any, ...]:
        return YamlItem, (self._text, self._line)


def _problem(shown: str, line: int, message: str) -> RegisterRow:
    return RegisterRow(None, SourceLocation(file=shown, line=line), (Problem(message, Location(shown, line=line)),))


def fast_yaml_available() -> bool:
    return bool(yaml.__with_libyaml__)


__all__ = ["fast_yaml_available", "read_block_register"]
