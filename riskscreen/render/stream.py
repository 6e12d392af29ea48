"""Streaming register writers: entries are written as they are produced, the document at the end.

Each writer appends one entry at a time to a spool file on disk (so memory does not grow with
the register) and, once the register is done, writes the whole document — head with the
summary, the spooled body, tail — to its destination. An invalid register never reaches
``finish``, so no partial output is written.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, TextIO

from riskscreen.errors import RiskscreenError

if TYPE_CHECKING:
    from riskscreen.registers.pipeline import RegisterEntry, RegisterOutcome
    from riskscreen.render.options import RenderOptions

Detail = Literal["summary", "failing", "all"]

REGISTER_WRITERS: dict[str, str] = {
    "text": "riskscreen.render.register_text:TextWriter",
    "json": "riskscreen.render.register_json:JsonWriter",
    "jsonl": "riskscreen.render.register_json:JsonLinesWriter",
    "sarif": "riskscreen.render.sarif:SarifWriter",
    "junit": "riskscreen.render.junit:JUnitWriter",
    "github": "riskscreen.render.github:GithubWriter",
    "html": "riskscreen.render.register_html:HtmlWriter",
}


@dataclass(frozen=True)
class RegisterContext:
    """What a writer knows before the first entry."""

    register_path: str
    as_of: date
    fail_on: str
    options: RenderOptions
    detail: Detail = "failing"


class Spool:
    """A text file on disk that collects a part of the output until the document is written."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115
        self.written = False

    def write(self, text: str) -> None:
        self._file.write(text)
        self.written = True

    def copy_to(self, out: TextIO) -> None:
        self._file.flush()
        self._file.seek(0)
        shutil.copyfileobj(self._file, out, 1 << 20)

    def lines(self) -> Any:
        self._file.flush()
        self._file.seek(0)
        return self._file

    def close(self) -> None:
        self._file.close()


class RegisterWriter:
    """Base writer: ``add`` each entry in register order, then ``finish`` once."""

    def __init__(self, context: RegisterContext) -> None:
        self.context = context
        self.body = Spool()

    def add(self, entry: RegisterEntry) -> None:
        raise NotImplementedError

    def finish(self, outcome: RegisterOutcome, out: TextIO) -> None:
        raise NotImplementedError

    def restart(self) -> None:
        """Start again empty: every writer's state is made in ``__init__``."""
        self.close()
        self.__init__(self.context)  # type: ignore[misc]

    def close(self) -> None:
        self.body.close()


def open_writer(fmt: str, context: RegisterContext) -> RegisterWriter:
    target = REGISTER_WRITERS.get(fmt)
    if target is None:
        raise RiskscreenError(f"unknown format '{fmt}' for a register")
    module_name, _, name = target.partition(":")
    writer: type[RegisterWriter] = getattr(importlib.import_module(module_name), name)
    return writer(context)


__all__ = ["REGISTER_WRITERS", "Detail", "RegisterContext", "RegisterWriter", "Spool", "open_writer"]
