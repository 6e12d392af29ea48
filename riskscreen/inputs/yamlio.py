"""Safe YAML/JSON reading that remembers where each mapping and key came from.

Only safe construction is used (``SafeConstructor``, no Python tags). Mappings come back as
:class:`LineDict`, a plain ``dict`` subclass that also records the 1-based line of the mapping
and of each key, so that validation errors can name the exact line.

Text is parsed by LibYAML where PyYAML was built with it (scanning and composing in C is about
ten times faster, which is most of a screening's start-up) and by the pure-Python parser
otherwise. Both give the same nodes and marks; any document LibYAML refuses is parsed again by
the pure-Python loader, so every error message is the one that loader gives.
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
    of nodes for whatever reads them next. Its error messages are the ones users see (see
    :func:`parse_yaml`).
    """

    _depth = 0
    # False when the text has no '&': without an anchor there is no alias, so nothing to expand.
    may_alias = True

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
        if self.may_alias:
            _check_expansion(node)
        return super().construct_document(node)


class _TooDeep(yaml.YAMLError):
    """Nesting past the limit under LibYAML; the pure-Python loader then says where."""


_FAST_LOADER: type[Any] | None = None  # the LibYAML loader, where PyYAML has it

if yaml.__with_libyaml__:

    class _CLineLoader(yaml.CSafeLoader):
        """LibYAML scanning, parsing and composing, with the same constructors and limits.

        LibYAML composes in C but asks the resolver to descend into every node, key or value,
        as the pure-Python composer calls ``compose_node``: that is where depth is counted, so
        C never recurses past the limit.
        """

        _depth = 0
        may_alias = True

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            self._depth += 1
            if self._depth > MAX_NESTING_DEPTH:
                raise _TooDeep()
            if self.yaml_path_resolvers:  # none are added, so this is one call less per node
                super().descend_resolver(current_node, current_index)

        def ascend_resolver(self) -> None:
            self._depth -= 1
            if self.yaml_path_resolvers:
                super().ascend_resolver()

        def construct_document(self, node: Any) -> Any:
            if self.may_alias:
                _check_expansion(node)
            return super().construct_document(node)

    _FAST_LOADER = _CLineLoader



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


_STR = "tag:yaml.org,2002:str"


def _construct(loader: Any, node: yaml.Node) -> Any:
    # A string scalar is its text (what SafeConstructor returns for it) without the bookkeeping
    # of construct_object, which is most of the constructing time for a rule pack.
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    return loader.construct_object(node, deep=True)


def _pairs(loader: Any, node: yaml.MappingNode) -> Iterator[tuple[str, Any, int]]:
    """(key, value, key line) of a mapping node; keys must be plain values and unique."""
    loader.flatten_mapping(node)
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
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
        yield key_text, _construct(loader, value_node), key_node.start_mark.line + 1


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key, value, line in _pairs(loader, node):
        result[key] = value
        result.key_lines[key] = line
    return result


def construct_plain_mapping(loader: Any, node: yaml.MappingNode) -> dict[str, Any]:
    """A plain dict with the same key rules as :class:`_LineLoader` (for the fast register reader)."""
    return {key: value for key, value, _ in _pairs(loader, node)}


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    result = LineList(_construct(loader, child) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


for _loader in (_LineLoader, _FAST_LOADER):
    if _loader is not None:
        _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
        _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


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
    if _FAST_LOADER is not None:
        loader = _FAST_LOADER(text)
        loader.may_alias = "&" in text
        try:
            return loader.get_single_data()
        except (yaml.YAMLError, UnicodeError):
            pass  # LibYAML's messages differ: the pure-Python loader reports the problem
        finally:
            loader.dispose()
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
    if "\\" in text:  # a surrogate can only come from an escape such as "\\ud800"
        join_surrogates(data)
    return data
