"""YAML and JSON registers, streamed one engagement at a time.

A register is a list of engagements or a mapping with ``engagements:``. Rather than building the
whole document, the loader walks the parser's events and composes one list item at a time, so
memory stays flat however long the register is. Items keep line numbers (LineDict/LineList)
so validation errors point at the exact line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.resolver import Resolver

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.yamlio import _LineLoader, construct_plain_mapping
from riskscreen.models.register import SourceLocation
from riskscreen.registers.rows import RegisterRow

REGISTER_KEY = "engagements"


def _yaml_error(exc: yaml.YAMLError, shown: str) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        # raised for bytes that are not UTF-8/UTF-16, or for control characters YAML forbids
        if exc.encoding != "unicode":  # PyYAML's marker for a decoded character it refuses
            return InputError(Problem("file is not valid UTF-8", Location(shown), suggestion="save it as UTF-8"))
        return InputError(Problem("file holds a control character YAML does not allow", Location(shown),
                                  value=f"U+{exc.character:04X}",
                                  suggestion="remove it, or save the file as plain UTF-8 text"))
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return InputError(Problem(f"invalid YAML: {exc.problem or exc.context or 'syntax error'}",
                                  Location(shown, line=line)))
    return InputError(Problem(f"invalid YAML: {exc}", Location(shown)))


class _JsonAsYaml:
    """A binary stream with tabs turned into spaces.

    JSON allows tabs between tokens, YAML does not; valid JSON has no literal tab inside a
    string, so the swap changes nothing else.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size).replace(b"\t", b" ")


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _FastLoader(CParser, Composer, SafeConstructor, Resolver):
        """LibYAML's scanner and parser with PyYAML's composer, one list item at a time.

        Items come back as plain dicts with only the item's line; the pipeline re-reads a
        register with :class:`_LineLoader` when it needs each field's line for an error.
        """

        def __init__(self, stream: Any) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    _FastLoader.add_constructor(Resolver.DEFAULT_MAPPING_TAG, construct_plain_mapping)


def read_yaml_register(path: Path, fast: bool = False) -> Iterator[RegisterRow]:
    """Stream a YAML or JSON register; ``fast`` uses LibYAML and keeps only each item's line."""
    shown = display_path(path)
    with path.open("rb") as raw:
        stream: Any = _JsonAsYaml(raw) if path.suffix.lower() == ".json" else raw
        try:
            # the loader reads (and decodes) the first chunk as it is built
            loader = _FastLoader(stream) if fast and yaml.__with_libyaml__ else _LineLoader(stream)
        except yaml.YAMLError as exc:
            raise _yaml_error(exc, shown) from None
        try:
            yield from _rows(loader, shown)
        except yaml.YAMLError as exc:
            raise _yaml_error(exc, shown) from None
        finally:
            loader.dispose()


# PyYAML's event API is untyped; the loader is passed as Any rather than casting every call.
def _rows(loader: Any, shown: str) -> Iterator[RegisterRow]:
    loader.get_event()  # stream start
    if loader.check_event(StreamEndEvent):
        return
    loader.get_event()  # document start
    if loader.check_event(SequenceStartEvent):
        yield from _items(loader, shown)
    elif loader.check_event(MappingStartEvent):
        start = loader.get_event()
        found = False
        while not loader.check_event(MappingEndEvent):
            key_node = loader.compose_node(None, None)
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key == REGISTER_KEY and loader.check_event(SequenceStartEvent):
                found = True
                yield from _items(loader, shown)
                continue
            loader.compose_node(None, None)  # skip the value
            problem = (Problem(f"'{REGISTER_KEY}' must be a list of engagements", Location(shown, line=line))
                       if key == REGISTER_KEY else
                       Problem("unknown top-level key", Location(shown, line=line, field=str(key)),
                               suggestion=f"a register mapping holds only '{REGISTER_KEY}:'"))
            found = found or key == REGISTER_KEY
            yield RegisterRow(None, SourceLocation(file=shown, line=line), (problem,))
        loader.get_event()
        if not found:
            yield RegisterRow(None, SourceLocation(file=shown, line=start.start_mark.line + 1), (
                Problem(f"no '{REGISTER_KEY}:' list", Location(shown, line=start.start_mark.line + 1),
                        suggestion=f"put the engagements in a list under '{REGISTER_KEY}:'"),))
    else:
        node = loader.compose_node(None, None)
        line = node.start_mark.line + 1
        if not (isinstance(node, yaml.ScalarNode) and node.value == "" and node.tag.endswith(":null")):
            yield RegisterRow(None, SourceLocation(file=shown, line=line), (
                Problem(f"a register must be a list of engagements or a mapping with '{REGISTER_KEY}:'",
                        Location(shown, line=line)),))
    loader.get_event()  # document end
    if not loader.check_event(StreamEndEvent):
        line = loader.peek_event().start_mark.line + 1
        raise InputError(Problem("a register file holds one YAML document", Location(shown, line=line),
                                 suggestion="remove the '---' separators and list every engagement once"))


def _items(loader: Any, shown: str) -> Iterator[RegisterRow]:
    loader.get_event()  # sequence start
    index = 0
    while not loader.check_event(SequenceEndEvent):
        node = loader.compose_node(None, index)
        data: Any = loader.construct_document(node)
        line = node.start_mark.line + 1
        index += 1
        if isinstance(data, dict):
            yield RegisterRow(data, SourceLocation(file=shown, line=line))
        else:
            yield RegisterRow(None, SourceLocation(file=shown, line=line), (
                Problem("an engagement must be a mapping of fields", Location(shown, line=line),
                        value=type(data).__name__),))
    loader.get_event()  # sequence end


__all__ = ["read_yaml_register"]
