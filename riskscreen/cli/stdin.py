"""``-`` as a register: standard input spooled to a file the register readers can stream.

The readers choose a format by suffix, so the format is recognised from the first bytes (an XLSX
file is a ZIP archive; JSON starts with ``{`` or ``[``; a first line with commas and no colon is
a CSV header; anything else is YAML). Messages name the input ``<stdin>``.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from riskscreen.errors import InputError, Location, Problem
from riskscreen.inputs.limits import MAX_REGISTER_FILE_BYTES

SHOWN = "<stdin>"


class _StdinPath(type(Path())):  # type: ignore[misc]
    """A spooled file that reports itself as ``<stdin>`` in messages."""

    _real = ""

    def __str__(self) -> str:
        return SHOWN

    def __fspath__(self) -> str:
        # paths derived from this one (``.parent``) are ordinary paths again
        return self._real or PurePosixPath(*self.parts).as_posix()


def _suffix(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return ".xlsx"
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text[:1] in ("{", "["):
        return ".json"
    first = text.split("\n", 1)[0]
    if "," in first and ":" not in first:
        return ".csv"
    return ".yaml"


@contextmanager
def stdin_register() -> Iterator[Path]:
    data: Any = sys.stdin.buffer.read(MAX_REGISTER_FILE_BYTES + 1)
    if len(data) > MAX_REGISTER_FILE_BYTES:
        raise InputError(Problem(f"input is too large (limit {MAX_REGISTER_FILE_BYTES:,} bytes; see "
                                 "docs/limits.md)", Location(SHOWN)))
    with tempfile.TemporaryDirectory(prefix="riskscreen-stdin-") as directory:
        real = str(Path(directory) / ("stdin" + _suffix(data[:4096])))
        Path(real).write_bytes(data)
        path = _StdinPath(real)
        path._real = real
        yield path
