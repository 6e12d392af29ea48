"""``riskscreen db``, ``riskscreen serve`` and ``riskscreen users``: the web service's commands.

FastAPI, SQLAlchemy and the web package are imported inside the commands, so the rest of the CLI
(and ``pip install riskscreen`` without the ``web`` extra) never loads them.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import TYPE_CHECKING, Any

import click

from riskscreen.errors import RiskscreenError

if TYPE_CHECKING:
    from riskscreen.store import Store

WEB_EXTRA_HINT = "the web service needs the 'web' extra: pip install 'riskscreen[web]'"

db_option = click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="Database URL (default: $RISKSCREEN_DATABASE_URL, else a SQLite file in the data directory).",
)


def open_store(db_url: str | None, announce: bool = True) -> Store:
    try:
        from riskscreen.store import Store
        from riskscreen.store.db import resolve_url
    except ModuleNotFoundError as exc:
        raise RiskscreenError(f"{WEB_EXTRA_HINT} ({exc.name} is missing)") from None
    url, default_file = resolve_url(db_url)
    if announce and default_file is not None:
        click.echo(f"Database: {default_file}", err=True)
    return Store(url)


@click.group()
def db() -> None:
    """Look after the web service's database.

    \b
    Examples:
      riskscreen db upgrade
      riskscreen db upgrade --db postgresql+psycopg://riskscreen@localhost/riskscreen
    """


@db.command("upgrade")
@db_option
def db_upgrade(db_url: str | None) -> None:
    """Create the schema, or migrate it to this version's; refuses a database from a newer version.

    \b
    Examples:
      riskscreen db upgrade
      RISKSCREEN_DATABASE_URL=sqlite:///srv/rs.sqlite3 riskscreen db upgrade
    """
    store = open_store(db_url)
    try:
        before, after = store.upgrade()
    finally:
        store.close()
    if before == after:
        click.echo(f"Database schema is up to date ({after}).")
    else:
        click.echo(f"Database schema upgraded from {before or 'empty'} to {after}.")


def _secret_from_prompt(confirm: bool = True) -> str:
    password = getpass.getpass("Password: ")
    if confirm and getpass.getpass("Password again: ") != password:
        raise click.ClickException("the passwords do not match")
    return password


@click.group()
def users() -> None:
    """Manage the web service's accounts (officers, reviewers, administrators).

    \b
    Examples:
      riskscreen users add ana@leeds.gov.uk --name "Ana Ortiz" --role officer --organisation "Leeds City Council"
      riskscreen users list
      riskscreen users disable ana@leeds.gov.uk
      riskscreen users enable ana@leeds.gov.uk
      riskscreen users reset-password ana@leeds.gov.uk
    """


@users.command("add")
@click.argument("email")
@click.option("--name", default="", help="Full name (default: the email address).")
@click.option("--role", type=click.Choice(["officer", "reviewer", "admin", "auditor"]), default="officer",
              show_default=True, help="What the user may do.")
@click.option("--organisation", required=True, help="The user's organisation (created if new).")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of prompting.")
@click.option("--generate-password", is_flag=True, help="Generate a password and print it once.")
@db_option
def users_add(email: str, name: str, role: str, organisation: str, password_stdin: bool,
              generate_password: bool, db_url: str | None) -> None:
    """Add a user.

    \b
    Examples:
      riskscreen users add ana@leeds.gov.uk --organisation "Leeds City Council"
      riskscreen users add ddu@example.org --role reviewer --organisation DDU --generate-password
    """
    password = _new_password(password_stdin, generate_password)
    store = _ready_store(db_url)
    from riskscreen.store.accounts import add_user

    try:
        with store.session() as session:
            user = add_user(session, email=email, name=name, role=role,
                            organisation=organisation, password=password)
            _audit(session, "user.add", user.id, None,
                   {"email": user.email, "role": user.role, "organisation": user.organisation.name})
            click.echo(f"Added {user.email} ({user.role}, {user.organisation.name}).")
    finally:
        store.close()
    if generate_password:
        click.echo(f"Password (shown once): {password}")


def _new_password(password_stdin: bool, generate: bool) -> str:
    if generate:
        from riskscreen.store.passwords import generate_password

        return generate_password()
    if password_stdin:
        line: str = sys.stdin.readline()
        return line.rstrip("\n")
    return _secret_from_prompt()


def _audit(session: Any, action: str, user_id: int, before: Any, after: Any) -> None:
    """Account changes made from the command line go into the audit trail too."""
    from datetime import datetime, timezone

    from riskscreen.review.audit_store import append
    from riskscreen.workflow.audit import AuditEvent

    session.flush()
    append(session, AuditEvent(datetime.now(timezone.utc), f"cli:{getpass.getuser()}", action, f"user:{user_id}",
                               before, after))


def _ready_store(db_url: str | None) -> Store:
    store = open_store(db_url)
    try:
        store.check_current()
    except RiskscreenError:
        store.close()
        raise
    return store


@users.command("list")
@db_option
def users_list(db_url: str | None) -> None:
    """List users: email, role, organisation, active.

    \b
    Example:
      riskscreen users list
    """
    store = _ready_store(db_url)
    from riskscreen.store.accounts import list_users

    try:
        with store.session() as session:
            rows = [(u.email, u.role, u.organisation.name, "active" if u.active else "disabled")
                    for u in list_users(session)]
    finally:
        store.close()
    if not rows:
        click.echo("No users yet; add one with 'riskscreen users add'.")
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(4)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@users.command("disable")
@click.argument("email")
@db_option
def users_disable(email: str, db_url: str | None) -> None:
    """Disable a user: they are signed out and their API tokens revoked.

    \b
    Example:
      riskscreen users disable ana@leeds.gov.uk
    """
    store = _ready_store(db_url)
    from riskscreen.store.accounts import disable_user, require_user

    try:
        with store.session() as session:
            member = require_user(session, email)
            disable_user(session, member)
            _audit(session, "user.disable", member.id, {"active": True}, {"active": False})
    finally:
        store.close()
    click.echo(f"Disabled {email}.")


@users.command("enable")
@click.argument("email")
@db_option
def users_enable(email: str, db_url: str | None) -> None:
    """Enable a disabled user again (their old API tokens stay revoked).

    \b
    Example:
      riskscreen users enable ana@leeds.gov.uk
    """
    store = _ready_store(db_url)
    from riskscreen.store.accounts import require_user

    try:
        with store.session() as session:
            member = require_user(session, email)
            before = member.active
            member.active = True
            _audit(session, "user.enable", member.id, {"active": before}, {"active": True})
    finally:
        store.close()
    click.echo(f"Enabled {email}.")


@users.command("reset-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@click.option("--generate-password", is_flag=True, help="Generate a password and print it once.")
@db_option
def users_reset_password(email: str, password_stdin: bool, generate_password: bool,
                         db_url: str | None) -> None:
    """Set a new password for a user and sign them out everywhere.

    \b
    Example:
      riskscreen users reset-password ana@leeds.gov.uk --generate-password
    """
    password = _new_password(password_stdin, generate_password)
    store = _ready_store(db_url)
    from riskscreen.store.accounts import require_user, set_password

    try:
        with store.session() as session:
            member = require_user(session, email)
            set_password(session, member, password)
            _audit(session, "user.reset_password", member.id, None, {"password": "changed"})
    finally:
        store.close()
    click.echo(f"Password reset for {email}.")
    if generate_password:
        click.echo(f"Password (shown once): {password}")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes.")
@db_option
@click.option("--demo", is_flag=True,
              help="Load demo organisations, users (passwords printed once) and the example register.")
@click.option("--trusted-header", metavar="HEADER",
              help="Take the signed-in user's email from this header set by a single sign-on proxy "
                   "(only behind such a proxy; off by default).")
def serve(host: str, port: int, workers: int, db_url: str | None, demo: bool,
          trusted_header: str | None) -> None:
    """Run the web service: the officer's forms, results and the JSON API (/api/docs).

    Creates or upgrades the database schema first; refuses a database from a newer riskscreen.

    \b
    Examples:
      riskscreen serve --demo
      riskscreen serve --host 0.0.0.0 --port 8080 --db postgresql+psycopg://rs@db/riskscreen
    """
    store = open_store(db_url)
    try:
        before, after = store.upgrade()
        if before != after:
            click.echo(f"Database schema upgraded from {before or 'empty'} to {after}.", err=True)
        if demo:
            from riskscreen.web.demo import load_demo

            for line in load_demo(store):
                click.echo(line)
    finally:
        store.close()
    try:
        import uvicorn
    except ModuleNotFoundError:
        raise RiskscreenError(WEB_EXTRA_HINT) from None
    # Workers are separate processes: they read their settings from the environment.
    os.environ["RISKSCREEN_DATABASE_URL"] = store.url
    if trusted_header:
        os.environ["RISKSCREEN_TRUSTED_HEADER"] = trusted_header
    click.echo(f"Serving on http://{host}:{port}/ (API reference: /api/docs). Ctrl+C stops.")
    options: dict[str, Any] = {"host": host, "port": port, "workers": workers, "factory": True,
                               "proxy_headers": True, "log_level": "info"}
    uvicorn.run("riskscreen.web.app:create_app_from_env", **options)


__all__ = ["db", "serve", "users"]
