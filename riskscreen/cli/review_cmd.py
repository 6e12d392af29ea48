"""``riskscreen audit verify|export``: the review service's audit trail from the command line.

The database packages are imported inside the commands, so the rest of the CLI (and a
``pip install riskscreen`` without the web extra) never loads them.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from riskscreen.cli.options import as_date, as_of_option, build_engine, engine_options
from riskscreen.cli.web_cmd import db_option
from riskscreen.errors import InputError, Location, Problem, RiskscreenError, display_path


@contextmanager
def _connected(url: str | None, *, write: bool = False) -> Iterator[Any]:
    """A connection to the service's database (a transaction when writing), whose schema must be
    this version's; database failures become one-line errors, not tracebacks."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    from riskscreen.cli.web_cmd import _ready_store

    try:
        store = _ready_store(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise RiskscreenError(f"not a database URL riskscreen can use: {exc}") from None

    try:
        with store.engine.begin() if write else store.engine.connect() as connection:
            yield connection
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise RiskscreenError(f"cannot use the database: {detail}") from None
    finally:
        store.close()


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
@db_option
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
@db_option
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


@click.command()
@db_option
@engine_options
@as_of_option
@click.option("--by", "by_email", required=True, metavar="EMAIL",
              help="The administrator the new screenings are recorded against.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rescreen(db_url: str | None, rules_dir: Path | None, taxonomies_dir: Path | None,
             watchlists: tuple[Path, ...], backend: str, as_of: Any, by_email: str, fmt: str) -> None:
    """Re-screen every open and approved engagement whose latest screening used other rules,
    taxonomies or watchlists than these. New screenings are added (nothing is overwritten); a tier
    that rose sends the engagement back to the review queue, flagged; a tier that fell is noted.

    \b
    Examples:
      riskscreen rescreen --by admin@ddu.example
      riskscreen rescreen --by admin@ddu.example --taxonomies ./our-taxonomies --format json
    """
    import json as json_module

    from riskscreen.cli.web_cmd import _ready_store
    from riskscreen.review.rescreen_run import rescreen as run
    from riskscreen.screening.whatif import WhatIfMemo
    from riskscreen.store.accounts import require_user

    day = as_date(as_of)
    engine = build_engine(rules_dir, taxonomies_dir, watchlists, backend)
    store = _ready_store(db_url)
    try:
        with store.session() as session:
            admin = require_user(session, by_email)
            if admin.role != "admin" or not admin.active:
                raise RiskscreenError(f"{by_email} is not an active administrator; re-screening is theirs to run")
        summary = run(store, WhatIfMemo(engine).screen, engine.provenance(day), by_email, as_of=day, keep_changes=True)
    finally:
        store.close()
        engine.close()
    if fmt == "json":
        click.echo(json_module.dumps({**summary.as_dict(), "changes": summary.changes}, indent=2))
        return
    click.echo(f"Checked {summary.checked} open or approved engagement(s); re-screened {summary.rescreened} "
               f"under changed rules: {summary.requeued} back in the queue, {summary.flagged} flagged in the queue, "
               f"{summary.noted} noted (tier fell or findings changed), {summary.unchanged} unchanged.")
    for change in summary.changes:
        click.echo(f"  {change['engagement']}: {change['change'].replace('_', ' ')} "
                   f"({change['old_tier']} → {change['new_tier']}), {change['effect']}"
                   + (f"; new: {', '.join(change['added'])}" if change["added"] else "")
                   + (f"; gone: {', '.join(change['removed'])}" if change["removed"] else ""))
