"""Writing command output: to stdout, or atomically to a file (never a partial file)."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import click


def emit(text: str, path: Path | None) -> None:
    """Print ``text`` or write it to ``path`` via a temporary file renamed into place."""
    if path is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    directory = path.parent if str(path.parent) else Path()
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        Path(temp_name).replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def emit_stream(write: Callable[[TextIO], None], path: Path | None) -> None:
    """Let ``write`` produce the output on stdout, or on a temporary file renamed to ``path``."""
    if path is None:
        write(sys.stdout)
        sys.stdout.flush()
        return
    directory = path.parent if str(path.parent) else Path()
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            write(stream)
        Path(temp_name).replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
