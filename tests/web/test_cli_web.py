"""The web service's commands: db upgrade, users add|list|disable|reset-password, serve's checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from riskscreen.cli import main
from riskscreen.store import Store
from riskscreen.store.accounts import authenticate
from riskscreen.store.migrate import head_revision
from tests.web.conftest import PASSWORD


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(main, list(args), input=input, env=env)


def test_db_upgrade_creates_then_reports_up_to_date(sqlite_url: str) -> None:
    first = run("db", "upgrade", "--db", sqlite_url)
    assert first.exit_code == 0, first.output
    assert f"upgraded from empty to {head_revision()}" in first.output
    again = run("db", "upgrade", "--db", sqlite_url)
    assert again.exit_code == 0 and f"up to date ({head_revision()})" in again.output


def test_default_database_is_a_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data" / "nested"
    result = run("db", "upgrade", env={"RISKSCREEN_DATA_DIR": str(data), "RISKSCREEN_DATABASE_URL": ""})
    assert result.exit_code == 0, result.output
    assert f"Database: {data / 'riskscreen.sqlite3'}" in result.output
    assert (data / "riskscreen.sqlite3").is_file()


def test_environment_variable_names_the_database(sqlite_url: str) -> None:
    result = run("db", "upgrade", env={"RISKSCREEN_DATABASE_URL": sqlite_url})
    assert result.exit_code == 0 and "Database:" not in result.output
    assert Store(sqlite_url).check_current() is None


def test_newer_database_is_refused_by_upgrade_and_serve(sqlite_url: str) -> None:
    assert run("db", "upgrade", "--db", sqlite_url).exit_code == 0
    store = Store(sqlite_url)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00d_newer'"))
    store.close()
    for command in (["db", "upgrade"], ["serve"], ["users", "list"]):
        result = run(*command, "--db", sqlite_url)
        assert result.exit_code == 2, (command, result.output)
        assert "Error: the database is at schema revision f00d_newer" in result.output
        assert "Traceback" not in result.output


def test_bad_database_url_is_a_located_error() -> None:
    result = run("db", "upgrade", "--db", "not a url")
    assert result.exit_code == 2
    assert result.output.startswith("Error: not a database URL: 'not a url'")


def test_users_add_list_disable_reset(sqlite_url: str) -> None:
    assert run("db", "upgrade", "--db", sqlite_url).exit_code == 0
    added = run("users", "add", "ana@leeds.example", "--name", "Ana", "--organisation", "Leeds City Council",
                "--password-stdin", "--db", sqlite_url, input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert "Added ana@leeds.example (officer, Leeds City Council)." in added.output
    generated = run("users", "add", "rev@ddu.example", "--role", "reviewer", "--organisation", "DDU",
                    "--generate-password", "--db", sqlite_url)
    assert generated.exit_code == 0
    password = generated.output.split("Password (shown once): ")[1].strip()
    assert len(password) >= 20
    listed = run("users", "list", "--db", sqlite_url)
    assert listed.output.splitlines() == [
        "ana@leeds.example  officer   Leeds City Council  active",
        "rev@ddu.example    reviewer  DDU                 active",
    ]
    weak = run("users", "add", "x@leeds.example", "--organisation", "L", "--password-stdin",
               "--db", sqlite_url, input="short\n")
    assert weak.exit_code == 2 and "Error: Password must be 12 characters or more" in weak.output
    duplicate = run("users", "add", "ana@leeds.example", "--organisation", "L", "--generate-password",
                    "--db", sqlite_url)
    assert duplicate.exit_code == 2 and "already exists" in duplicate.output
    assert run("users", "disable", "ana@leeds.example", "--db", sqlite_url).exit_code == 0
    assert "ana@leeds.example  officer   Leeds City Council  disabled" in run(
        "users", "list", "--db", sqlite_url).output
    reset = run("users", "reset-password", "rev@ddu.example", "--password-stdin", "--db", sqlite_url,
                input="a brand new passphrase\n")
    assert reset.exit_code == 0 and "Password reset for rev@ddu.example." in reset.output
    store = Store(sqlite_url)
    with store.session() as session:
        assert authenticate(session, "rev@ddu.example", "a brand new passphrase", "t").user is not None
        assert authenticate(session, "ana@leeds.example", PASSWORD, "t").user is None  # disabled
    assert run("users", "enable", "ana@leeds.example", "--db", sqlite_url).output == "Enabled ana@leeds.example.\n"
    with store.session() as session:
        assert authenticate(session, "ana@leeds.example", PASSWORD, "t").user is not None
    missing = run("users", "disable", "nobody@x.example", "--db", sqlite_url)
    assert missing.exit_code == 2 and "no user with email 'nobody@x.example'" in missing.output


def test_users_commands_need_an_upgraded_database(sqlite_url: str) -> None:
    result = run("users", "list", "--db", sqlite_url)
    assert result.exit_code == 2
    assert "run 'riskscreen db upgrade'" in result.output


@pytest.mark.parametrize("command", ["db", "users", "serve"])
def test_web_commands_have_help_with_examples(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example" in result.output
