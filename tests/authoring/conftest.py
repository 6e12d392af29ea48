"""Authoring fixtures: run the CLI in-process from a chosen directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from riskscreen.cli import main

DATA = Path(__file__).parent / "data"
Invoke = Callable[..., Result]


@pytest.fixture
def invoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Invoke]:
    """Run ``riskscreen ARGS`` in ``tmp_path`` (so no project configuration is picked up)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None) -> Result:
        return runner.invoke(main, list(args), input=input, catch_exceptions=True)

    yield run


def no_traceback(result: Result) -> None:
    """The command ended by exiting, not by an exception escaping."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert "Traceback" not in (result.stderr if result.stderr_bytes is not None else "")


def umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
