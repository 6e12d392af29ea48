"""JSON registers through the standard library's C parser, one list item at a time.

The file is decoded in chunks and each item of the top-level list is parsed with
``JSONDecoder.raw_decode``; the item's line comes from counting newlines up to it, which costs
one C scan of the text. A file that is not a plain list goes to the YAML reader; an invalid
item is reported at its line, and the pipeline re-reads an invalid register with the YAML
reader, whose errors name the exact line and field.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from riskscreen.errors import Location, Problem, display_path
from riskscreen.models.register import SourceLocation
from riskscreen.registers.rows import RegisterRow

_CHUNK = 1 << 20
_SPACE = re.compile(r"[ \t\n\r]*")


class _Unusual(Exception):
    """The file is not a plain JSON list of objects; the exact reader takes over."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _Unusual("duplicate key")
    return data


class _Text:
    """Decoded text of a file, read a chunk at a time, with a cursor and its line number."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self._counted = 0  # buffer offset up to which newlines are counted into self.line
        self.line = 1

    def more(self) -> bool:
        if self.eof:
            return False
        chunk = self._stream.read(_CHUNK)
        try:
            text = self._decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            raise _Unusual("not UTF-8") from None
        if not chunk:
            self.eof = True
        # drop what has been read so memory stays one chunk or item wide
        self.line += self.buffer.count("\n", self._counted, self.pos)
        self.buffer = self.buffer[self.pos:] + text
        self.pos = self._counted = 0
        return True

    def skip_space(self) -> str:
        """The next non-space character ('' at the end of the file)."""
        while True:
            self.pos = _SPACE.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.more():
                return ""

    def line_here(self) -> int:
        self.line += self.buffer.count("\n", self._counted, self.pos)
        self._counted = self.pos
        return self.line


def read_json_register(path: Path) -> Iterator[RegisterRow]:
    """Stream a JSON list of engagements; anything else goes to the (LibYAML) YAML reader."""
    shown = display_path(path)
    yielded = False
    decoder = json.JSONDecoder(object_pairs_hook=_unique)
    with path.open("rb") as stream:
        text = _Text(stream)
        try:
            if text.skip_space() != "[":
                raise _Unusual("not a list")
            text.pos += 1
            if text.skip_space() == "]":
                return
            while True:
                line = text.line_here()
                item = _decode(text, decoder)
                location = SourceLocation.model_construct(file=shown, line=line)  # typed already: no validation per row
                if not isinstance(item, dict):
                    yield RegisterRow(None, location, (Problem(
                        "an engagement must be a mapping of fields", Location(shown, line=line),
                        value=type(item).__name__),))
                else:
                    yield RegisterRow(item, location)
                yielded = True
                separator = text.skip_space()
                text.pos += 1
                if separator == "]":
                    break
                if separator != ",":
                    raise _Unusual("expected ',' or ']'")
                text.skip_space()
            if text.skip_space() != "":
                raise _Unusual("text after the list")
        except _Unusual:
            if not yielded:
                from riskscreen.registers.yaml_json import read_yaml_register

                yield from read_yaml_register(path, fast=True)
                return
            yield RegisterRow(None, SourceLocation(file=shown), (Problem(
                "not a plain JSON list of engagements", Location(shown)),))


def _decode(text: _Text, decoder: json.JSONDecoder) -> Any:
    while True:
        try:
            item, end = decoder.raw_decode(text.buffer, text.pos)
        except json.JSONDecodeError:
            if text.more():
                continue  # the item runs past this chunk
            raise _Unusual("invalid JSON") from None
        if end == len(text.buffer) and text.more():
            continue  # a number or literal might go on in the next chunk
        text.pos = end
        return item
