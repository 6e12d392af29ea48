"""``riskscreen audit verify|export``: the review service's audit trail from the command line.

The database packages are imported inside the commands, so the rest of the CLI (and a
``pip install riskscreen`` without the web extra) never loads them.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from riskscreen.errors import InputError, Location, Problem, RiskscreenError, display_path

DATABASE_URL_ENV = "RISKSCREEN_DATABASE_URL"
_INSTALL_HINT = "the review service's database needs the web extra: pip install 'riskscreen[web]'"


@contextmanager
def _connected(url: str | None, *, write: bool = False) -> Iterator[Any]:
    """A connection to the service's database (a transaction when writing); database failures
    become one-line errors, not tracebacks."""
    try:
        from sqlalchemy import create_engine
        from sqlalchemy.exc import ArgumentError, SQLAlchemyError
    except ImportError:
        raise RiskscreenError(_INSTALL_HINT) from None
    chosen = url or os.environ.get(DATABASE_URL_ENV)
    if not chosen:
        raise RiskscreenError(f"say which database: --db URL or ${DATABASE_URL_ENV}")
    try:
        engine = create_engine(chosen)
    except ArgumentError:
        raise RiskscreenError(f"not a database URL: {make_safe(chosen)!r}") from None
    except ImportError as exc:
        raise RiskscreenError(f"no driver for {make_safe(chosen)!r}: {exc}") from None
    try:
        with engine.begin() if write else engine.connect() as connection:
            yield connection
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise RiskscreenError(f"cannot use the database at {make_safe(chosen)}: {detail} "
                              "(is it a riskscreen database, upgraded with 'riskscreen db upgrade'?)") from None
    finally:
        engine.dispose()


def make_safe(url: str) -> str:
    """The URL with any password hidden, for messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def _record_export(url: str | None, fmt: str, count: int) -> None:
    """Exports are themselves audited (after the fact, so the export is a consistent snapshot)."""
    from riskscreen.review.audit_store import append
    from riskscreen.workflow.audit import AuditEvent

    with _connected(url, write=True) as connection:
        append(connection, AuditEvent(datetime.now(timezone.utc), f"cli:{getpass.getuser()}", "audit.export",
                                      "audit", None, {"format": fmt, "events": count}))


def _exported(path: Path) -> Iterator[Any]:
    from riskscreen.workflow.audit_export import read_csv, read_jsonl

    shown = display_path(path)
    with path.open(encoding="utf-8", newline="") as stream:
        if path.suffix.lower() == ".csv":
            yield from read_csv(stream, shown)
        elif path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            yield from read_jsonl(stream, shown)
        else:
            raise InputError(Problem("unknown audit export format", Location(shown), value=path.suffix,
                                     suggestion="use a .jsonl or .csv file written by 'riskscreen audit export'"))


@click.group()
def audit() -> None:
    """Check and export the review service's tamper-evident audit trail.

    \b
    Examples:
      riskscreen audit verify --db sqlite:///riskscreen.sqlite3
      riskscreen audit export --db "$RISKSCREEN_DATABASE_URL" --format csv -o audit.csv
      riskscreen audit verify --file audit.jsonl
    """


@audit.command()
@click.option("--db", "db_url", metavar="URL", help=f"database URL (default: ${DATABASE_URL_ENV})")
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="verify an exported trail (.jsonl or .csv) instead of the database")
def verify(db_url: str | None, file: Path | None) -> None:
    """Walk the hash chain; exit 0 when intact, 1 naming the first broken link.

    \b
    Examples:
      riskscreen audit verify --db sqlite:///riskscreen.sqlite3
      riskscreen audit verify --file audit-2026-12.jsonl
    """
    from riskscreen.workflow.audit import verify as verify_chain

    if file is not None:
        report = verify_chain(_exported(file))
        problem = None if report.broken is None else str(report.broken)
        count, head = report.events, report.head
    else:
        from riskscreen.review.audit_store import verify_stored

        with _connected(db_url) as connection:
            stored = verify_stored(connection)
        problem, count, head = stored.problem, stored.chain.events, stored.chain.head
    if problem is not None:
        click.echo(f"audit trail BROKEN at {problem}; {count} event(s) before it verify", err=True)
        sys.exit(1)
    click.echo(f"audit trail intact: {count} event(s), head {head}")


@audit.command()
@click.option("--db", "db_url", metavar="URL", help=f"database URL (default: ${DATABASE_URL_ENV})")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="write here (atomically) instead of standard output")
def export(db_url: str | None, fmt: str, output: Path | None) -> None:
    """Write every event, in chain order, with the hashes needed to verify it elsewhere.
    The export is itself recorded in the trail.

    \b
    Example:
      riskscreen audit export --format csv -o audit.csv
    """
    from riskscreen.review.audit_store import stream
    from riskscreen.workflow.audit_export import write_csv, write_jsonl

    writer = write_csv if fmt == "csv" else write_jsonl
    with _connected(db_url) as connection:
        if output is None:
            count = writer(stream(connection), sys.stdout)
        else:
            partial = output.with_name(output.name + ".partial")
            try:
                with partial.open("w", encoding="utf-8", newline="") as out:
                    count = writer(stream(connection), out)
                partial.replace(output)
            finally:
                partial.unlink(missing_ok=True)
    _record_export(db_url, fmt, count)
    if output is not None:
        click.echo(f"wrote {count} event(s) to {display_path(output)}", err=True)
