"""Safe YAML/JSON reading that remembers where each mapping and key came from.

Only ``yaml.SafeLoader`` is used. Mappings come back as :class:`LineDict`, a plain ``dict``
subclass that also records the 1-based line of the mapping and of each key, so that
validation errors can name the exact line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from riskscreen.errors import InputError, Location, Problem, display_path
from riskscreen.inputs.limits import (
    ALIAS_ALLOWANCE,
    MAX_ALIAS_EXPANSION,
    MAX_NESTING_DEPTH,
    MAX_REGISTER_FILE_BYTES,
)

MAX_FILE_BYTES = MAX_REGISTER_FILE_BYTES


class LineDict(dict[str, Any]):
    """A dict that knows the line of itself and of each of its keys."""

    line: int | None = None
    key_lines: dict[str, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines = {}

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A list that knows the line of each item."""

    line: int | None = None
    item_lines: list[int]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_lines = []


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that builds LineDict/LineList, rejects duplicate keys, and refuses nesting
    deeper than MAX_NESTING_DEPTH and aliases that multiply the document (docs/limits.md).

    PyYAML composes and constructs recursively: without the depth limit ``[[[[…]]]]`` ends in
    a RecursionError, and without the expansion limit a few lines of anchors become billions
    of nodes for whatever reads them next.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_NESTING_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested more than {MAX_NESTING_DEPTH} levels deep (see docs/limits.md)",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_document(self, node: Any) -> Any:
        _check_expansion(node)
        return super().construct_document(node)



def _check_expansion(root: yaml.Node) -> None:
    """Refuse a node graph whose aliases expand it far beyond what was written."""
    expanded: dict[int, int] = {}
    written = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:  # iterative post-order: the graph may be deep, and recursion is the attack
        node, children_done = stack.pop()
        if id(node) in expanded:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        if not children_done:
            written += 1
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in expanded)
            continue
        expanded[id(node)] = 1 + sum(expanded.get(id(child), 1) for child in children)
    limit = written * MAX_ALIAS_EXPANSION + ALIAS_ALLOWANCE
    if expanded.get(id(root), 1) > limit:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"aliases expand the document more than {MAX_ALIAS_EXPANSION} times over "
            "(see docs/limits.md)",
            root.start_mark,
        )


def _pairs(loader: Any, node: yaml.MappingNode) -> Iterator[tuple[str, Any, int]]:
    """(key, value, key line) of a mapping node; keys must be plain values and unique."""
    loader.flatten_mapping(node)
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain values", key_node.start_mark
            )
        key_text = str(key)
        if key_text in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key_text}'", key_node.start_mark
            )
        seen.add(key_text)
        yield key_text, loader.construct_object(value_node, deep=True), key_node.start_mark.line + 1


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key, value, line in _pairs(loader, node):
        result[key] = value
        result.key_lines[key] = line
    return result


def construct_plain_mapping(loader: Any, node: yaml.MappingNode) -> dict[str, Any]:
    """A plain dict with the same key rules as :class:`_LineLoader` (for the fast register reader)."""
    return {key: value for key, value, _ in _pairs(loader, node)}


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a text file as UTF-8 (BOM allowed), with a located error for other encodings."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(Problem(f"cannot read file: {exc.strerror}", Location(shown))) from None
    if path.is_dir():
        raise InputError(Problem("is a directory, expected a file", Location(shown)))
    if size > max_bytes:
        raise InputError(
            Problem(
                f"file is too large ({size:,} bytes; limit {max_bytes:,}, see docs/limits.md)",
                Location(shown),
            )
        )
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            Problem(
                "file is not valid UTF-8",
                Location(shown, line=line),
                suggestion="save it as UTF-8",
            )
        ) from None


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML (or JSON, which is YAML) text with line tracking; errors are located."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise InputError(Problem(f"invalid YAML: {reason}", Location(source, line=line))) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(f"invalid YAML: {exc}", Location(source))) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def join_surrogates(data: Any) -> None:
    """Escaped surrogate pairs (``"\\ud800\\udc00"``) as the characters they stand for, in place.

    YAML leaves them as two lone surrogates, which no error message can print; a lone one
    becomes U+FFFD. Mappings and lists are changed in place so their lines stay.
    """
    items: Any = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in list(items):
        if isinstance(value, str):
            if not value.isascii() and _SURROGATE.search(value):
                data[key] = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        elif isinstance(value, (dict, list)):
            join_surrogates(value)


def load_yaml_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Read and parse a YAML or JSON file; an empty file is an error."""
    text = read_text(path, max_bytes)
    shown = display_path(path)
    if path.suffix.lower() == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                Problem(f"invalid JSON: {exc.msg}", Location(shown, line=exc.lineno))
            ) from None
        except RecursionError:
            raise InputError(
                Problem(
                    f"nested more than {MAX_NESTING_DEPTH} levels deep (see docs/limits.md)",
                    Location(shown),
                )
            ) from None
    data = parse_yaml(text, shown)
    if data is None:
        raise InputError(Problem("file is empty", Location(shown)))
    join_surrogates(data)
    return data
