"""Writing command output: to stdout, or atomically to a file (never a partial file).

A new file gets the mode the process's umask allows (0644 under the usual 022), like any file
a shell redirect creates; a replaced file keeps its mode, so a report colleagues can read on a
shared drive stays readable.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import click

from riskscreen.cli.console import colour_enabled, colourise


def _umask() -> int:
    # os.umask can only be read by setting it; put it straight back
    current = os.umask(0o022)
    os.umask(current)
    return current


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def emit(text: str, path: Path | None, *, colour: bool = False) -> None:
    """Print ``text`` or write it to ``path`` via a temporary file renamed into place.

    ``colour``: the text is a plain-text report whose tiers may be coloured on a terminal.
    """
    if path is None:
        if colour and colour_enabled(sys.stdout):
            text = colourise(text)
        click.echo(text, nl=not text.endswith("\n"))
        return
    directory = path.parent if str(path.parent) else Path()
    mode = _mode_for(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        Path(temp_name).chmod(mode)  # mkstemp creates 0600
        Path(temp_name).replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def emit_stream(write: Callable[[TextIO], None], path: Path | None, *, colour: bool = False) -> None:
    """Like :func:`emit`, for output that ``write`` produces piece by piece (a large register)."""
    if path is None:
        if colour and colour_enabled(sys.stdout):
            buffer = io.StringIO()  # a terminal shows a screenful at a time; colour it whole
            write(buffer)
            click.echo(colourise(buffer.getvalue()), nl=False)
            return
        write(sys.stdout)
        sys.stdout.flush()
        return
    directory = path.parent if str(path.parent) else Path()
    mode = _mode_for(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            write(stream)
        Path(temp_name).chmod(mode)  # mkstemp creates 0600
        Path(temp_name).replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
